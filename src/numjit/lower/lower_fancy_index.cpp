// NumPy's advanced indexing, in the forms numjit supports: a boolean mask of
// the array's shape (a[x > 0], a[mask] = v) and an integer index array into
// a 1-D array (a[idx], a[idx] = v). Reading makes a new array; writing goes
// element by element into the indexed array. Mask expressions are
// materialized once (they are read twice: to count, then to copy).
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/types/array_typing.h"
#include "numjit/types/infer.h"

namespace numjit::lower {

using types::Layout;

bool is_fancy_index(const hir::Expr& subscript) {
  auto indices = subscript.indices();
  return (indices.size() == 1 && indices.front().type->is_array()) || is_pointwise(subscript);
}

bool is_pointwise(const hir::Expr& subscript) {
  std::vector<const hir::Expr*> indices;
  for (const hir::Expr& ix : subscript.indices()) indices.push_back(&ix);
  return indices.size() > 1 && types::is_pointwise_index(indices);
}

// a[rows, cols]: before(count), then body(k, address of the k-th selected
// element); the index arrays must have one length, and every index is checked.
void FunctionLowering::for_each_point(const hir::Expr& subscript, const std::function<void(llvm::Value*)>& before,
                                      const std::function<void(llvm::Value*, llvm::Value*)>& body) {
  auto& b = builder_;
  const hir::Expr& base_expr = subscript.value();
  llvm::Value* base = expr(base_expr);
  std::vector<llvm::Value*> values;
  llvm::Value* count = nullptr;
  for (const hir::Expr& ix : subscript.indices()) {
    values.push_back(expr(ix));
    if (!ix.type->is_array()) continue;
    llvm::Value* n = array_dim(values.back(), kArrayShape, 0);
    if (count) raise_if(b.CreateICmpNE(n, count), ExceptionKind::IndexError,
                        "shape mismatch: indexing arrays could not be broadcast together");
    else count = n;
  }
  llvm::Value* data = b.CreateExtractValue(base, kArrayData);
  before(count);
  counted_loop(count, "points", [&](llvm::Value* k) {
    llvm::Value* offset = b.getInt64(0);
    for (size_t d = 0; d < values.size(); ++d) {
      const Type* t = subscript.indices()[d].type;
      llvm::Value* index = values[d];
      const Type* index_type = t;
      if (t->is_array()) {
        index_type = t->dtype();
        llvm::Value* at = b.CreateGEP(b.getInt8Ty(), b.CreateExtractValue(values[d], kArrayData),
                                      b.CreateMul(k, array_dim(values[d], kArrayStrides, 0)));
        index = load_element(at, index_type);
      }
      llvm::Value* i = checked_index(index, index_type, array_dim(base, kArrayShape, static_cast<int>(d)));
      offset = b.CreateAdd(offset, b.CreateMul(i, array_dim(base, kArrayStrides, static_cast<int>(d))));
    }
    body(k, b.CreateGEP(b.getInt8Ty(), data, offset));
  });
}

llvm::Value* FunctionLowering::shape_slot(llvm::Value* array, const Type* t) {
  llvm::Type* shape_ty = llvm::ArrayType::get(builder_.getInt64Ty(), std::max(t->ndim, 1));
  llvm::Value* slot = entry_alloca(shape_ty, "shape");
  for (int d = 0; d < t->ndim; ++d)
    builder_.CreateStore(array_dim(array, kArrayShape, d), builder_.CreateConstGEP2_32(shape_ty, slot, 0, d));
  return slot;
}

// The array and its index array, evaluated; a mask must match the array's shape.
void FunctionLowering::fancy_operands(const hir::Expr& subscript, Operand& base, Operand& index) {
  const hir::Expr& base_expr = subscript.value();
  const hir::Expr& index_expr = subscript.indices().front();
  base = Operand{&base_expr, base_expr.type, expr(base_expr), nullptr};
  index = Operand{&index_expr, index_expr.type, expr(index_expr), nullptr};
  if (!index.type->dtype()->is_bool()) return;
  llvm::Value* same = builder_.getTrue();
  for (int d = 0; d < index.type->ndim; ++d)  // a 1-D mask may select rows of an N-D array
    same = builder_.CreateAnd(same, builder_.CreateICmpEQ(array_dim(base.value, kArrayShape, d),
                                                          array_dim(index.value, kArrayShape, d)));
  raise_if(builder_.CreateNot(same), ExceptionKind::IndexError,
           "boolean index did not match the indexed array's shape");
  if (index.type->ndim < base.type->ndim) index = mask_positions(index);
}

// A 1-D mask over an N-D array's rows (A[mask], A[mask] = v) selects the rows
// where it is true: the same as the int64 array of those positions, which the
// row paths below take.
FunctionLowering::Operand FunctionLowering::mask_positions(const Operand& mask) {
  auto& b = builder_;
  llvm::Value* n = array_dim(mask.value, kArrayShape, 0);
  llvm::Value* data = b.CreateExtractValue(mask.value, kArrayData);
  llvm::Value* stride = array_dim(mask.value, kArrayStrides, 0);
  auto selected = [&](llvm::Value* i) {
    return load_element(b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(i, stride)), types::boolean());
  };
  llvm::Value* count = entry_alloca(b.getInt64Ty(), "mask.rows");
  b.CreateStore(b.getInt64(0), count);
  counted_loop(n, "mask.count", [&](llvm::Value* i) {
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), count), b.CreateZExt(selected(i), b.getInt64Ty())), count);
  });
  const Type* positions_type = types::array(types::int64()->scalar, 1, Layout::C);
  llvm::Value* positions =
      own_temporary(allocate_array(positions_type, {b.CreateLoad(b.getInt64Ty(), count)}, false), positions_type);
  llvm::Value* out = b.CreateExtractValue(positions, kArrayData);
  b.CreateStore(b.getInt64(0), count);
  counted_loop(n, "mask.positions", [&](llvm::Value* i) {
    llvm::BasicBlock* take = new_block("mask.take");
    llvm::BasicBlock* next = new_block("mask.next");
    b.CreateCondBr(selected(i), take, next);
    b.SetInsertPoint(take);
    llvm::Value* k = b.CreateLoad(b.getInt64Ty(), count);
    b.CreateStore(i, b.CreateInBoundsGEP(b.getInt64Ty(), out, k));
    b.CreateStore(b.CreateAdd(k, b.getInt64(1)), count);
    b.CreateBr(next);
    b.SetInsertPoint(next);
  });
  return Operand{nullptr, positions_type, positions, nullptr};
}

