// What an on-disk cache entry is keyed by: everything a compiled specialization depends on.
#pragma once

#include "sema/environment.h"
#include "sema/types.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nogil::jit {

struct CacheKey {
  /// BLAKE3 of the function's source, file and first line, its options and defaults, its
  /// frozen globals (values; for compiled functions, their own keys' inputs, transitively and
  /// across modules; for exception classes, their qualified names), the argument types, and
  /// `buildIdentity` (nogil's build, LLVM's version, the CPU name and features).
  std::array<uint8_t, 32> digest{};
  /// The first 16 bytes of the digest in hex: part of file and symbol names.
  std::string hex;
  /// The exception classes the function and its callees may raise or catch, in the order
  /// the key met them: the cached object names the k-th one `classSymbol(k)`, so a process
  /// whose key matches defines that symbol at its own class of the same name.
  std::vector<uintptr_t> exceptionClasses;

  std::string classSymbol(size_t k) const;
  /// classSymbol(k) for each exception class, by its address in this process.
  std::unordered_map<uintptr_t, std::string> classSymbols() const;
};

CacheKey cacheKey(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args,
                  std::string_view buildIdentity);

/// A type as text that decodeType() reads back in any process (type names are for people).
std::string encodeType(const sema::Type *type);
/// The type encodeType() wrote at the start of `text`, consumed from it; null if malformed.
const sema::Type *decodeType(std::string_view &text);

} // namespace nogil::jit
