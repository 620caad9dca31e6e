// One on-disk cache entry: a compiled specialization's object and what loading it needs,
// checksummed, written atomically.
#pragma once

#include "jit/cache_key.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/MemoryBuffer.h>

#include <memory>
#include <string>

namespace nogil::jit {

struct CacheEntry {
  const sema::Type *returnType = nullptr;
  std::string symbol;    ///< the specialization's native function; its entry is entrySymbol()
  bool allocates = true; ///< see CompiledSpec::allocates
  /// Calls an overload's implementation, which the key (computed before typing) does not
  /// cover: linked in this process only, never written.
  bool processLocal = false;
  std::unique_ptr<llvm::MemoryBuffer> object;
};

enum class CacheRead : uint8_t {
  Missing,  ///< no entry at that path
  Rejected, ///< an entry that is truncated, corrupt, of another format or for another key
  Loaded,
};

/// The entry's file: `<directory>/<source stem>.<qualname>.<key hex>.nogil`.
std::string cacheEntryPath(const std::string &directory, const std::string &sourceFile,
                           const std::string &qualname, const CacheKey &key);

/// Reads and verifies the entry at `path` (its length, checksum and key).
CacheRead readCacheEntry(const std::string &path, const CacheKey &key, CacheEntry &entry);

/// Writes the entry to a temporary file beside `path` and renames it over `path`, so a
/// reader in any process sees either no file or a whole one. False with `error` set when
/// the directory cannot be created or written.
bool writeCacheEntry(const std::string &path, const CacheKey &key, const CacheEntry &entry,
                     std::string &error);

} // namespace nogil::jit
