#include "numjit/passes/deferred_checks.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

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

// The integer values a scope (a deferring loop's body, or the whole of a
// function called from one) may index with: computed only from values no
// deferred check can have spoilt. Once a check is deferred, a faulty
// division's inf or NaN flows on, and an index made from it (`out[int(x /
// y)]`, a loop `range(int(x / y))`) would reach far outside its array, or
// run on for ever, where Python had already raised.
class TrustedValues {
  using Op = hir::BinaryOp;

 public:
  // `parameters_untrusted`: the scope is a called function's body, whose
  // scalar arguments may be a spoilt value of its caller's.
  TrustedValues(const hir::Block& scope, const hir::Function* parameters_untrusted) {
    if (parameters_untrusted)
      for (size_t i = 0; i < parameters_untrusted->param_count; ++i)
        if (!parameters_untrusted->locals[i].type->is_array()) untrusted_.insert(static_cast<int>(i));
    collect(scope);
    // The locals assigned in the scope are trusted until one of their
    // values is not: the greatest set that holds.
    for (bool changed = true; changed;) {
      changed = false;
      for (auto [local, value, op] : assignments_) {
        bool kept = !op || *op == Op::Add || *op == Op::Sub || *op == Op::Mul;
        if (!untrusted_.count(local) && !(kept && trusted(*value))) changed = untrusted_.insert(local).second;
      }
      for (auto [local, range] : range_targets_)
        for (const hir::Expr& bound : range->args())
          if (!untrusted_.count(local) && !trusted(bound)) changed = untrusted_.insert(local).second;
    }
  }

  bool trusted(const hir::Expr& e) const {
    switch (e.kind) {
      case ExprKind::Const: return true;
      case ExprKind::Local: return !untrusted_.count(e.local);
      case ExprKind::Binary: {
        static const std::set<Op> exact = {Op::Add, Op::Sub, Op::Mul, Op::BitAnd, Op::BitOr, Op::BitXor,
                                           Op::LShift, Op::RShift};
        return !e.type->is_float() && !e.type->is_complex() && exact.count(e.binary_op) && trusted(e.lhs()) &&
               trusted(e.rhs());
      }
      case ExprKind::Attribute:  // an array's extents
        return e.value().type->is_array() && (e.attribute == "shape" || e.attribute == "size" || e.attribute == "ndim");
      case ExprKind::Subscript:
        // An element of a tuple (a.shape[0]), or of an array the scope never writes.
        if (!e.value().type->is_array() && e.value().type->kind != types::TypeKind::Tuple) return false;
        if (e.value().type->is_array() &&
            (e.value().kind != ExprKind::Local || written_arrays_.count(e.value().local)))
          return false;
        break;
      case ExprKind::Call: {
        static const std::set<std::string> exact = {"len", "min", "max", "abs", "int", "bool"};
        if (!e.builtin || !exact.count(e.builtin->name)) return false;
        for (const hir::Expr& arg : e.args())
          if (!trusted(arg)) return false;
        return true;
      }
      case ExprKind::Unary:
      case ExprKind::Compare:
      case ExprKind::BoolOp:
      case ExprKind::IfExp: break;
      default: return false;
    }
    for (const auto& c : e.children)
      if (c && !trusted(*c)) return false;
    return true;
  }

 private:
  struct Assignment {
    int local;
    const hir::Expr* value;
    std::optional<Op> op;  // an augmented assignment's; none for `=`
  };
  std::vector<Assignment> assignments_;
  std::vector<std::pair<int, const hir::Expr*>> range_targets_;
  std::set<int> untrusted_, written_arrays_;

  void collect(const hir::Block& block) {
    for (const auto& s : block) {
      const hir::Expr* target = s->target.get();
      if (target && (s->kind == StmtKind::Assign || s->kind == StmtKind::AugAssign)) {
        if (target->kind == ExprKind::Local)
          assignments_.push_back({target->local, s->value.get(),
                                  s->kind == StmtKind::Assign ? std::nullopt : std::optional<Op>(s->op)});
        else if (target->kind == ExprKind::Subscript && target->value().kind == ExprKind::Local)
          written_arrays_.insert(target->value().local);
        else
          mark_targets_untrusted(*target);
      } else if (target && s->kind == StmtKind::For) {
        if (target->kind == ExprKind::Local && s->value->type->kind == types::TypeKind::Range)
          range_targets_.push_back({target->local, s->value.get()});
        else
          mark_targets_untrusted(*target);  // an element of what it iterates
      }
      for (const hir::Expr* e : {s->value.get(), s->message.get()})
        if (e) walrus_untrusted(*e);
      collect(s->body);
      collect(s->orelse);
    }
  }
  void mark_targets_untrusted(const hir::Expr& target) {
    if (target.kind == ExprKind::Local) untrusted_.insert(target.local);
    for (const auto& c : target.children)
      if (c) mark_targets_untrusted(*c);
  }
  void walrus_untrusted(const hir::Expr& e) {
    if (e.kind == ExprKind::AssignExpr) untrusted_.insert(e.local);
    for (const auto& c : e.children)
      if (c) walrus_untrusted(*c);
  }
};

using CalleeVerdicts = std::map<const hir::Function*, bool>;
bool callee_may_defer(const hir::Function& fn, CalleeVerdicts& verdicts);

// Whether statements may run with their division checks deferred: a loop's
// body, or (`callee`) the whole of a function called from one.
class DeferralCheck {
 public:
  DeferralCheck(const hir::Block& scope, const std::set<int>& private_arrays, const hir::Function* callee,
                CalleeVerdicts& verdicts)
      : private_arrays_(private_arrays), in_callee_(callee), verdicts_(verdicts), trusted_(scope, callee) {}

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
        // An array's or a tuple's element, at an index no deferred check can have spoilt.
        if (e->value().type->is_array() || container == types::TypeKind::Tuple)
          for (const hir::Expr& index : e->indices())
            if (!(index.type->is_integer() || index.type->is_bool()) || !trusted_.trusted(index)) return false;
        break;
      }
      default: break;
    }
    // Arithmetic on whole arrays raises where their shapes do not broadcast.
    if ((e->kind == ExprKind::Binary || e->kind == ExprKind::Unary || e->kind == ExprKind::Compare ||
         e->kind == ExprKind::Call) &&
        e->type->is_array())
      return false;
    switch (e->kind) {
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
          if (it.type->kind == types::TypeKind::Range)
            for (const hir::Expr& bound : it.args())
              if (!trusted_.trusted(bound)) return false;  // a spoilt bound may run on for ever
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
  TrustedValues trusted_;
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
            DeferralCheck(fn.body, private_arrays, &fn, verdicts).block_ok(fn.body);
  return verdicts[&fn] = ok;
}

}  // namespace

bool can_defer_division_checks(const hir::Stmt& loop, const hir::Options& options,
                               const std::set<int>& private_arrays) {
  if (!options.python_error_model || options.boundscheck) return false;
  CalleeVerdicts verdicts;
  return DeferralCheck(loop.body, private_arrays, nullptr, verdicts).block_ok(loop.body);
}

bool callee_may_defer(const hir::Function& fn) {
  CalleeVerdicts verdicts;
  return callee_may_defer(fn, verdicts);
}

}  // namespace numjit::passes
