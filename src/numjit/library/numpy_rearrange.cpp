// Rearranging elements into new arrays: np.outer, np.repeat, np.tile (an int
// or a tuple of repetitions), np.roll (over the flattened array, as without axis=), np.stack.
// Sources are read through contiguous copies (copy_as), in C order.
#include <algorithm>

#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;
using t::Layout;

llvm::Value* item(RowContext& f, llvm::Value* contiguous, llvm::Value* i, const Type* dtype) {
  auto& b = f.builder();
  return f.load_element(b.CreateInBoundsGEP(codegen::memory_type(f.context(), dtype), b.CreateExtractValue(contiguous, codegen::kArrayData), i), dtype);
}

void put(RowContext& f, llvm::Value* contiguous, llvm::Value* i, llvm::Value* v, const Type* dtype) {
  auto& b = f.builder();
  f.store_element(b.CreateInBoundsGEP(codegen::memory_type(f.context(), dtype), b.CreateExtractValue(contiguous, codegen::kArrayData), i), v, dtype);
}

// np.outer(a, b): out[i, j] = a.flat[i] * b.flat[j].
std::optional<Signature> outer_typing(const CallSite& c) {
  if (c.args.size() != 2 || !c.args[0]->is_array() || !c.args[1]->is_array()) return std::nullopt;
  const Type* d = t::numpy_promote(c.args[0]->dtype(), c.args[1]->dtype());
  return Signature{t::array(d->scalar, 2, Layout::C), {c.args[0], c.args[1]}};
}

llvm::Value* outer_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* d = s.result->dtype();
  llvm::Value* x = f.copy_as(args[0], s.params[0], d);
  llvm::Value* y = f.copy_as(args[1], s.params[1], d);
  llvm::Value* m = f.array_size(x, s.params[0]);
  llvm::Value* n = f.array_size(y, s.params[1]);
  llvm::Value* out = f.allocate_array(s.result, {m, n}, false);
  f.counted_loop(m, "outer.i", [&](llvm::Value* i) {
    llvm::Value* xi = item(f, x, i, d);
    f.counted_loop(n, "outer.j", [&](llvm::Value* j) {
      put(f, out, b.CreateAdd(b.CreateMul(i, n), j), f.binary_numpy(hir::BinaryOp::Mul, xi, item(f, y, j, d), d), d);
    });
  });
  return out;
}

// np.repeat(a, k): each element of the flattened array k times.
std::optional<Signature> repeat_typing(const CallSite& c) {
  if (c.args.size() != 2 || !c.args[0]->is_array() || !c.args[1]->is_integer()) return std::nullopt;
  return Signature{t::array(c.args[0]->scalar, 1, Layout::C), {c.args[0], t::int64()}};
}

llvm::Value* repeat_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* d = s.result->dtype();
  llvm::Value* k = args[1];
  f.raise_if(b.CreateICmpSLT(k, f.i64(0)), abi::ExceptionKind::ValueError, "repeats may not contain negative values.");
  llvm::Value* x = f.copy_as(args[0], s.params[0], d);
  llvm::Value* n = f.array_size(x, s.params[0]);
  llvm::Value* out = f.allocate_array(s.result, {b.CreateMul(n, k)}, false);
  f.counted_loop(n, "repeat", [&](llvm::Value* i) {
    llvm::Value* v = item(f, x, i, d);
    f.counted_loop(k, "repeat.copy", [&](llvm::Value* r) { put(f, out, b.CreateAdd(b.CreateMul(i, k), r), v, d); });
  });
  return out;
}

// np.tile(a, reps), reps an int or a tuple of ints: the result has
// max(a.ndim, len(reps)) dimensions, the shorter of the two padded with
// leading 1s, and extent a_k * reps_k along each. Each output element reads
// the source element at its index modulo the source's extents.
std::optional<Signature> tile_typing(const CallSite& c) {
  if (c.args.size() != 2 || !c.args[0]->is_array()) return std::nullopt;
  const Type* reps = c.args[1];
  int count = reps->is_integer() ? 1 : shape_ndim(reps);
  if (count < 0) return std::nullopt;
  int ndim = std::max(c.args[0]->ndim, count);
  return Signature{t::array(c.args[0]->scalar, ndim, Layout::C), {c.args[0], reps}};
}

