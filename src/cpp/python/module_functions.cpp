// The module's functions, written against the CPython API so that a call with bad arguments
// gets CPython's own messages ("takes no arguments (1 given)") or ours naming the parameter,
// never a binding library's signature dump.
#include "python/module_functions.h"

#include "jit/compiler.h"
#include "python/dispatcher.h"
#include "runtime/array_memory.h"
#include "runtime/matmul.h"
#include "runtime/parallel_for.h"

#include <climits>

namespace nogil::python {

namespace {

PyObject *arrayMemory(PyObject *, PyObject *) {
  runtime::ArrayBytes bytes = runtime::arrayBytes();
  return Py_BuildValue("(LL)", static_cast<long long>(bytes.live),
                       static_cast<long long>(bytes.peak));
}

PyObject *resetArrayMemoryPeak(PyObject *, PyObject *) {
  runtime::resetPeakArrayBytes();
  Py_RETURN_NONE;
}

PyObject *cacheInfo(PyObject *, PyObject *) {
  jit::CacheStats stats = jit::cacheStats();
  return Py_BuildValue("{sKsKsKsKsKsdsd}", "hits", static_cast<unsigned long long>(stats.hits),
                       "misses", static_cast<unsigned long long>(stats.misses), "rejected",
                       static_cast<unsigned long long>(stats.rejected), "writes",
                       static_cast<unsigned long long>(stats.writes), "write_errors",
                       static_cast<unsigned long long>(stats.writeErrors), "compile_seconds",
                       stats.compileSeconds, "load_seconds", stats.loadSeconds);
}

PyObject *getNumThreads(PyObject *, PyObject *) { return PyLong_FromLong(runtime::numThreads()); }

/// The thread count in `value` (an int or any object with __index__, as Numba takes), or -1
/// with TypeError set; values beyond int come back as INT_MAX or 0, which no limit allows.
long long threadCountOf(PyObject *value, const char *function, const char *parameter) {
  if (!PyIndex_Check(value)) {
    PyErr_Format(PyExc_TypeError, "%s() argument '%s' must be an integer, not '%s'", function,
                 parameter, Py_TYPE(value)->tp_name);
    return -1;
  }
  PyObject *index = PyNumber_Index(value);
  if (!index)
    return -1;
  int overflow = 0;
  long long count = PyLong_AsLongLongAndOverflow(index, &overflow);
  Py_DECREF(index);
  if (overflow)
    return overflow > 0 ? INT_MAX : 0;
  return count < 0 ? 0 : count > INT_MAX ? INT_MAX : count;
}

PyObject *setNumThreads(PyObject *, PyObject *args, PyObject *kwargs) {
  static const char *keywords[] = {"n", nullptr};
  PyObject *value = nullptr;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_num_threads", const_cast<char **>(keywords),
                                   &value))
    return nullptr;
  long long count = threadCountOf(value, "set_num_threads", "n");
  if (count < 0)
    return nullptr;
  if (!runtime::setNumThreads(static_cast<int>(count))) {
    PyErr_Format(PyExc_ValueError,
                 "set_num_threads() argument 'n': the number of threads must be between 1 and %d "
                 "(NOGIL_NUM_THREADS or the machine's), not %R",
                 runtime::threadLimit(), value);
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject *setThreadLimit(PyObject *, PyObject *value) {
  long long limit = threadCountOf(value, "_set_thread_limit", "limit");
  if (limit < 0)
    return nullptr;
  if (limit < 1 || limit == INT_MAX) {
    PyErr_Format(PyExc_ValueError, "NOGIL_NUM_THREADS must be an integer from 1 to %d, not %R",
                 INT_MAX - 1, value);
    return nullptr;
  }
  runtime::setThreadLimit(static_cast<int>(limit));
  Py_RETURN_NONE;
}

PyObject *threadLimit(PyObject *, PyObject *) { return PyLong_FromLong(runtime::threadLimit()); }

PyObject *setBlasLibrary(PyObject *, PyObject *path) {
  const char *text = PyUnicode_AsUTF8(path);
  if (!text)
    return nullptr;
  runtime::setBlasLibrary(text);
  Py_RETURN_NONE;
}

PyObject *registerPrange(PyObject *, PyObject *prange) {
  registerParallelRange(prange);
  Py_RETURN_NONE;
}

PyMethodDef functions[] = {
    {"array_memory", arrayMemory, METH_NOARGS,
     "array_memory()\n--\n\n"
     "(live, peak): bytes of array memory compiled code holds now (arrays returned to Python\n"
     "included), and the most it held at once since reset_array_memory_peak()."},
    {"reset_array_memory_peak", resetArrayMemoryPeak, METH_NOARGS,
     "reset_array_memory_peak()\n--\n\nStarts array_memory()'s peak again from the bytes held "
     "now."},
    {"cache_info", cacheInfo, METH_NOARGS,
     "cache_info()\n--\n\n"
     "Process-wide counters of compiled code and the on-disk cache (cache=True): hits\n"
     "(specializations loaded from disk), misses (compiled because no valid entry was there),\n"
     "rejected (entries ignored as truncated, corrupt or not regular files, then rewritten),\n"
     "writes, write_errors (entries that could not be stored, e.g. a read-only directory),\n"
     "compile_seconds (every compile, cached or not) and load_seconds (reading and linking\n"
     "cached entries)."},
    {"get_num_threads", getNumThreads, METH_NOARGS,
     "get_num_threads()\n--\n\nThe number of threads prange loops started by this thread use."},
    {"set_num_threads", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(setNumThreads)),
     METH_VARARGS | METH_KEYWORDS,
     "set_num_threads(n)\n--\n\n"
     "Sets the number of threads prange loops started by this thread use (1 to the limit)."},
    {"_set_thread_limit", setThreadLimit, METH_O, "The most threads a loop may use (at import)."},
    {"_thread_limit", threadLimit, METH_NOARGS, "The most threads a loop may use."},
    {"_set_blas_library", setBlasLibrary, METH_O,
     "The path of the BLAS library matrix products load at their first use (at import)."},
    {"_register_prange", registerPrange, METH_O, "Makes nogil.prange known to the compiler."},
    {nullptr, nullptr, 0, nullptr}};

} // namespace

bool addModuleFunctions(PyObject *module) { return PyModule_AddFunctions(module, functions) == 0; }

} // namespace nogil::python
