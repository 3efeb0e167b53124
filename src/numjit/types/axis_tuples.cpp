// Reductions over several axes at once, `a.sum(axis=(1, 2))` (Numba takes a
// tuple of constant axes), become one reduction per axis, the highest axis
// first so that the others keep their numbers: a.sum(axis=2).sum(axis=1).
// Each of these reductions composes exactly: a sum of sums, a max of maxes.
#include <algorithm>
#include <set>

#include "numjit/hir/build.h"
#include "numjit/library/arguments.h"
#include "numjit/types/inferrer.h"

namespace numjit::types {

using hir::Expr;
using hir::ExprKind;

namespace {
// The np.* function each reduction named with a tuple of axes is applied as.
const char* composable_reduction(const std::string& name) {
  static const std::pair<const char*, const char*> kReductions[] = {
      {"np.sum", "np.sum"},   {"array.sum", "np.sum"},   {"np.prod", "np.prod"}, {"array.prod", "np.prod"},
      {"np.max", "np.max"},   {"array.max", "np.max"},   {"np.amax", "np.max"},  {"np.min", "np.min"},
      {"array.min", "np.min"}, {"np.amin", "np.min"},    {"np.any", "np.any"},   {"array.any", "np.any"},
      {"np.all", "np.all"},   {"array.all", "np.all"}};
  for (const auto& [named, applied] : kReductions)
    if (name == named) return applied;
  return nullptr;
}
}  // namespace

bool Inferrer::reduce_over_axis_tuple(Expr& e, const std::string& name, const std::vector<const Type*>& args) {
  const char* reduction = composable_reduction(name);
  if (!reduction) return false;
  bool method = e.callee().kind == ExprKind::Attribute;
  const Type* array_type = args.empty() ? nullptr : args[0];
  // The axis: the argument after the array, by position or as axis=; then
  // dtype= for sum (each partial sum in it: integers wrap alike in any order).
  size_t axis_at = method ? 0 : 1;
  bool takes_dtype = std::string(reduction) == "np.sum";
  size_t positional = e.args().size() - e.keyword_names.size();
  const Expr* axes_given = nullptr;
  const Expr* dtype = nullptr;
  if (positional == axis_at + 1) axes_given = &e.args()[axis_at];
  else if (positional != axis_at) return false;
  for (size_t k = 0; k < e.keyword_names.size(); ++k) {
    const std::string& keyword = e.keyword_names[k];
    if (keyword == "axis" && !axes_given) axes_given = &e.args()[positional + k];
    else if (keyword == "dtype" && takes_dtype) dtype = &e.args()[positional + k];
    else return false;
  }
  if (!axes_given || !array_type || !array_type->is_array()) return false;
  const Expr& axes = *axes_given;
  if (axes.kind != ExprKind::Tuple || axes.children.empty()) return false;
  int ndim = array_type->ndim;
  std::set<int64_t, std::greater<>> normalized;
  for (const hir::ExprPtr& axis : axes.children) {
    std::optional<int64_t> k = library::type_decided_int(*axis);
    if (!k) return false;
    if (*k < -ndim || *k >= ndim)
      typing_error(axis->span, "axis " + std::to_string(*k) + " is out of bounds for array of dimension " +
                                   std::to_string(ndim));
    if (!normalized.insert(*k < 0 ? *k + ndim : *k).second) typing_error(axes.span, "duplicate value in 'axis'");
  }
  SourceSpan span = e.span;
  hir::ExprPtr reduced = method ? std::move(e.callee().value_slot()) : std::move(e.args().slot(0));
  hir::ExprPtr dtype_given = dtype ? hir::clone(*dtype) : nullptr;
  for (int64_t axis : normalized) {
    std::vector<hir::ExprPtr> operands;
    operands.push_back(std::move(reduced));
    operands.push_back(hir::make_int(axis, span));
    if (dtype_given) operands.push_back(hir::clone(*dtype_given));
    reduced = hir::make_call(hir::make_builtin(reduction, span), std::move(operands), span);
    if (dtype_given) reduced->keyword_names = {"dtype"};
  }
  e = std::move(*reduced);
  return true;
}

}  // namespace numjit::types
