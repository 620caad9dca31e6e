// The types of compiled values. Types are interned singletons compared by pointer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nogil::sema {

enum class TypeKind : uint8_t {
  Unknown, ///< not inferred yet (a recursive call's result while its function is typed)
  None,    ///< the value of a function without a return value
  Bool,
  Int64,
  Float64,
  Tuple, ///< a fixed-size, possibly heterogeneous tuple: its elements() say of what
  // NumPy's scalar types, from np.int32(x) and friends; Python's int and float are Int64
  // and Float64.
  Int8,
  Int16,
  Int32,
  UInt8,
  UInt16,
  UInt32,
  UInt64,
  Float32,
  Complex128, ///< Python's complex and NumPy's complex128: two float64
  Complex64,  ///< NumPy's complex64: two float32
  Array,      ///< a buffer's view: element type, ndim, layout and writability; see arrayType()
  // NumPy's datetime64[unit] and timedelta64[unit]: an int64 count of units, INT64_MIN is NaT.
  // The unit is part of the type (see datetimeType()).
  Datetime,
  Timedelta,
  Record, ///< an element of a structured dtype, by reference (its address); see recordType()
  // Values known when compiling, which hold nothing at run time (as None): each value is a
  // type of its own, so code that branches on one compiles only the branch taken.
  StringLiteral, ///< a string constant ('mergesort'): literal() is its text
  DType,         ///< a NumPy scalar type or dtype as a value (np.float32, a.dtype): dtype()
  /// None or a value of dtype() (`v = None` then `v = 3`, `return None` on one path):
  /// {present, value}, the value zero when None; see optionalType().
  Optional,
  /// A compiled function as a value (`f`, `mod.f`, a Dispatcher argument): function() is
  /// its unit, so a call through it is a direct call of that function.
  Function,
  /// A builtin as a value (`abs`, `math.sin`): builtinCode() is its sema::Builtin.
  BuiltinFunction,
};

/// NumPy's datetime units, numbered as NumPy's NPY_DATETIMEUNIT (3, business days, is gone).
enum class DatetimeUnit : uint8_t {
  Year = 0,
  Month = 1,
  Week = 2,
  Day = 4,
  Hour = 5,
  Minute = 6,
  Second = 7,
  Millisecond = 8,
  Microsecond = 9,
  Nanosecond = 10,
  Picosecond = 11,
  Femtosecond = 12,
  Attosecond = 13,
  Generic = 14, ///< no unit yet: np.timedelta64(3), np.datetime64("NaT")
};

/// How an array's elements are laid out: C-contiguous and Fortran-contiguous arrays index
/// without reading strides, so loops over them vectorize.
enum class Layout : uint8_t { C, F, Any };

class Type;
struct FunctionUnit;

/// A field of a record: its name, scalar type (a number, or a nested record), byte offset
/// and, for a sub-array field (`('v', np.float64, (2, 3))`), its shape (C order).
struct RecordField {
  std::string name;
  const Type *type;
  uint64_t offset;
  std::vector<uint64_t> shape;
};

