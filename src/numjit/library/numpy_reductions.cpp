// Reductions: np.sum/prod/min/max/mean/var/std/argmin/argmax/any/all and the
// array methods of the same names, over a whole array or along one axis. The
// argument is consumed element by element (lazy arguments), so
// np.sum(x * y) makes no temporary array. Sums accumulate with reassociation
// allowed, which lets the vectorizer keep several partial sums (closer to
// NumPy's pairwise summation than one running sum, and faster).
#include <llvm/IR/Intrinsics.h>

#include <functional>
#include <limits>

#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;

enum class Reduction { Sum, Prod, Min, Max, Mean, Var, Std, ArgMin, ArgMax, Any, All };

const char* numpy_name(Reduction r) {
  switch (r) {
    case Reduction::Min: return "minimum";
    case Reduction::Max: return "maximum";
    default: return "";
  }
}

// The type NumPy's reduction of `dtype` produces.
const Type* result_dtype(Reduction r, const Type* dtype) {
  switch (r) {
    case Reduction::Sum:
    case Reduction::Prod:
      if (dtype->is_bool() || (dtype->is_integer() && dtype->is_signed())) return t::int64();
      if (dtype->is_integer()) return t::uint64();
      return dtype;
    case Reduction::Mean: return dtype->is_float() || dtype->is_complex() ? dtype : t::float64();
    case Reduction::Var:
    case Reduction::Std:
      if (dtype->is_complex()) return t::float_of(dtype->bits() / 2);
      return dtype->is_float() ? dtype : t::float64();
    case Reduction::ArgMin:
    case Reduction::ArgMax: return t::int64();
    case Reduction::Any:
    case Reduction::All: return t::boolean();
    default: return dtype;
  }
}

void allow_reassociation(llvm::Value* v) {
  if (auto* i = llvm::dyn_cast<llvm::Instruction>(v); i && llvm::isa<llvm::FPMathOperator>(i)) i->setHasAllowReassoc(true);
}

llvm::Value* accumulate(RowContext& f, hir::BinaryOp op, llvm::Value* acc, llvm::Value* v, const Type* t) {
  llvm::Value* r = f.binary_scalar(op, acc, v, t, {});
  if (t->is_complex()) return r;
  allow_reassociation(r);
  return r;
}

llvm::Value* is_nan(RowContext& f, llvm::Value* v, const Type* t) {
  auto& b = f.builder();
  if (t->is_complex())
    return b.CreateOr(b.CreateFCmpUNO(b.CreateExtractValue(v, 0), b.CreateExtractValue(v, 0)),
                      b.CreateFCmpUNO(b.CreateExtractValue(v, 1), b.CreateExtractValue(v, 1)));
  if (!t->is_float()) return b.getFalse();
  return b.CreateFCmpUNO(v, v);
}

// x < best (min) or x > best (max), in the element type; NaN counts as the extreme.
llvm::Value* better(RowContext& f, bool is_min, llvm::Value* x, llvm::Value* best, const Type* t) {
  auto& b = f.builder();
  llvm::Value* cmp;
  if (t->is_complex()) {  // lexicographic, as NumPy orders complex numbers
    llvm::Value* xr = b.CreateExtractValue(x, 0);
    llvm::Value* br = b.CreateExtractValue(best, 0);
    llvm::Value* xi = b.CreateExtractValue(x, 1);
    llvm::Value* bi = b.CreateExtractValue(best, 1);
    cmp = is_min ? b.CreateOr(b.CreateFCmpOLT(xr, br), b.CreateAnd(b.CreateFCmpOEQ(xr, br), b.CreateFCmpOLT(xi, bi)))
                 : b.CreateOr(b.CreateFCmpOGT(xr, br), b.CreateAnd(b.CreateFCmpOEQ(xr, br), b.CreateFCmpOGT(xi, bi)));
  } else if (t->is_float()) cmp = is_min ? b.CreateFCmpOLT(x, best) : b.CreateFCmpOGT(x, best);
  else if (t->is_signed()) cmp = is_min ? b.CreateICmpSLT(x, best) : b.CreateICmpSGT(x, best);
  else cmp = is_min ? b.CreateICmpULT(x, best) : b.CreateICmpUGT(x, best);
  return b.CreateOr(cmp, is_nan(f, x, t));
}

// better(), unless `best` holds a NaN: NumPy's extreme (and its position) is the first NaN met.
llvm::Value* better_than_kept(RowContext& f, bool is_min, llvm::Value* x, llvm::Value* best, const Type* t) {
  return f.builder().CreateAnd(f.builder().CreateNot(is_nan(f, best, t)), better(f, is_min, x, best, t));
}

