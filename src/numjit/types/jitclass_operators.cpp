// Operators on @jitclass instances call the class's special methods, as
// Python does: `a + b` is a.__add__(b), or b.__radd__(a) when a's class has
// no __add__; `a < b` is a.__lt__(b), or b.__gt__(a); `a != b` without
// __ne__ is `not a.__eq__(b)`; `-a` is a.__neg__(); `a += b` is
// a = a.__iadd__(b), or a = a + b without __iadd__. Which method exists is
// known while compiling (a method is a library fallback under the class's
// key, numjit/experimental/jitclass.py), so Python's run-time NotImplemented
// protocol has no part here: a method that exists is the one called.
#include "numjit/hir/build.h"
#include "numjit/types/inferrer.h"

namespace numjit::types {

using hir::Expr;
using hir::ExprKind;

namespace {
struct OperatorMethods {
  const char* own;
  const char* reflected;
  const char* in_place;
};

OperatorMethods binary_methods(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return {"__add__", "__radd__", "__iadd__"};
    case BinaryOp::Sub: return {"__sub__", "__rsub__", "__isub__"};
    case BinaryOp::Mul: return {"__mul__", "__rmul__", "__imul__"};
    case BinaryOp::TrueDiv: return {"__truediv__", "__rtruediv__", "__itruediv__"};
    case BinaryOp::FloorDiv: return {"__floordiv__", "__rfloordiv__", "__ifloordiv__"};
    case BinaryOp::Mod: return {"__mod__", "__rmod__", "__imod__"};
    case BinaryOp::Pow: return {"__pow__", "__rpow__", "__ipow__"};
    case BinaryOp::BitAnd: return {"__and__", "__rand__", "__iand__"};
    case BinaryOp::BitOr: return {"__or__", "__ror__", "__ior__"};
    case BinaryOp::BitXor: return {"__xor__", "__rxor__", "__ixor__"};
    case BinaryOp::LShift: return {"__lshift__", "__rlshift__", "__ilshift__"};
    case BinaryOp::RShift: return {"__rshift__", "__rrshift__", "__irshift__"};
    case BinaryOp::MatMul: return {"__matmul__", "__rmatmul__", "__imatmul__"};
  }
  return {nullptr, nullptr, nullptr};
}

// Each comparison's method, and the one its reflection calls on the right operand.
std::pair<const char*, const char*> compare_methods(hir::CompareOp op) {
  switch (op) {
    case hir::CompareOp::Eq: return {"__eq__", "__eq__"};
    case hir::CompareOp::NotEq: return {"__ne__", "__ne__"};
    case hir::CompareOp::Lt: return {"__lt__", "__gt__"};
    case hir::CompareOp::LtE: return {"__le__", "__ge__"};
    case hir::CompareOp::Gt: return {"__gt__", "__lt__"};
    case hir::CompareOp::GtE: return {"__ge__", "__le__"};
    default: return {nullptr, nullptr};
  }
}

const char* compare_symbol(hir::CompareOp op) {
  static const char* const kSymbols[] = {"==", "!=", "<", "<=", ">", ">=", "is", "is not"};
  return kSymbols[static_cast<int>(op)];
}
}  // namespace

int Inferrer::new_local(const char* name, const SourceSpan& span) {
  fn_.locals.push_back(hir::Variable{.name = name, .span = span});
  return static_cast<int>(fn_.locals.size()) - 1;
}

// A reflected method's call evaluates the left operand first, as Python
// does, though the right one is its object: `(t := left, right)[1].__radd__(t)`.
hir::ExprPtr Inferrer::left_first(hir::ExprPtr& left, hir::ExprPtr right) {
  if (left->kind == ExprKind::Local || left->kind == ExprKind::Const) return right;
  SourceSpan span = left->span;
  int held = new_local("<left operand>", span);
  auto bind = std::make_unique<Expr>(ExprKind::AssignExpr, span);
  bind->local = held;
  bind->children.push_back(std::move(left));
  auto pair = std::make_unique<Expr>(ExprKind::Tuple, span);
  pair->children.push_back(std::move(bind));
  pair->children.push_back(std::move(right));
  auto second = std::make_unique<Expr>(ExprKind::Subscript, span);
  second->children.push_back(std::move(pair));
  second->children.push_back(hir::make_int(1, span));
  left = hir::make_local(held, span);
  return second;
}

bool Inferrer::has_class_method(const Type* t, const char* method) {
  return (is_jitclass_instance(t) || t->is_named_tuple()) &&
         resolver_.library_fallback(method_namespace(t) + "." + method) != nullptr;
}

