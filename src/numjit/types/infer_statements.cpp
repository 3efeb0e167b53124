// Type inference of statements: assignments and their targets, augmented
// assignment, raise, and the iterables of for loops.
#include "numjit/types/inferrer.h"
#include "numjit/types/time_typing.h"
#include "numjit/hir/build.h"

namespace numjit::types {

void Inferrer::block(hir::Block& b) {
  for (auto& s : b) {
    statement(*s);
    if (ends_statically(*s)) break;  // what follows never runs, and may not type
  }
}

void Inferrer::statement(Stmt& s) {
  switch (s.kind) {
    case StmtKind::Assign: {
      if (s.target->kind == ExprKind::Attribute && !store_attribute(s)) break;
      if (store_jitclass_item(s)) break;
      if (assigns_list_slice(s)) break;
      const Type* value = expr(*s.value);
      // a[i] = [x, y] into an array: the list of numbers stores as np.array([x, y]).
      if (value->kind == TypeKind::List && element_type(value->elements[0])->is_scalar() &&
          s.target->kind == ExprKind::Subscript && expr(s.target->value())->is_array()) {
        SourceSpan span = s.value->span;
        s.value = hir::make_call(hir::make_builtin("np.array", span), hir::one(std::move(s.value)), span);
        value = expr(*s.value);
      }
      if (rewrite_fancy_store(s)) value = expr(*s.value);
      if (s.target->kind == ExprKind::Tuple && value->is_named_tuple() && has_class_method(value, "__unpack__")) {
        SourceSpan span = s.value->span;  // `x, n = record`: its fields (numjit/records.py)
        s.value = hir::make_call(hir::make_attribute(std::move(s.value), "__unpack__", span), {}, span);
        value = expr(*s.value);
      }
      assign(*s.target, widen_literal(*s.target, *s.value, value), s.span);
      if (s.target->kind == ExprKind::Local || s.target->kind == ExprKind::Subscript)
        refuse_untyped_alias(*s.value, s.target->type, s.span);
      note_numpy_scalar(*s.target, *s.value);
      break;
    }
    case StmtKind::AugAssign:
      if (rewrite_fancy_store(s)) {  // now a plain assignment
        statement(s);
        break;
      }
      if (s.target->kind == ExprKind::Attribute && !update_attribute(s)) break;
      if (indexes_jitclass_instance(*s.target)) {  // obj[i] += v: obj[i] = obj[i] + v, through its dunders
        refuse_evaluating_twice(*s.target);
        as_plain_assignment(s, hir::clone(*s.target));
        store_jitclass_item(s);
        break;
      }
      aug_assign(s);
      // (`a += [x]` on a list became a call of a.extend: no target is left)
      if (s.kind == StmtKind::AugAssign && s.target && s.value) note_numpy_scalar(*s.target, *s.value);
      break;
    case StmtKind::ExprStmt: expr(*s.value); break;
    case StmtKind::If: {
      // A condition known from types alone (`w is None`, `a.ndim == 1`)
      // types only the branch that runs, as Numba prunes dead branches.
      condition(*s.value);
      std::optional<bool> known = static_condition(*s.value);
      if (!known || *known) block(s.body);
      if (!known || !*known) block(s.orelse);
      break;
    }
    case StmtKind::While:
      condition(*s.value);
      block(s.body);
      block(s.orelse);
      break;
    case StmtKind::For: for_loop(s); break;
    case StmtKind::Return: {
      const Type* t = s.value ? as_value(expr(*s.value)) : none();
      if (const Type* part = compile_time_only_part(t))
        unsupported(s.span, "cannot return " + describe(part) + (part == t ? "" : " (in " + describe(t) + ")") +
                                " from compiled code");
      const Type* merged = unify(fn_.return_type, t);
      if (!merged)
        typing_error(s.span, "'" + fn_.name + "' returns " + describe(fn_.return_type) +
                                 " elsewhere and cannot also return " + describe(t));
      if (merged != fn_.return_type) {
        fn_.return_type = merged;
        changed_ = true;
      }
      break;
    }
    case StmtKind::Raise:
      if (s.value) raise(s);  // (a bare raise re-raises: nothing to type)
      break;
    case StmtKind::Assert:
      condition(*s.value);
      if (s.message) {
        // A message made at run time (an f-string, a number) is the text of the AssertionError, made
        // only when the assertion fails (lower/lower_stmt.cpp).
        const Type* t = expr(*s.message);
        if (is_unknown(t) || t->kind == TypeKind::StringLiteral || t->kind == TypeKind::String) break;
        SourceSpan span = s.message->span;
        s.message = hir::make_call(hir::make_builtin("str", span), hir::one(std::move(s.message)), span);
        expr(*s.message);
      }
      break;
    case StmtKind::Break:
      if (s.target) assign(*s.target, boolean(), s.span);  // a loop-else flag
      break;
    case StmtKind::Continue:
    case StmtKind::Pass: break;
    case StmtKind::Try:
      block(s.body);
      for (auto& handler : s.handlers) statement(*handler);
      block(s.orelse);
      block(s.finalbody);
      break;
    case StmtKind::Handler:
      if (s.value) caught_classes(*s.value);
      block(s.body);
      break;
  }
}

// What an except clause names: an exception class, or a tuple of them.
void Inferrer::caught_classes(Expr& e, bool in_tuple) {
  if (e.kind == ExprKind::Tuple && !in_tuple) {
    for (Expr& element : e.elements()) caught_classes(element, true);
    set(e, opaque("exception classes"));
    return;
  }
  expr(e);
  if (e.kind != ExprKind::Global || e.global.kind != hir::GlobalValue::Kind::ExceptionClass)
    unsupported(e.span, "an except clause must name exception classes (found " + describe(e.type) + ")");
}

// obj.field = value on a jitclass instance stores into that field of its
// one item, obj[0][k] = value (a store lowering writes alone: the other
// fields and their references stay). obj.prop = value calls the property's
// setter. Returns whether the statement, now rewritten, is still to be typed
// as an assignment (false: typed here, or types unknown yet).
bool Inferrer::store_attribute(Stmt& s) {
  Expr& target = *s.target;
  const Type* base = expr(target.value());
  const Type* value = expr(*s.value);
  if (is_unknown(base) || is_unknown(value)) return false;
  const std::string& name = target.attribute;
  // A namedtuple class the library gives setters (a structured array's record, numjit/records.py).
  bool settable_class = base->is_named_tuple() && resolver_.library_fallback(base->class_key + "@=" + name);
  if (!is_jitclass_instance(base) && !settable_class)
    unsupported(target.span, "cannot assign attribute '" + name + "' of " + describe(base));
  const Type* fields = settable_class ? base : base->elements[0];
  size_t k = settable_class ? fields->fields.size()
                            : std::find(fields->fields.begin(), fields->fields.end(), name) - fields->fields.begin();
  SourceSpan span = s.span;
  int self = target.value().local;
  if (k == fields->fields.size()) {
    void* setter = resolver_.library_fallback(method_namespace(base) + "@=" + name);
    if (!setter) typing_error(target.span, describe(base) + " has no field or property setter '" + name + "'");
    auto callee = std::make_unique<Expr>(ExprKind::Global, span);
    callee->global = hir::GlobalValue{.kind = hir::GlobalValue::Kind::JitFunction, .name = name, .py_object = setter};
    std::vector<hir::ExprPtr> args;
    args.push_back(hir::make_local(self, span));
    args.push_back(std::move(s.value));
    s.kind = StmtKind::ExprStmt;
    s.target = nullptr;
    s.value = hir::make_call(std::move(callee), std::move(args), span);
    expr(*s.value);
    return false;
  }
  auto field = std::make_unique<Expr>(ExprKind::Subscript, span);
  field->children.push_back(hir::make_jitclass_item(hir::make_local(self, span), span));
  field->children.push_back(hir::make_int(static_cast<int64_t>(k), span));
  s.target = std::move(field);
  return true;
}

// The checks of a store into one field of a jitclass instance (store_attribute).
void Inferrer::check_field_store(Expr& target, const Type* value, const SourceSpan& span) {
  const Type* field = subscript(target);
  target.type = field;
  bool fits = field->is_array()    ? value->is_array() && value->ndim == field->ndim && value->scalar == field->scalar &&
                                      (field->layout == Layout::Any || field->layout == value->layout) &&
                                      !value->readonly
              : field->is_scalar() ? value->is_scalar() && (field->is_complex() || !value->is_complex())
                                   : unify(field, value) == field;
  if (!fits) typing_error(span, "cannot store " + describe(value) + " into a field of type " + describe(field));
}

// Whether `target` is obj[i] of a jitclass instance (its __setitem__). The
// object is typed on a copy: typing may rewrite an expression (a.flat) in a
// way the assignment's own typing must still see first.
bool Inferrer::indexes_jitclass_instance(const Expr& target) {
  if (target.kind != ExprKind::Subscript || !target.attribute.empty()) return false;  // a field's position
  hir::ExprPtr object = hir::clone(target.value());
  const Type* t = expr(*object);
  return is_jitclass_instance(t) || (t->is_named_tuple() && has_class_method(t, "__setitem__"));
}

bool Inferrer::store_jitclass_item(Stmt& s) {
  if (!indexes_jitclass_instance(*s.target)) return false;
  SourceSpan span = s.span;
  for (const Expr& index : s.target->indices())
    if (index.kind == ExprKind::Slice)  // a slice has no value to pass to __setitem__
      unsupported(index.span, "assigning to a slice of " + describe(expr(s.target->value())) +
                                  " is not supported; assign each field: a['x'][1:3] = ...");
  std::vector<hir::ExprPtr> args = hir::one(packed_index(*s.target));
  args.push_back(std::move(s.value));
  s.value = hir::make_call(hir::make_attribute(std::move(s.target->value_slot()), "__setitem__", span),
                           std::move(args), span);
  s.kind = StmtKind::ExprStmt;
  s.target = nullptr;
  expr(*s.value);
  return true;
}

// obj.field += value: in place for an array field (the array is updated, as
// NumPy's += does); for a number, obj.field = obj.field + value.
bool Inferrer::update_attribute(Stmt& s) {
  hir::ExprPtr read = hir::clone(*s.target);
  const Type* current = expr(*read);
  if (is_unknown(current)) return false;
  if (current->is_array()) {
    s.target = std::move(read);  // the field's array, read; aug_assign updates it in place
    return true;
  }
  if (!in_place_method_call(s, std::move(read), current)) as_plain_assignment(s, hir::clone(*s.target));
  if (store_attribute(s)) statement(s);
  return false;
}

void Inferrer::as_plain_assignment(Stmt& s, hir::ExprPtr read) {
  auto result = std::make_unique<Expr>(ExprKind::Binary, s.span);
  result->binary_op = s.op;
  result->children.push_back(std::move(read));
  result->children.push_back(std::move(s.value));
  s.kind = StmtKind::Assign;
  s.value = std::move(result);
}

void Inferrer::condition(Expr& e) {
  const Type* t = expr(e);
  if (is_unknown(t)) return;
  if (is_jitclass_instance(t)) {
    e = std::move(*jitclass_truth(std::make_unique<Expr>(std::move(e)), t));
    expr(e);
    return;
  }
  if (t->kind == TypeKind::List || t->kind == TypeKind::Dict || t->kind == TypeKind::Set) {
    // `while heap:` is `while len(heap) != 0:`, as in Python.
    SourceSpan span = e.span;
    e = std::move(*hir::make_length_test(std::make_unique<Expr>(std::move(e)), hir::CompareOp::NotEq, span));
    expr(e);
    return;
  }
  if (!t->is_scalar() && t->kind != TypeKind::NoneType && t->kind != TypeKind::Optional)
    typing_error(e.span, "cannot use " + describe(t) + " as a condition");
}

// raise E(a, b) with arguments known only at run time: the text Python's
// str() of the exception shows, as a string expression: str(a) for one
// argument, "(" + repr(a) + ", " + repr(b) + ")" for several (the exception
// then holds that one text as its argument).
hir::ExprPtr Inferrer::message_at_run_time(std::vector<hir::ExprPtr> args, const SourceSpan& span) {
  auto call = [&](const char* name, hir::ExprPtr a) {
    return hir::make_call(hir::make_builtin(name, span), hir::one(std::move(a)), span);
  };
  hir::ExprPtr message;
  const Type* first = args[0]->type;
  if (args.size() == 1 && (first->kind == TypeKind::String || first->kind == TypeKind::StringLiteral)) {
    message = std::move(args[0]);
  } else {
    // The exception's arguments as the text of a tuple of their literals
    // ("('bad', 7)"), which the dispatcher reads back into a tuple.
    std::vector<hir::ExprPtr> parts;
    parts.push_back(hir::make_str("(", span));
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) parts.push_back(hir::make_str(", ", span));
      parts.push_back(call("repr", std::move(args[i])));
    }
    parts.push_back(hir::make_str(args.size() == 1 ? ",)" : ")", span));
    message = call("numjit.exception_arguments", hir::make_call(hir::make_builtin("str.__add__", span), std::move(parts), span));
  }
  expr(*message);
  return message;
}

