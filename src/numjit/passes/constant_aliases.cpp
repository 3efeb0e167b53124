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
  return value.global.kind == K::Builtin || value.global.kind == K::JitFunction || value.global.kind == K::Module ||
         value.global.kind == K::ExceptionClass;
}

class Aliases {
 public:
  explicit Aliases(hir::Function& fn) : fn_(fn) {}

  void run() {
    count(fn_.body);
    // An alias may stand on another (`fs = (f, g)` then `h = fs[0]`, as
    // literal_unroll over a tuple of functions writes): resolved until none is new.
    for (bool grew = true; grew;) {
      grew = false;
      for (auto& [local, uses] : assignments_) {
        if (uses.count != 1 || !uses.value || fn_.locals[local].is_param || aliases_.count(local)) continue;
        if (hir::ExprPtr value = resolved(*uses.value)) {
          aliases_[local] = std::move(value);
          grew = true;
        }
      }
    }
    if (!aliases_.empty()) rewrite(fn_.body);
  }

 private:
  struct Assignments {
    int count = 0;
    const Expr* value = nullptr;  // the one assignment's value
  };

  // The value `e` names while compiling: a callable, a tuple of them, an
  // alias of one, or an item of such a tuple at a constant index; null otherwise.
  hir::ExprPtr resolved(const Expr& e) const {
    if (names_a_callable(e)) return hir::clone(e);
    if (e.kind == ExprKind::Local) {
      auto found = aliases_.find(e.local);
      return found == aliases_.end() ? nullptr : hir::clone(*found->second);
    }
    if (e.kind == ExprKind::Tuple && !e.children.empty()) {
      auto tuple = std::make_unique<Expr>(ExprKind::Tuple, e.span);
      for (const hir::ExprPtr& element : e.children) {
        hir::ExprPtr item = element ? resolved(*element) : nullptr;
        if (!item || item->kind == ExprKind::Tuple) return nullptr;
        tuple->children.push_back(std::move(item));
      }
      return tuple;
    }
    if (e.kind == ExprKind::Subscript && e.indices().size() == 1 && e.indices()[0].kind == ExprKind::Const &&
        e.indices()[0].constant.kind == hir::Constant::Kind::Int) {
      hir::ExprPtr tuple = resolved(e.value());
      if (!tuple || tuple->kind != ExprKind::Tuple) return nullptr;
      auto n = static_cast<int64_t>(tuple->children.size());
      int64_t k = e.indices()[0].constant.int_value;
      if (k < 0) k += n;
      if (k < 0 || k >= n) return nullptr;
      return std::move(tuple->children[static_cast<size_t>(k)]);
    }
    return nullptr;
  }
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
        a.value = s->value.get();
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
    if (slot->kind == ExprKind::Subscript) {  // `fs[1](x)`: the function itself
      if (hir::ExprPtr item = resolved(*slot); item && item->kind != ExprKind::Tuple) {
        item->span = slot->span;
        slot = std::move(item);
      }
    }
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
