// Classifies the locals a prange body touches, as Numba's parfor pass does, with the
// difference that anything it cannot prove race-free is an error rather than a guess:
// - the loop variable and locals assigned before they are read in every iteration are
//   private to the iteration;
// - locals only updated by `v op= x` (one operator of + - * | & ^) or `v = min(v, x)` /
//   `v = max(v, x)`, and otherwise untouched by the body, are reductions;
// - locals the body only reads are shared with the function.
// Anything else carries a value from one iteration to another: a race, reported at the read.
#include "sema/parallel_loops.h"
#include "sema/typer_impl.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace nogil::sema {

using namespace ast;

namespace {

/// Calls `visit` for every name that `expr` reads (locals and globals alike).
void forEachName(const Expr *expr, const std::function<void(const NameExpr *)> &visit) {
  forEachExpr(expr, [&](const Expr *e) {
    if (auto *name = dynCast<NameExpr>(e))
      visit(name);
  });
}

/// Calls `visit` for each name an assignment target binds; `read` for the names an element
/// store reads (`a[i] = x` reads a and i).
void forEachTarget(const Expr *target, const std::function<void(const NameExpr *)> &bind,
                   const std::function<void(const NameExpr *)> &read) {
  if (auto *name = dynCast<NameExpr>(target)) {
    bind(name);
  } else if (auto *tuple = dynCast<TupleExpr>(target)) {
    for (const Expr *element : tuple->elements)
      forEachTarget(element, bind, read);
  } else {
    forEachName(target, read);
  }
}

std::optional<ReductionOp> reductionOf(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return ReductionOp::Add;
  case BinaryOp::Sub:
    return ReductionOp::Sub;
  case BinaryOp::Mul:
    return ReductionOp::Mul;
  case BinaryOp::BitOr:
    return ReductionOp::BitOr;
  case BinaryOp::BitAnd:
    return ReductionOp::BitAnd;
  case BinaryOp::BitXor:
    return ReductionOp::BitXor;
  default:
    return std::nullopt;
  }
}

/// Whether control leaves `stmts` before their end (a branch that never falls through).
bool leaves(const StmtList &stmts) {
  if (!stmts.empty() && (isa<ContinueStmt>(stmts.back()) || isa<BreakStmt>(stmts.back())))
    return true;
  return !fallsThrough(stmts);
}

class Analysis {
public:
  Analysis(const FunctionUnit &unit, TypedFunction &typed, std::vector<Diagnostic> *diagnostics)
      : unit_(unit), typed_(typed), diagnostics_(diagnostics) {}

  void run() {
    findLoops(unit_.ast->body, -1);
    for (auto &[loop, info] : typed_.parallelLoops)
      analyse(loop, info);
    checkEscapes();
  }

private:
  int32_t slotOf(const NameExpr *name) const {
    return name->id < typed_.localSlots.size() ? typed_.localOf(name) : -1;
  }

  void report(DiagKind kind, Span span, std::initializer_list<std::string_view> args) {
    if (diagnostics_)
      diagnostics_->push_back(Diagnostic::at(kind, *unit_.source, span, args));
  }

  /// Registers every prange loop, and reports break and return inside them (`depth`: the
  /// ordinary loops between here and the innermost prange; -1 outside every prange).
  void findLoops(const StmtList &stmts, int depth) {
    for (const Stmt *stmt : stmts) {
      switch (stmt->kind) {
      case StmtKind::For: {
        auto *loop = cast<ForStmt>(stmt);
        bool parallel = isParallelRangeLoop(unit_, typed_, loop);
        if (parallel) {
          typed_.parallelLoops[loop];
          if (!loop->orElse.empty())
            report(DiagKind::ParallelConstruct, loop->orElse.front()->span,
                   {"an 'else' clause is"});
        }
        findLoops(loop->body, parallel ? 0 : deeper(depth));
        findLoops(loop->orElse, depth);
        break;
      }
      case StmtKind::While:
        findLoops(cast<WhileStmt>(stmt)->body, deeper(depth));
        findLoops(cast<WhileStmt>(stmt)->orElse, depth);
        break;
      case StmtKind::If:
        findLoops(cast<IfStmt>(stmt)->body, depth);
        findLoops(cast<IfStmt>(stmt)->orElse, depth);
        break;
      case StmtKind::Try: {
        auto *attempt = cast<TryStmt>(stmt);
        findLoops(attempt->body, depth);
        for (const ExceptHandler &handler : attempt->handlers)
          findLoops(handler.body, depth);
        findLoops(attempt->orElse, depth);
        findLoops(attempt->finalBody, depth);
        break;
      }
      case StmtKind::Break:
        if (depth == 0)
          report(DiagKind::ParallelConstruct, stmt->span, {"'break' is"});
        break;
      case StmtKind::Return:
        if (depth >= 0)
          report(DiagKind::ParallelConstruct, stmt->span, {"'return' is"});
        break;
      default:
        break;
      }
    }
  }

