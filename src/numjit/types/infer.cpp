// Type inference: the fixed point over a function, its locals, and the
// dispatch over expression kinds (see types/inferrer.h for the other parts).
#include "numjit/types/inferrer.h"

namespace numjit::types {

void Inferrer::run() {
  // Each pass can only widen types, so this terminates; the bound guards bugs.
  for (int pass = 0; pass < 64; ++pass) {
    changed_ = deferred_errors_ = false;
    block(fn_.body);
    if (changed_) continue;
    if (deferred_errors_) {  // what still holds now stays: report it
      settled_ = true;
      block(fn_.body);
    }
    finish();
    return;
  }
  internal_error("type inference did not converge in " + fn_.name, fn_.span);
}

bool Inferrer::none_may_widen(const Expr& e) {
  if (settled_ || e.kind != ExprKind::Local || fn_.locals[e.local].type->kind != TypeKind::NoneType) return false;
  deferred_errors_ = true;
  return true;
}

namespace {
// Whether a type holds a list, dict or set whose items have no type yet.
bool holds_untyped_container(const Type* t) {
  switch (t->kind) {
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::Dict:
      if (untyped_container(t)) return true;
      [[fallthrough]];
    case TypeKind::Tuple:
    case TypeKind::Optional:
      for (const Type* e : t->elements)
        if (holds_untyped_container(e)) return true;
      return false;
    default: return false;
  }
}
}  // namespace

// An empty container is retyped where it is stored into a container that
// decided its types (FunctionLowering::cast); a name or an item that holds it
// under its old type would read its items wrongly (`inner = []; d[0] = inner;
// d[0].append(2.5)`: inner's items read as int64). Once the types are final,
// such a store of a value held elsewhere is refused; one made right there
// (`d[0] = []`, a call's result) has no other holder.
void Inferrer::refuse_untyped_alias(const Expr& value, const Type* to, const SourceSpan& span) {
  if (!value.type || !to || value.type == to || !holds_untyped_container(value.type)) return;
  if (value.kind != ExprKind::Local && value.kind != ExprKind::Subscript && value.kind != ExprKind::Attribute) return;
  if (value.kind == ExprKind::Local) {
    const hir::Variable& v = fn_.locals[value.local];
    // A comprehension's list ($compN) is read only where it was written; the
    // library's own parameters (dict.setdefault's default) hold what its
    // caller made, checked at that call.
    if (v.name.starts_with("$comp")) return;
    if (fn_.options.library_code && static_cast<size_t>(value.local) < fn_.param_count) return;
  }
  if (!settled_) {
    deferred_errors_ = true;
    return;
  }
  typing_error(span, describe(value.type) + " is held here with no item types, and also where they are decided (" +
                         describe(to) + "): make the empty container where it is stored ({} or [] there), or give "
                         "it its items first");
}

void Inferrer::finish() {
  prune(fn_.body);
  check_locals(fn_.body);
  // A function that can fall off its end returns None there too.
  if (!ends_in_return(fn_.body)) fn_.return_type = unify_or_fail(fn_.return_type, none(), fn_.span);
  // A function that only raises (its returns pruned away, or none written) returns None.
  if (is_unknown(fn_.return_type) && !has_return(fn_.body)) fn_.return_type = none();
  if (is_unknown(fn_.return_type))
    typing_error(fn_.span, "cannot infer the return type of '" + fn_.name +
                               "' (a recursive function needs a base case that returns first)");
}

// Every local that is read must have a type by now.
void Inferrer::check_locals(const hir::Block& b) {
  for (const auto& s : b) {
    for (const Expr* e : {s->value.get(), s->message.get()}) if (e) check_expr(*e);
    if (s->kind == StmtKind::AugAssign) check_expr(*s->target);
    for (const hir::Block* b : s->blocks()) check_locals(*b);
  }
}

void Inferrer::check_expr(const Expr& e) {
  if (e.kind == ExprKind::Local && is_unknown(fn_.locals[e.local].type))
    typing_error(e.span, "variable '" + fn_.locals[e.local].name +
                             "' is used before any value is assigned to it");
  // A method of a dict no store ever gave types (d = {}; d.get(k, 0.0)).
  if (e.kind == ExprKind::Call && e.callee().kind == ExprKind::Attribute && !e.builtin && !e.jitted) {
    const Type* self = e.callee().value().type;
    if (self && self->kind == TypeKind::Dict && is_unknown(self->elements[0]))
      typing_error(e.span, "the key and value types of this dict are not known here: store into it first "
                           "(d[key] = value), or create it with typed.Dict.empty(key_type=..., value_type=...)");
  }
  for (const auto& c : e.children) if (c) check_expr(*c);
}

const Type* Inferrer::unify_or_fail(const Type* a, const Type* b, const SourceSpan& span) {
  const Type* t = unify(a, b);
  if (!t) typing_error(span, "cannot unify " + describe(a) + " and " + describe(b));
  return t;
}

void Inferrer::assign_local(int index, const Type* t, const SourceSpan& span) {
  hir::Variable& v = fn_.locals[index];
  const Type* merged = unify(v.type, t);
  if (!merged)
    typing_error(span, "variable '" + v.name + "' holds " + describe(v.type) +
                           " elsewhere and cannot also hold " + describe(t));
  if ((merged->kind == TypeKind::Opaque && !is_limits_value(merged)) || merged->kind == TypeKind::Range ||
      merged->kind == TypeKind::Slice)
    unsupported(span, "cannot store " + describe(merged) + " in variable '" + v.name + "'");
  if (merged != v.type) {
    v.type = merged;
    changed_ = true;
  }
}

const Type* Inferrer::set(Expr& e, const Type* t) {
  e.type = t;
  return t;
}

const Type* Inferrer::expr(Expr& e) {
  const Type* t = expr_of_kind(e);
  e.numpy_scalar = t && !is_unknown(t) && t->is_scalar() && is_numpy_scalar(e);
  return t;
}

bool Inferrer::is_numpy_scalar(const Expr& e) const {
  switch (e.kind) {
    case ExprKind::Local: return fn_.locals[e.local].numpy_scalar;
    case ExprKind::AssignExpr: return e.value().numpy_scalar;
    case ExprKind::Subscript: return e.value().type->is_array();  // an array's element
    case ExprKind::Binary: return e.lhs().numpy_scalar || e.rhs().numpy_scalar;
    case ExprKind::Unary: return e.operand().numpy_scalar;
    case ExprKind::IfExp: return e.body().numpy_scalar || e.orelse().numpy_scalar;
    case ExprKind::Call: {
      // NumPy's functions and array methods give NumPy scalars (x.sum(),
      // np.dot(v, w), np.float64(v)); a.item(), np.ndim, np.size, the legacy
      // np.random draws and Python's own builtins give Python numbers, as do
      // jitted functions (their results are boxed so).
      // The library's Python implementations of NumPy's names (np.add.reduce,
      // a.argmax(axis=...)) are called by those names and count as NumPy's.
      const Expr& callee = e.callee();
      const bool library_function =
          callee.kind == ExprKind::Global && callee.global.kind == hir::GlobalValue::Kind::JitFunction;
      if (!e.builtin && !library_function) return false;
      if (library_function && callee.global.numpy_scalar_result) return true;
      const std::string& name = e.builtin ? e.builtin->name : callee.global.name;
      if (name == "array.item" || name == "array.tolist" || name == "np.ndim" || name == "np.size" ||
          name.starts_with("np.random."))
        return false;
      return name.starts_with("np.") || name.starts_with("array.");
    }
    default: return false;
  }
}

void Inferrer::note_numpy_scalar(const Expr& target, const Expr& value) {
  if (target.kind == ExprKind::Local && value.numpy_scalar) mark_numpy_scalar(target.local);
}

void Inferrer::mark_numpy_scalar(int local) {
  hir::Variable& v = fn_.locals[local];
  if (!v.numpy_scalar) {
    v.numpy_scalar = true;
    changed_ = true;
  }
}

const Type* Inferrer::expr_of_kind(Expr& e) {
  switch (e.kind) {
    case ExprKind::Const: return constant(e);
    case ExprKind::Local: return set(e, fn_.locals[e.local].type);
    case ExprKind::AssignExpr: {  // (y := value): y takes the value's type, as `y = value` would
      const Type* t = expr(e.value());
      if (is_unknown(t)) return set(e, unknown());
      assign_local(e.local, t, e.span);
      return set(e, t);
    }
    case ExprKind::Global: return global(e);
    case ExprKind::Attribute: return attribute(e);
    case ExprKind::Subscript: return set(e, subscript(e));
    case ExprKind::Slice:
      for (Expr* bound : {e.lower(), e.upper(), e.step()}) {
        if (!bound) continue;
        const Type* t = expr(*bound);
        if (!is_unknown(t) && !is_index_integer(t) && t->kind != TypeKind::NoneType)
          typing_error(bound->span, "slice bounds must be integers, not " + describe(t));
      }
      return set(e, slice());
    case ExprKind::Binary: {
      const Type* l = strip_optional(expr(e.lhs()));
      const Type* r = strip_optional(expr(e.rhs()));
      if (is_unknown(l) || is_unknown(r)) return set(e, unknown());
      if (none_may_widen(e.lhs()) || none_may_widen(e.rhs())) return set(e, unknown());
      if (is_jitclass_instance(l) || is_jitclass_instance(r)) return set(e, jitclass_binary(e, l, r));
      if (l->kind == TypeKind::Set || r->kind == TypeKind::Set) return set(e, set_operator(e, l, r));
      auto is_text = [](const Type* t) { return t->kind == TypeKind::String || t->kind == TypeKind::StringLiteral; };
      if (is_text(l) || is_text(r)) return set(e, string_operator(e, l, r));
      bool lists = l->kind == TypeKind::List || r->kind == TypeKind::List;
      if (lists && (e.binary_op == BinaryOp::Add || e.binary_op == BinaryOp::Mul)) {
        // a + b and [x] * n (or n * [x]) are the library's list.__add__ and
        // list.__mul__ (python/numjit/library/lists.py), called on the list.
        bool swap = l->kind != TypeKind::List;
        hir::ExprPtr list = std::move(swap ? e.rhs_slot() : e.lhs_slot());
        hir::ExprPtr other = std::move(swap ? e.lhs_slot() : e.rhs_slot());
        const char* method = e.binary_op == BinaryOp::Add ? "__add__" : "__mul__";
        e = std::move(*hir::make_call(hir::make_attribute(std::move(list), method, e.span), hir::one(std::move(other)),
                                      e.span));
        return set(e, call(e));
      }
      const Expr& right = e.rhs();
      // NumPy squares an array for `** 2` (np.square), and a bool array has
      // no square loop: it takes int8's. Other exponents give int64.
      if (e.binary_op == BinaryOp::Pow && l->is_array() && l->dtype()->is_bool() && right.kind == ExprKind::Const &&
          right.constant.kind == hir::Constant::Kind::Int && right.constant.int_value == 2)
        return set(e, array(ScalarKind::Int8, l->ndim, Layout::C));
      return set(e, binary(e.binary_op, l, r, e.span, right.is_negative_int_constant(),
                           hir::numpy_scalar_operands({&e.lhs(), &e.rhs()})));
    }
    case ExprKind::Unary: return set(e, unary(e));
    case ExprKind::Compare: return set(e, compare(e));
    case ExprKind::BoolOp: {
      const Type* t = unknown();
      for (Expr& c : e.operands()) {
        const Type* ct = expr(c);
        t = unify(t, ct);
        if (!t) typing_error(e.span, "the operands of 'and'/'or' have incompatible types");
      }
      return set(e, t);
    }
    case ExprKind::IfExp: {
      condition(e.test());
      if (std::optional<bool> known = static_condition(e.test()))
        return set(e, expr(*known ? e.body() : e.orelse()));
      const Type* a = expr(e.body());
      const Type* b = expr(e.orelse());
      const Type* t = unify(a, b);
      if (!t) typing_error(e.span, "the branches of this conditional expression have incompatible types " +
                                       describe(a) + " and " + describe(b));
      return set(e, t);
    }
    case ExprKind::Call: return set(e, call(e));
    case ExprKind::Tuple: {
      std::vector<const Type*> elems;
      for (Expr& c : e.elements()) {
        const Type* t = expr(c);
        if (is_unknown(t)) return set(e, unknown());
        elems.push_back(t);
      }
      return set(e, tuple_of_expression(e, elems));
    }
    case ExprKind::List: {
      const Type* item = display_item(e, "list");
      if (!item) return set(e, unknown());
      check_list_item(item, e.span);
      return set(e, list(item));
    }
    case ExprKind::Set: {
      const Type* item = display_item(e, "set");
      if (!item) return set(e, unknown());
      check_hashable(item, "set items", e.span);
      return set(e, set_of(item));
    }
    case ExprKind::Dict: {
      const Type* key = unknown();
      const Type* value = unknown();
      auto entries = e.entries();  // key, value, key, value...
      for (size_t i = 0; i < entries.size(); i += 2) {
        const Type* k = expr(entries[i]);
        const Type* v = expr(entries[i + 1]);
        if (is_unknown(k) || is_unknown(v)) return set(e, unknown());
        key = unify(key, k);
        value = unify(value, v);
        if (!key || !value)
          typing_error(entries[i].span, "dict keys must have one type, and values one type");
      }
      check_dict_types(key, value, e.span);
      return set(e, dict(key, value));
    }
  }
  return unknown();
}

// The one type of a list or set display's items (unknown() for an empty
// one); nullptr while an item's type is still unknown.
const Type* Inferrer::display_item(Expr& e, const char* what) {
  const Type* item = unknown();
  for (Expr& c : e.elements()) {
    const Type* t = expr(c);
    if (is_unknown(t)) return nullptr;
    const Type* merged = unify(item, t);
    if (!merged)
      typing_error(c.span, std::string(what) + " items must have one type: " + describe(item) + " and " + describe(t));
    item = merged;
  }
  return item;
}

// `l = [1, 2]; l.append(2.5)` makes l a list of float64, and
// `d[k] = 2.5` into a dict of float32 values a dict of float64 values, as
// Numba does: a local container of numbers widens its item types, and the
// literals stored in it are built at the wider types (widen_literal). A
// parameter keeps the caller's type, and a container that came from
// elsewhere fails to unify where it is assigned, so nothing aliased changes
// its layout.
bool Inferrer::widens_numbers(const Type* from, const Type* to) {
  if (from->kind != to->kind ||
      (from->kind != TypeKind::List && from->kind != TypeKind::Set && from->kind != TypeKind::Dict) || from == to)
    return false;
  for (size_t i = 0; i < from->elements.size(); ++i) {
    const Type* a = from->elements[i];
    const Type* b = to->elements[i];
    if (a == b) continue;
    auto numbers = [](const Type* t) {
      if (t->is_scalar()) return true;
      if (t->kind != TypeKind::Tuple) return false;
      for (const Type* e : t->elements)
        if (!e->is_scalar()) return false;
      return true;
    };
    // Numbers, and tuples of numbers element by element, as (1, 2) and (1.5, 2.5) items.
    if (is_unknown(a) || !numbers(a) || !numbers(b) || unify(a, b) != b) return false;
  }
  return true;
}

void Inferrer::widen_local(int local, const Type* wider) {
  hir::Variable& v = fn_.locals[local];
  if (static_cast<size_t>(local) < fn_.param_count || !widens_numbers(v.type, wider)) return;
  v.type = wider;
  changed_ = true;
}

const Type* Inferrer::widen_literal(const Expr& target, Expr& value, const Type* t) {
  if (target.kind != ExprKind::Local ||
      (value.kind != ExprKind::List && value.kind != ExprKind::Set && value.kind != ExprKind::Dict))
    return t;
  const Type* held = fn_.locals[target.local].type;
  return widens_numbers(t, held) ? set(value, held) : t;
}

const Type* Inferrer::constant(Expr& e) {
  if (!is_unknown(e.type)) return e.type;  // frozen NumPy scalars keep their own type
  switch (e.constant.kind) {
    case hir::Constant::Kind::Int: return set(e, int64());
    case hir::Constant::Kind::Float: return set(e, float64());
    case hir::Constant::Kind::Bool: return set(e, boolean());
    case hir::Constant::Kind::Complex: return set(e, complex128());
    case hir::Constant::Kind::None: return set(e, none());
    case hir::Constant::Kind::Str: return set(e, string_literal(e.constant.str_value));
    case hir::Constant::Kind::Ellipsis: return set(e, opaque("ellipsis"));
  }
  return unknown();
}

const Type* Inferrer::global(Expr& e) {
  using K = hir::GlobalValue::Kind;
  switch (e.global.kind) {
    case K::Array: return e.type;  // set by the front end
    case K::Module: return set(e, opaque("module(" + e.global.name + ")"));
    case K::Builtin: return set(e, opaque("function(" + e.global.name + ")"));
    case K::JitFunction: return set(e, opaque("function(" + e.global.name + ")"));
    case K::ExceptionClass:
    case K::NamedTupleClass: return set(e, opaque("class(" + e.global.name + ")"));
    case K::PythonFunction: return set(e, opaque("function(objmode block)"));
  }
  return unknown();
}


const Type* tuple_of_expression(const hir::Expr& tuple_expr, const std::vector<const Type*>& elements) {
  const hir::GlobalValue& cls = tuple_expr.global;
  if (cls.kind == hir::GlobalValue::Kind::NamedTupleClass) return named_tuple(cls.name, cls.fields, elements);
  return tuple(elements);
}

const Type* constant_type(const hir::Expr& e) {
  if (!is_unknown(e.type)) return e.type;
  if (e.kind == ExprKind::Tuple) {  // a tuple default (a namedtuple's values)
    std::vector<const Type*> elements;
    for (const hir::ExprPtr& c : e.children) elements.push_back(constant_type(*c));
    return tuple_of_expression(e, elements);
  }
  if (e.kind == ExprKind::Global) {
    if (e.global.kind == hir::GlobalValue::Kind::Array) return e.type;
    if (const Type* dtype = library::dtype_argument(e)) return dtype_value(dtype);  // a default dtype=np.float32
    return opaque("function(" + e.global.name + ")");
  }
  switch (e.constant.kind) {
    case hir::Constant::Kind::Int: return int64();
    case hir::Constant::Kind::Float: return float64();
    case hir::Constant::Kind::Bool: return boolean();
    case hir::Constant::Kind::Complex: return complex128();
    case hir::Constant::Kind::None: return none();
    default: return string_literal(e.constant.str_value);
  }
}

void infer(hir::Function& fn, CalleeResolver& resolver) {
  Inferrer(fn, resolver).run();
}

}  // namespace numjit::types