void Inferrer::raise(Stmt& s) {
  Expr& e = *s.value;
  Expr* cls = &e;
  if (e.kind == ExprKind::Call) {
    cls = &e.callee();
    std::vector<hir::ExprPtr> checked;
    bool types_known = true;  // else a later round of inference decides
    for (hir::ExprPtr& slot : e.take_args()) {
      const Type* t = expr(*slot);
      if (is_unknown(t)) {
        types_known = false;
        checked.push_back(std::move(slot));
        continue;
      }
      // A name whose type is one text (msg = "..." then raise E(msg)) is that text.
      if (slot->kind != ExprKind::Const && t->kind == TypeKind::StringLiteral) {
        hir::ExprPtr text = hir::make_str(t->text, slot->span);
        expr(*text);
        slot = std::move(text);
      }
      bool text_or_number = t->kind == TypeKind::String || (t->is_scalar() && !t->is_complex() && !t->is_time()) ||
                            t->kind == TypeKind::NoneType;
      if (slot->kind != ExprKind::Const && !text_or_number)
        unsupported(slot->span, "exception arguments must be constants, strings or numbers (found " + describe(t) +
                                    ")");
      checked.push_back(std::move(slot));
    }
    bool all_constant = std::all_of(checked.begin(), checked.end(),
                                    [](const hir::ExprPtr& a) { return a->kind == ExprKind::Const; });
    // One integer is the exception's argument as it is (KeyError(3) shows 3,
    // where its text would show '3'); anything else becomes the message text.
    bool one_integer = checked.size() == 1 && checked[0]->type->is_integer() && !checked[0]->type->is_bool();
    if (types_known && !all_constant && !one_integer) checked = one(message_at_run_time(std::move(checked), e.span));
    e.set_args(std::move(checked));
  }
  if (cls->kind != ExprKind::Global || cls->global.kind != hir::GlobalValue::Kind::ExceptionClass)
    unsupported(e.span, "only exception classes can be raised");
  // The class and the exception exist only while compiling: the raise is lowered from them.
  expr(*cls);
  if (cls != &e) set(e, opaque("exception(" + cls->global.name + ")"));
}

