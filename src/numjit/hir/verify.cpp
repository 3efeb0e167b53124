#include "numjit/hir/verify.h"

#include <string>

namespace numjit::hir {

const char* kind_name(ExprKind kind) {
  switch (kind) {
#define HIR_EXPR(k, fixed, variadic, what) \
  case ExprKind::k: return #k;
#include "numjit/hir/nodes.def"
#undef HIR_EXPR
  }
  return "?";
}

const char* kind_name(StmtKind kind) {
  switch (kind) {
#define HIR_STMT(k, what) \
  case StmtKind::k: return #k;
#include "numjit/hir/nodes.def"
#undef HIR_STMT
  }
  return "?";
}

void Expr::wrong_kind(const char* accessor) const {
  internal_error(std::string("HIR: ") + accessor + "() asked of a " + kind_name(kind) + " node", span);
}

namespace {

struct Layout {
  size_t fixed;
  bool variadic;
};

Layout layout_of(ExprKind kind) {
  switch (kind) {
#define HIR_EXPR(k, fixed, variadic, what) \
  case ExprKind::k: return {fixed, variadic != 0};
#include "numjit/hir/nodes.def"
#undef HIR_EXPR
  }
  return {0, false};
}

bool nullable_child(ExprKind kind, size_t index) {
  (void)index;
  return kind == ExprKind::Slice;  // lower:upper:step, each optional
}

class Verifier {
 public:
  Verifier(const Function& fn, Stage stage) : fn_(fn), stage_(stage) {}

  void block(const Block& b) {
    for (const StmtPtr& s : b) {
      if (!s) fail("a null statement", fn_.span);
      stmt(*s);
    }
  }

 private:
  const Function& fn_;
  Stage stage_;

  [[noreturn]] void fail(const std::string& what, const SourceSpan& span) {
    internal_error("HIR of '" + fn_.name + "' after " + (stage_ == Stage::Read ? "reading" : "type inference") +
                       ": " + what,
                   span);
  }

  void required(const ExprPtr& e, const char* field, const Stmt& s) {
    if (!e) fail(std::string(kind_name(s.kind)) + " statement without its " + field, s.span);
    expr(*e);
  }
  void optional(const ExprPtr& e) {
    if (e) expr(*e);
  }

  void stmt(const Stmt& s) {
    switch (s.kind) {
      case StmtKind::Assign:
      case StmtKind::AugAssign:
      case StmtKind::For:
        required(s.target, "target", s);
        required(s.value, "value", s);
        break;
      case StmtKind::ExprStmt:
      case StmtKind::If:
      case StmtKind::While:
      case StmtKind::Assert:
        required(s.value, "value", s);
        break;
      case StmtKind::Return:
      case StmtKind::Raise:  // a bare raise re-raises what its handler caught
      case StmtKind::Handler:  // a bare except catches everything
        optional(s.value);
        break;
      case StmtKind::Break:
        optional(s.target);
        break;
      case StmtKind::Continue:
      case StmtKind::Pass:
      case StmtKind::Try:
        break;
    }
    optional(s.message);
    if (s.kind == StmtKind::Try && s.handlers.empty() && s.finalbody.empty())
      fail("a try statement with neither except nor finally", s.span);
    for (const StmtPtr& h : s.handlers)
      if (h->kind != StmtKind::Handler) fail("a try statement's handler that is a " + std::string(kind_name(h->kind)), h->span);
    for (const Block* b : s.blocks()) block(*b);
  }

  void expr(const Expr& e) {
    Layout layout = layout_of(e.kind);
    size_t n = e.children.size();
    if (n < layout.fixed || (!layout.variadic && n != layout.fixed))
      fail(std::string(kind_name(e.kind)) + " node with " + std::to_string(n) + " children", e.span);
    for (size_t i = 0; i < n; ++i) {
      if (e.children[i]) expr(*e.children[i]);
      else if (!(i < layout.fixed && nullable_child(e.kind, i)))
        fail(std::string(kind_name(e.kind)) + " node with a null child " + std::to_string(i), e.span);
    }
    switch (e.kind) {
      case ExprKind::Local:
      case ExprKind::AssignExpr:
        if (e.local < 0 || static_cast<size_t>(e.local) >= fn_.locals.size())
          fail("a local that is not the function's", e.span);
        break;
      case ExprKind::Compare:
        if (n < 2 || e.compare_ops.size() != n - 1) fail("a comparison whose operators and operands differ", e.span);
        break;
      case ExprKind::Dict:
        if (n % 2) fail("a dict display with a key and no value", e.span);
        break;
      case ExprKind::Call: {
        if (e.keyword_names.size() > n - 1) fail("a call with more keywords than arguments", e.span);
        // No sugar is left: passes/desugar.cpp rewrote dict() (no arguments) before either stage.
        const Expr& callee = e.callee();
        if (callee.kind == ExprKind::Global && callee.global.kind == GlobalValue::Kind::Builtin &&
            callee.global.name == "dict" && n == 1)
          fail("dict() left for inference (desugar turns it into {})", e.span);
        break;
      }
      default:
        break;
    }
    if (stage_ == Stage::Typed) typed(e);
  }

  void typed(const Expr& e) {
    if (e.type == types::unknown()) fail(std::string("an untyped ") + kind_name(e.kind) + " expression", e.span);
    if (e.kind == ExprKind::Call && !e.builtin && !e.jitted && !e.elementwise_call && !raises_exception_class(e) &&
        !is_iteration_form(e))
      fail("a call that inference left unresolved", e.span);
  }

  // `for ... in enumerate(...)` (zip, np.ndindex, np.ndenumerate, nested in
  // one another too; numjit.flat for `a.flat` of an array not C-ordered;
  // np.nditer of a tuple of arrays): the
  // loop lowers the call itself, so it has no library row.
  static bool is_iteration_form(const Expr& e) {
    if (e.kind != ExprKind::Call || e.callee().kind != ExprKind::Global ||
        e.callee().global.kind != GlobalValue::Kind::Builtin)
      return false;
    const std::string& name = e.callee().global.name;
    return name == "enumerate" || name == "zip" || name == "np.ndindex" || name == "np.ndenumerate" ||
           name == "numjit.flat" || (name == "np.nditer" && e.type && e.type->kind == types::TypeKind::Opaque);
  }


  // `raise ValueError("...")`: a call of an exception class, lowered by the raise.
  static bool raises_exception_class(const Expr& call) {
    const Expr& callee = call.callee();
    return callee.kind == ExprKind::Global && (callee.global.kind == GlobalValue::Kind::ExceptionClass ||
                                               callee.global.kind == GlobalValue::Kind::PythonFunction);
  }
};

}  // namespace

void verify(const Function& fn, Stage stage) {
  Verifier v(fn, stage);
  for (const auto& d : fn.defaults)
    if (!d) internal_error("HIR of '" + fn.name + "': a null default value", fn.span);
  v.block(fn.body);
}

}  // namespace numjit::hir
