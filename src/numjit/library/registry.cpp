#include <map>

#include "numjit/library/builtins.h"

namespace numjit::library {

namespace {

// Built once, on first use; rows never change afterwards.
const std::map<std::string, Builtin, std::less<>>& table() {
  static const std::map<std::string, Builtin, std::less<>>* rows_by_name = [] {
    std::vector<Builtin> rows;
    register_python_builtins(rows);
    size_t first_math = rows.size();
    register_math(rows);
    // NumPy's math functions are ufuncs: they apply to arrays elementwise.
    // (np.float32(x) and the other dtype names are conversions, not ufuncs.)
    // Python's abs() of an array is np.abs too.
    for (size_t i = first_math; i < rows.size(); ++i)
      if ((rows[i].name.starts_with("np.") && !types::parse(rows[i].name.substr(3)) && rows[i].name != "np.bool_") ||
          rows[i].name == "abs")
        rows[i].elementwise = true;
    register_numpy_ufuncs(rows);
    register_numpy_creation(rows);
    register_numpy_reductions(rows);
    register_numpy_shapes(rows);
    register_numpy_views(rows);
    register_numpy_linalg(rows);
    register_numpy_sequences(rows);
    register_lists(rows);
    register_numpy_search(rows);
    register_numpy_random(rows);
    register_numpy_generator(rows);
    register_numpy_fft(rows);
    register_numpy_einsum(rows);
    register_numpy_broadcast(rows);
    register_c_arrays(rows);
    register_fixed_tuples(rows);
    register_numpy_buffers(rows);
    register_numpy_limits(rows);
    register_numpy_datetime(rows);
    register_cuda_atomics(rows);
    register_python_random(rows);
    register_python_cmath(rows);
    register_numpy_rearrange(rows);
    register_lapack(rows);
    register_dicts(rows);
    register_sets(rows);
    register_strings(rows);
    auto* m = new std::map<std::string, Builtin, std::less<>>();
    for (Builtin& b : rows) m->emplace(b.name, std::move(b));
    return m;
  }();
  return *rows_by_name;
}

}  // namespace

const Builtin* find(std::string_view name) {
  auto it = table().find(name);
  return it == table().end() ? nullptr : &it->second;
}

std::vector<std::string> row_names() {
  std::vector<std::string> names;
  for (const auto& entry : table()) names.push_back(entry.first);
  return names;
}

}  // namespace numjit::library