llvm::Value* tile_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* d = s.result->dtype();
  const Type* source = s.params[0];
  const int ndim = s.result->ndim;
  std::vector<llvm::Value*> reps;
  if (s.params[1]->is_integer()) {
    reps.push_back(f.cast(args[1], s.params[1], t::int64()));
  } else {
    for (size_t k = 0; k < s.params[1]->elements.size(); ++k)
      reps.push_back(f.cast(b.CreateExtractValue(args[1], unsigned(k)), s.params[1]->elements[k], t::int64()));
  }
  llvm::Value* negative = b.getFalse();
  for (llvm::Value* r : reps) negative = b.CreateOr(negative, b.CreateICmpSLT(r, f.i64(0)));
  f.raise_if(negative, ExceptionKind::ValueError, "negative dimensions are not allowed");
  std::vector<llvm::Value*> extents(ndim), out_shape(ndim);
  for (int k = 0; k < ndim; ++k) {
    int from_source = k - (ndim - source->ndim);
    int from_reps = k - (ndim - static_cast<int>(reps.size()));
    extents[k] = from_source >= 0 ? f.array_dim(args[0], codegen::kArrayShape, unsigned(from_source)) : f.i64(1);
    out_shape[k] = b.CreateMul(extents[k], from_reps >= 0 ? reps[from_reps] : f.i64(1));
  }
  llvm::Value* x = f.copy_as(args[0], source, d);
  llvm::Value* out = f.allocate_array(s.result, out_shape, false);
  llvm::Value* total = f.i64(1);
  for (llvm::Value* n : out_shape) total = b.CreateMul(total, n);
  f.counted_loop(total, "tile", [&](llvm::Value* o) {
    llvm::Value* rest = o;
    llvm::Value* from = f.i64(0);
    llvm::Value* stride = f.i64(1);
    for (int k = ndim - 1; k >= 0; --k) {  // the output index, last axis first
      llvm::Value* index = b.CreateURem(rest, out_shape[k]);
      rest = b.CreateUDiv(rest, out_shape[k]);
      from = b.CreateAdd(from, b.CreateMul(b.CreateURem(index, extents[k]), stride));
      stride = b.CreateMul(stride, extents[k]);
    }
    put(f, out, o, item(f, x, from, d), d);
  });
  return out;
}

// np.roll(a, shift): elements shifted along the flattened array, same shape.
std::optional<Signature> roll_typing(const CallSite& c) {
  if (c.args.size() != 2 || !c.args[0]->is_array() || !c.args[1]->is_integer()) return std::nullopt;
  return Signature{t::array(c.args[0]->scalar, c.args[0]->ndim, Layout::C), {c.args[0], t::int64()}};
}

llvm::Value* roll_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* d = s.result->dtype();
  llvm::Value* x = f.copy_as(args[0], s.params[0], d);
  llvm::Value* n = f.array_size(x, s.params[0]);
  std::vector<llvm::Value*> shape;
  for (int k = 0; k < s.result->ndim; ++k) shape.push_back(f.array_dim(args[0], codegen::kArrayShape, k));
  llvm::Value* out = f.allocate_array(s.result, shape, false);
  llvm::Value* safe_n = b.CreateSelect(b.CreateICmpEQ(n, f.i64(0)), f.i64(1), n);
  llvm::Value* shift = b.CreateSRem(args[1], safe_n);
  shift = b.CreateSelect(b.CreateICmpSLT(shift, f.i64(0)), b.CreateAdd(shift, safe_n), shift);
  f.counted_loop(n, "roll", [&](llvm::Value* i) {
    llvm::Value* to = b.CreateAdd(i, shift);
    to = b.CreateSelect(b.CreateICmpSGE(to, n), b.CreateSub(to, n), to);
    put(f, out, to, item(f, x, i, d), d);
  });
  return out;
}

