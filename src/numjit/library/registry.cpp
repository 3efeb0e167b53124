#include <map>

#include "numjit/library/builtins.h"

namespace numjit::library {

const Builtin* find(std::string_view name) {
  // Built once, on first use; rows never change afterwards.
  static const std::map<std::string, Builtin, std::less<>>* table = [] {
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
    register_numpy_creation(rows);
    register_numpy_reductions(rows);
    register_numpy_shapes(rows);
    register_numpy_linalg(rows);
    register_numpy_sequences(rows);
    register_lists(rows);
    register_numpy_search(rows);
    register_numpy_random(rows);
    register_numpy_rearrange(rows);
    register_lapack(rows);
    register_dicts(rows);
    auto* m = new std::map<std::string, Builtin, std::less<>>();
    for (Builtin& b : rows) m->emplace(b.name, std::move(b));
    return m;
  }();
  auto it = table->find(name);
  return it == table->end() ? nullptr : &it->second;
}

}  // namespace numjit::library
