// Order statistics and counting: np.median, np.searchsorted, np.bincount,
// np.unique, np.histogram. They work on a sorted or flattened contiguous copy, so any
// layout is accepted.
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;
using t::Layout;

void sort_contiguous(RowContext& f, llvm::Value* array, llvm::Value* n, const Type* dtype) {
  auto& b = f.builder();
  llvm::FunctionCallee sort = codegen::runtime_function(f.module(), codegen::RuntimeFunction::sort);
  b.CreateCall(sort, {b.CreateExtractValue(array, codegen::kArrayData), n, b.getInt32(static_cast<int32_t>(dtype->scalar))});
}

llvm::Value* element(RowContext& f, llvm::Value* array, llvm::Value* i, const Type* dtype) {
  auto& b = f.builder();
  return f.load_element(b.CreateInBoundsGEP(codegen::memory_type(f.context(), dtype), b.CreateExtractValue(array, codegen::kArrayData), i), dtype);
}

// np.median(a): the middle of a copy (the mean of the two middle values for
// an even count); NaN when a NaN is present, as NumPy.
std::optional<Signature> median_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array() || c.args[0]->dtype()->is_complex()) return std::nullopt;
  const Type* d = c.args[0]->dtype();
  return Signature{d->is_float() ? d : t::float64(), {c.args[0]}};
}

llvm::Value* median_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* at = s.params[0];
  const Type* dtype = at->dtype();
  // A C-contiguous argument is copied by the selection's first pass itself.
  bool contiguous = at->layout == Layout::C || at->ndim <= 1 && at->layout != Layout::Any;
  llvm::Value* copy = contiguous ? f.scratch_array(t::array(dtype->scalar, 1, Layout::C), {f.array_size(args[0], at)})
                                 : f.copy_as(args[0], at, dtype);
  llvm::Value* n = f.array_size(args[0], at);
  // The middle element by selection, O(n); for an even count the one below
  // it is the largest of the lower half, which a second selection over that
  // half puts at its end (the runtime ignores it for an odd count).
  llvm::Value* half = b.CreateSDiv(n, f.i64(2));
  llvm::FunctionCallee select = codegen::runtime_function(f.module(), codegen::RuntimeFunction::select);
  llvm::Value* data = b.CreateExtractValue(copy, codegen::kArrayData);
  llvm::Value* kind = b.getInt32(static_cast<int32_t>(dtype->scalar));
  llvm::Value* source = contiguous ? b.CreateExtractValue(args[0], codegen::kArrayData) : data;
  b.CreateCall(select, {source, data, n, half, kind});
  b.CreateCall(select, {data, data, half, b.CreateSub(b.CreateSub(n, f.i64(1)), half), kind});
  const Type* r = s.result;
  llvm::Value* result = f.entry_alloca(codegen::value_type(f.context(), r), "median");
  b.CreateStore(llvm::ConstantFP::getNaN(codegen::value_type(f.context(), r)), result);
  llvm::BasicBlock* some = llvm::BasicBlock::Create(f.context(), "median.some", b.GetInsertBlock()->getParent());
  llvm::BasicBlock* done = llvm::BasicBlock::Create(f.context(), "median.done", b.GetInsertBlock()->getParent());
  b.CreateCondBr(b.CreateICmpSGT(n, f.i64(0)), some, done);
  b.SetInsertPoint(some);
  llvm::Value* upper = f.cast(element(f, copy, half, dtype), dtype, r);
  llvm::Value* lower_value = f.cast(element(f, copy, b.CreateSub(b.CreateSub(n, f.i64(1)), half), dtype), dtype, r);
  llvm::Value* mid = b.CreateFMul(b.CreateFAdd(lower_value, upper), llvm::ConstantFP::get(upper->getType(), 0.5));
  // NaNs sort last: one anywhere makes the median NaN.
  llvm::Value* last = f.cast(element(f, copy, b.CreateSub(n, f.i64(1)), dtype), dtype, r);
  b.CreateStore(b.CreateSelect(b.CreateFCmpUNO(last, last), last, mid), result);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  return b.CreateLoad(codegen::value_type(f.context(), r), result);
}

