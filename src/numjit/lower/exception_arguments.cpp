#include "numjit/lower/exception_arguments.h"

#include "numjit/runtime/python_literal.h"

#include <cmath>
#include <cstdio>

namespace numjit::lower {
namespace {

std::string float_literal(double v) {
  if (std::isinf(v)) return v > 0 ? "1e999" : "-1e999";  // literal_eval reads both as infinities
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  std::string out = text;
  if (out.find_first_of(".en") == std::string::npos) out += ".0";  // 3.0, not the int 3
  return out;
}

}  // namespace

std::optional<std::string> python_literal(const hir::Constant& c) {
  using Kind = hir::Constant::Kind;
  switch (c.kind) {
    case Kind::Int: return std::to_string(c.int_value);
    case Kind::Bool: return c.int_value ? "True" : "False";
    case Kind::None: return "None";
    case Kind::Str: return abi::python_string_literal(c.str_value);
    case Kind::Float:
      if (std::isnan(c.float_value)) return std::nullopt;
      return float_literal(c.float_value);
    case Kind::Complex: {
      double re = c.complex_value.real(), im = c.complex_value.imag();
      if (std::isnan(re) || std::isnan(im) || std::isinf(re) || std::isinf(im)) return std::nullopt;
      return "(" + float_literal(re) + (std::signbit(im) ? "-" : "+") + float_literal(std::fabs(im)) + "j)";
    }
    case Kind::Ellipsis: return std::nullopt;
  }
  return std::nullopt;
}

std::string exception_message(const std::vector<const hir::Constant*>& args) {
  if (args.empty()) return "";
  // One string is the message, unless it starts with the marker byte itself (then it is a literal too).
  if (args.size() == 1 && args[0]->kind == hir::Constant::Kind::Str &&
      !args[0]->str_value.starts_with(abi::kExceptionArgumentsMarker))
    return args[0]->str_value;
  std::string tuple = "(";
  for (const hir::Constant* c : args) {
    std::optional<std::string> literal = python_literal(*c);
    if (!literal) {  // no literal for it: the message is the first argument's text, as Python's str() would give
      const hir::Constant& first = *args[0];
      if (first.kind == hir::Constant::Kind::Str) return first.str_value;
      return first.kind == hir::Constant::Kind::Float && std::isnan(first.float_value) ? "nan" : "";
    }
    tuple += *literal + ", ";
  }
  if (args.size() > 1) tuple.resize(tuple.size() - 2);
  else tuple.pop_back();  // (x,) keeps its comma
  return std::string(1, abi::kExceptionArgumentsMarker) + tuple + ")";
}

}  // namespace numjit::lower
