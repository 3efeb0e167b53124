// Arrays: element addresses (negative indices wrap, optional bounds checks),
// basic-slicing views that share the buffer, attributes, unpacking.
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/passes/loop_facts.h"
#include "numjit/types/infer.h"

namespace numjit::lower {

using hir::ExprKind;
using types::Layout;
using types::TypeKind;

llvm::Value* FunctionLowering::array_dim(llvm::Value* array, unsigned field, unsigned dim) {
  return builder_.CreateExtractValue(array, {field, dim});
}

llvm::Value* FunctionLowering::array_size(llvm::Value* array, const Type* t) {
  llvm::Value* n = builder_.getInt64(1);
  for (int d = 0; d < t->ndim; ++d) n = builder_.CreateMul(n, array_dim(array, kArrayShape, d));
  return n;
}

llvm::Value* FunctionLowering::allocate_array(const Type* t, const std::vector<llvm::Value*>& shape, bool zero) {
  auto& b = builder_;
  int64_t item = itemsize(t->dtype());
  llvm::Value* count = b.getInt64(1);
  llvm::Value* negative = b.getFalse();
  for (llvm::Value* n : shape) {
    negative = b.CreateOr(negative, b.CreateICmpSLT(n, b.getInt64(0)));
    count = b.CreateMul(count, n);
  }
  raise_if(negative, ExceptionKind::ValueError, "negative dimensions are not allowed");
  llvm::FunctionCallee alloc = runtime_function(module(), RuntimeFunction::meminfo_alloc);
  llvm::Value* meminfo = b.CreateCall(alloc, {b.CreateMul(count, b.getInt64(item)), b.getInt32(zero ? 1 : 0)});
  // A null block means MemoryError, already recorded.
  exit_if_failed(b.CreateZExt(b.CreateIsNull(meminfo), b.getInt32Ty()));
  // MemInfo is {i64 refcount, ptr data, ...} (runtime/memory.h).
  llvm::Value* data = b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(b.getInt8Ty(), meminfo, 8));
  int nd = static_cast<int>(shape.size());
  llvm::Value* header = llvm::PoisonValue::get(array_struct(context(), nd));
  header = b.CreateInsertValue(header, meminfo, kArrayMeminfo);
  header = b.CreateInsertValue(header, llvm::ConstantPointerNull::get(b.getPtrTy()), kArrayParent);
  header = b.CreateInsertValue(header, data, kArrayData);
  llvm::Value* stride = b.getInt64(item);
  bool fortran = t->layout == Layout::F;
  for (int k = 0; k < nd; ++k) {
    unsigned d = static_cast<unsigned>(fortran ? k : nd - 1 - k);
    header = b.CreateInsertValue(header, shape[d], {kArrayShape, d});
    header = b.CreateInsertValue(header, stride, {kArrayStrides, d});
    stride = b.CreateMul(stride, shape[d]);
  }
  return header;
}

llvm::Value* FunctionLowering::load_element(llvm::Value* ptr, const Type* dtype) {
  llvm::Type* type = memory_type(context(), dtype);
  llvm::LoadInst* v = builder_.CreateLoad(type, ptr);
  if (module_.unaligned_arrays()) v->setAlignment(llvm::Align(1));
  return dtype->is_bool() ? builder_.CreateICmpNE(v, builder_.getInt8(0)) : v;
}

void FunctionLowering::store_element(llvm::Value* ptr, llvm::Value* v, const Type* dtype) {
  if (dtype->is_bool()) v = builder_.CreateZExt(v, builder_.getInt8Ty());
  llvm::StoreInst* store = builder_.CreateStore(v, ptr);
  if (module_.unaligned_arrays()) store->setAlignment(llvm::Align(1));
}

// A view's header shares the base's owner (meminfo) and parent object.
llvm::Value* FunctionLowering::empty_view(llvm::Value* base, int ndim) {
  llvm::Value* view = llvm::PoisonValue::get(array_struct(context(), ndim));
  view = builder_.CreateInsertValue(view, builder_.CreateExtractValue(base, kArrayMeminfo), kArrayMeminfo);
  return builder_.CreateInsertValue(view, builder_.CreateExtractValue(base, kArrayParent), kArrayParent);
}

