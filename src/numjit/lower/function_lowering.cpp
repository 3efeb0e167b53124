// FunctionLowering's set-up and the services it offers library rows:
// conversions, truth values, math calls, raising exceptions.
#include "numjit/lower/function_lowering.h"

#include <cmath>

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/lower/vector_math.h"

namespace numjit::lower {

using types::TypeKind;


FunctionLowering::FunctionLowering(ModuleLowering& module, hir::Function& fn, llvm::Function* llvm_fn, bool deferred)
    : module_(module),
      fn_(fn),
      plan_(module.plan(fn)),
      llvm_fn_(llvm_fn),
      builder_(llvm_fn->getContext()),
      deferred_variant_(deferred) {
  // The bounds that hold everywhere: conditions push theirs on top.
  for (auto [local, least] : plan_.never_negative) local_lower_bounds_[local].push_back(least);
}

int64_t FunctionLowering::invariant_lower_bound(int local) const {
  auto it = plan_.never_negative.find(local);
  return it == plan_.never_negative.end() ? INT64_MIN : it->second;
}

llvm::Module& FunctionLowering::module() { return module_.module(); }

llvm::Constant* FunctionLowering::string_constant(const std::string& s) { return module_.string_constant(s); }

llvm::BasicBlock* FunctionLowering::new_block(const std::string& name) {
  return llvm::BasicBlock::Create(context(), name, llvm_fn_);
}

void FunctionLowering::lower() {
  builder_.SetInsertPoint(new_block("entry"));
  apply_fastmath();
  result_ptr_ = llvm_fn_->getArg(0);
  declare_locals();
  if (deferred_variant_) {
    deferred_zero_division_ = entry_alloca(builder_.getInt1Ty(), "zero.divisor.seen");
    builder_.CreateStore(builder_.getFalse(), deferred_zero_division_);
  }
  // Parameters are borrowed from the caller; their locals take their own reference.
  for (size_t i = 0; i < fn_.param_count; ++i)
    store_local(static_cast<int>(i), cast(llvm_fn_->getArg(i + 1), fn_.param_types[i], fn_.locals[i].type));
  if (fn_.recursive) check_stack_depth();
  block(fn_.body);
  finish_body();
  finish_cleanup();
}

// Deep or endless recursion raises RecursionError before the C stack runs
// out. Only functions in a recursive cycle pay for the check.
void FunctionLowering::check_stack_depth() {
  llvm::FunctionCallee check = runtime_function(module(), RuntimeFunction::stack_exhausted);
  llvm::Value* frame = builder_.CreateIntrinsic(llvm::Intrinsic::frameaddress, {builder_.getPtrTy()},
                                                {builder_.getInt32(0)});
  llvm::Value* exhausted = builder_.CreateCall(check, {frame});
  raise_if(builder_.CreateICmpNE(exhausted, builder_.getInt32(0)), ExceptionKind::RecursionError,
           "maximum recursion depth exceeded in compiled function '" + fn_.name + "'");
}

void FunctionLowering::apply_fastmath() {
  if (fn_.options.fastmath) {
    llvm::FastMathFlags flags;
    if (fn_.options.fastmath_flags.empty()) {
      flags.setFast();
    } else {
      for (const std::string& f : fn_.options.fastmath_flags) {
        if (f == "nnan") flags.setNoNaNs();
        else if (f == "ninf") flags.setNoInfs();
        else if (f == "nsz") flags.setNoSignedZeros();
        else if (f == "arcp") flags.setAllowReciprocal();
        else if (f == "contract") flags.setAllowContract();
        else if (f == "afn") flags.setApproxFunc();
        else if (f == "reassoc") flags.setAllowReassoc();
        else if (f == "fast") flags.setFast();
      }
    }
    builder_.setFastMathFlags(flags);
  }
}

void FunctionLowering::finish_body() {
  if (!block_terminated()) {
    // Falling off the end returns None; type inference made the return type
    // admit None unless every path returns first (then this block is dead).
    TypeKind rk = fn_.return_type->kind;
    if (rk == TypeKind::NoneType || rk == TypeKind::Optional) {
      emit_return(constant_of({.kind = hir::Constant::Kind::None}, types::none()), types::none());
    } else {
      builder_.CreateUnreachable();
    }
  }
}

void FunctionLowering::declare_locals() {
  for (size_t i = 0; i < fn_.locals.size(); ++i) {
    const hir::Variable& v = fn_.locals[i];
    if (v.type->kind == TypeKind::Unknown) {
      locals_.push_back(nullptr);  // assigned but never given a value (dead code)
      continue;
    }
    llvm::Type* ty = value_type(context(), v.type);
    locals_.push_back(builder_.CreateAlloca(ty, nullptr, v.name));
    // Locals start as zero: those owning memory start empty, so the cleanup
    // block may release them on any path; no read ever sees undefined bits.
    builder_.CreateStore(llvm::Constant::getNullValue(ty), locals_.back());
  }
  assigned_flags_.assign(fn_.locals.size(), nullptr);
  const std::vector<bool>& unassigned = plan_.unassigned_reads;
  for (size_t i = 0; i < unassigned.size() && i < locals_.size(); ++i) {
    if (!unassigned[i] || !locals_[i]) continue;
    assigned_flags_[i] = builder_.CreateAlloca(builder_.getInt1Ty(), nullptr, fn_.locals[i].name + ".assigned");
    builder_.CreateStore(builder_.getFalse(), assigned_flags_[i]);
  }
}

// Python's UnboundLocalError for a local some path reaches unassigned.
llvm::Value* FunctionLowering::read_local(int local) {
  if (llvm::AllocaInst* flag = static_cast<size_t>(local) < assigned_flags_.size() ? assigned_flags_[local] : nullptr)
    raise_if(builder_.CreateNot(builder_.CreateLoad(builder_.getInt1Ty(), flag)), ExceptionKind::UnboundLocalError,
             "cannot access local variable '" + fn_.locals[local].name + "' where it is not associated with a value");
  return builder_.CreateLoad(value_type(context(), fn_.locals[local].type), locals_[local], fn_.locals[local].name);
}

void FunctionLowering::ensure_open_block() {
  if (block_terminated()) builder_.SetInsertPoint(new_block("dead"));
}

llvm::Value* FunctionLowering::cast(llvm::Value* v, const Type* from, const Type* to) {
  if (from == to) return v;
  auto& b = builder_;
  if (to->kind == TypeKind::Optional) {
    llvm::Type* ty = value_type(context(), to);
    if (from->kind == TypeKind::NoneType)
      return b.CreateInsertValue(llvm::PoisonValue::get(ty), b.getFalse(), 0);
    if (from->kind == TypeKind::Optional) {
      llvm::Value* payload = cast(b.CreateExtractValue(v, 1), from->elements[0], to->elements[0]);
      return b.CreateInsertValue(b.CreateInsertValue(llvm::PoisonValue::get(ty), b.CreateExtractValue(v, 0), 0),
                                 payload, 1);
    }
    llvm::Value* payload = cast(v, from, to->elements[0]);
    return b.CreateInsertValue(b.CreateInsertValue(llvm::PoisonValue::get(ty), b.getTrue(), 0), payload, 1);
  }
  if (from->kind == TypeKind::Optional) {
    // Using an optional as its payload: None is a TypeError, as in Numba.
    const Type* payload = from->elements[0];
    raise_if(b.CreateNot(b.CreateExtractValue(v, 0)), ExceptionKind::TypeError,
             "expected " + payload->name + ", got None");
    return cast(b.CreateExtractValue(v, 1), payload, to);
  }
  if (from->is_array() && to->is_array()) return v;  // layout/readonly changes share one representation
  if (from->kind == TypeKind::StringLiteral && to->kind == TypeKind::String) {
    // A constant used as a run-time string: made on its first use and kept
    // for the process (an immortal string, its count never reaching zero).
    llvm::Value* text = b.CreateCall(runtime_function(module(), RuntimeFunction::str_constant),
                                     {module_.string_cache_slot(from->text), string_constant(from->text),
                                      b.getInt64(static_cast<int64_t>(from->text.size()))});
    exit_if_failed(b.CreateZExt(b.CreateIsNull(text), b.getInt32Ty()));
    return text;
  }
  if (from->kind == to->kind && (from->kind == TypeKind::Dict || from->kind == TypeKind::Set)) {
    if (from->elements[0]->kind == TypeKind::Unknown && to->elements[0]->kind != TypeKind::Unknown)
      return retype_empty_dict(v, to);
    return from->kind == TypeKind::Dict && types::holds_untyped_items(from, to) ? retype_held_items(v, to) : v;
  }
  if (from->kind == TypeKind::List && to->kind == TypeKind::List) {
    if (from->elements[0]->kind == TypeKind::Unknown && to->elements[0]->kind != TypeKind::Unknown)
      return retype_empty_list(v, to);
    return types::holds_untyped_items(from, to) ? retype_held_items(v, to) : v;
  }
  if (from->kind == TypeKind::Tuple && to->kind == TypeKind::Tuple) {
    llvm::Value* out = llvm::PoisonValue::get(value_type(context(), to));
    for (unsigned i = 0; i < to->elements.size(); ++i)
      out = b.CreateInsertValue(out, cast(b.CreateExtractValue(v, i), from->elements[i], to->elements[i]), i);
    return out;
  }
  if (!from->is_scalar() || !to->is_scalar()) internal_error("cannot convert " + from->name + " to " + to->name);
  llvm::Type* target = value_type(context(), to);
  if (to->is_bool()) return truth(v, from);
  if (from->is_time() || to->is_time()) return convert_time(v, from, to);
  if (from->is_complex()) {
    if (to->is_complex()) {
      llvm::Type* part = target->getStructElementType(0);
      llvm::Value* re = b.CreateFPCast(b.CreateExtractValue(v, 0), part);
      llvm::Value* im = b.CreateFPCast(b.CreateExtractValue(v, 1), part);
      return b.CreateInsertValue(b.CreateInsertValue(llvm::PoisonValue::get(target), re, 0), im, 1);
    }
    return cast(b.CreateExtractValue(v, 0), types::float_of(from->bits() / 2), to);
  }
  if (to->is_complex()) {
    const Type* part_type = types::float_of(to->bits() / 2);
    llvm::Value* re = cast(v, from, part_type);
    llvm::Value* zero = llvm::ConstantFP::get(re->getType(), 0.0);
    return b.CreateInsertValue(b.CreateInsertValue(llvm::PoisonValue::get(target), re, 0), zero, 1);
  }
  bool from_signed = from->is_signed();
  if (from->is_bool() || from->is_integer()) {
    if (to->is_float()) return from_signed ? b.CreateSIToFP(v, target) : b.CreateUIToFP(v, target);
    return b.CreateIntCast(v, target, from_signed);
  }
  // from float
  if (to->is_float()) return b.CreateFPCast(v, target);
  return float_to_integer(v, to);
}

// A float that does not fit the integer type converts to a fixed value, never
// to LLVM's poison: NaN, infinities and out-of-range values give the type's
// minimum, as x86's conversion (and so Numba and NumPy) does.
// Narrow types convert through int32 and wrap, as C compilers do for NumPy;
// unsigned ones convert negative values through int64, wrapping as NumPy does.
llvm::Value* FunctionLowering::float_to_integer(llvm::Value* v, const Type* to) {
  auto& b = builder_;
  llvm::Type* target = value_type(context(), to);
  // Selects around a plain conversion of in-range values: cheaper in loops
  // than llvm.fptosi.sat, and it still vectorizes.
  auto signed_fit = [&](unsigned bits) {
    llvm::Type* it = b.getIntNTy(bits);
    llvm::Type* ft = v->getType();
    llvm::Value* magnitude = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v);
    llvm::Value* fits = b.CreateFCmpOLT(magnitude, llvm::ConstantFP::get(ft, std::ldexp(1.0, bits - 1)));
    llvm::Value* converted = b.CreateFPToSI(b.CreateSelect(fits, v, llvm::ConstantFP::get(ft, 0.0)), it);
    return b.CreateSelect(fits, converted, llvm::ConstantInt::get(it, llvm::APInt::getSignedMinValue(bits)));
  };
  unsigned bits = static_cast<unsigned>(to->bits());
  if (to->is_signed()) return bits >= 32 ? signed_fit(bits) : b.CreateTrunc(signed_fit(32), target);
  llvm::Value* through_signed = signed_fit(64);
  if (bits < 64) return b.CreateTrunc(through_signed, target);
  llvm::Value* above_signed = b.CreateFCmpOGE(v, llvm::ConstantFP::get(v->getType(), std::ldexp(1.0, 63)));
  llvm::Value* unsigned_value = b.CreateIntrinsic(llvm::Intrinsic::fptoui_sat, {target, v->getType()}, {v});
  return b.CreateSelect(above_signed, unsigned_value, through_signed);
}

