#include "numjit/passes/constant_aliases.h"

#include <map>

#include "numjit/hir/build.h"

namespace numjit::passes {
namespace {

using hir::Expr;
using hir::ExprKind;
using hir::StmtKind;

bool names_a_callable(const Expr& value) {
  if (value.kind != ExprKind::Global) return false;
  using K = hir::GlobalValue::Kind;
  return value.global.kind == K::Builtin || value.global.kind == K::JitFunction || value.global.kind == K::Module;
}

class Aliases {
 public:
  explicit Aliases(hir::Function& fn) : fn_(fn) {}

  void run() {
    count(fn_.body);
    for (auto& [local, uses] : assignments_)
      if (uses.count == 1 && uses.value && !fn_.locals[local].is_param) aliases_[local] = hir::clone(*uses.value);
    if (!aliases_.empty()) rewrite(fn_.body);
  }

 private:
  struct Assignments {
    int count = 0;
    const Expr* value = nullptr;  // the one assignment's value, when it names a callable
  };
  hir::Function& fn_;
  std::map<int, Assignments> assignments_;
  std::map<int, hir::ExprPtr> aliases_;  // copies: the assignments they come from are dropped

  void bound(const Expr& target) {
    // not a single plain assignment
    hir::for_each_bound_local(target, [&](int local) { assignments_[local].count += 2; });
  }

  void walrus(const Expr& e) {
    if (e.kind == ExprKind::AssignExpr) assignments_[e.local].count += 2;
    for (const hir::ExprPtr& c : e.children)
      if (c) walrus(*c);
  }

  void count(const hir::Block& block) {
    for (const hir::StmtPtr& s : block) {
      if (s->kind == StmtKind::Assign && s->target->kind == ExprKind::Local) {
        Assignments& a = assignments_[s->target->local];
        ++a.count;
        a.value = names_a_callable(*s->value) ? s->value.get() : nullptr;
      } else if (s->target && (s->kind == StmtKind::Assign || s->kind == StmtKind::AugAssign ||
                               s->kind == StmtKind::For)) {
        bound(*s->target);
      }
      for (const hir::ExprPtr* e : {&s->value, &s->message})
        if (*e) walrus(**e);
      for (const hir::Block* b : s->blocks()) count(*b);
    }
  }

  void replace_reads(hir::ExprPtr& slot) {
    if (!slot) return;
    if (slot->kind == ExprKind::Local) {
      auto found = aliases_.find(slot->local);
      if (found != aliases_.end()) {
        SourceSpan span = slot->span;
        slot = hir::clone(*found->second);
        slot->span = span;
      }
      return;
    }
    for (hir::ExprPtr& c : slot->children) replace_reads(c);
  }

  void rewrite(hir::Block& block) {
    hir::Block kept;
    for (hir::StmtPtr& s : block) {
      if (s->kind == StmtKind::Assign && s->target->kind == ExprKind::Local && aliases_.count(s->target->local)) {
        continue;  // the value lives on in the reads
      }
      if (s->target && s->target->kind != ExprKind::Local) replace_reads(s->target);
      replace_reads(s->value);
      replace_reads(s->message);
      for (hir::Block* b : s->blocks()) rewrite(*b);
      kept.push_back(std::move(s));
    }
    block = std::move(kept);
  }
};

}  // namespace

void inline_constant_aliases(hir::Function& fn) { Aliases(fn).run(); }

}  // namespace numjit::passes