llvm::Value* FunctionLowering::fancy_get(const hir::Expr& e) {
  auto& b = builder_;
  if (is_pointwise(e)) {
    const Type* dtype = e.value().type->dtype();
    llvm::Value* out = nullptr;
    llvm::Value* out_data = nullptr;
    // The result's length is known once the index arrays are evaluated (inside for_each_point).
    for_each_point(
        e,
        [&](llvm::Value* count) {
          out = own_temporary(allocate_array(e.type, {count}, false), e.type);
          out_data = b.CreateExtractValue(out, kArrayData);
        },
        [&](llvm::Value* k, llvm::Value* element) {
          store_element(b.CreateInBoundsGEP(memory_type(context(), dtype), out_data, k), load_element(element, dtype),
                        dtype);
        });
    return out;
  }
  Operand base, index;
  fancy_operands(e, base, index);
  const Type* dtype = base.type->dtype();
  if (!index.type->dtype()->is_bool() && base.type->ndim > 1) {
    // A[idx]: whole rows, copied one by one.
    std::vector<llvm::Value*> shape{array_dim(index.value, kArrayShape, 0)};
    for (int d = 1; d < base.type->ndim; ++d) shape.push_back(array_dim(base.value, kArrayShape, d));
    llvm::Value* out = own_temporary(allocate_array(e.type, shape, false), e.type);
    for_each_selected_row(base, index, [&](llvm::Value* k, llvm::Value* row, const Type* row_type) {
      const Type* out_row_type = types::array(e.type->scalar, e.type->ndim - 1, Layout::C);
      copy_into(array_row(out, e.type, k, out_row_type), out_row_type, row, row_type);
    });
    return out;
  }
  if (!index.type->dtype()->is_bool()) {
    // a[idx]: the result has idx's shape; negative indices wrap, bad ones raise IndexError.
    std::vector<llvm::Value*> shape;
    for (int d = 0; d < index.type->ndim; ++d) shape.push_back(array_dim(index.value, kArrayShape, d));
    llvm::Value* out = own_temporary(allocate_array(e.type, shape, false), e.type);
    std::vector<Operand> ops{index, Operand{nullptr, e.type, out, nullptr}};
    llvm::Value* extent = array_dim(base.value, kArrayShape, 0);
    llvm::Value* stride = array_dim(base.value, kArrayStrides, 0);
    llvm::Value* data = b.CreateExtractValue(base.value, kArrayData);
    elementwise_loop(ops, index.type->ndim, shape_slot(index.value, index.type), [&] {
      llvm::Value* i = checked_index(load_element(ops[0].element, index.type->dtype()), index.type->dtype(), extent);
      llvm::Value* src = b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(i, stride));
      store_element(ops[1].element, load_element(src, dtype), dtype);
    });
    return out;
  }
  // a[mask]: count, allocate, copy the selected elements in C order.
  llvm::Value* shape = shape_slot(base.value, base.type);
  llvm::Value* count = entry_alloca(b.getInt64Ty(), "mask.count");
  b.CreateStore(b.getInt64(0), count);
  std::vector<Operand> ops{index};
  elementwise_loop(ops, base.type->ndim, shape, [&] {
    llvm::Value* hit = b.CreateZExt(load_element(ops[0].element, types::boolean()), b.getInt64Ty());
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), count), hit), count);
  });
  llvm::Value* out = own_temporary(allocate_array(e.type, {b.CreateLoad(b.getInt64Ty(), count)}, false), e.type);
  llvm::Value* out_data = b.CreateExtractValue(out, kArrayData);
  b.CreateStore(b.getInt64(0), count);
  std::vector<Operand> both{base, index};
  elementwise_loop(both, base.type->ndim, shape, [&] {
    llvm::BasicBlock* take = new_block("mask.take");
    llvm::BasicBlock* next = new_block("mask.next");
    b.CreateCondBr(load_element(both[1].element, types::boolean()), take, next);
    b.SetInsertPoint(take);
    llvm::Value* j = b.CreateLoad(b.getInt64Ty(), count);
    store_element(b.CreateInBoundsGEP(memory_type(context(), dtype), out_data, j), load_element(both[0].element, dtype),
                  dtype);
    b.CreateStore(b.CreateAdd(j, b.getInt64(1)), count);
    b.CreateBr(next);
    b.SetInsertPoint(next);
  });
  return out;
}

