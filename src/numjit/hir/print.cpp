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

namespace {

class TreePrinter {
 public:
  explicit TreePrinter(const Function& fn) : fn_(fn) {}

  void block(const Block& b, int depth) {
    for (const StmtPtr& s : b) stmt(*s, depth);
  }

  std::string text;

 private:
  const Function& fn_;

  void line(int depth, const std::string& what) { text += std::string(2 * depth, ' ') + what + "\n"; }

  void stmt(const Stmt& s, int depth) {
    line(depth, std::string(kind_name(s.kind)) + "  (line " + std::to_string(s.span.line) + ")");
    if (s.target) labelled("target", *s.target, depth + 1);
    if (s.value) labelled("value", *s.value, depth + 1);
    if (s.message) labelled("message", *s.message, depth + 1);
    if (!s.body.empty()) {
      line(depth + 1, "body:");
      block(s.body, depth + 2);
    }
    if (!s.handlers.empty()) {
      line(depth + 1, "handlers:");
      block(s.handlers, depth + 2);
    }
    if (!s.orelse.empty()) {
      line(depth + 1, "else:");
      block(s.orelse, depth + 2);
    }
    if (!s.finalbody.empty()) {
      line(depth + 1, "finally:");
      block(s.finalbody, depth + 2);
    }
  }

  void labelled(const std::string& label, const Expr& e, int depth) { expr(e, depth, label + ": "); }

  std::string detail(const Expr& e) const {
    switch (e.kind) {
      case ExprKind::Local:
      case ExprKind::AssignExpr: return " " + fn_.locals[e.local].name;
      case ExprKind::Global: return " " + e.global.name;
      case ExprKind::Attribute: return " ." + e.attribute;
      case ExprKind::Const: {
        const Constant& c = e.constant;
        switch (c.kind) {
          case Constant::Kind::Int: return " " + std::to_string(c.int_value);
          case Constant::Kind::Float: return " " + std::to_string(c.float_value);
          case Constant::Kind::Bool: return c.int_value ? " True" : " False";
          case Constant::Kind::Str: return " '" + c.str_value + "'";
          case Constant::Kind::None: return " None";
          case Constant::Kind::Ellipsis: return " ...";
          case Constant::Kind::Complex: return " complex";
        }
        return "";
      }
      default: return "";
    }
  }

  void expr(const Expr& e, int depth, const std::string& label = "") {
    std::string what = label + kind_name(e.kind) + detail(e);
    if (e.type != types::unknown()) what += "  : " + e.type->name;
    if (e.builtin) what += "  -> library row";
    if (e.jitted) what += "  -> " + e.jitted->symbol + " (" + e.jitted->name + ")";
    line(depth, what);
    for (const ExprPtr& c : e.children) {
      if (c) expr(*c, depth + 1);
      else line(depth + 1, "(absent)");
    }
  }
};

}  // namespace

std::string describe_tree(const Function& fn) {
  TreePrinter p(fn);
  p.text = "HIR of " + fn.name + ":\n";
  p.block(fn.body, 1);
  return p.text;
}

}  // namespace numjit::hir
