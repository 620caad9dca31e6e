// Index checks proven before an innermost range loop, as LLVM's IRCE would (it is not in
// the O3 pipeline, and our checks wrap negative indices first, which it cannot read):
//
//   for i in range(n):            holds = every a[i + c] of the body stays in [-len(a), len(a))
//       if m[i]: a[i] = 0.0   ->  if holds: the loop, those indices unchecked (still wrapped)
//                                 else:     the loop as written, every index checked
//
// An index qualifies when it is `v`, `v + c`, `c + v` or `v - c` (c an int literal), v the
// loop's target or an int local the body does not assign, into a local array the body does
// not assign: then its values over the whole loop are known before it starts. The checks
// left in a loop stop LLVM's vectorizer (a loop with an exit to the raise cannot run several
// iterations at once), which cost a conditional store 30x Numba's time; the unchecked twin
// runs only when no index of the loop can fail, so IndexError is raised exactly as before.
#include "codegen/lower_impl.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <tuple>

namespace nogil::codegen {

using namespace ast;
using sema::Type;
using sema::TypeKind;

namespace {

/// Literals beyond this are left to the checks: the bounds below then cannot overflow.
constexpr int64_t kLargestOffset = int64_t{1} << 31;

/// Walks every statement of `stmts` (nested ones too): `visitExpr` gets each expression,
/// `bind` each name a statement assigns, by its NameExpr or, for `except E as name`, its text.
void walkStatements(const StmtList &stmts, const std::function<void(const Expr *)> &visitExpr,
                    const std::function<void(const NameExpr *)> &bind,
                    const std::function<void(const std::string &)> &bindName) {
  std::function<void(const Expr *)> bindTarget = [&](const Expr *target) {
    if (auto *name = dynCast<NameExpr>(target))
      bind(name);
    else if (auto *tuple = dynCast<TupleExpr>(target))
      for (const Expr *element : tuple->elements)
        bindTarget(element);
  };
  for (const Stmt *stmt : stmts) {
    switch (stmt->kind) {
    case StmtKind::Return:
      forEachExpr(cast<ReturnStmt>(stmt)->value, visitExpr);
      break;
    case StmtKind::Assign: {
      auto *assign = cast<AssignStmt>(stmt);
      for (const Expr *target : assign->targets) {
        bindTarget(target);
        forEachExpr(target, visitExpr);
      }
      forEachExpr(assign->value, visitExpr);
      break;
    }
    case StmtKind::AugAssign: {
      auto *assign = cast<AugAssignStmt>(stmt);
      bindTarget(assign->target);
      forEachExpr(assign->target, visitExpr);
      forEachExpr(assign->value, visitExpr);
      break;
    }
    case StmtKind::If: {
      auto *branch = cast<IfStmt>(stmt);
      forEachExpr(branch->condition, visitExpr);
      walkStatements(branch->body, visitExpr, bind, bindName);
      walkStatements(branch->orElse, visitExpr, bind, bindName);
      break;
    }
    case StmtKind::While: {
      auto *loop = cast<WhileStmt>(stmt);
      forEachExpr(loop->condition, visitExpr);
      walkStatements(loop->body, visitExpr, bind, bindName);
      walkStatements(loop->orElse, visitExpr, bind, bindName);
      break;
    }
    case StmtKind::For: {
      auto *loop = cast<ForStmt>(stmt);
      bindTarget(loop->target);
      forEachExpr(loop->iterable, visitExpr);
      walkStatements(loop->body, visitExpr, bind, bindName);
      walkStatements(loop->orElse, visitExpr, bind, bindName);
      break;
    }
    case StmtKind::ExprStmt:
      forEachExpr(cast<ExprStmt>(stmt)->value, visitExpr);
      break;
    case StmtKind::Raise:
      forEachExpr(cast<RaiseStmt>(stmt)->exception, visitExpr);
      break;
    case StmtKind::Assert:
      forEachExpr(cast<AssertStmt>(stmt)->test, visitExpr);
      forEachExpr(cast<AssertStmt>(stmt)->message, visitExpr);
      break;
    case StmtKind::Try: {
      auto *attempt = cast<TryStmt>(stmt);
      walkStatements(attempt->body, visitExpr, bind, bindName);
      for (const ExceptHandler &handler : attempt->handlers) {
        forEachExpr(handler.type, visitExpr);
        if (!handler.name.empty())
          bindName(handler.name);
        walkStatements(handler.body, visitExpr, bind, bindName);
      }
      walkStatements(attempt->orElse, visitExpr, bind, bindName);
      walkStatements(attempt->finalBody, visitExpr, bind, bindName);
      break;
    }
    default:
      break;
    }
  }
}

/// An index `variable + offset`; `variable` is -1 for a constant index.
struct LinearIndex {
  int32_t variable;
  int64_t offset;
};

} // namespace

llvm::Value *
FunctionLowering::provableRangeChecks(const ForStmt *loop, const RangeBounds &range,
                                      std::set<std::pair<uint32_t, unsigned>> &proven) {
  auto &b = builder_;
  auto *target = dynCast<NameExpr>(loop->target);
  if (!unit_.boundsCheck || !target)
    return nullptr;
  int32_t targetSlot = typed_.localOf(target);
  if (targetSlot < 0 || typed_.localTypes[targetSlot] != sema::int64Type())
    return nullptr;

  std::vector<bool> assigned(typed_.localTypes.size());
  std::vector<const SubscriptExpr *> subscripts;
  walkStatements(
      loop->body,
      [&](const Expr *expr) {
        if (auto *subscript = dynCast<SubscriptExpr>(expr))
          subscripts.push_back(subscript);
      },
      [&](const NameExpr *name) {
        if (int32_t slot = typed_.localOf(name); slot >= 0)
          assigned[slot] = true;
      },
      [&](const std::string &name) {
        auto named = std::find(typed_.localNames.begin(), typed_.localNames.end(), name);
        if (named != typed_.localNames.end())
          assigned[named - typed_.localNames.begin()] = true;
      });
  if (assigned[targetSlot])
    return nullptr;

  // The int local (the target, or one the body leaves alone), or none, that an index reads.
  auto variableOf = [&](const Expr *expr) -> std::optional<int32_t> {
    auto *name = dynCast<NameExpr>(expr);
    if (!name)
      return std::nullopt;
    int32_t slot = typed_.localOf(name);
    if (slot < 0 || assigned[slot] || typed_.localTypes[slot] != sema::int64Type())
      return std::nullopt;
    return slot;
  };
  // A literal within kLargestOffset either way (so that negating it cannot overflow).
  auto literalOf = [](const Expr *expr) -> std::optional<int64_t> {
    bool negated = false;
    if (auto *unary = dynCast<UnaryExpr>(expr); unary && unary->op == UnaryOp::Neg) {
      expr = unary->operand;
      negated = true;
    }
    auto *literal = dynCast<IntLiteralExpr>(expr);
    if (!literal || literal->value > kLargestOffset || literal->value < -kLargestOffset)
      return std::nullopt;
    return negated ? -literal->value : literal->value;
  };
  auto linear = [&](const Expr *index) -> std::optional<LinearIndex> {
    const Type *type = typed_.typeOf(index);
    if (!type || type->kind() != TypeKind::Int64)
      return std::nullopt;
    std::optional<LinearIndex> found;
    if (auto literal = literalOf(index)) {
      found = LinearIndex{-1, *literal};
    } else if (auto variable = variableOf(index)) {
      found = LinearIndex{*variable, 0};
    } else if (auto *binary = dynCast<BinaryExpr>(index)) {
      bool add = binary->op == BinaryOp::Add;
      if (!add && binary->op != BinaryOp::Sub)
        return std::nullopt;
      std::optional<int32_t> variable = variableOf(binary->lhs);
      std::optional<int64_t> literal = literalOf(binary->rhs);
      if (variable && literal)
        found = LinearIndex{*variable, add ? *literal : -*literal};
      else if (add && (variable = variableOf(binary->rhs)) && (literal = literalOf(binary->lhs)))
        found = LinearIndex{*variable, *literal};
    }
    return found;
  };

  // (array slot, axis, variable) -> the smallest and largest offset added to it.
  std::map<std::tuple<int32_t, unsigned, int32_t>, std::pair<int64_t, int64_t>> bounds;
  for (const SubscriptExpr *subscript : subscripts) {
    auto *arrayName = dynCast<NameExpr>(subscript->value);
    if (!arrayName || !typed_.typeOf(subscript) || typed_.calls.count(subscript->id))
      continue;
    int32_t arraySlot = typed_.localOf(arrayName);
    if (arraySlot < 0 || assigned[arraySlot] || !typed_.localTypes[arraySlot]->isArray())
      continue;
    std::vector<const Expr *> indices;
    if (auto *tuple = dynCast<TupleExpr>(subscript->index))
      indices.assign(tuple->elements.begin(), tuple->elements.end());
    else
      indices.push_back(subscript->index);
    unsigned ndim = typed_.localTypes[arraySlot]->ndim();
    for (unsigned axis = 0; axis < indices.size() && axis < ndim; ++axis) {
      const Expr *index = indices[axis];
      if (isa<SliceExpr>(index))
        continue;
      const Type *type = typed_.typeOf(index);
      if (!type || type->isNone() || isa<EllipsisLiteralExpr>(index))
        break; // a new axis or `...`: the axes after it are not counted here
      std::optional<LinearIndex> form = linear(index);
      if (!form)
        continue;
      auto [entry, fresh] = bounds.try_emplace({arraySlot, axis, form->variable},
                                               std::pair{form->offset, form->offset});
      if (!fresh) {
        entry->second.first = std::min(entry->second.first, form->offset);
        entry->second.second = std::max(entry->second.second, form->offset);
      }
      proven.insert({subscript->id, axis});
    }
  }
  if (proven.empty())
    return nullptr;

  // The target's smallest and largest values: start and the last one, start + (count - 1) *
  // step, which lies in the range and so in int64 when count > 0.
  llvm::Value *last =
      b.CreateAdd(range.start, b.CreateMul(b.CreateSub(range.count, b.getInt64(1)), range.step));
  llvm::Value *upward = b.CreateICmpSGT(range.step, b.getInt64(0));
  llvm::Value *lowest = b.CreateSelect(upward, range.start, last);
  llvm::Value *highest = b.CreateSelect(upward, last, range.start);
  // Locals read before the loop may be unassigned yet: their flags guard their values, by
  // selects (a logical and), since an unassigned value is poison.
  llvm::Value *holds = b.getTrue();
  auto valueOf = [&](int32_t slot) {
    if (bound_[slot])
      holds = b.CreateLogicalAnd(holds, b.CreateLoad(b.getInt1Ty(), bound_[slot]));
    return loadLocal(slot);
  };
  for (const auto &[key, offsets] : bounds) {
    auto [arraySlot, axis, variable] = key;
    llvm::Value *length = b.CreateExtractValue(valueOf(arraySlot), {1u, axis});
    llvm::Value *low = b.getInt64(0);
    llvm::Value *high = b.getInt64(0);
    if (variable == targetSlot) {
      low = lowest;
      high = highest;
    } else if (variable >= 0) {
      low = high = valueOf(variable);
    }
    // -length <= low + first and high + second < length, each side without overflow: a
    // length is far below 2**62 and the offsets are within 2**31.
    llvm::Value *fits = b.CreateAnd(
        b.CreateICmpSGE(low, b.CreateSub(b.CreateNeg(length), b.getInt64(offsets.first))),
        b.CreateICmpSLT(high, b.CreateSub(length, b.getInt64(offsets.second))));
    holds = b.CreateLogicalAnd(holds, fits);
  }
  // No iteration, nothing to check (`last` is then meaningless).
  return b.CreateLogicalOr(b.CreateICmpEQ(range.count, b.getInt64(0)), holds);
}

} // namespace nogil::codegen
