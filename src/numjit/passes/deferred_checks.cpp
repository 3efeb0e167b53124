#include "numjit/passes/deferred_checks.h"

#include <set>
#include <string>

#include "numjit/library/builtins.h"

namespace numjit::passes {
namespace {

using hir::ExprKind;
using hir::StmtKind;

// Library calls known never to raise: NumPy's ufuncs (elementwise rows), the
// math module and a few builtins. Anything else (list.pop, np.zeros(-1)...)
// may raise.
bool call_cannot_raise(const hir::Expr& call) {
  const library::Builtin* b = call.builtin;
  if (!b) return false;
  if (b->elementwise) return true;
  static const std::set<std::string> never = {"abs",     "min",   "max", "int",   "float", "bool",
                                              "complex", "round", "len", "range", "prange"};
  return never.count(b->name) || b->name.starts_with("math.");
}

// A float power checks at most "0 to a negative power" (ZeroDivisionError, a
// deferrable check); an integer power to an exponent that may be negative
// raises ValueError, which cannot wait for the loop's exit.
bool power_may_raise_value_error(const types::Type* result, const hir::Expr& exponent) {
  if (!result->is_integer()) return false;
  return !(exponent.kind == ExprKind::Const && exponent.constant.kind == hir::Constant::Kind::Int &&
           exponent.constant.int_value >= 0);
}

bool expr_ok(const hir::Expr* e) {
  if (!e) return true;
  switch (e->kind) {
    case ExprKind::Slice: return false;  // a zero step raises ValueError
    case ExprKind::Call:
      if (e->jitted) return false;       // other jitted code may store or raise
      if (!e->elementwise_call && !call_cannot_raise(*e)) return false;
      break;
    case ExprKind::Subscript: {
      // A list index out of range or a missing dict key raises.
      const types::TypeKind container = e->value().type->kind;
      if (container == types::TypeKind::List || container == types::TypeKind::Dict) return false;
      break;
    }
    case ExprKind::Binary:
      if ((e->binary_op == hir::BinaryOp::FloorDiv || e->binary_op == hir::BinaryOp::Mod) &&
          !e->type->is_float())
        return false;
      if (e->binary_op == hir::BinaryOp::Pow && power_may_raise_value_error(e->type, e->rhs())) return false;
      break;
    default: break;
  }
  for (const auto& c : e->children)
    if (!expr_ok(c.get())) return false;
  return true;
}

// `a[i, j]` of a private array, every index an integer: one element.
bool private_element(const hir::Expr& target, const std::set<int>& private_arrays) {
  if (target.kind != ExprKind::Subscript || target.value().kind != ExprKind::Local ||
      !private_arrays.count(target.value().local))
    return false;
  for (const hir::Expr& index : target.indices())
    if (!index.type->is_integer()) return false;
  return static_cast<int>(target.indices().size()) == target.value().type->ndim;
}

bool block_ok(const hir::Block& block, const std::set<int>& private_arrays) {
  for (const auto& s : block) {
    switch (s->kind) {
      case StmtKind::Assign:
      case StmtKind::AugAssign:
        // Stores to other arrays are visible to the caller.
        if (s->target->kind != ExprKind::Local && !private_element(*s->target, private_arrays)) return false;
        if (s->kind == StmtKind::AugAssign && s->target->type->is_integer() &&
            (s->op == hir::BinaryOp::FloorDiv || s->op == hir::BinaryOp::Mod))
          return false;
        if (s->kind == StmtKind::AugAssign && s->op == hir::BinaryOp::Pow &&
            power_may_raise_value_error(s->target->type, *s->value))
          return false;
        break;
      case StmtKind::For: {
        // A nested range with a variable step checks it for zero.
        const hir::Expr& it = *s->value;
        if (it.type->kind == types::TypeKind::Range && it.args().size() == 3 &&
            it.args()[2].kind != ExprKind::Const)
          return false;
        if (s->target->kind != ExprKind::Local) return false;
        break;
      }
      case StmtKind::While:  // might not terminate once Python would have raised
        return false;
      case StmtKind::If:
      case StmtKind::ExprStmt:
      case StmtKind::Break:
      case StmtKind::Continue:
      case StmtKind::Pass: break;
      case StmtKind::Return:
      case StmtKind::Raise:
      case StmtKind::Assert: return false;
    }
    for (const hir::Expr* e : {s->target.get(), s->value.get(), s->message.get()})
      if (!expr_ok(e)) return false;
    if (!block_ok(s->body, private_arrays) || !block_ok(s->orelse, private_arrays)) return false;
  }
  return true;
}

bool makes_a_new_array(const hir::Expr& value) {
  static const std::set<std::string> fresh = {
      "np.empty", "np.zeros",    "np.ones", "np.full",     "np.empty_like", "np.zeros_like", "np.ones_like",
      "np.full_like", "np.arange", "np.linspace", "np.eye", "np.identity",   "np.copy",       "array.copy"};
  return value.kind == ExprKind::Call && value.builtin && fresh.count(value.builtin->name);
}

// Walks a function and strikes out each candidate array used in any way
// other than those private_fresh_arrays allows.
class ArrayUses {
 public:
  explicit ArrayUses(const hir::Function& fn) {
    for (size_t i = fn.param_count; i < fn.locals.size(); ++i)
      if (fn.locals[i].type->is_array()) private_.insert(static_cast<int>(i));
    block(fn.body);
  }
  // Those assigned a new array somewhere (a local bound some other way, by
  // a tuple or a `for`, is struck out as it is met).
  std::set<int> private_arrays() const {
    std::set<int> out;
    for (int local : private_)
      if (assigned_new_.count(local)) out.insert(local);
    return out;
  }

