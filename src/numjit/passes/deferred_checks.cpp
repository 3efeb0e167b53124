#include "numjit/passes/deferred_checks.h"

#include <map>
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

// `a[i, j]` of a private array, every index an integer: one element.
bool private_element(const hir::Expr& target, const std::set<int>& private_arrays) {
  if (target.kind != ExprKind::Subscript || target.value().kind != ExprKind::Local ||
      !private_arrays.count(target.value().local))
    return false;
  for (const hir::Expr& index : target.indices())
    if (!index.type->is_integer()) return false;
  return static_cast<int>(target.indices().size()) == target.value().type->ndim;
}

using CalleeVerdicts = std::map<const hir::Function*, bool>;
bool callee_may_defer(const hir::Function& fn, CalleeVerdicts& verdicts);

// Whether statements may run with their division checks deferred: in a
// loop's body, or (`in_callee`) anywhere in a function called from one.
class DeferralCheck {
 public:
  DeferralCheck(const std::set<int>& private_arrays, bool in_callee, CalleeVerdicts& verdicts)
      : private_arrays_(private_arrays), in_callee_(in_callee), verdicts_(verdicts) {}

  bool expr_ok(const hir::Expr* e) {
    if (!e) return true;
    switch (e->kind) {
      case ExprKind::Slice: return false;  // a zero step raises ValueError
      case ExprKind::Call:
        // Other jitted code may store or raise, unless its whole body could defer too.
        if (e->jitted && !callee_may_defer(*e->jitted, verdicts_)) return false;
        if (!e->jitted && !e->elementwise_call && !call_cannot_raise(*e)) return false;
        if (e->jitted && e->elementwise_call) return false;
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

  bool block_ok(const hir::Block& block) {
    for (const auto& s : block) {
      switch (s->kind) {
        case StmtKind::Assign:
        case StmtKind::AugAssign:
          // Stores to other arrays are visible to the caller.
          if (s->target->kind != ExprKind::Local && !private_element(*s->target, private_arrays_)) return false;
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
        case StmtKind::Return:  // a loop's body may not leave; a called function's result is its own
          if (!in_callee_) return false;
          break;
        case StmtKind::Raise:
        case StmtKind::Assert: return false;
      }
      for (const hir::Expr* e : {s->target.get(), s->value.get(), s->message.get()})
        if (!expr_ok(e)) return false;
      if (!block_ok(s->body) || !block_ok(s->orelse)) return false;
    }
    return true;
  }

 private:
  const std::set<int>& private_arrays_;
  bool in_callee_;
  CalleeVerdicts& verdicts_;
};

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

namespace {

// A function that calls itself checks its stack depth (RecursionError), so
// it never defers; the verdict is taken as false while its body is judged.
bool callee_may_defer(const hir::Function& fn, CalleeVerdicts& verdicts) {
  auto known = verdicts.find(&fn);
  if (known != verdicts.end()) return known->second;
  verdicts[&fn] = false;
  std::set<int> private_arrays = private_fresh_arrays(fn);
  bool ok = !fn.recursive && !fn.options.boundscheck &&
            DeferralCheck(private_arrays, /*in_callee=*/true, verdicts).block_ok(fn.body);
  return verdicts[&fn] = ok;
}

}  // namespace

bool can_defer_division_checks(const hir::Stmt& loop, const hir::Options& options,
                               const std::set<int>& private_arrays) {
  if (!options.python_error_model || options.boundscheck) return false;
  CalleeVerdicts verdicts;
  return DeferralCheck(private_arrays, /*in_callee=*/false, verdicts).block_ok(loop.body);
}

bool callee_may_defer(const hir::Function& fn) {
  CalleeVerdicts verdicts;
  return callee_may_defer(fn, verdicts);
}

}  // namespace numjit::passes