llvm::Value* FunctionLowering::truth(llvm::Value* v, const Type* t) {
  auto& b = builder_;
  switch (t->kind) {
    case TypeKind::NoneType: return b.getFalse();
    case TypeKind::StringLiteral: return b.getInt1(!t->text.empty());
    case TypeKind::String:
      return b.CreateICmpNE(b.CreateCall(runtime_function(module(), RuntimeFunction::str_length), {v}), b.getInt64(0));
    case TypeKind::Optional:
      return b.CreateAnd(b.CreateExtractValue(v, 0), truth(b.CreateExtractValue(v, 1), t->elements[0]));
    case TypeKind::Scalar:
      if (t->is_bool()) return v;
      if (t->is_integer() || t->is_time()) return b.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
      if (t->is_float()) return b.CreateFCmpUNE(v, llvm::ConstantFP::get(v->getType(), 0.0));
      {
        const Type* part = types::float_of(t->bits() / 2);
        return b.CreateOr(truth(b.CreateExtractValue(v, 0), part), truth(b.CreateExtractValue(v, 1), part));
      }
    default: internal_error("no truth value for " + t->name);
  }
}

llvm::Value* FunctionLowering::call_intrinsic(llvm::Intrinsic::ID id, llvm::Type* overload,
                                              std::vector<llvm::Value*> args) {
  llvm::Function* f = llvm::Intrinsic::getDeclaration(&module(), id, {overload});
  return builder_.CreateCall(f, args);
}