const Type* Inferrer::jitclass_binary(Expr& e, const Type* l, const Type* r) {
  OperatorMethods m = binary_methods(e.binary_op);
  if (has_class_method(l, m.own)) return method_call_of(e, m.own, std::move(e.lhs_slot()), std::move(e.rhs_slot()));
  if (has_class_method(r, m.reflected)) {
    hir::ExprPtr right = left_first(e.lhs_slot(), std::move(e.rhs_slot()));
    return method_call_of(e, m.reflected, std::move(right), std::move(e.lhs_slot()));
  }
  typing_error(e.span, std::string("cannot ") + op_verb(e.binary_op) + " " + describe(l) + " and " + describe(r) +
                           ": define " + m.own + (is_jitclass_instance(r) ? std::string(" or ") + m.reflected : "") +
                           " on the class");
}

const Type* Inferrer::jitclass_compare(Expr& e, const Type* l, const Type* r) {
  hir::CompareOp op = e.compare_ops[0];
  if (e.compare_ops.size() != 1)
    unsupported(e.span, "chained comparisons of jitclass instances are not supported: write `a < b and b < c`");
  auto [own, reflected] = compare_methods(op);
  if (!own) unsupported(e.span, "'is' comparisons are only supported against None");
  if (has_class_method(l, own) || has_class_method(r, reflected)) {
    std::vector<hir::ExprPtr> operands = e.take_operands();
    if (has_class_method(l, own)) return method_call_of(e, own, std::move(operands[0]), std::move(operands[1]));
    hir::ExprPtr right = left_first(operands[0], std::move(operands[1]));
    return method_call_of(e, reflected, std::move(right), std::move(operands[0]));
  }
  if (op == hir::CompareOp::NotEq && (has_class_method(l, "__eq__") || has_class_method(r, "__eq__"))) {
    // Python's default __ne__ inverts __eq__.
    SourceSpan span = e.span;
    e.compare_ops[0] = hir::CompareOp::Eq;
    auto inverted = std::make_unique<Expr>(ExprKind::Unary, span);
    inverted->unary_op = hir::UnaryOp::Not;
    inverted->children.push_back(std::make_unique<Expr>(std::move(e)));
    e = std::move(*inverted);
    return expr(e);
  }
  typing_error(e.span, std::string("cannot compare ") + describe(l) + " " + compare_symbol(op) + " " + describe(r) +
                           ": define " + own + " on the class");
}

const Type* Inferrer::jitclass_unary(Expr& e, const Type* t) {
  const char* method = e.unary_op == hir::UnaryOp::Neg   ? "__neg__"
                       : e.unary_op == hir::UnaryOp::Pos ? "__pos__"
                                                         : "__invert__";
  if (!has_class_method(t, method))
    typing_error(e.span, "cannot apply this operator to " + describe(t) + ": define " + method + " on the class");
  SourceSpan span = e.span;
  e = std::move(*hir::make_call(hir::make_attribute(std::move(e.operand_slot()), method, span), {}, span));
  return call(e);
}

bool Inferrer::jitclass_aug_assign(Stmt& s, const Type* current) {
  if (!is_jitclass_instance(current)) return false;
  refuse_evaluating_twice(*s.target);
  // Through __iop__, else a = a op b (through __op__ or the value's __rop__).
  if (!in_place_method_call(s, hir::clone(*s.target), current)) as_plain_assignment(s, hir::clone(*s.target));
  statement(s);
  return true;
}

bool Inferrer::in_place_method_call(Stmt& s, hir::ExprPtr read, const Type* current) {
  const char* in_place = binary_methods(s.op).in_place;
  if (!is_jitclass_instance(current) || !has_class_method(current, in_place)) return false;
  SourceSpan span = s.span;
  s.value = hir::make_call(hir::make_attribute(std::move(read), in_place, span), hir::one(std::move(s.value)), span);
  s.kind = StmtKind::Assign;  // Python binds what __iadd__ returns
  return true;
}

void Inferrer::refuse_evaluating_twice(const Expr& target) {
  if (!evaluated_twice_alike(target))
    unsupported(target.span, "an in-place operator here would evaluate this target's object or index twice (it has "
                             "side effects): bind them to variables first");
}

hir::ExprPtr Inferrer::jitclass_truth(hir::ExprPtr object, const Type* t) {
  SourceSpan span = object->span;
  if (has_class_method(t, "__bool__"))
    return hir::make_call(hir::make_attribute(std::move(object), "__bool__", span), {}, span);
  if (has_class_method(t, "__len__"))
    return hir::make_length_test(std::move(object), hir::CompareOp::NotEq, span);
  auto always = std::make_unique<Expr>(ExprKind::Compare, span);  // `object is not None`: True, decided by types
  always->compare_ops.push_back(hir::CompareOp::IsNot);
  always->children.push_back(std::move(object));
  always->children.push_back(hir::make_none(span));
  return always;
}

}  // namespace numjit::types
