// numjit._compiler: the LLVM-backed compiler, imported on the first compile so
// that `import numjit` never loads LLVM.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "numjit/compiler.h"
#include "numjit/frontend/frontend.h"
#include "numjit/jit/engine.h"
#include "numjit/library/builtins.h"

namespace nb = nanobind;
using namespace numjit;

namespace {

// Reads functions through a Python callable: reader(dispatcher) returns the
// SourceBundle (a named tuple) built by numjit/dispatcher.py (_make_bundle).
class PythonFunctionReader : public FunctionReader {
 public:
  PythonFunctionReader(nb::callable reader, nb::list keepalive) : reader_(std::move(reader)), keepalive_(keepalive) {}

  std::unique_ptr<hir::Function> read(void* dispatcher) override {
    nb::object t = reader_(nb::handle(static_cast<PyObject*>(dispatcher)));
    frontend::FunctionBundle bundle;
    bundle.function_def = t.attr("function_def");
    auto source = std::make_shared<SourceFile>();
    source->filename = nb::cast<std::string>(t.attr("filename"));
    source->first_line = nb::cast<int>(t.attr("first_line"));
    for (nb::handle line : t.attr("lines")) source->lines.push_back(nb::cast<std::string>(line));
    bundle.source = source;
    bundle.col_shift = nb::cast<int>(t.attr("indent"));
    bundle.globals = nb::cast<nb::dict>(t.attr("globals"));
    bundle.closure = nb::cast<nb::dict>(t.attr("closure"));
    bundle.known = nb::cast<nb::dict>(t.attr("known_objects"));
    bundle.builtins = t.attr("builtins");
    bundle.defaults = nb::tuple(t.attr("defaults"));
    bundle.options = read_options(nb::cast<nb::dict>(t.attr("options")));
    bundle.dispatcher = dispatcher;
    bundle.keepalive = keepalive_;
    bundles_.push_back(t);  // HIR refers to objects the bundle owns
    return frontend::read_function(bundle);
  }

  void* library_fallback(const std::string& name) override {
    nb::object found = nb::module_::import_("numjit.library").attr("fallback")(name);
    if (found.is_none()) return nullptr;
    keepalive_.append(found);
    return found.ptr();
  }

  void* bind_functions(void* dispatcher, const std::vector<size_t>& positions,
                       const std::vector<void*>& functions) override {
    nb::dict bound;
    for (size_t i = 0; i < positions.size(); ++i) bound[nb::int_(positions[i])] = nb::handle(static_cast<PyObject*>(functions[i]));
    nb::handle target(static_cast<PyObject*>(dispatcher));
    nb::object variant = nb::module_::import_("numjit._function_arguments").attr("bound_variant")(target.attr("_impl"), bound);
    keepalive_.append(variant);
    return variant.ptr();
  }

  void* select_overload(void* dispatcher, const std::vector<const types::Type*>& args,
                        const std::vector<std::string>& keyword_names) override {
    nb::handle target(static_cast<PyObject*>(dispatcher));
    if (!nb::hasattr(target, "_numjit_select_overload")) return dispatcher;
    std::vector<std::string> names;
    for (const types::Type* t : args) names.push_back(t->name);
    nb::object chosen = target.attr("_numjit_select_overload")(names, keyword_names);
    if (chosen.is_none()) return nullptr;
    keepalive_.append(chosen);
    return chosen.ptr();
  }

 private:
  nb::callable reader_;
  nb::list keepalive_;
  std::vector<nb::object> bundles_;