void Inferrer::assign(Expr& target, const Type* value, const SourceSpan& span) {
  switch (target.kind) {
    case ExprKind::Local:
      assign_local(target.local, value, span);
      target.type = fn_.locals[target.local].type;
      return;
    case ExprKind::Subscript: {
      const Type* base = expr(target.value());
      if (base->kind == TypeKind::Optional) {
        unwrap_optional(target.value_slot());
        base = expr(target.value());
      }
      if (is_unknown(base) || is_unknown(value)) return;
      unwrap_one_tuple_index(target, base);
      if (base->kind == TypeKind::Dict) {
        std::vector<const Type*> parts;
        for (Expr& ix : target.indices()) {
          const Type* t = expr(ix);
          if (is_unknown(t)) return;
          parts.push_back(t);
        }
        const Type* key = parts.size() == 1 ? parts[0] : tuple(parts);
        const Type* refined = base;
        if (is_unknown(base->elements[0])) {
          check_dict_types(key, value, span);
          refined = dict(key, value, base->typed_container);
        }
        // A number of another width converts to the dict's type, as into a list's.
        auto stored = [](const Type* held, const Type* given) { return converts_to_item(given, held) ? held : unify(held, given); };
        const Type* k = stored(refined->elements[0], key);
        const Type* v = stored(refined->elements[1], value);
        if (!k || !v) typing_error(span, "cannot store " + describe(value) + " at a key " + describe(key) + " of " +
                                             describe(refined));
        if (k != refined->elements[0] || v != refined->elements[1]) {
          check_dict_types(k, v, span);
          refined = dict(k, v, base->typed_container);
        }
        if (refined != base && !refine_holder(target.value(), refined, span))
          typing_error(span, "cannot change the types of " + describe(base) + " here: only a dict held by a "
                             "variable, or an empty one held by another dict or a list, takes new types");
        target.type = refined->elements[1];
        return;
      }
      if (base->kind == TypeKind::Pointer) {
        const Type* element = subscript(target);
        target.type = element;
        if (!value->is_scalar() || (value->is_complex() && !element->is_complex()))
          typing_error(span, "cannot store " + describe(value) + " through " + describe(base));
        return;
      }
      if (base->kind == TypeKind::List) {
        const Type* item = subscript(target);
        target.type = item;
        bool fits = item->is_array() ? value->is_array() && value->ndim == item->ndim && value->scalar == item->scalar
                                     : value->is_scalar() || value->kind == TypeKind::Tuple ||
                                           ((value->kind == TypeKind::String || value->kind == TypeKind::StringLiteral) &&
                                            item->kind == TypeKind::String) ||
                                           (is_jitclass_instance(item) && value == item);
        if (!fits) typing_error(span, "cannot store " + describe(value) + " into " + describe(base));
        return;
      }
      if (base->kind == TypeKind::Tuple && target.value().kind == ExprKind::Subscript &&
          target.value().attribute == kJitclassItem)
        return check_field_store(target, value, span);
      if (!base->is_array()) typing_error(target.span, "cannot assign to an element of " + describe(base));
      if (base->readonly) typing_error(target.span, "cannot write to a read-only array (" + describe(base) + ")");
      const Type* elem = subscript(target);
      target.type = elem;
      if (elem->is_array()) {
        // Slice assignment: the value (a scalar or an array) broadcasts to the view;
        // a tuple of numbers stores into a row (out[i] = (x, y)).
        if (value->kind == TypeKind::Tuple && elem->ndim == 1 && !value->elements.empty() &&
            std::all_of(value->elements.begin(), value->elements.end(), [&](const Type* t) {
              return t->is_scalar() && (!t->is_complex() || elem->dtype()->is_complex());
            }))
          return;
        if (!value->is_scalar() && !value->is_array())
          typing_error(span, "cannot store " + describe(value) + " into " + describe(elem));
        // A value with more dimensions stores when its extra leading axes are 1 (checked at run time).
        if (element_type(value)->is_complex() && !elem->dtype()->is_complex())
          typing_error(span, "cannot store " + describe(value) + " into " + describe(elem));
        // NumPy copies an array into another unsafely (timedeltas in months into days, by the
        // average month), and a scalar by same_kind rules.
        if ((element_type(value)->is_time() || elem->dtype()->is_time()) &&
            !time_convertible(element_type(value), elem->dtype(), /*unsafe=*/value->is_array()))
          typing_error(span, "cannot store " + describe(value) + " into " + describe(elem));
        return;
      }
      if (!value->is_scalar())
        typing_error(span, "cannot store " + describe(value) + " into an element of " + describe(base));
      if (value->is_complex() && !elem->is_complex())
        typing_error(span, "cannot store " + describe(value) + " into an array of " + describe(elem));
      if ((value->is_time() || elem->is_time()) && !time_convertible(value, elem))
        typing_error(span, "cannot store " + describe(value) + " into an array of " + describe(elem));
      return;
    }
    case ExprKind::Tuple: {
      if (is_unknown(value)) return;
      auto targets = target.elements();
      size_t n = targets.size();
      if (value->kind == TypeKind::Tuple) {
        if (value->elements.size() != n)
          typing_error(span, "cannot unpack " + describe(value) + " into " + std::to_string(n) + " values");
        for (size_t i = 0; i < n; ++i) assign(targets[i], value->elements[i], span);
      } else if (value->is_array() && value->ndim == 1) {
        for (size_t i = 0; i < n; ++i) assign(targets[i], value->dtype(), span);
      } else {
        typing_error(span, "cannot unpack " + describe(value));
      }
      target.type = value;
      return;
    }
    default: typing_error(target.span, "cannot assign to this expression");
  }
}

