// Type singletons and unification.
#include "sema/types.h"

namespace nogil::sema {

namespace {
constexpr Type kUnknown(TypeKind::Unknown);
constexpr Type kNone(TypeKind::None);
constexpr Type kBool(TypeKind::Bool);
constexpr Type kInt64(TypeKind::Int64);
constexpr Type kFloat64(TypeKind::Float64);

int numericRank(const Type *t) {
  switch (t->kind()) {
  case TypeKind::Bool:
    return 1;
  case TypeKind::Int64:
    return 2;
  case TypeKind::Float64:
    return 3;
  case TypeKind::Unknown:
  case TypeKind::None:
    return 0;
  }
  return 0;
}
} // namespace

const char *Type::name() const {
  switch (kind_) {
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
  }
  return "?";
}

bool Type::isNumeric() const { return numericRank(this) > 0; }

const Type *unknownType() { return &kUnknown; }
const Type *noneType() { return &kNone; }
const Type *boolType() { return &kBool; }
const Type *int64Type() { return &kInt64; }
const Type *float64Type() { return &kFloat64; }

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
  }
  return &kUnknown;
}

const Type *unify(const Type *a, const Type *b) {
  if (a == b || b->isUnknown())
    return a;
  if (a->isUnknown())
    return b;
  if (a->isNumeric() && b->isNumeric())
    return numericRank(a) >= numericRank(b) ? a : b;
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
