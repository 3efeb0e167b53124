#include "numjit/passes/deferred_checks.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "numjit/library/builtins.h"
#include "numjit/passes/definite_assignment.h"
#include "numjit/passes/spoilt_values.h"

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
  // int("x") and float("x") raise ValueError, min() of an empty array too: of numbers only.
  static const std::set<std::string> of_numbers = {"int", "float", "complex", "min", "max"};
  if (of_numbers.count(b->name)) {
    for (const hir::Expr& arg : call.args())
      if (!arg.type->is_number()) return false;
    return true;
  }
  static const std::set<std::string> never = {"abs", "bool", "round", "len", "range", "prange"};
  return never.count(b->name) || b->name.starts_with("math.");
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

// Whether statements may run with their division checks deferred: a loop's
// body, or (`callee`) the whole of a function called from one. Nothing in it
// may be seen by the caller, raise another exception first, or let a value a
// deferred check spoilt (spoilt_values.h) reach an index, a loop's bound, or
// the test of anything but a plain local's assignment.
class DeferralCheck {
 public:
  DeferralCheck(const hir::Block& scope, const DeferralFacts& facts, const hir::Function* callee,
                CalleeVerdicts& verdicts)
      : facts_(facts), in_callee_(callee), verdicts_(verdicts), spoilt_(scope, callee) {}

  bool scope_ok(const hir::Block& scope) {
    bool ok = true;
    walk_guarded(scope, [&](const hir::Stmt& s, const std::vector<const hir::Expr*>& guards) {
      ok = ok && statement_ok(s, spoilt_.any_spoilt(guards));
    });
    return ok;
  }

 private:
  const DeferralFacts& facts_;
  bool in_callee_;
  CalleeVerdicts& verdicts_;
  SpoiltValues spoilt_;

  // `guarded`: the statement runs only as a spoilt test decides.
  bool statement_ok(const hir::Stmt& s, bool guarded) {
    switch (s.kind) {
      case StmtKind::Assign:
      case StmtKind::AugAssign: {
        const hir::Expr& target = *s.target;
        // Stores to other arrays are visible to the caller; `acc += x` on an
        // array is a store too.
        if (target.kind != ExprKind::Local && !private_element(target, facts_.private_arrays)) return false;
        if (s.kind == StmtKind::AugAssign && target.type->is_array()) return false;
        if (guarded && (target.kind != ExprKind::Local || target.type->is_array())) return false;
        if (s.kind == StmtKind::AugAssign && !operation_ok(s.op, target.type, *s.value)) return false;
        break;
      }
      case StmtKind::For: {
        // A nested range with a variable step checks it for zero.
        const hir::Expr& it = *s.value;
        bool range = it.type->kind == types::TypeKind::Range;
        if (guarded || s.target->kind != ExprKind::Local) return false;
        if (range && it.args().size() == 3 && it.args()[2].kind != ExprKind::Const) return false;
        if (range)
          for (const hir::Expr& bound : it.args())
            if (spoilt_.spoilt(bound)) return false;  // a spoilt bound may run on for ever
        break;
      }
      case StmtKind::ExprStmt:
        if (guarded) return false;
        break;
      case StmtKind::If:
      case StmtKind::Break:
      case StmtKind::Continue:
      case StmtKind::Pass: break;
      case StmtKind::Return:  // a loop's body may not leave; a called function's result is its own
        if (!in_callee_) return false;
        break;
      case StmtKind::While:  // might not terminate once Python would have raised
      case StmtKind::Try:    // its handlers would see the stores that followed a faulty division
      case StmtKind::Handler:
      case StmtKind::Raise:
      case StmtKind::Assert: return false;
    }
    for (const hir::Expr* e : {s.target.get(), s.value.get(), s.message.get()})
      if (e && !expr_ok(*e, guarded)) return false;
    return true;
  }

  // An operation's own exceptions: integer // and % check eagerly (division
  // by zero is undefined behaviour in hardware), an integer power to an
  // exponent that may be negative raises ValueError, and so does a shift by
  // a count that may be.
  static bool operation_ok(hir::BinaryOp op, const types::Type* result, const hir::Expr& right) {
    bool integer = result->is_integer();
    bool non_negative_constant =
        right.kind == ExprKind::Const && right.constant.kind == hir::Constant::Kind::Int && right.constant.int_value >= 0;
    switch (op) {
      case hir::BinaryOp::FloorDiv:
      case hir::BinaryOp::Mod: return !integer;
      case hir::BinaryOp::Pow:
      case hir::BinaryOp::LShift:
      case hir::BinaryOp::RShift: return !integer || non_negative_constant;
      default: return true;
    }
  }

