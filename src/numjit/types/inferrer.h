// The type inference of one function (types/infer.h's infer()), as one class
// whose methods live in files by topic: infer.cpp (the fixed point, locals and
// the expression dispatch), infer_statements.cpp (statements, assignment
// targets, loops), infer_expressions.cpp (operators, attributes, subscripts)
// and infer_calls.cpp (calls of library rows and jitted functions).
// Internal to types/.
#pragma once

#include <string>
#include <vector>

#include "numjit/hir/build.h"
#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/types/array_typing.h"
#include "numjit/types/infer.h"

namespace numjit::types {

using hir::Expr;
using hir::is_builtin_call;
using hir::ExprKind;
using hir::Stmt;
using hir::StmtKind;

inline bool is_unknown(const Type* t) { return t->kind == TypeKind::Unknown; }
using hir::kJitclassItem;

inline std::string describe(const Type* t) {
  return is_jitclass_instance(t) ? "instance of jitclass " + jitclass_key(t) : t->name;
}
inline bool is_index_integer(const Type* t) { return t->is_integer() || t->is_bool(); }
// The verb of an operator, for messages ("cannot add int64 and tuple").
const char* op_verb(BinaryOp op);
// Whether evaluating `e` twice gives the same value and does nothing else
// (types/mixed_indexing.cpp): an expression a rewrite may copy.
bool evaluated_twice_alike(const Expr& e);

class Inferrer {
 public:
  Inferrer(hir::Function& fn, CalleeResolver& resolver) : fn_(fn), resolver_(resolver) {}
  void run();

 private:
  hir::Function& fn_;
  CalleeResolver& resolver_;
  bool changed_ = false;
  // Errors that may vanish as types widen wait for the fixed point, where a
  // last pass (settled_) reports what still holds: a local typed None so far
  // (`best = None`, later `best = v`) meeting an operator that needs a value,
  // or a container with no item types held under two names (refuse_untyped_alias).
  bool deferred_errors_ = false;
  bool settled_ = false;
  bool none_may_widen(const Expr& e);
  void refuse_untyped_alias(const Expr& value, const Type* to, const SourceSpan& span);

  void finish();

  // Every local that is read must have a type by now.
  void check_locals(const hir::Block& b);
  void check_expr(const Expr& e);
  const Type* unify_or_fail(const Type* a, const Type* b, const SourceSpan& span);
  void assign_local(int index, const Type* t, const SourceSpan& span);
  void block(hir::Block& b);
  void statement(Stmt& s);
  void condition(Expr& e);
  void raise(Stmt& s);
  void caught_classes(Expr& e, bool in_tuple = false);  // (Python's except takes a class or a flat tuple)
  hir::ExprPtr message_at_run_time(std::vector<hir::ExprPtr> args, const SourceSpan& span);
  void assign(Expr& target, const Type* value, const SourceSpan& span);
  void aug_assign(Stmt& s);
  // Refuses `a op= v` on an array whose result NumPy would not cast back to a's dtype.
  void check_in_place_kind(const Stmt& s, const Type* current, const Type* value, const Type* result);

  // The first part of `t` that exists only while compiling (a string constant,
  // a module, a range object), looking inside tuples and optionals; nullptr if none.
  static const Type* as_value(const Type* t);
  static const Type* compile_time_only_part(const Type* t);

  // The element type of iterating over a value of type `iter`, or nullptr.
  const Type* iteration_element(const Type* iter, const Expr& where);

  // What one step of `for ... in e` yields; enumerate(...) and zip(...) (of
  // arrays, homogeneous tuples, or each other) yield tuples. nullptr while
  // an argument's type is still unknown.
  const Type* iterable_item(Expr& e);
  bool assigns_list_slice(Stmt& s);
  void for_loop(Stmt& s);
  const Type* set(Expr& e, const Type* t);
  const Type* display_item(Expr& e, const char* what);
  const Type* expr(Expr& e);
  const Type* expr_of_kind(Expr& e);  // expr() by the node's kind
  // Expr::numpy_scalar of a typed node, from its children and locals.
  bool is_numpy_scalar(const Expr& e) const;
  // A local assigned a NumPy scalar is one wherever it is read (NumPy's
  // `s = 0.0; s += a[i]` holds an np.float64 once the loop has run).
  void note_numpy_scalar(const Expr& target, const Expr& value);
  void mark_numpy_scalar(int local);

