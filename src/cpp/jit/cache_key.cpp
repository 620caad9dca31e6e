// The cache key: a canonical serialisation of everything a compile depends on, hashed.
#include "jit/cache_key.h"

#include "codegen/lower.h"

#include <llvm/Support/BLAKE3.h>

#include <algorithm>
#include <cstring>
#include <map>

namespace nogil::jit {

namespace {

/// Writes each input with its length or a tag first, so distinct inputs never serialise
/// to the same bytes.
class KeyWriter {
public:
  explicit KeyWriter(CacheKey &key) : key_(key) {}

  void text(std::string_view value) {
    number(value.size());
    bytes_.append(value);
  }
  void number(uint64_t value) { bytes_.append(reinterpret_cast<const char *>(&value), 8); }
  void tag(char value) { bytes_.push_back(value); }

  void unit(const sema::FunctionUnit &unit) {
    auto [position, added] = units_.emplace(&unit, units_.size());
    if (!added) { // recursion or a callee met twice: its position, not its contents again
      tag('r');
      number(position->second);
      return;
    }
    tag('u');
    text(unit.qualname);
    text(unit.source->filename());
    number(unit.source->firstLine());
    text(unit.source->text());
    number(unit.numpyErrorModel | unit.boundsCheck << 1 | unit.parallel << 2);
    number(unit.fastMath);
    number(static_cast<uint64_t>(unit.inlining));
    std::vector<std::pair<std::string, std::string>> declared;
    for (const auto &[name, type] : unit.declaredLocals)
      declared.emplace_back(name, type->name());
    std::sort(declared.begin(), declared.end());
    number(declared.size());
    for (const auto &[name, type] : declared) {
      text(name);
      text(type);
    }
    number(static_cast<uint64_t>(unit.optimize));
    number(unit.defaults.size());
    for (const sema::GlobalValue &value : unit.defaults)
      global(value);
    // The environment is a hash map: sort its names for an order every process agrees on.
    std::vector<const std::pair<const std::string, sema::GlobalValue> *> names;
    for (const auto &entry : unit.environment)
      names.push_back(&entry);
    std::sort(names.begin(), names.end(), [](auto *a, auto *b) { return a->first < b->first; });
    number(names.size());
    for (const auto *entry : names) {
      text(entry->first);
      global(entry->second);
    }
  }

  void global(const sema::GlobalValue &value) {
    using Kind = sema::GlobalValue::Kind;
    number(static_cast<uint64_t>(value.kind));
    switch (value.kind) {
    case Kind::Int:
    case Kind::Bool:
      number(static_cast<uint64_t>(value.intValue));
      break;
    case Kind::Float: {
      uint64_t bits;
      std::memcpy(&bits, &value.floatValue, 8);
      number(bits);
      break;
    }
    case Kind::Function:
      unit(*value.function);
      break;
    case Kind::Range:
      number(value.parallelRange);
      break;
    case Kind::Builtin:
      number(static_cast<uint64_t>(value.builtin));
      break;
    case Kind::Module:
      text(value.moduleName);
      break;
    case Kind::ExceptionClass:
      text(value.className);
      if (std::find(key_.exceptionClasses.begin(), key_.exceptionClasses.end(),
                    value.exceptionClass) == key_.exceptionClasses.end())
        key_.exceptionClasses.push_back(value.exceptionClass);
      break;
    case Kind::Constant:
      text(value.constantType->name());
      number(value.constantSlots.size());
      for (uint64_t slot : value.constantSlots)
        number(slot);
      text(value.arrayBytes);
      break;
    case Kind::None:
      break;
    case Kind::Overload: // the implementation is chosen when typing: key on their sources
      text(value.typeName);
      text(value.overloadKey);
      break;
    case Kind::Unsupported:
      text(value.typeName);
      break;
    }
  }

  /// The units of the function values in `type` (a tuple's included), in order.
  void functionValues(const sema::Type *type) {
    if (type->isFunctionValue())
      unit(*type->function());
    for (const sema::Type *element : type->elements())
      functionValues(element);
  }

  const std::string &bytes() const { return bytes_; }

private:
  CacheKey &key_;
  std::string bytes_;
  std::map<const sema::FunctionUnit *, uint64_t> units_;
};

} // namespace

std::string CacheKey::classSymbol(size_t k) const {
  return codegen::kCachedSymbolPrefix.str() + hex + ".class." + std::to_string(k);
}

std::unordered_map<uintptr_t, std::string> CacheKey::classSymbols() const {
  std::unordered_map<uintptr_t, std::string> symbols;
  for (size_t k = 0; k < exceptionClasses.size(); ++k)
    symbols.emplace(exceptionClasses[k], classSymbol(k));
  return symbols;
}

CacheKey cacheKey(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args,
                  std::string_view buildIdentity) {
  CacheKey key;
  KeyWriter writer(key);
  writer.text("nogil cache key 1");
  writer.text(buildIdentity);
  writer.number(args.size());
  for (const sema::Type *arg : args)
    writer.text(encodeType(arg));
  writer.unit(unit);
  // A function passed as an argument is named by its qualname only in encodeType: key on
  // its source and environment too, so that code specialized for one function never loads
  // for another.
  for (const sema::Type *arg : args)
    writer.functionValues(arg);
  llvm::BLAKE3 hasher;
  hasher.update(llvm::StringRef(writer.bytes()));
  key.digest = hasher.final();
  static const char hexDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < 16; ++i) {
    key.hex.push_back(hexDigits[key.digest[i] >> 4]);
    key.hex.push_back(hexDigits[key.digest[i] & 15]);
  }
  return key;
}

