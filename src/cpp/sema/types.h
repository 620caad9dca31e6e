// The types of compiled values. Types are interned singletons compared by pointer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nogil::sema {

enum class TypeKind : uint8_t {
  Unknown, ///< not inferred yet (a recursive call's result while its function is typed)
  None,    ///< the value of a function without a return value
  Bool,
  Int64,
  Float64,
  Tuple, ///< a fixed-size, possibly heterogeneous tuple: its elements() say of what
};

class Type {
public:
  explicit Type(TypeKind kind);
  /// A tuple type; use tupleType(), which interns it.
  explicit Type(std::vector<const Type *> elements);
  TypeKind kind() const { return kind_; }
  /// The name users read in messages and signatures: "int64", "float64", "bool", "None",
  /// "tuple[int64, float64]".
  const char *name() const { return name_.c_str(); }
  /// A tuple's element types; empty for every other type.
  const std::vector<const Type *> &elements() const { return elements_; }
  bool isTuple() const { return kind_ == TypeKind::Tuple; }

  bool isUnknown() const { return kind_ == TypeKind::Unknown; }
  bool isNone() const { return kind_ == TypeKind::None; }
  /// bool, int64 or float64: the types arithmetic takes.
  bool isNumeric() const;
  /// bool or int64: the types integer arithmetic takes.
  bool isIntegral() const { return kind_ == TypeKind::Bool || kind_ == TypeKind::Int64; }
  bool isFloat() const { return kind_ == TypeKind::Float64; }

private:
  TypeKind kind_;
  std::vector<const Type *> elements_;
  std::string name_;
};

const Type *unknownType();
const Type *noneType();
const Type *boolType();
const Type *int64Type();
const Type *float64Type();
/// The scalar type of a kind (not Tuple).
const Type *typeOf(TypeKind kind);
/// The one tuple type with these elements (interned, thread-safe, never freed).
const Type *tupleType(const std::vector<const Type *> &elements);

/// How many 8-byte slots a value of `type` takes in the entry ABI: one per scalar, a tuple's
/// elements flattened in order, none for None.
size_t leafCount(const Type *type);

/// The type both a and b convert to without loss of meaning (bool < int64 < float64, as in
/// Numba), a itself when equal, the other when one is Unknown; null when there is none.
const Type *unify(const Type *a, const Type *b);

/// "(x: int64, y: float64)"-style rendering of an argument list for messages.
std::string signatureText(const std::string &name, const std::vector<std::string> &params,
                          const std::vector<const Type *> &args);

} // namespace nogil::sema