  static int deeper(int depth) { return depth < 0 ? depth : depth + 1; }

  /// What one body does with each local.
  struct Uses {
    std::map<int32_t, std::vector<const NameExpr *>> reads; ///< outside reduction updates
    std::set<int32_t> plainWrites;
    std::map<int32_t, std::set<ReductionOp>> reductionWrites;
    std::map<int32_t, Span> reductionSites; ///< the first update of each
  };

  void collect(const StmtList &stmts, Uses &uses) {
    auto read = [&](const NameExpr *name) {
      if (int32_t slot = slotOf(name); slot >= 0)
        uses.reads[slot].push_back(name);
    };
    auto bind = [&](const NameExpr *name) {
      if (int32_t slot = slotOf(name); slot >= 0)
        uses.plainWrites.insert(slot);
    };
    for (const Stmt *stmt : stmts) {
      switch (stmt->kind) {
      case StmtKind::Assign: {
        auto *assign = cast<AssignStmt>(stmt);
        if (auto reduction = minMaxUpdate(assign)) {
          uses.reductionWrites[reduction->first].insert(reduction->second);
          uses.reductionSites.emplace(reduction->first, assign->targets[0]->span);
          forEachName(reduction->other, read);
          break;
        }
        forEachName(assign->value, read);
        for (const Expr *target : assign->targets)
          forEachTarget(target, bind, read);
        break;
      }
      case StmtKind::AugAssign: {
        auto *assign = cast<AugAssignStmt>(stmt);
        auto *name = dynCast<NameExpr>(assign->target);
        int32_t slot = name ? slotOf(name) : -1;
        auto op = reductionOf(assign->op);
        if (slot >= 0 && op && !readsSlot(assign->value, slot)) {
          uses.reductionWrites[slot].insert(*op);
          uses.reductionSites.emplace(slot, name->span);
        } else if (slot >= 0) {
          read(name);
          uses.plainWrites.insert(slot);
        } else {
          forEachName(assign->target, read);
        }
        forEachName(assign->value, read);
        break;
      }
      case StmtKind::For: {
        auto *loop = cast<ForStmt>(stmt);
        forEachName(loop->iterable, read);
        forEachTarget(loop->target, bind, read);
        collect(loop->body, uses);
        collect(loop->orElse, uses);
        break;
      }
      case StmtKind::While:
        forEachName(cast<WhileStmt>(stmt)->condition, read);
        collect(cast<WhileStmt>(stmt)->body, uses);
        collect(cast<WhileStmt>(stmt)->orElse, uses);
        break;
      case StmtKind::If:
        forEachName(cast<IfStmt>(stmt)->condition, read);
        collect(cast<IfStmt>(stmt)->body, uses);
        collect(cast<IfStmt>(stmt)->orElse, uses);
        break;
      case StmtKind::Try: {
        auto *attempt = cast<TryStmt>(stmt);
        collect(attempt->body, uses);
        for (const ExceptHandler &handler : attempt->handlers) {
          forEachName(handler.type, read);
          collect(handler.body, uses);
        }
        collect(attempt->orElse, uses);
        collect(attempt->finalBody, uses);
        break;
      }
      default:
        forEachStmtExpr(stmt, [&](const Expr *expr) { forEachName(expr, read); });
        break;
      }
    }
  }

