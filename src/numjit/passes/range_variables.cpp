#include "numjit/passes/range_variables.h"

#include <map>
#include <set>

#include "numjit/hir/build.h"

namespace numjit::passes {
namespace {

using hir::Expr;
using hir::ExprKind;
using hir::Stmt;
using hir::StmtKind;

struct RangeVariable {
  bool only_ranges = true;  // every assignment is a range(...) call, every read a loop's or len()'s
  bool assigned = false;
  bool with_step = false;
  int start = -1, stop = -1, step = -1;  // the locals it becomes
};

bool is_range_call(const Expr& e) {
  return hir::is_builtin_call(e, "range") && e.keyword_names.empty() &&
         !e.args().empty() && e.args().size() <= 3;
}

bool is_len_of_local(const Expr& e) {
  return hir::is_builtin_call(e, "len") && e.keyword_names.empty() &&
         e.args().size() == 1 && e.args()[0].kind == ExprKind::Local;
}

bool mentions(const Expr& e, int local) {
  if (e.kind == ExprKind::Local && e.local == local) return true;
  for (const hir::ExprPtr& c : e.children)
    if (c && mentions(*c, local)) return true;
  return false;
}

class Splitter {
 public:
  explicit Splitter(hir::Function& fn) : fn_(fn) {}

  void run() {
    survey(fn_.body);
    for (auto& [local, v] : vars_) {
      if (!v.assigned || !v.only_ranges || fn_.locals[local].is_param) continue;
      const std::string& name = fn_.locals[local].name;
      v.start = add_local(name + ".start", local);
      v.stop = add_local(name + ".stop", local);
      if (v.with_step) v.step = add_local(name + ".step", local);
      split_.insert(local);
    }
    if (!split_.empty()) rewrite(fn_.body);
  }

 private:
  hir::Function& fn_;
  std::map<int, RangeVariable> vars_;
  std::set<int> split_;

  int add_local(const std::string& name, int like) {
    hir::Variable v;
    v.name = name;
    v.span = fn_.locals[like].span;
    fn_.locals.push_back(v);
    return static_cast<int>(fn_.locals.size()) - 1;
  }

  // Marks every variable assigned by `target` as assigned something other than a range.
  void assigned_otherwise(Expr& target) {
    if (target.kind == ExprKind::Local) {
      vars_[target.local].only_ranges = false;
    } else if (target.kind == ExprKind::Tuple || target.kind == ExprKind::List) {
      for (hir::ExprPtr& element : target.children)
        if (element) assigned_otherwise(*element);
    } else {
      reads(target);  // a subscript's or attribute's parts are reads
    }
  }

  void reads(Expr& e) {
    if (e.kind == ExprKind::Local) {
      vars_[e.local].only_ranges = false;
      return;
    }
    if (is_len_of_local(e)) return;
    if (e.kind == ExprKind::AssignExpr) vars_[e.local].only_ranges = false;
    for (hir::ExprPtr& c : e.children)
      if (c) reads(*c);
  }

  void survey(hir::Block& block) {
    for (hir::StmtPtr& s : block) {
      if (s->kind == StmtKind::Assign && s->target->kind == ExprKind::Local && is_range_call(*s->value)) {
        RangeVariable& v = vars_[s->target->local];
        v.assigned = true;
        v.with_step |= s->value->args().size() == 3;
        if (mentions(*s->value, s->target->local)) v.only_ranges = false;
        reads(*s->value);
      } else if (s->kind == StmtKind::For && s->value->kind == ExprKind::Local) {
        assigned_otherwise(*s->target);
      } else {
        if (s->target) {
          if (s->kind == StmtKind::AugAssign) reads(*s->target);
          else assigned_otherwise(*s->target);
        }
        if (s->value) reads(*s->value);
      }
      if (s->message) reads(*s->message);
      for (hir::Block* b : s->blocks()) survey(*b);
    }
  }

  hir::ExprPtr bounds_call(int local, const SourceSpan& span) {
    const RangeVariable& v = vars_[local];
    std::vector<hir::ExprPtr> args;
    args.push_back(hir::make_local(v.start, span));
    args.push_back(hir::make_local(v.stop, span));
    if (v.with_step) args.push_back(hir::make_local(v.step, span));
    return hir::make_call(hir::make_builtin("range", span), std::move(args), span);
  }

  static hir::StmtPtr assign(int local, hir::ExprPtr value, const SourceSpan& span) {
    auto s = std::make_unique<Stmt>(StmtKind::Assign, span);
    s->target = hir::make_local(local, span);
    s->value = std::move(value);
    return s;
  }

  void rewrite_reads(Expr& e) {
    if (is_len_of_local(e) && split_.count(e.args()[0].local)) {
      e.args().slot(0) = bounds_call(e.args()[0].local, e.args()[0].span);
      return;
    }
    for (hir::ExprPtr& c : e.children)
      if (c) rewrite_reads(*c);
  }

  void rewrite(hir::Block& block) {
    hir::Block out;
    for (hir::StmtPtr& s : block) {
      for (hir::Block* b : s->blocks()) rewrite(*b);
      if (s->kind == StmtKind::Assign && s->target->kind == ExprKind::Local && split_.count(s->target->local)) {
        const RangeVariable& v = vars_[s->target->local];
        auto args = s->value->args();
        size_t n = args.size();
        const SourceSpan& span = s->span;
        out.push_back(assign(v.start, n == 1 ? hir::make_int(0, span) : std::move(args.slot(0)), span));
        out.push_back(assign(v.stop, std::move(args.slot(n == 1 ? 0 : 1)), span));
        if (v.with_step) out.push_back(assign(v.step, n == 3 ? std::move(args.slot(2)) : hir::make_int(1, span), span));
        continue;
      }
      if (s->kind == StmtKind::For && s->value->kind == ExprKind::Local && split_.count(s->value->local))
        s->value = bounds_call(s->value->local, s->value->span);
      for (hir::ExprPtr* e : {&s->target, &s->value, &s->message})
        if (*e) rewrite_reads(**e);
      out.push_back(std::move(s));
    }
    block = std::move(out);
  }
};

}  // namespace

void split_range_variables(hir::Function& fn) { Splitter(fn).run(); }

}  // namespace numjit::passes
