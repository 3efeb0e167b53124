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

hir::ExprPtr Inferrer::packed_index(Expr& subscript) {
  if (subscript.indices().size() == 1) return std::move(subscript.indices().slot(0));
  auto packed = std::make_unique<Expr>(ExprKind::Tuple, subscript.span);
  for (size_t i = 0; i < subscript.indices().size(); ++i) packed->children.push_back(std::move(subscript.indices().slot(i)));
  return packed;
}

// A slice has no value compiled code could pass to __getitem__: the class
// (numjit/records.py) asks instead, by `__index_fields__`, for each field
// indexed where it stands.
bool Inferrer::index_each_field(Expr& e, const Type* base) {
  bool sliced = false;
  for (const Expr& index : e.indices()) sliced = sliced || index.kind == ExprKind::Slice;
  if (!sliced || !base->is_named_tuple() || !has_class_method(base, "__index_fields__")) return false;
  SourceSpan span = e.span;
  for (const Expr& index : e.indices())
    if (!evaluated_twice_alike(index))
      unsupported(index.span, "a slice with side effects here would be evaluated once per field: bind its bounds "
                              "to variables first");
  // The array once, held for the fields after the first: ((t := a).f0[s], t.f1[s], ...).
  int held = new_local("<structured array>", span);
  auto instance = std::make_unique<Expr>(ExprKind::Tuple, span);
  instance->global = hir::GlobalValue{.kind = hir::GlobalValue::Kind::NamedTupleClass, .name = base->class_key,
                                      .fields = base->fields};
  for (size_t k = 0; k < base->fields.size(); ++k) {
    hir::ExprPtr array = hir::make_local(held, span);
    if (k == 0) {
      array = std::make_unique<Expr>(ExprKind::AssignExpr, span);
      array->local = held;
      array->children.push_back(std::move(e.value_slot()));
    }
    auto field = std::make_unique<Expr>(ExprKind::Subscript, span);
    field->attribute = hir::kNamedTupleField;
    field->children.push_back(std::move(array));
    field->children.push_back(hir::make_int(static_cast<int64_t>(k), span));
    auto indexed = std::make_unique<Expr>(ExprKind::Subscript, span);
    indexed->children.push_back(std::move(field));
    for (const Expr& index : e.indices()) indexed->children.push_back(hir::clone(index));
    instance->children.push_back(std::move(indexed));
  }
  e = std::move(*instance);
  return true;
}