  static hir::Options read_options(nb::dict d) {
    hir::Options o;
    auto flag = [&](const char* key, bool dflt) { return d.contains(key) ? nb::cast<bool>(d[key]) : dflt; };
    o.boundscheck = flag("boundscheck", false);
    o.python_error_model = !d.contains("error_model") || nb::cast<std::string>(d["error_model"]) == "python";
    o.fastmath = flag("fastmath", false);
    if (d.contains("fastmath_flags"))
      for (nb::handle f : d["fastmath_flags"]) o.fastmath_flags.push_back(nb::cast<std::string>(f));
    o.parallel = flag("parallel", false);
    if (d.contains("parallel_array_min")) o.parallel_array_min = nb::cast<int64_t>(d["parallel_array_min"]);
    o.vector_math = flag("vector_math", true);
    o.inline_always = flag("inline_always", false);
    o.library_code = flag("library_code", false);
    return o;
  }
};

[[noreturn]] void raise_compile_error(const CompileError& e) {
  const char* cls = e.kind() == ErrorKind::Typing        ? "TypingError"
                    : e.kind() == ErrorKind::Unsupported ? "UnsupportedError"
                                                         : "InternalCompilerError";
  nb::object errors = nb::module_::import_("numjit.errors");
  PyErr_SetString(errors.attr(cls).ptr(), e.render().c_str());
  throw nb::python_error();
}

nb::dict compile_function(nb::callable reader, nb::handle dispatcher, std::vector<std::string> arg_types,
                          bool inspect, std::vector<std::string> dump, std::string ufunc_output, bool relocatable,
                          std::string cfunc_return, std::string ptx_arch, std::string libdevice,
                          int64_t ptx_shared_bytes) {
  std::vector<const types::Type*> types;
  bool unaligned = false;
  for (std::string s : arg_types) {
    // "unaligned " marks arrays (also inside tuples and lists) that are not
    // aligned to their element size; the types themselves do not differ.
    static const std::string kUnaligned = "unaligned ";
    for (size_t at; (at = s.find(kUnaligned)) != std::string::npos;) {
      s.erase(at, kUnaligned.size());
      unaligned = true;
    }
    const types::Type* t = types::parse(s);
    if (!t) throw nb::value_error(("numjit cannot compile for argument type '" + s + "'").c_str());
    types.push_back(t);
  }
  nb::list keepalive;
  PythonFunctionReader function_reader(reader, keepalive);
  CompileResult r;
  try {
    CompileOptions options{inspect, std::move(dump)};
    options.ufunc = !ufunc_output.empty();
    options.unaligned_arrays = unaligned;
    options.relocatable = relocatable;
    options.ptx_arch = std::move(ptx_arch);
    options.libdevice = std::move(libdevice);
    options.ptx_shared_bytes = ptx_shared_bytes;
    if (options.ufunc && ufunc_output != "auto") {
      options.ufunc_output = types::parse(ufunc_output);
      if (!options.ufunc_output || !options.ufunc_output->is_scalar())
        throw nb::value_error(("a ufunc cannot return '" + ufunc_output + "'").c_str());
    }
    if (!cfunc_return.empty()) {
      options.c_entry = true;
      options.c_entry_return = types::parse(cfunc_return);
      if (!options.c_entry_return) throw nb::value_error(("a cfunc cannot return '" + cfunc_return + "'").c_str());
    }
    r = compile(function_reader, dispatcher.ptr(), types, options);
  } catch (const CompileError& e) {
    raise_compile_error(e);
  }
  nb::dict out;
  out["entry"] = r.entry_address;
  out["ufunc_loop"] = r.ufunc_loop_address;
  out["c_entry"] = r.c_entry_address;
  out["return_type"] = r.return_type->name;
  out["return_descriptor"] = nb::bytes(reinterpret_cast<const char*>(r.return_descriptor.data()),
                                       r.return_descriptor.size());
  out["typed_hir"] = r.typed_hir;
  out["llvm_ir"] = r.llvm_ir;
  out["asm"] = r.assembly;
  out["keepalive"] = keepalive;
  out["parallel_report"] = r.parallel_report;
  out["warnings"] = r.warnings;
  if (relocatable) {
    out["object_code"] = nb::bytes(r.object_code.data(), r.object_code.size());
    out["entry_symbol"] = r.entry_symbol;
    out["ufunc_symbol"] = r.ufunc_loop_symbol;
    out["c_entry_symbol"] = r.c_entry_symbol;
    nb::list imports;
    for (const CompileResult::Import& i : r.imports)
      imports.append(nb::make_tuple(i.symbol, i.kind, i.address, i.name));
    out["imports"] = imports;
  }
  return out;
}

}  // namespace

NB_MODULE(_compiler, m) {
  m.doc() = "numjit's LLVM compiler (loaded on the first compile)";
  m.def("compile", &compile_function, nb::arg("reader"), nb::arg("dispatcher"), nb::arg("arg_types"),
        nb::arg("inspect") = false, nb::arg("dump") = std::vector<std::string>{}, nb::arg("ufunc_output") = "",
        nb::arg("relocatable") = false, nb::arg("cfunc_return") = "", nb::arg("ptx_arch") = "",
        nb::arg("libdevice") = "", nb::arg("ptx_shared_bytes") = 0);
  // BLAS and LAPACK come from SciPy, imported the first time compiled code needs them.
  auto scipy_symbol = [](const std::string& name) -> uint64_t {
    nb::object symbols = nb::module_::import_("numjit._blas").attr("blas_symbols")();
    nb::object address = symbols.attr("get")(name);
    return address.is_none() ? 0 : nb::cast<uint64_t>(address);
  };
  jit::Engine::instance().set_on_demand_symbols("numjit_blas_", scipy_symbol);
  jit::Engine::instance().set_on_demand_symbols("numjit_lapack_", scipy_symbol);
  m.def("library_names", &library::row_names);
  m.def("define_runtime_symbol", [](const std::string& name, uint64_t address) {
    jit::Engine::instance().define_symbol(name, address);
  });
}
