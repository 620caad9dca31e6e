// The on-disk cache's key and entry files, without a JIT: what the key depends on, and
// that an entry reads back only when it is whole and for its own key.
#include "jit/cache_file.h"
#include "jit/cache_key.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

using namespace nogil;
using namespace nogil::jit;
using sema::GlobalValue;

namespace {

std::unique_ptr<sema::FunctionUnit> makeUnit(const std::string &name, const std::string &source,
                                             uint64_t id = 1) {
  auto unit = std::make_unique<sema::FunctionUnit>();
  unit->id = id;
  unit->qualname = name;
  unit->source = std::make_unique<ast::SourceFile>("/src/m.py", source, 3);
  return unit;
}

GlobalValue intGlobal(int64_t value) {
  GlobalValue global;
  global.kind = GlobalValue::Kind::Int;
  global.intValue = value;
  return global;
}

GlobalValue floatGlobal(double value) {
  GlobalValue global;
  global.kind = GlobalValue::Kind::Float;
  global.floatValue = value;
  return global;
}

GlobalValue functionGlobal(const sema::FunctionUnit *unit) {
  GlobalValue global;
  global.kind = GlobalValue::Kind::Function;
  global.function = unit;
  return global;
}

GlobalValue classGlobal(uintptr_t address, const std::string &name) {
  GlobalValue global;
  global.kind = GlobalValue::Kind::ExceptionClass;
  global.exceptionClass = address;
  global.className = name;
  return global;
}

const std::vector<const sema::Type *> kIntArg{sema::int64Type()};

std::string keyOf(const sema::FunctionUnit &unit,
                  const std::vector<const sema::Type *> &args = kIntArg,
                  const std::string &build = "build 1") {
  return cacheKey(unit, args, build).hex;
}

TEST(CacheKey, EqualInputsGiveEqualKeysWhateverTheUnitIds) {
  auto a = makeUnit("f", "def f(x): return x + K\n", 1);
  auto b = makeUnit("f", "def f(x): return x + K\n", 99);
  a->environment["K"] = intGlobal(3);
  b->environment["K"] = intGlobal(3);
  EXPECT_EQ(keyOf(*a), keyOf(*b));
  EXPECT_EQ(keyOf(*a).size(), 32u);
}

TEST(CacheKey, EveryInputChangesTheKey) {
  auto base = makeUnit("f", "def f(x): return x + K\n");
  base->environment["K"] = intGlobal(3);
  std::string key = keyOf(*base);

  auto source = makeUnit("f", "def f(x): return x - K\n");
  source->environment["K"] = intGlobal(3);
  EXPECT_NE(keyOf(*source), key);

  auto global = makeUnit("f", "def f(x): return x + K\n");
  global->environment["K"] = intGlobal(4);
  EXPECT_NE(keyOf(*global), key);

  auto option = makeUnit("f", "def f(x): return x + K\n");
  option->environment["K"] = intGlobal(3);
  option->boundsCheck = false;
  EXPECT_NE(keyOf(*option), key);

  auto moved = makeUnit("f", "def f(x): return x + K\n");
  moved->environment["K"] = intGlobal(3);
  moved->source = std::make_unique<ast::SourceFile>("/src/m.py", "def f(x): return x + K\n", 4);
  EXPECT_NE(keyOf(*moved), key); // tracebacks name the line

  EXPECT_NE(keyOf(*base, {sema::float64Type()}), key);
  EXPECT_NE(keyOf(*base, kIntArg, "build 2"), key);
}

TEST(CacheKey, FloatGlobalsAreKeyedByTheirBits) {
  auto zero = makeUnit("f", "def f(x): return x * Z\n");
  auto negativeZero = makeUnit("f", "def f(x): return x * Z\n");
  zero->environment["Z"] = floatGlobal(0.0);
  negativeZero->environment["Z"] = floatGlobal(-0.0);
  EXPECT_NE(keyOf(*zero), keyOf(*negativeZero));
}

TEST(CacheKey, CalleesAreKeyedTransitivelyAndRecursionEnds) {
  auto leaf = makeUnit("leaf", "def leaf(x): return x\n", 3);
  auto middle = makeUnit("middle", "def middle(x): return leaf(x)\n", 2);
  auto root = makeUnit("root", "def root(x): return middle(x) + root(x - 1)\n", 1);
  middle->environment["leaf"] = functionGlobal(leaf.get());
  root->environment["middle"] = functionGlobal(middle.get());
  root->environment["root"] = functionGlobal(root.get());
  std::string key = keyOf(*root);

  auto changedLeaf = makeUnit("leaf", "def leaf(x): return x + 1\n", 4);
  middle->environment["leaf"] = functionGlobal(changedLeaf.get());
  EXPECT_NE(keyOf(*root), key);
  middle->environment["leaf"] = functionGlobal(leaf.get());
  EXPECT_EQ(keyOf(*root), key);
}

TEST(CacheKey, ExceptionClassesAreKeyedByNameAndListedInOrder) {
  auto unit = makeUnit("f", "def f(x): raise E\n");
  unit->environment["E"] = classGlobal(0x1000, "builtins.ValueError");
  unit->environment["F"] = classGlobal(0x2000, "m.Custom");
  CacheKey key = cacheKey(*unit, kIntArg, "build");
  ASSERT_EQ(key.exceptionClasses.size(), 2u);
  EXPECT_EQ(key.exceptionClasses[0], 0x1000u); // names sorted: E before F
  EXPECT_EQ(key.classSymbols().at(0x2000), key.classSymbol(1));

  // Another process has the same classes at other addresses: same key.
  auto elsewhere = makeUnit("f", "def f(x): raise E\n");
  elsewhere->environment["E"] = classGlobal(0x5000, "builtins.ValueError");
  elsewhere->environment["F"] = classGlobal(0x6000, "m.Custom");
  EXPECT_EQ(cacheKey(*elsewhere, kIntArg, "build").hex, key.hex);

  unit->environment["E"] = classGlobal(0x1000, "builtins.KeyError");
  EXPECT_NE(cacheKey(*unit, kIntArg, "build").hex, key.hex);
}

TEST(TypeCodec, EveryTypeReadsBack) {
  using sema::Layout;
  std::vector<const sema::Type *> types{
      sema::int64Type(),
      sema::float64Type(),
      sema::boolType(),
      sema::noneType(),
      sema::complex128Type(),
      sema::complex64Type(),
      sema::datetimeType(sema::DatetimeUnit::Day),
      sema::timedeltaType(sema::DatetimeUnit::Generic),
      sema::integerType(8, false),
      sema::typeOf(sema::TypeKind::Float32),
      sema::tupleType({sema::int64Type(), sema::tupleType({sema::float64Type()})}),
      sema::tupleType({}),
      sema::arrayType(sema::float64Type(), 1, Layout::C, false),
      sema::arrayType(sema::integerType(16, true), 3, Layout::F, true),
      sema::arrayType(sema::boolType(), 2, Layout::Any, false),
      sema::tupleType({sema::arrayType(sema::float64Type(), 12, Layout::Any, true)}),
  };
  for (const sema::Type *type : types) {
    std::string text = encodeType(type);
    std::string_view rest = text;
    EXPECT_EQ(decodeType(rest), type) << type->name();
    EXPECT_TRUE(rest.empty()) << type->name();
  }
}

TEST(TypeCodec, KeyTextTellsRecordsDtypesAndStringsApart) {
  auto field = [](const char *name, const sema::Type *type, uint64_t offset) {
    sema::RecordField f;
    f.name = name;
    f.type = type;
    f.offset = offset;
    return f;
  };
  const sema::Type *types[] = {
      sema::recordType({field("f", sema::float64Type(), 0)}, 8, false, false),
      sema::recordType({field("g", sema::float64Type(), 0)}, 8, false, false),
      sema::recordType({field("f", sema::int64Type(), 0)}, 8, false, false),
      sema::recordType({field("f", sema::float64Type(), 8)}, 16, false, false),
      sema::dtypeValueType(sema::float64Type()),
      sema::dtypeValueType(sema::typeOf(sema::TypeKind::Float32)),
      sema::stringLiteralType("left"),
      sema::stringLiteralType("right"),
  };
  std::set<std::string> texts;
  for (const sema::Type *type : types)
    EXPECT_TRUE(texts.insert(encodeType(type)).second) << type->name();
}

TEST(TypeCodec, MalformedTextIsRefused) {
  // An array is its kind's letter, then ndim, ':', layout digit, 'r' or 'w', and its dtype.
  const std::string array(1, static_cast<char>('A' + static_cast<int>(sema::TypeKind::Array)));
  const std::string int64(1, static_cast<char>('A' + static_cast<int>(sema::TypeKind::Int64)));
  for (std::string text : {std::string(), std::string("Z"), std::string("F"), std::string("F2:"),
                           std::string("F1:"), array + "1:9w" + int64, array + "0:0w" + int64,
                           array + "1:0x" + int64, array + "1:0w" + array + "1:0w" + int64}) {
    std::string_view rest = text;
    EXPECT_EQ(decodeType(rest), nullptr) << text;
  }
}

class CacheFile : public ::testing::Test {
protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() / ("nogil-cache-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(directory_);
    unit_ = makeUnit("f", "def f(x): return x\n");
    key_ = cacheKey(*unit_, kIntArg, "build");
    path_ = cacheEntryPath(directory_.string(), "/src/m.py", "f", key_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  CacheEntry entry(const std::string &object) {
    CacheEntry made;
    made.returnType = sema::tupleType({sema::int64Type(), sema::float64Type()});
    made.symbol = "nogil.cached." + key_.hex;
    made.allocates = false;
    made.object = llvm::MemoryBuffer::getMemBufferCopy(object);
    return made;
  }
  std::string contents() {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void overwrite(const std::string &bytes) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  }

  std::filesystem::path directory_;
  std::unique_ptr<sema::FunctionUnit> unit_;
  CacheKey key_;
  std::string path_;
};

TEST_F(CacheFile, AWrittenEntryReadsBack) {
  CacheEntry read;
  EXPECT_EQ(readCacheEntry(path_, key_, read), CacheRead::Missing);
  std::string error;
  ASSERT_TRUE(writeCacheEntry(path_, key_, entry("object bytes"), error)) << error;
  ASSERT_EQ(readCacheEntry(path_, key_, read), CacheRead::Loaded);
  EXPECT_EQ(read.returnType, entry("").returnType);
  EXPECT_EQ(read.symbol, "nogil.cached." + key_.hex);
  EXPECT_FALSE(read.allocates);
  EXPECT_EQ(read.object->getBuffer(), "object bytes");
  // Only the entry is left in the directory: the temporary file was renamed.
  size_t files = 0;
  for ([[maybe_unused]] auto &file : std::filesystem::directory_iterator(directory_))
    ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_NE(path_.find(key_.hex), std::string::npos);
}

TEST_F(CacheFile, EveryTruncationAndEveryFlippedByteIsRejected) {
  std::string error;
  ASSERT_TRUE(writeCacheEntry(path_, key_, entry("0123456789abcdef"), error)) << error;
  std::string whole = contents();
  CacheEntry read;
  for (size_t size = 0; size < whole.size(); ++size) {
    overwrite(whole.substr(0, size));
    EXPECT_EQ(readCacheEntry(path_, key_, read), CacheRead::Rejected) << size;
  }
  for (size_t i = 0; i < whole.size(); ++i) {
    std::string flipped = whole;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    overwrite(flipped);
    EXPECT_EQ(readCacheEntry(path_, key_, read), CacheRead::Rejected) << i;
  }
  overwrite(whole + "x");
  EXPECT_EQ(readCacheEntry(path_, key_, read), CacheRead::Rejected);
  overwrite(whole);
  EXPECT_EQ(readCacheEntry(path_, key_, read), CacheRead::Loaded);
}

TEST_F(CacheFile, AnEntryForAnotherKeyIsRejected) {
  std::string error;
  ASSERT_TRUE(writeCacheEntry(path_, key_, entry("object"), error)) << error;
  CacheKey other = cacheKey(*unit_, {sema::float64Type()}, "build");
  CacheEntry read;
  EXPECT_EQ(readCacheEntry(path_, other, read), CacheRead::Rejected);
}

TEST_F(CacheFile, AnUnwritableDirectoryIsReported) {
  std::filesystem::create_directories(directory_);
  std::ofstream(directory_ / "file") << "";
  std::string blocked = cacheEntryPath((directory_ / "file").string(), "/src/m.py", "f", key_);
  std::string error;
  EXPECT_FALSE(writeCacheEntry(blocked, key_, entry("object"), error));
  EXPECT_FALSE(error.empty());
}

TEST(CacheEntryPath, NamesTheSourceAndFunctionReadably) {
  auto unit = makeUnit("outer.<locals>.inner", "def inner(): pass\n");
  CacheKey key = cacheKey(*unit, {}, "build");
  std::string path = cacheEntryPath("/c", "/src/my mod.py", unit->qualname, key);
  EXPECT_EQ(path, "/c/my_mod.outer._locals_.inner." + key.hex + ".nogil");
}

} // namespace
