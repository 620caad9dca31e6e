// Type singletons and unification.
#include "sema/types.h"
#include "sema/datetime.h"
#include "sema/environment.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <tuple>

namespace nogil::sema {

namespace {
const Type kUnknown(TypeKind::Unknown);
const Type kNone(TypeKind::None);
const Type kBool(TypeKind::Bool);
const Type kInt64(TypeKind::Int64);
const Type kFloat64(TypeKind::Float64);
const Type kInt8(TypeKind::Int8);
const Type kInt16(TypeKind::Int16);
const Type kInt32(TypeKind::Int32);
const Type kUInt8(TypeKind::UInt8);
const Type kUInt16(TypeKind::UInt16);
const Type kUInt32(TypeKind::UInt32);
const Type kUInt64(TypeKind::UInt64);
const Type kFloat32(TypeKind::Float32);
const Type kComplex128(TypeKind::Complex128);
const Type kComplex64(TypeKind::Complex64);

const char *scalarName(TypeKind kind) {
  switch (kind) {
  case TypeKind::Unknown:
    return "<unknown>";
  case TypeKind::None:
    return "None";
  case TypeKind::Bool:
    return "bool";
  case TypeKind::Int64:
    return "int64";
  case TypeKind::Float64:
    return "float64";
  case TypeKind::Tuple:
    return "tuple";
  case TypeKind::Int8:
    return "int8";
  case TypeKind::Int16:
    return "int16";
  case TypeKind::Int32:
    return "int32";
  case TypeKind::UInt8:
    return "uint8";
  case TypeKind::UInt16:
    return "uint16";
  case TypeKind::UInt32:
    return "uint32";
  case TypeKind::UInt64:
    return "uint64";
  case TypeKind::Float32:
    return "float32";
  case TypeKind::Complex128:
    return "complex128";
  case TypeKind::Complex64:
    return "complex64";
  case TypeKind::Array:
    return "array";
  case TypeKind::Datetime:
    return "datetime64";
  case TypeKind::Timedelta:
    return "timedelta64";
  case TypeKind::Record:
    return "record";
  case TypeKind::StringLiteral:
    return "Literal[str]";
  case TypeKind::DType:
    return "dtype";
  case TypeKind::Optional:
    return "Optional";
  case TypeKind::Function:
    return "function";
  case TypeKind::BuiltinFunction:
    return "builtin_function";
  }
  return "?";
}

/// The promotion of two different numeric types, as NumPy's result_type.
const Type *promoteNumeric(const Type *a, const Type *b) {
  if (a->kind() == TypeKind::Bool)
    return b;
  if (b->kind() == TypeKind::Bool)
    return a;
  if (a->isFloat() && b->isFloat())
    return a->bitWidth() >= b->bitWidth() ? a : b;
  if (a->isFloat() || b->isFloat()) {
    const Type *floating = a->isFloat() ? a : b;
    const Type *integer = a->isFloat() ? b : a;
    // float32 holds every int8, int16, uint8 and uint16 exactly; wider ints need float64.
    return floating->bitWidth() == 32 && integer->bitWidth() <= 16 ? floating : float64Type();
  }
  if (a->isSigned() == b->isSigned())
    return a->bitWidth() >= b->bitWidth() ? a : b;
  const Type *signedOne = a->isSigned() ? a : b;
  const Type *unsignedOne = a->isSigned() ? b : a;
  if (signedOne->bitWidth() > unsignedOne->bitWidth())
    return signedOne;
  if (unsignedOne->bitWidth() < 64)
    return integerType(unsignedOne->bitWidth() * 2, true);
  return float64Type(); // int64 and uint64 have no common integer type
}

} // namespace

Type::Type(TypeKind kind) : kind_(kind), name_(scalarName(kind)) {}

Type::Type(std::vector<const Type *> elements)
    : kind_(TypeKind::Tuple), elements_(std::move(elements)), name_("tuple[") {
  for (size_t i = 0; i < elements_.size(); ++i)
    name_ += std::string(i ? ", " : "") + elements_[i]->name();
  name_ += "]";
}

Type::Type(const Type *dtype, unsigned ndim, Layout layout, bool readonly)
    : kind_(TypeKind::Array), dtype_(dtype), ndim_(ndim), layout_(layout), readonly_(readonly) {
  static const char *layouts[] = {"C", "F", "A"};
  name_ = std::string(readonly ? "readonly " : "") + "array(" + dtype->name() + ", " +
          std::to_string(ndim) + "d, " + layouts[static_cast<int>(layout)] + ")";
}

Type::Type(TypeKind kind, DatetimeUnit unit) : kind_(kind), unit_(unit), name_(scalarName(kind)) {
  if (unit != DatetimeUnit::Generic)
    name_ += std::string("[") + unitName(unit) + "]";
}

namespace {

constexpr const char *kUnitNames[] = {"Y",  "M",  "W",  nullptr, "D",  "h",  "m", "s",
                                      "ms", "us", "ns", "ps",    "fs", "as", ""};
constexpr size_t kUnits = std::size(kUnitNames);

template <TypeKind kind> const Type *timeType(DatetimeUnit unit) {
  static const auto *types = [] {
    auto *all = new std::vector<Type>();
    all->reserve(kUnits);
    for (size_t i = 0; i < kUnits; ++i)
      all->emplace_back(kind, static_cast<DatetimeUnit>(i));
    return all;
  }();
  return &(*types)[static_cast<size_t>(unit)];
}

} // namespace

const Type *datetimeType(DatetimeUnit unit) { return timeType<TypeKind::Datetime>(unit); }
const Type *timedeltaType(DatetimeUnit unit) { return timeType<TypeKind::Timedelta>(unit); }

const char *unitName(DatetimeUnit unit) {
  const char *name = kUnitNames[static_cast<size_t>(unit)];
  return name ? name : "?";
}

bool unitFromName(const char *name, DatetimeUnit &unit) {
  for (size_t i = 0; i < kUnits; ++i)
    if (kUnitNames[i] && std::string_view(kUnitNames[i]) == name) {
      unit = static_cast<DatetimeUnit>(i);
      return true;
    }
  return false;
}

Type::Type(std::vector<RecordField> fields, uint64_t itemsize, bool aligned, bool readonly)
    : kind_(TypeKind::Record), readonly_(readonly), fields_(std::move(fields)), itemsize_(itemsize),
      aligned_(aligned) {
  // Numba's spelling: Record(f[type=float64;offset=0],g[type=int32;offset=8];16;False)
  name_ = std::string(readonly ? "readonly " : "") + "Record(";
  for (size_t i = 0; i < fields_.size(); ++i) {
    const RecordField &field = fields_[i];
    name_ += std::string(i ? "," : "") + field.name + "[type=" + field.type->name();
    if (!field.shape.empty()) {
      name_ += "(";
      for (size_t d = 0; d < field.shape.size(); ++d)
        name_ += (d ? ", " : "") + std::to_string(field.shape[d]);
      name_ += field.shape.size() == 1 ? ",)" : ")";
    }
    name_ += ";offset=" + std::to_string(field.offset) + "]";
  }
  name_ += ";" + std::to_string(itemsize) + ";" + (aligned ? "True" : "False") + ")";
}

const RecordField *Type::field(std::string_view name) const {
  for (const RecordField &candidate : fields_)
    if (candidate.name == name)
      return &candidate;
  return nullptr;
}

const Type *recordType(const std::vector<RecordField> &fields, uint64_t itemsize, bool aligned,
                       bool readonly) {
  // The name says everything that tells two record types apart.
  Type candidate(fields, itemsize, aligned, readonly);
  static std::mutex mutex;
  static auto *interned = new std::map<std::string, std::unique_ptr<Type>>();
  std::lock_guard lock(mutex);
  auto &slot = (*interned)[candidate.name()];
  if (!slot)
    slot = std::make_unique<Type>(std::move(candidate));
  return slot.get();
}

const Type *recordWithAccess(const Type *record, bool readonly) {
  if (record->readonly() == readonly)
    return record;
  return recordType(record->fields(), record->itemsize(), record->aligned(), readonly);
}

namespace {

/// Python's repr() of a str, from its UTF-8 bytes: quotes chosen as Python chooses them,
/// backslashes, that quote and control characters escaped.
std::string pythonRepr(const std::string &text) {
  bool single = text.find('\'') == std::string::npos || text.find('"') != std::string::npos;
  char quote = single ? '\'' : '"';
  std::string out(1, quote);
  static const char *hex = "0123456789abcdef";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == quote)
      out += {'\\', c};
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (byte < 0x20 || byte == 0x7f)
      out += {'\\', 'x', hex[byte >> 4], hex[byte & 15]};
    else
      out += c;
  }
  return out + quote;
}

} // namespace

