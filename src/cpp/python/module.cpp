// The extension module nogil._core.
#include "jit/compiler.h"
#include "python/array_export.h"
#include "python/boxing.h"
#include "python/dispatcher.h"
#include "python/gil_policy.h"
#include "python/stdout.h"
#include "runtime/array_memory.h"
#include "runtime/parallel_for.h"

#include <nanobind/nanobind.h>

namespace nb = nanobind;

NB_MODULE(_core, m) {
  m.doc() = "nogil's compiler and dispatcher";
  PyTypeObject *dispatcher = nogil::python::createDispatcherType();
  if (!dispatcher)
    throw nb::python_error();
  m.attr("Dispatcher") = nb::steal(reinterpret_cast<PyObject *>(dispatcher));
  m.attr("NOGIL_HOLD") = static_cast<int>(nogil::python::GilMode::Hold);
  m.attr("NOGIL_RELEASE") = static_cast<int>(nogil::python::GilMode::Release);
  m.attr("NOGIL_AUTO") = static_cast<int>(nogil::python::GilMode::Auto);
  PyTypeObject *arrayMemory = nogil::python::createArrayExportType();
  if (!arrayMemory)
    throw nb::python_error();
  m.attr("ArrayMemory") = nb::steal(reinterpret_cast<PyObject *>(arrayMemory));
  m.def(
      "array_memory",
      [] {
        nogil::runtime::ArrayBytes bytes = nogil::runtime::arrayBytes();
        return nb::make_tuple(bytes.live, bytes.peak);
      },
      "(live, peak): bytes of array memory compiled code holds now (arrays returned to Python\n"
      "included), and the most it held at once since reset_array_memory_peak().");
  m.def("reset_array_memory_peak", &nogil::runtime::resetPeakArrayBytes);
  m.def(
      "cache_info",
      [] {
        nogil::jit::CacheStats stats = nogil::jit::cacheStats();
        nb::dict info;
        info["hits"] = stats.hits;
        info["misses"] = stats.misses;
        info["rejected"] = stats.rejected;
        info["writes"] = stats.writes;
        info["write_errors"] = stats.writeErrors;
        info["compile_seconds"] = stats.compileSeconds;
        info["load_seconds"] = stats.loadSeconds;
        return info;
      },
      "Process-wide counters of compiled code and the on-disk cache (cache=True): hits\n"
      "(specializations loaded from disk), misses (compiled because no valid entry was there),\n"
      "rejected (entries ignored as truncated or corrupt, then rewritten), writes, write_errors\n"
      "(entries that could not be stored, e.g. a read-only directory), compile_seconds (every\n"
      "compile, cached or not) and load_seconds (reading and linking cached entries).");
  m.def("_register_prange",
        [](nb::handle prange) { nogil::python::registerParallelRange(prange.ptr()); });
  m.def("_set_thread_limit", &nogil::runtime::setThreadLimit);
  m.def("_thread_limit", &nogil::runtime::threadLimit);
  m.def("get_num_threads", &nogil::runtime::numThreads,
        "The number of threads prange loops started by this thread use.");
  m.def(
      "set_num_threads",
      [](int threads) {
        if (!nogil::runtime::setNumThreads(threads))
          throw nb::value_error(("the number of threads must be between 1 and " +
                                 std::to_string(nogil::runtime::threadLimit()) +
                                 " (NOGIL_NUM_THREADS or the machine's), not " +
                                 std::to_string(threads))
                                    .c_str());
      },
      "Sets the number of threads prange loops started by this thread use (1 to the limit).");
  nogil::python::installPrintHook();
  nogil::python::installGilPolicy();
  nogil::python::registerErrorKindClasses();
}
