// Expression lowering. Each expression yields an SSA value of value_type(e.type);
// compile-time-only values (modules, functions, strings) yield nullptr.
#include <algorithm>
#include <set>

#include <llvm/IR/MDBuilder.h>

#include "numjit/library/builtins.h"
#include "numjit/lower/function_lowering.h"
#include "numjit/passes/loop_facts.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/types/infer.h"

namespace numjit::lower {

using hir::ExprKind;
using types::TypeKind;

llvm::Value* FunctionLowering::expr_as(const hir::Expr& e, const Type* to) { return cast(expr(e), e.type, to); }

llvm::Value* FunctionLowering::expr(const hir::Expr& e) {
  if (is_elementwise_node(e)) return array_expression(e);
  llvm::Value* v = expr_of_kind(e);
  // A dtype's value is its type: where its lowering made no value (a.dtype is
  // compile-time only), an i8 placeholder stands for it, as in a local.
  if (!v && types::is_dtype_value(e.type)) return builder_.getInt8(0);
  return v;
}

llvm::Value* FunctionLowering::expr_of_kind(const hir::Expr& e) {
  switch (e.kind) {
    case ExprKind::Const: return constant(e);
    case ExprKind::Local: return read_local(e.local);
    case ExprKind::AssignExpr: {
      llvm::Value* v = expr(e.value());
      store_local(e.local, cast(v, e.value().type, fn_.locals[e.local].type));
      return v;
    }
    case ExprKind::Global: return global(e);
    case ExprKind::Attribute: return attribute(e);
    case ExprKind::Subscript: return subscript(e);
    case ExprKind::Slice: return nullptr;  // consumed by the subscript that holds it
    case ExprKind::Binary: return binary(e);
    case ExprKind::Unary: return unary(e);
    case ExprKind::Compare: return compare(e);
    case ExprKind::BoolOp: return bool_op(e);
    case ExprKind::IfExp: return if_exp(e);
    case ExprKind::Call: return call(e);
    case ExprKind::Tuple: return tuple(e);
    case ExprKind::List: return list_literal(e);
    case ExprKind::Dict: return dict_literal(e);
    case ExprKind::Set: return set_literal(e);
  }
  return nullptr;
}

llvm::Value* FunctionLowering::constant(const hir::Expr& e) { return constant_of(e.constant, e.type); }

llvm::Value* FunctionLowering::constant_of(const hir::Constant& c, const Type* t) {
  using K = hir::Constant::Kind;
  if (t->kind == TypeKind::NoneType || t->kind == TypeKind::StringLiteral) return builder_.getInt8(0);
  if (!t->is_scalar()) return nullptr;
  llvm::Type* ty = value_type(context(), t);
  double real = c.kind == K::Float ? c.float_value : c.kind == K::Complex ? c.complex_value.real()
                                                                          : static_cast<double>(c.int_value);
  if (t->is_bool()) return builder_.getInt1(c.int_value != 0);
  if (t->is_integer()) return llvm::ConstantInt::get(ty, static_cast<uint64_t>(c.int_value), t->is_signed());
  if (t->is_time()) return builder_.getInt64(c.int_value);  // a frozen datetime64/timedelta64: its count
  if (t->is_float()) return llvm::ConstantFP::get(ty, real);
  llvm::Type* part = ty->getStructElementType(0);
  double imag = c.kind == K::Complex ? c.complex_value.imag() : 0.0;
  return llvm::ConstantStruct::get(llvm::cast<llvm::StructType>(ty),
                                   {llvm::ConstantFP::get(part, real), llvm::ConstantFP::get(part, imag)});
}

llvm::Value* FunctionLowering::global(const hir::Expr& e) {
  if (e.global.kind != hir::GlobalValue::Kind::Array) return nullptr;
  // A frozen array: its buffer is kept alive by the compiled function.
  const auto& g = e.global;
  int nd = static_cast<int>(g.shape.size());
  auto* st = array_struct(context(), nd);
  auto dims = [&](const std::vector<int64_t>& v) {
    std::vector<llvm::Constant*> cs;
    for (int64_t x : v) cs.push_back(builder_.getInt64(x));
    return llvm::ConstantArray::get(llvm::ArrayType::get(builder_.getInt64Ty(), nd), cs);
  };
  using Kind = ModuleLowering::ImportKind;
  llvm::Value* parent = module_.object_address(builder_, g.py_object, Kind::Array, "array " + g.name);
  llvm::Value* data = module_.object_address(builder_, g.data, Kind::ArrayData, "the data of array " + g.name);
  std::vector<llvm::Value*> fields{llvm::ConstantPointerNull::get(builder_.getPtrTy()), parent, data,
                                   dims(g.shape), dims(g.strides)};
  llvm::Value* header = llvm::PoisonValue::get(st);
  for (unsigned i = 0; i < fields.size(); ++i) header = builder_.CreateInsertValue(header, fields[i], i);
  return header;
}

llvm::Value* FunctionLowering::binary(const hir::Expr& e) {
  const hir::Expr& le = e.lhs();
  const hir::Expr& re = e.rhs();
  llvm::Value* l = expr(le);
  llvm::Value* r = expr(re);
  if (le.type->kind == TypeKind::Tuple && re.type->kind == TypeKind::Tuple) {  // (a, b) + (c,): concatenation
    llvm::Value* out = llvm::PoisonValue::get(value_type(context(), e.type));
    unsigned k = 0;
    for (auto [part, type] : {std::pair{l, le.type}, std::pair{r, re.type}})
      for (unsigned i = 0; i < type->elements.size(); ++i)
        out = builder_.CreateInsertValue(out, builder_.CreateExtractValue(part, i), k++);
    return out;
  }
  if (e.binary_op == hir::BinaryOp::Pow) return power(l, le.type, r, re.type, e.type, &re);
  if (e.binary_op == hir::BinaryOp::MatMul) return own_temporary(matmul(l, le.type, r, re.type, e.type, e.span), e.type);
  const Type* lt = types::strip_optional(le.type);
  const Type* rt = types::strip_optional(re.type);
  if (lt->is_time() || rt->is_time()) return time_binary(e.binary_op, cast(l, le.type, lt), lt, cast(r, re.type, rt), rt);
  const Type* common = types::operand_type(e.binary_op, lt, rt);
  return binary_scalar(e.binary_op, cast(l, le.type, common), cast(r, re.type, common), common, e.span);
}

llvm::Value* FunctionLowering::unary(const hir::Expr& e) {
  const hir::Expr& x = e.operand();
  llvm::Value* v = expr(x);
  switch (e.unary_op) {
    case hir::UnaryOp::Not: return builder_.CreateNot(truth(v, x.type));
    case hir::UnaryOp::Pos: return cast(v, x.type, e.type);
    case hir::UnaryOp::Invert:
      return builder_.CreateNot(cast(v, x.type, e.type));
    case hir::UnaryOp::Neg: {
      llvm::Value* c = cast(v, x.type, e.type);
      if (e.type->is_integer() || e.type->is_time()) return builder_.CreateNeg(c);  // -NaT wraps to NaT
      if (e.type->is_float()) return builder_.CreateFNeg(c);
      llvm::Value* re = builder_.CreateFNeg(builder_.CreateExtractValue(c, 0));
      llvm::Value* im = builder_.CreateFNeg(builder_.CreateExtractValue(c, 1));
      return builder_.CreateInsertValue(builder_.CreateInsertValue(c, re, 0), im, 1);
    }
  }
  return nullptr;
}

// Tuples compare as Python's: equal when their lengths and elements are; in
// order by the first elements that differ, else by length. Branch-free: each
// element pair contributes "all equal so far" and "decided here".
llvm::Value* FunctionLowering::compare_tuples(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b,
                                              const Type* tb) {
  using Op = hir::CompareOp;
  auto& bld = builder_;
  size_t n = ta->elements.size(), m = tb->elements.size();
  llvm::Value* equal_so_far = bld.getTrue();
  llvm::Value* result = nullptr;  // for orderings: the answer once decided
  for (size_t k = 0; k < std::min(n, m); ++k) {
    llvm::Value* x = bld.CreateExtractValue(a, static_cast<unsigned>(k));
    llvm::Value* y = bld.CreateExtractValue(b, static_cast<unsigned>(k));
    const Type* tx = ta->elements[k];
    const Type* ty = tb->elements[k];
    llvm::Value* same = compare_pair(Op::Eq, x, tx, y, ty);
    if (op != Op::Eq && op != Op::NotEq) {
      // Decided at the first difference: x < y for < and <=, x > y for > and >=.
      Op strict = op == Op::Lt || op == Op::LtE ? Op::Lt : Op::Gt;
      llvm::Value* here = compare_pair(strict, x, tx, y, ty);
      llvm::Value* decided_here = bld.CreateAnd(equal_so_far, bld.CreateNot(same));
      result = result ? bld.CreateSelect(decided_here, here, result) : bld.CreateAnd(decided_here, here);
    }
    equal_so_far = bld.CreateAnd(equal_so_far, same);
  }
  if (op == Op::Eq || op == Op::NotEq) {
    llvm::Value* eq = n == m ? equal_so_far : bld.getFalse();
    return op == Op::Eq ? eq : bld.CreateNot(eq);
  }
  // All shared elements equal: the lengths decide.
  bool by_length = op == Op::Lt ? n < m : op == Op::LtE ? n <= m : op == Op::Gt ? n > m : n >= m;
  llvm::Value* tail = bld.CreateAnd(equal_so_far, bld.getInt1(by_length));
  return result ? bld.CreateOr(result, tail) : tail;
}

llvm::Value* FunctionLowering::compare_pair(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b,
                                            const Type* tb) {
  using Op = hir::CompareOp;
  bool negate = op == Op::NotEq || op == Op::IsNot;
  if (ta->kind == TypeKind::Tuple && tb->kind == TypeKind::Tuple) return compare_tuples(op, a, ta, b, tb);
  auto is_text = [](const Type* t) { return t->kind == TypeKind::String || t->kind == TypeKind::StringLiteral; };
  if (is_text(ta) != is_text(tb)) return builder_.getInt1(negate);  // a string equals no number (tuples' elements)
  if (is_text(ta)) return compare_text(op, a, ta, b, tb);
  if (ta->kind == TypeKind::NoneType || tb->kind == TypeKind::NoneType) {
    // x is None: true for None, the "absent" flag for optionals, false otherwise.
    auto is_none = [&](llvm::Value* v, const Type* t) -> llvm::Value* {
      if (t->kind == TypeKind::NoneType) return builder_.getTrue();
      if (t->kind == TypeKind::Optional) return builder_.CreateNot(builder_.CreateExtractValue(v, 0));
      return builder_.getFalse();
    };
    llvm::Value* r = ta->kind == TypeKind::NoneType ? is_none(b, tb) : is_none(a, ta);
    return negate ? builder_.CreateNot(r) : r;
  }
  if (ta->kind == TypeKind::Optional) {
    a = cast(a, ta, ta->elements[0]);
    ta = ta->elements[0];
  }
  if (tb->kind == TypeKind::Optional) {
    b = cast(b, tb, tb->elements[0]);
    tb = tb->elements[0];
  }
  if (ta->is_time() || tb->is_time()) return time_compare(op, a, ta, b, tb);
  if (ta->is_integer() && tb->is_integer() && ta->is_signed() != tb->is_signed() &&
      std::max(ta->bits(), tb->bits()) == 64)
    return compare_mixed_sign(op, a, ta, b, tb);
  const Type* common = types::promote_numeric(ta, tb);
  llvm::Value* x = cast(a, ta, common);
  llvm::Value* y = cast(b, tb, common);
  if (common->is_complex() && !negate && op != Op::Eq) {
    // Arrays and NumPy's complex scalars (typing rejects ordering Python's): NumPy's lexicographic order.
    using P = llvm::CmpInst::Predicate;
    static const P kOrder[] = {P::FCMP_OEQ, P::FCMP_UNE, P::FCMP_OLT, P::FCMP_OLE, P::FCMP_OGT, P::FCMP_OGE};
    static const P kStrict[] = {P::FCMP_OEQ, P::FCMP_UNE, P::FCMP_OLT, P::FCMP_OLT, P::FCMP_OGT, P::FCMP_OGT};
    llvm::Value* xr = builder_.CreateExtractValue(x, 0);
    llvm::Value* yr = builder_.CreateExtractValue(y, 0);
    llvm::Value* real_decides = builder_.CreateFCmp(kStrict[static_cast<int>(op)], xr, yr);
    llvm::Value* imag_decides = builder_.CreateAnd(
        builder_.CreateFCmpOEQ(xr, yr),
        builder_.CreateFCmp(kOrder[static_cast<int>(op)], builder_.CreateExtractValue(x, 1), builder_.CreateExtractValue(y, 1)));
    return builder_.CreateOr(real_decides, imag_decides);
  }
  if (common->is_complex()) {
    llvm::Value* eq = builder_.CreateAnd(
        builder_.CreateFCmpOEQ(builder_.CreateExtractValue(x, 0), builder_.CreateExtractValue(y, 0)),
        builder_.CreateFCmpOEQ(builder_.CreateExtractValue(x, 1), builder_.CreateExtractValue(y, 1)));
    return negate ? builder_.CreateNot(eq) : eq;
  }
  using P = llvm::CmpInst::Predicate;
  if (common->is_float()) {
    static const P kFloat[] = {P::FCMP_OEQ, P::FCMP_UNE, P::FCMP_OLT, P::FCMP_OLE, P::FCMP_OGT, P::FCMP_OGE};
    return builder_.CreateFCmp(kFloat[static_cast<int>(op)], x, y);
  }
  static const P kSigned[] = {P::ICMP_EQ, P::ICMP_NE, P::ICMP_SLT, P::ICMP_SLE, P::ICMP_SGT, P::ICMP_SGE};
  static const P kUnsigned[] = {P::ICMP_EQ, P::ICMP_NE, P::ICMP_ULT, P::ICMP_ULE, P::ICMP_UGT, P::ICMP_UGE};
  return builder_.CreateICmp((common->is_signed() ? kSigned : kUnsigned)[static_cast<int>(op)], x, y);
}

// Two strings (tuples' elements; plain strings compare through str's
// methods): constants at compile time, else the runtime's three-way order.
llvm::Value* FunctionLowering::compare_text(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b,
                                            const Type* tb) {
  using Op = hir::CompareOp;
  if (ta->kind == TypeKind::StringLiteral && tb->kind == TypeKind::StringLiteral) {
    int order = ta->text.compare(tb->text);
    bool holds = op == Op::Eq      ? order == 0
                 : op == Op::NotEq ? order != 0
                 : op == Op::Lt    ? order < 0
                 : op == Op::LtE   ? order <= 0
                 : op == Op::Gt    ? order > 0
                                   : order >= 0;
    return builder_.getInt1(holds);
  }
  llvm::Value* x = cast(a, ta, types::string());
  llvm::Value* y = cast(b, tb, types::string());
  llvm::Value* order = builder_.CreateCall(runtime_function(module(), RuntimeFunction::str_compare), {x, y});
  using P = llvm::CmpInst::Predicate;
  static const P kOrder[] = {P::ICMP_EQ, P::ICMP_NE, P::ICMP_SLT, P::ICMP_SLE, P::ICMP_SGT, P::ICMP_SGE};
  return builder_.CreateICmp(kOrder[static_cast<int>(op)], order, builder_.getInt64(0));
}

// A signed and an unsigned integer, one of them 64 bits wide: promotion would
// give float64 and lose precision, so compare exactly, as Python does. A
// negative signed value is below every unsigned one; otherwise both fit uint64.
llvm::Value* FunctionLowering::compare_mixed_sign(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b,
                                                  const Type* tb) {
  using P = llvm::CmpInst::Predicate;
  static const P kUnsigned[] = {P::ICMP_EQ, P::ICMP_NE, P::ICMP_ULT, P::ICMP_ULE, P::ICMP_UGT, P::ICMP_UGE};
  const int index = static_cast<int>(op);
  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::Value* x = builder_.CreateIntCast(a, i64, ta->is_signed());
  llvm::Value* y = builder_.CreateIntCast(b, i64, tb->is_signed());
  llvm::Value* negative = builder_.CreateICmpSLT(ta->is_signed() ? x : y, builder_.getInt64(0));
  // When the signed side is negative: a < b holds exactly when a is the signed one.
  const bool signed_is_left = ta->is_signed();
  bool when_negative;
  switch (op) {
    case hir::CompareOp::Eq: when_negative = false; break;
    case hir::CompareOp::NotEq: when_negative = true; break;
    case hir::CompareOp::Lt:
    case hir::CompareOp::LtE: when_negative = signed_is_left; break;
    default: when_negative = !signed_is_left; break;
  }
  return builder_.CreateSelect(negative, builder_.getInt1(when_negative), builder_.CreateICmp(kUnsigned[index], x, y));
}

// a < b < c evaluates b once and stops at the first false comparison.
llvm::Value* FunctionLowering::compare(const hir::Expr& e) {
  if (std::optional<bool> known = types::dtype_comparison(e)) return builder_.getInt1(*known);
  auto operands = e.operands();
  llvm::Value* left = expr(operands[0]);
  const Type* left_type = operands[0].type;
  if (e.compare_ops.size() == 1)
    return compare_pair(e.compare_ops[0], left, left_type, expr(operands[1]), operands[1].type);
  llvm::BasicBlock* end = new_block("cmp.end");
  std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> incoming;
  for (size_t i = 0; i < e.compare_ops.size(); ++i) {
    llvm::Value* right = expr(operands[i + 1]);
    llvm::Value* r = compare_pair(e.compare_ops[i], left, left_type, right, operands[i + 1].type);
    incoming.emplace_back(r, builder_.GetInsertBlock());
    if (i + 1 == e.compare_ops.size()) {
      builder_.CreateBr(end);
    } else {
      llvm::BasicBlock* next = new_block("cmp.next");
      builder_.CreateCondBr(r, next, end);
      builder_.SetInsertPoint(next);
    }
    left = right;
    left_type = operands[i + 1].type;
  }
  builder_.SetInsertPoint(end);
  llvm::PHINode* phi = builder_.CreatePHI(builder_.getInt1Ty(), incoming.size());
  for (auto& [v, bb] : incoming) phi->addIncoming(v, bb);
  return phi;
}

// `a and b` yields a if a is false, else b (converted to the unified type).
llvm::Value* FunctionLowering::bool_op(const hir::Expr& e) {
  llvm::BasicBlock* end = new_block(e.is_and ? "and.end" : "or.end");
  std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> incoming;
  auto operands = e.operands();
  // In `j >= 0 and a[j] > v`, the operands after a comparison run only where
  // it held: its lower bounds hold for them (unless a walrus assigns the local).
  std::set<int> walrus;
  passes::walrus_targets(&e, walrus);
  std::vector<int> bounded;
  for (size_t i = 0; i < operands.size(); ++i) {
    const hir::Expr& c = operands[i];
    if (e.is_and && i > 0)
      for (auto [local, bound] : passes::condition_lower_bounds(operands[i - 1]))
        if (!walrus.count(local)) {
          local_lower_bounds_[local].push_back(std::max(bound, invariant_lower_bound(local)));
          bounded.push_back(local);
        }
    llvm::Value* v = expr(c);
    llvm::Value* as_result = cast(v, c.type, e.type);
    if (i + 1 == operands.size()) {
      incoming.emplace_back(as_result, builder_.GetInsertBlock());
      builder_.CreateBr(end);
      break;
    }
    llvm::Value* t = truth(v, c.type);
    llvm::BasicBlock* next = new_block("boolop.next");
    incoming.emplace_back(as_result, builder_.GetInsertBlock());
    if (e.is_and) builder_.CreateCondBr(t, next, end);
    else builder_.CreateCondBr(t, end, next);
    builder_.SetInsertPoint(next);
  }
  for (int local : bounded) local_lower_bounds_[local].pop_back();
  builder_.SetInsertPoint(end);
  llvm::PHINode* phi = builder_.CreatePHI(value_type(context(), e.type), incoming.size());
  for (auto& [v, bb] : incoming) phi->addIncoming(v, bb);
  return phi;
}

llvm::Value* FunctionLowering::if_exp(const hir::Expr& e) {
  llvm::Value* cond = truth(expr(e.test()), e.test().type);
  llvm::BasicBlock* then_bb = new_block("ifexp.then");
  llvm::BasicBlock* else_bb = new_block("ifexp.else");
  llvm::BasicBlock* end = new_block("ifexp.end");
  builder_.CreateCondBr(cond, then_bb, else_bb);
  builder_.SetInsertPoint(then_bb);
  llvm::Value* a = expr_as(e.body(), e.type);
  llvm::BasicBlock* then_end = builder_.GetInsertBlock();
  builder_.CreateBr(end);
  builder_.SetInsertPoint(else_bb);
  llvm::Value* b = expr_as(e.orelse(), e.type);
  llvm::BasicBlock* else_end = builder_.GetInsertBlock();
  builder_.CreateBr(end);
  builder_.SetInsertPoint(end);
  llvm::PHINode* phi = builder_.CreatePHI(a->getType(), 2);
  phi->addIncoming(a, then_end);
  phi->addIncoming(b, else_end);
  return phi;
}

llvm::Value* FunctionLowering::call(const hir::Expr& e) {
  if (e.jitted) return call_jitted(e);
  if (e.callee().kind == ExprKind::Global && e.callee().global.kind == hir::GlobalValue::Kind::PythonFunction)
    return call_python(e);
  if (!e.builtin) internal_error("call without a resolved target", e.span);
  if (!e.signature) internal_error("a library call without the signature inference gave it", e.span);
  const library::Signature& sig = *e.signature;
  if (e.builtin->lazy_arguments)  // the row evaluates its arguments itself
    return own_temporary(e.builtin->lower(*this, e, sig, {}), e.type);
  std::vector<const Type*> value_types;
  std::vector<llvm::Value*> values;
  const hir::Expr& callee = e.callee();
  if (callee.kind == ExprKind::Attribute) {  // a method: the object comes first
    value_types.push_back(callee.value().type);
    values.push_back(expr(callee.value()));
  }
  for (const hir::Expr& arg : e.args()) {
    value_types.push_back(arg.type);
    // range(...) as an argument (len(range(n))) has no runtime value; the row
    // reads the range call's own arguments.
    values.push_back(arg.type->kind == TypeKind::Range ? nullptr : expr(arg));
  }
  for (size_t i = 0; i < values.size() && i < sig.params.size(); ++i)  // null params take the value as is
    if (sig.params[i] && values[i]) values[i] = cast(values[i], value_types[i], sig.params[i]);
  // Library rows return new references to any memory their result holds.
  return own_temporary(e.builtin->lower(*this, e, sig, std::move(values)), e.type);
}

llvm::Value* FunctionLowering::call_jitted(const hir::Expr& e) {
  hir::Function& callee = *e.jitted;
  std::vector<llvm::Value*> args;
  auto call_args = e.args();
  for (size_t i = 0; i < call_args.size(); ++i)
    args.push_back(types::is_dtype_value(callee.param_types[i]) ? builder_.getInt8(0)  // np.float32: its type says it
                                                                 : expr_as(call_args[i], callee.param_types[i]));
  return own_temporary(call_function(callee, args), callee.return_type);
}

// Calls a jitted specialization with converted arguments; its exception, if
// any, is already recorded in the runtime and passes up. Where division
// checks are deferred, a callee that may defer its own runs as its deferred
// variant, whose zero divisor joins this function's flag.
llvm::Value* FunctionLowering::call_function(hir::Function& callee, const std::vector<llvm::Value*>& converted) {
  bool deferred = deferred_zero_division_ && module_.callee_may_defer(callee);
  llvm::Function* f = module_.function_for(callee, deferred);
  llvm::AllocaInst* result = entry_alloca(value_type(context(), callee.return_type), "call.result");
  std::vector<llvm::Value*> args{result};
  args.insert(args.end(), converted.begin(), converted.end());
  llvm::Value* status = builder_.CreateCall(f, args);
  if (deferred) {
    llvm::Value* zero_divisor = builder_.CreateICmpEQ(status, builder_.getInt32(abi::kStatusZeroDivisor));
    zero_division_if(zero_divisor, "division by zero");
    status = builder_.CreateSelect(zero_divisor, builder_.getInt32(abi::kStatusOk), status);
  }
  exit_if_failed(status);
  return builder_.CreateLoad(value_type(context(), callee.return_type), result);
}

llvm::Value* FunctionLowering::tuple(const hir::Expr& e) {
  llvm::Value* out = llvm::PoisonValue::get(value_type(context(), e.type));
  auto elements = e.elements();
  for (unsigned i = 0; i < elements.size(); ++i) out = builder_.CreateInsertValue(out, expr(elements[i]), i);
  return out;
}

}  // namespace numjit::lower
