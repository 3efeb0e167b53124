#include "numjit/passes/variable_versions.h"

#include <functional>
#include <map>
#include <set>

#include "numjit/hir/build.h"

namespace numjit::passes {
namespace {

using hir::Expr;
using hir::ExprKind;
using hir::StmtKind;

class Versioner {
 public:
  explicit Versioner(hir::Function& fn) : fn_(fn) {}

  void run() {
    for (size_t i = 0; i < fn_.locals.size(); ++i)
      if (fn_.locals[i].is_param) bound_.insert(static_cast<int>(i));
    for (hir::StmtPtr& s : fn_.body) {
      if (int original = defaulted_variable(*s); original >= 0) {
        version_default(*s, original);
        continue;
      }
      // The value is read before the target is bound: `I = I[0]` reads the old I.
      for (hir::ExprPtr* e : {&s->value, &s->message})
        if (*e) rename(**e);
      // `x = ...`, and each name of `a, b = b, a` (unpacking: every target is a name).
      if (s->kind == StmtKind::Assign && unpacks_to_names(*s->target))
        hir::for_each_bound_local(*s->target, [&](int local) {
          int original = original_of(local);
          if (bound_.count(original)) current_[original] = new_version(original);
          bound_.insert(original);
        });
      if (s->target) rename(*s->target);
      for (hir::Block* b : s->blocks()) rename_block(*b);
      note_bindings(*s);
    }
  }

 private:
  hir::Function& fn_;
  std::map<int, int> current_;  // original local -> the version reads use now
  std::map<int, int> original_;  // version -> original local
  std::set<int> bound_;          // originals that may hold a value by now

  // A name, or a tuple (nested or not) of distinct names.
  bool unpacks_to_names(const Expr& target) const {
    if (target.kind == ExprKind::Local) return true;
    if (target.kind != ExprKind::Tuple) return false;
    std::set<int> seen;
    bool names_only = true;
    std::function<void(const Expr&)> visit = [&](const Expr& e) {
      if (e.kind == ExprKind::Local) names_only = names_only && seen.insert(original_of(e.local)).second;
      else if (e.kind == ExprKind::Tuple) for (const Expr& element : e.elements()) visit(element);
      else names_only = false;
    };
    visit(target);
    return names_only;
  }

  int original_of(int local) const {
    auto found = original_.find(local);
    return found == original_.end() ? local : found->second;
  }

  // Every variable a statement (or one nested in it) may assign.
  void note_bindings(const hir::Stmt& s) {
    if (s.target) hir::for_each_bound_local(*s.target, [&](int local) { bound_.insert(original_of(local)); });
    for (const hir::ExprPtr* e : {&s.value, &s.message})
      if (*e) note_walrus(**e);
    for (const hir::Block* b : s.blocks())
      for (const hir::StmtPtr& inner : *b) note_bindings(*inner);
  }

  void note_walrus(const Expr& e) {
    if (e.kind == ExprKind::AssignExpr) bound_.insert(original_of(e.local));
    for (const hir::ExprPtr& c : e.children)
      if (c) note_walrus(*c);
  }

  // `if x is None: ... x = value ...` at the top level, with no else and the
  // assignment at the top level of its body, where x already holds a value
  // (a parameter defaulting to None): the variable x, else -1.
  int defaulted_variable(const hir::Stmt& s) const {
    if (s.kind != StmtKind::If || !s.orelse.empty() || s.value->kind != ExprKind::Compare ||
        s.value->compare_ops.size() != 1 || s.value->compare_ops[0] != hir::CompareOp::Is)
      return -1;
    const Expr& lhs = s.value->operands()[0];
    const Expr& rhs = s.value->operands()[1];
    if (lhs.kind != ExprKind::Local || rhs.kind != ExprKind::Const || rhs.constant.kind != hir::Constant::Kind::None)
      return -1;
    int original = original_of(lhs.local);
    if (!bound_.count(original)) return -1;
    for (const hir::StmtPtr& inner : s.body)
      if (assigns(*inner, original)) return original;
    return -1;
  }

  bool assigns(const hir::Stmt& s, int original) const {
    return s.kind == StmtKind::Assign && s.target->kind == ExprKind::Local && original_of(s.target->local) == original;
  }

  // Such an `if` gives x a new version, assigned in the body and, in an added
  // else, from the old one: `if x is None: x2 = value else: x2 = x`. When x
  // is None for the types (the caller left it out), the condition is decided
  // while typing and only the body is typed, so x2 is the value's type, not
  // an optional, as Numba's branch pruning gives it.
  void version_default(hir::Stmt& s, int original) {
    rename(*s.value);
    int old_version = current_.count(original) ? current_[original] : original;
    int version = new_version(original);
    bool assigned = false;
    for (hir::StmtPtr& inner : s.body) {
      for (hir::ExprPtr* e : {&inner->value, &inner->message})
        if (*e) rename(**e);
      if (!assigned && assigns(*inner, original)) {
        current_[original] = version;
        assigned = true;
      }
      if (inner->target) rename(*inner->target);
      for (hir::Block* b : inner->blocks()) rename_block(*b);
    }
    auto keep = std::make_unique<hir::Stmt>(StmtKind::Assign, s.span);
    keep->target = hir::make_local(version, s.span);
    keep->value = hir::make_local(old_version, s.span);
    s.orelse.push_back(std::move(keep));
    note_bindings(s);
  }

  int new_version(int original) {
    hir::Variable v = fn_.locals[original];
    v.is_param = false;
    fn_.locals.push_back(v);
    int version = static_cast<int>(fn_.locals.size()) - 1;
    original_[version] = original;
    return version;
  }

  void rename(Expr& e) {
    if (e.kind == ExprKind::Local || e.kind == ExprKind::AssignExpr) {
      auto found = current_.find(e.local);
      if (found != current_.end()) e.local = found->second;
    }
    for (hir::ExprPtr& c : e.children)
      if (c) rename(*c);
  }

  void rename_block(hir::Block& block) {
    for (hir::StmtPtr& s : block) {
      for (hir::ExprPtr* e : {&s->target, &s->value, &s->message})
        if (*e) rename(**e);
      for (hir::Block* b : s->blocks()) rename_block(*b);
    }
  }
};

}  // namespace

void version_variables(hir::Function& fn) { Versioner(fn).run(); }

}  // namespace numjit::passes
