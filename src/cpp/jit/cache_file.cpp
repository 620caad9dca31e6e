// The cache entry's format:
//
//   "NOGILOBJ", u32 format, u32 0, the key's 32-byte digest, u64 payload size,
//   u64 xxh3 of the payload; then the payload: u32 flags (1: allocates), u32 size + the
//   return type (encodeType), u32 size + the native symbol, and the relocatable object (the
//   rest).
//
// Integers are little-endian (the object is for this CPU anyway).
#include "jit/cache_file.h"

#include <llvm/Support/xxhash.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nogil::jit {

namespace {

constexpr char kMagic[8] = {'N', 'O', 'G', 'I', 'L', 'O', 'B', 'J'};
constexpr uint32_t kFormat = 1;
constexpr size_t kHeaderSize = 8 + 4 + 4 + 32 + 8 + 8;
/// Far above any compiled function's object: a larger file is not an entry, and is
/// rejected without being read.
constexpr uint64_t kMaxEntry = uint64_t{256} << 20;

template <typename T> void append(std::string &out, T value) {
  out.append(reinterpret_cast<const char *>(&value), sizeof value);
}

template <typename T> bool take(std::string_view &in, T &value) {
  if (in.size() < sizeof value)
    return false;
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return true;
}

bool takeText(std::string_view &in, std::string_view &text) {
  uint32_t size = 0;
  if (!take(in, size) || in.size() < size)
    return false;
  text = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

/// The whole file, or false when it is missing, cannot be read, or is not a regular file of
/// at most kMaxEntry bytes. Anything else at the entry's path (a FIFO, a device, a directory,
/// a socket, a symbolic link to one) is never read: opening a FIFO would block until a writer
/// came, reading /dev/zero would never end. The path is checked before opening (opening a
/// device can have effects) and the open file again, in case the path changed in between;
/// O_NONBLOCK makes the open itself return at once whatever it finds.
bool readWholeFile(const std::string &path, std::string &contents, bool &missing) {
  struct stat status{};
  missing = false;
  if (::stat(path.c_str(), &status) != 0) {
    // No entry, no directory to hold one, or a path no file can have.
    missing = errno == ENOENT || errno == ENOTDIR || errno == ENAMETOOLONG;
    return false;
  }
  if (!S_ISREG(status.st_mode))
    return false;
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    missing = errno == ENOENT;
    return false;
  }
  bool ok = ::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) &&
            static_cast<uint64_t>(status.st_size) <= kMaxEntry;
  if (ok) {
    contents.resize(static_cast<size_t>(status.st_size));
    size_t done = 0;
    while (ok && done < contents.size()) {
      ssize_t got = ::read(fd, contents.data() + done, contents.size() - done);
      if (got < 0 && errno == EINTR)
        continue;
      ok = got > 0;
      done += ok ? static_cast<size_t>(got) : 0;
    }
  }
  ::close(fd);
  return ok;
}

bool writeAll(int fd, const std::string &data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t wrote = ::write(fd, data.data() + done, data.size() - done);
    if (wrote < 0 && errno == EINTR)
      continue;
    if (wrote <= 0)
      return false;
    done += static_cast<size_t>(wrote);
  }
  return true;
}

/// Letters, digits, '_' and '.' kept; anything else (`<locals>`) becomes '_'.
std::string fileNamePart(std::string_view text) {
  std::string part;
  for (char c : text) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '.';
    part.push_back(plain ? c : '_');
  }
  return part;
}

} // namespace

std::string cacheEntryPath(const std::string &directory, const std::string &sourceFile,
                           const std::string &qualname, const CacheKey &key) {
  std::string stem = std::filesystem::path(sourceFile).stem().string();
  return (std::filesystem::path(directory) /
          (fileNamePart(stem) + "." + fileNamePart(qualname) + "." + key.hex + ".nogil"))
      .string();
}

CacheRead readCacheEntry(const std::string &path, const CacheKey &key, CacheEntry &entry) {
  std::string contents;
  bool missing = false;
  if (!readWholeFile(path, contents, missing))
    return missing ? CacheRead::Missing : CacheRead::Rejected;
  std::string_view in(contents);
  char magic[8];
  uint32_t format = 0, reserved = 0;
  std::array<uint8_t, 32> digest{};
  uint64_t payloadSize = 0, checksum = 0;
  if (!take(in, magic) || std::memcmp(magic, kMagic, 8) != 0 || !take(in, format) ||
      format != kFormat || !take(in, reserved) || reserved != 0 || !take(in, digest) ||
      digest != key.digest || !take(in, payloadSize) || !take(in, checksum) ||
      payloadSize != in.size() ||
      llvm::xxh3_64bits(llvm::StringRef(in.data(), in.size())) != checksum)
    return CacheRead::Rejected;
  std::string_view returnType, symbol;
  uint32_t flags = 0;
  if (!take(in, flags) || flags > 1 || !takeText(in, returnType) || !takeText(in, symbol) ||
      in.empty())
    return CacheRead::Rejected;
  entry.allocates = flags & 1;
  entry.returnType = decodeType(returnType);
  if (!entry.returnType || !returnType.empty())
    return CacheRead::Rejected;
  entry.symbol = std::string(symbol);
  entry.object = llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(in.data(), in.size()), path);
  return CacheRead::Loaded;
}

bool writeCacheEntry(const std::string &path, const CacheKey &key, const CacheEntry &entry,
                     std::string &error) {
  std::string payload;
  append(payload, static_cast<uint32_t>(entry.allocates ? 1 : 0));
  std::string type = encodeType(entry.returnType);
  append(payload, static_cast<uint32_t>(type.size()));
  payload += type;
  append(payload, static_cast<uint32_t>(entry.symbol.size()));
  payload += entry.symbol;
  llvm::StringRef object = entry.object->getBuffer();
  payload.append(object.data(), object.size());
  std::string file(kMagic, 8);
  append(file, kFormat);
  append(file, uint32_t{0});
  file.append(reinterpret_cast<const char *>(key.digest.data()), key.digest.size());
  append(file, static_cast<uint64_t>(payload.size()));
  append(file, llvm::xxh3_64bits(llvm::StringRef(payload)));
  file += payload;

  std::error_code created;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), created);
  if (created) {
    error = "cannot create the cache directory: " + created.message();
    return false;
  }
  // Unique among the processes and threads writing beside it.
  static std::atomic<uint64_t> writes{0};
  std::string temporary = path + ".tmp." + std::to_string(::getpid()) + "." +
                          std::to_string(writes.fetch_add(1, std::memory_order_relaxed));
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot write " + temporary + ": " + std::strerror(errno);
    return false;
  }
  bool ok = writeAll(fd, file);
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}

} // namespace nogil::jit