// np.searchsorted(a, v, side='left'): binary search in a sorted 1-D array,
// for a scalar v (an int) or each element of an array v (an int64 array).
std::optional<Signature> searchsorted_typing(const CallSite& c) {
  auto b = bind(c, {"a", "v", "side"});
  if (!b || !b->has(0) || !b->has(1)) return std::nullopt;
  const Type* a = c.args[b->index[0]];
  const Type* v = c.args[b->index[1]];
  if (!a->is_array() || a->ndim != 1 || a->dtype()->is_complex()) return std::nullopt;
  if (b->has(2)) {
    const hir::Expr& side = argument_expr(c.call, b->index[2]);
    if (side.kind != hir::ExprKind::Const || side.constant.kind != hir::Constant::Kind::Str ||
        (side.constant.str_value != "left" && side.constant.str_value != "right"))
      typing_error(side.span, "side must be the constant 'left' or 'right'");
  }
  if (v->is_scalar() && !v->is_complex()) return Signature{t::int64(), {}};
  if (v->is_array() && !v->dtype()->is_complex()) return Signature{t::array(abi::ScalarKind::Int64, v->ndim, Layout::C), {}};
  return std::nullopt;
}

llvm::Value* searchsorted_lowering(RowContext& f, const hir::Expr& call, const Signature& s,
                                   std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  BoundArguments bound = bound_arguments(s);
  bool right = bound.has(2) && argument_expr(call, bound.index[2]).constant.str_value == "right";
  const Type* at = s.args[bound.index[0]];
  const Type* vt = s.args[bound.index[1]];
  llvm::Value* a = args[bound.index[0]];
  llvm::Value* n = f.array_dim(a, codegen::kArrayShape, 0);
  llvm::Value* stride = f.array_dim(a, codegen::kArrayStrides, 0);
  llvm::Value* data = b.CreateExtractValue(a, codegen::kArrayData);
  const Type* common = t::promote_numeric(at->dtype(), t::element_type(vt));
  llvm::Value* lo = f.entry_alloca(b.getInt64Ty(), "search.lo");
  llvm::Value* hi = f.entry_alloca(b.getInt64Ty(), "search.hi");
  // The first index whose element is >= v ('left') or > v ('right').
  auto search = [&](llvm::Value* key) {
    b.CreateStore(f.i64(0), lo);
    b.CreateStore(n, hi);
    llvm::Function* fn = b.GetInsertBlock()->getParent();
    llvm::BasicBlock* cond = llvm::BasicBlock::Create(f.context(), "search.cond", fn);
    llvm::BasicBlock* body = llvm::BasicBlock::Create(f.context(), "search.body", fn);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(f.context(), "search.done", fn);
    b.CreateBr(cond);
    b.SetInsertPoint(cond);
    llvm::Value* l = b.CreateLoad(b.getInt64Ty(), lo);
    llvm::Value* h = b.CreateLoad(b.getInt64Ty(), hi);
    b.CreateCondBr(b.CreateICmpSLT(l, h), body, done);
    b.SetInsertPoint(body);
    llvm::Value* mid = b.CreateAdd(l, b.CreateLShr(b.CreateSub(h, l), f.i64(1)));
    llvm::Value* x = f.cast(f.load_element(b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(mid, stride)), at->dtype()),
                            at->dtype(), common);
    llvm::Value* go_right;
    if (common->is_float()) {
      // NumPy's order, where NaN is the largest value (a sorted array keeps its NaNs last):
      // x < key, or key NaN and x not; 'right' goes on while not key < x.
      auto numpy_less = [&](llvm::Value* p, llvm::Value* q) {
        return b.CreateOr(b.CreateFCmpOLT(p, q), b.CreateAnd(b.CreateFCmpUNO(q, q), b.CreateFCmpORD(p, p)));
      };
      go_right = right ? b.CreateNot(numpy_less(key, x)) : numpy_less(x, key);
    } else if (common->is_signed()) go_right = right ? b.CreateICmpSLE(x, key) : b.CreateICmpSLT(x, key);
    else go_right = right ? b.CreateICmpULE(x, key) : b.CreateICmpULT(x, key);
    b.CreateStore(b.CreateSelect(go_right, b.CreateAdd(mid, f.i64(1)), l), lo);
    b.CreateStore(b.CreateSelect(go_right, h, mid), hi);
    b.CreateBr(cond);
    b.SetInsertPoint(done);
    return b.CreateLoad(b.getInt64Ty(), lo);
  };
  llvm::Value* v = args[bound.index[1]];
  if (!vt->is_array()) return search(f.cast(v, vt, common));
  std::vector<llvm::Value*> shape;
  for (int d = 0; d < vt->ndim; ++d) shape.push_back(f.array_dim(v, codegen::kArrayShape, d));
  llvm::Value* keys = f.copy_as(v, vt, common);
  llvm::Value* out = f.allocate_array(s.result, shape, false);
  llvm::Value* out_data = b.CreateExtractValue(out, codegen::kArrayData);
  f.counted_loop(f.array_size(keys, vt), "searchsorted", [&](llvm::Value* i) {
    b.CreateStore(search(element(f, keys, i, common)), b.CreateInBoundsGEP(b.getInt64Ty(), out_data, i));
  });
  return out;
}