// items[a:b:c] = values is the library's items.__setslice__(a, b, c, values)
// (python/numjit/library/lists.py), absent parts None.
bool Inferrer::assigns_list_slice(Stmt& s) {
  Expr& target = *s.target;
  if (target.kind != ExprKind::Subscript || target.indices().size() != 1 ||
      target.indices()[0].kind != ExprKind::Slice)
    return false;
  const Type* base = expr(target.value());
  if (base->kind != TypeKind::List) return false;
  Expr& slice = target.indices()[0];
  std::vector<hir::ExprPtr> args;
  for (hir::ExprPtr* part : {&slice.lower_slot(), &slice.upper_slot(), &slice.step_slot()})
    args.push_back(*part ? std::move(*part) : hir::make_none(slice.span));
  args.push_back(std::move(s.value));
  SourceSpan span = s.span;
  s.value = hir::make_call(hir::make_attribute(std::move(target.value_slot()), "__setslice__", span), std::move(args),
                           span);
  s.target = nullptr;
  s.kind = StmtKind::ExprStmt;
  expr(*s.value);
  return true;
}

// In place, as NumPy: the array keeps its dtype, and the result must cast
// to it by NumPy's 'same_kind' rule: never to an earlier kind of
// bool < unsigned < signed < float < complex (int64 into uint32 raises
// UFuncTypeError in NumPy; uint64 into int8 is allowed).
void Inferrer::check_in_place_kind(const Stmt& s, const Type* current, const Type* value, const Type* result) {
  const Type* dtype = result->dtype();
  auto kind_rank = [](const Type* d) {
    return d->is_bool() ? 0 : d->is_integer() ? (d->is_signed() ? 2 : 1) : d->is_float() ? 3 : 4;
  };
  if (kind_rank(dtype) > kind_rank(current->dtype()))
    typing_error(s.span, "cannot compute " + describe(current) + " " + op_verb(s.op) + " " + describe(value) +
                             " in place: the result would be " + describe(dtype) +
                             ", which NumPy does not cast back ('same_kind')");
}

