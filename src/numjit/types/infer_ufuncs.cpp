// Type inference of NumPy ufuncs called by name (library/numpy_ufuncs.cpp):
// an output array, given as the argument after the inputs or as out=, and
// the ufuncs that are operators, which on arrays become those operators.
#include "numjit/hir/build.h"
#include "numjit/types/inferrer.h"

namespace numjit::types {

// np.f(x, y, out) and np.f(x, y, out=out) become ufunc.out(np.f(x, y), out),
// which computes the value straight into `out`. A trailing positional array
// is taken as the output only where the row refuses it as one more input.
// out=None is no output array. Returns whether the call was rewritten.
bool Inferrer::ufunc_output(Expr& e, const library::Builtin& b, const std::vector<const Type*>& args) {
  size_t keyword_start = args.size() - e.keyword_names.size();
  size_t out_index = args.size();
  for (size_t k = 0; k < e.keyword_names.size(); ++k)
    if (e.keyword_names[k] == "out") out_index = keyword_start + k;
  auto elements = [&](const std::vector<const Type*>& operands) {
    return any_array(operands) ? elementwise_element_types(operands, b.own_type_arguments) : operands;
  };
  if (out_index == args.size()) {
    if (!e.keyword_names.empty() || args.size() < 2 || !args.back()->is_array()) return false;
    std::vector<const Type*> all = elements(args);
    if (!all.empty() && builtin_accepts(e, b, all)) return false;
    std::vector<const Type*> inputs = elements({args.begin(), args.end() - 1});
    if (inputs.empty() || !builtin_accepts(e, b, inputs)) return false;
    out_index = args.size() - 1;
  }
  SourceSpan span = e.span;
  std::vector<hir::ExprPtr> operands = e.take_args();
  hir::ExprPtr out = std::move(operands[out_index]);
  operands.erase(operands.begin() + static_cast<std::ptrdiff_t>(out_index));
  std::vector<std::string> keywords = e.keyword_names;
  if (out_index >= keyword_start)
    keywords.erase(keywords.begin() + static_cast<std::ptrdiff_t>(out_index - keyword_start));
  hir::ExprPtr value = hir::make_call(std::move(e.callee_slot()), std::move(operands), span);
  value->keyword_names = std::move(keywords);
  if (args[out_index]->kind == TypeKind::NoneType) {
    e = std::move(*value);
    return true;
  }
  if (!args[out_index]->is_array())
    typing_error(out->span, "a ufunc's output must be an array, not " + describe(args[out_index]));
  std::vector<hir::ExprPtr> both;
  both.push_back(std::move(value));
  both.push_back(std::move(out));
  e = std::move(*hir::make_call(hir::make_builtin("ufunc.out", span), std::move(both), span));
  return true;
}

// np.add(a, b) with an array operand is a + b (np.less is <, np.negative is
// unary -): the same NumPy rules, and it fuses with the expression around it.
const Type* Inferrer::ufunc_as_operator(Expr& e, const library::Builtin& b) {
  const std::string& name = b.name;
  if (!e.keyword_names.empty())
    unsupported(e.span, name + "() does not accept keyword arguments other than out= in compiled code");
  size_t arity = b.as_unary ? 1 : 2;
  size_t given = e.children.size() - 1;
  if (given != arity)
    typing_error(e.span, name + "() takes " + std::to_string(arity) + " input" + (arity == 1 ? "" : "s") + ", not " +
                             std::to_string(given));
  std::vector<hir::ExprPtr> operands = e.take_args();
  SourceSpan span = e.span;
  if (b.as_unary) {
    const Type* x = expr(*operands[0]);
    if (*b.as_unary == hir::UnaryOp::Pos && x->is_array() && x->dtype()->is_bool())
      typing_error(span, name + "() has no loop for booleans");
    Expr unary(ExprKind::Unary, span);
    unary.unary_op = *b.as_unary;
    unary.children.push_back(std::move(operands[0]));
    e = std::move(unary);
    return expr(e);
  }
  Expr op(b.as_binary ? ExprKind::Binary : ExprKind::Compare, span);
  if (b.as_binary) op.binary_op = *b.as_binary;
  else op.compare_ops = {*b.as_compare};
  op.children = std::move(operands);
  e = std::move(op);
  return expr(e);
}

}  // namespace numjit::types
