// Type inference of calls: library rows (functions and methods), jitted
// functions, @vectorize kernels on arrays, and the redirect of calls a C++ row
// refuses to the library written in Python.
#include <map>
#include <set>

#include "numjit/types/inferrer.h"
#include "numjit/types/time_typing.h"

namespace numjit::types {

// lst.append(x) / lst.extend(other) / s.add(x) / s.update(other) decide (or
// widen) the item type of the list or set variable.
void Inferrer::refine_container(Expr& callee, std::vector<const Type*>& args) {
  const std::string& m = callee.attribute;
  bool is_set = args[0]->kind == TypeKind::Set;
  // A set() nothing was added to takes its items' type from the first method
  // that names one (s <= t, s ^= t, s.discard(x), x in s): it is empty, so no
  // value depends on it, and Python's answers need no item type.
  if (is_set && is_unknown(args[0]->elements[0]) && args.size() >= 2) {
    bool iterable = args[1]->kind == TypeKind::Set || args[1]->kind == TypeKind::List;
    const Type* item = iterable ? args[1]->elements[0] : args[1];
    if (!is_unknown(item)) {
      check_hashable(item, "set items", callee.span);
      if (!refine_holder(callee.value(), set_of(item), callee.span))
        typing_error(callee.span, "cannot decide the item type of this set here: give it its items where it is "
                                  "made, or keep it in a variable first");
      args[0] = callee.value().type;
      return;
    }
  }
  bool adds_one = is_set ? m == "add" : m == "append" || m == "insert";
  bool adds_all = is_set ? m == "update" : m == "extend";
  if (!adds_one && !adds_all) return;
  size_t value_index = m == "insert" ? 2 : 1;
  // Only a local widens; a container held by another (`groups[k].append(x)`
  // after `groups[k] = []`) gets its first item type, and then takes only
  // values that convert to it (its items are stored at that type already).
  if (callee.value().kind != ExprKind::Local && !is_unknown(args[0]->elements[0])) {
    const Type* value = args.size() > value_index ? args[value_index] : nullptr;
    const Type* item = args[0]->elements[0];
    if (adds_one && value && !is_unknown(value) && !converts_to_item(value, item) && unify(item, value) != item)
      typing_error(callee.span, "cannot add " + describe(value) + " to " + describe(args[0]) +
                                    ", which another container holds: its items are stored at their type already "
                                    "(give it the wider type where it is made, e.g. [0.0][:0])");
    return;
  }
  if (args.size() <= value_index) return;
  const Type* added = args[value_index];
  if (adds_all) {
    added = added->kind == TypeKind::Set ? added->elements[0] : iteration_element(added, callee);
    if (!added || is_unknown(added)) return;
  }
  const Type* current = args[0]->elements[0];
  if (converts_to_item(added, current)) return;  // no change of kind: the value converts
  const Type* item = unify(current, added);
  if (!item) typing_error(callee.span, "cannot add " + describe(added) + " to " + describe(args[0]));
  if (is_set) check_hashable(item, "set items", callee.span);
  else check_list_item(item, callee.span);
  const Type* refined = is_set ? set_of(item) : list(item, args[0]->typed_container);
  if (refine_holder(callee.value(), refined, callee.span)) {
    args[0] = callee.value().type;
    return;
  }
  if (is_unknown(current))
    typing_error(callee.span, "cannot decide the item type of this " + std::string(is_set ? "set" : "list") +
                                  " here: give it its items where it is made, or keep it in a variable first");
  // A parameter keeps its caller's item type, as any container held elsewhere.
  typing_error(callee.span, "cannot add " + describe(added) + " to " + describe(args[0]) + " here: it came from "
                                "elsewhere with that item type");
}

// A store or an append that decides a container's item types refines what
// holds the container: a local, or, for a container still empty of type
// (`d[a] = {}` or `groups[k] = []`, then `d[a][b] = v`), the item type of the
// dict or list that holds it, up to the local that holds them all. The empty
// container is retyped where it is stored (FunctionLowering::cast). False
// where nothing can hold the new type.
bool Inferrer::refine_holder(Expr& holder, const Type* refined, const SourceSpan& span) {
  // A parameter keeps the caller's type: its containers were made there.
  if (holder.kind == ExprKind::Local && static_cast<size_t>(holder.local) < fn_.param_count &&
      holder.type != refined)
    return false;
  if (holder.kind == ExprKind::Local) {
    widen_local(holder.local, refined);
    assign_local(holder.local, refined, span);
    holder.type = fn_.locals[holder.local].type;
    return true;
  }
  // d.setdefault(k, []) holds what d holds at k (the call of the Python
  // library's dict.setdefault, d its first argument, once typed).
  bool method_form = holder.kind == ExprKind::Call && holder.callee().kind == ExprKind::Attribute &&
                     holder.callee().attribute == "setdefault";
  bool library_form = holder.kind == ExprKind::Call && holder.callee().kind == ExprKind::Global &&
                      holder.callee().global.name == "dict.setdefault" && !holder.args().empty();
  if (method_form || library_form) {
    Expr& mapping = method_form ? holder.callee().value() : holder.args()[0];
    const Type* outer = mapping.type;
    if (!outer || outer->kind != TypeKind::Dict || !holder.type || outer->elements[1] != holder.type ||
        !untyped_container(holder.type) ||
        !refine_holder(mapping, dict(outer->elements[0], refined, outer->typed_container), span))
      return false;
    holder.type = refined;
    return true;
  }
  const Type* held = holder.type;
  if (!held || !untyped_container(held) || holder.kind != ExprKind::Subscript) return false;
  const Type* outer = holder.value().type;
  if (!outer || (outer->kind != TypeKind::Dict && outer->kind != TypeKind::List)) return false;
  bool is_dict = outer->kind == TypeKind::Dict;
  const Type* item = is_dict ? outer->elements[1] : outer->elements[0];
  if (item != held) return false;
  const Type* outer_refined =
      is_dict ? dict(outer->elements[0], refined, outer->typed_container) : list(refined, outer->typed_container);
  if (!refine_holder(holder.value(), outer_refined, span)) return false;
  holder.type = refined;
  return true;
}

namespace {
bool is_unpack(const Expr& arg) { return is_builtin_call(arg, "numjit.unpack"); }
}  // namespace

// f(x, *rest) with rest a tuple: the call's arguments become x, rest[0], rest[1], ...
// False while a tuple's type is not known yet.
bool Inferrer::spread_starred_arguments(Expr& e) {
  bool any = false;
  for (Expr& arg : e.args()) {
    if (!is_unpack(arg)) continue;
    any = true;
    Expr& inner = arg.args()[0];
    if (inner.kind != ExprKind::Local)
      unsupported(arg.span, "*args in a call must name a variable holding a tuple in compiled code");
    const Type* t = expr(inner);
    if (is_unknown(t)) return false;
    if (t->kind != TypeKind::Tuple) typing_error(arg.span, "*args in a call needs a tuple, not " + describe(t));
  }
  if (!any) return true;
  std::vector<hir::ExprPtr> spread;
  for (hir::ExprPtr& arg : e.take_args()) {
    if (!is_unpack(*arg)) {
      spread.push_back(std::move(arg));
      continue;
    }
    const Expr& tuple = arg->args()[0];
    for (size_t i = 0; i < tuple.type->elements.size(); ++i) {
      auto item = std::make_unique<Expr>(ExprKind::Subscript, arg->span);
      item->children.push_back(hir::clone(tuple));
      item->children.push_back(hir::make_int(static_cast<int64_t>(i), arg->span));
      spread.push_back(std::move(item));
    }
  }
  e.set_args(std::move(spread));
  return true;
}

std::string Inferrer::method_namespace(const Type* self) {
  if (is_jitclass_instance(self)) return jitclass_key(self);  // its methods: numjit/experimental/jitclass.py
  if (self->is_named_tuple()) return self->class_key;         // methods the library gives a class (Polynomial)
  if (self == bytes()) return "bytes";  // Python's bytes methods, not an array's (`x in b`: bytes.__contains__)
  return self->is_array()                                                             ? "array"
         : self->kind == TypeKind::List                                               ? "list"
         : self->kind == TypeKind::Dict                                               ? "dict"
         : self->kind == TypeKind::Set                                                ? "set"
         : self->kind == TypeKind::String || self->kind == TypeKind::StringLiteral    ? "str"
         : self->kind == TypeKind::Generator                                          ? "Generator"
                                                                                      : "scalar";
}

const Type* Inferrer::call(Expr& e) {
  if (!spread_starred_arguments(e)) return unknown();
  Expr& callee = e.callee();
  std::vector<const Type*> args;
  // A method call passes its object as the first argument of a library row
  // named "scalar.<method>" or "array.<method>".
  std::string method;
  if (callee.kind == ExprKind::Attribute) {
    // A method of an optional value is its payload's, the value checked at run time as an argument's is.
    const Type* self = expr(callee.value());
    if (self->kind == TypeKind::Optional) {
      unwrap_optional(callee.value_slot());
      self = expr(callee.value());
    }
    if (is_unknown(self)) return unknown();
    if (is_dtype_value(self) && callee.attribute == "type") {
      expr(callee);  // a.dtype.type(x): the scalar class (infer_expressions.cpp), called
      return call(e);
    }
    method = method_namespace(self) + "." + callee.attribute;
    set(callee, opaque("method(" + method + ")"));  // a bound method exists only while compiling
    args.push_back(self);
  } else {
    expr(callee);
  }
  for (Expr& arg : e.args()) {
    const Type* t = expr(arg);
    if (is_unknown(t)) return unknown();
    args.push_back(t);
  }
  // Library functions take optionals' payloads (checked at run time); jitted
  // callees take the optional itself.
  bool library_call = !method.empty() || (callee.kind == ExprKind::Global &&
                                          callee.global.kind == hir::GlobalValue::Kind::Builtin);
  // print() formats None itself.
  if (library_call && !(callee.kind == ExprKind::Global && callee.global.name == "print"))
    for (size_t i = method.empty() ? 0 : 1; i < args.size(); ++i) args[i] = strip_optional(args[i]);
  if (method.empty() && library_call && callee.global.name != "isinstance") {
    // len(obj) of a jitclass instance, or of a namedtuple whose class has __len__ (a structured array)
    const char* dunder = builtin_dunder(callee.global.name);
    bool class_method = dunder && args.size() == 1 && args[0]->is_named_tuple() && has_class_method(args[0], dunder);
    if (class_method || std::any_of(args.begin(), args.end(), is_jitclass_instance))
      return jitclass_builtin(e, callee.global.name, args);
  }
  if (method.starts_with("list.") || method.starts_with("set.")) {
    refine_container(callee, args);
    // The value an append (insert, add) stores takes the container's item type.
    size_t at = method == "list.insert" ? 1 : 0;
    bool stores_one = method == "list.append" || method == "list.insert" || method == "set.add";
    if (stores_one && e.args().size() > at && !is_unknown(args[0]->elements[0]))
      refuse_untyped_alias(e.args()[at], args[0]->elements[0], e.span);
  }
  // d.setdefault(k, default) on a dict no store gave types yet decides them, as d[k] = default would.
  if (method == "dict.setdefault" && args.size() == 3 && is_unknown(args[0]->elements[0]) && !is_unknown(args[1]) &&
      !is_unknown(args[2])) {
    check_dict_types(args[1], args[2], callee.span);
    if (refine_holder(callee.value(), dict(args[1], args[2], args[0]->typed_container), callee.span))
      args[0] = callee.value().type;
  }
  if (method == "dict.setdefault" && e.args().size() == 2 && !is_unknown(args[0]->elements[0]))
    refuse_untyped_alias(e.args()[1], args[0]->elements[1], e.span);
  // A dict's types may come from a store later in the function: wait for
  // them. Meanwhile d.get(k, default) is provisionally its default's type, so
  // that `d[k] = d.get(k, 0.0) + 1.0` can give the store, and so the dict, a
  // type; the next round types the call with the dict's types.
  if (method.starts_with("dict.") && is_unknown(args[0]->elements[0])) {
    if (method == "dict.get" && args.size() == 3 && args[2]->is_scalar()) return args[2];
    return unknown();
  }
  const std::string row_name = method.empty() && callee.kind == ExprKind::Global ? callee.global.name : method;
  if (reduce_over_axis_tuple(e, row_name, args)) return expr(e);
  if (redirect_to_library_function(e, row_name, args)) return call(e);
  if (!method.empty()) {
    const library::Builtin* b = library::find(method);
    if (!b) typing_error(callee.span, "unknown method '" + callee.attribute + "' of " + describe(args[0]));
    return type_builtin_call(e, b, callee.attribute + "()", args);
  }
  if (callee.kind != ExprKind::Global && (callee.type->is_named_tuple() || is_jitclass_instance(callee.type))) {
    // obj(x) calls obj.__call__(x): a jitclass's own, or one the library gives a namedtuple class.
    SourceSpan span = callee.span;
    e.callee_slot() = hir::make_attribute(std::move(e.callee_slot()), "__call__", span);
    return call(e);
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
    e.jitted = resolver_.specialize(callee.global.py_object, elems, e.span);
    e.elementwise_call = true;
    if (!e.jitted->return_type->is_scalar())
      typing_error(e.span, "a vectorized kernel must return a number, not " + describe(e.jitted->return_type));
    return array(e.jitted->return_type->scalar, broadcast_ndim(args), Layout::C);
  }
  if (callee.global.kind == K::JitFunction) {
    try {
      choose_overload(e, args);
      bind_function_arguments(e, args);
      const hir::Function& declaration = resolver_.declaration(callee.global.py_object);
      // Of the library's Python functions, those for builtins that iterate read bytes as Python does.
      static const std::set<std::string, std::less<>> iterating = {"sum_", "any_",  "all_",          "sorted_",
                                                                   "list_", "min_", "max_", "bytes_contains"};
      if (declaration.options.library_code && !fn_.options.library_code && !iterating.contains(declaration.name) &&
          std::any_of(args.begin(), args.end(), [](const Type* t) { return t == bytes(); }))
        typing_error(e.span, declaration.name + "() does not take bytes in compiled code; np.frombuffer(b, np.uint8) "
                                                "reads them as an array");
      if (declaration.options.library_code && !fn_.options.library_code &&
          std::any_of(args.begin(), args.end(), holds_time))
        unsupported(e.span, declaration.name + "() does not take datetime64 or timedelta64 values in compiled "
                                               "code yet");
      if (declaration.varargs && !e.varargs_packed) pack_varargs(e, args, declaration);
      if (!e.keyword_names.empty()) bind_keywords(e, args, declaration);
      // A dtype (np.float32, float, a.dtype) passed to a jitted function is a
      // compile-time value, as a string constant is: each specializes it.
      auto passed = e.args();
      for (size_t i = 0; i < args.size() && i < passed.size(); ++i)
        if (args[i]->kind == TypeKind::Opaque)
          if (const Type* dtype = library::dtype_argument(passed[i])) args[i] = dtype_value(dtype);
      e.jitted = resolver_.specialize(callee.global.py_object, args, e.span);
      // Arguments left out take the callee's default values.
      size_t first_default = e.jitted->param_count - e.jitted->defaults.size();
      std::vector<hir::ExprPtr> given = e.take_args();
      for (size_t i = args.size(); i < e.jitted->param_count; ++i) {
        hir::ExprPtr value = hir::clone(*e.jitted->defaults[i - first_default]);
        value->span = e.span;
        value->type = e.jitted->param_types[i];
        given.push_back(std::move(value));
      }
      e.set_args(std::move(given));
    } catch (CompileError& err) {
      if (err.located()) {
        err.add_note("  called from " + fn_.name + " (" + (fn_.source ? fn_.source->filename : std::string("?")) +
                     ":" + std::to_string(e.span.line) + ":" + std::to_string(e.span.col + 1) + ")");
      }
      throw;
    }
    return e.jitted->return_type;
  }
  if (callee.global.kind == K::NamedTupleClass) return construct_named_tuple(e);
  if (callee.global.kind == K::PythonFunction) {  // an objmode block (numjit/_objmode.py)
    for (size_t i = 0; i < args.size(); ++i)
      if (args[i]->kind == TypeKind::Opaque || args[i]->kind == TypeKind::Range || args[i]->kind == TypeKind::Slice)
        unsupported(e.args()[i].span, "an objmode block cannot read " + describe(args[i]) + " from compiled code");
    const Type* result = parse(callee.global.name);
    if (!result) internal_error("objmode result type '" + callee.global.name + "'");
    return result;
  }
  if (callee.global.kind == K::ExceptionClass)
    unsupported(e.span, "exceptions can only be created in a raise statement");
  if (callee.global.kind != K::Builtin)
    typing_error(callee.span, "module '" + callee.global.name + "' is not callable");
  const library::Builtin* b = library::find(callee.global.name);
  if (!b) unsupported(e.span, callee.global.name + " is not supported in compiled code");
  if (b->elementwise && ufunc_output(e, *b, args)) return call(e);
  bool operator_form = b->as_binary || b->as_compare || b->as_unary;
  if (b->elementwise && operator_form && any_array(args)) return ufunc_as_operator(e, *b);
  if (b->elementwise && any_array(args)) return type_elementwise_call(e, b, callee.global.name + "()", args);
  return type_builtin_call(e, b, callee.global.name + "()", args);
}

const char* Inferrer::builtin_dunder(const std::string& name) {
  static const std::map<std::string, const char*> kDunders = {
      {"len", "__len__"},     {"bool", "__bool__"}, {"str", "__str__"},         {"float", "__float__"},
      {"int", "__int__"},     {"abs", "__abs__"},   {"complex", "__complex__"}, {"hash", "__hash__"},
      {"operator.index", "__index__"}};
  auto dunder = kDunders.find(name);
  return dunder == kDunders.end() ? nullptr : dunder->second;
}

const Type* Inferrer::jitclass_builtin(Expr& e, const std::string& name, const std::vector<const Type*>& args) {
  const char* dunder = builtin_dunder(name);
  if (!dunder || args.size() != 1 || !e.keyword_names.empty()) {
    const Type* instance = *std::find_if(args.begin(), args.end(), is_jitclass_instance);
    typing_error(e.span, name + "() does not take an " + describe(instance) + " in compiled code");
  }
  SourceSpan span = e.span;
  hir::ExprPtr self = std::move(e.args().slot(0));
  if (name == "bool" && is_jitclass_instance(args[0])) {  // __bool__, else __len__, else True, as in Python
    e = std::move(*jitclass_truth(std::move(self), args[0]));
    return expr(e);
  }
  e = std::move(*hir::make_call(hir::make_attribute(std::move(self), dunder, span), {}, span));
  return call(e);
}

// Point(1.0, y=2.0): the call becomes the Tuple expression that builds the
// instance, its values in field order, a field left out taking the class's
// default (frozen with the class, front end globals.cpp).
const Type* Inferrer::construct_named_tuple(Expr& e) {
  const hir::GlobalValue cls = e.callee().global;
  const std::vector<std::string>& fields = cls.fields;
  const std::string what = "namedtuple " + cls.name + "(" + [&] {
    std::string names;
    for (const std::string& f : fields) names += (names.empty() ? "" : ", ") + f;
    return names;
  }() + ")";
  size_t positional = e.args().size() - e.keyword_names.size();
  if (positional > fields.size())
    typing_error(e.span, what + " takes " + std::to_string(fields.size()) + " values, but " +
                             std::to_string(positional) + " were given");
  std::vector<hir::ExprPtr> given = e.take_args();
  std::vector<hir::ExprPtr> values(fields.size());
  for (size_t i = 0; i < positional; ++i) values[i] = std::move(given[i]);
  for (size_t k = 0; k < e.keyword_names.size(); ++k) {
    const std::string& name = e.keyword_names[k];
    size_t field = std::find(fields.begin(), fields.end(), name) - fields.begin();
    if (field == fields.size()) typing_error(e.span, what + " has no field '" + name + "'");
    if (values[field]) typing_error(e.span, what + " got two values for '" + name + "'");
    values[field] = std::move(given[positional + k]);
  }
  size_t defaults = cls.field_defaults ? cls.field_defaults->size() : 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (values[i]) continue;
    if (i + defaults < fields.size()) typing_error(e.span, what + " is missing a value for '" + fields[i] + "'");
    values[i] = hir::clone(*(*cls.field_defaults)[i + defaults - fields.size()]);
    values[i]->span = e.span;
  }
  auto instance = std::make_unique<Expr>(ExprKind::Tuple, e.span);
  instance->global = cls;
  instance->children = std::move(values);
  e = std::move(*instance);
  return expr(e);
}

