// Python ast -> HIR. One function per ast category; every node keeps its span.
#include <Python.h>

#include <map>
#include <set>

#include "numjit/frontend/frontend.h"
#include "numjit/runtime/abi.h"
#include "numjit/hir/build.h"

namespace numjit::frontend {
namespace {

using hir::Expr;
using hir::ExprKind;
using hir::ExprPtr;
using hir::Stmt;
using hir::StmtKind;
using hir::StmtPtr;

std::string kind_of(nb::handle node) {
  std::string name = Py_TYPE(node.ptr())->tp_name;
  auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

bool is_none(nb::handle h) { return h.is_none(); }

class Reader {
 public:
  explicit Reader(const FunctionBundle& bundle) : bundle_(bundle) {}

  std::unique_ptr<hir::Function> read() {
    nb::handle fdef = bundle_.function_def;
    fn_ = std::make_unique<hir::Function>();
    fn_->name = nb::cast<std::string>(fdef.attr("name"));
    fn_->source = bundle_.source;
    fn_->span = span_of(fdef);
    fn_->options = bundle_.options;
    fn_->py_dispatcher = bundle_.dispatcher;
    read_parameters(fdef.attr("args"));
    collect_assigned_names(fdef.attr("body"));
    fn_->body = read_block(fdef.attr("body"));
    return std::move(fn_);
  }

 private:
  const FunctionBundle& bundle_;
  std::unique_ptr<hir::Function> fn_;
  std::map<std::string, int> local_index_;
  int temp_counter_ = 0;

  SourceSpan span_of(nb::handle node) const {
    auto get = [&](const char* attr) {
      nb::object v = nb::getattr(node, attr, nb::none());
      return v.is_none() ? 0 : nb::cast<int>(v);
    };
    return SourceSpan{get("lineno"), get("col_offset") + bundle_.col_shift, get("end_lineno"),
                      get("end_col_offset") + bundle_.col_shift};
  }

  int add_local(const std::string& name, bool is_param = false) {
    auto it = local_index_.find(name);
    if (it != local_index_.end()) return it->second;
    int index = static_cast<int>(fn_->locals.size());
    fn_->locals.push_back({.name = name, .is_param = is_param});
    local_index_[name] = index;
    return index;
  }

  void read_parameters(nb::handle args) {
    auto reject = [&](const char* field, const char* what) {
      nb::object v = args.attr(field);
      bool present = nb::isinstance<nb::list>(v) ? nb::len(v) > 0 : !v.is_none();
      if (present) unsupported(span_of(nb::isinstance<nb::list>(v) ? v[0] : v),
                               std::string(what) + " are not supported yet");
    };
    reject("kwarg", "**kwargs parameters");
    reject("kwonlyargs", "keyword-only parameters");
    for (const char* group : {"posonlyargs", "args"}) {
      for (nb::handle a : args.attr(group)) {
        int index = add_local(nb::cast<std::string>(a.attr("arg")), true);
        fn_->locals[index].span = span_of(a);
      }
    }
    nb::object vararg = args.attr("vararg");
    if (!vararg.is_none()) {
      if (nb::len(nb::object(args.attr("defaults"))) > 0)
        unsupported(span_of(vararg), "*args together with default parameter values is not supported yet");
      int index = add_local(nb::cast<std::string>(vararg.attr("arg")), true);
      fn_->locals[index].span = span_of(vararg);
      fn_->varargs = true;
    }
    fn_->param_count = fn_->locals.size();
    // Default values (constants and frozen globals) fill in for trailing
    // arguments that calls between jitted functions leave out.
    // Any other default (`bounds=np.array([[], []]).T`, a namedtuple) is the
    // value Python computed when the function was defined, frozen like a global.
    nb::list defaults = nb::list(args.attr("defaults"));
    nb::list params = nb::list(args.attr("args"));
    for (size_t k = 0; k < defaults.size(); ++k) {
      size_t from_end = defaults.size() - k;
      ExprPtr value;
      bool readable = true;
      try {
        value = read_expr(defaults[k]);
      } catch (CompileError&) {
        readable = false;  // (a call of a class numjit cannot compile: Python has run it already)
      }
      if (!readable || (value->kind != ExprKind::Const && value->kind != ExprKind::Global)) {
        SourceSpan span = span_of(defaults[k]);
        if (from_end > bundle_.defaults.size()) unsupported(span, "default parameter values must be constants here");
        std::string param = nb::cast<std::string>(params[params.size() - from_end].attr("arg"));
        value = freeze_value(bundle_.defaults[bundle_.defaults.size() - from_end], "the default of '" + param + "'",
                             span, bundle_);
      }
      fn_->defaults.push_back(std::move(value));
    }
  }

  // Python scoping: a name assigned anywhere in the function is local to all of it.
  void collect_assigned_names(nb::handle node) {
    if (nb::isinstance<nb::list>(node)) {
      for (nb::handle child : node) collect_assigned_names(child);
      return;
    }
    if (!nb::hasattr(node, "_fields")) return;
    std::string kind = kind_of(node);
    if (kind == "FunctionDef" || kind == "Lambda" || kind == "ClassDef") return;
    if (kind == "Name" && kind_of(node.attr("ctx")) == "Store")
      add_local(nb::cast<std::string>(node.attr("id")));
    for (nb::handle field : node.attr("_fields")) {
      nb::object child = nb::getattr(node, field, nb::none());
      if (!child.is_none()) collect_assigned_names(child);
    }
  }

  // ---- statements -------------------------------------------------------

  hir::Block read_block(nb::handle stmts) {
    hir::Block block;
    for (nb::handle s : stmts) read_statement(s, block);
    return block;
  }

  StmtPtr make_stmt(StmtKind kind, nb::handle node) { return std::make_unique<Stmt>(kind, span_of(node)); }

  // A loop with an `else` block runs that block unless a break left the loop:
  // `$brokeN = False; loop (each break of this loop sets $brokeN = True as it
  // leaves: its target, stored after the finally blocks it runs, one of which
  // may cancel it); if not $brokeN: else-block`.
  void push_loop(hir::Block& out, StmtPtr loop, nb::handle node) {
    nb::object orelse = node.attr("orelse");
    if (nb::len(orelse) == 0) {
      out.push_back(std::move(loop));
      return;
    }
    SourceSpan span = loop->span;
    int broke = add_local("$broke" + std::to_string(temp_counter_++));
    auto flag = [&](bool value) {
      auto set = std::make_unique<Stmt>(StmtKind::Assign, span);
      set->target = local_ref(broke, span);
      set->value = std::make_unique<Expr>(ExprKind::Const, span);
      set->value->constant = {.kind = hir::Constant::Kind::Bool, .int_value = value};
      return set;
    };
    mark_breaks(loop->body, broke);
    out.push_back(flag(false));
    out.push_back(std::move(loop));
    auto check = std::make_unique<Stmt>(StmtKind::If, span);
    check->value = std::make_unique<Expr>(ExprKind::Unary, span);
    check->value->unary_op = hir::UnaryOp::Not;
    check->value->children.push_back(local_ref(broke, span));
    check->body = read_block(orelse);
    out.push_back(std::move(check));
  }

  // Gives each break that leaves this loop (not inner loops') the flag it sets.
  void mark_breaks(hir::Block& block, int flag) {
    for (hir::StmtPtr& s : block) {
      if (s->kind == StmtKind::Break) {
        s->target = local_ref(flag, s->span);
      } else if (s->kind == StmtKind::If || s->kind == StmtKind::Try || s->kind == StmtKind::Handler) {
        for (hir::Block* inner : s->blocks()) mark_breaks(*inner, flag);
      }
    }
  }

  // Statements that list comprehensions in the statement being read hoist
  // before it (see read_list_comprehension).
  hir::Block* hoist_ = nullptr;
  bool in_while_test_ = false;

  void read_statement(nb::handle node, hir::Block& out) {
    hir::Block* saved = hoist_;
    hoist_ = &out;
    read_statement_kinds(node, out);
    hoist_ = saved;
  }

  void read_statement_kinds(nb::handle node, hir::Block& out) {
    std::string kind = kind_of(node);
    SourceSpan span = span_of(node);
    if (kind == "Assign") return read_assign(node, out);
    if (kind == "AnnAssign") {
      if (is_none(node.attr("value"))) return;  // a bare annotation declares nothing
      auto s = make_stmt(StmtKind::Assign, node);
      s->target = read_target(node.attr("target"));
      s->value = read_expr(node.attr("value"));
      out.push_back(std::move(s));
      return;
    }
    if (kind == "AugAssign") {
      auto s = make_stmt(StmtKind::AugAssign, node);
      s->target = read_target(node.attr("target"));
      s->op = binary_op(node.attr("op"), span);
      s->value = read_expr(node.attr("value"));
      out.push_back(std::move(s));
      return;
    }
    if (kind == "Expr") {
      nb::handle v = node.attr("value");
      if (kind_of(v) == "Constant") return;  // docstrings and bare constants do nothing
      auto s = make_stmt(StmtKind::ExprStmt, node);
      s->value = read_expr(v);
      out.push_back(std::move(s));
      return;
    }
    if (kind == "If" || kind == "While") {
      auto s = make_stmt(kind == "If" ? StmtKind::If : StmtKind::While, node);
      in_while_test_ = kind == "While";
      s->value = read_expr(node.attr("test"));
      in_while_test_ = false;
      s->body = read_block(node.attr("body"));
      if (kind == "While") return push_loop(out, std::move(s), node);
      s->orelse = read_block(node.attr("orelse"));
      out.push_back(std::move(s));
      return;
    }
    if (kind == "For") {
      auto s = make_stmt(StmtKind::For, node);
      s->target = read_target(node.attr("target"));
      s->value = read_expr(node.attr("iter"));
      s->body = read_block(node.attr("body"));
      return push_loop(out, std::move(s), node);
    }
    if (kind == "Break") return out.push_back(make_stmt(StmtKind::Break, node));
    if (kind == "Continue") return out.push_back(make_stmt(StmtKind::Continue, node));
    if (kind == "Pass") return;
    if (kind == "Return") {
      auto s = make_stmt(StmtKind::Return, node);
      if (!is_none(node.attr("value"))) s->value = read_expr(node.attr("value"));
      out.push_back(std::move(s));
      return;
    }
    if (kind == "Raise") {
      if (!is_none(node.attr("cause"))) unsupported(span, "'raise ... from ...' is not supported in compiled code");
      auto s = make_stmt(StmtKind::Raise, node);
      if (is_none(node.attr("exc"))) {
        if (handlers_around_ == 0)
          unsupported(span, "a bare 'raise' re-raises the exception being handled: it belongs in an except block");
      } else {
        s->value = read_expr(node.attr("exc"));
      }
      out.push_back(std::move(s));
      return;
    }
    if (kind == "Delete") {
      // del d[k] / del l[i] is d.pop(k) / l.pop(i) with the value dropped;
      // del l[a:b:c] is l.__delslice__(a, b, c), absent parts None.
      for (nb::handle target : node.attr("targets")) {
        if (kind_of(target) != "Subscript")
          unsupported(span, "only 'del container[key]' and 'del items[a:b]' are supported in compiled code");
        auto s = make_stmt(StmtKind::ExprStmt, node);
        nb::handle index = target.attr("slice");
        if (kind_of(index) == "Slice") {
          auto call = std::make_unique<Expr>(ExprKind::Call, span);
          auto method = std::make_unique<Expr>(ExprKind::Attribute, span);
          method->attribute = "__delslice__";
          method->children.push_back(read_expr(target.attr("value")));
          call->children.push_back(std::move(method));
          for (const char* part : {"lower", "upper", "step"}) {
            nb::object bound = index.attr(part);
            call->children.push_back(bound.is_none() ? hir::make_none(span) : read_expr(bound));
          }
          s->value = std::move(call);
        } else {
          s->value = method_call(read_expr(target.attr("value")), "pop", read_expr(index), span);
        }
        out.push_back(std::move(s));
      }
      return;
    }
    if (kind == "Try") return read_try(node, out);
    if (kind == "Assert") {
      auto s = make_stmt(StmtKind::Assert, node);
      s->value = read_expr(node.attr("test"));
      if (!is_none(node.attr("msg"))) s->message = read_expr(node.attr("msg"));
      out.push_back(std::move(s));
      return;
    }
    static const std::map<std::string, std::string> kWhat = {
        {"FunctionDef", "nested function definitions"}, {"ClassDef", "class definitions"},
        {"With", "'with' statements"}, {"TryStar", "'except*' clauses"}, {"Import", "import statements"},
        {"ImportFrom", "import statements"}, {"Global", "'global' declarations"},
        {"Nonlocal", "'nonlocal' declarations"},
        {"AsyncFunctionDef", "async functions"},
        {"Match", "match statements with class patterns, or with alternatives that bind names,"}};
    auto it = kWhat.find(kind);
    unsupported(span, (it != kWhat.end() ? it->second : "'" + kind + "' statements") +
                          " are not supported in compiled code");
  }

  // How many except blocks the statement being read lies in (a bare raise needs one).
  int handlers_around_ = 0;

  void read_try(nb::handle node, hir::Block& out) {
    auto s = make_stmt(StmtKind::Try, node);
    s->body = read_block(node.attr("body"));
    for (nb::handle clause : node.attr("handlers")) {
      auto handler = make_stmt(StmtKind::Handler, clause);
      if (!is_none(clause.attr("type"))) handler->value = read_expr(clause.attr("type"));
      handler->caught_kinds = kinds_caught(handler->value.get());
      if (!is_none(clause.attr("name"))) refuse_used_exception_name(clause);
      ++handlers_around_;
      handler->body = read_block(clause.attr("body"));
      --handlers_around_;
      s->handlers.push_back(std::move(handler));
    }
    s->orelse = read_block(node.attr("orelse"));
    s->finalbody = read_block(node.attr("finalbody"));
    out.push_back(std::move(s));
  }

  // The bits of numjit's own exception kinds (abi::ExceptionKind) that an
  // except clause's classes catch; all for a bare except.
  static uint32_t kinds_caught(const Expr* classes) {
    if (!classes) return (uint32_t{1} << static_cast<int>(abi::ExceptionKind::Count)) - 1;
    if (classes->kind == ExprKind::Tuple) {
      uint32_t bits = 0;
      for (const hir::ExprPtr& c : classes->children) bits |= c ? kinds_caught(c.get()) : 0;
      return bits;
    }
    if (classes->kind != ExprKind::Global) return Stmt::kClassesUnknownWhenRead;
    if (classes->global.kind != hir::GlobalValue::Kind::ExceptionClass) return 0;  // (refused when typed)
    nb::module_ builtins = nb::module_::import_("builtins");
    nb::module_ linalg = nb::module_::import_("numpy.linalg");
    nb::module_ numpy_exceptions = nb::module_::import_("numpy.exceptions");
    uint32_t bits = 0;
    int k = 0;
#define NUMJIT_EXCEPTION_KIND(name)                                                                       \
  {                                                                                                       \
    nb::module_& home = std::string_view(#name) == "LinAlgError" ? linalg                                  \
                        : std::string_view(#name) == "AxisError" ? numpy_exceptions                        \
                                                                 : builtins;                               \
    if (PyObject_IsSubclass(home.attr(#name).ptr(), static_cast<PyObject*>(classes->global.py_object)) == 1) \
      bits |= uint32_t{1} << k;                                                                           \
    PyErr_Clear();                                                                                        \
    ++k;                                                                                                  \
  }
    NUMJIT_EXCEPTION_KINDS(NUMJIT_EXCEPTION_KIND)
#undef NUMJIT_EXCEPTION_KIND
    return bits;
  }

  // `except E as e:` binds the exception object, which compiled code does
  // not keep (only its class and message travel): the name may be bound
  // but not read.
  void refuse_used_exception_name(nb::handle clause) {
    std::string name = nb::cast<std::string>(clause.attr("name"));
    nb::object walk = nb::module_::import_("ast").attr("walk");
    for (nb::handle statement : clause.attr("body"))
      for (nb::handle n : walk(statement))
        if (kind_of(n) == "Name" && nb::cast<std::string>(n.attr("id")) == name && kind_of(n.attr("ctx")) == "Load")
          unsupported(span_of(n), "the exception object '" + name +
                                      "' cannot be used in compiled code: numjit keeps only an exception's class "
                                      "and message (write 'except " +
                                      nb::cast<std::string>(nb::str(nb::module_::import_("ast").attr("unparse")(
                                          clause.attr("type")))) +
                                      ":')");
  }

  void read_assign(nb::handle node, hir::Block& out) {
    nb::handle targets = node.attr("targets");
    ExprPtr value = read_expr(node.attr("value"));
    if (nb::len(targets) == 1) {
      auto s = make_stmt(StmtKind::Assign, node);
      s->target = read_target(targets[0]);
      s->value = std::move(value);
      out.push_back(std::move(s));
      return;
    }
    // `a = b = value`: evaluate once into a hidden temporary, then assign each.
    SourceSpan span = span_of(node);
    int temp = add_local("$chain" + std::to_string(temp_counter_++));
    auto first = make_stmt(StmtKind::Assign, node);
    first->target = local_ref(temp, value->span);
    first->value = std::move(value);
    out.push_back(std::move(first));
    for (nb::handle t : targets) {
      auto s = std::make_unique<Stmt>(StmtKind::Assign, span);
      s->target = read_target(t);
      s->value = local_ref(temp, span);
      out.push_back(std::move(s));
    }
  }

  ExprPtr local_ref(int index, const SourceSpan& span) {
    auto e = std::make_unique<Expr>(ExprKind::Local, span);
    e->local = index;
    return e;
  }

  ExprPtr read_target(nb::handle node) {
    std::string kind = kind_of(node);
    if (kind == "Name") return local_ref(add_local(nb::cast<std::string>(node.attr("id"))), span_of(node));
    if (kind == "Subscript") return read_expr(node);
    if (kind == "Tuple" || kind == "List") {
      auto e = std::make_unique<Expr>(ExprKind::Tuple, span_of(node));
      for (nb::handle elt : node.attr("elts")) {
        if (kind_of(elt) == "Starred") unsupported(span_of(elt), "starred assignment is not supported");
        e->children.push_back(read_target(elt));
      }
      return e;
    }
    if (kind == "Attribute") {  // self.x = ...: a jitclass's field or property (types/infer_statements.cpp)
      ExprPtr base = read_expr(node.attr("value"));
      if (base->kind != ExprKind::Local)
        unsupported(span_of(node), "assigning to attributes is supported only for jitclass instances held in a "
                                   "variable (self.x = ...)");
      auto e = std::make_unique<Expr>(ExprKind::Attribute, span_of(node));
      e->attribute = nb::cast<std::string>(node.attr("attr"));
      e->children.push_back(std::move(base));
      return e;
    }
    unsupported(span_of(node), "cannot assign to this expression");
  }

  // ---- expressions ------------------------------------------------------

  static hir::BinaryOp binary_op(nb::handle op, const SourceSpan& span) {
    static const std::map<std::string, hir::BinaryOp> kOps = {
        {"Add", hir::BinaryOp::Add},       {"Sub", hir::BinaryOp::Sub},
        {"Mult", hir::BinaryOp::Mul},      {"Div", hir::BinaryOp::TrueDiv},
        {"FloorDiv", hir::BinaryOp::FloorDiv}, {"Mod", hir::BinaryOp::Mod},
        {"Pow", hir::BinaryOp::Pow},       {"BitAnd", hir::BinaryOp::BitAnd},
        {"BitOr", hir::BinaryOp::BitOr},   {"BitXor", hir::BinaryOp::BitXor},
        {"LShift", hir::BinaryOp::LShift}, {"RShift", hir::BinaryOp::RShift},
        {"MatMult", hir::BinaryOp::MatMul}};
    auto it = kOps.find(kind_of(op));
    if (it == kOps.end()) unsupported(span, "operator " + kind_of(op) + " is not supported");
    return it->second;
  }

  ExprPtr read_expr(nb::handle node) {
    std::string kind = kind_of(node);
    SourceSpan span = span_of(node);
    if (kind == "Constant") return freeze_value(node.attr("value"), "constant", span, bundle_);
    if (kind == "Name") return read_name(node, span);
    if (kind == "Attribute") return read_attribute(node, span);
    if (kind == "BinOp" || kind == "UnaryOp") {
      nb::object folded = fold_integer_constant(node);
      if (!folded.is_none()) return freeze_value(folded, "constant", span, bundle_);
    }
    if (kind == "BinOp") {
      auto e = std::make_unique<Expr>(ExprKind::Binary, span);
      e->binary_op = binary_op(node.attr("op"), span);
      e->children.push_back(read_expr(node.attr("left")));
      e->children.push_back(read_expr(node.attr("right")));
      return e;
    }
    if (kind == "UnaryOp") {
      static const std::map<std::string, hir::UnaryOp> kOps = {
          {"USub", hir::UnaryOp::Neg}, {"UAdd", hir::UnaryOp::Pos},
          {"Not", hir::UnaryOp::Not}, {"Invert", hir::UnaryOp::Invert}};
      auto e = std::make_unique<Expr>(ExprKind::Unary, span);
      e->unary_op = kOps.at(kind_of(node.attr("op")));
      ExprPtr operand = read_expr(node.attr("operand"));
      // -1 is a constant (tuple indices and literal exponents need to see it).
      bool is_number = operand->kind == ExprKind::Const &&
                       (operand->constant.kind == hir::Constant::Kind::Int ||
                        operand->constant.kind == hir::Constant::Kind::Float) &&
                       operand->type->kind == types::TypeKind::Unknown;
      if (e->unary_op == hir::UnaryOp::Neg && is_number) {
        operand->constant.int_value = -operand->constant.int_value;
        operand->constant.float_value = -operand->constant.float_value;
        operand->span = span;
        return operand;
      }
      e->children.push_back(std::move(operand));
      return e;
    }
    if (kind == "BoolOp") {
      auto e = std::make_unique<Expr>(ExprKind::BoolOp, span);
      e->is_and = kind_of(node.attr("op")) == "And";
      for (nb::handle v : node.attr("values")) e->children.push_back(read_expr(v));
      return e;
    }
    if (kind == "Compare") return read_compare(node, span);
    if (kind == "NamedExpr") {  // (y := value): the target is a plain name, as Python's grammar requires
      auto e = std::make_unique<Expr>(ExprKind::AssignExpr, span);
      e->local = add_local(nb::cast<std::string>(node.attr("target").attr("id")));
      e->children.push_back(read_expr(node.attr("value")));
      return e;
    }
    if (kind == "IfExp") {
      auto e = std::make_unique<Expr>(ExprKind::IfExp, span);
      e->children.push_back(read_expr(node.attr("test")));
      e->children.push_back(read_expr(node.attr("body")));
      e->children.push_back(read_expr(node.attr("orelse")));
      return e;
    }
    if (kind == "Call") return read_call(node, span);
    if (kind == "Tuple") return read_display(node, ExprKind::Tuple, span);
    if (kind == "Subscript") {
      auto e = std::make_unique<Expr>(ExprKind::Subscript, span);
      e->children.push_back(read_expr(node.attr("value")));
      nb::handle index = node.attr("slice");
      nb::list elements = kind_of(index) == "Tuple" ? nb::list(index.attr("elts")) : nb::list();
      if (kind_of(index) == "Tuple" && elements.size() == 1) {
        // d[(k,)] is the key (k,), not k; inference reads it as a[k] where the base is not a mapping.
        auto one = std::make_unique<Expr>(ExprKind::Tuple, span_of(index));
        one->attribute = hir::kOneTupleIndex;
        one->children.push_back(read_index(elements[0]));
        e->children.push_back(std::move(one));
      } else if (kind_of(index) == "Tuple") {
        for (nb::handle elt : index.attr("elts")) e->children.push_back(read_index(elt));
      } else {
        e->children.push_back(read_index(index));
      }
      return e;
    }
    if (kind == "List") return read_display(node, ExprKind::List, span);
    if (kind == "Set") return read_display(node, ExprKind::Set, span);
    if (kind == "ListComp" || kind == "SetComp" || kind == "DictComp") return read_comprehension(node, kind, span);
    if (kind == "Dict") {
      auto e = std::make_unique<Expr>(ExprKind::Dict, span);
      nb::object keys = node.attr("keys");
      nb::object values = node.attr("values");
      for (size_t i = 0; i < nb::len(keys); ++i) {
        if (keys[i].is_none()) unsupported(span, "'**' in dict literals is not supported");
        e->children.push_back(read_expr(keys[i]));
        e->children.push_back(read_expr(values[i]));
      }
      return e;
    }
    static const std::map<std::string, std::string> kWhat = {
        {"GeneratorExp", "generator expressions"},
        {"Lambda", "lambda expressions inside comprehensions (bind the lambda to a name before the comprehension)"}, {"JoinedStr", "f-strings"}, {"Await", "await"},
        {"Yield", "generators"}, {"YieldFrom", "generators"},
        {"Starred", "starred expressions"}, {"Slice", "slices outside an index"}};
    auto it = kWhat.find(kind);
    unsupported(span, (it != kWhat.end() ? it->second : "'" + kind + "' expressions") +
                          " are not supported in compiled code yet");
  }

  // [elt for target in iter if cond] becomes, just before the statement that
  // holds it, `$compN = []; for target in iter: if cond: $compN.append(elt)`,
  // so it reuses every kind of for loop; the expression reads $compN. A set
  // comprehension adds to `set()`, and {k: v for ...} stores `$compN[k] = v`.
  // (a, b), [a, b], {a, b}: their elements in order.
  ExprPtr read_display(nb::handle node, ExprKind kind, const SourceSpan& span) {
    auto e = std::make_unique<Expr>(kind, span);
    for (nb::handle elt : node.attr("elts")) {
      if (kind_of(elt) == "Starred") unsupported(span_of(elt), "starred expressions are not supported");
      e->children.push_back(read_expr(elt));
    }
    return e;
  }

  ExprPtr read_comprehension(nb::handle node, const std::string& kind, const SourceSpan& span) {
    const char* what = kind == "ListComp" ? "list" : kind == "SetComp" ? "set" : "dict";
    nb::object generators = node.attr("generators");
    if (in_while_test_ || !hoist_)
      unsupported(span, std::string("a ") + what + " comprehension in a while loop's condition is not supported");
    int temp = add_local("$comp" + std::to_string(temp_counter_++));
    hir::Block* outer = hoist_;
    auto init = std::make_unique<Stmt>(StmtKind::Assign, span);
    init->target = local_ref(temp, span);
    init->value = std::make_unique<Expr>(kind == "ListComp" ? ExprKind::List
                                         : kind == "SetComp" ? ExprKind::Set
                                                             : ExprKind::Dict,
                                         span);
    outer->push_back(std::move(init));
    // Several `for` clauses nest, each loop (with its `if`s) inside the one before.
    hir::Block* into = outer;
    for (nb::handle gen : generators) {
      if (nb::cast<int>(gen.attr("is_async")) != 0) unsupported(span, "async comprehensions are not supported");
      auto loop = std::make_unique<Stmt>(StmtKind::For, span);
      loop->target = read_target(gen.attr("target"));
      hoist_ = into;
      loop->value = read_expr(gen.attr("iter"));  // hoists into the block around the loop
      // The element and conditions are read inside the loop body, so comprehensions nested in them stay there.
      hir::Block* body = &loop->body;
      hoist_ = body;
      for (nb::handle cond : gen.attr("ifs")) {
        auto guard = std::make_unique<Stmt>(StmtKind::If, span_of(cond));
        guard->value = read_expr(cond);
        hir::Block* inside = &guard->body;
        body->push_back(std::move(guard));
        body = inside;
        hoist_ = body;
      }
      hir::Block* next = body;
      into->push_back(std::move(loop));
      into = next;
    }
    StmtPtr add;
    if (kind == "DictComp") {
      add = std::make_unique<Stmt>(StmtKind::Assign, span);
      auto target = std::make_unique<Expr>(ExprKind::Subscript, span);
      target->children.push_back(local_ref(temp, span));
      target->children.push_back(read_expr(node.attr("key")));
      add->value = read_expr(node.attr("value"));
      add->target = std::move(target);
    } else {
      add = std::make_unique<Stmt>(StmtKind::ExprStmt, span);
      add->value = method_call(local_ref(temp, span), kind == "ListComp" ? "append" : "add",
                               read_expr(node.attr("elt")), span);
    }
    into->push_back(std::move(add));
    hoist_ = outer;
    return local_ref(temp, span);
  }

  ExprPtr read_index(nb::handle node) {
    if (kind_of(node) != "Slice") return read_expr(node);
    auto e = std::make_unique<Expr>(ExprKind::Slice, span_of(node));
    for (const char* part : {"lower", "upper", "step"}) {
      nb::object v = node.attr(part);
      e->children.push_back(v.is_none() ? nullptr : read_expr(v));
    }
    return e;
  }

  static ExprPtr method_call(ExprPtr object, const char* method, ExprPtr argument, const SourceSpan& span) {
    auto attribute = std::make_unique<Expr>(ExprKind::Attribute, span);
    attribute->attribute = method;
    attribute->children.push_back(std::move(object));
    auto call = std::make_unique<Expr>(ExprKind::Call, span);
    call->children.push_back(std::move(attribute));
    call->children.push_back(std::move(argument));
    return call;
  }

  ExprPtr read_compare(nb::handle node, const SourceSpan& span) {
    nb::object ops = node.attr("ops");
    if (nb::len(ops) == 1 && (kind_of(ops[0]) == "In" || kind_of(ops[0]) == "NotIn")) {
      // x in c is c.__contains__(x), which each container type answers.
      ExprPtr contains = method_call(read_expr(node.attr("comparators")[0]), "__contains__",
                                     read_expr(node.attr("left")), span);
      if (kind_of(ops[0]) == "In") return contains;
      auto negated = std::make_unique<Expr>(ExprKind::Unary, span);
      negated->unary_op = hir::UnaryOp::Not;
      negated->children.push_back(std::move(contains));
      return negated;
    }
    static const std::map<std::string, hir::CompareOp> kOps = {
        {"Eq", hir::CompareOp::Eq}, {"NotEq", hir::CompareOp::NotEq}, {"Lt", hir::CompareOp::Lt},
        {"LtE", hir::CompareOp::LtE}, {"Gt", hir::CompareOp::Gt}, {"GtE", hir::CompareOp::GtE},
        {"Is", hir::CompareOp::Is}, {"IsNot", hir::CompareOp::IsNot}};
    auto e = std::make_unique<Expr>(ExprKind::Compare, span);
    e->children.push_back(read_expr(node.attr("left")));
    for (nb::handle op : node.attr("ops")) {
      auto it = kOps.find(kind_of(op));
      if (it == kOps.end()) unsupported(span, "'" + kind_of(op) + "' comparisons are not supported yet");
      e->compare_ops.push_back(it->second);
    }
    for (nb::handle c : node.attr("comparators")) e->children.push_back(read_expr(c));
    return e;
  }

  ExprPtr read_call(nb::handle node, const SourceSpan& span) {
    auto e = std::make_unique<Expr>(ExprKind::Call, span);
    e->children.push_back(read_expr(node.attr("func")));
    for (nb::handle a : node.attr("args")) {
      if (kind_of(a) == "Starred") {
        // f(x, *rest): inference spreads the tuple into its items (Inferrer::spread_starred_arguments).
        SourceSpan at = span_of(a);
        e->children.push_back(
            hir::make_call(hir::make_builtin("numjit.unpack", at), hir::one(read_expr(a.attr("value"))), at));
        continue;
      }
      e->children.push_back(read_expr(a));
    }
    for (nb::handle k : node.attr("keywords")) {
      if (k.attr("arg").is_none()) unsupported(span_of(k), "**kwargs in calls are not supported yet");
      e->keyword_names.push_back(nb::cast<std::string>(k.attr("arg")));
      e->children.push_back(read_expr(k.attr("value")));
    }
    return e;
  }

  // A global or closure name, frozen now.
  ExprPtr read_name(nb::handle node, const SourceSpan& span) {
    std::string name = nb::cast<std::string>(node.attr("id"));
    auto it = local_index_.find(name);
    if (it != local_index_.end()) return local_ref(it->second, span);
    nb::handle value = lookup_global(name);
    if (!value.is_valid()) typing_error(span, "name '" + name + "' is not defined");
    return freeze_value(value, "global '" + name + "'", span, bundle_);
  }

  nb::handle lookup_global(const std::string& name) const {
    const nb::handle scopes[] = {bundle_.closure, bundle_.globals, bundle_.builtins};
    for (nb::handle scope : scopes) {
      PyObject* v = PyDict_GetItemString(scope.ptr(), name.c_str());
      if (v) return v;
    }
    return nb::handle();
  }

  // `np.arctan`, `math.pi`, `numba.prange`: attributes of frozen modules are
  // resolved now; attributes of runtime values (`a.shape`) stay in the HIR.
  ExprPtr read_attribute(nb::handle node, const SourceSpan& span) {
    std::string attr = nb::cast<std::string>(node.attr("attr"));
    ExprPtr base = read_expr(node.attr("value"));
    if (base->kind == ExprKind::Global && base->global.kind == hir::GlobalValue::Kind::Module) {
      nb::object module = nb::module_::import_(base->global.name.c_str());
      const std::string& module_name = base->global.name;
      std::string qualified = (module_name.starts_with("numpy") ? "np" + module_name.substr(5) : module_name) + "." + attr;
      nb::object value = nb::getattr(module, attr.c_str(), nb::none());
      if (value.is_none() && !nb::hasattr(module, attr.c_str()))
        typing_error(span, qualified + " does not exist");
      return freeze_value(value, qualified, span, bundle_);
    }
    // np.add.reduce, np.maximum.accumulate: a ufunc's methods are library
    // functions of their own (python/numjit/library/ufunc_methods.py).
    bool ufunc_method = attr == "reduce" || attr == "accumulate" || attr == "outer";
    if (ufunc_method && base->kind == ExprKind::Global && base->global.kind == hir::GlobalValue::Kind::Builtin &&
        base->global.name.starts_with("np.")) {
      base->global.name += "." + attr;
      base->span = span;
      return base;
    }
    auto e = std::make_unique<Expr>(ExprKind::Attribute, span);
    e->attribute = attr;
    e->children.push_back(std::move(base));
    return e;
  }
};

}  // namespace

std::unique_ptr<hir::Function> read_function(const FunctionBundle& bundle) {
  Reader reader(bundle);
  try {
    return reader.read();
  } catch (CompileError& e) {
    e.locate(nb::cast<std::string>(bundle.function_def.attr("name")), bundle.source);
    throw;
  }
}

}  // namespace numjit::frontend