// Calls body(k, row k's view, its type) for each position k of a 1-D index
// array into the rows of a multi-dimensional array.
void FunctionLowering::for_each_selected_row(const Operand& base, const Operand& index,
                                             const std::function<void(llvm::Value*, llvm::Value*, const Type*)>& body) {
  llvm::Value* extent = array_dim(base.value, kArrayShape, 0);
  const Type* row_type = types::array(base.type->scalar, base.type->ndim - 1, Layout::Any, base.type->readonly);
  llvm::Value* index_data = builder_.CreateExtractValue(index.value, kArrayData);
  llvm::Value* index_stride = array_dim(index.value, kArrayStrides, 0);
  const Type* index_dtype = index.type->dtype();
  counted_loop(array_dim(index.value, kArrayShape, 0), "rows", [&](llvm::Value* k) {
    llvm::Value* at = builder_.CreateGEP(builder_.getInt8Ty(), index_data, builder_.CreateMul(k, index_stride));
    llvm::Value* i = checked_index(load_element(at, index_dtype), index_dtype, extent);
    body(k, array_row(base.value, base.type, i, row_type), row_type);
  });
}

llvm::Value* FunctionLowering::checked_index(llvm::Value* index, const Type* index_type, llvm::Value* extent) {
  auto& b = builder_;
  llvm::Value* i = cast(index, index_type, index_type->is_signed() ? types::int64() : types::uint64());
  if (index_type->is_signed()) i = b.CreateSelect(b.CreateICmpSLT(i, b.getInt64(0)), b.CreateAdd(i, extent), i);
  raise_if(b.CreateICmpUGE(i, extent), ExceptionKind::IndexError, "index out of bounds in an index array");
  return i;
}