class Type {
public:
  explicit Type(TypeKind kind);
  /// A tuple type; use tupleType(), which interns it.
  explicit Type(std::vector<const Type *> elements);
  /// An array type; use arrayType(), which interns it.
  Type(const Type *dtype, unsigned ndim, Layout layout, bool readonly);
  /// A datetime64 or timedelta64 type; use datetimeType() / timedeltaType().
  Type(TypeKind kind, DatetimeUnit unit);
  /// A record type; use recordType(), which interns it.
  Type(std::vector<RecordField> fields, uint64_t itemsize, bool aligned, bool readonly);
  /// A string literal's type; use stringLiteralType(), which interns it.
  explicit Type(std::string literal);
  /// A dtype value's type (DType) or an optional value's (Optional); use dtypeValueType() or
  /// optionalType(), which intern them.
  Type(TypeKind kind, const Type *dtype);
  /// A function value's type; use functionValueType(), which interns it.
  explicit Type(const FunctionUnit *function);
  /// A builtin value's type; use builtinValueType(), which interns it.
  Type(unsigned builtinCode, const char *builtinName);
  TypeKind kind() const { return kind_; }
  /// The name users read in messages and signatures: "int64", "float64", "bool", "None",
  /// "tuple[int64, float64]".
  const char *name() const { return name_.c_str(); }
  /// A tuple's element types; empty for every other type.
  const std::vector<const Type *> &elements() const { return elements_; }
  bool isTuple() const { return kind_ == TypeKind::Tuple; }
  bool isArray() const { return kind_ == TypeKind::Array; }
  bool isRecord() const { return kind_ == TypeKind::Record; }
  /// A record's fields in their dtype's order, size in bytes and whether NumPy aligned them
  /// (`align=True`, a C struct).
  const std::vector<RecordField> &fields() const { return fields_; }
  uint64_t itemsize() const { return itemsize_; }
  bool aligned() const { return aligned_; }
  /// The field of this name, or null.
  const RecordField *field(std::string_view name) const;
  /// A string literal's text.
  const std::string &literal() const { return literal_; }
  bool isStringLiteral() const { return kind_ == TypeKind::StringLiteral; }
  /// A dtype value (np.float32, np.dtype('f8'), a.dtype): dtype() is the scalar type.
  bool isDTypeValue() const { return kind_ == TypeKind::DType; }
  /// A value known when compiling that holds nothing at run time: a string literal or a
  /// dtype (None, also empty, is tested apart: it has rules of its own).
  bool isCompileTimeValue() const {
    return isStringLiteral() || isDTypeValue() || isFunctionValue() || isBuiltinValue();
  }
  /// A compiled function as a value: function() is its unit.
  bool isFunctionValue() const { return kind_ == TypeKind::Function; }
  const FunctionUnit *function() const { return function_; }
  /// A builtin as a value: builtinCode() is its sema::Builtin.
  bool isBuiltinValue() const { return kind_ == TypeKind::BuiltinFunction; }
  unsigned builtinCode() const { return builtinCode_; }
  /// A function or builtin as a value: something a call goes through.
  bool isCallableValue() const { return isFunctionValue() || isBuiltinValue(); }
  /// Whether this type, or an element of it, is a compile-time value (which may not cross
  /// into Python nor be stored).
  bool holdsCompileTimeValue() const;
  /// An array's (or a dtype value's) element type, dimensions, layout and whether stores are
  /// refused.
  const Type *dtype() const { return dtype_; }
  unsigned ndim() const { return ndim_; }
  Layout layout() const { return layout_; }
  bool readonly() const { return readonly_; }

  /// None or a value of type dtype().
  bool isOptional() const { return kind_ == TypeKind::Optional; }
  bool isUnknown() const { return kind_ == TypeKind::Unknown; }
  bool isNone() const { return kind_ == TypeKind::None; }
  /// bool, an integer or a float: the types arithmetic takes.
  bool isNumeric() const { return isIntegral() || isFloat(); }
  /// bool or an integer: the types integer arithmetic takes.
  bool isIntegral() const { return kind_ == TypeKind::Bool || isInteger(); }
  /// A signed or unsigned integer (not bool).
  bool isInteger() const { return isSigned() || isUnsigned(); }
  bool isSigned() const {
    return kind_ == TypeKind::Int8 || kind_ == TypeKind::Int16 || kind_ == TypeKind::Int32 ||
           kind_ == TypeKind::Int64;
  }
  bool isUnsigned() const {
    return kind_ == TypeKind::UInt8 || kind_ == TypeKind::UInt16 || kind_ == TypeKind::UInt32 ||
           kind_ == TypeKind::UInt64;
  }
  /// float32 or float64.
  bool isFloat() const { return kind_ == TypeKind::Float32 || kind_ == TypeKind::Float64; }
  /// complex64 or complex128.
  bool isComplex() const { return kind_ == TypeKind::Complex128 || kind_ == TypeKind::Complex64; }
  bool isDatetime() const { return kind_ == TypeKind::Datetime; }
  bool isTimedelta() const { return kind_ == TypeKind::Timedelta; }
  /// datetime64 or timedelta64 of any unit.
  bool isTimeType() const { return isDatetime() || isTimedelta(); }
  /// The unit of a datetime64 or timedelta64 type.
  DatetimeUnit unit() const { return unit_; }
  /// Bits of a numeric type: 1 for bool; a record's itemsize in bits.
  unsigned bitWidth() const;

private:
  TypeKind kind_;
  std::vector<const Type *> elements_;
  const Type *dtype_ = nullptr;
  unsigned ndim_ = 0;
  Layout layout_ = Layout::Any;
  bool readonly_ = false;
  DatetimeUnit unit_ = DatetimeUnit::Generic;
  std::vector<RecordField> fields_;
  uint64_t itemsize_ = 0;
  bool aligned_ = false;
  std::string literal_;
  const FunctionUnit *function_ = nullptr;
  unsigned builtinCode_ = 0;
  std::string name_;
};

