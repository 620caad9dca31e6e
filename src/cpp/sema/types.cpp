// Type singletons and unification.
#include "sema/types.h"

#include <map>
#include <memory>
#include <mutex>

namespace nogil::sema {

namespace {
const Type kUnknown(TypeKind::Unknown);
const Type kNone(TypeKind::None);
const Type kBool(TypeKind::Bool);
const Type kInt64(TypeKind::Int64);
const Type kFloat64(TypeKind::Float64);

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
  }
  return "?";
}

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
  case TypeKind::Tuple:
    return 0;
  }
  return 0;
}
} // namespace

Type::Type(TypeKind kind) : kind_(kind), name_(scalarName(kind)) {}

Type::Type(std::vector<const Type *> elements)
    : kind_(TypeKind::Tuple), elements_(std::move(elements)), name_("tuple[") {
  for (size_t i = 0; i < elements_.size(); ++i)
    name_ += std::string(i ? ", " : "") + elements_[i]->name();
  name_ += "]";
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
  case TypeKind::Tuple:
    break;
  }
  return &kUnknown;
}

size_t leafCount(const Type *type) {
  if (type->isNone() || type->isUnknown())
    return 0;
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
  if (a->isNumeric() && b->isNumeric())
    return numericRank(a) >= numericRank(b) ? a : b;
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
