#include "numjit/types/infer.h"

#include "numjit/library/builtins.h"
#include "numjit/types/array_typing.h"

namespace numjit::types {
namespace {

using hir::Expr;
using hir::ExprKind;
using hir::Stmt;
using hir::StmtKind;

const char* op_verb(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "add";
    case BinaryOp::Sub: return "subtract";
    case BinaryOp::Mul: return "multiply";
    case BinaryOp::TrueDiv: return "divide";
    case BinaryOp::FloorDiv: return "floor-divide";
    case BinaryOp::Mod: return "take the remainder of";
    case BinaryOp::Pow: return "raise to a power";
    case BinaryOp::BitAnd: return "bitwise-and";
    case BinaryOp::BitOr: return "bitwise-or";
    case BinaryOp::BitXor: return "bitwise-xor";
    case BinaryOp::LShift: return "left-shift";
    case BinaryOp::RShift: return "right-shift";
    case BinaryOp::MatMul: return "matrix-multiply";
  }
  return "combine";
}

bool is_unknown(const Type* t) { return t->kind == TypeKind::Unknown; }

const std::string& describe(const Type* t) { return t->name; }

bool is_index_integer(const Type* t) { return t->is_integer() || t->is_bool(); }

class Inferrer {
 public:
  Inferrer(hir::Function& fn, CalleeResolver& resolver) : fn_(fn), resolver_(resolver) {}

  void run() {
    // Each pass can only widen types, so this terminates; the bound guards bugs.
    for (int pass = 0; pass < 64; ++pass) {
      changed_ = false;
      block(fn_.body);
      if (!changed_) {
        finish();
        return;
      }
    }
    internal_error("type inference did not converge in " + fn_.name, fn_.span);
  }

 private:
  hir::Function& fn_;
  CalleeResolver& resolver_;
  bool changed_ = false;