 private:
  std::set<int> private_;
  std::set<int> assigned_new_;

  bool candidate(const hir::Expr& e) const { return e.kind == ExprKind::Local && private_.count(e.local); }

  void block(const hir::Block& b) {
    for (const auto& s : b) {
      statement(*s);
      block(s->body);
      block(s->orelse);
    }
  }

  void statement(const hir::Stmt& s) {
    if (s.kind == StmtKind::Assign && s.target->kind == ExprKind::Local) {
      if (candidate(*s.target) && !makes_a_new_array(*s.value)) private_.erase(s.target->local);
      if (candidate(*s.target)) assigned_new_.insert(s.target->local);
    } else if (s.kind == StmtKind::Return && s.value && s.value->kind == ExprKind::Tuple) {
      for (const hir::Expr& element : s.value->elements())
        if (!candidate(element)) expr(element);
      return;
    } else if (s.kind == StmtKind::Return && s.value && candidate(*s.value)) {
      return;
    } else if (s.target) {
      expr(*s.target);  // an element store is allowed there; any other target strikes the array out
    }
    for (const hir::Expr* e : {s.value.get(), s.message.get()})
      if (e) expr(*e);
  }

  void expr(const hir::Expr& e) {
    if (candidate(e) || (e.kind == ExprKind::AssignExpr && private_.count(e.local))) {
      private_.erase(e.local);  // a use not listed below (or `x := ...`): the array may be seen elsewhere
      if (e.kind == ExprKind::Local) return;
    }
    bool element = e.kind == ExprKind::Subscript && candidate(e.value()) && private_element(e, private_);
    bool extent = e.kind == ExprKind::Attribute && candidate(e.value()) &&
                  (e.attribute == "shape" || e.attribute == "size" || e.attribute == "ndim");
    bool length = e.kind == ExprKind::Call && e.builtin && e.builtin->name == "len" && e.args().size() == 1 &&
                  candidate(e.args()[0]);
    for (size_t i = 0; i < e.children.size(); ++i) {
      if (!e.children[i]) continue;
      if ((element || extent) && i == 0) continue;  // the array itself, used as allowed
      if (length && e.children[i].get() == &e.args()[0]) continue;
      expr(*e.children[i]);
    }
  }
};

}  // namespace

std::set<int> private_fresh_arrays(const hir::Function& fn) { return ArrayUses(fn).private_arrays(); }

bool can_defer_division_checks(const hir::Stmt& loop, const hir::Options& options,
                               const std::set<int>& private_arrays) {
  if (!options.python_error_model || options.boundscheck) return false;
  return block_ok(loop.body, private_arrays);
}

}  // namespace numjit::passes