// The k-th element of a 1-D C-contiguous array of `dtype`.
llvm::Value* FunctionLowering::result_slot(llvm::Value* results, const Type* dtype, llvm::Value* k) {
  return builder_.CreateInBoundsGEP(memory_type(context(), dtype), builder_.CreateExtractValue(results, kArrayData), k);
}

// NumPy's a[idx] = v and a[idx] op= v find every selected element and its new
// value before storing any: an index that repeats gets its old value op its
// last operand, once (not op-ed twice); an index or value that is a view of
// `a` is read before it changes; and a bad index or a value of the wrong
// length raises before anything is stored. The first pass records each
// selected element's address and value here, the second stores them.
FunctionLowering::Selections FunctionLowering::selections(const Type* dtype, llvm::Value* most) {
  Selections s;
  s.results = scratch_array(types::array(dtype->scalar, 1, Layout::C), {most});
  s.addresses = scratch_array(types::array(types::int64()->scalar, 1, Layout::C), {most});
  s.count = most;
  return s;
}

void FunctionLowering::choose(const Selections& s, const Type* dtype, llvm::Value* k, llvm::Value* element,
                              llvm::Value* value) {
  auto& b = builder_;
  if (value) store_element(result_slot(s.results, dtype, k), value, dtype);
  b.CreateStore(b.CreatePtrToInt(element, b.getInt64Ty()), result_slot(s.addresses, types::int64(), k));
}

void FunctionLowering::store_selections(const Selections& s, const Type* dtype) {
  auto& b = builder_;
  counted_loop(s.count, "fancy.store", [&](llvm::Value* k) {
    llvm::Value* element = b.CreateIntToPtr(b.CreateLoad(b.getInt64Ty(), result_slot(s.addresses, types::int64(), k)),
                                            b.getPtrTy());
    store_element(element, load_element(result_slot(s.results, dtype, k), dtype), dtype);
  });
}