// np.bincount(x, minlength=0): counts of each non-negative integer in a 1-D array.
std::optional<Signature> bincount_typing(const CallSite& c) {
  auto b = bind(c, {"x", "weights", "minlength"});
  if (!b || !b->has(0) || b->has(1)) return std::nullopt;
  const Type* x = c.args[b->index[0]];
  if (!x->is_array() || x->ndim != 1 || !(x->dtype()->is_integer() || x->dtype()->is_bool())) return std::nullopt;
  return Signature{t::array(abi::ScalarKind::Int64, 1, Layout::C), {}};
}

llvm::Value* bincount_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* xt = argument_expr(call, 0).type;
  llvm::Value* x = args[0];
  llvm::Value* minlength = args.size() > 1 ? f.cast(args.back(), argument_expr(call, args.size() - 1).type, t::int64()) : f.i64(0);
  llvm::Value* n = f.array_dim(x, codegen::kArrayShape, 0);
  llvm::Value* stride = f.array_dim(x, codegen::kArrayStrides, 0);
  llvm::Value* data = b.CreateExtractValue(x, codegen::kArrayData);
  auto value = [&](llvm::Value* i) {
    return f.cast(f.load_element(b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(i, stride)), xt->dtype()), xt->dtype(), t::int64());
  };
  llvm::Value* top = f.entry_alloca(b.getInt64Ty(), "bincount.max");
  llvm::Value* negative = f.entry_alloca(b.getInt1Ty(), "bincount.negative");
  b.CreateStore(f.i64(-1), top);
  b.CreateStore(b.getFalse(), negative);
  f.counted_loop(n, "bincount.scan", [&](llvm::Value* i) {
    llvm::Value* v = value(i);
    llvm::Value* m = b.CreateLoad(b.getInt64Ty(), top);
    b.CreateStore(b.CreateSelect(b.CreateICmpSGT(v, m), v, m), top);
    b.CreateStore(b.CreateOr(b.CreateLoad(b.getInt1Ty(), negative), b.CreateICmpSLT(v, f.i64(0))), negative);
  });
  f.raise_if(b.CreateLoad(b.getInt1Ty(), negative), abi::ExceptionKind::ValueError,
             "'list' argument must have no negative elements");
  llvm::Value* length = b.CreateAdd(b.CreateLoad(b.getInt64Ty(), top), f.i64(1));
  length = b.CreateSelect(b.CreateICmpSGT(minlength, length), minlength, length);
  llvm::Value* out = f.allocate_array(s.result, {length}, true);
  llvm::Value* out_data = b.CreateExtractValue(out, codegen::kArrayData);
  f.counted_loop(n, "bincount", [&](llvm::Value* i) {
    llvm::Value* p = b.CreateInBoundsGEP(b.getInt64Ty(), out_data, value(i));
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), p), f.i64(1)), p);
  });
  return out;
}

// np.unique(a): the sorted distinct values, as a 1-D array.
std::optional<Signature> unique_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array() || c.args[0]->dtype()->is_complex()) return std::nullopt;
  return Signature{t::array(c.args[0]->scalar, 1, Layout::C), {c.args[0]}};
}

