// The program typer: a fixed point over the specializations a compile needs.
//
// 1. Start from the root specialization with its return type Unknown.
// 2. Type every specialization in discovery order. A call to a specialization compiled
//    earlier uses its known return type; a call to a new one creates it (appended, so the
//    same pass types it) and uses its current return type, which is Unknown while a
//    recursion is being resolved.
// 3. Repeat while any return type changed, alternating the order (see run()). Types only
//    climb a lattice (Unknown < bool < int64 < float64, tuples field by field), so this
//    ends within a few passes per specialization.
// 4. Type everything once more with diagnostics on; only that pass reports. A callee that
//    reports errors is marked failed and everything is typed once more, so that its callers
//    do not report its unknown result as errors of their own; callees' errors come first.
#include "sema/program.h"

#include "sema/typer.h"

#include <map>
#include <optional>
#include <string>

namespace nogil::sema {

namespace {

struct Entry {
  const FunctionUnit *unit;
  std::vector<const Type *> args;
  std::string symbol;
  const Type *returnType = unknownType();
  std::unique_ptr<TypedFunction> typed;
  bool failed = false;
  /// Where the first call to it that typing met is: the calling entry and the call's span
  /// in that entry's source (the root entry has none).
  std::optional<std::pair<size_t, ast::Span>> calledFrom;
};

class ProgramTyper : public CalleeResolver {
public:
  explicit ProgramTyper(const ExistingSpecs &existing) : existing_(existing) {}

  Program run(const FunctionUnit &root, const std::vector<const Type *> &args) {
    entryFor(root, args);
    // Passes alternate between discovery order (callers first: finds new callees) and its
    // reverse (callees first: a chain of n calls settles in one pass, where callers-first
    // moved a return type up by one caller per pass). Each return type only climbs its
    // lattice, so a few passes per entry always suffice.
    for (size_t pass = 0; pass < 16 + 4 * entries_.size(); ++pass) {
      size_t known = entries_.size();
      bool changed = false;
      auto retype = [&](size_t i) {
        typing_ = i;
        auto typed = typeFunction(*entries_[i].unit, entries_[i].args, *this, nullptr);
        if (typed->returnType != entries_[i].returnType) {
          entries_[i].returnType = typed->returnType;
          changed = true;
        }
      };
      if (pass % 2 == 0) {
        for (size_t i = 0; i < entries_.size(); ++i)
          retype(i);
      } else {
        for (size_t i = entries_.size(); i-- > 0;)
          retype(i);
      }
      // A callee found in a reverse pass has not been typed yet.
      if (!changed && entries_.size() == known)
        break;
    }
    std::vector<std::vector<ast::Diagnostic>> reported = reportingPass();
    bool callerAffected = false;
    for (size_t i = 1; i < entries_.size(); ++i)
      if (!reported[i].empty() && !entries_[i].failed)
        callerAffected = entries_[i].failed = true;
    if (callerAffected)
      reported = reportingPass();
    Program program;
    for (size_t i = entries_.size(); i-- > 0;)
      for (ast::Diagnostic &d : reported[i])
        program.diagnostics.push_back(std::move(d));
    for (Entry &entry : entries_)
      program.functions.push_back(std::move(entry.typed));
    return program;
  }

  CallTarget resolve(const FunctionUnit &callee, const std::vector<const Type *> &args,
                     ast::Span callSite) override {
    if (auto compiled = existing_.find(callee, args))
      return CallTarget{compiled->symbol, args, compiled->returnType};
    size_t index = entryFor(callee, args);
    Entry &entry = entries_[index];
    if (!entry.calledFrom && index != typing_)
      entry.calledFrom = std::make_pair(typing_, callSite);
    return CallTarget{entry.symbol, args, entry.returnType, entry.failed};
  }

private:
  /// Types every entry with diagnostics on; each entry's diagnostics, in entry order.
  std::vector<std::vector<ast::Diagnostic>> reportingPass() {
    std::vector<std::vector<ast::Diagnostic>> reported;
    for (size_t i = 0; i < entries_.size(); ++i) {
      typing_ = i;
      std::vector<ast::Diagnostic> diagnostics;
      auto typed = typeFunction(*entries_[i].unit, entries_[i].args, *this, &diagnostics);
      Entry &entry = entries_[i]; // after typing: resolving a call may grow entries_
      entry.typed = std::move(typed);
      entry.typed->symbol = entry.symbol;
      std::string note = "while compiling " +
                         signatureText(entry.unit->qualname, entry.unit->paramNames(), entry.args);
      std::string calledAt = callSiteNote(entries_[i]);
      for (ast::Diagnostic &d : diagnostics) {
        d.notes.push_back(note);
        if (!calledAt.empty())
          d.notes.push_back(calledAt);
      }
      reported.push_back(std::move(diagnostics));
    }
    return reported;
  }

  /// "called from caller(x: float64) at file.py:7:12" for an entry some other entry calls.
  std::string callSiteNote(const Entry &entry) const {
    if (!entry.calledFrom)
      return "";
    const Entry &caller = entries_[entry.calledFrom->first];
    if (!caller.unit->source)
      return "";
    const ast::SourceFile &file = *caller.unit->source;
    ast::LineColumn where = file.lineColumnOf(entry.calledFrom->second.begin);
    return "called from " +
           signatureText(caller.unit->qualname, caller.unit->paramNames(), caller.args) + " at " +
           file.filename() + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  }

  size_t entryFor(const FunctionUnit &unit, const std::vector<const Type *> &args) {
    auto key = std::make_pair(&unit, args);
    auto found = index_.find(key);
    if (found != index_.end())
      return found->second;
    entries_.push_back(
        Entry{&unit, args, symbolName(unit, args), unknownType(), nullptr, false, {}});
    index_.emplace(std::move(key), entries_.size() - 1);
    return entries_.size() - 1;
  }

  const ExistingSpecs &existing_;
  std::vector<Entry> entries_;
  size_t typing_ = 0; ///< the entry being typed, whose calls resolve() sees
  std::map<std::pair<const FunctionUnit *, std::vector<const Type *>>, size_t> index_;
};

} // namespace

Program typeProgram(const FunctionUnit &root, const std::vector<const Type *> &args,
                    const ExistingSpecs &existing) {
  return ProgramTyper(existing).run(root, args);
}

namespace {

/// A type's name in a symbol: a function value's with its unit's id, since two functions
/// may share a qualname.
std::string symbolText(const Type *type) {
  if (type->isFunctionValue())
    return std::string(type->name()) + "#" + std::to_string(type->function()->id);
  if (!type->isTuple() || !type->holdsCompileTimeValue())
    return type->name();
  std::string text = "tuple[";
  for (size_t i = 0; i < type->elements().size(); ++i)
    text += std::string(i ? ", " : "") + symbolText(type->elements()[i]);
  return text + "]";
}

} // namespace

std::string symbolName(const FunctionUnit &unit, const std::vector<const Type *> &args) {
  std::string name = unit.qualname + "." + std::to_string(unit.id) + "(";
  for (size_t i = 0; i < args.size(); ++i)
    name += std::string(i ? "," : "") + symbolText(args[i]);
  return name + ")";
}

} // namespace nogil::sema