// A call of an @overload (numjit/extending.py) becomes a call of the
// implementation its typing function returns for these argument types.
void Inferrer::choose_overload(Expr& e, const std::vector<const Type*>& args) {
  hir::GlobalValue& callee = e.callee().global;
  void* chosen = resolver_.select_overload(callee.py_object, args, e.keyword_names);
  if (!chosen) {
    std::string types;
    for (const Type* a : args) types += (types.empty() ? "" : ", ") + describe(a);
    if (size_t at = callee.name.find('@'); at != std::string::npos)  // an attribute (overloaded_attribute)
      typing_error(e.span, "unknown attribute '" + callee.name.substr(at + 1) + "' of " + types +
                               " (no @overload_attribute of it accepts that type)");
    typing_error(e.span, "no @overload of " + callee.name + " accepts (" + types + ")");
  }
  callee.py_object = chosen;
}

// fun(x) inside a jitted function called as f(fun, ...) from compiled code:
// the call becomes one of f's variant with that parameter bound to `fun`
// (python/numjit/_function_arguments.py), without that argument.
void Inferrer::bind_function_arguments(Expr& e, std::vector<const Type*>& args) {
  std::vector<size_t> positions;
  std::vector<void*> functions;
  size_t positional = e.args().size() - e.keyword_names.size();
  for (size_t i = 0; i < positional; ++i) {
    const Expr& arg = e.args()[i];
    if (arg.kind == ExprKind::Global && arg.global.kind == hir::GlobalValue::Kind::JitFunction &&
        !arg.global.elementwise_kernel) {
      positions.push_back(i);
      functions.push_back(arg.global.py_object);
    }
  }
  if (positions.empty()) return;
  hir::GlobalValue& callee = e.callee().global;
  callee.py_object = resolver_.bind_functions(callee.py_object, positions, functions);
  std::vector<hir::ExprPtr> kept;
  std::vector<const Type*> kept_types;
  std::vector<hir::ExprPtr> given = e.take_args();
  for (size_t i = 0; i < given.size(); ++i) {
    if (std::find(positions.begin(), positions.end(), i) != positions.end()) continue;
    kept.push_back(std::move(given[i]));
    if (i < args.size()) kept_types.push_back(args[i]);
  }
  e.set_args(std::move(kept));
  args = std::move(kept_types);
}

