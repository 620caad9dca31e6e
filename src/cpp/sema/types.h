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
};

class Type {
public:
  explicit constexpr Type(TypeKind kind) : kind_(kind) {}
  TypeKind kind() const { return kind_; }
  /// The name users read in messages and signatures: "int64", "float64", "bool", "None".
  const char *name() const;

  bool isUnknown() const { return kind_ == TypeKind::Unknown; }
  bool isNone() const { return kind_ == TypeKind::None; }
  /// bool, int64 or float64: the types arithmetic takes.
  bool isNumeric() const;
  /// bool or int64: the types integer arithmetic takes.
  bool isIntegral() const { return kind_ == TypeKind::Bool || kind_ == TypeKind::Int64; }
  bool isFloat() const { return kind_ == TypeKind::Float64; }

private:
  TypeKind kind_;
};

const Type *unknownType();
const Type *noneType();
const Type *boolType();
const Type *int64Type();
const Type *float64Type();
const Type *typeOf(TypeKind kind);

/// The type both a and b convert to without loss of meaning (bool < int64 < float64, as in
/// Numba), a itself when equal, the other when one is Unknown; null when there is none.
const Type *unify(const Type *a, const Type *b);

/// "(x: int64, y: float64)"-style rendering of an argument list for messages.
std::string signatureText(const std::string &name, const std::vector<std::string> &params,
                          const std::vector<const Type *> &args);

} // namespace nogil::sema