  // Dict keys are numbers or tuples of numbers (compared by their bytes);
  // values are numbers, tuples of numbers or arrays.
  static void check_dict_types(const Type* key, const Type* value, const SourceSpan& span);
  static void check_hashable(const Type* key, const char* what, const SourceSpan& span);

  // Lists hold numbers, strings, tuples of numbers, arrays and lists of those (items are stored inline).
  static void check_list_item(const Type* item, const SourceSpan& span);

  // `l = [1, 2]; l.append(2.5)` makes l a list of float64, and
  // `d[k] = 2.5` into a dict of float32 values a dict of float64 values, as
  // Numba does: a local container of numbers widens its item types, and the
  // literals stored in it are built at the wider types (widen_literal). A
  // parameter keeps the caller's type, and a container that came from
  // elsewhere fails to unify where it is assigned, so nothing aliased changes
  // its layout.
  static bool widens_numbers(const Type* from, const Type* to);
  void widen_local(int local, const Type* wider);
  const Type* widen_literal(const Expr& target, Expr& value, const Type* t);

  // lst.append(x) / lst.extend(other) / s.add(x) / s.update(other) decide
  // (or widen) the item type of the list or set variable.
  void refine_container(Expr& callee, std::vector<const Type*>& args);
  bool refine_holder(Expr& holder, const Type* refined, const SourceSpan& span);
  const Type* constant(Expr& e);
  const Type* global(Expr& e);
  const Type* attribute(Expr& e);
  void unwrap_optional(hir::ExprPtr& value);
  const Type* limits_attribute(Expr& e, const Type* base);  // np.finfo(...).eps and the like (infer_limits.cpp)
  const Type* subscript(Expr& e);
  // One index array among slices and integers (types/mixed_indexing.cpp):
  // a read becomes a rows selection on a transposed view; false when `e` is
  // not of that form.
  bool rewrite_mixed_index_read(Expr& e, const Type* base, const std::vector<const Expr*>& indices);
  // The same for an assignment's target (and its value), and `a[idx] op= v`
  // on an N-D array as `a[idx] = a[idx] op v`; false when `s` is not of
  // those forms, or its types are not known yet.
  bool rewrite_fancy_store(Stmt& s);
  static void check_dict_key(const Type* dict_type, const std::vector<const Expr*>& indices, const SourceSpan& span);
  static bool homogeneous(const Type* tuple);
  bool strings_at_run_time(Expr& e);
  bool iterated_as_list(Expr& e);
  const Type* binary(BinaryOp op, const Type* l, const Type* r, const SourceSpan& span,
                     bool r_is_negative_int_constant = false, uint32_t numpy_scalars = 0);
  const Type* unary(Expr& e);
  const Type* compare(Expr& e);
  const Type* set_operator(Expr& e, const Type* l, const Type* r);
  const Type* method_comparison(Expr& e, const Type* l, const Type* r);
  const Type* method_call_of(Expr& e, const char* method, hir::ExprPtr self, hir::ExprPtr other);
  const Type* string_operator(Expr& e, const Type* l, const Type* r);
  const Type* call(Expr& e);