void Inferrer::aug_assign(Stmt& s) {
  const Type* current = strip_optional(expr(*s.target));
  const Type* value = strip_optional(expr(*s.value));
  if (is_unknown(current) || is_unknown(value)) return;
  if (jitclass_aug_assign(s, current)) return;
  bool text = current->kind == TypeKind::String || current->kind == TypeKind::StringLiteral;
  if (text && (s.target->kind == ExprKind::Local || s.target->kind == ExprKind::Subscript)) {
    // s += t makes a new string: the statement is s = s + t (items[i] = items[i] + t: the
    // index is evaluated twice, which only matters for an index with side effects).
    as_plain_assignment(s, hir::clone(*s.target));
    assign(*s.target, expr(*s.value), s.span);
    return;
  }
  const char* in_place = nullptr;  // a += b extends a list in place, and a |= b updates a set, as in Python
  if (current->kind == TypeKind::List && s.op == BinaryOp::Add) in_place = "extend";
  if (current->kind == TypeKind::List && s.op == BinaryOp::Mul) in_place = "__imul__";  // lists.py
  if (current->kind == TypeKind::Set) {
    in_place = s.op == BinaryOp::BitOr    ? "update"
               : s.op == BinaryOp::BitAnd ? "intersection_update"
               : s.op == BinaryOp::Sub    ? "difference_update"
               : s.op == BinaryOp::BitXor ? "symmetric_difference_update"
                                          : nullptr;
    if (!in_place || value->kind != TypeKind::Set)
      typing_error(s.span, "cannot " + std::string(op_verb(s.op)) + " " + describe(current) + " and " +
                               describe(value) + " in place");
  }
  if (in_place) {
    SourceSpan span = s.span;
    s.value = hir::make_call(hir::make_attribute(std::move(s.target), in_place, span), hir::one(std::move(s.value)),
                             span);
    s.kind = StmtKind::ExprStmt;
    expr(*s.value);
    return;
  }
  if (holds_time(current) || holds_time(value)) {
    // Datetimes and timedeltas: the operator's own typing and lowering (units, NaT), then a
    // store. x op= v is x = x op v; for an array, a op= v is a[:] = a op v, in place.
    binary(s.op, current, value, s.span, false);
    as_plain_assignment(s, hir::clone(*s.target));
    if (current->is_array()) {
      if (current->ndim == 0) unsupported(s.span, "an in-place operator on a 0-d datetime64 or timedelta64 array");
      SourceSpan span = s.span;
      auto whole = std::make_unique<Expr>(ExprKind::Subscript, span);
      whole->children.push_back(std::move(s.target));
      whole->children.push_back(hir::make_full_slice(span));
      s.target = std::move(whole);
    }
    assign(*s.target, expr(*s.value), s.span);
    return;
  }
  const Type* result = binary(s.op, current, value, s.span, s.value->is_negative_int_constant(),
                              hir::numpy_scalar_operands({s.target.get(), s.value.get()}));
  if (current->is_array()) {
    check_in_place_kind(s, current, value, result);
    if (current->readonly) typing_error(s.span, "cannot write to a read-only array (" + describe(current) + ")");
    if (value->is_array() && value->ndim > current->ndim)
      typing_error(s.span, "cannot compute " + describe(current) + " " + op_verb(s.op) + " " + describe(value) +
                               " in place: the result would have more dimensions than the target");
    return;
  }
  if (s.target->kind == ExprKind::Local) {
    assign_local(s.target->local, result, s.span);
  } else {
    assign(*s.target, result, s.span);
  }
}