bool Inferrer::iterate_by_index(Stmt& s, const Type* iter) {
  auto records = [&](const Type* t) {
    return t->is_named_tuple() && has_class_method(t, "__index_fields__") && has_class_method(t, "__len__");
  };
  auto indexable = [&](const Type* t) {
    return records(t) || (t->is_array() && t->ndim >= 1) || t->kind == TypeKind::List;
  };
  std::vector<hir::ExprPtr> sources;
  hir::ExprPtr start;  // `enumerate(records[, start])`: each item (k + start, items[k])
  bool zipped = false;  // `zip(records, xs, ...)`: each item (items0[k], items1[k], ...)
  Expr& iterable = *s.value;
  if (is_builtin_call(iterable, "enumerate") && !iterable.args().empty() && iterable.keyword_names.empty() &&
      iterable.args().size() <= 2 && records(expr(iterable.args()[0]))) {
    std::vector<hir::ExprPtr> args = iterable.take_args();
    start = args.size() == 2 ? std::move(args[1]) : hir::make_int(0, iterable.span);
    sources.push_back(std::move(args[0]));
  } else if (is_builtin_call(iterable, "zip") && !iterable.args().empty() && iterable.keyword_names.empty()) {
    bool any_records = false, all_indexable = true;
    for (Expr& arg : iterable.args()) {
      const Type* t = expr(arg);
      any_records = any_records || records(t);
      all_indexable = all_indexable && indexable(t);
    }
    if (!any_records || !all_indexable) return false;
    sources = iterable.take_args();
    zipped = true;
  } else if (records(iter)) {
    sources.push_back(std::move(s.value));
  } else {
    return false;
  }
  // if True: items = <iterable>; for k in range(len(items)): r = items[k]; <body>
  // (each iterable evaluated once, as Python's for loop takes it; zip stops at the shortest).
  SourceSpan span = sources[0]->span;
  int index = new_local("<record index>", span);
  std::vector<hir::StmtPtr> binds;
  std::vector<hir::ExprPtr> lengths, elements;
  for (hir::ExprPtr& source : sources) {
    int items = new_local("<iterated>", span);
    auto bind = std::make_unique<Stmt>(StmtKind::Assign, span);
    bind->target = hir::make_local(items, span);
    bind->value = std::move(source);
    binds.push_back(std::move(bind));
    lengths.push_back(hir::make_call(hir::make_builtin("len", span), hir::one(hir::make_local(items, span)), span));
    auto element = std::make_unique<Expr>(ExprKind::Subscript, span);
    element->children.push_back(hir::make_local(items, span));
    element->children.push_back(hir::make_local(index, span));
    elements.push_back(std::move(element));
  }
  hir::ExprPtr value;
  if (zipped) {
    value = std::make_unique<Expr>(ExprKind::Tuple, span);
    for (hir::ExprPtr& element : elements) value->children.push_back(std::move(element));
  } else {
    value = std::move(elements[0]);
  }
  if (start) {
    auto counted = std::make_unique<Expr>(ExprKind::Binary, span);
    counted->binary_op = BinaryOp::Add;
    counted->children.push_back(hir::make_local(index, span));
    counted->children.push_back(std::move(start));
    auto pair = std::make_unique<Expr>(ExprKind::Tuple, span);
    pair->children.push_back(std::move(counted));
    pair->children.push_back(std::move(value));
    value = std::move(pair);
  }
  auto loop = std::make_unique<Stmt>(StmtKind::For, s.span);
  auto item = std::make_unique<Stmt>(StmtKind::Assign, s.span);
  item->target = std::move(s.target);
  item->value = std::move(value);
  loop->body.push_back(std::move(item));
  for (hir::StmtPtr& b : s.body) loop->body.push_back(std::move(b));
  loop->orelse = std::move(s.orelse);
  hir::ExprPtr count = lengths.size() == 1 ? std::move(lengths[0])
                                           : hir::make_call(hir::make_builtin("min", span), std::move(lengths), span);
  loop->value = hir::make_call(hir::make_builtin("range", span), hir::one(std::move(count)), span);
  loop->target = hir::make_local(index, span);
  s.kind = StmtKind::If;
  s.target = nullptr;
  s.value = hir::make_bool(true, span);
  s.body = std::move(binds);
  s.orelse.clear();
  s.body.push_back(std::move(loop));
  return true;
}

bool Inferrer::read_field_in_place(Expr& e, const std::string& field) {
  Expr& element = e.value();
  // The array's own attributes share the fallbacks' namespace with its fields (numjit/records.py).
  if (element.kind != ExprKind::Subscript || !element.attribute.empty() || field == "shape" || field == "size" ||
      field == "ndim")
    return false;
  const Type* array = expr(element.value());
  if (!array->is_named_tuple() || !has_class_method(array, "__index_fields__") || array->elements.empty())
    return false;
  // The tuple's field of that name (numjit/records.py names them after the dtype's where it can).
  auto position = std::find(array->fields.begin(), array->fields.end(), field);
  if (position == array->fields.end()) return false;
  // Integers down to one element: the index picks a record.
  if (static_cast<int>(element.indices().size()) != array->elements[0]->ndim) return false;
  for (Expr& index : element.indices()) {
    const Type* t = expr(index);
    if (!t->is_integer()) return false;
  }
  SourceSpan span = e.span;
  auto view = std::make_unique<Expr>(ExprKind::Subscript, span);  // the field's view, read from the tuple
  view->attribute = hir::kNamedTupleField;
  view->children.push_back(std::move(element.value_slot()));
  view->children.push_back(hir::make_int(position - array->fields.begin(), span));
  auto read = std::make_unique<Expr>(ExprKind::Subscript, span);
  read->children.push_back(std::move(view));
  for (size_t k = 0; k < element.indices().size(); ++k) read->children.push_back(std::move(element.indices().slot(k)));
  e = std::move(*read);
  return true;
}

void Inferrer::unwrap_one_tuple_index(Expr& subscript, const Type* base) {
  if (subscript.indices().size() != 1 || subscript.indices()[0].kind != ExprKind::Tuple ||
      subscript.indices()[0].attribute != hir::kOneTupleIndex)
    return;
  bool keeps_tuple = base->kind == TypeKind::Dict || is_jitclass_instance(base) ||
                     (base->is_named_tuple() && has_class_method(base, "__getitem__"));
  if (keeps_tuple) {
    subscript.indices()[0].attribute.clear();  // an ordinary tuple from here on
    return;
  }
  hir::ExprPtr only = std::move(subscript.indices()[0].children[0]);
  subscript.indices().slot(0) = std::move(only);
}

}  // namespace numjit::types
