#include "runtime/text.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace nogil::runtime {

namespace {
thread_local std::string threadText;
std::atomic<WriteHook> printHook{nullptr};
} // namespace

std::string &textBuffer() { return threadText; }

void setPrintHook(WriteHook hook) { printHook.store(hook, std::memory_order_release); }

namespace {

template <typename Float> std::string shortestRepr(Float value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, laid out by CPython's rules for repr: positional when the
  // decimal exponent is in [-4, 16), scientific with a two-digit exponent otherwise.
  char scientific[64];
  auto [end, error] = std::to_chars(scientific, scientific + sizeof scientific, value,
                                    std::chars_format::scientific);
  std::string text(scientific, end);
  std::string sign;
  if (text[0] == '-') {
    sign = "-";
    text.erase(0, 1);
  }
  size_t e = text.find('e');
  int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits = text.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int point = exponent + 1; // digits before the decimal point
  // Positional up to the type's precision (CPython: 16 digits; NumPy's float32: 6).
  constexpr int kPositionalDigits = std::is_same_v<Float, float> ? 6 : 16;
  if (point > -4 && point <= kPositionalDigits) {
    if (point <= 0)
      return sign + "0." + std::string(static_cast<size_t>(-point), '0') + digits;
    if (static_cast<size_t>(point) >= digits.size())
      return sign + digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
    return sign + digits.substr(0, static_cast<size_t>(point)) + "." +
           digits.substr(static_cast<size_t>(point));
  }
  std::string mantissa = digits.size() == 1 ? digits : digits.substr(0, 1) + "." + digits.substr(1);
  std::string exponentText = std::to_string(std::abs(exponent));
  if (exponentText.size() < 2)
    exponentText.insert(0, "0");
  return sign + mantissa + (exponent < 0 ? "e-" : "e+") + exponentText;
}

} // namespace

std::string pythonFloatRepr(double value) { return shortestRepr(value); }

std::string pythonFloatRepr(float value) { return shortestRepr(value); }

} // namespace nogil::runtime

extern "C" void nogil_rt_text_begin() { nogil::runtime::textBuffer().clear(); }

extern "C" void nogil_rt_text_str(const char *text) { nogil::runtime::textBuffer() += text; }

extern "C" void nogil_rt_text_int(int64_t value) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  nogil::runtime::textBuffer().append(digits, end);
}

extern "C" void nogil_rt_text_float(double value) {
  nogil::runtime::textBuffer() += nogil::runtime::pythonFloatRepr(value);
}

extern "C" void nogil_rt_text_uint(uint64_t value) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  nogil::runtime::textBuffer().append(digits, end);
}

extern "C" void nogil_rt_text_float32(float value) {
  nogil::runtime::textBuffer() += nogil::runtime::pythonFloatRepr(value);
}

extern "C" void nogil_rt_text_bool(int32_t value) {
  nogil::runtime::textBuffer() += value ? "True" : "False";
}

extern "C" void nogil_rt_print() {
  std::string &text = nogil::runtime::textBuffer();
  text += '\n';
  if (auto hook = nogil::runtime::printHook.load(std::memory_order_acquire))
    hook(text.data(), text.size());
}