Type::Type(std::string literal)
    : kind_(TypeKind::StringLiteral), literal_(std::move(literal)),
      name_("Literal[str](" + pythonRepr(literal_) + ")") {}

Type::Type(TypeKind kind, const Type *dtype)
    : kind_(kind), dtype_(dtype),
      name_(std::string(kind == TypeKind::DType ? "dtype(" : "Optional(") + dtype->name() + ")") {}

Type::Type(const FunctionUnit *function)
    : kind_(TypeKind::Function), function_(function),
      name_("function(" + function->qualname + ")") {}

Type::Type(unsigned builtinCode, const char *builtinName)
    : kind_(TypeKind::BuiltinFunction), builtinCode_(builtinCode),
      name_(std::string("builtin(") + builtinName + ")") {}

const Type *functionValueType(const FunctionUnit *function) {
  // Guards `interned`: compiles on different threads may meet the same function at once.
  static std::mutex mutex;
  static auto *interned = new std::map<const FunctionUnit *, std::unique_ptr<Type>>();
  std::lock_guard lock(mutex);
  auto &slot = (*interned)[function];
  if (!slot)
    slot = std::make_unique<Type>(function);
  return slot.get();
}

const Type *builtinValueType(unsigned builtinCode, const char *builtinName) {
  static std::mutex mutex;
  static auto *interned = new std::map<unsigned, std::unique_ptr<Type>>();
  std::lock_guard lock(mutex);
  auto &slot = (*interned)[builtinCode];
  if (!slot)
    slot = std::make_unique<Type>(builtinCode, builtinName);
  return slot.get();
}

