#include "numjit/passes/plans.h"

#include "numjit/passes/definite_assignment.h"
#include "numjit/passes/deferred_checks.h"
#include "numjit/passes/loop_facts.h"

namespace numjit::passes {
namespace {

using hir::ExprKind;
using hir::Stmt;
using hir::StmtKind;

class Planner {
 public:
  Planner(const hir::Function& fn, FunctionPlan& plan)
      : fn_(fn), plan_(plan), deferral_facts_(deferral_facts(fn)) {}

  void block(const hir::Block& b, bool in_parallel_body) {
    for (const auto& s : b) {
      if (s->kind == StmtKind::For && s->value->type->kind == types::TypeKind::Range) {
        range_loop(*s);
        if (fn_.options.parallel && !in_parallel_body && is_prange_loop(*s)) {
          plan_.parallel_loops.emplace(s.get(), plan_parallel_loop(*s, fn_));
          block(s->body, true);
          continue;
        }
      }
      for (const hir::Block* inner : s->blocks()) block(*inner, in_parallel_body);
    }
  }

 private:
  const hir::Function& fn_;
  FunctionPlan& plan_;
  DeferralFacts deferral_facts_;  // what deferring a loop's checks needs to know of the function

  void range_loop(const Stmt& s) {
    RangeLoopPlan p;
    p.defers_division_checks = can_defer_division_checks(s, fn_.options, deferral_facts_);
    if (s.target->kind == ExprKind::Local) {
      p.assigns_loop_variable = assigns_local(s.body, s.target->local);
      p.indexes_with_loop_variable = indexes_with_local(s.body, s.target->local);
    }
    plan_.range_loops.emplace(&s, p);
  }
};

const char* reduction_name(ReductionKind k) {
  switch (k) {
    case ReductionKind::Sum: return "sum";
    case ReductionKind::Product: return "product";
    case ReductionKind::Quotient: return "quotient";
    case ReductionKind::Min: return "min";
    case ReductionKind::Max: return "max";
    case ReductionKind::BitAnd: return "bitwise and";
    case ReductionKind::BitOr: return "bitwise or";
    case ReductionKind::BitXor: return "bitwise xor";
  }
  return "?";
}

}  // namespace

const RangeLoopPlan& FunctionPlan::range_loop(const hir::Stmt& loop) const {
  auto it = range_loops.find(&loop);
  if (it == range_loops.end()) internal_error("a range loop the planner did not see", loop.span);
  return it->second;
}

const ParallelLoopPlan* FunctionPlan::parallel_loop(const hir::Stmt& loop) const {
  auto it = parallel_loops.find(&loop);
  return it == parallel_loops.end() ? nullptr : &it->second;
}

FunctionPlan plan_function(const hir::Function& fn) {
  FunctionPlan plan;
  Planner(fn, plan).block(fn.body, false);
  plan.unassigned_reads = possibly_unassigned_reads(fn);
  plan.never_negative = never_negative_locals(fn);
  return plan;
}

void plan_ufunc_loop(const hir::Function& kernel, FunctionPlan& plan) {
  UfuncLoopPlan u;
  const size_t nin = kernel.param_count;
  // Every mix of contiguous and broadcast inputs, for up to three inputs
  // (NumPy passes step 0 for a broadcast scalar); then any strides.
  size_t variants = nin <= 3 ? (size_t{1} << nin) : 1;
  for (size_t mask = 0; mask < variants; ++mask) {
    std::string layout;
    for (size_t i = 0; i < nin; ++i) layout += (mask >> i) & 1 ? 's' : 'c';
    u.step_layouts.push_back(layout);
    // Lanes cannot report exceptions: only kernels under the 'numpy' error
    // model qualify. Loop-free kernels are left to LLVM's loop vectorizer,
    // which also widens their math calls through libmvec (SLP does not).
    if (kernel.options.python_error_model) continue;
    std::vector<bool> uniform;
    for (char c : layout) uniform.push_back(c == 's');
    std::optional<LaneKernel> shape = lane_kernel(kernel, uniform);
    if (shape && shape->loop) u.lanes.emplace(layout, *shape);
  }
  u.step_layouts.push_back(std::string(nin, 'g'));
  plan.ufunc_loop = std::move(u);
}

std::string describe(const FunctionPlan& plan, const hir::Function& fn) {
  std::string out = "plans of " + fn.name + ":\n";
  for (const auto& [loop, p] : plan.range_loops) {
    out += "  line " + std::to_string(loop->span.line) + " range loop:";
    if (p.defers_division_checks) out += " defers division checks;";
    if (p.assigns_loop_variable) out += " reassigns its variable;";
    if (p.indexes_with_loop_variable) out += " indexes with its variable;";
    out += "\n";
  }
  for (const auto& [loop, p] : plan.parallel_loops) {
    out += "  line " + std::to_string(loop->span.line) + " prange loop runs in parallel";
    for (const Reduction& r : p.reductions)
      out += "; " + fn.locals[r.local].name + " is a " + reduction_name(r.kind) + " reduction";
    for (int local : p.privates) out += "; " + fn.locals[local].name + " is private";
    out += "\n";
  }
  for (size_t i = 0; i < plan.unassigned_reads.size(); ++i)
    if (plan.unassigned_reads[i]) out += "  " + fn.locals[i].name + " may be read before it is assigned\n";
  for (auto [local, least] : plan.never_negative)
    out += "  " + fn.locals[local].name + " is never below " + std::to_string(least) + "\n";
  if (plan.ufunc_loop)
    for (const std::string& layout : plan.ufunc_loop->step_layouts)
      out += "  ufunc loop for steps '" + layout + "'" + (plan.ufunc_loop->lanes.count(layout) ? " runs lanes" : "") + "\n";
  return out;
}

}  // namespace numjit::passes