std::vector<FunctionLowering::IndexValue> FunctionLowering::lower_indices(const hir::Expr& subscript) {
  std::vector<IndexValue> out;
  for (const hir::Expr& ix : subscript.indices()) {
    if (ix.type->kind == TypeKind::Tuple) {  // a[idx] with idx = (i, j): one index per element
      llvm::Value* t = expr(ix);
      for (unsigned k = 0; k < ix.type->elements.size(); ++k)
        out.push_back({&ix, builder_.CreateExtractValue(t, k), ix.type->elements[k]});
      continue;
    }
    out.push_back({&ix, ix.kind == ExprKind::Slice ? nullptr : expr(ix)});
  }
  return out;
}

// Python semantics for one index: negative counts from the end. Bounds are
// checked only with boundscheck=True, as in Numba.
llvm::Value* FunctionLowering::normalize_index(llvm::Value* index, const Type* index_type, llvm::Value* extent,
                                               const SourceSpan& span, const hir::Expr* index_expr) {
  llvm::Value* i = cast(index, index_type, index_type->is_signed() ? types::int64() : types::uint64());
  bool known_non_negative = !index_type->is_signed();
  if (index_expr) {
    std::optional<int64_t> bound = lower_bound(*index_expr);
    if (bound && *bound >= 0) known_non_negative = true;
  }
  if (!known_non_negative) {
    llvm::Value* negative = builder_.CreateICmpSLT(i, builder_.getInt64(0));
    i = builder_.CreateSelect(negative, builder_.CreateAdd(i, extent), i);
  }
  if (fn_.options.boundscheck) {
    (void)span;
    raise_if(builder_.CreateICmpUGE(i, extent), ExceptionKind::IndexError, "index is out of bounds");
  }
  return i;
}