  bool expr_ok(const hir::Expr& e, bool guarded) {
    // Arithmetic on whole arrays raises where their shapes do not broadcast;
    // a None where a number is expected raises TypeError.
    if (e.type->kind == types::TypeKind::Optional) return false;
    if ((e.kind == ExprKind::Binary || e.kind == ExprKind::Unary || e.kind == ExprKind::Compare ||
         e.kind == ExprKind::Call) &&
        e.type->is_array())
      return false;
    switch (e.kind) {
      case ExprKind::Slice: return false;  // a zero step raises ValueError
      case ExprKind::Local:
        // A read Python may find unassigned raises UnboundLocalError.
        if (static_cast<size_t>(e.local) < facts_.unassigned_reads.size() && facts_.unassigned_reads[e.local])
          return false;
        break;
      case ExprKind::Call:
        if (e.jitted) {
          // Other jitted code may store or raise, unless its whole body could
          // defer too; the arrays it is given must not depend on a spoilt value.
          if (guarded || e.elementwise_call || !callee_may_defer(*e.jitted, verdicts_)) return false;
          for (const hir::Expr& arg : e.args())
            if (arg.type->is_array() && spoilt_.spoilt(arg)) return false;
        } else if (!e.elementwise_call && !call_cannot_raise(e)) {
          return false;
        }
        break;
      case ExprKind::Subscript: {
        // A list index out of range or a missing dict key raises.
        const types::TypeKind container = e.value().type->kind;
        if (guarded || container == types::TypeKind::List || container == types::TypeKind::Dict) return false;
        if (container == types::TypeKind::Tuple && (e.indices().size() != 1 || e.indices()[0].kind != ExprKind::Const))
          return false;  // a tuple's index out of range raises IndexError
        if (e.value().type->is_array())
          for (const hir::Expr& index : e.indices())
            if (!(index.type->is_integer() || index.type->is_bool()) || spoilt_.spoilt(index)) return false;
        break;
      }
      case ExprKind::Binary:
        if (!operation_ok(e.binary_op, e.type, e.rhs())) return false;
        break;
      case ExprKind::IfExp:
        return expr_ok(e.test(), guarded) && expr_ok(e.body(), guarded || spoilt_.spoilt(e.test())) &&
               expr_ok(e.orelse(), guarded || spoilt_.spoilt(e.test()));
      case ExprKind::BoolOp:
        // An operand after a spoilt one runs only as it decides.
        for (const hir::Expr& operand : e.operands()) {
          if (!expr_ok(operand, guarded)) return false;
          guarded = guarded || spoilt_.spoilt(operand);
        }
        return true;
      default: break;
    }
    for (const auto& c : e.children)
      if (c && !expr_ok(*c, guarded)) return false;
    return true;
  }
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
      for (const hir::Block* inner : s->blocks()) block(*inner);
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

bool catches_exceptions(const hir::Block& body) {
  for (const auto& s : body) {
    if (s->kind == StmtKind::Try) return true;
    for (const hir::Block* inner : s->blocks())
      if (catches_exceptions(*inner)) return true;
  }
  return false;
}

namespace {

// A function that calls itself checks its stack depth (RecursionError), so
// it never defers; the verdict is taken as false while its body is judged.
bool callee_may_defer(const hir::Function& fn, CalleeVerdicts& verdicts) {
  auto known = verdicts.find(&fn);
  if (known != verdicts.end()) return known->second;
  verdicts[&fn] = false;
  DeferralFacts facts = deferral_facts(fn);
  bool ok = !fn.recursive && !fn.options.boundscheck && DeferralCheck(fn.body, facts, &fn, verdicts).scope_ok(fn.body);
  return verdicts[&fn] = ok;
}

}  // namespace

DeferralFacts deferral_facts(const hir::Function& fn) {
  return DeferralFacts{private_fresh_arrays(fn), possibly_unassigned_reads(fn), catches_exceptions(fn.body)};
}

bool can_defer_division_checks(const hir::Stmt& loop, const hir::Options& options, const DeferralFacts& facts) {
  if (!options.python_error_model || options.boundscheck || facts.catches) return false;
  CalleeVerdicts verdicts;
  return DeferralCheck(loop.body, facts, nullptr, verdicts).scope_ok(loop.body);
}

bool callee_may_defer(const hir::Function& fn) {
  CalleeVerdicts verdicts;
  return callee_may_defer(fn, verdicts);
}

}  // namespace numjit::passes
