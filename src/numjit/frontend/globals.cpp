// Freezing Python values into HIR: numbers become constants, known modules and
// functions become GlobalValues the library can type, other numjit dispatchers
// become callable functions, NumPy arrays become constant arrays.
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <Python.h>

#include "numjit/frontend/frontend.h"

namespace numjit::frontend {
namespace {

hir::ExprPtr make_const(const SourceSpan& span, hir::Constant c) {
  auto e = std::make_unique<hir::Expr>(hir::ExprKind::Const, span);
  e->constant = std::move(c);
  return e;
}

hir::ExprPtr make_global(const SourceSpan& span, hir::GlobalValue g) {
  auto e = std::make_unique<hir::Expr>(hir::ExprKind::Global, span);
  e->global = std::move(g);
  return e;
}

std::string type_name_of(nb::handle value) { return Py_TYPE(value.ptr())->tp_name; }

// A global array is frozen as Numba does: its contents are copied at compile
// time (later changes to the Python array do not reach compiled code). The
// geometry is read through Python attributes, so this file needs no NumPy
// headers (the dispatcher owns the NumPy C API).
hir::ExprPtr freeze_array(nb::handle value, const SourceSpan& span, const FunctionBundle& bundle) {
  std::string dtype = nb::cast<std::string>(value.attr("dtype").attr("name"));
  const types::Type* dt = types::parse(dtype);
  if (!dt || !dt->is_scalar() || !nb::cast<bool>(value.attr("dtype").attr("isnative")))
    unsupported(span, "global array of dtype " + dtype + " is not supported");
  nb::object copy = value.attr("copy")();  // C-contiguous
  bundle.keepalive.append(copy);
  hir::GlobalValue g;
  g.kind = hir::GlobalValue::Kind::Array;
  g.py_object = copy.ptr();
  nb::tuple data = nb::cast<nb::tuple>(copy.attr("__array_interface__")["data"]);
  g.data = reinterpret_cast<char*>(nb::cast<uintptr_t>(data[0]));
  for (nb::handle d : copy.attr("shape")) g.shape.push_back(nb::cast<int64_t>(d));
  for (nb::handle s : copy.attr("strides")) g.strides.push_back(nb::cast<int64_t>(s));
  // Frozen arrays are constants: compiled code may read them but not write.
  auto e = make_global(span, std::move(g));
  e->type = types::array(dt->scalar, static_cast<int>(e->global.shape.size()), types::Layout::C, true);
  return e;
}

bool is_named_tuple_class(PyObject* obj) {
  return PyType_Check(obj) && PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(obj), &PyTuple_Type) &&
         PyObject_HasAttrString(obj, "_fields");
}

// A namedtuple class: its constructor's fields and defaults, frozen now, and
// its key, which types.py registers so that instances box back to the class.
hir::ExprPtr freeze_named_tuple_class(nb::handle cls, const SourceSpan& span, const FunctionBundle& bundle) {
  bundle.keepalive.append(cls);
  hir::GlobalValue g{.kind = hir::GlobalValue::Kind::NamedTupleClass, .py_object = cls.ptr()};
  g.name = nb::cast<std::string>(nb::module_::import_("numjit.types").attr("named_tuple_key")(cls));
  for (nb::handle field : cls.attr("_fields")) g.fields.push_back(nb::cast<std::string>(field));
  auto defaults = std::make_shared<std::vector<hir::ExprPtr>>();
  nb::object values = nb::getattr(cls.attr("__new__"), "__defaults__", nb::none());
  if (!values.is_none())
    for (nb::handle value : values)
      defaults->push_back(freeze_value(value, "a default of " + g.name, span, bundle));
  g.field_defaults = std::move(defaults);
  return make_global(span, std::move(g));
}

}  // namespace