  /// The expressions of a simple statement (return, raise, assert, an expression).
  static void forEachStmtExpr(const Stmt *stmt, const std::function<void(const Expr *)> &visit) {
    if (auto *ret = dynCast<ReturnStmt>(stmt))
      visit(ret->value);
    else if (auto *raise = dynCast<RaiseStmt>(stmt))
      visit(raise->exception);
    else if (auto *assertion = dynCast<AssertStmt>(stmt)) {
      visit(assertion->test);
      visit(assertion->message);
    } else if (auto *expression = dynCast<ExprStmt>(stmt))
      visit(expression->value);
  }

  bool readsSlot(const Expr *expr, int32_t slot) const {
    bool found = false;
    forEachName(expr, [&](const NameExpr *name) { found = found || slotOf(name) == slot; });
    return found;
  }

  struct MinMaxUpdate {
    int32_t first;
    ReductionOp second;
    const Expr *other;
  };
  /// `v = min(v, x)`, `v = max(x, v)`, ... where x does not read v.
  std::optional<MinMaxUpdate> minMaxUpdate(const AssignStmt *assign) const {
    auto *target = assign->targets.size() == 1 ? dynCast<NameExpr>(assign->targets[0]) : nullptr;
    auto *call = dynCast<CallExpr>(assign->value);
    if (!target || !call || call->args.size() != 2 || !call->keywordValues.empty())
      return std::nullopt;
    auto builtin = typed_.builtinCalls.find(call->id);
    if (builtin == typed_.builtinCalls.end() ||
        (builtin->second != Builtin::Min && builtin->second != Builtin::Max))
      return std::nullopt;
    int32_t slot = slotOf(target);
    for (int side = 0; side < 2; ++side) {
      auto *self = dynCast<NameExpr>(call->args[side]);
      const Expr *other = call->args[1 - side];
      if (slot >= 0 && self && slotOf(self) == slot && !readsSlot(other, slot))
        return MinMaxUpdate{
            slot, builtin->second == Builtin::Min ? ReductionOp::Min : ReductionOp::Max, other};
    }
    return std::nullopt;
  }

  void analyse(const ForStmt *loop, ParallelLoop &info) {
    auto *target = dynCast<NameExpr>(loop->target);
    info.target = target ? slotOf(target) : -1;
    Uses uses;
    collect(loop->body, uses);
    std::set<int32_t> touched;
    for (const auto &[slot, reads] : uses.reads)
      touched.insert(slot);
    for (int32_t slot : uses.plainWrites)
      touched.insert(slot);
    for (const auto &[slot, ops] : uses.reductionWrites)
      touched.insert(slot);
    std::set<int32_t> privates;
    for (int32_t slot : touched) {
      if (slot == info.target)
        continue;
      bool written = uses.plainWrites.count(slot) || uses.reductionWrites.count(slot);
      auto reduction = uses.reductionWrites.find(slot);
      if (!written) {
        info.shared.push_back(slot);
      } else if (reduction != uses.reductionWrites.end() && reduction->second.size() == 1 &&
                 !uses.plainWrites.count(slot) && !uses.reads.count(slot)) {
        const Type *type = typed_.localTypes[slot];
        bool bitwise = *reduction->second.begin() == ReductionOp::BitOr ||
                       *reduction->second.begin() == ReductionOp::BitAnd ||
                       *reduction->second.begin() == ReductionOp::BitXor;
        if (!type->isUnknown() && !(type->isIntegral() || (type->isFloat() && !bitwise)))
          report(DiagKind::ParallelReductionType, uses.reductionSites.at(slot),
                 {typed_.localNames[slot], type->name()});
        info.reductions.emplace_back(slot, *reduction->second.begin());
      } else {
        privates.insert(slot);
        info.privates.push_back(slot);
      }
    }
    // The range's arguments, when they read only what the body leaves alone, are shared
    // too: the body recomputes the range from them, so LLVM sees that the index stays
    // within what bounded it (len(a)) and drops the bounds checks.
    forEachName(loop->iterable, [&](const NameExpr *name) {
      int32_t slot = slotOf(name);
      if (slot >= 0 && !touched.count(slot) && slot != info.target) {
        touched.insert(slot);
        info.shared.push_back(slot);
      }
    });
    // Private values must be assigned before they are read, in every iteration.
    std::set<int32_t> assigned;
    if (info.target >= 0)
      assigned.insert(info.target);
    std::set<int32_t> reported;
    flow(loop->body, assigned, privates, reported);
    for (int32_t slot : privates)
      privateSlots_[slot].push_back(loop);
  }