llvm::Value* extreme_identity(RowContext& f, bool is_min, const Type* t) {
  llvm::Type* ty = codegen::value_type(f.context(), t);
  if (t->is_float()) return llvm::ConstantFP::getInfinity(ty, !is_min);
  if (t->is_complex()) {
    llvm::Type* part = ty->getStructElementType(0);
    llvm::Constant* inf = llvm::ConstantFP::getInfinity(part, !is_min);
    return llvm::ConstantStruct::get(llvm::cast<llvm::StructType>(ty), {inf, inf});
  }
  if (t->is_bool()) return f.builder().getInt1(is_min);
  unsigned bits = ty->getIntegerBitWidth();
  if (t->is_signed())
    return llvm::ConstantInt::get(ty, is_min ? llvm::APInt::getSignedMaxValue(bits) : llvm::APInt::getSignedMinValue(bits));
  return llvm::ConstantInt::get(ty, is_min ? llvm::APInt::getMaxValue(bits) : llvm::APInt::getMinValue(bits));
}

// llvm.maximum (minimum) of two floats: a NaN once met stays, as np.max
// keeps it; which zero of a +0.0/-0.0 tie is left open.
llvm::Value* nan_keeping_extreme(RowContext& f, bool is_min, llvm::Value* a, llvm::Value* b) {
  llvm::Value* next = f.call_intrinsic(is_min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum, a->getType(), {a, b});
  if (auto* call = llvm::dyn_cast<llvm::Instruction>(next)) {
    llvm::FastMathFlags flags;
    flags.setNoSignedZeros();
    call->setFastMathFlags(flags);
  }
  return next;
}

llvm::Value* zero_of(RowContext& f, const Type* t) { return f.cast(f.i64(0), t::int64(), t); }
llvm::Value* one_of(RowContext& f, const Type* t) { return f.cast(f.i64(1), t::int64(), t); }

llvm::Value* squared_magnitude(RowContext& f, llvm::Value* d, const Type* t, const Type* real) {
  auto& b = f.builder();
  if (!t->is_complex()) return b.CreateFMul(d, d);
  llvm::Value* re = b.CreateExtractValue(d, 0);
  llvm::Value* im = b.CreateExtractValue(d, 1);
  return f.cast(b.CreateFAdd(b.CreateFMul(re, re), b.CreateFMul(im, im)), t::float_of(t->bits() / 2), real);
}

using Partial = RowContext::Partial;
using FoldInputs = RowContext::FoldInputs;

// A fold step's partial: `after`, or for np.nan* reductions `before` where the element is NaN.
Partial unless_nan(RowContext& g, bool skip_nan, llvm::Value* v, const Type* vt, const Partial& before, Partial after) {
  if (!skip_nan || (!vt->is_float() && !vt->is_complex())) return after;
  llvm::Value* nan = is_nan(g, v, vt);
  for (size_t i = 0; i < after.size(); ++i) after[i] = g.builder().CreateSelect(nan, before[i], after[i]);
  return after;
}

// np.sum/prod/mean/var/std: the sum (or product) and the count of the
// elements taken, then for var/std the squares about their mean.
llvm::Value* reduce_all_arithmetic(RowContext& f, Reduction r, const hir::Expr& source, const Type* result,
                                   bool skip_nan) {
  auto& b = f.builder();
  const Type* dtype = source.type->dtype();
  const bool product = r == Reduction::Prod;
  const hir::BinaryOp op = product ? hir::BinaryOp::Mul : hir::BinaryOp::Add;
  // Mean/var of integers accumulate in float64; single precision accumulates in double, like NumPy's pairwise sum in accuracy.
  const Type* compute = r == Reduction::Sum || product ? result : (dtype->is_complex() ? dtype : t::float64());
  if (compute->is_float() && compute->bits() == 32) compute = t::float64();
  if (compute->is_complex() && compute->bits() == 64) compute = t::complex128();
  const Type* real = t::float64();
  RowContext::ElementFold totals;
  totals.partial_types = {codegen::value_type(f.context(), compute), b.getInt64Ty()};
  totals.identity = [=](RowContext& g) -> Partial { return {product ? one_of(g, compute) : zero_of(g, compute), g.i64(0)}; };
  totals.step = [=](RowContext& g, const Partial& p, llvm::Value* v, const Type* vt, const FoldInputs&) {
    return unless_nan(g, skip_nan, v, vt, p,
                      {accumulate(g, op, p[0], g.cast(v, vt, compute), compute), g.builder().CreateAdd(p[1], g.i64(1))});
  };
  totals.merge = [=](RowContext& g, const Partial& left, const Partial& right) -> Partial {
    // A side that took no element (the identity a partial starts from) is left
    // out rather than combined: (1+0j) * (inf+nanj) is nan+nanj, where the
    // serial product of that one element keeps inf+nanj.
    auto& gb = g.builder();
    llvm::Value* both = g.binary_scalar(op, left[0], right[0], compute, {});
    llvm::Value* value = gb.CreateSelect(gb.CreateICmpEQ(left[1], g.i64(0)), right[0],
                                         gb.CreateSelect(gb.CreateICmpEQ(right[1], g.i64(0)), left[0], both));
    return {value, gb.CreateAdd(left[1], right[1])};
  };
  auto mean_of = [compute](RowContext& g, const Partial& p) {
    return g.binary_numpy(hir::BinaryOp::TrueDiv, p[0], g.cast(p[1], t::int64(), compute), compute);
  };
  std::vector<RowContext::ElementFold> passes{totals};
  if (r == Reduction::Var || r == Reduction::Std) {
    RowContext::ElementFold squares;
    squares.partial_types = {b.getDoubleTy()};
    squares.identity = [](RowContext& g) -> Partial { return {llvm::ConstantFP::get(g.builder().getDoubleTy(), 0.0)}; };
    squares.step = [=](RowContext& g, const Partial& p, llvm::Value* v, const Type* vt, const FoldInputs& mean) {
      llvm::Value* d = g.binary_scalar(hir::BinaryOp::Sub, g.cast(v, vt, compute), mean[0], compute, {});
      return unless_nan(g, skip_nan, v, vt, p,
                        {accumulate(g, hir::BinaryOp::Add, p[0], squared_magnitude(g, d, compute, real), real)});
    };
    squares.merge = [](RowContext& g, const Partial& left, const Partial& right) -> Partial {
      return {g.builder().CreateFAdd(left[0], right[0])};
    };
    passes.push_back(squares);
  }
  std::vector<Partial> done = f.fold_elements_in_passes(
      source, passes, [&](size_t pass, const std::vector<Partial>& before) {
        return pass == 0 ? FoldInputs{} : FoldInputs{mean_of(f, before[0])};  // np.var's second pass: the mean
      });
  if (r == Reduction::Sum || product) return f.cast(done[0][0], compute, result);
  if (r == Reduction::Mean) return f.cast(mean_of(f, done[0]), compute, result);
  llvm::Value* var = b.CreateFDiv(done[1][0], f.cast(done[0][1], t::int64(), real));
  if (r == Reduction::Std) var = f.call_intrinsic(llvm::Intrinsic::sqrt, b.getDoubleTy(), {var});
  return f.cast(var, real, result);
}

