// The Dispatcher: the object @njit returns. A vectorcall type that maps argument types to a
// compiled specialization, compiling on a miss, and calls it with the GIL policy chosen.
#pragma once

#include <Python.h>

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

/// Makes `prange` (nogil.prange) known to the compiler, at import.
void registerParallelRange(PyObject *prange);

} // namespace nogil::python