// A call the C++ row does not accept (`a.argmax(axis=1)`) goes to the
// library's Python implementation when there is one: the call becomes a
// call of that jitted function, with a method's object as first argument.
bool Inferrer::redirect_to_library_function(Expr& e, const std::string& name, const std::vector<const Type*>& args) {
  Expr& callee = e.callee();
  bool is_method = callee.kind == ExprKind::Attribute;
  if (!is_method && (callee.kind != ExprKind::Global || callee.global.kind != hir::GlobalValue::Kind::Builtin))
    return false;
  const library::Builtin* b = library::find(name);
  // A ufunc row applied to arrays is asked about one element of each.
  bool elementwise = b && b->elementwise && any_array(args);
  std::vector<const Type*> elements = elementwise ? elementwise_element_types(args, b->own_type_arguments) : args;
  if (b && !(elementwise && elements.empty()) && builtin_accepts(e, *b, elements)) return false;
  void* implementation = resolver_.library_fallback(name);
  // Inside that implementation, a call of the row it extends (np.sort's
  // fallback sorting a 1-D array with np.sort) is the row's: were it
  // redirected too, the fallback would call itself for the types no row takes.
  // With no row (list.__eq__ of lists of lists), the implementation calls itself for the items.
  if (!implementation || (b && implementation == fn_.py_dispatcher)) return false;
  auto target = std::make_unique<Expr>(ExprKind::Global, callee.span);
  target->global = hir::GlobalValue{.kind = hir::GlobalValue::Kind::JitFunction, .name = name,
                                    .py_object = implementation};
  if (is_method) {
    std::vector<hir::ExprPtr> args = hir::one(std::move(callee.value_slot()));
    for (hir::ExprPtr& arg : e.take_args()) args.push_back(std::move(arg));
    e.set_args(std::move(args));
  }
  e.callee_slot() = std::move(target);
  return true;
}