// Whether a float array variable holds a number (not only NaNs): np.nanmax's
// check, made only when its extreme is the identity (-inf), so rarely.
llvm::Value* holds_a_number(RowContext& f, const hir::Expr& source) {
  RowContext::ElementFold any;
  any.partial_types = {f.builder().getInt1Ty()};
  any.identity = [](RowContext& g) -> Partial { return {g.builder().getFalse()}; };
  any.step = [](RowContext& g, const Partial& p, llvm::Value* v, const Type*, const FoldInputs&) -> Partial {
    return {g.builder().CreateOr(p[0], g.builder().CreateFCmpORD(v, v))};
  };
  any.merge = [](RowContext& g, const Partial& left, const Partial& right) -> Partial {
    return {g.builder().CreateOr(left[0], right[0])};
  };
  return f.fold_elements_in_passes(source, {any}, {})[0][0];
}

// np.min/max and np.nanmin/nanmax: the extreme, for np.nanmax of an
// expression how many numbers it saw, and the count of the elements taken.
llvm::Value* reduce_all_extreme(RowContext& f, Reduction r, const hir::Expr& source, bool skip_nan) {
  auto& b = f.builder();
  const Type* dtype = source.type->dtype();
  const bool is_min = r == Reduction::Min;
  const bool is_float = dtype->is_float();
  llvm::Type* acc_ty = codegen::value_type(f.context(), dtype);
  const llvm::Intrinsic::ID extreme_of = is_min ? llvm::Intrinsic::minnum : llvm::Intrinsic::maxnum;
  const llvm::Intrinsic::ID propagating = is_min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum;
  // np.nanmax of an array variable reads it again, in the rare case its
  // extreme is the identity, to tell an array of NaNs apart; an expression's
  // elements (calls among them) are read once, so it counts the numbers it
  // saw: an add per vector, 1.28x NumPy's np.nanmax.
  const bool counts_numbers = is_float && skip_nan && source.kind != hir::ExprKind::Local;
  RowContext::ElementFold fold;
  // The extreme, for np.nanmax how many numbers it saw (NaN elements skipped),
  // and the count of elements.
  fold.partial_types = {acc_ty, b.getInt64Ty(), b.getInt64Ty()};
  fold.identity = [=](RowContext& g) -> Partial {
    return {extreme_identity(g, is_min, dtype), g.i64(0), g.i64(0)};
  };
  fold.step = [=](RowContext& g, const Partial& p, llvm::Value* v, const Type* vt, const FoldInputs&) -> Partial {
    auto& gb = g.builder();
    llvm::Value* x = g.cast(v, vt, dtype);
    llvm::Value* count = gb.CreateAdd(p[2], g.i64(1));
    if (!is_float) {
      llvm::Value* take = better_than_kept(g, is_min, x, p[0], dtype);  // complex: the first NaN stays
      return unless_nan(g, skip_nan, x, dtype, p, {gb.CreateSelect(take, x, p[0]), p[1], count});
    }
    // Floats, np.max/np.min: llvm.maximum/minimum keep a NaN once met, which
    // x86 lowers as NumPy's own loop does (vmaxpd, and a masked move where
    // the running value is NaN). Tracking the NaN as a reduction of its own
    // (a compare, and an i1 or i64 accumulator) cost 4-5 instructions per
    // vector and ran 1.25x NumPy's time on 10**7 doubles; this runs 1.08x.
    // np.nanmax: a NaN becomes the identity, and a second reduction says
    // whether any number was seen (NumPy's all-NaN result is NaN).
    if (!skip_nan) return {nan_keeping_extreme(g, is_min, p[0], x), p[1], count};
    llvm::FastMathFlags flags;
    flags.setNoSignedZeros();
    llvm::Value* x_is_nan = gb.CreateFCmpUNO(x, x);
    llvm::Value* seen = counts_numbers ? gb.CreateAdd(p[1], gb.CreateZExt(gb.CreateNot(x_is_nan), gb.getInt64Ty())) : p[1];
    x = gb.CreateSelect(x_is_nan, extreme_identity(g, is_min, dtype), x);
    flags.setNoNaNs();
    llvm::Value* next = g.call_intrinsic(extreme_of, acc_ty, {p[0], x});
    llvm::cast<llvm::Instruction>(next)->setFastMathFlags(flags);
    return {next, seen, count};
  };
  fold.merge = [=](RowContext& g, const Partial& left, const Partial& right) -> Partial {
    auto& gb = g.builder();
    llvm::Value* best = is_float ? g.call_intrinsic(skip_nan ? extreme_of : propagating, acc_ty, {left[0], right[0]})
                                 : gb.CreateSelect(better_than_kept(g, is_min, right[0], left[0], dtype), right[0],
                                                   left[0]);
    return {best, gb.CreateAdd(left[1], right[1]), gb.CreateAdd(left[2], right[2])};
  };
  Partial done = f.fold_elements_in_passes(source, {fold}, {})[0];
  std::string operation = skip_nan ? (is_min ? "fmin" : "fmax") : numpy_name(r);
  f.raise_if(b.CreateICmpEQ(done[2], f.i64(0)), abi::ExceptionKind::ValueError,
             "zero-size array to reduction operation " + operation + " which has no identity");
  if (!is_float || !skip_nan) return done[0];
  // Nothing but NaNs: NumPy's np.nanmax gives NaN.
  llvm::Constant* nan = llvm::ConstantFP::getNaN(acc_ty);
  if (counts_numbers) return b.CreateSelect(b.CreateICmpEQ(done[1], f.i64(0)), nan, done[0]);
  llvm::Value* identity = extreme_identity(f, is_min, dtype);
  llvm::BasicBlock* before = b.GetInsertBlock();
  llvm::BasicBlock* check = f.new_block("nanmax.identity");
  llvm::BasicBlock* joined = f.new_block("nanmax.joined");
  b.CreateCondBr(b.CreateFCmpOEQ(done[0], identity), check, joined);
  b.SetInsertPoint(check);
  llvm::Value* checked = b.CreateSelect(holds_a_number(f, source), identity, nan);
  llvm::BasicBlock* check_end = b.GetInsertBlock();
  b.CreateBr(joined);
  b.SetInsertPoint(joined);
  llvm::PHINode* result = b.CreatePHI(acc_ty, 2);
  result->addIncoming(done[0], before);
  result->addIncoming(checked, check_end);
  return result;
}

