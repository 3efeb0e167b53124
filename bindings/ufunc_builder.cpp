// numjit._dispatch.make_ufunc: genuine numpy.ufunc objects whose inner loops
// are compiled @vectorize kernels (PyUFunc_FromFuncAndData), so NumPy's own
// machinery provides broadcasting, out=, where=, casting, reduce/accumulate/
// outer/at. For target='parallel' each loop is wrapped by the runtime's
// parallel loop, which splits the elements across the thread pool.
#define PY_ARRAY_UNIQUE_SYMBOL numjit_dispatch_ARRAY_API
#define PY_UFUNC_UNIQUE_SYMBOL numjit_dispatch_UFUNC_API
#define NO_IMPORT_ARRAY
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include "ufunc_builder.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <numpy/arrayobject.h>
#include <numpy/ufuncobject.h>

#include <vector>

#include "numjit/runtime/parallel.h"

namespace numjit::bindings {
namespace {

// Everything a ufunc's loop table points at; owned by the ufunc (via its
// `obj` slot), freed with it.
struct LoopTable {
  std::vector<PyUFuncGenericFunction> functions;
  std::vector<void*> data;
  std::vector<numjit_parallel_ufunc_data> parallel;  // reserved up front: data points into it
  std::vector<char> types;
  std::string name, doc;
};

void free_table(PyObject* capsule) {
  delete static_cast<LoopTable*>(PyCapsule_GetPointer(capsule, "numjit.ufunc_loops"));
}

nb::object make_ufunc(const std::string& name, const std::string& doc, int nin, int nout,
                      const std::vector<std::vector<int>>& type_lists, const std::vector<uint64_t>& loops,
                      bool parallel, nb::object identity) {
  if (type_lists.size() != loops.size() || loops.empty()) throw nb::value_error("make_ufunc: no loops");
  auto* table = new LoopTable{.name = name, .doc = doc};
  table->parallel.reserve(loops.size());
  for (size_t i = 0; i < loops.size(); ++i) {
    if (type_lists[i].size() != static_cast<size_t>(nin + nout)) {
      delete table;
      throw nb::value_error("make_ufunc: wrong number of types");
    }
    for (int t : type_lists[i]) table->types.push_back(static_cast<char>(t));
    void* serial = reinterpret_cast<void*>(static_cast<uintptr_t>(loops[i]));
    if (parallel) {
      table->functions.push_back(reinterpret_cast<PyUFuncGenericFunction>(&numjit_rt_parallel_ufunc_loop));
      table->parallel.push_back({serial, nin + nout});
      table->data.push_back(&table->parallel.back());
    } else {
      table->functions.push_back(reinterpret_cast<PyUFuncGenericFunction>(serial));
      table->data.push_back(nullptr);
    }
  }
  int id = PyUFunc_None;
  if (!identity.is_none()) {
    int v = nb::cast<int>(identity);
    // -2 stands for 'reorderable': no identity, but reductions over several axes are allowed.
    id = v == 0 ? PyUFunc_Zero : v == 1 ? PyUFunc_One : v == -1 ? PyUFunc_MinusOne
         : v == -2 ? PyUFunc_ReorderableNone : PyUFunc_None;
  }
  PyObject* capsule = PyCapsule_New(table, "numjit.ufunc_loops", free_table);
  if (!capsule) {
    delete table;
    throw nb::python_error();
  }
  PyObject* ufunc = PyUFunc_FromFuncAndData(table->functions.data(), table->data.data(), table->types.data(),
                                            static_cast<int>(loops.size()), nin, nout, id, table->name.c_str(),
                                            table->doc.c_str(), 0);
  if (!ufunc) {
    Py_DECREF(capsule);
    throw nb::python_error();
  }
  reinterpret_cast<PyUFuncObject*>(ufunc)->obj = capsule;  // the ufunc owns its tables
  return nb::steal(ufunc);
}

}  // namespace

bool init_ufunc_api() {
  import_umath1(false);
  return true;
}

void define_ufuncs(nb::module_& m) {
  m.def("make_ufunc", &make_ufunc, nb::arg("name"), nb::arg("doc"), nb::arg("nin"), nb::arg("nout"),
        nb::arg("types"), nb::arg("loops"), nb::arg("parallel"), nb::arg("identity") = nb::none());
}

}  // namespace numjit::bindings
