#include <map>

#include "numjit/library/builtins.h"

namespace numjit::library {

const Builtin* find(std::string_view name) {
  // Built once, on first use; rows never change afterwards.
  static const std::map<std::string, Builtin, std::less<>>* table = [] {
    std::vector<Builtin> rows;
    register_python_builtins(rows);
    register_math(rows);
    auto* m = new std::map<std::string, Builtin, std::less<>>();
    for (Builtin& b : rows) m->emplace(b.name, std::move(b));
    return m;
  }();
  auto it = table->find(name);
  return it == table->end() ? nullptr : &it->second;
}

}  // namespace numjit::library