  void finish() {
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
  void check_locals(const hir::Block& b) {
    for (const auto& s : b) {
      for (const Expr* e : {s->value.get(), s->message.get()}) if (e) check_expr(*e);
      if (s->kind == StmtKind::AugAssign) check_expr(*s->target);
      check_locals(s->body);
      check_locals(s->orelse);
    }
  }
  void check_expr(const Expr& e) {
    if (e.kind == ExprKind::Local && is_unknown(fn_.locals[e.local].type))
      typing_error(e.span, "variable '" + fn_.locals[e.local].name +
                               "' is used before any value is assigned to it");
    for (const auto& c : e.children) if (c) check_expr(*c);
  }

  const Type* unify_or_fail(const Type* a, const Type* b, const SourceSpan& span) {
    const Type* t = unify(a, b);
    if (!t) typing_error(span, "cannot unify " + describe(a) + " and " + describe(b));
    return t;
  }

  void assign_local(int index, const Type* t, const SourceSpan& span) {
    hir::Variable& v = fn_.locals[index];
    const Type* merged = unify(v.type, t);
    if (!merged)
      typing_error(span, "variable '" + v.name + "' holds " + describe(v.type) +
                             " elsewhere and cannot also hold " + describe(t));
    if (merged->kind == TypeKind::Opaque || merged->kind == TypeKind::Range || merged->kind == TypeKind::Slice)
      unsupported(span, "cannot store " + describe(merged) + " in variable '" + v.name + "'");
    if (merged != v.type) {
      v.type = merged;
      changed_ = true;
    }
  }

  // ---- statements -------------------------------------------------------

  void block(hir::Block& b) {
    for (auto& s : b) {
      statement(*s);
      if (ends_statically(*s)) break;  // what follows never runs, and may not type
    }
  }

  void statement(Stmt& s) {
    switch (s.kind) {
      case StmtKind::Assign: assign(*s.target, widen_literal(*s.target, *s.value, expr(*s.value)), s.span); break;
      case StmtKind::AugAssign: aug_assign(s); break;
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
        const Type* t = s.value ? expr(*s.value) : none();
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
      case StmtKind::Raise: raise(s); break;
      case StmtKind::Assert:
        condition(*s.value);
        if (s.message && expr(*s.message)->kind != TypeKind::StringLiteral)
          unsupported(s.message->span, "assert messages must be string constants");
        break;
      case StmtKind::Break:
      case StmtKind::Continue:
      case StmtKind::Pass: break;
    }
  }

  void condition(Expr& e) {
    const Type* t = expr(e);
    if (is_unknown(t)) return;
    if (!t->is_scalar() && t->kind != TypeKind::NoneType && t->kind != TypeKind::Optional)
      typing_error(e.span, "cannot use " + describe(t) + " as a condition");
  }

  void raise(Stmt& s) {
    Expr& e = *s.value;
    Expr* cls = &e;
    if (e.kind == ExprKind::Call) {
      cls = e.children[0].get();
      for (size_t i = 1; i < e.children.size(); ++i) {
        const Type* t = expr(*e.children[i]);
        if (e.children[i]->kind != ExprKind::Const)
          unsupported(e.children[i]->span, "exception arguments must be constants (found " + describe(t) + ")");
      }
    }
    if (cls->kind != ExprKind::Global || cls->global.kind != hir::GlobalValue::Kind::ExceptionClass)
      unsupported(e.span, "only exception classes can be raised");
  }

  void assign(Expr& target, const Type* value, const SourceSpan& span) {
    switch (target.kind) {
      case ExprKind::Local:
        assign_local(target.local, value, span);
        target.type = fn_.locals[target.local].type;
        return;
      case ExprKind::Subscript: {
        const Type* base = expr(*target.children[0]);
        if (is_unknown(base) || is_unknown(value)) return;
        if (base->kind == TypeKind::Dict) {
          std::vector<const Type*> parts;
          for (size_t i = 1; i < target.children.size(); ++i) {
            const Type* t = expr(*target.children[i]);
            if (is_unknown(t)) return;
            parts.push_back(t);
          }
          const Type* key = parts.size() == 1 ? parts[0] : tuple(parts);
          const Type* refined = base;
          if (is_unknown(base->elements[0])) {
            check_dict_types(key, value, span);
            refined = dict(key, value);
          }
          const Type* k = unify(refined->elements[0], key);
          const Type* v = unify(refined->elements[1], value);
          if (!k || !v) typing_error(span, "cannot store " + describe(value) + " at a key " + describe(key) + " of " +
                                               describe(refined));
          if (k != refined->elements[0] || v != refined->elements[1]) {
            check_dict_types(k, v, span);
            refined = dict(k, v);
          }
          if (refined != base) {
            if (target.children[0]->kind != ExprKind::Local)
              typing_error(span, "cannot change the types of " + describe(base) + " here");
            widen_local(target.children[0]->local, refined);
            assign_local(target.children[0]->local, refined, span);
          }
          target.type = refined->elements[1];
          return;
        }
        if (base->kind == TypeKind::List) {
          const Type* item = subscript(target);
          target.type = item;
          bool fits = item->is_array() ? value->is_array() && value->ndim == item->ndim && value->scalar == item->scalar
                                       : value->is_scalar() || value->kind == TypeKind::Tuple;
          if (!fits) typing_error(span, "cannot store " + describe(value) + " into " + describe(base));
          return;
        }
        if (!base->is_array()) typing_error(target.span, "cannot assign to an element of " + describe(base));
        if (base->readonly) typing_error(target.span, "cannot write to a read-only array (" + describe(base) + ")");
        const Type* elem = subscript(target);
        target.type = elem;
        if (elem->is_array()) {
          // Slice assignment: the value (a scalar or an array) broadcasts to the view.
          if (!value->is_scalar() && !value->is_array())
            typing_error(span, "cannot store " + describe(value) + " into " + describe(elem));
          // A value with more dimensions stores when its extra leading axes are 1 (checked at run time).
          if (element_type(value)->is_complex() && !elem->dtype()->is_complex())
            typing_error(span, "cannot store " + describe(value) + " into " + describe(elem));
          return;
        }
        if (!value->is_scalar())
          typing_error(span, "cannot store " + describe(value) + " into an element of " + describe(base));
        if (value->is_complex() && !elem->is_complex())
          typing_error(span, "cannot store " + describe(value) + " into an array of " + describe(elem));
        return;
      }
      case ExprKind::Tuple: {
        if (is_unknown(value)) return;
        size_t n = target.children.size();
        if (value->kind == TypeKind::Tuple) {
          if (value->elements.size() != n)
            typing_error(span, "cannot unpack " + describe(value) + " into " + std::to_string(n) + " values");
          for (size_t i = 0; i < n; ++i) assign(*target.children[i], value->elements[i], span);
        } else if (value->is_array() && value->ndim == 1) {
          for (size_t i = 0; i < n; ++i) assign(*target.children[i], value->dtype(), span);
        } else {
          typing_error(span, "cannot unpack " + describe(value));
        }
        target.type = value;
        return;
      }
      default: typing_error(target.span, "cannot assign to this expression");
    }
  }

  void aug_assign(Stmt& s) {
    const Type* current = strip_optional(expr(*s.target));
    const Type* value = strip_optional(expr(*s.value));
    if (is_unknown(current) || is_unknown(value)) return;
    const Type* result = binary(s.op, current, value, s.span, s.value->is_negative_int_constant());
    if (current->is_array()) {
      // In place, as NumPy: the array keeps its dtype, so the result must cast to it safely.
      const Type* dtype = result->dtype();
      if ((dtype->is_complex() && !current->dtype()->is_complex()) ||
          (dtype->is_float() && !current->dtype()->is_float() && !current->dtype()->is_complex()))
        typing_error(s.span, "cannot compute " + describe(current) + " " + op_verb(s.op) + " " + describe(value) +
                                 " in place: the result would be " + describe(dtype));
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
  static const Type* compile_time_only_part(const Type* t) {
    if (t->kind == TypeKind::Opaque || t->kind == TypeKind::StringLiteral || t->kind == TypeKind::Range) return t;
    if (t->kind == TypeKind::Tuple || t->kind == TypeKind::Optional)
      for (const Type* e : t->elements)
        if (const Type* part = compile_time_only_part(e)) return part;
    return nullptr;
  }

  // The element type of iterating over a value of type `iter`, or nullptr.
  const Type* iteration_element(const Type* iter, const Expr& where) {
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
  const Type* iterable_item(Expr& e) {
    // np.ndindex(shape) yields index tuples; np.ndenumerate(a) (index tuple, element) pairs.
    if (is_builtin_call(e, "np.ndindex") || is_builtin_call(e, "np.ndenumerate")) {
      bool enumerate_array = is_builtin_call(e, "np.ndenumerate");
      std::vector<const Type*> shape_args;
      for (size_t i = 1; i < e.children.size(); ++i) {
        const Type* t = expr(*e.children[i]);
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
      e.type = opaque(enumerate_array ? "ndenumerate" : "ndindex");
      return enumerate_array ? tuple({index, shape_args[0]->dtype()}) : index;
    }
    bool enumerate = is_builtin_call(e, "enumerate");
    if (!enumerate && !is_builtin_call(e, "zip")) {
      const Type* t = expr(e);
      if (is_unknown(t)) return nullptr;
      const Type* item = iteration_element(t, e);
      if (!item) typing_error(e.span, "cannot iterate over " + describe(t));
      return item;
    }
    const char* name = enumerate ? "enumerate" : "zip";
    if (!e.keyword_names.empty()) unsupported(e.span, std::string(name) + "() keyword arguments are not supported");
    size_t n = e.children.size() - 1;
    if (enumerate && (n < 1 || n > 2)) typing_error(e.span, "enumerate() takes a sequence and an optional start");
    if (!enumerate && n < 1) typing_error(e.span, "zip() needs at least one sequence");
    std::vector<const Type*> items;
    if (enumerate) items.push_back(int64());
    for (size_t i = 1; i <= n; ++i) {
      if (enumerate && i == 2) {
        const Type* start = expr(*e.children[i]);
        if (is_unknown(start)) return nullptr;
        if (!start->is_integer()) typing_error(e.children[i]->span, "enumerate()'s start must be an integer");
        continue;
      }
      if (e.children[i]->kind == ExprKind::Call && is_builtin_call(*e.children[i], "range"))
        unsupported(e.children[i]->span, std::string(name) + "() over range() is not supported; index the sequence");
      const Type* item = iterable_item(*e.children[i]);
      if (!item) return nullptr;
      items.push_back(item);
    }
    e.type = opaque(name);
    return tuple(items);
  }

  void for_loop(Stmt& s) {
    if (is_builtin_call(*s.value, "enumerate") || is_builtin_call(*s.value, "zip") ||
        is_builtin_call(*s.value, "np.ndindex") || is_builtin_call(*s.value, "np.ndenumerate")) {
      const Type* item = iterable_item(*s.value);
      if (item) assign(*s.target, item, s.span);
      block(s.body);
      return;
    }
    const Type* iter = expr(*s.value);
    if (!is_unknown(iter) && iter->kind == TypeKind::Dict) {
      // for k in d: iterates over a list of the keys, taken when the loop starts.
      auto keys = std::make_unique<Expr>(ExprKind::Attribute, s.value->span);
      keys->attribute = "keys";
      keys->children.push_back(std::move(s.value));
      s.value = std::make_unique<Expr>(ExprKind::Call, keys->span);
      s.value->children.push_back(std::move(keys));
      iter = expr(*s.value);
    }
    if (is_unknown(iter)) {
      block(s.body);
      return;
    }
    if (iter->kind == TypeKind::Tuple && iter->elements.empty()) return;  // never runs: removed by prune()
    const Type* element = iteration_element(iter, *s.value);
    if (!element) typing_error(s.value->span, "cannot iterate over " + describe(iter));
    assign(*s.target, element, s.span);
    block(s.body);
  }

  // ---- expressions ------------------------------------------------------

  const Type* set(Expr& e, const Type* t) {
    e.type = t;
    return t;
  }

  const Type* expr(Expr& e) {
    switch (e.kind) {
      case ExprKind::Const: return constant(e);
      case ExprKind::Local: return set(e, fn_.locals[e.local].type);
      case ExprKind::Global: return global(e);
      case ExprKind::Attribute: return attribute(e);
      case ExprKind::Subscript: return set(e, subscript(e));
      case ExprKind::Slice:
        for (auto& c : e.children) {
          if (!c) continue;
          const Type* t = expr(*c);
          if (!is_unknown(t) && !is_index_integer(t) && t->kind != TypeKind::NoneType)
            typing_error(c->span, "slice bounds must be integers, not " + describe(t));
        }
        return set(e, slice());
      case ExprKind::Binary: {
        const Type* l = strip_optional(expr(*e.children[0]));
        const Type* r = strip_optional(expr(*e.children[1]));
        if (is_unknown(l) || is_unknown(r)) return set(e, unknown());
        const Expr& right = *e.children[1];
        // NumPy squares an array for `** 2` (np.square), and a bool array has
        // no square loop: it takes int8's. Other exponents give int64.
        if (e.binary_op == BinaryOp::Pow && l->is_array() && l->dtype()->is_bool() && right.kind == ExprKind::Const &&
            right.constant.kind == hir::Constant::Kind::Int && right.constant.int_value == 2)
          return set(e, array(ScalarKind::Int8, l->ndim, Layout::C));
        return set(e, binary(e.binary_op, l, r, e.span, right.is_negative_int_constant()));
      }
      case ExprKind::Unary: return set(e, unary(e));
      case ExprKind::Compare: return set(e, compare(e));
      case ExprKind::BoolOp: {
        const Type* t = unknown();
        for (auto& c : e.children) {
          const Type* ct = expr(*c);
          t = unify(t, ct);
          if (!t) typing_error(e.span, "the operands of 'and'/'or' have incompatible types");
        }
        return set(e, t);
      }
      case ExprKind::IfExp: {
        condition(*e.children[0]);
        if (std::optional<bool> known = static_condition(*e.children[0]))
          return set(e, expr(*e.children[*known ? 1 : 2]));
        const Type* a = expr(*e.children[1]);
        const Type* b = expr(*e.children[2]);
        const Type* t = unify(a, b);
        if (!t) typing_error(e.span, "the branches of this conditional expression have incompatible types " +
                                         describe(a) + " and " + describe(b));
        return set(e, t);
      }
      case ExprKind::Call: return set(e, call(e));
      case ExprKind::Tuple: {
        std::vector<const Type*> elems;
        for (auto& c : e.children) {
          const Type* t = expr(*c);
          if (is_unknown(t)) return set(e, unknown());
          elems.push_back(t);
        }
        return set(e, tuple(elems));
      }
      case ExprKind::List: {
        const Type* item = unknown();
        for (auto& c : e.children) {
          const Type* t = expr(*c);
          if (is_unknown(t)) return set(e, unknown());
          const Type* merged = unify(item, t);
          if (!merged) typing_error(c->span, "list items must have one type: " + describe(item) + " and " + describe(t));
          item = merged;
        }
        check_list_item(item, e.span);
        return set(e, list(item));
      }
      case ExprKind::Dict: {
        const Type* key = unknown();
        const Type* value = unknown();
        for (size_t i = 0; i < e.children.size(); i += 2) {
          const Type* k = expr(*e.children[i]);
          const Type* v = expr(*e.children[i + 1]);
          if (is_unknown(k) || is_unknown(v)) return set(e, unknown());
          key = unify(key, k);
          value = unify(value, v);
          if (!key || !value)
            typing_error(e.children[i]->span, "dict keys must have one type, and values one type");
        }
        check_dict_types(key, value, e.span);
        return set(e, dict(key, value));
      }
    }
    return unknown();
  }

  // Dict keys are numbers or tuples of numbers (compared by their bytes);
  // values are numbers, tuples of numbers or arrays.
  static void check_dict_types(const Type* key, const Type* value, const SourceSpan& span) {
    if (!is_unknown(key)) {
      bool ok = key->is_scalar();
      if (key->kind == TypeKind::Tuple) {
        ok = true;
        for (const Type* e : key->elements) ok = ok && e->is_scalar();
      }
      if (!ok) unsupported(span, "dict keys must be numbers or tuples of numbers, not " + describe(key));
    }
    check_list_item(value, span);
  }

  // Lists hold numbers, tuples of numbers and arrays (items are stored inline).
  static void check_list_item(const Type* item, const SourceSpan& span) {
    if (is_unknown(item) || item->is_scalar() || item->is_array()) return;
    if (item->kind == TypeKind::Tuple) {
      for (const Type* e : item->elements)
        if (!e->is_scalar()) unsupported(span, "lists of " + describe(item) + " are not supported yet");
      return;
    }
    unsupported(span, "lists of " + describe(item) + " are not supported yet (numbers, tuples of numbers and arrays are)");
  }

  // `l = [1, 2]; l.append(2.5)` makes l a list of float64, and
  // `d[k] = 2.5` into a dict of float32 values a dict of float64 values, as
  // Numba does: a local container of numbers widens its item types, and the
  // literals stored in it are built at the wider types (widen_literal). A
  // parameter keeps the caller's type, and a container that came from
  // elsewhere fails to unify where it is assigned, so nothing aliased changes
  // its layout.
  static bool widens_numbers(const Type* from, const Type* to) {
    if (from->kind != to->kind || (from->kind != TypeKind::List && from->kind != TypeKind::Dict) || from == to)
      return false;
    for (size_t i = 0; i < from->elements.size(); ++i) {
      const Type* a = from->elements[i];
      const Type* b = to->elements[i];
      if (a == b) continue;
      if (is_unknown(a) || !a->is_scalar() || !b->is_scalar() || unify(a, b) != b) return false;
    }
    return true;
  }

  void widen_local(int local, const Type* wider) {
    hir::Variable& v = fn_.locals[local];
    if (static_cast<size_t>(local) < fn_.param_count || !widens_numbers(v.type, wider)) return;
    v.type = wider;
    changed_ = true;
  }

  const Type* widen_literal(const Expr& target, Expr& value, const Type* t) {
    if (target.kind != ExprKind::Local || (value.kind != ExprKind::List && value.kind != ExprKind::Dict)) return t;
    const Type* held = fn_.locals[target.local].type;
    return widens_numbers(t, held) ? set(value, held) : t;
  }

  // lst.append(x) / lst.extend(other) decide (or widen) the item type of the list variable.
  void refine_list(Expr& callee, std::vector<const Type*>& args) {
    const std::string& m = callee.attribute;
    if ((m != "append" && m != "extend" && m != "insert") || callee.children[0]->kind != ExprKind::Local) return;
    size_t value_index = m == "insert" ? 2 : 1;
    if (args.size() <= value_index) return;
    const Type* added = args[value_index];
    if (m == "extend") {
      if (added->kind == TypeKind::List) added = added->elements[0];
      else if (added->is_array() && added->ndim == 1) added = added->dtype();
      else return;
    }
    const Type* item = unify(args[0]->elements[0], added);
    if (!item) typing_error(callee.span, "cannot add " + describe(added) + " to " + describe(args[0]));
    check_list_item(item, callee.span);
    widen_local(callee.children[0]->local, list(item));
    assign_local(callee.children[0]->local, list(item), callee.span);
    args[0] = fn_.locals[callee.children[0]->local].type;
  }

  const Type* constant(Expr& e) {
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

  const Type* global(Expr& e) {
    using K = hir::GlobalValue::Kind;
    switch (e.global.kind) {
      case K::Array: return e.type;  // set by the front end
      case K::Module: return set(e, opaque("module(" + e.global.name + ")"));
      case K::Builtin: return set(e, opaque("function(" + e.global.name + ")"));
      case K::JitFunction: return set(e, opaque("function(" + e.global.name + ")"));
      case K::ExceptionClass: return set(e, opaque("class(" + e.global.name + ")"));
    }
    return unknown();
  }

  const Type* attribute(Expr& e) {
    const Type* base = expr(*e.children[0]);
    if (is_unknown(base)) return set(e, unknown());
    const std::string& a = e.attribute;
    if (base->is_array()) {
      if (a == "shape" || a == "strides") return set(e, tuple(std::vector<const Type*>(base->ndim, int64())));
      if (a == "ndim" || a == "size" || a == "itemsize" || a == "nbytes") return set(e, int64());
      if (a == "dtype") return set(e, opaque("dtype(" + base->dtype()->name + ")"));
      if (a == "flat") {
        // a.flat reads as a.ravel(): a view of a C-ordered array; of any other
        // layout a copy, so it is typed read-only (writes would be lost).
        auto ravel = std::make_unique<Expr>(ExprKind::Attribute, e.span);
        ravel->attribute = "ravel";
        ravel->children.push_back(std::move(e.children[0]));
        e.kind = ExprKind::Call;
        e.attribute.clear();
        e.children.clear();
        e.children.push_back(std::move(ravel));
        const Type* flat = call(e);
        bool copied = base->layout != Layout::C || base->readonly;
        return set(e, copied && !is_unknown(flat) ? array(flat->scalar, 1, Layout::C, true) : flat);
      }
      if (a == "imag" && !base->dtype()->is_complex())  // NumPy: read-only zeros
        return set(e, array(base->scalar, base->ndim, Layout::C, true));
      if (a == "real" || a == "imag") {
        const Type* part = base->dtype()->is_complex() ? float_of(base->dtype()->bits() / 2) : base->dtype();
        Layout l = base->dtype()->is_complex() ? Layout::Any : base->layout;
        return set(e, array(part->scalar, base->ndim, l, base->readonly || (a == "imag" && !base->dtype()->is_complex())));
      }
      if (a == "T") {
        Layout l = base->ndim < 2 ? base->layout
                   : base->layout == Layout::C ? Layout::F
                   : base->layout == Layout::F ? Layout::C : Layout::Any;
        return set(e, array(base->scalar, base->ndim, l, base->readonly));
      }
    }
    if (base->is_scalar() && (a == "real" || a == "imag"))
      return set(e, base->is_complex() ? float_of(base->bits() / 2) : base);
    // A Python float has no .size, while np.float64 has; the two share one
    // type here, so both are refused (as Numba does) rather than guessed.
    if (base->is_scalar() && (a == "ndim" || a == "size") && fn_.options.library_code) return set(e, int64());
    if (base->is_scalar() && a == "shape" && fn_.options.library_code) return set(e, tuple({}));
    if (base->is_scalar() && (a == "ndim" || a == "size" || a == "shape"))
      typing_error(e.span, "a number (" + describe(base) + ") has no attribute '" + a +
                               "' in compiled code; use np.ndim(x), np.size(x) or np.shape(x)");
    typing_error(e.span, "unknown attribute '" + a + "' of " + describe(base));
  }

  const Type* subscript(Expr& e) {
    const Type* base = expr(*e.children[0]);
    if (base->is_array()) expand_ellipsis(e, base->ndim);
    std::vector<const Expr*> indices;
    for (size_t i = 1; i < e.children.size(); ++i) {
      const Type* t = expr(*e.children[i]);
      if (is_unknown(t)) return unknown();
      if (base->is_array() && t->kind == TypeKind::List && element_type(t->elements[0])->is_integer()) {
        // a[[i, j]]: a list of integers indexes like the integer array np.array([i, j]).
        auto as_array = std::make_unique<Expr>(ExprKind::Call, e.children[i]->span);
        auto callee = std::make_unique<Expr>(ExprKind::Global, e.children[i]->span);
        callee->global = hir::GlobalValue{.kind = hir::GlobalValue::Kind::Builtin, .name = "np.array"};
        as_array->children.push_back(std::move(callee));
        as_array->children.push_back(std::move(e.children[i]));
        e.children[i] = std::move(as_array);
        t = expr(*e.children[i]);
      }
      indices.push_back(e.children[i].get());
    }
    if (is_unknown(base)) return unknown();
    if (base->is_array()) return index_result(base, indices, e.span);
    if (base->kind == TypeKind::Dict) {
      if (is_unknown(base->elements[0])) return unknown();  // a store later in the function will tell
      check_dict_key(base, indices, e.span);
      return base->elements[1];
    }
    if (base->kind == TypeKind::List) {
      if (indices.size() != 1 || !is_index_integer(indices[0]->type))
        unsupported(e.span, "lists can only be indexed by an integer");
      return base->elements[0];
    }
    if (base->kind == TypeKind::Tuple) {
      if (indices.size() == 1 && is_index_integer(indices[0]->type) && indices[0]->kind != ExprKind::Const &&
          !base->elements.empty() && homogeneous(base))
        return base->elements[0];  // `shape[d]`: a run-time index into a tuple of one type
      if (indices.size() != 1 || indices[0]->kind != ExprKind::Const ||
          indices[0]->constant.kind != hir::Constant::Kind::Int)
        unsupported(e.span, "tuples can only be indexed by an integer constant, or by any integer when all their "
                            "elements have one type");
      int64_t n = static_cast<int64_t>(base->elements.size());
      int64_t i = indices[0]->constant.int_value;
      if (i < -n || i >= n) typing_error(e.span, "tuple index " + std::to_string(i) + " is out of range for " + describe(base));
      return base->elements[i < 0 ? i + n : i];
    }
    typing_error(e.span, describe(base) + " cannot be indexed");
  }

  static void check_dict_key(const Type* dict_type, const std::vector<const Expr*>& indices, const SourceSpan& span) {
    std::vector<const Type*> parts;
    for (const Expr* ix : indices) parts.push_back(ix->type);
    const Type* key = parts.size() == 1 ? parts[0] : tuple(parts);  // d[i, j] is d[(i, j)]
    if (!unify(dict_type->elements[0], key))
      typing_error(span, describe(dict_type) + " cannot be indexed with " + describe(key));
  }

  static bool homogeneous(const Type* tuple) {
    for (const Type* e : tuple->elements)
      if (e != tuple->elements[0]) return false;
    return true;
  }

  const Type* binary(BinaryOp op, const Type* l, const Type* r, const SourceSpan& span,
                     bool r_is_negative_int_constant = false) {
    if (l->is_array() || r->is_array()) {
      const Type* t = elementwise_binary_type(op, l, r);
      if (!t) typing_error(span, std::string("cannot ") + op_verb(op) + " " + describe(l) + " and " + describe(r));
      return t;
    }
    const Type* t = binary_result(op, l, r, r_is_negative_int_constant);
    if (!t) typing_error(span, std::string("cannot ") + op_verb(op) + " " + describe(l) + " and " + describe(r));
    return t;
  }

  const Type* unary(Expr& e) {
    const Type* t = expr(*e.children[0]);
    if (is_unknown(t)) return unknown();
    if (e.unary_op != hir::UnaryOp::Not) t = strip_optional(t);
    if (t->is_array()) {
      const Type* d = t->dtype();
      if (e.unary_op == hir::UnaryOp::Not)
        typing_error(e.span, "the truth value of an array is ambiguous: use np.logical_not, a.any() or a.all()");
      if (e.unary_op == hir::UnaryOp::Invert && !d->is_integer() && !d->is_bool())
        typing_error(e.span, "cannot apply '~' to " + describe(t));
      if (e.unary_op == hir::UnaryOp::Neg && d->is_bool())
        typing_error(e.span, "cannot negate " + describe(t) + " (use ~ to invert booleans)");
      return array(d->scalar, t->ndim, Layout::C);
    }
    switch (e.unary_op) {
      case hir::UnaryOp::Not:
        if (!t->is_scalar() && t->kind != TypeKind::NoneType && t->kind != TypeKind::Optional)
          typing_error(e.span, "cannot apply 'not' to " + describe(t));
        return boolean();
      case hir::UnaryOp::Invert:
        // Numba keeps the operand's type: ~np.uint8(12) == 243.
        if (!t->is_integer() && !t->is_bool()) typing_error(e.span, "cannot apply '~' to " + describe(t));
        return t;
      default:
        if (!t->is_scalar()) typing_error(e.span, "cannot negate " + describe(t));
        return t->is_bool() ? int64() : t;
    }
  }

  const Type* compare(Expr& e) {
    std::vector<const Type*> ts;
    for (auto& c : e.children) ts.push_back(expr(*c));
    for (const Type* t : ts) if (is_unknown(t)) return unknown();
    bool against_none = ts.size() == 2 && (ts[0]->kind == TypeKind::NoneType || ts[1]->kind == TypeKind::NoneType);
    if (any_array(ts) && !against_none) {
      if (ts.size() != 2) unsupported(e.span, "chained comparisons of arrays are not supported");
      hir::CompareOp op = e.compare_ops[0];
      if (op == hir::CompareOp::Is || op == hir::CompareOp::IsNot)
        unsupported(e.span, "'is' comparisons are only supported against None");
      std::vector<const Type*> elems = elementwise_element_types(ts);
      if (elems.empty()) typing_error(e.span, "cannot compare " + describe(ts[0]) + " and " + describe(ts[1]));
      // Complex arrays order lexicographically (real part, then imaginary), as in NumPy.
      return array(ScalarKind::Bool, broadcast_ndim(ts), Layout::C);
    }
    for (size_t i = 0; i < e.compare_ops.size(); ++i) {
      const Type* a = ts[i];
      const Type* b = ts[i + 1];
      hir::CompareOp op = e.compare_ops[i];
      bool identity = op == hir::CompareOp::Is || op == hir::CompareOp::IsNot;
      bool none_involved = a->kind == TypeKind::NoneType || b->kind == TypeKind::NoneType;
      if (identity && !none_involved)
        unsupported(e.span, "'is' comparisons are only supported against None");
      if (none_involved) {
        if (op != hir::CompareOp::Is && op != hir::CompareOp::IsNot && op != hir::CompareOp::Eq &&
            op != hir::CompareOp::NotEq)
          typing_error(e.span, "cannot order " + describe(a) + " and " + describe(b));
        continue;
      }
      if (a->kind == TypeKind::StringLiteral && b->kind == TypeKind::StringLiteral &&
          (op == hir::CompareOp::Eq || op == hir::CompareOp::NotEq))
        continue;  // decided at compile time
      a = strip_optional(a);
      b = strip_optional(b);
      if (!a->is_scalar() || !b->is_scalar())
        typing_error(e.span, "cannot compare " + describe(a) + " and " + describe(b));
      bool ordering = op != hir::CompareOp::Eq && op != hir::CompareOp::NotEq;
      if (ordering && (a->is_complex() || b->is_complex()))
        typing_error(e.span, "complex numbers cannot be ordered (" + describe(a) + ", " + describe(b) + ")");
    }
    return boolean();
  }

  const Type* call(Expr& e) {
    Expr& callee = *e.children[0];
    std::vector<const Type*> args;
    // A method call passes its object as the first argument of a library row
    // named "scalar.<method>" or "array.<method>".
    std::string method;
    if (callee.kind == ExprKind::Attribute) {
      const Type* self = expr(*callee.children[0]);
      if (is_unknown(self)) return unknown();
      method = std::string(self->is_array()                ? "array."
                           : self->kind == TypeKind::List ? "list."
                           : self->kind == TypeKind::Dict ? "dict."
                                                          : "scalar.") +
               callee.attribute;
      args.push_back(self);
    } else {
      expr(callee);
    }
    for (size_t i = 1; i < e.children.size(); ++i) {
      const Type* t = expr(*e.children[i]);
      if (is_unknown(t)) return unknown();
      args.push_back(t);
    }
    // Library functions take optionals' payloads (checked at run time); jitted
    // callees take the optional itself.
    bool library_call = !method.empty() || (callee.kind == ExprKind::Global &&
                                            callee.global.kind == hir::GlobalValue::Kind::Builtin);
    if (library_call)
      for (size_t i = method.empty() ? 0 : 1; i < args.size(); ++i) args[i] = strip_optional(args[i]);
    if (method.starts_with("list.")) refine_list(callee, args);
    // A dict's types may come from a store later in the function: wait for them.
    if (method.starts_with("dict.") && is_unknown(args[0]->elements[0])) return unknown();
    if (method.empty() && callee.kind == ExprKind::Global && callee.global.kind == hir::GlobalValue::Kind::Builtin &&
        callee.global.name == "dict") {
      if (e.children.size() != 1) unsupported(e.span, "dict() takes no arguments in compiled code (use {k: v, ...})");
      e.kind = ExprKind::Dict;
      e.children.clear();
      return expr(e);
    }
    if (redirect_to_library_function(e, method.empty() && callee.kind == ExprKind::Global ? callee.global.name : method,
                                     args))
      return call(e);
    if (!method.empty()) {
      const library::Builtin* b = library::find(method);
      if (!b) typing_error(callee.span, "unknown method '" + callee.attribute + "' of " + describe(args[0]));
      return type_builtin_call(e, b, callee.attribute + "()", args);
    }
    if (callee.kind != ExprKind::Global)
      typing_error(callee.span, "cannot call a value of type " + describe(callee.type));
    using K = hir::GlobalValue::Kind;
    if (callee.global.kind == K::JitFunction && callee.global.elementwise_kernel && any_array(args)) {
      // A @vectorize function on arrays: its kernel types one element, the result has the broadcast shape.
      // Each operand keeps its own element type (a Python int is int64, as the DUFunc types it).
      std::vector<const Type*> elems;
      for (const Type* a : args) {
        if (!a->is_array() && !a->is_scalar()) typing_error(e.span, "a vectorized function takes numbers or arrays of numbers");
        elems.push_back(element_type(a));
      }
      e.callee = resolver_.specialize(callee.global.py_object, elems, e.span);
      e.elementwise_call = true;
      if (!e.callee->return_type->is_scalar())
        typing_error(e.span, "a vectorized kernel must return a number, not " + describe(e.callee->return_type));
      return array(e.callee->return_type->scalar, broadcast_ndim(args), Layout::C);
    }
    if (callee.global.kind == K::JitFunction) {
      try {
        const hir::Function& declaration = resolver_.declaration(callee.global.py_object);
        if (declaration.varargs && !e.varargs_packed) pack_varargs(e, args, declaration);
        if (!e.keyword_names.empty()) bind_keywords(e, args, declaration);
        e.callee = resolver_.specialize(callee.global.py_object, args, e.span);
        // Arguments left out take the callee's default values.
        size_t first_default = e.callee->param_count - e.callee->defaults.size();
        for (size_t i = args.size(); i < e.callee->param_count; ++i) {
          const hir::Expr& d = *e.callee->defaults[i - first_default];
          auto value = std::make_unique<Expr>(d.kind, e.span);
          value->constant = d.constant;
          value->global = d.global;
          value->type = e.callee->param_types[i];
          e.children.push_back(std::move(value));
        }
      } catch (CompileError& err) {
        if (err.located()) {
          err.add_note("  called from " + fn_.name + " (" + (fn_.source ? fn_.source->filename : std::string("?")) +
                       ":" + std::to_string(e.span.line) + ":" + std::to_string(e.span.col + 1) + ")");
        }
        throw;
      }
      return e.callee->return_type;
    }
    if (callee.global.kind == K::ExceptionClass)
      unsupported(e.span, "exceptions can only be created in a raise statement");
    if (callee.global.kind != K::Builtin)
      typing_error(callee.span, "module '" + callee.global.name + "' is not callable");
    const library::Builtin* b = library::find(callee.global.name);
    if (!b) unsupported(e.span, callee.global.name + " is not supported in compiled code");
    if (b->elementwise && any_array(args)) return type_elementwise_call(e, b, callee.global.name + "()", args);
    return type_builtin_call(e, b, callee.global.name + "()", args);
  }

  // A call the C++ row does not accept (`a.argmax(axis=1)`) goes to the
  // library's Python implementation when there is one: the call becomes a
  // call of that jitted function, with a method's object as first argument.
  bool redirect_to_library_function(Expr& e, const std::string& name, const std::vector<const Type*>& args) {
    Expr& callee = *e.children[0];
    bool is_method = callee.kind == ExprKind::Attribute;
    if (!is_method && (callee.kind != ExprKind::Global || callee.global.kind != hir::GlobalValue::Kind::Builtin))
      return false;
    const library::Builtin* b = library::find(name);
    // A ufunc row applied to arrays is asked about one element of each.
    bool elementwise = b && b->elementwise && any_array(args);
    std::vector<const Type*> elements = elementwise ? elementwise_element_types(args, b->condition_arguments) : args;
    if (b && !(elementwise && elements.empty()) && builtin_accepts(e, *b, elements)) return false;
    void* implementation = resolver_.library_fallback(name);
    if (!implementation) return false;
    auto target = std::make_unique<Expr>(ExprKind::Global, callee.span);
    target->global = hir::GlobalValue{.kind = hir::GlobalValue::Kind::JitFunction, .name = name,
                                      .py_object = implementation};
    if (is_method) {
      hir::ExprPtr self = std::move(callee.children[0]);
      e.children[0] = std::move(target);
      e.children.insert(e.children.begin() + 1, std::move(self));
    } else {
      e.children[0] = std::move(target);
    }
    return true;
  }

  bool builtin_accepts(Expr& e, const library::Builtin& b, const std::vector<const Type*>& args) {
    if (!e.keyword_names.empty() && !b.accepts_keywords) return false;
    try {
      return b.type(library::CallSite{e, args}).has_value();
    } catch (CompileError& err) {
      if (err.kind() == ErrorKind::Internal) throw;
      return false;
    }
  }

  const Type* type_builtin_call(Expr& e, const library::Builtin* b, const std::string& what,
                                const std::vector<const Type*>& args) {
    if (!e.keyword_names.empty() && !b->accepts_keywords)
      unsupported(e.span, what + " does not accept keyword arguments in compiled code");
    std::optional<library::Signature> sig = b->type(library::CallSite{e, args});
    if (!sig) {
      std::string names;
      for (size_t i = 0; i < args.size(); ++i) names += (i ? ", " : "") + describe(args[i]);
      typing_error(e.span, what + " does not accept (" + names + ")");
    }
    e.builtin = b;
    return sig->result;
  }

  // A NumPy ufunc applied to arrays: the scalar row types the elements, the
  // result has the broadcast shape.
  const Type* type_elementwise_call(Expr& e, const library::Builtin* b, const std::string& what,
                                    const std::vector<const Type*>& args) {
    std::vector<const Type*> elems = elementwise_element_types(args, b->condition_arguments);
    if (elems.empty()) typing_error(e.span, what + " takes numbers or arrays of numbers");
    const Type* dtype = type_builtin_call(e, b, what, elems);
    if (!dtype->is_scalar()) internal_error("elementwise row " + b->name + " returned " + describe(dtype), e.span);
    return array(dtype->scalar, broadcast_ndim(args), Layout::C);
  }
};

}  // namespace

const Type* constant_type(const hir::Expr& e) {
  if (!is_unknown(e.type)) return e.type;
  if (e.kind == ExprKind::Global) {
    if (e.global.kind == hir::GlobalValue::Kind::Array) return e.type;
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