// The first part of `t` that exists only while compiling (a string constant,
// a module, a range object), looking inside tuples and optionals; nullptr if none.
// A string constant returned is a run-time string, in a tuple or optional too.
const Type* Inferrer::as_value(const Type* t) {
  if (t->kind == TypeKind::StringLiteral) return string();
  if (t->kind == TypeKind::Optional) return optional(as_value(t->elements[0]));
  if (t->kind == TypeKind::Tuple) {
    std::vector<const Type*> parts;
    for (const Type* e : t->elements) parts.push_back(as_value(e));
    return tuple_like(t, parts);
  }
  return t;
}

const Type* Inferrer::compile_time_only_part(const Type* t) {
  if (is_dtype_value(t)) return nullptr;  // returned as its name (abi::ReturnCode::DType), boxed as np.dtype
  if (t->kind == TypeKind::Opaque || t->kind == TypeKind::StringLiteral || t->kind == TypeKind::Range) return t;
  if (t->kind == TypeKind::Tuple || t->kind == TypeKind::Optional)
    for (const Type* e : t->elements)
      if (const Type* part = compile_time_only_part(e)) return part;
  return nullptr;
}

// The element type of iterating over a value of type `iter`, or nullptr.
// A tuple of strings that are not all one constant ('a', 'bb', ...) is
// walked or indexed at run time as a tuple of run-time strings: e becomes
// numjit.runtime_strings(e). False for any other value.
bool Inferrer::strings_at_run_time(Expr& e) {
  const Type* t = e.type;
  if (!t || t->kind != TypeKind::Tuple || t->elements.empty() || homogeneous(t)) return false;
  for (const Type* element : t->elements)
    if (element->kind != TypeKind::String && element->kind != TypeKind::StringLiteral) return false;
  SourceSpan span = e.span;
  auto tuple_value = std::make_unique<Expr>(std::move(e));
  e = std::move(*hir::make_call(hir::make_builtin("numjit.runtime_strings", span), hir::one(std::move(tuple_value)), span));
  expr(e);
  return true;
}