llvm::Value* unique_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* at = s.params[0];
  const Type* dtype = at->dtype();
  llvm::Value* sorted = f.copy_as(args[0], at, dtype);
  llvm::Value* n = f.array_size(sorted, at);
  sort_contiguous(f, sorted, n, dtype);
  // Keep an element when it differs from the last one kept (NaNs compare unequal, as in NumPy 1.x; NumPy 2 keeps one NaN).
  llvm::Value* kept = f.entry_alloca(b.getInt64Ty(), "unique.kept");
  b.CreateStore(f.i64(0), kept);
  llvm::Type* elem = codegen::memory_type(f.context(), dtype);
  llvm::Value* data = b.CreateExtractValue(sorted, codegen::kArrayData);
  f.counted_loop(n, "unique", [&](llvm::Value* i) {
    llvm::Value* k = b.CreateLoad(b.getInt64Ty(), kept);
    llvm::Value* x = element(f, sorted, i, dtype);
    llvm::Value* differs = b.getTrue();
    llvm::Value* prev = element(f, sorted, b.CreateSelect(b.CreateICmpSGT(k, f.i64(0)), b.CreateSub(k, f.i64(1)), f.i64(0)), dtype);
    if (dtype->is_float()) {
      llvm::Value* both_nan = b.CreateAnd(b.CreateFCmpUNO(x, x), b.CreateFCmpUNO(prev, prev));
      differs = b.CreateAnd(b.CreateFCmpUNE(x, prev), b.CreateNot(both_nan));
    } else {
      differs = b.CreateICmpNE(x, prev);
    }
    llvm::Value* take = b.CreateOr(b.CreateICmpEQ(k, f.i64(0)), differs);
    llvm::Value* stored = dtype->is_bool() ? b.CreateZExt(x, b.getInt8Ty()) : x;
    b.CreateStore(stored, b.CreateInBoundsGEP(elem, data, b.CreateSelect(take, k, b.CreateSub(k, f.i64(1)))));
    b.CreateStore(b.CreateSelect(take, b.CreateAdd(k, f.i64(1)), k), kept);
  });
  f.incref(sorted, s.result);  // the sorted copy, cut to the kept prefix, is the result
  llvm::Value* out = sorted;
  if (at->ndim != 1) {
    llvm::Value* flat = llvm::PoisonValue::get(codegen::array_struct(f.context(), 1));
    for (unsigned field : {codegen::kArrayMeminfo, codegen::kArrayParent, codegen::kArrayData})
      flat = b.CreateInsertValue(flat, b.CreateExtractValue(sorted, field), field);
    out = b.CreateInsertValue(flat, f.i64(codegen::itemsize(dtype)), {codegen::kArrayStrides, 0u});
  }
  return b.CreateInsertValue(out, b.CreateLoad(b.getInt64Ty(), kept), {codegen::kArrayShape, 0u});
}

// np.histogram(a, bins=10, range=None): equal-width bins, computed as NumPy
// does (an estimate from the scaled value, corrected against the edges), so
// values on an edge land in the same bin. Returns (counts, edges).
std::optional<Signature> histogram_typing(const CallSite& c) {
  auto b = bind(c, {"a", "bins", "range"});
  if (!b || !b->has(0)) return std::nullopt;
  const Type* a = c.args[b->index[0]];
  if (!a->is_array() || a->dtype()->is_complex()) return std::nullopt;
  if (b->has(1) && !c.args[b->index[1]]->is_integer()) return std::nullopt;
  if (b->has(2)) {
    const Type* r = c.args[b->index[2]];
    bool pair = r->kind == t::TypeKind::Tuple && r->elements.size() == 2 && r->elements[0]->is_scalar() &&
                r->elements[1]->is_scalar();
    if (!pair && r->kind != t::TypeKind::NoneType) return std::nullopt;
  }
  // NumPy's edges have the data's float type (float32 stays float32; integers give float64).
  abi::ScalarKind edges = a->dtype() == t::float_of(32) ? abi::ScalarKind::Float32 : abi::ScalarKind::Float64;
  return Signature{t::tuple({t::array(abi::ScalarKind::Int64, 1, Layout::C), t::array(edges, 1, Layout::C)}), {}};
}