std::string encodeType(const sema::Type *type) {
  std::string text(1, static_cast<char>('A' + static_cast<int>(type->kind())));
  if (type->isTuple()) {
    text += std::to_string(type->elements().size()) + ":";
    for (const sema::Type *element : type->elements())
      text += encodeType(element);
  } else if (type->isArray()) {
    text += std::to_string(type->ndim()) + ":" +
            static_cast<char>('0' + static_cast<int>(type->layout())) +
            (type->readonly() ? 'r' : 'w') + encodeType(type->dtype());
  } else if (type->isTimeType()) { // the unit, as a letter: datetime64[D] is not [ns]
    text += static_cast<char>('a' + static_cast<int>(type->unit()));
  } else if (type->isRecord() || type->isStringLiteral()) {
    // A record's name spells its fields, offsets, size and alignment; a literal's, its text.
    // Keys only: decodeType() refuses them, so a cached result of these types is a miss.
    std::string name = type->name();
    text += std::to_string(name.size()) + ":" + name;
  } else if (type->isDTypeValue() || type->isOptional()) {
    text += encodeType(type->dtype());
  } else if (type->isCallableValue()) {
    // A builtin by its number; a function by its qualname, and its unit keys the entry
    // apart (cacheKey). Keys only, as records: decodeType() refuses them.
    std::string name = type->isBuiltinValue() ? std::to_string(type->builtinCode()) : type->name();
    text += std::to_string(name.size()) + ":" + name;
  }
  return text;
}

namespace {

bool readCount(std::string_view &text, size_t &count) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 4)
    return false;
  count = 0;
  for (char c : text.substr(0, colon)) {
    if (c < '0' || c > '9')
      return false;
    count = count * 10 + static_cast<size_t>(c - '0');
  }
  text.remove_prefix(colon + 1);
  return true;
}

} // namespace

const sema::Type *decodeType(std::string_view &text) {
  if (text.empty())
    return nullptr;
  int kindIndex = text.front() - 'A';
  text.remove_prefix(1);
  if (kindIndex == static_cast<int>(sema::TypeKind::Optional)) { // None or a value
    const sema::Type *value = decodeType(text);
    if (!value || value->isNone() || value->isOptional())
      return nullptr;
    return sema::optionalType(value);
  }
  if (kindIndex < 0 || kindIndex > static_cast<int>(sema::TypeKind::Timedelta))
    return nullptr;
  auto kind = static_cast<sema::TypeKind>(kindIndex);
  if (kind == sema::TypeKind::Datetime || kind == sema::TypeKind::Timedelta) {
    int unit = text.empty() ? -1 : text.front() - 'a';
    if (unit < 0 || unit > static_cast<int>(sema::DatetimeUnit::Generic) || unit == 3)
      return nullptr;
    text.remove_prefix(1);
    auto datetimeUnit = static_cast<sema::DatetimeUnit>(unit);
    return kind == sema::TypeKind::Datetime ? sema::datetimeType(datetimeUnit)
                                            : sema::timedeltaType(datetimeUnit);
  }
  if (kind == sema::TypeKind::Tuple) {
    size_t count = 0;
    if (!readCount(text, count))
      return nullptr;
    std::vector<const sema::Type *> elements;
    for (size_t i = 0; i < count; ++i) {
      const sema::Type *element = decodeType(text);
      if (!element)
        return nullptr;
      elements.push_back(element);
    }
    return sema::tupleType(elements);
  }
  if (kind == sema::TypeKind::Array) {
    size_t ndim = 0;
    if (!readCount(text, ndim) || text.size() < 2 || ndim == 0 || ndim > 32)
      return nullptr;
    int layout = text[0] - '0';
    bool readonly = text[1] == 'r';
    if (layout < 0 || layout > static_cast<int>(sema::Layout::Any) ||
        (text[1] != 'r' && text[1] != 'w'))
      return nullptr;
    text.remove_prefix(2);
    const sema::Type *dtype = decodeType(text);
    if (!dtype || dtype->isTuple() || dtype->isArray())
      return nullptr;
    return sema::arrayType(dtype, static_cast<unsigned>(ndim), static_cast<sema::Layout>(layout),
                           readonly);
  }
  return sema::typeOf(kind);
}

} // namespace nogil::jit
