#include "numjit/passes/parallel_loops.h"
#include "numjit/passes/definite_assignment.h"
#include "numjit/passes/loop_facts.h"
#include "numjit/hir/build.h"
#include "numjit/library/builtins.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace numjit::passes {
namespace {

using hir::Expr;
using hir::ExprKind;
using hir::Stmt;
using hir::StmtKind;

bool is_local(const Expr* e, int local) { return e && e->kind == ExprKind::Local && e->local == local; }

void count_reads(const Expr* e, std::map<int, int>& reads) {
  if (!e) return;
  if (e->kind == ExprKind::Local) ++reads[e->local];
  for (const auto& c : e->children) count_reads(c.get(), reads);
}

// np.random.default_rng() calls NumPy, under the GIL, which the thread that
// started the loop holds while it waits for the loop's workers: refused in a
// prange body rather than left to hang.
void refuse_python_calls(const Expr* e) {
  if (!e) return;
  if (e->kind == ExprKind::Call && e->builtin && e->builtin->name == "np.random.default_rng")
    unsupported(e->span, "np.random.default_rng() inside a prange loop is not supported: make the Generators "
                         "before the loop (it calls NumPy, which needs the GIL the loop's caller holds)");
  for (const auto& c : e->children) refuse_python_calls(c.get());
}

bool reads_local(const Expr* e, int local) {
  std::map<int, int> reads;
  count_reads(e, reads);
  return reads.count(local) > 0;
}

void collect_targets(const Expr* target, std::set<int>& out) {
  if (!target) return;
  if (target->kind == ExprKind::Local) out.insert(target->local);
  if (target->kind == ExprKind::Tuple)
    for (const auto& c : target->children) collect_targets(c.get(), out);
}

// One statement's contribution if it is a reduction update of its target:
// `s += e`, `s = s + e`, `s = e * s`, `s = min(s, e)`, ...
std::optional<ReductionKind> update_kind(const Stmt& s, int local) {
  auto from_op = [](hir::BinaryOp op) -> std::optional<ReductionKind> {
    switch (op) {
      case hir::BinaryOp::Add:
      case hir::BinaryOp::Sub: return ReductionKind::Sum;
      case hir::BinaryOp::Mul: return ReductionKind::Product;
      case hir::BinaryOp::TrueDiv: return ReductionKind::Quotient;
      // Bits combine in any order: `found |= x[i] > 0` (Numba refuses these).
      case hir::BinaryOp::BitAnd: return ReductionKind::BitAnd;
      case hir::BinaryOp::BitOr: return ReductionKind::BitOr;
      case hir::BinaryOp::BitXor: return ReductionKind::BitXor;
      default: return std::nullopt;
    }
  };
  if (s.kind == StmtKind::AugAssign && is_local(s.target.get(), local)) {
    if (reads_local(s.value.get(), local)) return std::nullopt;
    return from_op(s.op);
  }
  if (s.kind != StmtKind::Assign || !is_local(s.target.get(), local)) return std::nullopt;
  const Expr& v = *s.value;
  if (v.kind == ExprKind::Binary) {
    const Expr* l = &v.lhs();
    const Expr* r = &v.rhs();
    bool commutes = v.binary_op == hir::BinaryOp::Add || v.binary_op == hir::BinaryOp::Mul ||
                    v.binary_op == hir::BinaryOp::BitAnd || v.binary_op == hir::BinaryOp::BitOr ||
                    v.binary_op == hir::BinaryOp::BitXor;
    if (is_local(l, local) && !reads_local(r, local)) return from_op(v.binary_op);
    if (commutes && is_local(r, local) && !reads_local(l, local)) return from_op(v.binary_op);
    return std::nullopt;
  }
  if (v.kind == ExprKind::Call && v.args().size() == 2 && v.keyword_names.empty() &&
      v.callee().kind == ExprKind::Global && v.callee().global.kind == hir::GlobalValue::Kind::Builtin) {
    const std::string& name = v.callee().global.name;
    if (name != "min" && name != "max") return std::nullopt;
    const Expr* a = &v.args()[0];
    const Expr* b = &v.args()[1];
    bool shaped = (is_local(a, local) && !reads_local(b, local)) || (is_local(b, local) && !reads_local(a, local));
    if (!shaped) return std::nullopt;
    return name == "min" ? ReductionKind::Min : ReductionKind::Max;
  }
  return std::nullopt;
}

struct BodyFacts {
  std::set<int> assigned;
  std::map<int, int> reads;
  std::vector<const Stmt*> statements;  // every statement, nested ones included
};

// `inner_loops`: how many loops of the body enclose `block` (a break there
// leaves that loop, not the prange).
void scan(const hir::Block& block, BodyFacts& facts, const hir::Function& fn, int inner_loops = 0) {
  for (const auto& s : block) {
    facts.statements.push_back(s.get());
    if (s->kind == StmtKind::Return)
      unsupported(s->span, "'return' inside a prange loop is not supported: iterations run in any order");
    if (s->kind == StmtKind::Break && inner_loops == 0)
      unsupported(s->span, "'break' inside a prange loop is not supported: iterations run in any order");
    if (s->kind == StmtKind::Assign || s->kind == StmtKind::AugAssign || s->kind == StmtKind::For)
      collect_targets(s->target.get(), facts.assigned);
    for (const Expr* e : {s->target.get(), s->value.get(), s->message.get()}) {
      walrus_targets(e, facts.assigned);
      refuse_python_calls(e);
    }
    // Reads: values, subscript targets' bases and indices, aug-assigned locals.
    count_reads(s->value.get(), facts.reads);
    count_reads(s->message.get(), facts.reads);
    if (s->target && s->target->kind == ExprKind::Subscript) count_reads(s->target.get(), facts.reads);
    if (s->kind == StmtKind::AugAssign && s->target->kind == ExprKind::Local) ++facts.reads[s->target->local];
    bool loop = s->kind == StmtKind::For || s->kind == StmtKind::While;
    scan(s->body, facts, fn, inner_loops + (loop ? 1 : 0));
    for (const hir::Block* b : {&s->handlers, &s->orelse, &s->finalbody})  // (a loop's else runs after it)
      scan(*b, facts, fn, inner_loops);
  }
}

// Whether `e` makes a new array: NumPy's creation functions and a copy.
bool allocates(const Expr& e) {
  static const char* const kCreations[] = {"np.zeros", "np.empty", "np.ones", "np.full", "np.zeros_like",
                                           "np.empty_like", "np.ones_like", "np.full_like", "np.arange",
                                           "np.array", "np.copy", "np.linspace"};
  for (const char* name : kCreations)
    if (hir::is_builtin_call(e, name)) return true;
  return e.kind == ExprKind::Call && e.callee().kind == ExprKind::Attribute && e.callee().attribute == "copy" &&
         e.callee().value().type && e.callee().value().type->is_array();
}

bool reads_any(const Expr* e, const std::set<int>& locals) {
  std::map<int, int> reads;
  count_reads(e, reads);
  return std::any_of(reads.begin(), reads.end(), [&](const auto& r) { return locals.count(r.first) > 0; });
}

// Whether an index anywhere along `subscript`'s chain (out[i][0]) reads one of `locals`.
bool index_uses(const Expr& subscript, const std::set<int>& locals) {
  for (const Expr* part = &subscript; part->kind == ExprKind::Subscript; part = &part->value())
    for (const Expr& ix : part->indices())
      if (reads_any(&ix, locals)) return true;
  return false;
}

// The loop variable and the variables the body computes from it (`j = 2 * i`,
// `r, c = divmod(i, m)`): an index that reads one differs between iterations.
std::set<int> derived_from(int loop_var, const std::vector<const Stmt*>& statements) {
  std::set<int> derived{loop_var};
  auto derive = [&](const Expr* target, const Expr* value, bool& grew) {
    if (!reads_any(value, derived)) return;
    std::set<int> targets;
    collect_targets(target, targets);
    for (int t : targets) grew = derived.insert(t).second || grew;
  };
  for (bool grew = true; grew;) {
    grew = false;
    for (const Stmt* s : statements) {
      if (!s->target || s->target->kind == ExprKind::Subscript) continue;
      if (s->kind == StmtKind::For) {
        derive(s->target.get(), s->value.get(), grew);  // for k in range(2 * i, 2 * i + 2)
      } else if (s->kind == StmtKind::Assign && s->target->kind == ExprKind::Tuple &&
                 s->value->kind == ExprKind::Tuple && s->target->children.size() == s->value->children.size()) {
        for (size_t k = 0; k < s->target->children.size(); ++k)  // r, c = i, 0: c stays constant
          derive(s->target->children[k].get(), s->value->children[k].get(), grew);
      } else if (s->kind == StmtKind::Assign && s->target->kind == ExprKind::Tuple &&
                 s->value->kind == ExprKind::Binary && s->value->binary_op == hir::BinaryOp::Add &&
                 s->value->lhs().kind == ExprKind::Tuple &&
                 s->value->lhs().children.size() < s->target->children.size()) {
        // i, j = (outer,) + inner (pndindex's loops): i from outer, the rest from inner
        size_t head = s->value->lhs().children.size();
        for (size_t k = 0; k < s->target->children.size(); ++k)
          derive(s->target->children[k].get(), k < head ? s->value->lhs().children[k].get() : &s->value->rhs(), grew);
      } else if (s->kind == StmtKind::Assign) {
        derive(s->target.get(), s->value.get(), grew);
      }
    }
  }
  return derived;
}

}  // namespace