// C99's complex functions (csqrt, cexp...) on a complex128 value; double
// _Complex comes back as a {double, double} pair in two registers.
llvm::Value* FunctionLowering::call_complex_libm(const std::string& name, llvm::Value* z) {
  auto& b = builder_;
  llvm::Type* d = b.getDoubleTy();
  llvm::StructType* pair = llvm::StructType::get(context(), {d, d});
  llvm::FunctionCallee fn = module().getOrInsertFunction("c" + name, llvm::FunctionType::get(pair, {d, d}, false));
  llvm::Value* r = b.CreateCall(fn, {b.CreateExtractValue(z, 0), b.CreateExtractValue(z, 1)});
  llvm::Value* out = llvm::PoisonValue::get(z->getType());
  return b.CreateInsertValue(b.CreateInsertValue(out, b.CreateExtractValue(r, 0), 0), b.CreateExtractValue(r, 1), 1);
}

llvm::Value* FunctionLowering::call_math(const std::string& name, const Type* t, std::vector<llvm::Value*> args) {
  bool single = t->is_float() && t->bits() == 32;
  std::string symbol = single ? name + "f" : name;
  llvm::Type* ft = value_type(context(), t);
  std::vector<llvm::Type*> params(args.size(), ft);
  llvm::FunctionCallee callee = module().getOrInsertFunction(symbol, llvm::FunctionType::get(ft, params, false));
  auto* decl = llvm::cast<llvm::Function>(callee.getCallee());
  // libm functions as numjit calls them never touch memory: errno is not read.
  // Nor do they trap on any argument (a domain error gives NaN), so they may
  // run where the source did not ask: a loop-invariant call hoisted past a
  // loop's ZeroDivisionError check (`math.log(S[i] / X[i])` inside a Newton
  // loop), a call under an `if` vectorized for every lane.
  decl->setDoesNotAccessMemory();
  decl->setDoesNotThrow();
  decl->setWillReturn();
  decl->addFnAttr(llvm::Attribute::Speculatable);
  llvm::CallInst* call = builder_.CreateCall(callee, args);
  if (fn_.options.vector_math) attach_vector_variants(module(), module_.target(), call, symbol, static_cast<int>(args.size()));
  return call;
}

