// Binding a call's arguments to a jitted callee's parameters at typing
// time: `*args` packed into a tuple, keyword arguments put in parameter
// order with defaults filling the ones skipped.
#include "numjit/types/infer.h"
#include "numjit/hir/build.h"

namespace numjit::types {

using hir::Expr;
using hir::ExprKind;

// f(a, b, c) for `def f(x, *rest)`: the arguments past the fixed ones
// become one tuple argument (an empty tuple when there are none).
void pack_varargs(Expr& e, std::vector<const Type*>& args, const hir::Function& callee) {
  if (!e.keyword_names.empty())
    unsupported(e.span, "keyword arguments in calls of a function with *args are not supported yet");
  size_t fixed = callee.param_count - 1;
  if (args.size() < fixed)
    typing_error(e.span, "'" + callee.name + "' takes at least " + std::to_string(fixed) + " arguments");
  auto rest = std::make_unique<Expr>(ExprKind::Tuple, e.span);
  std::vector<const Type*> rest_types(args.begin() + static_cast<long>(fixed), args.end());
  std::vector<hir::ExprPtr> given = e.take_args();
  std::vector<hir::ExprPtr> extra;
  for (size_t i = fixed; i < given.size(); ++i) extra.push_back(std::move(given[i]));
  given.resize(fixed);
  rest->set_elements(std::move(extra));
  rest->type = tuple(rest_types);
  given.push_back(std::move(rest));
  e.set_args(std::move(given));
  args.resize(fixed);
  args.push_back(tuple(rest_types));
  e.varargs_packed = true;
}

// Rewrites a call with keyword arguments into a positional one, in the
// callee's parameter order; parameters skipped in between take their defaults.
void bind_keywords(Expr& e, std::vector<const Type*>& args, const hir::Function& callee) {
  size_t positional = args.size() - e.keyword_names.size();
  std::vector<std::unique_ptr<Expr>> slots(callee.param_count);
  std::vector<const Type*> slot_types(callee.param_count, nullptr);
  if (positional > callee.param_count)
    typing_error(e.span, "'" + callee.name + "' takes " + std::to_string(callee.param_count) + " arguments but " +
                             std::to_string(positional) + " positional ones were given");
  std::vector<hir::ExprPtr> given = e.take_args();
  for (size_t i = 0; i < args.size(); ++i) {
    size_t slot = i;
    if (i >= positional) {
      const std::string& name = e.keyword_names[i - positional];
      slot = callee.param_count;
      for (size_t p = 0; p < callee.param_count; ++p)
        if (callee.locals[p].name == name) slot = p;
      if (slot == callee.param_count)
        typing_error(given[i]->span, "'" + callee.name + "' has no parameter named '" + name + "'");
      if (slots[slot])
        typing_error(given[i]->span, "'" + callee.name + "' got multiple values for argument '" + name + "'");
    }
    slots[slot] = std::move(given[i]);
    slot_types[slot] = args[i];
  }
  size_t first_default = callee.param_count - callee.defaults.size();
  size_t last_given = callee.param_count;
  while (last_given > 0 && !slots[last_given - 1]) --last_given;
  for (size_t p = 0; p < last_given; ++p) {
    if (slots[p]) continue;
    if (p < first_default)
      typing_error(e.span, "'" + callee.name + "' is missing argument '" + callee.locals[p].name + "'");
    const hir::Expr& d = *callee.defaults[p - first_default];
    slots[p] = hir::clone(d);
    slots[p]->span = e.span;
    slot_types[p] = slots[p]->type = constant_type(d);
  }
  slots.resize(last_given);
  e.set_args(std::move(slots));
  args.assign(slot_types.begin(), slot_types.begin() + static_cast<std::ptrdiff_t>(last_given));
  e.keyword_names.clear();
}

}  // namespace numjit::types
