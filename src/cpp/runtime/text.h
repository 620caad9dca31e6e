// The text compiled code builds for f-string messages and print(): one buffer per thread,
// filled by appends, then consumed by a raise or a print.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" {

/// Empties the calling thread's text buffer.
void nogil_rt_text_begin();
void nogil_rt_text_str(const char *text);
void nogil_rt_text_int(int64_t value);
/// As repr(float) and str(float): the shortest text that reads back as the same double.
void nogil_rt_text_float(double value);
void nogil_rt_text_bool(int32_t value);
void nogil_rt_text_uint(uint64_t value);
/// As str() of a NumPy float32: the shortest text that reads back as the same float32.
void nogil_rt_text_float32(float value);
/// Writes the buffer and a newline to Python's sys.stdout through the print hook.
void nogil_rt_print();
}

namespace nogil::runtime {

/// The calling thread's buffer (thread_local: each thread builds its own text).
std::string &textBuffer();

/// repr() of a double, as CPython spells it: "1.0", "1e-05", "1.5e+16", "nan", "-inf".
std::string pythonFloatRepr(double value);
/// str() of a NumPy float32: the same layout with float32's shortest digits.
std::string pythonFloatRepr(float value);

/// Writes text to sys.stdout, taking the GIL as needed. Installed once by the python layer
/// before any code is compiled, read by every thread after: set-once, then immutable.
using WriteHook = void (*)(const char *text, size_t size);
void setPrintHook(WriteHook hook);

} // namespace nogil::runtime