// np.argmin/argmax in one pass (expressions, integers, booleans, complex
// numbers): the extreme, its position among the partial's elements and their
// count. Merged in order, a right partial's positions move past the left
// one's count, so a chunk's own positions become the array's.
Partial fold_position_of_extreme(RowContext& f, bool is_min, const hir::Expr& source) {
  auto& b = f.builder();
  const Type* dtype = source.type->dtype();
  RowContext::ElementFold fold;
  fold.partial_types = {codegen::value_type(f.context(), dtype), b.getInt64Ty(), b.getInt64Ty()};
  fold.identity = [=](RowContext& g) -> Partial { return {extreme_identity(g, is_min, dtype), g.i64(0), g.i64(0)}; };
  fold.step = [=](RowContext& g, const Partial& p, llvm::Value* v, const Type* vt, const FoldInputs&) -> Partial {
    auto& gb = g.builder();
    llvm::Value* x = g.cast(v, vt, dtype);
    // The first NaN wins and stays.
    llvm::Value* take = better_than_kept(g, is_min, x, p[0], dtype);
    return {gb.CreateSelect(take, x, p[0]), gb.CreateSelect(take, p[2], p[1]), gb.CreateAdd(p[2], g.i64(1))};
  };
  fold.merge = [=](RowContext& g, const Partial& left, const Partial& right) -> Partial {
    auto& gb = g.builder();
    llvm::Value* better_right = better_than_kept(g, is_min, right[0], left[0], dtype);
    llvm::Value* take = gb.CreateAnd(gb.CreateICmpSGT(right[2], g.i64(0)),
                                     gb.CreateOr(gb.CreateICmpEQ(left[2], g.i64(0)), better_right));
    return {gb.CreateSelect(take, right[0], left[0]), gb.CreateSelect(take, gb.CreateAdd(left[2], right[1]), left[1]),
            gb.CreateAdd(left[2], right[2])};
  };
  Partial done = f.fold_elements_in_passes(source, {fold}, {})[0];
  return {done[1], done[2]};
}

