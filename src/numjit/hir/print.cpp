#include "numjit/hir/print.h"

namespace numjit::hir {

std::string describe_types(const Function& fn) {
  std::string out = fn.name + " (";
  for (size_t i = 0; i < fn.param_count; ++i) out += (i ? ", " : "") + fn.param_types[i]->name;
  out += ") -> " + fn.return_type->name + "\n";
  out += "locals:\n";
  for (const Variable& v : fn.locals) {
    if (v.name.starts_with("$")) continue;  // compiler temporaries
    out += "  " + v.name + ": " + v.type->name + (v.is_param ? "  (argument)" : "") + "\n";
  }
  if (fn.source) {
    out += "source (" + fn.source->filename + "):\n";
    int n = fn.source->first_line;
    for (const std::string& line : fn.source->lines) {
      std::string text = line;
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      out += "  " + std::to_string(n++) + " | " + text + "\n";
    }
  }
  return out;
}

}  // namespace numjit::hir