bool Type::holdsCompileTimeValue() const {
  if (isCompileTimeValue())
    return true;
  for (const Type *element : elements_)
    if (element->holdsCompileTimeValue())
      return true;
  return false;
}

const Type *stringLiteralType(const std::string &text) {
  // Guards `interned`: compiles on different threads may meet the same literal at once.
  static std::mutex mutex;
  static auto *interned = new std::map<std::string, std::unique_ptr<Type>>();
  std::lock_guard lock(mutex);
  auto &slot = (*interned)[text];
  if (!slot)
    slot = std::make_unique<Type>(text);
  return slot.get();
}

const Type *dtypeValueType(const Type *dtype) {
  static std::mutex mutex; // guards `interned`, as above
  static auto *interned = new std::map<const Type *, std::unique_ptr<Type>>();
  std::lock_guard lock(mutex);
  auto &slot = (*interned)[dtype];
  if (!slot)
    slot = std::make_unique<Type>(TypeKind::DType, dtype);
  return slot.get();
}

const Type *optionalType(const Type *value) {
  static std::mutex mutex; // guards `interned`, as above
  static auto *interned = new std::map<const Type *, std::unique_ptr<Type>>();
  std::lock_guard lock(mutex);
  auto &slot = (*interned)[value];
  if (!slot)
    slot = std::make_unique<Type>(TypeKind::Optional, value);
  return slot.get();
}

