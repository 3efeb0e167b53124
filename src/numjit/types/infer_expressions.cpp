// Type inference of operators, attributes and subscripts.
#include "numjit/types/inferrer.h"
#include "numjit/types/time_typing.h"

namespace numjit::types {

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

// Dict keys are numbers or tuples of numbers (compared by their bytes);
// values are numbers, tuples of numbers or arrays.
void Inferrer::check_dict_types(const Type* key, const Type* value, const SourceSpan& span) {
  check_hashable(key, "dict keys", span);
  check_list_item(value, span);
}

// Dict keys and set items hash and compare as their bytes: numbers and tuples of numbers.
void Inferrer::check_hashable(const Type* key, const char* what, const SourceSpan& span) {
  if (is_unknown(key)) return;
  bool ok = key->is_scalar() || key->kind == TypeKind::String || key->kind == TypeKind::StringLiteral;
  if (key->kind == TypeKind::Tuple) {
    ok = true;
    for (const Type* e : key->elements) ok = ok && e->is_scalar();
  }
  if (!ok)
    unsupported(span, std::string(what) + " must be numbers, strings or tuples of numbers, not " + describe(key));
}

// Lists hold numbers, strings, tuples of numbers, arrays and lists of those (items are stored inline).
void Inferrer::check_list_item(const Type* item, const SourceSpan& span) {
  if (is_unknown(item) || item->is_scalar() || item->is_array() || item->kind == TypeKind::String) return;
  if (item->kind == TypeKind::List) return check_list_item(item->elements[0], span);  // lists of lists
  if (item->kind == TypeKind::StringLiteral) return;  // stored as a run-time string
  if (item->kind == TypeKind::Dict || item->kind == TypeKind::Set) return;  // one owned MemInfo word, as a list
  if (item->kind == TypeKind::Tuple) {
    for (const Type* e : item->elements) check_list_item(e, span);
    return;
  }
  unsupported(span, "lists of " + describe(item) + " are not supported yet (numbers, strings, arrays, lists and "
                    "tuples of those are)");
}

// NumPy's one-letter code of a scalar type (np.dtype(...).char).
static char numpy_char(const Type* t) {
  if (t->is_bool()) return '?';
  if (t->is_complex()) return t->bits() == 64 ? 'F' : 'D';
  if (t->is_float()) return t->bits() == 32 ? 'f' : 'd';
  static const char signed_codes[] = {'b', 'h', 'i', 'l'}, unsigned_codes[] = {'B', 'H', 'I', 'L'};
  int which = t->bits() == 8 ? 0 : t->bits() == 16 ? 1 : t->bits() == 32 ? 2 : 3;
  return t->is_signed() ? signed_codes[which] : unsigned_codes[which];
}

// x.attr or x[i] of an optional x reads its payload's: x becomes
// numjit.unwrap(x), which raises TypeError where x is None, as Numba does.
void Inferrer::unwrap_optional(hir::ExprPtr& value) {
  SourceSpan span = value->span;
  value = hir::make_call(hir::make_builtin("numjit.unwrap", span), hir::one(std::move(value)), span);
}

const Type* Inferrer::attribute(Expr& e) {
  if (e.attribute == "data" && e.value().kind == ExprKind::Attribute && e.value().attribute == "ctypes") {
    // a.ctypes.data: the address of a's data (numjit.array_address), as Numba's uintp.
    SourceSpan span = e.span;
    e = std::move(*hir::make_call(hir::make_builtin("numjit.array_address", span),
                                  hir::one(std::move(e.value().value_slot())), span));
    return expr(e);
  }
  if (read_field_in_place(e, e.attribute)) return expr(e);
  const Type* base = expr(e.value());
  if (is_unknown(base)) return set(e, unknown());
  if (base->kind == TypeKind::Optional) {
    unwrap_optional(e.value_slot());
    return attribute(e);
  }
  const std::string& a = e.attribute;
  if (base == bytes() && !fn_.options.library_code)  // a uint8 array inside, but Python's bytes to the user
    typing_error(e.span, "bytes has no attribute '" + a + "' in compiled code (np.frombuffer(b, np.uint8) reads it "
                         "as an array)");
  if (is_jitclass_instance(base)) {  // self.x reads self[0].x: the one item's field
    const std::vector<std::string>& fields = base->elements[0]->fields;
    if (std::find(fields.begin(), fields.end(), a) != fields.end()) {
      SourceSpan span = e.span;
      e = std::move(*hir::make_attribute(hir::make_jitclass_item(std::move(e.value_slot()), span), a, span));
      return expr(e);
    }
  }
  if (base->is_named_tuple()) {  // point.x reads as point[0]
    auto field = std::find(base->fields.begin(), base->fields.end(), a);
    if (field == base->fields.end() && overloaded_attribute(e, base)) return expr(e);  // a property of the class
    if (field == base->fields.end())
      typing_error(e.span, "namedtuple " + base->class_key + " has no field '" + a + "'");
    auto element = std::make_unique<Expr>(ExprKind::Subscript, e.span);
    element->attribute = hir::kNamedTupleField;
    element->children.push_back(std::move(e.value_slot()));
    element->children.push_back(hir::make_int(field - base->fields.begin(), e.span));
    e = std::move(*element);
    return expr(e);
  }
  if (base->is_array()) {
    if (a == "shape" || a == "strides") return set(e, tuple(std::vector<const Type*>(base->ndim, int64())));
    if (a == "ndim" || a == "size" || a == "itemsize" || a == "nbytes") return set(e, int64());
    if (a == "dtype") return set(e, opaque("dtype(" + base->dtype()->name + ")"));
    if (a == "flags") return set(e, opaque("flags"));  // its attributes are read below
    if (a == "ctypes") {
      // a.ctypes passed to LAPACK wrappers (numba.np.linalg._LAPACK): the array
      // itself, which those calls take by its data pointer.
      hir::ExprPtr array = std::move(e.value_slot());
      e = std::move(*array);
      return base;
    }
    if (a == "flat") {
      // a.flat reads as a.ravel(): a view of a C-ordered array; of any other
      // layout a copy, so it is typed read-only (writes would be lost).
      e = std::move(*hir::make_call(hir::make_attribute(std::move(e.value_slot()), "ravel", e.span), {}, e.span));
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
  if (is_limits_value(base)) return limits_attribute(e, base);
  if (base->kind == TypeKind::Opaque && base->name == "flags" && e.value().kind == ExprKind::Attribute) {
    // a.flags.c_contiguous: numjit.array_flag(a, "c_contiguous"), a row that reads the type or the strides.
    hir::ExprPtr array = std::move(e.value().value_slot());
    std::vector<hir::ExprPtr> args;
    args.push_back(std::move(array));
    args.push_back(hir::make_str(a, e.span));
    SourceSpan span = e.span;
    e = std::move(*hir::make_call(hir::make_builtin("numjit.array_flag", span), std::move(args), span));
    return expr(e);
  }
  if (is_dtype_value(base) && (a == "kind" || a == "name" || a == "char" || a == "itemsize")) {
    // Known while compiling, so `if a.dtype.kind == "f":` is decided then.
    const Type* dtype = dtype_of_value(base);
    char kind = dtype->is_bool() ? 'b' : dtype->is_complex() ? 'c' : dtype->is_float() ? 'f' : dtype->is_signed() ? 'i' : 'u';
    e = std::move(*(a == "itemsize" ? hir::make_int(dtype->is_bool() ? 1 : dtype->bits() / 8, e.span)
                    : a == "name"   ? hir::make_str(dtype->is_bool() ? "bool" : dtype->name, e.span)
                    : a == "kind"   ? hir::make_str(std::string(1, kind), e.span)
                                    : hir::make_str(std::string(1, numpy_char(dtype)), e.span)));
    return expr(e);
  }
  if (is_dtype_value(base) && a == "type") {
    // a.dtype.type: the scalar class, as np.float64 (callable to convert: a.dtype.type(0)).
    const Type* dtype = dtype_of_value(base);
    e = std::move(*hir::make_builtin(dtype->is_bool() ? "np.bool_" : "np." + dtype->name, e.span));
    return expr(e);
  }
  if (base->is_scalar() && (a == "real" || a == "imag"))
    return set(e, base->is_complex() ? float_of(base->bits() / 2) : base);
  // A Python float has no .size, while np.float64 has; the two share one
  // type here, so both are refused (as Numba does) rather than guessed.
  if (base->is_scalar() && (a == "ndim" || a == "size") && fn_.options.library_code) return set(e, int64());
  if (base->is_scalar() && a == "shape" && fn_.options.library_code) return set(e, tuple({}));
  if (base->is_scalar() && a == "dtype" && fn_.options.library_code)
    return set(e, opaque("dtype(" + base->name + ")"));
  if (base->is_scalar() && (a == "ndim" || a == "size" || a == "shape"))
    typing_error(e.span, "a number (" + describe(base) + ") has no attribute '" + a +
                             "' in compiled code; use np.ndim(x), np.size(x) or np.shape(x)");
  if (overloaded_attribute(e, base)) return expr(e);
  typing_error(e.span, "unknown attribute '" + a + "' of " + describe(base));
}

// The implementation is registered as the library fallback "<namespace>@attr"
// (numjit/extending.py); `x.attr` becomes its call with x.
bool Inferrer::overloaded_attribute(Expr& e, const Type* base) {
  if (base->kind == TypeKind::Opaque) return false;
  std::string name = method_namespace(base) + "@" + e.attribute;
  void* implementation = resolver_.library_fallback(name);
  if (!implementation) return false;
  auto target = std::make_unique<Expr>(ExprKind::Global, e.span);
  target->global = hir::GlobalValue{.kind = hir::GlobalValue::Kind::JitFunction, .name = name,
                                    .py_object = implementation};
  SourceSpan span = e.span;
  e = std::move(*hir::make_call(std::move(target), hir::one(std::move(e.value_slot())), span));
  return true;
}

const Type* Inferrer::subscript(Expr& e) {
  if (e.attribute.empty() && e.indices().size() == 1 && e.indices()[0].kind == ExprKind::Const &&
      e.indices()[0].constant.kind == hir::Constant::Kind::Str &&
      read_field_in_place(e, e.indices()[0].constant.str_value))
    return expr(e);
  const Type* base = expr(e.value());
  if (base->kind == TypeKind::Optional) {
    unwrap_optional(e.value_slot());
    return subscript(e);
  }
  unwrap_one_tuple_index(e, base);
  // obj[i] of a jitclass instance, or of a namedtuple whose class the library
  // gives a __getitem__ (a structured array, numjit/records.py): obj.__getitem__(i)
  bool own_getitem = is_jitclass_instance(base) ||
                     (base->is_named_tuple() && e.attribute.empty() && has_class_method(base, "__getitem__"));
  if (own_getitem && e.attribute != kJitclassItem && index_each_field(e, base)) return expr(e);
  if (own_getitem && e.attribute != kJitclassItem) {
    SourceSpan span = e.span;
    e = std::move(*hir::make_call(hir::make_attribute(std::move(e.value_slot()), "__getitem__", span),
                                  hir::one(packed_index(e)), span));
    return expr(e);
  }
  if (base == bytes() && e.indices().size() == 1 && e.indices()[0].kind == ExprKind::Slice) {
    // b[i:j] is new bytes, as in Python: np.frombuffer(b, np.uint8)[i:j].tobytes().
    SourceSpan span = e.span;
    std::vector<hir::ExprPtr> args;
    args.push_back(std::move(e.value_slot()));
    args.push_back(hir::make_builtin("np.uint8", span));
    e.value_slot() = hir::make_call(hir::make_builtin("np.frombuffer", span), std::move(args), span);
    e = std::move(*hir::make_call(hir::make_attribute(std::make_unique<Expr>(std::move(e)), "tobytes", span), {}, span));
    return expr(e);
  }
  if (base->is_array()) expand_ellipsis(e, base->ndim);
  std::vector<const Expr*> indices;
  auto index_exprs = e.indices();
  for (size_t i = 0; i < index_exprs.size(); ++i) {
    const Type* t = expr(index_exprs[i]);
    if (is_unknown(t)) return unknown();
    if (base->is_array() && t->kind == TypeKind::List && element_type(t->elements[0])->is_integer()) {
      // a[[i, j]]: a list of integers indexes like the integer array np.array([i, j]).
      hir::ExprPtr& slot = index_exprs.slot(i);
      SourceSpan span = slot->span;
      slot = hir::make_call(hir::make_builtin("np.array", span), hir::one(std::move(slot)), span);
      t = expr(*slot);
    }
    indices.push_back(&index_exprs[i]);
  }
  if (is_unknown(base)) return unknown();
  if (base->is_array() && rewrite_mixed_index_read(e, base, indices)) return expr(e);
  if (base->is_array()) return index_result(base, indices, e.span);
  if (base->kind == TypeKind::Dict) {
    if (is_unknown(base->elements[0])) return unknown();  // a store later in the function will tell
    check_dict_key(base, indices, e.span);
    return base->elements[1];
  }
  bool text = base->kind == TypeKind::String || base->kind == TypeKind::StringLiteral;
  if ((base->kind == TypeKind::List || text) && indices.size() == 1 && indices[0]->kind == ExprKind::Slice) {
    // items[a:b:c] is the library's list.__getslice__(a, b, c) (python/numjit/library/lists.py), absent
    // parts None; so is a string's (library/strings.cpp).
    Expr& slice = e.indices()[0];
    std::vector<hir::ExprPtr> parts;
    for (hir::ExprPtr* part : {&slice.lower_slot(), &slice.upper_slot(), &slice.step_slot()})
      parts.push_back(*part ? std::move(*part) : hir::make_none(slice.span));
    SourceSpan span = e.span;
    e = std::move(*hir::make_call(hir::make_attribute(std::move(e.value_slot()), "__getslice__", span),
                                  std::move(parts), span));
    return call(e);
  }
  if (text) {
    // s[i] is str.__getitem__(s, i): a string of one character.
    if (indices.size() != 1 || !is_index_integer(indices[0]->type))
      typing_error(e.span, "strings can only be indexed by an integer or a slice");
    SourceSpan span = e.span;
    std::vector<hir::ExprPtr> index = e.take_indices();
    e = std::move(*hir::make_call(hir::make_attribute(std::move(e.value_slot()), "__getitem__", span),
                                  std::move(index), span));
    return call(e);
  }
  if (base->kind == TypeKind::List) {
    if (indices.size() != 1 || !is_index_integer(indices[0]->type))
      unsupported(e.span, "lists can only be indexed by an integer");
    return base->elements[0];
  }
  if (base->kind == TypeKind::Pointer) {  // p[i] of a CPointer a @cfunc received: the i-th element
    if (base->elements[0]->kind == TypeKind::NoneType)
      typing_error(e.span, "a voidptr cannot be indexed: read it with carray(p, shape, dtype)");
    if (indices.size() != 1 || !is_index_integer(indices[0]->type))
      typing_error(e.span, "a pointer can only be indexed by an integer");
    return base->elements[0];
  }
  if (base->kind == TypeKind::Tuple) {
    if (indices.size() == 1 && indices[0]->kind == ExprKind::Slice) {
      std::optional<std::vector<int64_t>> positions =
          constant_slice_positions(*indices[0], static_cast<int64_t>(base->elements.size()));
      if (!positions) unsupported(e.span, "tuples can only be sliced with constant bounds and a nonzero constant step");
      std::vector<const Type*> elements;
      for (int64_t p : *positions) elements.push_back(base->elements[p]);
      return tuple(elements);
    }
    if (indices.size() == 1 && is_index_integer(indices[0]->type) && indices[0]->kind != ExprKind::Const &&
        !base->elements.empty() && homogeneous(base))
      return base->elements[0];  // `shape[d]`: a run-time index into a tuple of one type
    if (indices.size() == 1 && is_index_integer(indices[0]->type) && indices[0]->kind != ExprKind::Const &&
        strings_at_run_time(e.value()))
      return subscript(e);  // NAMES[i]: a tuple of strings as run-time strings
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

void Inferrer::check_dict_key(const Type* dict_type, const std::vector<const Expr*>& indices, const SourceSpan& span) {
  std::vector<const Type*> parts;
  for (const Expr* ix : indices) parts.push_back(ix->type);
  const Type* key = parts.size() == 1 ? parts[0] : tuple(parts);  // d[i, j] is d[(i, j)]
  if (!unify(dict_type->elements[0], key))
    typing_error(span, describe(dict_type) + " cannot be indexed with " + describe(key));
}

bool Inferrer::homogeneous(const Type* tuple) {
  for (const Type* e : tuple->elements)
    if (e != tuple->elements[0]) return false;
  return true;
}

// A bytes value is a uint8 array inside compiled code, so an operator would
// act element-wise where Python's concatenates or compares whole values. (The
// library's own code reads bytes as the array they are: `x in b`.)
[[noreturn]] static void refuse_bytes_operator(const SourceSpan& span) {
  unsupported(span, "operators on bytes are not supported in compiled code; read them as an array with "
                    "np.frombuffer(b, np.uint8)");
}

const Type* Inferrer::binary(BinaryOp op, const Type* l, const Type* r, const SourceSpan& span,
                             bool r_is_negative_int_constant, uint32_t numpy_scalars) {
  if (op == BinaryOp::Add && l->kind == TypeKind::Tuple && r->kind == TypeKind::Tuple) {
    if (!is_tuple_of_numbers(l) || !is_tuple_of_numbers(r))
      unsupported(span, "only tuples of numbers can be concatenated in compiled code (" + describe(l) + " + " +
                            describe(r) + ")");
    std::vector<const Type*> elements = l->elements;
    elements.insert(elements.end(), r->elements.begin(), r->elements.end());
    return tuple(elements);
  }
  if ((l == bytes() || r == bytes()) && !fn_.options.library_code) refuse_bytes_operator(span);
  if ((l->is_scalar() || l->is_array()) && (r->is_scalar() || r->is_array()) &&
      (element_type(l)->is_time() || element_type(r)->is_time())) {
    std::string why;
    if (!time_binary_result(op, element_type(l), element_type(r), &why))
      typing_error(span, std::string("cannot ") + op_verb(op) + " " + describe(l) + " and " + describe(r) + ": " + why);
  }
  if (l->is_array() || r->is_array()) {
    const Type* t = elementwise_binary_type(op, l, r, numpy_scalars);
    if (!t) typing_error(span, std::string("cannot ") + op_verb(op) + " " + describe(l) + " and " + describe(r));
    return t;
  }
  const Type* t = binary_result(op, l, r, r_is_negative_int_constant);
  if (!t) typing_error(span, std::string("cannot ") + op_verb(op) + " " + describe(l) + " and " + describe(r));
  return t;
}

const Type* Inferrer::unary(Expr& e) {
  const Type* t = expr(e.operand());
  if (is_unknown(t)) return unknown();
  if (e.unary_op != hir::UnaryOp::Not) t = strip_optional(t);
  if (e.unary_op != hir::UnaryOp::Not && is_jitclass_instance(t)) return jitclass_unary(e, t);
  if (t == bytes() && e.unary_op != hir::UnaryOp::Not && !fn_.options.library_code) refuse_bytes_operator(e.span);
  if ((t->is_scalar() || t->is_array()) && element_type(t)->is_time() &&
      (e.unary_op == hir::UnaryOp::Invert || (e.unary_op != hir::UnaryOp::Not && element_type(t)->is_datetime())))
    typing_error(e.span, "cannot apply this operator to " + describe(t));
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
      if (is_jitclass_instance(t)) {
        e.operand_slot() = jitclass_truth(std::move(e.operand_slot()), t);
        expr(e.operand());
        return boolean();
      }
      if (t->kind == TypeKind::List || t->kind == TypeKind::Dict || t->kind == TypeKind::Set) {
        // `not items` is `len(items) == 0`, as in Python.
        SourceSpan span = e.span;
        e = std::move(*hir::make_length_test(std::move(e.operand_slot()), hir::CompareOp::Eq, span));
        return expr(e);
      }
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

// Set operators and comparisons are the library's set methods
// (python/numjit/library/sets.py), called on the left operand:
// `a | b` is a.__or__(b), `a <= b` is a.__le__(b). So are strings'.
const Type* Inferrer::method_call_of(Expr& e, const char* method, hir::ExprPtr self, hir::ExprPtr other) {
  SourceSpan span = e.span;
  e = std::move(*hir::make_call(hir::make_attribute(std::move(self), method, span), hir::one(std::move(other)), span));
  return call(e);
}

const Type* Inferrer::set_operator(Expr& e, const Type* l, const Type* r) {
  const char* method = e.binary_op == BinaryOp::BitOr    ? "__or__"
                       : e.binary_op == BinaryOp::BitAnd ? "__and__"
                       : e.binary_op == BinaryOp::Sub    ? "__sub__"
                       : e.binary_op == BinaryOp::BitXor ? "__xor__"
                                                         : nullptr;
  if (!method || l->kind != TypeKind::Set || r->kind != TypeKind::Set)
    typing_error(e.span, "cannot " + std::string(op_verb(e.binary_op)) + " " + describe(l) + " and " + describe(r) +
                             (method ? " (set operators take two sets; the methods take any iterable)" : ""));
  return method_call_of(e, method, std::move(e.lhs_slot()), std::move(e.rhs_slot()));
}

// a + b and s * n (n * s) of strings are str.__add__ and str.__mul__
// (library/strings.cpp); two constants add up to a constant.
const Type* Inferrer::string_operator(Expr& e, const Type* l, const Type* r) {
  auto is_text = [](const Type* t) { return t->kind == TypeKind::String || t->kind == TypeKind::StringLiteral; };
  if (e.binary_op == BinaryOp::Add && is_text(l) && is_text(r)) {
    // Only constants written as such fold: a variable holding a constant may
    // hold a run-time string by the next inference pass (`out = out + t` in a loop).
    if (e.lhs().kind == ExprKind::Const && e.rhs().kind == ExprKind::Const) {
      Expr joined(ExprKind::Const, e.span);
      joined.constant = {.kind = hir::Constant::Kind::Str, .str_value = l->text + r->text};
      e = std::move(joined);
      return constant(e);
    }
    // (a + b) + c is one str.__add__(a, b, c): the intermediate string is
    // never made. The left operand was typed first, so a chain arrives here
    // as a call of the row already.
    Expr& left = e.lhs();
    if (left.kind == ExprKind::Call && left.builtin && left.builtin->name == "str.__add__") {
      std::vector<hir::ExprPtr> operands = left.take_args();
      operands.push_back(std::move(e.rhs_slot()));
      hir::ExprPtr callee = std::move(left.callee_slot());
      SourceSpan span = e.span;
      e = std::move(*hir::make_call(std::move(callee), std::move(operands), span));
      return call(e);
    }
    return method_call_of(e, "__add__", std::move(e.lhs_slot()), std::move(e.rhs_slot()));
  }
  if (e.binary_op == BinaryOp::Mul && (is_text(l) != is_text(r))) {
    bool swap = !is_text(l);
    if (!(swap ? l : r)->is_integer() && !(swap ? l : r)->is_bool())
      typing_error(e.span, "a string can only be repeated an integer number of times, not " + describe(swap ? l : r));
    hir::ExprPtr text = std::move(swap ? e.rhs_slot() : e.lhs_slot());
    hir::ExprPtr times = std::move(swap ? e.lhs_slot() : e.rhs_slot());
    return method_call_of(e, "__mul__", std::move(text), std::move(times));
  }
  if (e.binary_op == BinaryOp::Mod && is_text(l))
    unsupported(e.span, "'%' formatting of strings is not supported in compiled code; use an f-string");
  typing_error(e.span, "cannot " + std::string(op_verb(e.binary_op)) + " " + describe(l) + " and " + describe(r));
}

namespace {

bool is_text_type(const Type* t) { return t->kind == TypeKind::String || t->kind == TypeKind::StringLiteral; }

bool is_tuple_of_numbers_or_text(const Type* t) {
  if (t->kind != TypeKind::Tuple) return false;
  for (const Type* e : t->elements)
    if (!e->is_scalar() && !is_text_type(e) && !is_tuple_of_numbers_or_text(e)) return false;
  return true;
}

// Whether Python could compare the tuples' shared element pairs: numbers with
// numbers (complex ones only for equality), strings with strings, tuples
// with tuples, recursively. A string and a number are never equal, and
// ordering them is Python's TypeError.
bool tuple_elements_comparable(const Type* a, const Type* b, bool ordering) {
  for (size_t k = 0; k < std::min(a->elements.size(), b->elements.size()); ++k) {
    const Type* x = a->elements[k];
    const Type* y = b->elements[k];
    if (x->kind == TypeKind::Tuple || y->kind == TypeKind::Tuple) {
      if (x->kind != y->kind || !tuple_elements_comparable(x, y, ordering)) return false;
    } else if (is_text_type(x) != is_text_type(y)) {
      if (ordering) return false;
    } else if (ordering && (x->is_complex() || y->is_complex())) {
      return false;
    }
  }
  return true;
}

}  // namespace

// Sets and strings compare through their methods: a <= b is a.__le__(b).
const Type* Inferrer::method_comparison(Expr& e, const Type* l, const Type* r) {
  static const char* const kMethods[] = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"};
  hir::CompareOp op = e.compare_ops[0];
  if (op == hir::CompareOp::Is || op == hir::CompareOp::IsNot)
    unsupported(e.span, "'is' comparisons are only supported against None");
  if (l->kind != r->kind) {
    if (op != hir::CompareOp::Eq && op != hir::CompareOp::NotEq)
      typing_error(e.span, "cannot order " + describe(l) + " and " + describe(r));
    // A set (a string) never equals a value of another kind.
    Expr decided(ExprKind::Const, e.span);
    decided.constant = {.kind = hir::Constant::Kind::Bool, .int_value = op == hir::CompareOp::NotEq};
    e = std::move(decided);
    return constant(e);
  }
  std::vector<hir::ExprPtr> operands = e.take_operands();
  return method_call_of(e, kMethods[static_cast<int>(op)], std::move(operands[0]), std::move(operands[1]));
}

const Type* Inferrer::compare(Expr& e) {
  std::vector<const Type*> ts;
  for (Expr& c : e.operands()) ts.push_back(expr(c));
  for (const Type* t : ts) if (is_unknown(t)) return unknown();
  bool none_involved = std::any_of(ts.begin(), ts.end(), [](const Type* t) { return t->kind == TypeKind::NoneType; });
  if (!none_involved && std::any_of(ts.begin(), ts.end(), is_jitclass_instance))
    return jitclass_compare(e, ts[0], ts[1]);
  // Sets, lists and dicts compare by the library's methods (a.__lt__(b)).
  auto container = [](const Type* t) {
    return t->kind == TypeKind::Set || t->kind == TypeKind::List || t->kind == TypeKind::Dict;
  };
  if (ts.size() == 2 && !none_involved && (container(ts[0]) || container(ts[1]))) {
    bool ordering = e.compare_ops[0] != hir::CompareOp::Eq && e.compare_ops[0] != hir::CompareOp::NotEq &&
                    e.compare_ops[0] != hir::CompareOp::Is && e.compare_ops[0] != hir::CompareOp::IsNot;
    if (ordering && (ts[0]->kind == TypeKind::Dict || ts[1]->kind == TypeKind::Dict))
      typing_error(e.span, "dicts cannot be ordered (" + describe(ts[0]) + ", " + describe(ts[1]) + ")");
    return method_comparison(e, ts[0], ts[1]);
  }
  if (dtype_comparison(e)) return boolean();  // decided here; lowered as a constant
  auto is_text = [](const Type* t) { return t->kind == TypeKind::String || t->kind == TypeKind::StringLiteral; };
  bool two_constants = ts.size() == 2 && ts[0]->kind == TypeKind::StringLiteral &&
                       ts[1]->kind == TypeKind::StringLiteral &&
                       (e.compare_ops[0] == hir::CompareOp::Eq || e.compare_ops[0] == hir::CompareOp::NotEq);
  bool none_compared = ts.size() == 2 && (ts[0]->kind == TypeKind::NoneType || ts[1]->kind == TypeKind::NoneType);
  if (ts.size() == 2 && (is_text(ts[0]) || is_text(ts[1])) && !two_constants && !none_compared)
    return method_comparison(e, is_text(ts[0]) ? string() : ts[0], is_text(ts[1]) ? string() : ts[1]);
  for (size_t i = 0; i < ts.size() && ts.size() > 2; ++i)
    if (ts[i]->kind == TypeKind::String) unsupported(e.span, "chained comparisons of strings are not supported");
  bool against_none = ts.size() == 2 && (ts[0]->kind == TypeKind::NoneType || ts[1]->kind == TypeKind::NoneType);
  for (const Type* t : ts)
    if (t == bytes() && !against_none && !fn_.options.library_code) refuse_bytes_operator(e.span);
  if (any_array(ts) && !against_none) {
    if (ts.size() != 2) unsupported(e.span, "chained comparisons of arrays are not supported");
    hir::CompareOp op = e.compare_ops[0];
    if (op == hir::CompareOp::Is || op == hir::CompareOp::IsNot)
      unsupported(e.span, "'is' comparisons are only supported against None");
    std::vector<const Type*> elems = elementwise_element_types(
        ts, hir::numpy_scalar_operands({&e.operands()[0], &e.operands()[1]}));
    if (elems.empty()) typing_error(e.span, "cannot compare " + describe(ts[0]) + " and " + describe(ts[1]));
    if ((elems[0]->is_time() || elems[1]->is_time()) && !time_comparable(elems[0], elems[1]))
      typing_error(e.span, "cannot compare " + describe(ts[0]) + " and " + describe(ts[1]) +
                               time_comparison_refusal(elems[0], elems[1]));
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
      bool equality = op == hir::CompareOp::Is || op == hir::CompareOp::IsNot || op == hir::CompareOp::Eq ||
                      op == hir::CompareOp::NotEq;
      if (!equality && !none_may_widen(e.operands()[i]) && !none_may_widen(e.operands()[i + 1]))
        typing_error(e.span, "cannot order " + describe(a) + " and " + describe(b));
      continue;
    }
    if (a->kind == TypeKind::StringLiteral && b->kind == TypeKind::StringLiteral &&
        (op == hir::CompareOp::Eq || op == hir::CompareOp::NotEq))
      continue;  // decided at compile time
    if (a->kind == TypeKind::Tuple && b->kind == TypeKind::Tuple) {
      // Lexicographic, as Python: element by element, then by length.
      if (!is_tuple_of_numbers_or_text(a) || !is_tuple_of_numbers_or_text(b))
        unsupported(e.span, "only tuples of numbers and strings can be compared in compiled code (" + describe(a) +
                                ", " + describe(b) + ")");
      bool ordering = op != hir::CompareOp::Eq && op != hir::CompareOp::NotEq;
      if (!tuple_elements_comparable(a, b, ordering))
        typing_error(e.span, "cannot compare " + describe(a) + " and " + describe(b) +
                                 (ordering ? " (an element pair cannot be ordered)" : ""));
      continue;
    }
    a = strip_optional(a);
    b = strip_optional(b);
    if (!a->is_scalar() || !b->is_scalar())
      typing_error(e.span, "cannot compare " + describe(a) + " and " + describe(b));
    if ((a->is_time() || b->is_time()) && !time_comparable(a, b))
      typing_error(e.span, "cannot compare " + describe(a) + " and " + describe(b) + time_comparison_refusal(a, b));
    bool ordering = op != hir::CompareOp::Eq && op != hir::CompareOp::NotEq;
    // Python's complex numbers have no order; NumPy's order lexicographically (real part, then imaginary).
    bool numpy_pair = e.operands()[i].numpy_scalar || e.operands()[i + 1].numpy_scalar;
    if (ordering && (a->is_complex() || b->is_complex()) && !numpy_pair)
      typing_error(e.span, "complex numbers cannot be ordered (" + describe(a) + ", " + describe(b) + ")");
  }
  return boolean();
}

}  // namespace numjit::types