// np.argmin/argmax of floats in two passes the vectorizer takes: the extreme
// (a NaN once met, as np.max), then the first position holding it (a NaN,
// when the extreme is one). Ties between +0.0 and -0.0 need no care: NumPy's
// `>` never prefers one, so the first zero is its answer too. A single pass that carries the position beside the extreme is the
// argmax shape LLVM cannot vectorize: it ran 2.5x Numba's time and 11x
// NumPy's on 10**6 doubles.
Partial fold_first_position_of_extreme(RowContext& f, bool is_min, const hir::Expr& source) {
  auto& b = f.builder();
  const Type* dtype = source.type->dtype();
  llvm::Type* value_ty = codegen::value_type(f.context(), dtype);
  llvm::Value* none = f.i64(std::numeric_limits<int64_t>::max());
  RowContext::ElementFold extreme;
  extreme.partial_types = {value_ty};
  extreme.identity = [=](RowContext& g) -> Partial { return {extreme_identity(g, is_min, dtype)}; };
  extreme.step = [=](RowContext& g, const Partial& p, llvm::Value* v, const Type* vt, const FoldInputs&) -> Partial {
    return {nan_keeping_extreme(g, is_min, p[0], g.cast(v, vt, dtype))};
  };
  extreme.merge = [=](RowContext& g, const Partial& left, const Partial& right) -> Partial {
    return {nan_keeping_extreme(g, is_min, left[0], right[0])};
  };
  // The first position holding the extreme (`none` while there is none), and
  // the count of elements.
  RowContext::ElementFold first;
  first.partial_types = {b.getInt64Ty(), b.getInt64Ty()};
  first.identity = [=](RowContext& g) -> Partial { return {none, g.i64(0)}; };
  first.step = [=](RowContext& g, const Partial& p, llvm::Value* v, const Type* vt, const FoldInputs& in) -> Partial {
    auto& gb = g.builder();
    llvm::Value* x = g.cast(v, vt, dtype);
    llvm::Value* holds = gb.CreateOr(gb.CreateFCmpOEQ(x, in[0]), gb.CreateAnd(gb.CreateFCmpUNO(x, x), in[1]));
    llvm::Value* position = gb.CreateSelect(holds, p[1], none);
    return {g.call_intrinsic(llvm::Intrinsic::smin, gb.getInt64Ty(), {p[0], position}), gb.CreateAdd(p[1], g.i64(1))};
  };
  first.merge = [=](RowContext& g, const Partial& left, const Partial& right) -> Partial {
    auto& gb = g.builder();
    llvm::Value* right_position = gb.CreateSelect(gb.CreateICmpEQ(right[0], none), none, gb.CreateAdd(left[1], right[0]));
    return {gb.CreateSelect(gb.CreateICmpEQ(left[0], none), right_position, left[0]), gb.CreateAdd(left[1], right[1])};
  };
  std::vector<Partial> done = f.fold_elements_in_passes(
      source, {extreme, first}, [&](size_t pass, const std::vector<Partial>& before) -> FoldInputs {
        if (pass == 0) return {};
        llvm::Value* m = before[0][0];
        return {m, f.builder().CreateFCmpUNO(m, m)};
      });
  return done[1];
}