const Type *dtypeFromString(const std::string &text) {
  std::string_view name = text;
  // The native byte order ('<' on the machines compiled code runs on), or none ('|').
  if (!name.empty() && (name[0] == '<' || name[0] == '=' || name[0] == '|'))
    name.remove_prefix(1);
  static const std::map<std::string_view, TypeKind, std::less<>> names = {
      {"bool", TypeKind::Bool},
      {"bool_", TypeKind::Bool},
      {"?", TypeKind::Bool},
      {"b1", TypeKind::Bool},
      {"int8", TypeKind::Int8},
      {"i1", TypeKind::Int8},
      {"b", TypeKind::Int8},
      {"byte", TypeKind::Int8},
      {"int16", TypeKind::Int16},
      {"i2", TypeKind::Int16},
      {"h", TypeKind::Int16},
      {"short", TypeKind::Int16},
      {"int32", TypeKind::Int32},
      {"i4", TypeKind::Int32},
      {"i", TypeKind::Int32},
      {"intc", TypeKind::Int32},
      {"int64", TypeKind::Int64},
      {"i8", TypeKind::Int64},
      {"l", TypeKind::Int64},
      {"q", TypeKind::Int64},
      {"int", TypeKind::Int64},
      {"int_", TypeKind::Int64},
      {"intp", TypeKind::Int64},
      {"long", TypeKind::Int64},
      {"longlong", TypeKind::Int64},
      {"p", TypeKind::Int64},
      {"uint8", TypeKind::UInt8},
      {"u1", TypeKind::UInt8},
      {"B", TypeKind::UInt8},
      {"ubyte", TypeKind::UInt8},
      {"uint16", TypeKind::UInt16},
      {"u2", TypeKind::UInt16},
      {"H", TypeKind::UInt16},
      {"ushort", TypeKind::UInt16},
      {"uint32", TypeKind::UInt32},
      {"u4", TypeKind::UInt32},
      {"I", TypeKind::UInt32},
      {"uintc", TypeKind::UInt32},
      {"uint64", TypeKind::UInt64},
      {"u8", TypeKind::UInt64},
      {"L", TypeKind::UInt64},
      {"Q", TypeKind::UInt64},
      {"uint", TypeKind::UInt64},
      {"uintp", TypeKind::UInt64},
      {"ulong", TypeKind::UInt64},
      {"ulonglong", TypeKind::UInt64},
      {"P", TypeKind::UInt64},
      {"float32", TypeKind::Float32},
      {"f4", TypeKind::Float32},
      {"f", TypeKind::Float32},
      {"single", TypeKind::Float32},
      {"float64", TypeKind::Float64},
      {"f8", TypeKind::Float64},
      {"d", TypeKind::Float64},
      {"double", TypeKind::Float64},
      {"float", TypeKind::Float64},
      {"complex128", TypeKind::Complex128},
      {"c16", TypeKind::Complex128},
      {"D", TypeKind::Complex128},
      {"cdouble", TypeKind::Complex128},
      {"complex", TypeKind::Complex128},
  };
  auto found = names.find(name);
  return found == names.end() ? nullptr : typeOf(found->second);
}

namespace {

const Type *internArrayType(const Type *dtype, unsigned ndim, Layout layout, bool readonly) {
  // Guards `interned`: argument classification and compiles on any thread build them.
  static std::mutex mutex;
  using Key = std::tuple<const Type *, unsigned, Layout, bool>;
  static auto *interned = new std::map<Key, std::unique_ptr<Type>>();
  std::lock_guard lock(mutex);
  auto &slot = (*interned)[Key(dtype, ndim, layout, readonly)];
  if (!slot)
    slot = std::make_unique<Type>(dtype, ndim, layout, readonly);
  return slot.get();
}

} // namespace

