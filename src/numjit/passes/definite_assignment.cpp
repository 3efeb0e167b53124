// A forward walk over the structured HIR with the set of locals assigned on
// every path so far. Assignments only add to the set, so the state at a
// loop's head is its entry state: one walk of each body is exact enough.
#include "numjit/passes/definite_assignment.h"

#include <optional>

#include "numjit/passes/loop_facts.h"

namespace numjit::passes {
namespace {

using hir::Expr;
using hir::ExprKind;
using hir::Stmt;
using hir::StmtKind;

struct State {
  std::vector<bool> assigned;
  bool unreachable = false;  // after return/raise/break/continue: reads here never run
};

State meet(const State& a, const State& b) {
  if (a.unreachable) return b;
  if (b.unreachable) return a;
  State out = a;
  for (size_t i = 0; i < out.assigned.size(); ++i) out.assigned[i] = a.assigned[i] && b.assigned[i];
  return out;
}

class Walk {
 public:
  explicit Walk(size_t locals) : flagged_(locals, false) {}

  std::vector<bool> run(const hir::Block& body, std::vector<bool> assigned_on_entry) {
    block(body, State{std::move(assigned_on_entry)});
    return flagged_;
  }

  const UnassignedRead& first() const { return first_; }

 private:
  std::vector<bool> flagged_;
  UnassignedRead first_;  // the walk goes forward: its first flagged read is the first in program order
  std::vector<std::vector<State>> breaks_;  // per enclosing loop, the states at its breaks

  // The reads in `e`, in evaluation order; a walrus assigns after its value.
  // `conditional`: inside an operand that may not run (after the first of
  // `and`/`or`, a branch of `x if c else y`), whose walrus may not assign.
  void reads(const Expr* e, State& s, bool conditional = false) {
    if (!e || s.unreachable) return;
    if (e->kind == ExprKind::Local && !s.assigned[e->local]) {
      flagged_[e->local] = true;
      if (first_.local < 0) first_ = {e->local, e->span};
    }
    for (size_t i = 0; i < e->children.size(); ++i)
      reads(e->children[i].get(), s, conditional || child_may_not_run(*e, i));
    if (e->kind == ExprKind::AssignExpr && !conditional) s.assigned[e->local] = true;
  }

  // An assignment target: locals become assigned; a subscript or attribute target reads its parts.
  void assign(const Expr* target, State& s) {
    if (!target) return;
    if (target->kind == ExprKind::Local) {
      s.assigned[target->local] = true;
    } else if (target->kind == ExprKind::Tuple || target->kind == ExprKind::List) {
      for (const auto& c : target->children) assign(c.get(), s);
    } else {
      reads(target, s);
    }
  }

  // The truth of a constant condition (an int, bool or None), if it is one.
  static std::optional<bool> constant_truth(const Expr* e) {
    if (!e || e->kind != ExprKind::Const) return std::nullopt;
    switch (e->constant.kind) {
      case hir::Constant::Kind::Int:
      case hir::Constant::Kind::Bool: return e->constant.int_value != 0;
      case hir::Constant::Kind::None: return false;
      default: return std::nullopt;
    }
  }

  State block(const hir::Block& b, State s) {
    for (const auto& st : b) s = statement(*st, std::move(s));
    return s;
  }

  State loop(const Stmt& st, State s, bool runs_at_least_once) {
    breaks_.emplace_back();
    State body_entry = s;
    if (st.kind == StmtKind::For) assign(st.target.get(), body_entry);
    State after_body = block(st.body, body_entry);
    // Without a break the loop ends after some number of passes (maybe none), then runs its else.
    State normal_end = runs_at_least_once ? after_body : meet(s, after_body);
    if (runs_at_least_once) normal_end.unreachable = true;  // `while True:` ends only by break
    State exit = block(st.orelse, normal_end);
    for (const State& at_break : breaks_.back()) exit = meet(exit, at_break);
    breaks_.pop_back();
    return exit;
  }

  State statement(const Stmt& st, State s) {
    switch (st.kind) {
      case StmtKind::Assign:
        reads(st.value.get(), s);
        assign(st.target.get(), s);
        return s;
      case StmtKind::AugAssign:
        reads(st.value.get(), s);
        reads(st.target.get(), s);  // x += 1 reads x
        assign(st.target.get(), s);
        return s;
      case StmtKind::ExprStmt:
      case StmtKind::Assert:
        reads(st.value.get(), s);
        reads(st.message.get(), s);
        return s;
      case StmtKind::Return:
      case StmtKind::Raise:
        reads(st.value.get(), s);
        s.unreachable = true;
        return s;
      case StmtKind::Break:
        assign(st.target.get(), s);  // a loop-else flag
        if (!breaks_.empty()) breaks_.back().push_back(s);
        s.unreachable = true;
        return s;
      case StmtKind::Continue:
        s.unreachable = true;
        return s;
      case StmtKind::If: {
        reads(st.value.get(), s);
        // `if True:` runs its body: an assignment there is definite (the
        // front end drops the dead `else`, so meeting it would lose it).
        if (std::optional<bool> taken = constant_truth(st.value.get()))
          return *taken ? block(st.body, s) : block(st.orelse, s);
        return meet(block(st.body, s), block(st.orelse, s));
      }
      case StmtKind::While: {
        reads(st.value.get(), s);
        bool forever = st.value && st.value->kind == ExprKind::Const && st.value->constant.int_value != 0;
        return loop(st, s, forever);
      }
      case StmtKind::For:
        reads(st.value.get(), s);
        return loop(st, s, false);
      case StmtKind::Pass: return s;
      case StmtKind::Try: return try_statement(st, std::move(s));
      case StmtKind::Handler:  // walked by its try statement
        return s;
    }
    return s;
  }

  // A handler may start from any point of the body, where nothing the body
  // assigns need have happened yet: its entry state is the try's own. The
  // finally block runs after the others, or after an exception that
  // escaped them, which may have come before any of their assignments.
  State try_statement(const Stmt& st, State entry) {
    State done = block(st.orelse, block(st.body, entry));
    for (const auto& handler : st.handlers) done = meet(done, block(handler->body, entry));
    if (st.finalbody.empty()) return done;
    block(st.finalbody, meet(done, entry));  // the exceptional path: only its reads matter
    return block(st.finalbody, done);
  }
};

}  // namespace

std::vector<bool> possibly_unassigned_reads(const hir::Function& fn) {
  std::vector<bool> parameters(fn.locals.size(), false);
  for (size_t i = 0; i < fn.param_count; ++i) parameters[i] = true;
  return Walk(fn.locals.size()).run(fn.body, std::move(parameters));
}

UnassignedRead first_possibly_unassigned_read(const hir::Block& body, std::vector<bool> assigned_on_entry) {
  Walk walk(assigned_on_entry.size());
  walk.run(body, std::move(assigned_on_entry));
  return walk.first();
}

}  // namespace numjit::passes