  // A call the C++ row does not accept (`a.argmax(axis=1)`) goes to the
  // library's Python implementation when there is one: the call becomes a
  // call of that jitted function, with a method's object as first argument.
  bool redirect_to_library_function(Expr& e, const std::string& name, const std::vector<const Type*>& args);
  void choose_overload(Expr& e, const std::vector<const Type*>& args);
  const Type* construct_named_tuple(Expr& e);
  // Attribute targets of a jitclass instance (infer_statements.cpp).
  bool store_attribute(Stmt& s);
  void check_field_store(Expr& target, const Type* value, const SourceSpan& span);
  bool update_attribute(Stmt& s);
  // obj[i] = v on a jitclass instance: its __setitem__ (false: not one).
  bool store_jitclass_item(Stmt& s);
  bool indexes_jitclass_instance(const Expr& target);
  // `target op= value` becomes `target = read op value`.
  static void as_plain_assignment(Stmt& s, hir::ExprPtr read);
  // Operators on jitclass instances: calls of the class's special methods
  // (types/jitclass_operators.cpp). jitclass_aug_assign is false when the
  // target is not an instance. has_class_method: whether a jitclass, or a
  // namedtuple class the library extends, has that method.
  bool has_class_method(const Type* t, const char* method);
  // A variable a rewrite binds a value to (named so that no source name can take it).
  int new_local(const char* name, const SourceSpan& span);
  // `right`, evaluated after `left`, which becomes a read of the variable holding it.
  hir::ExprPtr left_first(hir::ExprPtr& left, hir::ExprPtr right);
  const Type* jitclass_binary(Expr& e, const Type* l, const Type* r);
  const Type* jitclass_compare(Expr& e, const Type* l, const Type* r);
  const Type* jitclass_unary(Expr& e, const Type* t);
  bool jitclass_aug_assign(Stmt& s, const Type* current);
  // `target op= value` as `target = read.__iop__(value)` when the instance's class has that method.
  bool in_place_method_call(Stmt& s, hir::ExprPtr read, const Type* current);
  // The truth of a jitclass instance, as Python finds it: __bool__, else __len__ != 0, else True.
  hir::ExprPtr jitclass_truth(hir::ExprPtr object, const Type* t);
  // An unsupported error when `target op= v` would evaluate an index with side effects twice.
  static void refuse_evaluating_twice(const Expr& target);
  // len(obj), bool(obj), ... of a jitclass instance: its __len__, __bool__, ...;
  // any other builtin refuses instances.
  const Type* jitclass_builtin(Expr& e, const std::string& name, const std::vector<const Type*>& args);
  // Namedtuple classes that index like arrays (types/indexed_classes.cpp).
  // `for r in records` over a namedtuple class that indexes its fields alike
  // (a structured array), and enumerate or zip over one: `for k in
  // range(len(records)): r = records[k]`, each iterable bound once.
  bool iterate_by_index(Stmt& s, const Type* iter);
  // a[i].x and a[i]["x"] of a structured array as a.x[i]: the field's view
  // indexed, with no record made. False: not that form.
  bool read_field_in_place(Expr& e, const std::string& field);
  // x[(i,)] as x[i], unless x is a dict (whose key is the tuple) or a class with its own __getitem__.
  void unwrap_one_tuple_index(Expr& subscript, const Type* base);
  // obj[i, j] passes one index to __getitem__ and __setitem__, the tuple (i, j), as Python does.
  static hir::ExprPtr packed_index(Expr& subscript);
  // obj[1:3] of a namedtuple class that indexes its fields alike (`__index_fields__`, a structured
  // array, numjit/records.py): an instance of the class of each field so indexed. False: not one.
  bool index_each_field(Expr& e, const Type* base);
  // a.sum(axis=(1, 2)) as a.sum(axis=2).sum(axis=1) (types/axis_tuples.cpp); false: not such a call.
  bool reduce_over_axis_tuple(Expr& e, const std::string& name, const std::vector<const Type*>& args);
  // The special method a builtin calls on an object (len: __len__), or nullptr.
  static const char* builtin_dunder(const std::string& name);
  // The library's name for the methods of values of `self`'s type ("array",
  // "list", ..., "scalar"): a method call `x.m(...)` is the row `<namespace>.m`.
  static std::string method_namespace(const Type* self);
  // x.attr extended with numjit.extending.overload_attribute: the call of its
  // implementation, or false when there is none.
  bool overloaded_attribute(Expr& e, const Type* base);
  bool spread_starred_arguments(Expr& e);
  void bind_function_arguments(Expr& e, std::vector<const Type*>& args);
  bool builtin_accepts(Expr& e, const library::Builtin& b, const std::vector<const Type*>& args);
  // `elementwise`: args are the element types of a ufunc's array operands.
  const Type* type_builtin_call(Expr& e, const library::Builtin* b, const std::string& what,
                                const std::vector<const Type*>& args, bool elementwise = false);

  // NumPy ufuncs by name (infer_ufuncs.cpp): an output array (out= or a
  // trailing array) and, on arrays, the ufuncs that are operators.
  bool ufunc_output(Expr& e, const library::Builtin& b, const std::vector<const Type*>& args);
  const Type* ufunc_as_operator(Expr& e, const library::Builtin& b);

  // A NumPy ufunc applied to arrays: the scalar row types the elements, the
  // result has the broadcast shape.
  const Type* type_elementwise_call(Expr& e, const library::Builtin* b, const std::string& what,
                                    const std::vector<const Type*>& args);
};

}  // namespace numjit::types