llvm::Value* histogram_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  // Without fastmath's flags: a multiply-add fused in the edges and not in
  // the binning would put a value on an edge in the next bin, and the
  // binning's rounding bound (below) holds for the operations as written.
  llvm::IRBuilderBase::FastMathFlagGuard exact(b);
  b.clearFastMathFlags();
  BoundArguments bound = bound_arguments(s);
  const Type* at = s.args[bound.index[0]];
  // NumPy works in the edges' dtype: float32 data are compared in float32.
  const Type* real = s.result->elements[1]->dtype();
  llvm::Type* d = codegen::value_type(f.context(), real);
  llvm::Type* wide = b.getDoubleTy();
  // A C-ordered array of that dtype is read where it lies; any other is copied as one.
  bool direct = at->dtype() == real && at->layout == Layout::C;
  llvm::Value* values = direct ? args[bound.index[0]] : f.copy_as(args[bound.index[0]], at, real);
  llvm::Value* n = f.array_size(values, at);
  llvm::Value* bins = bound.has(1) ? f.cast(args[bound.index[1]], s.args[bound.index[1]], t::int64()) : f.i64(10);
  f.raise_if(b.CreateICmpSLT(bins, f.i64(1)), abi::ExceptionKind::ValueError, "`bins` must be positive, when an integer");
  llvm::Value* lo = f.entry_alloca(d, "hist.lo");
  llvm::Value* hi = f.entry_alloca(d, "hist.hi");
  // The edges are np.linspace(lo, hi, bins + 1): in float64 for a given range
  // (Python floats), in the data's dtype for the data's own range (its min and max).
  llvm::Value* wide_lo = nullptr;
  llvm::Value* wide_hi = nullptr;
  auto both_finite = [&](llvm::Value* x, llvm::Value* y) {  // false for NaN too
    llvm::Value* infinity = llvm::ConstantFP::getInfinity(x->getType());
    return b.CreateAnd(b.CreateFCmpOLT(f.call_intrinsic(llvm::Intrinsic::fabs, x->getType(), {x}), infinity),
                       b.CreateFCmpOLT(f.call_intrinsic(llvm::Intrinsic::fabs, y->getType(), {y}), infinity));
  };
  bool has_range = bound.has(2) && s.args[bound.index[2]]->kind == t::TypeKind::Tuple;
  if (has_range) {
    const Type* rt = s.args[bound.index[2]];
    llvm::Value* r = args[bound.index[2]];
    wide_lo = f.cast(b.CreateExtractValue(r, 0), rt->elements[0], t::float64());
    wide_hi = f.cast(b.CreateExtractValue(r, 1), rt->elements[1], t::float64());
    f.raise_if(b.CreateFCmpOGT(wide_lo, wide_hi), abi::ExceptionKind::ValueError,
               "max must be larger than min in range parameter.");
    f.raise_if(b.CreateNot(both_finite(wide_lo, wide_hi)), abi::ExceptionKind::ValueError,
               "supplied range of the histogram is not finite");
    llvm::Value* same = b.CreateFCmpOEQ(wide_lo, wide_hi);
    wide_lo = b.CreateSelect(same, b.CreateFSub(wide_lo, llvm::ConstantFP::get(wide, 0.5)), wide_lo);
    wide_hi = b.CreateSelect(same, b.CreateFAdd(wide_hi, llvm::ConstantFP::get(wide, 0.5)), wide_hi);
    b.CreateStore(f.cast(wide_lo, t::float64(), real), lo);
    b.CreateStore(f.cast(wide_hi, t::float64(), real), hi);
  } else {  // the data's own range (0..1 for no data)
    b.CreateStore(llvm::ConstantFP::getInfinity(d, false), lo);
    b.CreateStore(llvm::ConstantFP::getInfinity(d, true), hi);
    f.counted_loop(n, "hist.range", [&](llvm::Value* i) {
      llvm::Value* x = element(f, values, i, real);
      // NaN-propagating, as a.min() and a.max(): a NaN makes the range not finite.
      b.CreateStore(f.call_intrinsic(llvm::Intrinsic::minimum, d, {b.CreateLoad(d, lo), x}), lo);
      b.CreateStore(f.call_intrinsic(llvm::Intrinsic::maximum, d, {b.CreateLoad(d, hi), x}), hi);
    });
    llvm::Value* empty = b.CreateICmpEQ(n, f.i64(0));
    b.CreateStore(b.CreateSelect(empty, llvm::ConstantFP::get(d, 0.0), b.CreateLoad(d, lo)), lo);
    b.CreateStore(b.CreateSelect(empty, llvm::ConstantFP::get(d, 1.0), b.CreateLoad(d, hi)), hi);
    f.raise_if(b.CreateNot(both_finite(b.CreateLoad(d, lo), b.CreateLoad(d, hi))), abi::ExceptionKind::ValueError,
               "autodetected range of the histogram's data is not finite");
    llvm::Value* same = b.CreateFCmpOEQ(b.CreateLoad(d, lo), b.CreateLoad(d, hi));
    b.CreateStore(b.CreateSelect(same, b.CreateFSub(b.CreateLoad(d, lo), llvm::ConstantFP::get(d, 0.5)), b.CreateLoad(d, lo)), lo);
    b.CreateStore(b.CreateSelect(same, b.CreateFAdd(b.CreateLoad(d, hi), llvm::ConstantFP::get(d, 0.5)), b.CreateLoad(d, hi)), hi);
  }
  llvm::Value* first = b.CreateLoad(d, lo);
  llvm::Value* last = b.CreateLoad(d, hi);
  const Type* edges_type = s.result->elements[1];
  const Type* counts_type = s.result->elements[0];
  llvm::Value* edges = f.allocate_array(edges_type, {b.CreateAdd(bins, f.i64(1))}, false);
  llvm::Value* edge_data = b.CreateExtractValue(edges, codegen::kArrayData);
  llvm::Type* step_type = has_range ? wide : d;
  llvm::Value* step_first = has_range ? wide_lo : first;
  llvm::Value* step_last = has_range ? wide_hi : last;
  llvm::Value* step = b.CreateFDiv(b.CreateFSub(step_last, step_first), b.CreateSIToFP(bins, step_type));
  // Edge k, the same operations wherever it is needed: the binning loop below
  // computes the edges it compares with rather than loading them (two
  // gathers per vector, which on AMD's AVX-512 cores cost more than the rest
  // of the loop).
  auto edge = [&](llvm::Value* k) {
    llvm::Value* e = b.CreateFAdd(b.CreateFMul(b.CreateSIToFP(k, step_type), step), step_first);
    e = b.CreateSelect(b.CreateICmpEQ(k, bins), step_last, e);
    return step_type == d ? e : b.CreateFPTrunc(e, d);
  };
  // Without data or range, NumPy's edges are np.linspace(0, 1) of Python
  // ints: computed in float64 whatever the dtype, then rounded to it.
  llvm::Value* no_data = has_range || step_type == wide ? nullptr : b.CreateICmpEQ(n, f.i64(0));
  auto unit_edge = [&](llvm::Value* k) {
    llvm::Value* e = b.CreateFMul(b.CreateSIToFP(k, wide), b.CreateFDiv(llvm::ConstantFP::get(wide, 1.0),
                                                                      b.CreateSIToFP(bins, wide)));
    return b.CreateFPTrunc(b.CreateSelect(b.CreateICmpEQ(k, bins), llvm::ConstantFP::get(wide, 1.0), e), d);
  };
  f.counted_loop(b.CreateAdd(bins, f.i64(1)), "hist.edges", [&](llvm::Value* i) {
    llvm::Value* e = no_data ? b.CreateSelect(no_data, unit_edge(i), edge(i)) : edge(i);
    b.CreateStore(e, b.CreateInBoundsGEP(d, edge_data, i));
  });
  llvm::Value* crowded = f.entry_alloca(b.getInt1Ty(), "hist.crowded");
  b.CreateStore(b.getFalse(), crowded);
  f.counted_loop(bins, "hist.increasing", [&](llvm::Value* i) {
    llvm::Value* here = b.CreateLoad(d, b.CreateInBoundsGEP(d, edge_data, i));
    llvm::Value* next = b.CreateLoad(d, b.CreateInBoundsGEP(d, edge_data, b.CreateAdd(i, f.i64(1))));
    b.CreateStore(b.CreateOr(b.CreateLoad(b.getInt1Ty(), crowded), b.CreateFCmpOGE(here, next)), crowded);
  });
  f.raise_if(b.CreateLoad(b.getInt1Ty(), crowded), abi::ExceptionKind::ValueError,
             "Too many bins for data range. Cannot create that many finite-sized bins.");
  llvm::Value* width = b.CreateFSub(last, first);
  llvm::Value* bins_as_float = b.CreateSIToFP(bins, d);
  llvm::Value* norm = b.CreateFDiv(bins_as_float, width);
  // NumPy's bin: the estimate int((x - first) / width * bins), NumPy's own
  // operations (where bins / width overflows, the estimate still lies in
  // 0..bins), moved down where x is below its lower edge and up where x is
  // at or above its upper edge.
  auto exact_bin = [&](llvm::Value* x) {
    llvm::Value* inside = b.CreateAnd(b.CreateFCmpOGE(x, first), b.CreateFCmpOLE(x, last));
    // Scaled only inside the range: a float-to-int conversion out of range is poison.
    llvm::Value* scaled = b.CreateSelect(inside, b.CreateFMul(b.CreateFDiv(b.CreateFSub(x, first), width), bins_as_float),
                                         llvm::ConstantFP::get(d, 0.0));
    llvm::Value* k = b.CreateFPToSI(scaled, b.getInt64Ty());
    k = b.CreateSelect(b.CreateICmpSGE(k, bins), b.CreateSub(bins, f.i64(1)), k);
    k = b.CreateSelect(b.CreateFCmpOLT(x, edge(k)), b.CreateSub(k, f.i64(1)), k);
    // (k + 1 <= bins: edges has bins + 1 entries; k >= 0, since x >= edges[0] when inside.)
    llvm::Value* k_up = b.CreateSelect(b.CreateICmpSLT(k, f.i64(0)), f.i64(0), k);
    llvm::Value* up = b.CreateAnd(b.CreateFCmpOGE(x, edge(b.CreateAdd(k_up, f.i64(1)))),
                                  b.CreateICmpNE(k, b.CreateSub(bins, f.i64(1))));
    k = b.CreateSelect(up, b.CreateAdd(k, f.i64(1)), k);
    return b.CreateSelect(inside, k, bins);
  };
  // The blocks' estimate multiplies by norm = bins / width (a division per
  // value costs more). Where its fraction lies farther than `margin` from 0
  // and from 1, no edge can be on the other side of x: the estimate and every
  // edge are each within a few roundings of their exact values, so the
  // edges' corrections are skipped. (Where norm overflows, no estimate is
  // clear, and the exact path decides.) A rounding moves the estimate (x - first) *
  // norm by at most about 3u * bins (u: the dtype's unit roundoff), and an
  // edge k * step + first, in bins, by 3u * bins plus u * max(|first|,
  // |last|) * bins / width (the float32 edges of a float64 range, and the
  // range's own rounding to float32, stay within that); `margin` is twice
  // their sum and more. Near an edge, out of the range, and for NaN, the
  // exact path decides.
  double unit_roundoff = real == t::float_of(32) ? 0x1p-24 : 0x1p-53;
  llvm::Value* magnitude = f.call_intrinsic(llvm::Intrinsic::maxnum, d,
                                            {f.call_intrinsic(llvm::Intrinsic::fabs, d, {first}),
                                             f.call_intrinsic(llvm::Intrinsic::fabs, d, {last})});
  llvm::Value* margin = b.CreateFMul(
      b.CreateFMul(llvm::ConstantFP::get(d, 16 * unit_roundoff), bins_as_float),
      b.CreateFAdd(llvm::ConstantFP::get(d, 1.0), b.CreateFDiv(magnitude, width)));
  llvm::Value* upper_margin = b.CreateFSub(llvm::ConstantFP::get(d, 1.0), margin);
  // One count more than the bins: a value out of the range, or NaN, is given
  // bin `bins` and counted there, so the counting loop has no branch. The
  // result's shape leaves that count out.
  llvm::Value* counts = f.allocate_array(counts_type, {b.CreateAdd(bins, f.i64(1))}, true);
  llvm::Value* count_data = b.CreateExtractValue(counts, codegen::kArrayData);
  // In blocks: first each value's estimate and whether it is clear of the
  // edges, by a loop without branches that the vectorizer widens; where a
  // value of the block was not, the block's bins again by the exact path
  // (rare: near an edge, out of the range, NaN); then the counts, one
  // increment each. Binned and counted in one loop, a value cost about twice
  // as much.
  // The values at odd places count in a second histogram, added in at the
  // end: an increment that follows one to the same bin waits for its store,
  // and with two histograms neighbours rarely share one (1.41 -> 1.28 ms on
  // 2 * 10**6 normal values in 100 bins). Only where there are enough values
  // to pay for the second histogram; else both are the same.
  llvm::Value* two_histograms = b.CreateICmpSGE(n, b.CreateMul(b.CreateAdd(bins, f.i64(1)), f.i64(8)));
  llvm::Value* odd_extent = b.CreateSelect(two_histograms, b.CreateAdd(bins, f.i64(1)), f.i64(0));
  llvm::Value* odd_histogram = f.scratch_array(counts_type, {odd_extent});
  llvm::Value* odd_data = b.CreateExtractValue(odd_histogram, codegen::kArrayData);
  f.counted_loop(odd_extent, "hist.zero",
                 [&](llvm::Value* i) { b.CreateStore(f.i64(0), b.CreateInBoundsGEP(b.getInt64Ty(), odd_data, i)); });
  odd_data = b.CreateSelect(two_histograms, odd_data, count_data);
  constexpr int64_t kBlock = 256;
  llvm::Type* block_type = llvm::ArrayType::get(b.getInt64Ty(), kBlock);
  llvm::Value* bin_of = f.entry_alloca(block_type, "hist.bins");
  llvm::Value* unclear = f.entry_alloca(b.getInt1Ty(), "hist.unclear");
  auto bin_slot = [&](llvm::Value* j) { return b.CreateInBoundsGEP(block_type, bin_of, {f.i64(0), j}); };
  llvm::Value* blocks = b.CreateSDiv(b.CreateAdd(n, f.i64(kBlock - 1)), f.i64(kBlock));
  f.counted_loop(blocks, "hist.blocks", [&](llvm::Value* block) {
    llvm::Value* start = b.CreateMul(block, f.i64(kBlock));
    llvm::Value* length = b.CreateSelect(b.CreateICmpSLT(b.CreateSub(n, start), f.i64(kBlock)), b.CreateSub(n, start),
                                         f.i64(kBlock));
    b.CreateStore(b.getFalse(), unclear);
    f.counted_loop(length, "hist.estimate", [&](llvm::Value* j) {
      llvm::Value* x = element(f, values, b.CreateAdd(start, j), real);
      llvm::Value* scaled = b.CreateFMul(b.CreateFSub(x, first), norm);
      // NaN and out-of-range estimates become INT64_MIN, as cvttsd2si gives.
      llvm::Value* estimate = f.cast(scaled, real, t::int64());
      llvm::Value* fraction = b.CreateFSub(scaled, b.CreateSIToFP(estimate, d));
      llvm::Value* clear = b.CreateAnd(b.CreateICmpULT(estimate, bins),
                                       b.CreateAnd(b.CreateFCmpOGT(fraction, margin),
                                                   b.CreateFCmpOLT(fraction, upper_margin)));
      b.CreateStore(b.CreateOr(b.CreateLoad(b.getInt1Ty(), unclear), b.CreateNot(clear)), unclear);
      b.CreateStore(estimate, bin_slot(j));
    });
    llvm::BasicBlock* correct = f.new_block("hist.correct");
    llvm::BasicBlock* count = f.new_block("hist.count");
    b.CreateCondBr(b.CreateLoad(b.getInt1Ty(), unclear), correct, count,
                   llvm::MDBuilder(f.context()).createUnlikelyBranchWeights());
    b.SetInsertPoint(correct);
    f.counted_loop(length, "hist.exact", [&](llvm::Value* j) {
      b.CreateStore(exact_bin(element(f, values, b.CreateAdd(start, j), real)), bin_slot(j));
    });
    b.CreateBr(count);
    b.SetInsertPoint(count);
    auto count_in = [&](llvm::Value* histogram, llvm::Value* j) {
      llvm::Value* slot = b.CreateInBoundsGEP(b.getInt64Ty(), histogram, b.CreateLoad(b.getInt64Ty(), bin_slot(j)));
      b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), slot), f.i64(1)), slot);
    };
    f.counted_loop(b.CreateLShr(length, f.i64(1)), "hist.count", [&](llvm::Value* pair) {
      llvm::Value* j = b.CreateShl(pair, f.i64(1));
      count_in(count_data, j);
      count_in(odd_data, b.CreateOr(j, f.i64(1)));
    });
    f.counted_loop(b.CreateAnd(length, f.i64(1)), "hist.count_last",
                   [&](llvm::Value*) { count_in(count_data, b.CreateSub(length, f.i64(1))); });
  });
  f.counted_loop(odd_extent, "hist.add", [&](llvm::Value* i) {
    llvm::Value* slot = b.CreateInBoundsGEP(b.getInt64Ty(), count_data, i);
    llvm::Value* odd = b.CreateLoad(b.getInt64Ty(), b.CreateInBoundsGEP(b.getInt64Ty(), odd_data, i));
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), slot), odd), slot);
  });
  counts = b.CreateInsertValue(counts, bins, {codegen::kArrayShape, 0u});
  llvm::Value* out = llvm::PoisonValue::get(codegen::value_type(f.context(), s.result));
  return b.CreateInsertValue(b.CreateInsertValue(out, counts, 0), edges, 1);
}