// np.argmin/argmax of a C-contiguous array of numbers in one pass, as
// NumPy's loop: each block's extreme (llvm.maximum, or the integers' max,
// vectorized over a block that stays in L1), the first block whose extreme
// is beyond the best so far (or the first block holding a NaN), then the
// first position in that block holding it. The two folds read a 10**6-element array twice: 0.56 ms against
// NumPy's 0.27-0.41. Returns the position and the element count.
Partial position_by_blocks(RowContext& f, bool is_min, llvm::Value* array, const Type* type) {
  constexpr int64_t kBlock = 2048;  // 16 KiB of doubles
  auto& b = f.builder();
  const Type* dtype = type->dtype();
  llvm::Type* value_ty = codegen::value_type(f.context(), dtype);
  llvm::Type* memory_ty = codegen::memory_type(f.context(), dtype);
  llvm::Value* data = b.CreateExtractValue(array, codegen::kArrayData);
  llvm::Value* n = f.array_size(array, type);
  const bool is_float = dtype->is_float();
  llvm::Value* identity = extreme_identity(f, is_min, dtype);
  auto keep = [&](llvm::Value* so_far, llvm::Value* x) -> llvm::Value* {
    return is_float ? nan_keeping_extreme(f, is_min, so_far, x)
                    : b.CreateSelect(better(f, is_min, x, so_far, dtype), x, so_far);
  };
  auto element = [&](llvm::Value* i) { return f.load_element(b.CreateInBoundsGEP(memory_ty, data, i), dtype); };
  auto block_bounds = [&](llvm::Value* block) {
    llvm::Value* start = b.CreateMul(block, f.i64(kBlock));
    return std::pair{start, f.call_intrinsic(llvm::Intrinsic::smin, b.getInt64Ty(), {f.i64(kBlock), b.CreateSub(n, start)})};
  };
  llvm::AllocaInst* best = f.entry_alloca(value_ty, "argmax.best");
  llvm::AllocaInst* best_block = f.entry_alloca(b.getInt64Ty(), "argmax.block");
  llvm::AllocaInst* block_extreme = f.entry_alloca(value_ty, "argmax.block_extreme");
  b.CreateStore(identity, best);
  b.CreateStore(f.i64(0), best_block);
  llvm::Value* blocks = b.CreateUDiv(b.CreateAdd(n, f.i64(kBlock - 1)), f.i64(kBlock));
  f.counted_loop(blocks, "argmax.blocks", [&](llvm::Value* block) {
    auto [start, length] = block_bounds(block);
    b.CreateStore(identity, block_extreme);
    f.counted_loop(length, "argmax.extreme", [&](llvm::Value* i) {
      b.CreateStore(keep(b.CreateLoad(value_ty, block_extreme), element(b.CreateAdd(start, i))), block_extreme);
    });
    llvm::Value* m = b.CreateLoad(value_ty, block_extreme);
    llvm::Value* so_far = b.CreateLoad(value_ty, best);
    // A NaN block is taken once: after it, nothing compares beyond a NaN.
    llvm::Value* take = better(f, is_min, m, so_far, dtype);
    if (is_float) take = b.CreateAnd(take, b.CreateFCmpORD(so_far, so_far));
    b.CreateStore(b.CreateSelect(take, m, so_far), best);
    b.CreateStore(b.CreateSelect(take, block, b.CreateLoad(b.getInt64Ty(), best_block)), best_block);
  });
  llvm::Value* extreme = b.CreateLoad(value_ty, best);
  llvm::Value* extreme_is_nan = is_float ? b.CreateFCmpUNO(extreme, extreme) : b.getFalse();
  auto [start, length] = block_bounds(b.CreateLoad(b.getInt64Ty(), best_block));
  llvm::Value* none = f.i64(std::numeric_limits<int64_t>::max());
  llvm::AllocaInst* first = f.entry_alloca(b.getInt64Ty(), "argmax.first");
  b.CreateStore(none, first);
  f.counted_loop(length, "argmax.find", [&](llvm::Value* i) {
    llvm::Value* x = element(b.CreateAdd(start, i));
    llvm::Value* holds = is_float ? b.CreateOr(b.CreateFCmpOEQ(x, extreme), b.CreateAnd(b.CreateFCmpUNO(x, x), extreme_is_nan))
                                  : b.CreateICmpEQ(x, extreme);
    b.CreateStore(f.call_intrinsic(llvm::Intrinsic::smin, b.getInt64Ty(),
                                   {b.CreateLoad(b.getInt64Ty(), first), b.CreateSelect(holds, i, none)}),
                  first);
  });
  return {b.CreateAdd(start, b.CreateLoad(b.getInt64Ty(), first)), n};
}

// `array`'s position by blocks where it is C-contiguous at run time, else
// by `folds` (a view with strides, or F order).
Partial by_blocks_where_contiguous(RowContext& f, bool is_min, llvm::Value* array, const Type* type,
                                   const std::function<Partial()>& folds) {
  if (type->layout == t::Layout::C) return position_by_blocks(f, is_min, array, type);
  auto& b = f.builder();
  llvm::BasicBlock* by_blocks = f.new_block("argmax.contiguous");
  llvm::BasicBlock* by_folds = f.new_block("argmax.strided");
  llvm::BasicBlock* joined = f.new_block("argmax.joined");
  b.CreateCondBr(f.contiguous_in_order(array, type, /*c_order=*/true), by_blocks, by_folds);
  b.SetInsertPoint(by_blocks);
  Partial blocked = position_by_blocks(f, is_min, array, type);
  llvm::BasicBlock* blocked_end = b.GetInsertBlock();
  b.CreateBr(joined);
  b.SetInsertPoint(by_folds);
  Partial folded = folds();
  llvm::BasicBlock* folded_end = b.GetInsertBlock();
  b.CreateBr(joined);
  b.SetInsertPoint(joined);
  Partial done;
  for (size_t k = 0; k < 2; ++k) {
    llvm::PHINode* phi = b.CreatePHI(b.getInt64Ty(), 2);
    phi->addIncoming(blocked[k], blocked_end);
    phi->addIncoming(folded[k], folded_end);
    done.push_back(phi);
  }
  return done;
}

