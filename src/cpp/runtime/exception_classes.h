// Which `except` clause catches the pending exception, decided without the GIL: the python
// layer registers every exception class compiled code can raise or catch, with its method
// resolution order, before any code that uses it is compiled.
#pragma once

#include <cstdint>
#include <vector>

extern "C" {

/// Whether the calling thread's pending exception is an instance of `handlerClass` (a class
/// the python layer registered), as `except handlerClass:` decides.
int32_t nogil_rt_error_matches(const void *handlerClass);

/// Whether a bare `except:` in compiled code catches the pending error: not a Python
/// exception a signal handler raised.
int32_t nogil_rt_error_catchable();

/// Forgets the calling thread's pending exception: an `except` clause handled it.
void nogil_rt_clear_error();
}

namespace nogil::runtime {

/// Registers `exceptionClass` and its MRO (itself first). Idempotent; thread-safe.
void registerExceptionClass(const void *exceptionClass, std::vector<const void *> mro);

/// The class the runtime's error kind `kind` (NOGIL_ERROR_ZERO_DIVISION, ...) stands for.
void registerErrorKindClass(int32_t kind, const void *exceptionClass);

} // namespace nogil::runtime