bool Inferrer::builtin_accepts(Expr& e, const library::Builtin& b, const std::vector<const Type*>& args) {
  if (!e.keyword_names.empty() && !b.accepts_keywords) return false;
  try {
    return b.type(library::CallSite{e, args}).has_value();
  } catch (CompileError& err) {
    if (err.kind() == ErrorKind::Internal) throw;
    return false;
  }
}

// The library rows that take datetime64 and timedelta64 values (or make
// arrays of them): those that only move, view or test the counts, or whose
// lowering converts through cast (lower/lower_datetime.cpp). Any other row
// would read the counts as plain integers, so it refuses them.
static bool takes_time_values(const std::string& row) {
  static const std::set<std::string, std::less<>> rows = {
      "np.isnat", "abs", "np.absolute", "len", "array.copy", "np.copy", "array.view", "np.empty", "np.zeros",
      "np.empty_like", "np.zeros_like", "np.array", "np.asarray", "array.astype", "bool",
      "array.reshape", "np.reshape", "array.ravel", "np.ravel", "array.flatten", "array.transpose",
      "np.transpose", "np.ascontiguousarray", "np.asfortranarray", "max", "min", "np.maximum", "np.minimum",
      "np.fmax", "np.fmin", "np.sort", "array.sort", "np.argsort", "array.argsort", "np.datetime64",
      "np.timedelta64"};
  return rows.contains(row);
}