// np.stack((a, b, ...)): along a new first axis; the arrays must share a shape.
std::optional<Signature> stack_typing(const CallSite& c) {
  if (c.args.size() != 1 || c.args[0]->kind != t::TypeKind::Tuple || c.args[0]->elements.empty()) return std::nullopt;
  const Type* first = c.args[0]->elements[0];
  const Type* d = nullptr;
  for (const Type* e : c.args[0]->elements) {
    if (!e->is_array() || e->ndim != first->ndim) return std::nullopt;
    d = d ? t::numpy_promote(d, e->dtype()) : e->dtype();
  }
  return Signature{t::array(d->scalar, first->ndim + 1, Layout::C), {c.args[0]}};
}

llvm::Value* stack_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* tt = s.params[0];
  int nd = tt->elements[0]->ndim;
  llvm::Value* first = b.CreateExtractValue(args[0], 0);
  std::vector<llvm::Value*> shape{f.i64(static_cast<int64_t>(tt->elements.size()))};
  for (int k = 0; k < nd; ++k) shape.push_back(f.array_dim(first, codegen::kArrayShape, k));
  llvm::Value* mismatch = b.getFalse();
  for (unsigned e = 1; e < tt->elements.size(); ++e)
    for (int k = 0; k < nd; ++k)
      mismatch = b.CreateOr(mismatch, b.CreateICmpNE(f.array_dim(b.CreateExtractValue(args[0], e), codegen::kArrayShape, k), shape[k + 1]));
  f.raise_if(mismatch, abi::ExceptionKind::ValueError, "all input arrays must have the same shape");
  llvm::Value* out = f.allocate_array(s.result, shape, false);
  const Type* slice_type = t::array(s.result->scalar, nd, Layout::C);
  llvm::Value* block = f.i64(1);
  for (int k = 0; k < nd; ++k) block = b.CreateMul(block, shape[k + 1]);
  for (unsigned e = 0; e < tt->elements.size(); ++e) {
    // out[e] as an nd-dimensional C view, filled from the e-th array.
    llvm::Value* view = llvm::PoisonValue::get(codegen::array_struct(f.context(), nd));
    for (unsigned field : {codegen::kArrayMeminfo, codegen::kArrayParent})
      view = b.CreateInsertValue(view, b.CreateExtractValue(out, field), field);
    llvm::Value* offset = b.CreateMul(b.CreateMul(f.i64(e), block), f.i64(codegen::itemsize(s.result->dtype())));
    view = b.CreateInsertValue(view, b.CreateGEP(b.getInt8Ty(), b.CreateExtractValue(out, codegen::kArrayData), offset), codegen::kArrayData);
    for (int k = 0; k < nd; ++k) {
      view = b.CreateInsertValue(view, shape[k + 1], {codegen::kArrayShape, unsigned(k)});
      view = b.CreateInsertValue(view, f.array_dim(out, codegen::kArrayStrides, k + 1), {codegen::kArrayStrides, unsigned(k)});
    }
    f.copy_into(view, slice_type, b.CreateExtractValue(args[0], e), tt->elements[e]);
  }
  return out;
}

}  // namespace

void register_numpy_rearrange(std::vector<Builtin>& table) {
  table.push_back(Builtin{"np.outer", outer_typing, outer_lowering});
  table.push_back(Builtin{"np.repeat", repeat_typing, repeat_lowering});
  table.push_back(Builtin{"array.repeat", repeat_typing, repeat_lowering});
  table.push_back(Builtin{"np.tile", tile_typing, tile_lowering});
  table.push_back(Builtin{"np.roll", roll_typing, roll_lowering});
  table.push_back(Builtin{"np.stack", stack_typing, stack_lowering});
}

}  // namespace numjit::library
