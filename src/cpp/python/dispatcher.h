// The Dispatcher: the object @njit returns. A vectorcall type that maps argument types to a
// compiled specialization, compiling on a miss, and calls it with the GIL policy chosen.
#pragma once

#include <Python.h>

namespace nogil::sema {
class Type;
} // namespace nogil::sema

namespace nogil::python {

/// How a call treats the GIL.
enum class GilMode : int {
  Hold = 0,    ///< keep it for the whole call (nogil=False)
  Release = 1, ///< release it around the native call (nogil=True)
  Auto = 2,    ///< hold it; the first slow polls of a long call release it (nogil="auto")
};
static_assert(static_cast<int>(GilMode::Auto) == 2, "matches NOGIL_GIL_AUTO");

/// Creates the Dispatcher type; null with an exception set on failure.
PyTypeObject *createDispatcherType();

/// The type of a Dispatcher or a builtin (`math.sin`) passed to compiled code as a value:
/// its own type, which identifies it (each function passed gets its own specialization of
/// the callee, where calls through it are direct calls). Null in `type` for anything else.
/// A Dispatcher used so stays alive for the process (code specialized for it calls its
/// code). False with an exception set when its source cannot be loaded.
bool callableValueOf(PyObject *value, const sema::Type *&type);

/// Makes `prange` (nogil.prange) known to the compiler, at import.
void registerParallelRange(PyObject *prange);

} // namespace nogil::python