void FunctionLowering::emit_raise(ExceptionKind kind, const std::string& message) {
  if (enter_clause_directly(kind)) return;
  builder_.CreateCall(runtime_function(module(), RuntimeFunction::raise),
                      {builder_.getInt32(static_cast<int32_t>(kind)), module_.string_constant(message)});
  exit_function(builder_.getInt32(1));
}

void FunctionLowering::emit_raise_class(const hir::GlobalValue& exc_class, const std::string& message) {
  llvm::Value* cls = module_.object_address(builder_, exc_class.py_object, ModuleLowering::ImportKind::ExceptionClass,
                                            "exception class " + exc_class.name);
  builder_.CreateCall(runtime_function(module(), RuntimeFunction::set_error), {cls, module_.string_constant(message)});
  exit_function(builder_.getInt32(1));
}

void FunctionLowering::raise_if(llvm::Value* condition, ExceptionKind kind, const std::string& message) {
  raise_where(condition, kind, [&] {
    builder_.CreateCall(runtime_function(module(), RuntimeFunction::raise),
                        {builder_.getInt32(static_cast<int32_t>(kind)), module_.string_constant(message)});
  });
}

// Where `condition` holds, a cold branch enters an except clause that catches
// `kind` directly, or records the error (record_error, which may make
// temporaries: the cleanup block releases them) and leaves the function.
void FunctionLowering::raise_where(llvm::Value* condition, ExceptionKind kind,
                                   const std::function<void()>& record_error) {
  llvm::BasicBlock* fail = new_block("raise");
  llvm::BasicBlock* cont = new_block("ok");
  // Errors are cold: tell the optimizer so loops stay tight.
  llvm::MDBuilder md(context());
  builder_.CreateCondBr(condition, fail, cont, md.createBranchWeights(1, 1 << 20));
  builder_.SetInsertPoint(fail);
  if (!enter_clause_directly(kind)) {
    size_t mark = live_temporaries_.size();
    record_error();
    exit_function(builder_.getInt32(1));
    release_temporaries(mark);  // the block is left: only the bookkeeping
  }
  builder_.SetInsertPoint(cont);
}

}  // namespace numjit::lower