// A dict, set or string iterated (directly, or inside enumerate/zip) is a
// list of its keys (a set's items, a string's characters), taken when the
// loop starts: e becomes e.keys() (e._items(), e._chars()). False for other values.
bool Inferrer::iterated_as_list(Expr& e) {
  const Type* t = e.type;
  if (!t) return false;
  bool text = t->kind == TypeKind::String || t->kind == TypeKind::StringLiteral;
  if (t->kind != TypeKind::Dict && t->kind != TypeKind::Set && !text) return false;
  SourceSpan span = e.span;
  const char* items = t->kind == TypeKind::Set ? "_items" : text ? "_chars" : "keys";
  auto value = std::make_unique<Expr>(std::move(e));
  e = std::move(*hir::make_call(hir::make_attribute(std::move(value), items, span), {}, span));
  expr(e);
  return true;
}

const Type* Inferrer::iteration_element(const Type* iter, const Expr& where) {
  if (is_jitclass_instance(iter)) typing_error(where.span, describe(iter) + " is not iterable in compiled code");
  if (iter->kind == TypeKind::Range) return int64();  // as Numba, whatever the integer type of the bounds
  if (iter->is_array()) {
    if (iter->ndim == 0) typing_error(where.span, "cannot iterate over a 0-d array");
    return iter->ndim == 1 ? iter->dtype()
                           : array(iter->scalar, iter->ndim - 1, iter->layout == Layout::C ? Layout::C : Layout::Any,
                                   iter->readonly);
  }
  if (iter->kind == TypeKind::List) return is_unknown(iter->elements[0]) ? int64() : iter->elements[0];
  if (iter->kind == TypeKind::Tuple && !iter->elements.empty()) {
    // Arrays differing only in layout share one representation: iterate them as any-layout arrays.
    const Type* item = iter->elements[0];
    for (const Type* e : iter->elements) {
      if (e == item) continue;
      const Type* merged = e->is_array() && item->is_array() ? unify(item, e) : nullptr;
      if (!merged) unsupported(where.span, "iterating over a heterogeneous tuple is not supported");
      item = merged;
    }
    return item;
  }
  return nullptr;
}