// numjit.select(source, keys, lo, k): keys[lo:] becomes source[lo:] with
// element k in its sorted place (runtime select), for np.partition and
// np.nanmedian written in Python; source may be keys itself.
std::optional<Signature> select_typing(const CallSite& c) {
  if (c.args.size() != 4) return std::nullopt;
  const Type* source = c.args[0];
  const Type* keys = c.args[1];
  if (!keys->is_array() || keys->ndim != 1 || keys->layout != Layout::C || keys->readonly ||
      keys->dtype()->is_complex() || !source->is_array() || source->ndim != 1 || source->layout != Layout::C ||
      source->dtype() != keys->dtype() || !c.args[2]->is_integer() || !c.args[3]->is_integer())
    return std::nullopt;
  return Signature{t::none(), {source, keys, t::int64(), t::int64()}};
}

llvm::Value* select_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* dtype = s.params[1]->dtype();
  auto from = [&](llvm::Value* array) {
    return b.CreateInBoundsGEP(codegen::memory_type(f.context(), dtype), b.CreateExtractValue(array, codegen::kArrayData),
                               args[2]);
  };
  llvm::Value* rest = b.CreateSub(f.array_size(args[1], s.params[1]), args[2]);
  b.CreateCall(codegen::runtime_function(f.module(), codegen::RuntimeFunction::select),
               {from(args[0]), from(args[1]), rest, b.CreateSub(args[3], args[2]),
                b.getInt32(static_cast<int32_t>(dtype->scalar))});
  return b.getInt8(0);
}

}  // namespace

void register_numpy_search(std::vector<Builtin>& table) {
  table.push_back(Builtin{"numjit.select", select_typing, select_lowering});
  table.push_back(Builtin{"np.histogram", histogram_typing, histogram_lowering, true});
  table.push_back(Builtin{"np.median", median_typing, median_lowering});
  table.push_back(Builtin{"np.searchsorted", searchsorted_typing, searchsorted_lowering, true});
  table.push_back(Builtin{"np.bincount", bincount_typing, bincount_lowering, true});
  table.push_back(Builtin{"np.unique", unique_typing, unique_lowering});
}

}  // namespace numjit::library