const Type* Inferrer::type_builtin_call(Expr& e, const library::Builtin* b, const std::string& what,
                                        const std::vector<const Type*>& args, bool elementwise) {
  if (!e.keyword_names.empty() && !b->accepts_keywords)
    unsupported(e.span, what + " does not accept keyword arguments in compiled code");
  // NumPy reads a bytes object as a string, not as the uint8 array compiled code holds.
  if (!fn_.options.library_code && b->name.starts_with("np.") && b->name != "np.frombuffer" &&
      std::any_of(args.begin(), args.end(), [](const Type* t) { return t == bytes(); }))
    typing_error(e.span, what + " does not take bytes in compiled code; np.frombuffer(b, np.uint8) reads them as an array");
  bool time_values = std::any_of(args.begin(), args.end(), holds_time);
  if (time_values && !takes_time_values(b->name))
    unsupported(e.span, what + " does not take datetime64 or timedelta64 values in compiled code yet");
  library::CallSite site{e, args};
  std::optional<library::Signature> sig = b->type(site);
  if (!sig) {
    std::string names;
    for (size_t i = 0; i < args.size(); ++i) names += (i ? ", " : "") + describe(args[i]);
    typing_error(e.span, what + " does not accept (" + names + ")");
  }
  if (holds_time(sig->result) && !takes_time_values(b->name))
    unsupported(e.span, what + " does not make datetime64 or timedelta64 values in compiled code yet");
  if (b->name == "array.astype" && (holds_time(args[0]) || holds_time(sig->result)) &&
      !time_convertible(element_type(args[0]), element_type(sig->result), /*unsafe=*/true))
    typing_error(e.span, "cannot convert " + describe(args[0]) + " to " + describe(sig->result));
  // Decided once: lowering reads the signature instead of typing the call again.
  // Its argument types are the values' own (optionals included), as lowering
  // receives them; an elementwise call's are its operands' element types.
  sig->args = args;
  if (!elementwise)
    for (size_t i = 0; i < args.size(); ++i) sig->args[i] = library::argument_expr(e, i).type;
  sig->bound = std::move(site.bound);
  e.builtin = b;
  e.signature = std::move(sig);
  return e.signature->result;
}