const Type *arrayType(const Type *dtype, unsigned ndim, Layout layout, bool readonly) {
  // Every call with an array argument classifies it, so the usual types are found without
  // the interning lock: a table of the types already interned, each slot written once
  // (release) after interning and read without a lock (acquire).
  constexpr unsigned kTableDims = 8;
  constexpr size_t kKinds = static_cast<size_t>(TypeKind::Array) + 1;
  static std::atomic<const Type *> table[kKinds][kTableDims + 1][3][2];
  if (dtype->kind() > TypeKind::Array || dtype->isTuple() || dtype->isArray() || ndim > kTableDims)
    return internArrayType(dtype, ndim, layout, readonly);
  auto &slot =
      table[static_cast<size_t>(dtype->kind())][ndim][static_cast<size_t>(layout)][readonly];
  if (const Type *known = slot.load(std::memory_order_acquire))
    return known;
  const Type *interned = internArrayType(dtype, ndim, layout, readonly);
  slot.store(interned, std::memory_order_release);
  return interned;
}

const Type *tupleType(const std::vector<const Type *> &elements) {
  // Guards `interned`: compiles on different threads may build tuple types at once.
  static std::mutex mutex;
  static auto *interned = new std::map<std::vector<const Type *>, std::unique_ptr<Type>>();
  std::lock_guard lock(mutex);
  auto &slot = (*interned)[elements];
  if (!slot)
    slot = std::make_unique<Type>(elements);
  return slot.get();
}

unsigned Type::bitWidth() const {
  switch (kind_) {
  case TypeKind::Bool:
    return 1;
  case TypeKind::Int8:
  case TypeKind::UInt8:
    return 8;
  case TypeKind::Int16:
  case TypeKind::UInt16:
    return 16;
  case TypeKind::Int32:
  case TypeKind::UInt32:
  case TypeKind::Float32:
    return 32;
  case TypeKind::Int64:
  case TypeKind::UInt64:
  case TypeKind::Float64:
  case TypeKind::Datetime:
  case TypeKind::Timedelta:
  case TypeKind::Complex64:
    return 64;
  case TypeKind::Complex128:
    return 128;
  case TypeKind::Unknown:
  case TypeKind::None:
  case TypeKind::Tuple:
  case TypeKind::Array:
  case TypeKind::StringLiteral:
  case TypeKind::DType:
  case TypeKind::Optional:
  case TypeKind::Function:
  case TypeKind::BuiltinFunction:
    break;
  case TypeKind::Record:
    return static_cast<unsigned>(itemsize_ * 8);
  }
  return 0;
}

const Type *integerType(unsigned bits, bool isSigned) {
  switch (bits) {
  case 8:
    return isSigned ? &kInt8 : &kUInt8;
  case 16:
    return isSigned ? &kInt16 : &kUInt16;
  case 32:
    return isSigned ? &kInt32 : &kUInt32;
  default:
    return isSigned ? &kInt64 : &kUInt64;
  }
}

const Type *unknownType() { return &kUnknown; }
const Type *noneType() { return &kNone; }
const Type *boolType() { return &kBool; }
const Type *int64Type() { return &kInt64; }
const Type *float64Type() { return &kFloat64; }
const Type *complex128Type() { return &kComplex128; }
const Type *complex64Type() { return &kComplex64; }

const Type *complexPartType(const Type *complex) {
  return complex->kind() == TypeKind::Complex64 ? &kFloat32 : &kFloat64;
}

const Type *complexTypeOf(const Type *part) {
  return part->kind() == TypeKind::Float32 ? &kComplex64 : &kComplex128;
}