// np.argmin/argmax over the whole array: the position, raising for an empty
// array. An array variable of numbers goes by blocks where it is
// C-contiguous, unless parallel=True shares the folds among threads. The folds
// take a float array variable in two passes; expressions, integers, booleans
// and complex numbers in one,
// where the integers' compare and position become a branch
// (codegen/predicted_running_compares.h: int64 0.30 ms, two passes 0.57 ms).
llvm::Value* reduce_all_position(RowContext& f, Reduction r, const hir::Expr& source) {
  const Type* dtype = source.type->dtype();
  const bool is_min = r == Reduction::ArgMin;
  // Two passes read an array variable's elements twice; an expression's
  // would be computed twice, and a math function (np.sin) may round an
  // element differently in a vectorized pass and a scalar remainder, so
  // that the second pass would not find the first's extreme: one pass.
  auto folds = [&] {
    return dtype->is_float() && source.kind == hir::ExprKind::Local ? fold_first_position_of_extreme(f, is_min, source)
                                                                    : fold_position_of_extreme(f, is_min, source);
  };
  const bool blocks = (dtype->is_float() || dtype->is_integer()) && source.kind == hir::ExprKind::Local &&
                      !f.may_share_reductions();
  Partial done = blocks ? by_blocks_where_contiguous(f, is_min, f.expr(source), source.type, folds) : folds();
  f.raise_if(f.builder().CreateICmpEQ(done[1], f.i64(0)), abi::ExceptionKind::ValueError,
             std::string("attempt to get ") + (is_min ? "argmin" : "argmax") + " of an empty sequence");
  return done[0];
}

// Whole-array reductions.
llvm::Value* reduce_all(RowContext& f, Reduction r, const hir::Expr& source, const Type* result, bool skip_nan) {
  auto& b = f.builder();
  switch (r) {
    case Reduction::Sum:
    case Reduction::Prod:
    case Reduction::Mean:
    case Reduction::Var:
    case Reduction::Std: return reduce_all_arithmetic(f, r, source, result, skip_nan);
    case Reduction::Min:
    case Reduction::Max: return reduce_all_extreme(f, r, source, skip_nan);
    case Reduction::ArgMin:
    case Reduction::ArgMax: return reduce_all_position(f, r, source);
    case Reduction::Any:
    case Reduction::All: {
      const bool any = r == Reduction::Any;
      RowContext::ElementFold fold;
      fold.partial_types = {b.getInt1Ty()};
      fold.identity = [any](RowContext& g) -> Partial { return {g.builder().getInt1(!any)}; };
      fold.step = [any](RowContext& g, const Partial& p, llvm::Value* v, const Type* vt, const FoldInputs&) -> Partial {
        llvm::Value* truth = g.truth(v, vt);
        return {any ? g.builder().CreateOr(p[0], truth) : g.builder().CreateAnd(p[0], truth)};
      };
      fold.merge = [any](RowContext& g, const Partial& left, const Partial& right) -> Partial {
        return {any ? g.builder().CreateOr(left[0], right[0]) : g.builder().CreateAnd(left[0], right[0])};
      };
      return f.fold_elements_in_passes(source, {fold}, {})[0][0];
    }
  }
  return nullptr;
}

// Reductions along one axis: sum/prod/min/max/mean/any/all.
llvm::Value* reduce_along(RowContext& f, Reduction r, const hir::Expr& source, int axis, const Type* out_type) {
  auto& b = f.builder();
  const Type* dtype = out_type->dtype();
  bool is_min = r == Reduction::Min;
  llvm::Value* identity;
  switch (r) {
    case Reduction::Prod: identity = one_of(f, dtype); break;
    case Reduction::Min:
    case Reduction::Max: identity = extreme_identity(f, is_min, dtype); break;
    case Reduction::All: identity = b.getTrue(); break;
    case Reduction::Any: identity = b.getFalse(); break;
    default: identity = zero_of(f, dtype);
  }
  llvm::Value* extent = nullptr;
  llvm::Value* out = f.reduce_axis(source, axis, out_type, identity, &extent,
                                   [&](llvm::Value* acc, llvm::Value* v, const Type* vt) -> llvm::Value* {
    switch (r) {
      case Reduction::Min:
      case Reduction::Max: {
        llvm::Value* x = f.cast(v, vt, dtype);
        // llvm.maximum propagates NaN as NumPy does and vectorizes; the select needs the NaN test of acc.
        if (dtype->is_float())
          return f.call_intrinsic(is_min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum, acc->getType(), {acc, x});
        return b.CreateSelect(better_than_kept(f, is_min, x, acc, dtype), x, acc);
      }
      case Reduction::Any: return b.CreateOr(acc, f.truth(v, vt));
      case Reduction::All: return b.CreateAnd(acc, f.truth(v, vt));
      case Reduction::Prod: return accumulate(f, hir::BinaryOp::Mul, acc, f.cast(v, vt, dtype), dtype);
      default: return accumulate(f, hir::BinaryOp::Add, acc, f.cast(v, vt, dtype), dtype);
    }
  });
  if (r == Reduction::Min || r == Reduction::Max) {
    // The result made for the reduction is released before the error leaves.
    llvm::BasicBlock* empty = f.new_block("reduce.empty");
    llvm::BasicBlock* filled = f.new_block("reduce.filled");
    b.CreateCondBr(b.CreateICmpEQ(extent, f.i64(0)), empty, filled);
    b.SetInsertPoint(empty);
    f.decref(out, out_type);
    f.raise_if(b.getTrue(), abi::ExceptionKind::ValueError,
               std::string("zero-size array to reduction operation ") + numpy_name(r) + " which has no identity");
    b.CreateBr(filled);
    b.SetInsertPoint(filled);
  }
  if (r == Reduction::Mean) {
    llvm::Value* data = b.CreateExtractValue(out, codegen::kArrayData);
    llvm::Type* elem = codegen::memory_type(f.context(), dtype);
    llvm::Value* n = f.cast(extent, t::int64(), dtype);
    f.counted_loop(f.array_size(out, out_type), "mean", [&](llvm::Value* i) {
      llvm::Value* p = b.CreateInBoundsGEP(elem, data, i);
      b.CreateStore(f.binary_numpy(hir::BinaryOp::TrueDiv, b.CreateLoad(elem, p), n, dtype), p);
    });
  }
  return out;
}