  /// Walks `stmts` in order with the privates assigned so far, reporting reads before
  /// assignment; leaves in `assigned` what every path through them assigned.
  void flow(const StmtList &stmts, std::set<int32_t> &assigned, const std::set<int32_t> &privates,
            std::set<int32_t> &reported) {
    auto check = [&](const NameExpr *name) {
      int32_t slot = slotOf(name);
      if (!privates.count(slot))
        return;
      // A front-end temporary ('$...', the loops of sum() or max() written before the
      // statement) is assigned in this iteration before any read that executes.
      if (assigned.count(slot) || name->name.starts_with('$')) {
        safeReads_.insert(name->id);
      } else if (reported.insert(slot).second) {
        report(DiagKind::ParallelCarried, name->span, {name->name});
      }
    };
    auto bind = [&](const NameExpr *name) { assigned.insert(slotOf(name)); };
    for (const Stmt *stmt : stmts) {
      switch (stmt->kind) {
      case StmtKind::Assign: {
        auto *assign = cast<AssignStmt>(stmt);
        forEachName(assign->value, check);
        for (const Expr *target : assign->targets)
          forEachTarget(target, bind, check);
        break;
      }
      case StmtKind::AugAssign: {
        auto *assign = cast<AugAssignStmt>(stmt);
        forEachName(assign->target, check);
        forEachName(assign->value, check);
        forEachTarget(assign->target, bind, [](const NameExpr *) {});
        break;
      }
      case StmtKind::If: {
        auto *branch = cast<IfStmt>(stmt);
        forEachName(branch->condition, check);
        std::set<int32_t> body = assigned, orElse = assigned;
        flow(branch->body, body, privates, reported);
        flow(branch->orElse, orElse, privates, reported);
        if (leaves(branch->body))
          assigned = orElse;
        else if (leaves(branch->orElse))
          assigned = body;
        else
          std::set_intersection(body.begin(), body.end(), orElse.begin(), orElse.end(),
                                std::inserter(assigned, assigned.end()));
        break;
      }
      case StmtKind::For: {
        // The body may run zero times: what it assigns counts inside it only.
        auto *loop = cast<ForStmt>(stmt);
        forEachName(loop->iterable, check);
        std::set<int32_t> body = assigned;
        forEachTarget(
            loop->target, [&](const NameExpr *name) { body.insert(slotOf(name)); }, check);
        flow(loop->body, body, privates, reported);
        std::set<int32_t> orElse = assigned;
        flow(loop->orElse, orElse, privates, reported);
        break;
      }
      case StmtKind::While: {
        auto *loop = cast<WhileStmt>(stmt);
        forEachName(loop->condition, check);
        std::set<int32_t> body = assigned, orElse = assigned;
        flow(loop->body, body, privates, reported);
        flow(loop->orElse, orElse, privates, reported);
        break;
      }
      case StmtKind::Try: {
        // Any statement of the body may raise: handlers and finally see only what held
        // before it; the body's assignments count after the try only without handlers.
        auto *attempt = cast<TryStmt>(stmt);
        std::set<int32_t> body = assigned;
        flow(attempt->body, body, privates, reported);
        flow(attempt->orElse, body, privates, reported);
        for (const ExceptHandler &handler : attempt->handlers) {
          std::set<int32_t> caught = assigned;
          flow(handler.body, caught, privates, reported);
        }
        std::set<int32_t> finally = assigned;
        flow(attempt->finalBody, finally, privates, reported);
        if (attempt->handlers.empty())
          assigned = body;
        assigned.insert(finally.begin(), finally.end());
        break;
      }
      default:
        forEachStmtExpr(stmt, [&](const Expr *expr) { forEachName(expr, check); });
        break;
      }
    }
  }

