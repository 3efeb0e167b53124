// The iteration forms of for loops that lower their call themselves:
// enumerate() and zip() of sequences, np.ndindex, np.ndenumerate, a.flat of
// an array not C-ordered, and np.nditer over a tuple of arrays (broadcast).
#include <functional>

#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/codegen/runtime_calls.h"
#include "numjit/lower/module_lowering.h"

namespace numjit::lower {

using types::TypeKind;

// An iterable of a for loop, evaluated: a sequence, or enumerate/zip of iterables.
struct FunctionLowering::Iterable {
  const hir::Expr* expr;
  llvm::Value* value = nullptr;  // sequences
  llvm::Value* start = nullptr;  // enumerate
  std::vector<Iterable> parts;   // enumerate (one) and zip
  std::vector<llvm::Value*> extents;  // ndindex / ndenumerate / nditer: the shape walked
  std::vector<llvm::AllocaInst*> digits;  // ndindex / ndenumerate: the next step's index, one per dimension
  // nditer: each operand's data and its byte strides along the walked axes (0 where broadcast).
  std::vector<llvm::Value*> operand_data;
  std::vector<std::vector<llvm::Value*>> operand_strides;
  std::vector<const Type*> operand_dtypes;
};

namespace {

// The forms that walk a shape by an odometer of indices.
bool walks_indices(const std::string& form) {
  return form == "ndindex" || form == "ndenumerate" || form == "flat" || form == "nditer";
}

}  // namespace

// np.nditer((a, b, ...)) (or of one array): the operands' broadcast shape,
// checked as NumPy does, walked in NumPy's order='K' (runtime nditer_order):
// axes by the operands' strides, fastest innermost, and axes along which
// every operand steps backwards walked forwards. No operand is copied.
// Empty operands raise NumPy's ValueError (its zerosize_ok flag is off by default).
void FunctionLowering::broadcast_walk(Iterable& it, llvm::Value* value, const Type* value_type) {
  auto& ir = builder_;
  std::vector<llvm::Value*> arrays;
  std::vector<const Type*> types_of;
  if (value_type->kind == TypeKind::Tuple) {
    for (unsigned k = 0; k < value_type->elements.size(); ++k) {
      arrays.push_back(ir.CreateExtractValue(value, k));
      types_of.push_back(value_type->elements[k]);
    }
  } else {
    arrays.push_back(value);
    types_of.push_back(value_type);
  }
  size_t count = arrays.size();
  int rank = 0;
  for (const Type* t : types_of) rank = std::max(rank, t->ndim);
  auto dim_of = [&](size_t k, int axis) -> llvm::Value* {  // operand k's extent along result axis `axis`, or null
    int offset = rank - types_of[k]->ndim;
    return axis < offset ? nullptr : array_dim(arrays[k], kArrayShape, axis - offset);
  };
  // The walk's inputs and outputs, in stack arrays the runtime fills; the
  // shape is broadcast_shape's (which raises NumPy's error when it fails).
  std::vector<Operand> operands;
  for (size_t k = 0; k < count; ++k) operands.push_back(Operand{nullptr, types_of[k], arrays[k], nullptr});
  llvm::Value* shape_slots = broadcast_shape(operands, rank, nullptr);
  llvm::Type* i64 = ir.getInt64Ty();
  auto slots = [&](size_t n, const char* name) {
    return entry_alloca(llvm::ArrayType::get(i64, std::max<size_t>(n, 1)), name);
  };
  llvm::Value* stride_slots = slots(count * static_cast<size_t>(rank), "nditer.strides");
  llvm::Value* offset_slots = slots(count, "nditer.offsets");
  llvm::Value* axis_slots = slots(static_cast<size_t>(rank), "nditer.axes");
  auto slot = [&](llvm::Value* base, llvm::Value* index) { return ir.CreateInBoundsGEP(i64, base, index); };
  for (size_t k = 0; k < count; ++k)
    for (int axis = 0; axis < rank; ++axis) {
      llvm::Value* n = dim_of(k, axis);
      llvm::Value* stride = ir.getInt64(0);  // broadcast: absent, or of extent 1
      if (n)
        stride = ir.CreateSelect(ir.CreateICmpEQ(n, ir.getInt64(1)), ir.getInt64(0),
                                 array_dim(arrays[k], kArrayStrides, axis - (rank - types_of[k]->ndim)));
      ir.CreateStore(stride, slot(stride_slots, ir.getInt64(static_cast<int64_t>(k) * rank + axis)));
    }
  llvm::Value* size = ir.getInt64(1);
  for (int axis = 0; axis < rank; ++axis)
    size = ir.CreateMul(size, ir.CreateLoad(i64, slot(shape_slots, ir.getInt64(axis))));
  raise_if(ir.CreateICmpEQ(size, ir.getInt64(0)), ExceptionKind::ValueError,
           "Iteration of zero-sized operands is not enabled");
  ir.CreateCall(runtime_function(module(), RuntimeFunction::nditer_order),
                {ir.getInt64(rank), ir.getInt64(static_cast<int64_t>(count)), shape_slots, stride_slots, offset_slots,
                 axis_slots});
  std::vector<llvm::Value*> walk_axes;
  for (int p = 0; p < rank; ++p) {
    walk_axes.push_back(ir.CreateLoad(i64, slot(axis_slots, ir.getInt64(p))));
    it.extents.push_back(ir.CreateLoad(i64, slot(shape_slots, walk_axes.back())));
  }
  for (size_t k = 0; k < count; ++k) {
    llvm::Value* offset = ir.CreateLoad(i64, slot(offset_slots, ir.getInt64(static_cast<int64_t>(k))));
    it.operand_data.push_back(ir.CreateGEP(ir.getInt8Ty(), ir.CreateExtractValue(arrays[k], kArrayData), offset));
    it.operand_dtypes.push_back(types_of[k]->dtype());
    std::vector<llvm::Value*> strides;
    for (int p = 0; p < rank; ++p)
      strides.push_back(ir.CreateLoad(
          i64, slot(stride_slots, ir.CreateAdd(ir.getInt64(static_cast<int64_t>(k) * rank), walk_axes[p]))));
    it.operand_strides.push_back(std::move(strides));
  }
}

FunctionLowering::Iterable FunctionLowering::evaluate_iterable(const hir::Expr& e) {
  Iterable it{&e};
  if (e.type->kind != TypeKind::Opaque) {
    it.value = held_for_the_loop(expr(e), e.type);
    return it;
  }
  if (walks_indices(e.type->name)) {
    // The extents to walk in C order (an array's shape for ndenumerate and
    // flat; for nditer the broadcast shape in the walk's order).
    if (e.type->name == "nditer") {
      broadcast_walk(it, expr(e.args()[0]), e.args()[0].type);
    } else {
      for (const hir::Expr& arg : e.args()) {
        llvm::Value* v = expr(arg);
        if (arg.type->is_array()) {
          it.value = v;
          for (int d = 0; d < arg.type->ndim; ++d) it.extents.push_back(array_dim(v, kArrayShape, d));
        } else if (arg.type->kind == TypeKind::Tuple) {
          for (unsigned k = 0; k < arg.type->elements.size(); ++k)
            it.extents.push_back(cast(builder_.CreateExtractValue(v, k), arg.type->elements[k], types::int64()));
        } else {
          it.extents.push_back(cast(v, arg.type, types::int64()));
        }
      }
    }
    for (size_t k = 0; k < it.extents.size(); ++k) {
      it.digits.push_back(entry_alloca(builder_.getInt64Ty(), "ndindex.digit"));
      builder_.CreateStore(builder_.getInt64(0), it.digits.back());
    }
    return it;
  }
  bool enumerate = e.type->name == "enumerate";
  it.start = builder_.getInt64(0);
  auto args = e.args();
  for (size_t i = 0; i < args.size(); ++i) {
    if (enumerate && i == 1) it.start = expr_as(args[i], types::int64());
    else it.parts.push_back(evaluate_iterable(args[i]));
  }
  return it;
}

// The number of steps: the shortest sequence decides.
llvm::Value* FunctionLowering::iterable_length(const Iterable& it) {
  if (walks_indices(it.expr->type->name)) {
    llvm::Value* total = builder_.getInt64(1);
    for (llvm::Value* n : it.extents) total = builder_.CreateMul(total, n);
    return total;
  }
  if (it.value) return sequence_length(it.value, it.expr->type);
  llvm::Value* count = nullptr;
  for (const Iterable& p : it.parts) {
    llvm::Value* n = iterable_length(p);
    count = count ? builder_.CreateSelect(builder_.CreateICmpSLT(n, count), n, count) : n;
  }
  return count;
}

llvm::Value* FunctionLowering::iterable_item(const Iterable& it, llvm::Value* i, const Type*& type) {
  if (walks_indices(it.expr->type->name)) {
    // Inside zip() or enumerate(), the steps go in C order as an odometer of
    // digits, the last dimension's turning fastest, advanced here for the next
    // step (before the body, which may `continue`). No division per step, as
    // i / extent would need. (Alone, the loop is a nest: for_index_nest.)
    size_t nd = it.extents.size();
    std::vector<llvm::Value*> digits(nd);
    for (size_t k = 0; k < nd; ++k) digits[k] = builder_.CreateLoad(builder_.getInt64Ty(), it.digits[k]);
    llvm::Value* carry = builder_.getTrue();
    for (size_t k = nd; k-- > 0;) {
      llvm::Value* next = builder_.CreateAdd(digits[k], builder_.CreateZExt(carry, builder_.getInt64Ty()));
      llvm::Value* wraps = builder_.CreateAnd(carry, builder_.CreateICmpSGE(next, it.extents[k]));
      builder_.CreateStore(builder_.CreateSelect(wraps, builder_.getInt64(0), next), it.digits[k]);
      carry = wraps;
    }
    return index_walk_item(it, digits, type);
  }
  if (it.value) return sequence_item(it.value, it.expr->type, i, type);
  std::vector<const Type*> types_of;
  std::vector<llvm::Value*> values;
  if (it.expr->type->name == "enumerate") {
    values.push_back(builder_.CreateAdd(it.start, i));
    types_of.push_back(types::int64());
  }
  for (const Iterable& p : it.parts) {
    const Type* t = nullptr;
    values.push_back(iterable_item(p, i, t));
    types_of.push_back(t);
  }
  type = types::tuple(types_of);
  llvm::Value* item = llvm::PoisonValue::get(value_type(context(), type));
  for (unsigned k = 0; k < values.size(); ++k) item = builder_.CreateInsertValue(item, values[k], k);
  return item;
}

llvm::Value* FunctionLowering::index_walk_item(const Iterable& it, const std::vector<llvm::Value*>& digits,
                                               const Type*& type) {
  size_t nd = digits.size();
  if (it.expr->type->name == "nditer") {  // the operands' elements: a tuple, or one array's element
    std::vector<llvm::Value*> elements;
    for (size_t k = 0; k < it.operand_data.size(); ++k) {
      llvm::Value* offset = builder_.getInt64(0);
      for (size_t p = 0; p < nd; ++p) offset = builder_.CreateAdd(offset, builder_.CreateMul(digits[p], it.operand_strides[k][p]));
      llvm::Value* at = builder_.CreateGEP(builder_.getInt8Ty(), it.operand_data[k], offset);
      elements.push_back(load_element(at, it.operand_dtypes[k]));
    }
    if (elements.size() == 1) {  // one operand, alone or in a tuple: NumPy yields its element
      type = it.operand_dtypes.front();
      return elements.front();
    }
    type = types::tuple(it.operand_dtypes);
    llvm::Value* tuple = llvm::PoisonValue::get(value_type(context(), type));
    for (unsigned k = 0; k < elements.size(); ++k) tuple = builder_.CreateInsertValue(tuple, elements[k], k);
    return tuple;
  }
  const Type* index_type = types::tuple(std::vector<const Type*>(nd, types::int64()));
  llvm::Value* index = llvm::PoisonValue::get(value_type(context(), index_type));
  for (unsigned k = 0; k < nd; ++k) index = builder_.CreateInsertValue(index, digits[k], k);
  if (it.expr->type->name == "ndindex") {
    type = index_type;
    return index;
  }
  const Type* at = it.expr->args().front().type;
  llvm::Value* offset = builder_.getInt64(0);
  for (unsigned k = 0; k < nd; ++k)
    offset = builder_.CreateAdd(offset, builder_.CreateMul(digits[k], array_dim(it.value, kArrayStrides, k)));
  llvm::Value* element = load_element(
      builder_.CreateGEP(builder_.getInt8Ty(), builder_.CreateExtractValue(it.value, kArrayData), offset), at->dtype());
  if (it.expr->type->name == "flat") {  // the element alone
    type = at->dtype();
    return element;
  }
  type = types::tuple({index_type, at->dtype()});
  llvm::Value* pair = llvm::PoisonValue::get(value_type(context(), type));
  return builder_.CreateInsertValue(builder_.CreateInsertValue(pair, index, 0), element, 1);
}

// `for ... in np.ndindex(...)` (np.ndenumerate, a.flat) alone: one loop per
// dimension, so the inner loop steps one index and LLVM strength-reduces the
// element's address, where a single loop over the flat count would carry
// every digit. `continue` steps the innermost loop; `break` leaves them all.
void FunctionLowering::for_index_nest(const hir::Stmt& s, const Iterable& it) {
  size_t nd = it.extents.size();
  llvm::BasicBlock* done = new_block("nd.done");
  std::vector<llvm::Value*> digits(nd);
  std::function<void(size_t)> level = [&](size_t d) {
    if (d == nd) {
      const Type* t = nullptr;
      llvm::Value* item = index_walk_item(it, digits, t);
      assign(*s.target, item, t, s.span);
      block(s.body);
      return;
    }
    llvm::AllocaInst* iv = entry_alloca(builder_.getInt64Ty(), "nd.iv");
    builder_.CreateStore(builder_.getInt64(0), iv);
    auto [cond_bb, body_bb, latch_bb, end_bb] = open_loop("nd");
    llvm::Value* i = builder_.CreateLoad(builder_.getInt64Ty(), iv);
    builder_.CreateCondBr(builder_.CreateICmpSLT(i, it.extents[d]), body_bb, end_bb);
    builder_.SetInsertPoint(body_bb);
    digits[d] = i;
    if (d + 1 == nd) loops_.push_back({latch_bb, done, live_temporaries_.size()});
    level(d + 1);
    if (d + 1 == nd) loops_.pop_back();
    if (!block_terminated()) builder_.CreateBr(latch_bb);
    builder_.SetInsertPoint(latch_bb);
    builder_.CreateStore(builder_.CreateAdd(builder_.CreateLoad(builder_.getInt64Ty(), iv), builder_.getInt64(1), "",
                                            false, true),
                         iv);
    builder_.CreateBr(cond_bb);
    builder_.SetInsertPoint(end_bb);
  };
  level(0);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void FunctionLowering::for_enumerate_zip(const hir::Stmt& s) {
  Iterable it = evaluate_iterable(*s.value);
  const std::string& form = s.value->type->name;
  if (walks_indices(form) && !it.extents.empty())
    return for_index_nest(s, it);
  counted_loop_with_exits([&] { return iterable_length(it); }, "zip", [&](llvm::Value* i) {
    const Type* t = nullptr;
    llvm::Value* item = iterable_item(it, i, t);
    assign(*s.target, item, t, s.span);
    block(s.body);
  });
}

}  // namespace numjit::lower