hir::ExprPtr freeze_value(nb::handle value, const std::string& what, const SourceSpan& span,
                          const FunctionBundle& bundle) {
  PyObject* obj = value.ptr();
  if (obj == Py_None) return make_const(span, {.kind = hir::Constant::Kind::None});
  if (obj == Py_Ellipsis) return make_const(span, {.kind = hir::Constant::Kind::Ellipsis});
  if (PyBool_Check(obj))
    return make_const(span, {.kind = hir::Constant::Kind::Bool, .int_value = obj == Py_True});
  if (PyLong_Check(obj)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (!overflow) return make_const(span, {.kind = hir::Constant::Kind::Int, .int_value = v});
    // 2**63 ... 2**64-1 fit uint64, as Numba types them; anything else is refused.
    unsigned long long u = PyLong_AsUnsignedLongLong(obj);
    if (u == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
      PyErr_Clear();
      std::string digits = nb::cast<std::string>(nb::str(value));
      if (digits.size() > 40) digits = digits.substr(0, 20) + "..." + digits.substr(digits.size() - 8);
      typing_error(span, "integer " + what + " " + digits +
                             " does not fit in 64 bits (int64 or uint64); write it as a float if that is meant");
    }
    auto e = make_const(span, {.kind = hir::Constant::Kind::Int, .int_value = static_cast<int64_t>(u)});
    e->type = types::uint64();
    return e;
  }
  if (PyFloat_Check(obj))
    return make_const(span, {.kind = hir::Constant::Kind::Float, .float_value = PyFloat_AS_DOUBLE(obj)});
  if (PyComplex_Check(obj))
    return make_const(span, {.kind = hir::Constant::Kind::Complex,
                             .complex_value = {PyComplex_RealAsDouble(obj), PyComplex_ImagAsDouble(obj)}});
  if (PyUnicode_Check(obj))
    return make_const(span, {.kind = hir::Constant::Kind::Str, .str_value = nb::cast<std::string>(value)});
  if (PyTuple_CheckExact(obj)) {
    // A global tuple (STENCIL = ((0, 1), (1, 0))) is frozen element by element.
    auto e = std::make_unique<hir::Expr>(hir::ExprKind::Tuple, span);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(obj); ++i)
      e->children.push_back(freeze_value(nb::handle(PyTuple_GET_ITEM(obj, i)), what, span, bundle));
    return e;
  }
  if (is_named_tuple_class(obj)) return freeze_named_tuple_class(value, span, bundle);
  // A @jitclass called in compiled code runs its constructor (numjit/experimental/jitclass.py).
  if (PyType_Check(obj) && PyObject_HasAttrString(obj, "_numjit_constructor"))
    return freeze_value(value.attr("_numjit_constructor"), what, span, bundle);
  if (PyTuple_Check(obj) && is_named_tuple_class(reinterpret_cast<PyObject*>(Py_TYPE(obj)))) {
    // A namedtuple instance (a default `options=Options()`): its values, built as one of its class.
    auto e = std::make_unique<hir::Expr>(hir::ExprKind::Tuple, span);
    e->global = freeze_named_tuple_class(nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(obj))), span, bundle)->global;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(obj); ++i)
      e->children.push_back(freeze_value(nb::handle(PyTuple_GET_ITEM(obj, i)), what, span, bundle));
    return e;
  }

  // Known modules and library functions (a dict keyed by the objects themselves,
  // so aliases like `from numpy import arctan as at` resolve too).
  if (PyObject_Hash(obj) != -1) {
    PyObject* name = PyDict_GetItem(bundle.known.ptr(), obj);
    // NumPy's lazily imported submodules (np.polynomial, np.fft) join the
    // table once the program has imported them (python/numjit/_registry.py).
    if (!name && (PyModule_Check(obj) || nb::hasattr(value, "__module__")) &&
        nb::cast<bool>(nb::module_::import_("numjit._registry").attr("add_lazy_modules")()))
      name = PyDict_GetItem(bundle.known.ptr(), obj);
    // A ufunc made by @vectorize maps to its kernel's dispatcher (applied to
    // arrays, it maps over their elements); a NumPy function numjit writes in
    // Python (python/numjit/library) maps to that implementation's dispatcher.
    if (name && !PyUnicode_Check(name)) {
      hir::ExprPtr implementation = freeze_value(nb::handle(name), what, span, bundle);
      if (!nb::hasattr(nb::handle(name), "_numjit_library")) implementation->global.elementwise_kernel = true;
      return implementation;
    }
    if (name) {
      std::string canonical = nb::cast<std::string>(nb::handle(name));
      hir::GlobalValue g;
      if (canonical.starts_with("module:")) {
        g.kind = hir::GlobalValue::Kind::Module;
        g.name = canonical.substr(7);
      } else {
        g.kind = hir::GlobalValue::Kind::Builtin;
        g.name = canonical;
      }
      return make_global(span, std::move(g));
    }
  } else {
    PyErr_Clear();
  }
  if (PyType_Check(obj) && PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(obj),
                                            reinterpret_cast<PyTypeObject*>(PyExc_BaseException))) {
    bundle.keepalive.append(value);
    hir::GlobalValue g{.kind = hir::GlobalValue::Kind::ExceptionClass,
                       .name = reinterpret_cast<PyTypeObject*>(obj)->tp_name, .py_object = obj};
    return make_global(span, std::move(g));
  }
  if (nb::hasattr(value, "_numjit_dispatcher")) {
    // A parallel=True function calls the parallel form of an object that has
    // one (a stencil runs its outer loop with prange there, as in Numba).
    nb::object target = nb::borrow(value);
    if (bundle.options.parallel && nb::hasattr(value, "_numjit_parallel_variant"))
      target = value.attr("_numjit_parallel_variant");
    bundle.keepalive.append(target);
    // A @jitclass's constructor is named by its class's key (isinstance compares it with an instance's).
    const char* name_attribute = nb::hasattr(value, "_numjit_jitclass_key") ? "_numjit_jitclass_key" : "__name__";
    hir::GlobalValue g{.kind = hir::GlobalValue::Kind::JitFunction,
                       .name = nb::cast<std::string>(value.attr(name_attribute)), .py_object = target.ptr(),
                       .elementwise_kernel = nb::hasattr(value, "_numjit_elementwise"),
                       .numpy_scalar_result = nb::hasattr(value, "_numjit_numpy_scalar_result")};
    return make_global(span, std::move(g));
  }
  std::string tname = type_name_of(value);
  if (tname == "numpy.ndarray") return freeze_array(value, span, bundle);
  // NumPy scalars freeze as the Python number they hold, keeping their own type.
  // (Scalar classes have both attributes too; one numjit does not know is refused below.)
  if (!PyType_Check(obj) && nb::hasattr(value, "dtype") && nb::hasattr(value, "item")) {
    std::string dtype = nb::cast<std::string>(value.attr("dtype").attr("name"));
    const types::Type* t = types::parse(dtype);
    if (t && t->is_scalar()) {
      // A datetime64 or timedelta64 freezes as its count of units (item() would give a datetime.date).
      nb::object number = t->is_time() ? value.attr("view")("i8").attr("item")() : value.attr("item")();
      auto e = freeze_value(number, what, span, bundle);
      e->type = t;  // keep the NumPy scalar's own width
      return e;
    }
  }
  // Any other module: its attributes are frozen when read (`config.NUM_THREADS`,
  // `numba.config.NUMBA_NUM_THREADS`), like the module's own globals would be.
  if (PyModule_Check(obj)) {
    hir::GlobalValue g{.kind = hir::GlobalValue::Kind::Module, .name = nb::cast<std::string>(value.attr("__name__"))};
    return make_global(span, std::move(g));
  }
  bool numpy_function = nb::hasattr(value, "__module__") && nb::isinstance<nb::str>(value.attr("__module__")) &&
                        nb::cast<std::string>(value.attr("__module__")).starts_with("numpy");
  if (numpy_function)
    unsupported(span, what + " is not supported in compiled code yet (docs/numpy.md lists what is)");
  if (PyFunction_Check(obj) && PyObject_HasAttrString(obj, "_numjit_objmode_result")) {
    bundle.keepalive.append(value);
    hir::GlobalValue g{.kind = hir::GlobalValue::Kind::PythonFunction,
                       .name = nb::cast<std::string>(value.attr("_numjit_objmode_result")), .py_object = obj};
    return make_global(span, std::move(g));
  }
  if (PyFunction_Check(obj)) {
    std::string fname = nb::cast<std::string>(value.attr("__name__"));
    unsupported(span, "'" + fname + "' is a plain Python function; decorate it with @njit to call it from "
                      "compiled code");
  }
  if (PyCallable_Check(obj)) unsupported(span, what + " is not supported in compiled code");
  typing_error(span, "cannot use " + what + " of Python type '" + tname + "' in compiled code");
}

}  // namespace numjit::frontend