  /// A private local read outside its loop would see whichever iteration ran last, unless
  /// that read is itself in a loop that assigns it first.
  void checkEscapes() {
    if (privateSlots_.empty())
      return;
    std::set<int32_t> reported;
    auto visitRead = [&](const NameExpr *name, const std::vector<const ForStmt *> &inside) {
      int32_t slot = slotOf(name);
      auto loops = privateSlots_.find(slot);
      if (loops == privateSlots_.end() || safeReads_.count(name->id))
        return;
      for (const ForStmt *loop : loops->second)
        if (std::find(inside.begin(), inside.end(), loop) == inside.end() &&
            reported.insert(slot).second)
          report(DiagKind::ParallelEscape, name->span, {name->name});
    };
    std::vector<const ForStmt *> inside;
    std::function<void(const StmtList &)> visit = [&](const StmtList &stmts) {
      auto read = [&](const NameExpr *name) { visitRead(name, inside); };
      for (const Stmt *stmt : stmts) {
        switch (stmt->kind) {
        case StmtKind::Assign:
          forEachName(cast<AssignStmt>(stmt)->value, read);
          for (const Expr *target : cast<AssignStmt>(stmt)->targets)
            forEachTarget(target, [](const NameExpr *) {}, read);
          break;
        case StmtKind::AugAssign:
          forEachName(cast<AugAssignStmt>(stmt)->target, read);
          forEachName(cast<AugAssignStmt>(stmt)->value, read);
          break;
        case StmtKind::For: {
          auto *loop = cast<ForStmt>(stmt);
          forEachName(loop->iterable, read);
          forEachTarget(loop->target, [](const NameExpr *) {}, read);
          inside.push_back(loop);
          visit(loop->body);
          inside.pop_back();
          visit(loop->orElse);
          break;
        }
        case StmtKind::While:
          forEachName(cast<WhileStmt>(stmt)->condition, read);
          visit(cast<WhileStmt>(stmt)->body);
          visit(cast<WhileStmt>(stmt)->orElse);
          break;
        case StmtKind::If:
          forEachName(cast<IfStmt>(stmt)->condition, read);
          visit(cast<IfStmt>(stmt)->body);
          visit(cast<IfStmt>(stmt)->orElse);
          break;
        case StmtKind::Try: {
          auto *attempt = cast<TryStmt>(stmt);
          visit(attempt->body);
          for (const ExceptHandler &handler : attempt->handlers)
            visit(handler.body);
          visit(attempt->orElse);
          visit(attempt->finalBody);
          break;
        }
        default:
          forEachStmtExpr(stmt, [&](const Expr *expr) { forEachName(expr, read); });
          break;
        }
      }
    };
    visit(unit_.ast->body);
  }

  const FunctionUnit &unit_;
  TypedFunction &typed_;
  std::vector<Diagnostic> *diagnostics_;
  /// Per private local, the prange loops it is private to.
  std::map<int32_t, std::vector<const ForStmt *>> privateSlots_;
  /// Reads of private locals that their loop assigned first (by NameExpr id).
  std::set<uint32_t> safeReads_;
};

} // namespace

bool isParallelRangeLoop(const FunctionUnit &unit, const TypedFunction &typed,
                         const ForStmt *loop) {
  if (!unit.parallel)
    return false;
  auto *call = dynCast<CallExpr>(loop->iterable);
  const GlobalValue *global = call ? globalOf(unit, typed, call->callee) : nullptr;
  return global && global->kind == GlobalValue::Kind::Range && global->parallelRange;
}

void analyseParallelLoops(const FunctionUnit &unit, TypedFunction &typed,
                          std::vector<Diagnostic> *diagnostics) {
  typed.parallelLoops.clear();
  if (unit.parallel)
    Analysis(unit, typed, diagnostics).run();
}

} // namespace nogil::sema