struct Spec {
  const char* name;
  Reduction reduction;
  bool axis_supported;
};

Builtin reduction_row(const std::string& name, Reduction r, bool axis_supported, bool skip_nan = false) {
  TypingRule typing = [r, axis_supported, name](const CallSite& c) -> std::optional<Signature> {
    auto b = bind(c, {"a", "axis"});
    if (!b || !b->has(0)) return std::nullopt;
    const Type* a = c.args[b->index[0]];
    if (!a->is_array()) return std::nullopt;
    const Type* dtype = result_dtype(r, a->dtype());
    if (!b->has(1) || c.args[b->index[1]]->kind == t::TypeKind::NoneType) return Signature{dtype, {}};
    const hir::Expr& axis_expr = argument_expr(c.call, b->index[1]);
    std::optional<int64_t> axis = constant_int(axis_expr);
    if (!axis) unsupported(axis_expr.span, name + "(): axis must be an integer constant in compiled code");
    if (!axis_supported) unsupported(axis_expr.span, name + "() with axis= is not supported yet");
    if (*axis < -a->ndim || *axis >= a->ndim)
      typing_error(axis_expr.span, "axis " + std::to_string(*axis) + " is out of bounds for array of dimension " +
                                       std::to_string(a->ndim));
    if (a->ndim == 1) return Signature{dtype, {}};
    return Signature{t::array(dtype->scalar, a->ndim - 1, t::Layout::C), {}};
  };
  LoweringRule lowering = [r, skip_nan](RowContext& f, const hir::Expr& call, const Signature& s,
                                        std::vector<llvm::Value*>) -> llvm::Value* {
    const hir::Expr& source = argument_expr(call, 0);
    if (!s.result->is_array()) return reduce_all(f, r, source, s.result, skip_nan);
    BoundArguments bound = bound_arguments(s);
    int64_t axis = *constant_int(argument_expr(call, bound.index[1]));
    if (axis < 0) axis += source.type->ndim;
    return reduce_along(f, r, source, static_cast<int>(axis), s.result);
  };
  Builtin row{name, typing, lowering, true};
  row.lazy_arguments = true;
  return row;
}

}  // namespace

void register_numpy_reductions(std::vector<Builtin>& table) {
  const Spec specs[] = {
      {"sum", Reduction::Sum, true},       {"prod", Reduction::Prod, true},     {"min", Reduction::Min, true},
      {"max", Reduction::Max, true},       {"amin", Reduction::Min, true},      {"amax", Reduction::Max, true},
      {"mean", Reduction::Mean, true},     {"var", Reduction::Var, false},      {"std", Reduction::Std, false},
      {"argmin", Reduction::ArgMin, false}, {"argmax", Reduction::ArgMax, false}, {"any", Reduction::Any, true},
      {"all", Reduction::All, true},
  };
  for (const Spec& spec : specs) {
    table.push_back(reduction_row(std::string("np.") + spec.name, spec.reduction, spec.axis_supported));
    table.push_back(reduction_row(std::string("array.") + spec.name, spec.reduction, spec.axis_supported));
  }
  const Spec nan_specs[] = {{"nansum", Reduction::Sum, false},  {"nanprod", Reduction::Prod, false},
                            {"nanmin", Reduction::Min, false},  {"nanmax", Reduction::Max, false},
                            {"nanmean", Reduction::Mean, false}, {"nanvar", Reduction::Var, false},
                            {"nanstd", Reduction::Std, false}};
  table.push_back(reduction_row("np.average", Reduction::Mean, true));  // without weights: the mean
  for (const Spec& spec : nan_specs)
    table.push_back(reduction_row(std::string("np.") + spec.name, spec.reduction, spec.axis_supported, true));
}

}  // namespace numjit::library