// What one step of `for ... in e` yields; enumerate(...) and zip(...) (of
// arrays, homogeneous tuples, or each other) yield tuples. nullptr while
// an argument's type is still unknown.
const Type* Inferrer::iterable_item(Expr& e) {
  // `for x in a.flat` over an array not C-ordered walks it in C order where it
  // lies (numjit.flat, lowered as np.ndenumerate's elements): a.flat would copy it.
  if (e.kind == ExprKind::Attribute && e.attribute == "flat") {
    const Type* base = expr(e.value());
    if (is_unknown(base)) return nullptr;
    if (base->is_array() && base->layout != Layout::C && base->ndim > 1) {
      SourceSpan span = e.span;
      e = std::move(*hir::make_call(hir::make_builtin("numjit.flat", span), hir::one(std::move(e.value_slot())), span));
    }
  }
  if (is_builtin_call(e, "numjit.flat")) {
    const Type* base = expr(e.args()[0]);
    if (is_unknown(base)) return nullptr;
    expr(e.callee());
    e.type = opaque("flat");
    return base->dtype();
  }
  // np.ndindex(shape) yields index tuples; np.ndenumerate(a) (index tuple, element) pairs.
  if (is_builtin_call(e, "np.ndindex") || is_builtin_call(e, "np.ndenumerate")) {
    bool enumerate_array = is_builtin_call(e, "np.ndenumerate");
    std::vector<const Type*> shape_args;
    for (Expr& arg : e.args()) {
      const Type* t = expr(arg);
      if (is_unknown(t)) return nullptr;
      shape_args.push_back(t);
    }
    int nd = -1;
    if (enumerate_array) {
      if (shape_args.size() == 1 && shape_args[0]->is_array()) nd = shape_args[0]->ndim;
    } else if (shape_args.size() == 1 && shape_args[0]->kind == TypeKind::Tuple) {
      nd = static_cast<int>(shape_args[0]->elements.size());
      for (const Type* x : shape_args[0]->elements) if (!x->is_integer()) nd = -1;
    } else {
      nd = static_cast<int>(shape_args.size());
      for (const Type* x : shape_args) if (!x->is_integer()) nd = -1;
    }
    if (nd < 0) typing_error(e.span, enumerate_array ? "np.ndenumerate() takes one array" : "np.ndindex() takes a shape");
    const Type* index = tuple(std::vector<const Type*>(static_cast<size_t>(nd), int64()));
    expr(e.callee());
    e.type = opaque(enumerate_array ? "ndenumerate" : "ndindex");
    return enumerate_array ? tuple({index, shape_args[0]->dtype()}) : index;
  }
  // np.nditer((a, b, ...)) walks the operands broadcast together, yielding a
  // tuple of their elements per step; np.nditer(a) yields a's elements.
  // (Elsewhere than a for loop, np.nditer(a) is the library's.)
  if (is_builtin_call(e, "np.nditer") && e.args().size() == 1 && e.keyword_names.empty()) {
    const Type* operands = expr(e.args()[0]);
    if (is_unknown(operands)) return nullptr;
    if (operands->is_array()) {
      expr(e.callee());
      e.type = opaque("nditer");
      return operands->dtype();
    }
    if (operands->kind == TypeKind::Tuple) {
      std::vector<const Type*> elements;
      for (const Type* t : operands->elements) {
        if (!t->is_array())
          typing_error(e.args()[0].span, "np.nditer() takes arrays; this tuple holds " + describe(t));
        elements.push_back(t->dtype());
      }
      if (elements.empty()) typing_error(e.args()[0].span, "np.nditer() needs at least one operand");
      expr(e.callee());
      e.type = opaque("nditer");
      return elements.size() == 1 ? elements.front() : tuple(elements);  // one operand: its element, as NumPy
    }
  }
  bool enumerate = is_builtin_call(e, "enumerate");
  if (!enumerate && !is_builtin_call(e, "zip")) {
    const Type* t = expr(e);
    if (is_unknown(t)) return nullptr;
    if (strings_at_run_time(e) || iterated_as_list(e)) t = e.type;
    const Type* item = iteration_element(t, e);
    if (!item) typing_error(e.span, "cannot iterate over " + describe(t));
    return item;
  }
  const char* name = enumerate ? "enumerate" : "zip";
  if (!e.keyword_names.empty()) unsupported(e.span, std::string(name) + "() keyword arguments are not supported");
  auto args = e.args();
  size_t n = args.size();
  if (enumerate && (n < 1 || n > 2)) typing_error(e.span, "enumerate() takes a sequence and an optional start");
  if (!enumerate && n < 1) typing_error(e.span, "zip() needs at least one sequence");
  std::vector<const Type*> items;
  if (enumerate) items.push_back(int64());
  for (size_t i = 0; i < n; ++i) {
    Expr& arg = args[i];
    if (enumerate && i == 1) {
      const Type* start = expr(arg);
      if (is_unknown(start)) return nullptr;
      if (!start->is_integer()) typing_error(arg.span, "enumerate()'s start must be an integer");
      continue;
    }
    if (arg.kind == ExprKind::Call && is_builtin_call(arg, "range"))
      unsupported(arg.span, std::string(name) + "() over range() is not supported; index the sequence");
    const Type* item = iterable_item(arg);
    if (!item) return nullptr;
    items.push_back(item);
  }
  expr(e.callee());
  e.type = opaque(name);
  return tuple(items);
}

void Inferrer::for_loop(Stmt& s) {
  if ((is_builtin_call(*s.value, "enumerate") || is_builtin_call(*s.value, "zip")) && iterate_by_index(s, unknown()))
    return statement(s);
  if (is_builtin_call(*s.value, "enumerate") || is_builtin_call(*s.value, "zip") ||
      is_builtin_call(*s.value, "np.ndindex") || is_builtin_call(*s.value, "np.ndenumerate") ||
      is_builtin_call(*s.value, "numjit.flat") || is_builtin_call(*s.value, "np.nditer") ||
      (s.value->kind == ExprKind::Attribute && s.value->attribute == "flat")) {
    const Type* item = iterable_item(*s.value);
    if (item) assign(*s.target, item, s.span);
    block(s.body);
    return;
  }
  const Type* iter = expr(*s.value);
  if (iterated_as_list(*s.value)) iter = s.value->type;
  if (is_unknown(iter)) {
    block(s.body);
    return;
  }
  if (iter->kind == TypeKind::Tuple && iter->elements.empty()) return;  // never runs: removed by prune()
  if (strings_at_run_time(*s.value)) iter = s.value->type;
  if (iterate_by_index(s, iter)) return statement(s);  // now `if True: items = ...; for k in ...`
  const Type* element = iteration_element(iter, *s.value);
  if (!element) typing_error(s.value->span, "cannot iterate over " + describe(iter));
  assign(*s.target, element, s.span);
  if (iter->is_array() && iter->ndim == 1 && s.target->kind == ExprKind::Local)
    mark_numpy_scalar(s.target->local);  // `for v in a`: each v an np.float64, as a[i]
  block(s.body);
}

}  // namespace numjit::types