// a[mask] = value / a[idx] = value (and op=): the value is a scalar or an
// array with one element per selected position.
void FunctionLowering::fancy_set(const hir::Expr& target, const hir::Expr& value, std::optional<hir::BinaryOp> op) {
  auto& b = builder_;
  if (!op || *op != hir::BinaryOp::TrueDiv) raise_if_int_out_of_bounds(value, target.value().type->dtype());
  if (is_pointwise(target)) {
    // a[rows, cols] = value: a scalar, or a 1-D array with one element per point (or one for all).
    const Type* dtype = target.value().type->dtype();
    const Type* value_dtype = types::element_type(value.type);
    if (value.type->is_array() && value.type->ndim != 1)
      unsupported(value.span, "the value assigned at index-array points must be a scalar or a 1-D array");
    llvm::Value* v = expr(value);
    // Every point's value is found before any is stored (see Selections).
    Selections chosen;
    bool two_passes = op || value.type->is_array();
    for_each_point(
        target,
        [&](llvm::Value* count) {
          if (two_passes) chosen = selections(dtype, count);
          if (!value.type->is_array()) return;
          llvm::Value* n = array_dim(v, kArrayShape, 0);
          raise_if(b.CreateAnd(b.CreateICmpNE(n, count), b.CreateICmpNE(n, b.getInt64(1))), ExceptionKind::ValueError,
                   "shape mismatch: value array could not be broadcast to the indexing result");
        },
        [&](llvm::Value* k, llvm::Value* element) {
          llvm::Value* x = v;
          if (value.type->is_array()) {
            llvm::Value* single = b.CreateICmpEQ(array_dim(v, kArrayShape, 0), b.getInt64(1));
            llvm::Value* at = b.CreateMul(b.CreateSelect(single, b.getInt64(0), k), array_dim(v, kArrayStrides, 0));
            x = load_element(b.CreateGEP(b.getInt8Ty(), b.CreateExtractValue(v, kArrayData), at), value_dtype);
          }
          if (op) {
            const Type* compute = types::elementwise_compute_type(*op, dtype, value_dtype);
            x = binary_scalar(*op, cast(load_element(element, dtype), dtype, compute), cast(x, value_dtype, compute),
                              compute, value.span);
            x = cast(x, types::binary_result(*op, compute, compute), dtype);
          } else {
            x = cast(x, value_dtype, dtype);
          }
          if (!two_passes) return store_element(element, x, dtype);
          choose(chosen, dtype, k, element, x);
        });
    if (two_passes) store_selections(chosen, dtype);
    return;
  }
  Operand base, index;
  fancy_operands(target, base, index);
  const Type* dtype = base.type->dtype();
  llvm::Value* v = expr(value);
  bool value_is_array = value.type->is_array();
  if (!index.type->dtype()->is_bool() && base.type->ndim > 1) {
    fancy_set_rows(base, index, v, value, op);
    return;
  }
  llvm::Value* value_data = value_is_array ? b.CreateExtractValue(v, kArrayData) : nullptr;
  llvm::Value* value_stride = value_is_array ? array_dim(v, kArrayStrides, 0) : nullptr;
  llvm::Value* value_length = value_is_array ? array_dim(v, kArrayShape, 0) : nullptr;
  const Type* value_dtype = types::element_type(value.type);
  // A value array of other than one axis broadcasts against a 1-D or N-D
  // index array's shape, element by element beside it (below); a 1-D value
  // for a 1-D index is read by position.
  bool value_beside_index = value_is_array && !index.type->dtype()->is_bool() &&
                            (value.type->ndim != 1 || index.type->ndim != 1);
  if (value_is_array && !value_beside_index && value.type->ndim != 1)
    unsupported(value.span, "the value assigned through a boolean mask must be a scalar or a 1-D array");
  if (value_beside_index && value.type->ndim > index.type->ndim)
    unsupported(value.span, "the value assigned through an index array has more axes than the index array");
  llvm::Value* position = entry_alloca(b.getInt64Ty(), "fancy.position");
  b.CreateStore(b.getInt64(0), position);
  // The result to store at `dst` is written to `result_at` instead where
  // given (a first pass, see Selections). `beside`: the value's element
  // where it is read beside the index.
  auto store_one = [&](llvm::Value* dst, llvm::Value* result_at = nullptr, llvm::Value* beside = nullptr) {
    llvm::Value* x = beside ? load_element(beside, value_dtype) : v;
    if (value_is_array && !beside) {
      llvm::Value* j = b.CreateLoad(b.getInt64Ty(), position);
      // A length-1 value broadcasts; otherwise it must have one element per position.
      llvm::Value* single = b.CreateICmpEQ(value_length, b.getInt64(1));
      raise_if(b.CreateAnd(b.CreateNot(single), b.CreateICmpUGE(j, value_length)), ExceptionKind::ValueError,
               "shape mismatch: the value array has fewer elements than the index selects");
      llvm::Value* at = b.CreateSelect(single, b.getInt64(0), j);
      x = load_element(b.CreateGEP(b.getInt8Ty(), value_data, b.CreateMul(at, value_stride)), value_dtype);
      b.CreateStore(b.CreateAdd(j, b.getInt64(1)), position);
    }
    if (op) {
      std::vector<const Type*> elems = types::elementwise_element_types({base.type, value.type});
      const Type* compute = types::elementwise_compute_type(*op, elems[0], elems[1]);
      llvm::Value* r = binary_scalar(*op, cast(load_element(dst, dtype), dtype, compute), cast(x, value_dtype, compute),
                                     compute, value.span);
      store_element(result_at ? result_at : dst, cast(r, types::binary_result(*op, compute, compute), dtype), dtype);
      return;
    }
    store_element(result_at ? result_at : dst, cast(x, value_dtype, dtype), dtype);
  };
  bool two_passes = op || value_is_array;
  // A value read by position must have one element per selected one (or one for all).
  auto check_value_length = [&](llvm::Value* selected) {
    if (!value_is_array || value_beside_index) return;
    llvm::Value* single = b.CreateICmpEQ(value_length, b.getInt64(1));
    raise_if(b.CreateAnd(b.CreateNot(single), b.CreateICmpNE(selected, value_length)), ExceptionKind::ValueError,
             "shape mismatch: value array could not be broadcast to the indexing result");
  };
  ++elementwise_depth_;
  if (!index.type->dtype()->is_bool()) {
    llvm::Value* extent = array_dim(base.value, kArrayShape, 0);
    llvm::Value* stride = array_dim(base.value, kArrayStrides, 0);
    llvm::Value* data = b.CreateExtractValue(base.value, kArrayData);
    std::vector<Operand> ops{index};
    if (value_beside_index) {
      ops.push_back(Operand{&value, value.type, v, nullptr});
      broadcast_shape(ops, index.type->ndim, shape_slot(index.value, index.type));  // NumPy's ValueError
    }
    auto each_target = [&](const std::function<void(llvm::Value* dst, llvm::Value* k)>& body) {
      llvm::Value* k = entry_alloca(b.getInt64Ty(), "fancy.k");
      b.CreateStore(b.getInt64(0), k);
      elementwise_loop(ops, index.type->ndim, shape_slot(index.value, index.type), [&] {
        llvm::Value* i = checked_index(load_element(ops[0].element, index.type->dtype()), index.type->dtype(), extent);
        llvm::Value* at = b.CreateLoad(b.getInt64Ty(), k);
        body(b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(i, stride)), at);
        b.CreateStore(b.CreateAdd(at, b.getInt64(1)), k);
      });
    };
    auto beside = [&]() -> llvm::Value* { return value_beside_index ? ops[1].element : nullptr; };
    if (!two_passes) {
      each_target([&](llvm::Value* dst, llvm::Value*) { store_one(dst, nullptr, beside()); });
    } else {
      llvm::Value* count = b.getInt64(1);
      for (int d = 0; d < index.type->ndim; ++d) count = b.CreateMul(count, array_dim(index.value, kArrayShape, d));
      // NumPy's a[idx] = v checks the value's length before the indices;
      // a[idx] op= v reads a[idx] (checking them) first.
      if (!op) check_value_length(count);
      Selections chosen = selections(dtype, count);
      each_target([&](llvm::Value* dst, llvm::Value* k) {
        store_one(dst, result_slot(chosen.results, dtype, k), beside());
        choose(chosen, dtype, k, dst, nullptr);
      });
      if (op) check_value_length(count);
      store_selections(chosen, dtype);
    }
  } else {
    std::vector<Operand> both{base, index};
    std::optional<Selections> chosen;
    if (two_passes) {  // at most every element is selected
      llvm::Value* size = b.getInt64(1);
      for (int d = 0; d < base.type->ndim; ++d) size = b.CreateMul(size, array_dim(base.value, kArrayShape, d));
      chosen = selections(dtype, size);
    }
    llvm::Value* selected = entry_alloca(b.getInt64Ty(), "mask.selected");
    b.CreateStore(b.getInt64(0), selected);
    elementwise_loop(both, base.type->ndim, shape_slot(base.value, base.type), [&] {
      llvm::BasicBlock* take = new_block("mask.store");
      llvm::BasicBlock* next = new_block("mask.next");
      b.CreateCondBr(load_element(both[1].element, types::boolean()), take, next);
      b.SetInsertPoint(take);
      llvm::Value* k = b.CreateLoad(b.getInt64Ty(), selected);
      if (chosen) {
        store_one(both[0].element, result_slot(chosen->results, dtype, k));
        choose(*chosen, dtype, k, both[0].element, nullptr);
      } else {
        store_one(both[0].element);
      }
      b.CreateStore(b.CreateAdd(k, b.getInt64(1)), selected);
      b.CreateBr(next);
      b.SetInsertPoint(next);
    });
    if (chosen) {
      llvm::Value* count = b.CreateLoad(b.getInt64Ty(), selected);
      check_value_length(count);
      chosen->count = count;
      store_selections(*chosen, dtype);
    }
  }
  --elementwise_depth_;
}