const Type *unknownType();
const Type *noneType();
const Type *boolType();
const Type *int64Type();
const Type *float64Type();
const Type *complex128Type();
const Type *complex64Type();
/// The type of a complex type's real and imaginary parts: float32 for complex64, float64 for
/// complex128.
const Type *complexPartType(const Type *complex);
/// The complex type whose parts are `part` (float32 or float64).
const Type *complexTypeOf(const Type *part);
/// The integer type of this width and signedness (8, 16, 32 or 64 bits).
const Type *integerType(unsigned bits, bool isSigned);
/// numpy.datetime64[unit] and numpy.timedelta64[unit] (singletons).
const Type *datetimeType(DatetimeUnit unit);
const Type *timedeltaType(DatetimeUnit unit);
/// NumPy's spelling of a unit: "D", "ns", "" for generic.
const char *unitName(DatetimeUnit unit);
/// The unit NumPy spells `name` ("Y" ... "as", "" for generic), if any.
bool unitFromName(const char *name, DatetimeUnit &unit);
/// The scalar type of a kind (not Tuple, Array, Datetime or Timedelta).
const Type *typeOf(TypeKind kind);
/// The one tuple type with these elements (interned, thread-safe, never freed).
const Type *tupleType(const std::vector<const Type *> &elements);
/// The one array type with these properties (interned, thread-safe, never freed).
const Type *arrayType(const Type *dtype, unsigned ndim, Layout layout, bool readonly);

/// The one record type with these fields, size, alignment and writability (interned).
const Type *recordType(const std::vector<RecordField> &fields, uint64_t itemsize, bool aligned,
                       bool readonly);
/// `record` with the given writability.
const Type *recordWithAccess(const Type *record, bool readonly);
/// The one type of the string constant `text`: named `Literal[str]('text')`, the text as
/// Python's repr() spells it (interned, thread-safe, never freed).
const Type *stringLiteralType(const std::string &text);
/// The one type of the dtype value of scalar type `dtype`: named `dtype(float32)`.
const Type *dtypeValueType(const Type *dtype);
/// The one type of "None or a value of `value`" (a number, array, tuple or record; not None,
/// another optional or a compile-time value).
const Type *optionalType(const Type *value);
/// The one type of compiled function `function` as a value: named `function(qualname)`
/// (interned by unit, thread-safe, never freed).
const Type *functionValueType(const FunctionUnit *function);
/// The one type of builtin `builtinCode` (a sema::Builtin) as a value: named
/// `builtin(name)`.
const Type *builtinValueType(unsigned builtinCode, const char *builtinName);

/// The scalar type NumPy's dtype string `text` names ('float32', 'f8', '<i4', 'int', '?',
/// 'complex128'...), or null when it names none compiled code has.
const Type *dtypeFromString(const std::string &text);

/// How many 8-byte slots a value of `type` takes in the entry ABI: one per scalar, a tuple's
/// elements flattened in order, an array's data pointer, shape, strides and base, none for
/// None and compile-time values.
size_t leafCount(const Type *type);

/// The type both a and b convert to, by NumPy's promotion rules (bool < integers < floats; a
/// signed and an unsigned integer give a signed one wide enough, int64 and uint64 give
/// float64; a small integer and float32 give float32), a itself when equal, the other when
/// one is Unknown; tuples element by element; datetime64 or timedelta64 of two units the
/// finer unit both convert to (sema/datetime.h); None and a value (or an optional of it) the
/// optional of that value (`v = None` then `v = 3`); null when there is none.
const Type *unify(const Type *a, const Type *b);

/// "(x: int64, y: float64)"-style rendering of an argument list for messages.
std::string signatureText(const std::string &name, const std::vector<std::string> &params,
                          const std::vector<const Type *> &args);

} // namespace nogil::sema