// A NumPy ufunc applied to arrays: the scalar row types the elements, the
// result has the broadcast shape.
const Type* Inferrer::type_elementwise_call(Expr& e, const library::Builtin* b, const std::string& what,
                                            const std::vector<const Type*>& args) {
  if (!fn_.options.library_code && std::any_of(args.begin(), args.end(), [](const Type* t) { return t == bytes(); }))
    typing_error(e.span, what + " does not take bytes in compiled code; np.frombuffer(b, np.uint8) reads them as an array");
  std::vector<const hir::Expr*> arg_nodes;
  for (const Expr& arg : e.args()) arg_nodes.push_back(&arg);
  uint32_t numpy_scalars = hir::numpy_scalar_operands(arg_nodes);
  std::vector<const Type*> elems = elementwise_element_types(args, b->own_type_arguments | numpy_scalars,
                                                             numpy_scalars & ~b->own_type_arguments);
  if (elems.empty()) typing_error(e.span, what + " takes numbers or arrays of numbers");
  const Type* dtype = type_builtin_call(e, b, what, elems, true);
  if (!dtype->is_scalar()) internal_error("elementwise row " + b->name + " returned " + describe(dtype), e.span);
  return array(dtype->scalar, broadcast_ndim(args), Layout::C);
}

}  // namespace numjit::types