std::optional<int64_t> FunctionLowering::local_lower_bound(int local) const {
  auto it = local_lower_bounds_.find(local);
  if (it == local_lower_bounds_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::optional<int64_t> FunctionLowering::lower_bound(const hir::Expr& e) const {
  switch (e.kind) {
    case ExprKind::Const:
      if (e.constant.kind == hir::Constant::Kind::Int) return e.constant.int_value;
      return std::nullopt;
    case ExprKind::Local: return local_lower_bound(e.local);
    case ExprKind::Binary: {
      bool add = e.binary_op == hir::BinaryOp::Add;
      if (!add && !(e.binary_op == hir::BinaryOp::Sub && e.rhs().kind == ExprKind::Const)) return std::nullopt;
      if (!e.type->is_integer() || e.type->bits() != 64) return std::nullopt;  // narrower sums can wrap
      std::optional<int64_t> lhs = lower_bound(e.lhs()), rhs = lower_bound(e.rhs());
      if (!lhs || !rhs) return std::nullopt;
      int64_t result;
      if (add ? __builtin_add_overflow(*lhs, *rhs, &result) : __builtin_sub_overflow(*lhs, *rhs, &result))
        return std::nullopt;
      return result;
    }
    default: return std::nullopt;
  }
}

llvm::Value* FunctionLowering::element_pointer(llvm::Value* array, const Type* t,
                                               const std::vector<IndexValue>& indices, const SourceSpan& span) {
  llvm::Type* elem = memory_type(context(), t->dtype());
  llvm::Value* data = builder_.CreateExtractValue(array, kArrayData);
  // The dimension whose stride is the item size in a contiguous array gets a
  // typed GEP, which lets the vectorizer see consecutive accesses.
  int contiguous_dim = t->layout == Layout::C ? t->ndim - 1 : t->layout == Layout::F ? 0 : -1;
  llvm::Value* offset = nullptr;
  llvm::Value* contiguous_index = nullptr;
  for (int d = 0; d < t->ndim; ++d) {
    const IndexValue& ix = indices[d];
    llvm::Value* i = normalize_index(ix.value, ix.index_type(), array_dim(array, kArrayShape, d), span, ix.type ? nullptr : ix.expr);
    if (d == contiguous_dim) {
      contiguous_index = i;
      continue;
    }
    llvm::Value* term = builder_.CreateMul(i, array_dim(array, kArrayStrides, d));
    offset = offset ? builder_.CreateAdd(offset, term) : term;
  }
  llvm::Value* p = offset ? builder_.CreateGEP(builder_.getInt8Ty(), data, offset) : data;
  if (contiguous_index) p = builder_.CreateGEP(elem, p, contiguous_index);
  return p;
}

llvm::Value* FunctionLowering::array_view(llvm::Value* array, const Type* t, const std::vector<IndexValue>& indices,
                                          const Type* result, const SourceSpan& span) {
  auto& b = builder_;
  llvm::Value* data = b.CreateExtractValue(array, kArrayData);
  llvm::Value* offset = b.getInt64(0);
  llvm::Value* view = empty_view(array, result->ndim);
  unsigned out_dim = 0;
  llvm::Value* zero = b.getInt64(0);
  llvm::Value* one = b.getInt64(1);
  // Walk the indices, each consuming one dimension of the base except None
  // (a new axis of length 1); dimensions left over are taken whole.
  size_t k = 0;
  for (int d = 0; d < t->ndim || k < indices.size();) {
    if (k < indices.size() && indices[k].index_type()->kind == TypeKind::NoneType) {
      view = b.CreateInsertValue(view, one, {kArrayShape, out_dim});
      view = b.CreateInsertValue(view, zero, {kArrayStrides, out_dim});
      ++out_dim;
      ++k;
      continue;
    }
    if (d >= t->ndim) break;
    llvm::Value* extent = array_dim(array, kArrayShape, d);
    llvm::Value* stride = array_dim(array, kArrayStrides, d);
    const IndexValue* ix = k < indices.size() ? &indices[k] : nullptr;
    ++d;
    ++k;
    if (ix && ix->expr->kind != ExprKind::Slice) {
      llvm::Value* i = normalize_index(ix->value, ix->index_type(), extent, span, ix->type ? nullptr : ix->expr);
      offset = b.CreateAdd(offset, b.CreateMul(i, stride));
      continue;
    }
    llvm::Value* length = extent;
    llvm::Value* new_stride = stride;
    if (ix) {
      // slice.indices(extent), then the view's length, as CPython computes them.
      const hir::Expr& sl = *ix->expr;
      auto part = [&](const hir::Expr* p) -> llvm::Value* {
        if (!p || p->type->kind == TypeKind::NoneType) return nullptr;
        return expr_as(*p, types::int64());
      };
      llvm::Value* start = part(sl.lower());
      llvm::Value* stop = part(sl.upper());
      llvm::Value* step = part(sl.step());
      if (!step) step = one;
      auto* step_const = llvm::dyn_cast<llvm::ConstantInt>(step);
      if (!step_const || step_const->isZero())
        raise_if(b.CreateICmpEQ(step, zero), ExceptionKind::ValueError, "slice step cannot be zero");
      llvm::Value* negative_step = b.CreateICmpSLT(step, zero);
      llvm::Value* lower = b.CreateSelect(negative_step, b.getInt64(-1), zero);
      llvm::Value* upper = b.CreateSelect(negative_step, b.CreateSub(extent, one), extent);
      auto clamp = [&](llvm::Value* v, llvm::Value* dflt) -> llvm::Value* {
        if (!v) return dflt;
        llvm::Value* wrapped = b.CreateSelect(b.CreateICmpSLT(v, zero), b.CreateAdd(v, extent), v);
        wrapped = b.CreateSelect(b.CreateICmpSLT(wrapped, lower), lower, wrapped);
        return b.CreateSelect(b.CreateICmpSGT(wrapped, upper), upper, wrapped);
      };
      start = clamp(start, b.CreateSelect(negative_step, upper, lower));
      stop = clamp(stop, b.CreateSelect(negative_step, lower, upper));
      // length = max(0, ceil((stop - start) / step))
      llvm::Value* span_len = b.CreateSub(stop, start);
      llvm::Value* pos_len = b.CreateSDiv(b.CreateAdd(span_len, b.CreateSub(step, one)), step);
      llvm::Value* neg_len = b.CreateSDiv(b.CreateAdd(span_len, b.CreateAdd(step, one)), step);
      length = b.CreateSelect(negative_step, neg_len, pos_len);
      length = b.CreateSelect(b.CreateICmpSLT(length, zero), zero, length);
      offset = b.CreateAdd(offset, b.CreateMul(start, stride));
      new_stride = b.CreateMul(stride, step);
    }
    view = b.CreateInsertValue(view, length, {kArrayShape, out_dim});
    view = b.CreateInsertValue(view, new_stride, {kArrayStrides, out_dim});
    ++out_dim;
  }
  return b.CreateInsertValue(view, b.CreateGEP(b.getInt8Ty(), data, offset), kArrayData);
}

llvm::Value* FunctionLowering::subscript(const hir::Expr& e) {
  if (is_fancy_index(e)) return fancy_get(e);
  const hir::Expr& base = e.value();
  llvm::Value* value = expr(base);
  if (base.type->kind == TypeKind::List) {
    const hir::Expr& ix = e.indices().front();
    return load_list_item(list_item_pointer(value, base.type, expr(ix), ix.type), e.type);
  }
  if (base.type->kind == TypeKind::Pointer) {
    const hir::Expr& ix = e.indices().front();
    return load_element(pointer_element(value, base.type, expr(ix), ix.type), e.type);
  }
  if (base.type->kind == TypeKind::Dict) {
    const Type* key_type = nullptr;
    llvm::Value* key = dict_subscript_key(e, key_type);
    return load_element(dict_lookup(value, base.type, key, key_type), e.type);
  }
  if (base.type->kind == TypeKind::Tuple) {
    int64_t n = static_cast<int64_t>(base.type->elements.size());
    const hir::Expr& ix = e.indices().front();
    if (ix.kind == hir::ExprKind::Slice) {  // t[1:], a.shape[:2]: the positions are constants
      llvm::Value* out = llvm::PoisonValue::get(value_type(context(), e.type));
      std::vector<int64_t> positions = *types::constant_slice_positions(ix, n);
      for (size_t k = 0; k < positions.size(); ++k)
        out = builder_.CreateInsertValue(out, builder_.CreateExtractValue(value, static_cast<unsigned>(positions[k])),
                                         static_cast<unsigned>(k));
      return out;
    }
    if (ix.kind != hir::ExprKind::Const) return tuple_item(value, base.type, ix);
    int64_t i = ix.constant.int_value;
    return builder_.CreateExtractValue(value, static_cast<unsigned>(i < 0 ? i + n : i));
  }
  std::vector<IndexValue> indices = lower_indices(e);
  if (e.type->is_scalar()) return load_element(element_pointer(value, base.type, indices, e.span), e.type);
  return array_view(value, base.type, indices, e.type, e.span);
}

// A homogeneous tuple indexed at run time: its elements go to a stack array,
// read at the index (negative from the end, IndexError outside).
llvm::Value* FunctionLowering::tuple_item(llvm::Value* tuple, const Type* t, const hir::Expr& index) {
  auto& b = builder_;
  const size_t n = t->elements.size();
  llvm::Type* item = value_type(context(), t->elements[0]);
  llvm::ArrayType* items = llvm::ArrayType::get(item, n);
  llvm::Value* slots = entry_alloca(items, "tuple.items");
  for (size_t k = 0; k < n; ++k)
    b.CreateStore(b.CreateExtractValue(tuple, static_cast<unsigned>(k)), b.CreateConstInBoundsGEP2_64(items, slots, 0, k));
  llvm::Value* i = cast(expr(index), index.type, types::int64());
  llvm::Value* count = b.getInt64(n);
  i = b.CreateSelect(b.CreateICmpSLT(i, b.getInt64(0)), b.CreateAdd(i, count), i);
  raise_if(b.CreateICmpUGE(i, count), ExceptionKind::IndexError, "tuple index out of range");
  return b.CreateLoad(item, b.CreateInBoundsGEP(items, slots, {b.getInt64(0), i}));
}

llvm::Value* FunctionLowering::array_row(llvm::Value* array, const Type* t, llvm::Value* index, const Type* row_type) {
  llvm::Value* data = builder_.CreateExtractValue(array, kArrayData);
  // `for v in x` over a contiguous 1-D array: a typed GEP, as element_pointer
  // gives x[i], so that the vectorizer sees consecutive loads (with the stride
  // read from the array, a running maximum over x stayed scalar).
  if (t->ndim == 1 && (t->layout == Layout::C || t->layout == Layout::F))
    return load_element(builder_.CreateGEP(memory_type(context(), t->dtype()), data, index), t->dtype());
  llvm::Value* stride = array_dim(array, kArrayStrides, 0);
  llvm::Value* p = builder_.CreateGEP(builder_.getInt8Ty(), data, builder_.CreateMul(index, stride));
  if (t->ndim == 1) return load_element(p, t->dtype());
  llvm::Value* view = empty_view(array, row_type->ndim);
  view = builder_.CreateInsertValue(view, p, kArrayData);
  for (int d = 1; d < t->ndim; ++d) {
    view = builder_.CreateInsertValue(view, array_dim(array, kArrayShape, d), {kArrayShape, unsigned(d - 1)});
    view = builder_.CreateInsertValue(view, array_dim(array, kArrayStrides, d), {kArrayStrides, unsigned(d - 1)});
  }
  return view;
}

// c0, c1 = X[Nt:Nt+2]: the length must match, as in Python.
void FunctionLowering::unpack_array(const hir::Expr& target, llvm::Value* array, const Type* t,
                                    const SourceSpan& span) {
  auto targets = target.elements();
  size_t n = targets.size();
  llvm::Value* length = array_dim(array, kArrayShape, 0);
  raise_if(builder_.CreateICmpNE(length, builder_.getInt64(n)), ExceptionKind::ValueError,
           "cannot unpack an array into " + std::to_string(n) + " values: its length differs");
  for (size_t k = 0; k < n; ++k)
    assign(targets[k], array_row(array, t, builder_.getInt64(k), t->dtype()), t->dtype(), span);
}

llvm::Value* FunctionLowering::attribute(const hir::Expr& e) {
  const hir::Expr& base = e.value();
  // x.dtype is known from x's type alone: a variable is not even read (a
  // stencil types its result from a value assigned only in a branch never taken).
  if (e.attribute == "dtype" && base.kind == ExprKind::Local) return nullptr;
  llvm::Value* v = expr(base);
  const Type* t = base.type;
  const std::string& a = e.attribute;
  if (t->is_array()) {
    if (a == "shape" || a == "strides") {
      unsigned field = a == "shape" ? kArrayShape : kArrayStrides;
      llvm::Value* out = llvm::PoisonValue::get(value_type(context(), e.type));
      for (int d = 0; d < t->ndim; ++d) out = builder_.CreateInsertValue(out, array_dim(v, field, d), d);
      return out;
    }
    int64_t item = itemsize(t->dtype());
    if (a == "ndim") return builder_.getInt64(t->ndim);
    if (a == "dtype") return nullptr;  // compile-time only (np.zeros(n, dtype=a.dtype))
    if (a == "real" || a == "imag") {
      // A view of one half of each complex element; a real array is its own real part.
      if (!t->dtype()->is_complex() && a == "real") return v;
      if (!t->dtype()->is_complex()) {
        std::vector<llvm::Value*> shape;
        for (int d = 0; d < t->ndim; ++d) shape.push_back(array_dim(v, kArrayShape, d));
        return own_temporary(allocate_array(e.type, shape, true), e.type);
      }
      llvm::Value* data = builder_.CreateExtractValue(v, kArrayData);
      int64_t half = item / 2;
      return builder_.CreateInsertValue(v, builder_.CreateConstGEP1_64(builder_.getInt8Ty(), data, a == "imag" ? half : 0),
                                        kArrayData);
    }
    if (a == "size") return array_size(v, t);
    if (a == "itemsize") return builder_.getInt64(item);
    if (a == "nbytes") return builder_.CreateMul(array_size(v, t), builder_.getInt64(item));
    if (a == "T") {
      llvm::Value* out = v;
      for (int d = 0; d < t->ndim; ++d) {
        out = builder_.CreateInsertValue(out, array_dim(v, kArrayShape, t->ndim - 1 - d), {kArrayShape, unsigned(d)});
        out = builder_.CreateInsertValue(out, array_dim(v, kArrayStrides, t->ndim - 1 - d), {kArrayStrides, unsigned(d)});
      }
      return out;
    }
  }
  if (t->is_scalar() && (a == "real" || a == "imag")) {
    if (t->is_complex()) return builder_.CreateExtractValue(v, a == "real" ? 0 : 1);
    return a == "real" ? v : llvm::Constant::getNullValue(v->getType());
  }
  if (t->is_scalar() && (a == "ndim" || a == "size")) return builder_.getInt64(a == "ndim" ? 0 : 1);
  if (t->is_scalar() && a == "dtype") return nullptr;  // compile-time only, as an array's
  if (t->is_scalar() && a == "shape") return llvm::PoisonValue::get(value_type(context(), e.type));
  internal_error("attribute '" + a + "' reached lowering untyped", e.span);
}

}  // namespace numjit::lower