bool is_prange_loop(const hir::Stmt& loop) {
  if (loop.kind != StmtKind::For || loop.value->kind != ExprKind::Call) return false;
  const Expr& callee = loop.value->callee();
  return callee.kind == ExprKind::Global && callee.global.kind == hir::GlobalValue::Kind::Builtin &&
         callee.global.name == "prange";
}

ParallelLoopPlan plan_parallel_loop(const hir::Stmt& loop, const hir::Function& fn) {
  BodyFacts facts;
  scan(loop.body, facts, fn);
  int loop_var = loop.target->kind == ExprKind::Local ? loop.target->local : -1;
  ParallelLoopPlan plan;
  for (int local : facts.assigned) {
    if (local == loop_var) continue;
    std::optional<ReductionKind> kind;
    int updates = 0;
    bool reduction = true;
    const Stmt* first_update = nullptr;
    bool in_place_updates = false, rebinding_updates = false;
    for (const Stmt* s : facts.statements) {
      bool assigns = (s->kind == StmtKind::Assign || s->kind == StmtKind::AugAssign || s->kind == StmtKind::For);
      std::set<int> targets;
      if (assigns) collect_targets(s->target.get(), targets);
      if (!targets.count(local)) continue;
      std::optional<ReductionKind> k = update_kind(*s, local);
      bool same_family = k && (!kind || *kind == *k);
      if (!same_family) {
        reduction = false;
        break;
      }
      kind = k;
      ++updates;
      if (!first_update) first_update = s;
      (s->kind == StmtKind::AugAssign ? in_place_updates : rebinding_updates) = true;
    }
    // Each update reads the variable once; any other read sees a partial value.
    if (reduction && kind && facts.reads[local] == updates) {
      const types::Type* type = fn.locals[static_cast<size_t>(local)].type;
      bool array = type && type->is_array();
      const std::string& name = fn.locals[static_cast<size_t>(local)].name;
      // `acc += e` works in the array bound before the loop, `acc = acc + e`
      // on a new one: mixed, which array the result is in depends on which
      // updates ran.
      if (array && in_place_updates && rebinding_updates)
        unsupported(first_update->span, "'" + name + "' is an array that the prange loop updates both in place "
                                        "('" + name + " += ...') and as a new array ('" + name + " = " + name +
                                        " + ...'): use one form for all of its updates");
      if (array && (*kind == ReductionKind::Min || *kind == ReductionKind::Max))
        unsupported(first_update->span, "'" + name + "' is an array: min() and max() of arrays are not element-wise "
                                        "(use np.minimum / np.maximum after the loop)");
      plan.reductions.push_back({local, *kind, array && rebinding_updates});
    }
  }
  for (const auto& [local, count] : facts.reads)
    if (count > 0 && !facts.assigned.count(local) && local != loop_var) plan.captured.push_back(local);
  for (int local : facts.assigned) {
    bool is_reduction = false;
    for (const Reduction& r : plan.reductions) is_reduction = is_reduction || r.local == local;
    if (local != loop_var && !is_reduction) plan.privates.push_back(local);
  }
  std::set<int> carried_candidates = facts.assigned;
  carried_candidates.erase(loop_var);
  for (const Reduction& r : plan.reductions) carried_candidates.erase(r.local);
  // A variable assigned in the body and read where this iteration may not
  // have assigned it yet carries a value from another iteration.
  std::vector<bool> holds_a_value(fn.locals.size(), true);
  for (int local : carried_candidates) holds_a_value[static_cast<size_t>(local)] = false;
  UnassignedRead carried = first_possibly_unassigned_read(loop.body, std::move(holds_a_value));
  if (carried.local >= 0) {
    const std::string& name = fn.locals[carried.local].name;
    unsupported(carried.span, "'" + name + "' is read here before this prange iteration assigns it, so its value "
                              "would come from another iteration, which runs in any order; update it as a "
                              "reduction ('" + name + " += ...', '" + name + " = min(" + name + ", ...)') or "
                              "assign it first in each iteration");
  }
  // An array each iteration allocates for itself (`tmp = np.zeros(3)` in the
  // body) is its own: writes into it at any index do not race.
  std::set<int> varying = loop_var >= 0 ? derived_from(loop_var, facts.statements) : std::set<int>{};
  // The iteration's own part of a shared array is its own too (`row = out[i]`).
  auto own_part = [&](const Expr& value) {
    return value.kind == ExprKind::Subscript && index_uses(value, varying);
  };
  auto own_array = [&](const Expr& target) {
    if (target.value().kind != ExprKind::Local) return false;
    int local = target.value().local;
    if (!facts.assigned.count(local) || local == loop_var) return false;
    bool allocated = false;
    for (const Stmt* s : facts.statements) {
      std::set<int> targets;
      if (s->target && s->kind != StmtKind::ExprStmt) collect_targets(s->target.get(), targets);
      if (!targets.count(local)) continue;
      if (s->kind != StmtKind::Assign || s->target->kind != ExprKind::Local ||
          !(allocates(*s->value) || own_part(*s->value)))
        return false;
      allocated = true;
    }
    return allocated;
  };
  for (const Stmt* s : facts.statements) {
    if (s->target && s->target->kind == ExprKind::Subscript && loop_var >= 0 && !index_uses(*s->target, varying) &&
        !own_array(*s->target)) {
      plan.race_warnings.push_back(
          "line " + std::to_string(s->span.line) + ": every iteration of the prange loop writes to " +
          (s->target->value().kind == ExprKind::Local ? fn.locals[s->target->value().local].name + "[...]"
                                                       : std::string("an array")) +
          " at an index that does not depend on '" + fn.locals[loop_var].name +
          "': the iterations race (use a reduction variable instead)");
    }
  }
  return plan;
}

}  // namespace numjit::passes