const Type *typeOf(TypeKind kind) {
  switch (kind) {
  case TypeKind::Unknown:
    return &kUnknown;
  case TypeKind::None:
    return &kNone;
  case TypeKind::Bool:
    return &kBool;
  case TypeKind::Int64:
    return &kInt64;
  case TypeKind::Float64:
    return &kFloat64;
  case TypeKind::Int8:
    return &kInt8;
  case TypeKind::Int16:
    return &kInt16;
  case TypeKind::Int32:
    return &kInt32;
  case TypeKind::UInt8:
    return &kUInt8;
  case TypeKind::UInt16:
    return &kUInt16;
  case TypeKind::UInt32:
    return &kUInt32;
  case TypeKind::UInt64:
    return &kUInt64;
  case TypeKind::Float32:
    return &kFloat32;
  case TypeKind::Complex128:
    return &kComplex128;
  case TypeKind::Complex64:
    return &kComplex64;
  case TypeKind::Tuple:
  case TypeKind::Array:
  case TypeKind::Datetime:
  case TypeKind::Timedelta:
  case TypeKind::Record:
  case TypeKind::StringLiteral:
  case TypeKind::DType:
  case TypeKind::Optional:
  case TypeKind::Function:
  case TypeKind::BuiltinFunction:
    break;
  }
  return &kUnknown;
}

size_t leafCount(const Type *type) {
  if (type->isNone() || type->isUnknown() || type->isCompileTimeValue())
    return 0;
  if (type->isArray()) // data, shape, strides, base
    return 2 + 2 * type->ndim();
  if (type->isOptional()) // whether present, then the value's
    return 1 + leafCount(type->dtype());
  if (type->isComplex()) // the real part, then the imaginary part
    return 2;
  if (!type->isTuple())
    return 1;
  size_t count = 0;
  for (const Type *element : type->elements())
    count += leafCount(element);
  return count;
}

const Type *unify(const Type *a, const Type *b) {
  if (a == b || b->isUnknown())
    return a;
  if (a->isUnknown())
    return b;
  if (a->isNone() || b->isNone() || a->isOptional() || b->isOptional()) {
    auto valueOf = [](const Type *t) { return t->isOptional() ? t->dtype() : t; };
    if (a->isNone() || b->isNone()) {
      const Type *value = valueOf(a->isNone() ? b : a);
      if (value->isNone() || value->isCompileTimeValue())
        return nullptr;
      return optionalType(value);
    }
    const Type *value = unify(valueOf(a), valueOf(b));
    return value ? optionalType(value) : nullptr;
  }
  if (a->isNumeric() && b->isNumeric())
    return promoteNumeric(a, b);
  if (a->isTimeType() && b->kind() == a->kind())
    return commonTimeType(a, b);
  // Every real number converts to complex, as in Python and NumPy: to complex64 when both
  // fit in float32 parts (complex64, float32, bool and integers of up to 16 bits).
  if ((a->isComplex() && (b->isNumeric() || b->isComplex())) ||
      (b->isComplex() && a->isNumeric())) {
    auto part = [](const Type *t) { return t->isComplex() ? complexPartType(t) : t; };
    const Type *parts = unify(part(a), part(b));
    return parts && parts->kind() == TypeKind::Float32 ? complex64Type() : complex128Type();
  }
  if (a->isArray() && b->isArray() && a->dtype() == b->dtype() && a->ndim() == b->ndim())
    return arrayType(a->dtype(), a->ndim(), a->layout() == b->layout() ? a->layout() : Layout::Any,
                     a->readonly() || b->readonly());
  if (a->isTuple() && b->isTuple() && a->elements().size() == b->elements().size()) {
    std::vector<const Type *> elements;
    for (size_t i = 0; i < a->elements().size(); ++i) {
      const Type *element = unify(a->elements()[i], b->elements()[i]);
      if (!element)
        return nullptr;
      elements.push_back(element);
    }
    return tupleType(elements);
  }
  return nullptr;
}

std::string signatureText(const std::string &name, const std::vector<std::string> &params,
                          const std::vector<const Type *> &args) {
  std::string text = name + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i)
      text += ", ";
    if (i < params.size())
      text += params[i] + ": ";
    text += args[i]->name();
  }
  return text + ")";
}

} // namespace nogil::sema
