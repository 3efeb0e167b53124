// Namedtuple classes whose instances index like arrays: a structured array
// (numjit/records.py) is a namedtuple of its fields' views, and the library
// gives its class __getitem__, __len__ and the `__index_fields__` marker.
// Inference reads `a[i].x` as the view `a.x[i]`, indexes each field alike for
// a slice (a slice has no value to pass to a function), and turns a loop over
// records, or enumerate/zip of them, into a loop over indices. Also here: the
// one index Python passes a class's __getitem__ for `obj[i, j]`, and the
// front end's one-tuple index `x[(k,)]`.
#include <algorithm>

#include "numjit/hir/build.h"
#include "numjit/types/inferrer.h"

namespace numjit::types {

using hir::Expr;
using hir::ExprKind;

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
  // Only a value may be typed here: an iteration form (np.ndindex(...), a.flat, enumerate(...)) types
  // only as what a for loop takes from it.
  auto a_value = [](const Expr& x) {
    return x.kind == ExprKind::Local || x.kind == ExprKind::Subscript ||
           (x.kind == ExprKind::Attribute && x.attribute != "flat");
  };
  std::vector<hir::ExprPtr> sources;
  hir::ExprPtr start;  // `enumerate(records[, start])`: each item (k + start, items[k])
  bool zipped = false;  // `zip(records, xs, ...)`: each item (items0[k], items1[k], ...)
  Expr& iterable = *s.value;
  if (is_builtin_call(iterable, "enumerate") && !iterable.args().empty() && iterable.keyword_names.empty() &&
      iterable.args().size() <= 2 && a_value(iterable.args()[0]) && records(expr(iterable.args()[0]))) {
    std::vector<hir::ExprPtr> args = iterable.take_args();
    start = args.size() == 2 ? std::move(args[1]) : hir::make_int(0, iterable.span);
    sources.push_back(std::move(args[0]));
  } else if (is_builtin_call(iterable, "zip") && !iterable.args().empty() && iterable.keyword_names.empty()) {
    for (const Expr& arg : iterable.args())
      if (!a_value(arg)) return false;
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