// `value`, or a C-ordered copy of it where it shares memory with `target`:
// rows stored one by one would otherwise read rows already overwritten
// (m[idx] = m[1:3][::-1]), where NumPy reads the value before any store.
// Either is read through its strides: the caller types it as any layout.
llvm::Value* FunctionLowering::copied_if_overlapping(llvm::Value* target, const Type* target_type, llvm::Value* value,
                                                     const Type* value_type) {
  auto& b = builder_;
  llvm::BasicBlock* before = b.GetInsertBlock();
  llvm::BasicBlock* copied = new_block("rows.value.copied");
  llvm::BasicBlock* done = new_block("rows.value.ready");
  b.CreateCondBr(arrays_overlap(target, target_type, value, value_type), copied, done);
  b.SetInsertPoint(copied);
  llvm::Value* copy = copy_as(value, value_type, value_type->dtype());
  llvm::BasicBlock* copied_end = b.GetInsertBlock();
  b.CreateBr(done);
  b.SetInsertPoint(done);
  llvm::PHINode* ready = b.CreatePHI(value->getType(), 2, "rows.value");
  ready->addIncoming(value, before);
  ready->addIncoming(copy, copied_end);
  return ready;
}

// A[idx] = value on an N-D array: the value broadcasts against the
// selection's shape (len(idx), *A.shape[1:]), as NumPy's does: a scalar fills
// each selected row, an array of A's rank gives one row per position (or one
// row for all), a smaller one is each row's (dimensions of 1 repeat).
void FunctionLowering::fancy_set_rows(const Operand& base, const Operand& index, llvm::Value* v, const hir::Expr& value,
                                      std::optional<hir::BinaryOp> op) {
  auto& b = builder_;
  if (op) unsupported(value.span, "an augmented assignment through an index array into a multi-dimensional array "
                                  "is not supported yet");
  const Type* dtype = base.type->dtype();
  int nd = base.type->ndim;
  if (value.type->is_array() && value.type->ndim > nd)
    unsupported(value.span, "the value assigned to rows selected by an index array has more dimensions (" +
                                std::to_string(value.type->ndim) + ") than the selection (" + std::to_string(nd) + ")");
  const Type* value_type = value.type;
  if (value.type->is_array()) {
    v = copied_if_overlapping(base.value, base.type, v, value.type);
    value_type = types::array(value.type->scalar, value.type->ndim, Layout::Any);
  }
  bool per_row = value_type->is_array() && value_type->ndim == nd;  // its first axis runs along the selection
  llvm::Value* rows = per_row ? array_dim(v, kArrayShape, 0) : nullptr;
  if (per_row) {
    llvm::Value* count = array_dim(index.value, kArrayShape, 0);
    raise_if(b.CreateAnd(b.CreateICmpNE(rows, count), b.CreateICmpNE(rows, b.getInt64(1))),
             ExceptionKind::ValueError, "shape mismatch: value array could not be broadcast to the indexed rows");
  }
  if (value_type->is_array()) {  // the rest of its shape against a row's, right-aligned
    int offset = nd - value_type->ndim;
    for (int d = std::max(1, offset); d < nd; ++d) {
      llvm::Value* extent = array_dim(v, kArrayShape, d - offset);
      raise_if(b.CreateAnd(b.CreateICmpNE(extent, array_dim(base.value, kArrayShape, d)),
                           b.CreateICmpNE(extent, b.getInt64(1))),
               ExceptionKind::ValueError, "shape mismatch: value array could not be broadcast to the indexed rows");
    }
  }
  for_each_selected_row(base, index, [&](llvm::Value* k, llvm::Value* row, const Type* row_type) {
    std::vector<Operand> ops{Operand{nullptr, row_type, row, nullptr}};
    if (!value_type->is_array()) {
      llvm::Value* x = cast(v, value_type, dtype);
      elementwise_loop(ops, row_type->ndim, shape_slot(row, row_type), [&] { store_element(ops[0].element, x, dtype); });
      return;
    }
    const Type* source_type = value_type;
    llvm::Value* source = v;
    if (per_row) {
      source_type = types::array(value_type->scalar, value_type->ndim - 1, Layout::Any);
      source = array_row(v, value_type, b.CreateSelect(b.CreateICmpEQ(rows, b.getInt64(1)), b.getInt64(0), k),
                         source_type);
    }
    ops.push_back(Operand{nullptr, source_type, source, nullptr});
    const Type* from = source_type->dtype();
    elementwise_loop(ops, row_type->ndim, shape_slot(row, row_type), [&] {
      store_element(ops[0].element, cast(load_element(ops[1].element, from), from, dtype), dtype);
    });
  });
}

}  // namespace numjit::lower
