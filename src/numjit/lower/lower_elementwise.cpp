// Whole-array expressions, fused. An expression tree of array operators and
// ufunc calls (`np.sqrt(x*x + y*y)`) is lowered as one loop over the broadcast
// shape of its leaves: the leaves (arrays and scalars) are evaluated once,
// the interior nodes per element, so no temporary arrays are made. The same
// loop writes into a slice (`y[10:20] += 1.0`) or feeds a reduction
// (`np.sum(x * y)`). When every array is C-contiguous with the full shape the
// loop is one flat counted loop the vectorizer widens; otherwise a loop nest
// walks byte strides, broadcast dimensions having stride 0.
#include <llvm/IR/MDBuilder.h>

#include <set>

#include "numjit/library/builtins.h"
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/types/array_typing.h"

namespace numjit::lower {

using hir::ExprKind;
using types::Layout;

bool is_elementwise_node(const hir::Expr& e) {
  if (!e.type->is_array()) return false;
  switch (e.kind) {
    case ExprKind::Binary: return e.binary_op != hir::BinaryOp::MatMul;
    case ExprKind::Unary:
    case ExprKind::Compare: return true;
    case ExprKind::Call: return e.elementwise_call || (e.builtin && e.builtin->elementwise);
    default: return false;
  }
}

namespace {

// The operands of an interior node, in order (a call's callee is not one).
std::vector<const hir::Expr*> node_operands(const hir::Expr& e) {
  std::vector<const hir::Expr*> out;
  if (e.kind == ExprKind::Call) {
    for (const hir::Expr& arg : e.args()) out.push_back(&arg);
  } else {
    for (const hir::ExprPtr& child : e.children) out.push_back(child.get());
  }
  return out;
}

// How many operands collect_operands finds in e.
size_t count_operands(const hir::Expr& e) {
  if (!is_elementwise_node(e)) return 1;
  size_t n = 0;
  for (const hir::Expr* c : node_operands(e)) n += count_operands(*c);
  return n;
}

// Whether computing an element of interior node e may raise: a signed integer
// power (`**` or np.power) whose exponent may be negative, or a @vectorize kernel.
bool may_raise_per_element(const hir::Expr& e) {
  if (e.kind == ExprKind::Call && e.elementwise_call) return true;
  const bool power = (e.kind == ExprKind::Binary && e.binary_op == hir::BinaryOp::Pow) ||
                     (e.kind == ExprKind::Call && e.builtin && e.builtin->name == "np.power" && e.args().size() == 2);
  if (!power || !e.type->dtype()->is_signed()) return false;
  const hir::Expr& exponent = e.kind == ExprKind::Call ? e.args()[1] : *e.children[1];
  return !exponent.is_nonnegative_int_constant();  // power()'s own test before it raises
}

// The outermost interior nodes at or below e that may raise, each with the
// index of its first operand in collect_operands' order (e's start at `first`).
void find_raising_nodes(const hir::Expr& e, size_t first, std::vector<std::pair<const hir::Expr*, size_t>>& found) {
  if (!is_elementwise_node(e)) return;
  if (may_raise_per_element(e)) {
    found.emplace_back(&e, first);
    return;
  }
  for (const hir::Expr* c : node_operands(e)) {
    find_raising_nodes(*c, first, found);
    first += count_operands(*c);
  }
}

// Whether NumPy 2 casts a Python int operand of `e` to the other operand's
// integer dtype, raising OverflowError where it does not fit: the arithmetic
// operators but `/`, and the ufuncs that compute in that dtype (a
// comparison takes the int by value, np.true_divide in float).
bool casts_python_ints(const hir::Expr& e) {
  if (e.kind == ExprKind::Binary) return e.binary_op != hir::BinaryOp::TrueDiv;
  static const std::set<std::string> integer_ufuncs = {
      "np.add", "np.subtract", "np.multiply", "np.maximum", "np.minimum", "np.fmax", "np.fmin",
      "np.floor_divide", "np.remainder", "np.mod", "np.fmod", "np.power", "np.bitwise_and", "np.bitwise_or",
      "np.bitwise_xor", "np.left_shift", "np.right_shift", "np.gcd", "np.lcm"};
  return e.kind == ExprKind::Call && e.builtin && e.args().size() == 2 && integer_ufuncs.count(e.builtin->name);
}

}  // namespace

void FunctionLowering::collect_operands(const hir::Expr& e, std::vector<Operand>& ops) {
  if (is_elementwise_node(e)) {
    if (casts_python_ints(e)) {
      std::vector<const hir::Expr*> operands = node_operands(e);
      std::vector<const Type*> elems = types::elementwise_element_types(
          {operands[0]->type, operands[1]->type}, hir::numpy_scalar_operands(operands));
      for (size_t i = 0; i < 2; ++i) {
        size_t before = ops.size();
        collect_operands(*operands[i], ops);
        bool leaf = ops.size() == before + 1 && ops.back().expr == operands[i];
        raise_if_int_out_of_bounds(*operands[i], elems[i], leaf ? ops.back().value : nullptr);
      }
      return;
    }
    for (const hir::Expr* c : node_operands(e)) collect_operands(*c, ops);
    return;
  }
  ops.push_back(Operand{&e, e.type, expr(e), nullptr});
}

llvm::Value* FunctionLowering::element_value(const hir::Expr& e, const std::vector<Operand>& ops,
                                             const Type*& type) {
  if (!is_elementwise_node(e)) {
    for (const Operand& op : ops) {
      if (op.expr != &e) continue;
      if (!op.type->is_array()) {
        type = op.type;
        return op.value;
      }
      type = op.type->dtype();
      return load_element(op.element, type);
    }
    internal_error("an elementwise operand was not evaluated", e.span);
  }
  std::vector<const hir::Expr*> operands = node_operands(e);
  std::vector<const Type*> operand_types;
  std::vector<llvm::Value*> values;
  std::vector<const Type*> value_types;
  for (const hir::Expr* c : operands) {
    const Type* t = nullptr;
    values.push_back(element_value(*c, ops, t));
    value_types.push_back(t);
    operand_types.push_back(c->type);
  }
  // Python scalars yield to the arrays' dtype (float32_array * 2.0 computes
  // in float32); NumPy scalars keep theirs (as typing decided).
  uint32_t own_arguments = e.kind == ExprKind::Call && e.builtin ? e.builtin->own_type_arguments : 0;
  uint32_t numpy_scalars = hir::numpy_scalar_operands(operands);
  std::vector<const Type*> elems = types::elementwise_element_types(operand_types, own_arguments | numpy_scalars,
                                                                    numpy_scalars & ~own_arguments);
  const Type* dtype = e.type->dtype();
  switch (e.kind) {
    case ExprKind::Binary: {
      hir::BinaryOp op = e.binary_op;
      if (elems[0]->is_time() || elems[1]->is_time()) {
        type = dtype;
        return time_binary(op, cast(values[0], value_types[0], elems[0]), elems[0],
                           cast(values[1], value_types[1], elems[1]), elems[1]);
      }
      const Type* compute = types::elementwise_compute_type(op, elems[0], elems[1]);
      // -3 / uint8_array: NumPy divides in float64, so the scalar never wraps to the array's type.
      if (op == hir::BinaryOp::TrueDiv && !compute->is_float() && !compute->is_complex()) compute = types::float64();
      llvm::Value* l = cast(values[0], value_types[0], compute);
      llvm::Value* r = cast(values[1], value_types[1], compute);
      llvm::Value* v;
      const Type* vt;
      if (op == hir::BinaryOp::Pow) {
        vt = compute;
        const hir::Expr* scalar_exponent = operands[1]->type->is_array() ? nullptr : operands[1];
        v = power(l, compute, r, compute, compute, scalar_exponent);
        if (scalar_exponent && compute->is_complex() && operands[0]->type->is_array())
          v = complex_operator_power(l, values[1], value_types[1], v, compute);
      } else {
        vt = types::binary_result(op, compute, compute);
        v = binary_scalar(op, l, r, compute, e.span);
      }
      type = dtype;
      return cast(v, vt, dtype);
    }
    case ExprKind::Unary: {
      llvm::Value* x = cast(values[0], value_types[0], dtype);
      type = dtype;
      switch (e.unary_op) {
        case hir::UnaryOp::Invert: return builder_.CreateNot(x);
        case hir::UnaryOp::Neg:
          if (dtype->is_integer() || dtype->is_time()) return builder_.CreateNeg(x);
          if (dtype->is_float()) return builder_.CreateFNeg(x);
          return builder_.CreateInsertValue(
              builder_.CreateInsertValue(x, builder_.CreateFNeg(builder_.CreateExtractValue(x, 0)), 0),
              builder_.CreateFNeg(builder_.CreateExtractValue(x, 1)), 1);
        default: return x;
      }
    }
    case ExprKind::Compare: {
      type = types::boolean();
      // An integer scalar keeps its own type against an integer array: NumPy 2 compares
      // uint8_array < -1 by value (all False), where a cast to uint8 would wrap -1 to 255.
      auto operand_type = [&](size_t i) {
        bool integer_pair = elems[0]->is_integer() && elems[1]->is_integer();
        return integer_pair && !operands[i]->type->is_array() && value_types[i]->is_integer() ? value_types[i]
                                                                                               : elems[i];
      };
      const Type* left = operand_type(0);
      const Type* right = operand_type(1);
      return compare_pair(e.compare_ops[0], cast(values[0], value_types[0], left), left,
                          cast(values[1], value_types[1], right), right);
    }
    case ExprKind::Call: {
      if (e.elementwise_call) {  // a @vectorize kernel, one element at a time
        hir::Function& kernel = *e.jitted;
        for (size_t i = 0; i < values.size(); ++i) values[i] = cast(values[i], value_types[i], kernel.param_types[i]);
        type = kernel.return_type;
        return call_function(kernel, values);
      }
      if (!e.signature) internal_error("an elementwise call without the signature inference gave it", e.span);
      const library::Signature& sig = *e.signature;  // typed for one element of each operand
      for (size_t i = 0; i < values.size(); ++i) {
        const Type* param = i < sig.params.size() && sig.params[i] ? sig.params[i] : elems[i];
        values[i] = cast(values[i], value_types[i], param);
      }
      type = sig.result;
      return e.builtin->lower(*this, e, sig, std::move(values));
    }
    default: internal_error("not an elementwise expression", e.span);
  }
}

// NumPy 2 computes `uint8_array + 300` in uint8 (a Python int takes the
// array's dtype) and raises OverflowError where the int does not fit it: a
// constant that does not is an error wherever the operation runs, and an
// int known at run time (`value`) is checked once, before the loop.
void FunctionLowering::raise_if_int_out_of_bounds(const hir::Expr& operand, const Type* dtype, llvm::Value* value) {
  auto& b = builder_;
  const Type* t = operand.type;
  if (operand.numpy_scalar || !t->is_integer() || t->is_bool() || !dtype->is_integer() || dtype->is_bool()) return;
  unsigned bits = static_cast<unsigned>(dtype->bits());
  // The dtype's range as int64 bounds (uint64's top is beyond them: tested apart).
  int64_t least = dtype->is_signed() ? (bits >= 64 ? INT64_MIN : -(int64_t{1} << (bits - 1))) : 0;
  int64_t most = dtype->is_signed() ? (bits >= 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1)
                                    : (bits >= 64 ? INT64_MAX : (int64_t{1} << bits) - 1);
  if (operand.kind == ExprKind::Const) {
    if (operand.constant.kind != hir::Constant::Kind::Int) return;
    int64_t v = operand.constant.int_value;
    if (v < least || (v > most && !(bits >= 64 && !dtype->is_signed())))
      raise_if(b.getTrue(), ExceptionKind::OverflowError,
               "Python integer " + std::to_string(v) + " out of bounds for " + dtype->name);
    return;
  }
  if (!value) return;
  unsigned from = static_cast<unsigned>(t->bits());
  bool fits_always = t->is_signed() ? (dtype->is_signed() && from <= bits)
                                    : (dtype->is_signed() ? from < bits : from <= bits);
  if (fits_always) return;
  llvm::Value* wide = t->is_signed() ? b.CreateSExt(value, b.getInt64Ty()) : b.CreateZExt(value, b.getInt64Ty());
  llvm::Value* out =
      !t->is_signed()                    ? b.CreateICmpUGT(wide, b.getInt64(static_cast<uint64_t>(most)))
      : bits >= 64 && !dtype->is_signed() ? b.CreateICmpSLT(wide, b.getInt64(0))
                                          : b.CreateOr(b.CreateICmpSLT(wide, b.getInt64(least)),
                                                       b.CreateICmpSGT(wide, b.getInt64(most)));
  llvm::BasicBlock* raise = new_block("int.out_of_bounds");
  llvm::BasicBlock* fits = new_block("int.fits");
  b.CreateCondBr(out, raise, fits, llvm::MDBuilder(context()).createUnlikelyBranchWeights());
  b.SetInsertPoint(raise);
  b.CreateCall(runtime_function(module(), RuntimeFunction::raise_int_out_of_bounds),
               {wide, b.getInt32(t->is_signed() ? 0 : 1), module_.string_constant(dtype->name)});
  exit_function(b.getInt32(1));
  b.SetInsertPoint(fits);
}

// Stores an array header in a stack slot so the runtime can read its shape.
llvm::Value* FunctionLowering::spill(llvm::Value* v) {
  llvm::AllocaInst* slot = entry_alloca(v->getType(), "spill");
  builder_.CreateStore(v, slot);
  return slot;
}

// NumPy computes each operation of an expression over that operation's own
// shape, while the fused loop visits the elements of the whole expression's
// shape. The two differ only where the whole is empty and a part is not
// (`np.where(a ** b, empty, c)`): then a part whose elements may raise is
// computed on its own (and dropped), so it raises as in NumPy. Every element
// of a part is visited when the whole is not empty.
llvm::Value* FunctionLowering::expression_shape(const hir::Expr& root, const std::vector<Operand>& ops, int ndim,
                                                llvm::Value* fixed_shape) {
  auto& b = builder_;
  llvm::Value* shape = broadcast_shape(ops, ndim, fixed_shape);
  std::vector<std::pair<const hir::Expr*, size_t>> raising;
  if (fixed_shape) {
    // An assigned value has a shape of its own, which broadcasts to the target's.
    find_raising_nodes(root, 0, raising);
  } else if (is_elementwise_node(root)) {
    size_t first = 0;
    for (const hir::Expr* c : node_operands(root)) {
      find_raising_nodes(*c, first, raising);
      first += count_operands(*c);
    }
  }
  if (raising.empty() || ndim == 0) return shape;
  llvm::Type* shape_ty = llvm::ArrayType::get(b.getInt64Ty(), ndim);
  llvm::Value* total = b.getInt64(1);
  for (int d = 0; d < ndim; ++d)
    total = b.CreateMul(total, b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP2_32(shape_ty, shape, 0, d)));
  llvm::BasicBlock* empty = new_block("expression.empty");
  llvm::BasicBlock* done = new_block("expression.shape");
  b.CreateCondBr(b.CreateICmpEQ(total, b.getInt64(0)), empty, done);
  b.SetInsertPoint(empty);
  for (const auto& [node, first] : raising) {
    auto begin = ops.begin() + static_cast<std::ptrdiff_t>(first);
    std::vector<Operand> part(begin, begin + static_cast<std::ptrdiff_t>(count_operands(*node)));
    const Type* part_type = types::array(node->type->scalar, node->type->ndim, Layout::C);
    decref(materialize_elementwise(*node, std::move(part), part_type), part_type);
  }
  b.CreateBr(done);
  b.SetInsertPoint(done);
  return shape;
}

void FunctionLowering::counted_loop(llvm::Value* count, const std::string& name,
                                    const std::function<void(llvm::Value*)>& body) {
  auto& b = builder_;
  llvm::BasicBlock* pre = b.GetInsertBlock();
  llvm::BasicBlock* loop = new_block(name);
  llvm::BasicBlock* done = new_block(name + ".done");
  b.CreateCondBr(b.CreateICmpSGT(count, b.getInt64(0)), loop, done);
  b.SetInsertPoint(loop);
  llvm::PHINode* index = b.CreatePHI(b.getInt64Ty(), 2);
  index->addIncoming(b.getInt64(0), pre);
  body(index);
  llvm::Value* next = b.CreateAdd(index, b.getInt64(1), "", true, true);
  index->addIncoming(next, b.GetInsertBlock());
  b.CreateCondBr(b.CreateICmpSLT(next, count), loop, done);
  b.SetInsertPoint(done);
}

void FunctionLowering::elementwise_loop(std::vector<Operand>& ops, int ndim, llvm::Value* shape,
                                        const std::function<void()>& body) {
  auto& b = builder_;
  llvm::Type* shape_ty = llvm::ArrayType::get(b.getInt64Ty(), std::max(ndim, 1));
  std::vector<llvm::Value*> extent(ndim);
  llvm::Value* total = b.getInt64(1);
  for (int d = 0; d < ndim; ++d) {
    extent[d] = b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP2_32(shape_ty, shape, 0, d));
    total = b.CreateMul(total, extent[d]);
  }
  std::vector<Operand*> arrays;
  for (Operand& op : ops)
    if (op.type->is_array()) arrays.push_back(&op);
  if (ndim == 0) {
    for (Operand* op : arrays) op->element = b.CreateExtractValue(op->value, kArrayData);
    body();
    return;
  }
  // The flat path: every array C-contiguous (by type) and of the full shape.
  bool flat_possible = std::all_of(arrays.begin(), arrays.end(), [&](Operand* op) {
    return op->type->layout == Layout::C && op->type->ndim == ndim;
  });
  llvm::BasicBlock* done = new_block("elementwise.done");
  llvm::BasicBlock* general = new_block("elementwise.strided");
  if (flat_possible) {
    llvm::Value* same_shape = b.getTrue();
    for (Operand* op : arrays)
      for (int d = 0; d < ndim; ++d)
        same_shape = b.CreateAnd(same_shape, b.CreateICmpEQ(array_dim(op->value, kArrayShape, d), extent[d]));
    llvm::BasicBlock* flat = new_block("elementwise.flat");
    b.CreateCondBr(same_shape, flat, general);
    b.SetInsertPoint(flat);
    std::vector<llvm::Value*> data;
    for (Operand* op : arrays) data.push_back(b.CreateExtractValue(op->value, kArrayData));
    counted_loop(total, "flat", [&](llvm::Value* k) {
      for (size_t i = 0; i < arrays.size(); ++i)
        arrays[i]->element = b.CreateInBoundsGEP(memory_type(context(), arrays[i]->type->dtype()), data[i], k);
      body();
    });
    b.CreateBr(done);
  } else {
    b.CreateBr(general);
  }
  b.SetInsertPoint(general);
  // Strides per output dimension; dimensions an operand lacks or has as 1 stay put.
  std::vector<std::vector<llvm::Value*>> strides(arrays.size(), std::vector<llvm::Value*>(ndim));
  for (size_t i = 0; i < arrays.size(); ++i) {
    int offset = ndim - arrays[i]->type->ndim;
    for (int d = 0; d < ndim; ++d) {
      if (d < offset) {
        strides[i][d] = b.getInt64(0);
        continue;
      }
      llvm::Value* n = array_dim(arrays[i]->value, kArrayShape, d - offset);
      llvm::Value* s = array_dim(arrays[i]->value, kArrayStrides, d - offset);
      strides[i][d] = b.CreateSelect(b.CreateICmpEQ(n, b.getInt64(1)), b.getInt64(0), s);
    }
  }
  std::vector<llvm::Value*> base;
  for (Operand* op : arrays) base.push_back(b.CreateExtractValue(op->value, kArrayData));
  std::function<void(int, std::vector<llvm::Value*>)> nest = [&](int d, std::vector<llvm::Value*> pointers) {
    if (d == ndim) {
      for (size_t i = 0; i < arrays.size(); ++i) arrays[i]->element = pointers[i];
      body();
      return;
    }
    auto strided_loop = [&] {
      counted_loop(extent[d], "dim" + std::to_string(d), [&](llvm::Value* k) {
        std::vector<llvm::Value*> inner;
        for (size_t i = 0; i < arrays.size(); ++i)
          inner.push_back(b.CreateGEP(b.getInt8Ty(), pointers[i], b.CreateMul(k, strides[i][d])));
        nest(d + 1, inner);
      });
    };
    if (d + 1 < ndim) return strided_loop();
    // The innermost dimension, when every operand walks it element by element,
    // gets element-typed addressing so the vectorizer can widen it.
    llvm::Value* unit = b.getTrue();
    for (size_t i = 0; i < arrays.size(); ++i)
      unit = b.CreateAnd(unit, b.CreateICmpEQ(strides[i][d], b.getInt64(itemsize(arrays[i]->type->dtype()))));
    llvm::BasicBlock* contiguous = new_block("inner.contiguous");
    llvm::BasicBlock* strided = new_block("inner.strided");
    llvm::BasicBlock* joined = new_block("inner.done");
    b.CreateCondBr(unit, contiguous, strided);
    b.SetInsertPoint(contiguous);
    counted_loop(extent[d], "inner", [&](llvm::Value* k) {
      for (size_t i = 0; i < arrays.size(); ++i)
        arrays[i]->element = b.CreateInBoundsGEP(memory_type(context(), arrays[i]->type->dtype()), pointers[i], k);
      body();
    });
    b.CreateBr(joined);
    b.SetInsertPoint(strided);
    strided_loop();
    b.CreateBr(joined);
    b.SetInsertPoint(joined);
  };
  nest(0, base);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

llvm::Value* FunctionLowering::materialize(const hir::Expr& e, const Type* result) {
  std::vector<Operand> ops;
  collect_operands(e, ops);
  return materialize_elementwise(e, std::move(ops), result);
}

llvm::Value* FunctionLowering::materialize_elementwise(const hir::Expr& root, std::vector<Operand> ops,
                                                       const Type* result) {
  const Type* t = result ? result : types::array(root.type->scalar, root.type->ndim, Layout::C);
  llvm::Value* shape = expression_shape(root, ops, t->ndim, nullptr);
  std::vector<llvm::Value*> extents;
  llvm::Type* shape_ty = llvm::ArrayType::get(builder_.getInt64Ty(), std::max(t->ndim, 1));
  for (int d = 0; d < t->ndim; ++d)
    extents.push_back(builder_.CreateLoad(builder_.getInt64Ty(), builder_.CreateConstGEP2_32(shape_ty, shape, 0, d)));
  const Type* out_type = t;
  llvm::Value* out = allocate_array(out_type, extents, false);
  // Owned while the loop runs, so an element that raises (an integer to a
  // negative power) frees it; the caller takes it over afterwards.
  own_temporary(out, out_type);
  ops.push_back(Operand{nullptr, out_type, out, nullptr});
  const Type* dtype = t->dtype();
  each_element_stored(&root, ops, t->ndim, shape, [&](FunctionLowering& g, std::vector<Operand>& o) {
    const Type* vt = nullptr;
    llvm::Value* v = g.element_value(root, o, vt);
    g.store_element(o.back().element, g.cast(v, vt, dtype), dtype);
  });
  hand_over_last_temporary();
  return out;
}

void FunctionLowering::each_element_stored(const hir::Expr* root, std::vector<Operand>& ops, int ndim,
                                           llvm::Value* shape, const ElementStore& store) {
  shared_or_serial(
      root, ops, ndim, shape, [&](const Sharing& sharing) { share_elementwise(*root, ops, sharing, store); },
      [&] {
        ++elementwise_depth_;
        elementwise_loop(ops, ndim, shape, [&] { store(*this, ops); });
        --elementwise_depth_;
      });
}

llvm::Value* FunctionLowering::array_expression(const hir::Expr& e) {
  std::vector<Operand> ops;
  collect_operands(e, ops);
  return own_temporary(materialize_elementwise(e, std::move(ops), nullptr), e.type);
}

void FunctionLowering::reduce_elements(const hir::Expr& source, const ElementBody& body) {
  std::vector<Operand> ops;
  collect_operands(source, ops);
  int ndim = source.type->ndim;
  llvm::Value* shape = expression_shape(source, ops, ndim, nullptr);
  ++elementwise_depth_;
  elementwise_loop(ops, ndim, shape, [&] {
    const Type* vt = nullptr;
    llvm::Value* v = element_value(source, ops, vt);
    body(v, vt);
  });
  --elementwise_depth_;
}

std::vector<llvm::AllocaInst*> FunctionLowering::partial_slots(const ElementFold& fold, const Partial& start) {
  std::vector<llvm::AllocaInst*> slots;
  for (size_t i = 0; i < start.size(); ++i) {
    slots.push_back(entry_alloca(fold.partial_types[i], "fold.partial"));
    builder_.CreateStore(start[i], slots[i]);
  }
  return slots;
}

FunctionLowering::Partial FunctionLowering::load_partial(const ElementFold& fold,
                                                   const std::vector<llvm::AllocaInst*>& slots) {
  Partial p;
  for (size_t i = 0; i < slots.size(); ++i) p.push_back(builder_.CreateLoad(fold.partial_types[i], slots[i]));
  return p;
}

void FunctionLowering::store_partial(const Partial& p, const std::vector<llvm::AllocaInst*>& slots) {
  for (size_t i = 0; i < slots.size(); ++i) builder_.CreateStore(p[i], slots[i]);
}

std::vector<FunctionLowering::Partial> FunctionLowering::fold_elements_in_passes(
    const hir::Expr& source, const std::vector<ElementFold>& passes,
    const std::function<FoldInputs(size_t, const std::vector<Partial>&)>& inputs_for) {
  auto& b = builder_;
  std::vector<Operand> ops;
  collect_operands(source, ops);
  int ndim = source.type->ndim;
  llvm::Value* shape = expression_shape(source, ops, ndim, nullptr);
  auto inputs_of = [&](size_t k, const std::vector<Partial>& before) {
    return inputs_for ? inputs_for(k, before) : FoldInputs{};
  };
  auto serial = [&] {
    std::vector<Partial> results;
    for (size_t k = 0; k < passes.size(); ++k) {
      const ElementFold& fold = passes[k];
      FoldInputs inputs = inputs_of(k, results);
      std::vector<llvm::AllocaInst*> slots = partial_slots(fold, fold.identity(*this));
      ++elementwise_depth_;
      elementwise_loop(ops, ndim, shape, [&] {
        const Type* vt = nullptr;
        llvm::Value* v = element_value(source, ops, vt);
        store_partial(fold.step(*this, load_partial(fold, slots), v, vt, inputs), slots);
      });
      --elementwise_depth_;
      results.push_back(load_partial(fold, slots));
    }
    return results;
  };
  std::vector<std::vector<Partial>> runs;  // each way's partials, serial's last
  std::vector<llvm::BasicBlock*> ends = shared_or_serial(
      &source, ops, ndim, shape,
      [&](const Sharing& sharing) {
        std::vector<Partial> shared;
        for (size_t k = 0; k < passes.size(); ++k) {
          FoldInputs inputs = inputs_of(k, shared);
          shared.push_back(share_fold(source, ops, sharing, passes[k], inputs));
        }
        runs.push_back(std::move(shared));
      },
      [&] { runs.push_back(serial()); });
  if (runs.size() == 1) return runs[0];
  std::vector<Partial> results(passes.size());
  for (size_t k = 0; k < passes.size(); ++k)
    for (size_t i = 0; i < passes[k].partial_types.size(); ++i) {
      llvm::PHINode* phi = b.CreatePHI(passes[k].partial_types[i], static_cast<unsigned>(runs.size()));
      for (size_t way = 0; way < runs.size(); ++way) phi->addIncoming(runs[way][k][i], ends[way]);
      results[k].push_back(phi);
    }
  return results;
}

// target[...] = value, or target[...] op= value: the value broadcasts to the
// target's shape. A value that reads memory the target overlaps (a[1:] = a[:-1])
// is computed into a temporary first, as NumPy does.
void FunctionLowering::assign_elementwise(llvm::Value* target, const Type* target_type, const hir::Expr& value,
                                          std::optional<hir::BinaryOp> op) {
  auto& b = builder_;
  if (value.type->is_array() && value.type->ndim > target_type->ndim) {
    // NumPy stores a (1, n) value into an (n,) target: view the target with
    // leading axes of extent 1 (stride 0); broadcasting then checks that the
    // value's extra axes are 1, raising ValueError otherwise.
    const int extra = value.type->ndim - target_type->ndim;
    const Type* expanded_type =
        types::array(target_type->scalar, value.type->ndim, Layout::Any, target_type->readonly);
    llvm::Value* expanded = llvm::PoisonValue::get(array_struct(context(), value.type->ndim));
    for (unsigned field : {kArrayMeminfo, kArrayParent, kArrayData})
      expanded = b.CreateInsertValue(expanded, b.CreateExtractValue(target, field), field);
    for (int d = 0; d < value.type->ndim; ++d) {
      const bool added = d < extra;
      expanded = b.CreateInsertValue(expanded, added ? b.getInt64(1) : array_dim(target, kArrayShape, d - extra),
                                     {kArrayShape, unsigned(d)});
      expanded = b.CreateInsertValue(expanded, added ? b.getInt64(0) : array_dim(target, kArrayStrides, d - extra),
                                     {kArrayStrides, unsigned(d)});
    }
    assign_elementwise(expanded, expanded_type, value, op);
    return;
  }
  std::vector<Operand> ops;
  collect_operands(value, ops);
  if (!op || *op != hir::BinaryOp::TrueDiv)
    raise_if_int_out_of_bounds(value, target_type->dtype(), ops.size() == 1 && ops[0].expr == &value ? ops[0].value
                                                                                                      : nullptr);
  const Type* dtype = target_type->dtype();
  int ndim = target_type->ndim;
  llvm::Value* overlap = b.getFalse();
  for (const Operand& o : ops)
    if (o.type->is_array()) overlap = b.CreateOr(overlap, arrays_overlap(target, target_type, o.value, o.type));
  auto run = [&](std::vector<Operand> operands, const hir::Expr* root) {
    llvm::Type* shape_ty = llvm::ArrayType::get(b.getInt64Ty(), std::max(ndim, 1));
    llvm::Value* shape = entry_alloca(shape_ty, "target.shape");
    for (int d = 0; d < ndim; ++d)
      b.CreateStore(array_dim(target, kArrayShape, d), b.CreateConstGEP2_32(shape_ty, shape, 0, d));
    if (root) expression_shape(*root, operands, ndim, shape);
    else broadcast_shape(operands, ndim, shape);
    operands.push_back(Operand{nullptr, target_type, target, nullptr});
    each_element_stored(root, operands, ndim, shape, [&](FunctionLowering& g, std::vector<Operand>& o) {
      g.assign_element(o, root, target_type, value, op);
    });
  };
  bool any_array = std::any_of(ops.begin(), ops.end(), [](const Operand& o) { return o.type->is_array(); });
  if (!any_array) {
    run(ops, &value);
    return;
  }
  llvm::BasicBlock* direct = new_block("assign.direct");
  llvm::BasicBlock* copied = new_block("assign.copied");
  llvm::BasicBlock* done = new_block("assign.done");
  b.CreateCondBr(overlap, copied, direct);
  b.SetInsertPoint(direct);
  run(ops, &value);
  b.CreateBr(done);
  b.SetInsertPoint(copied);
  const Type* value_type = value.type->is_array() ? types::array(value.type->scalar, value.type->ndim, Layout::C)
                                                  : value.type;
  hir::Expr materialized_root = hir::Expr(ExprKind::Const, value.span);  // stands for the copy
  materialized_root.type = value_type;
  llvm::Value* copy = own_temporary(materialize_elementwise(value, ops, nullptr), value_type);
  run({Operand{&materialized_root, value_type, copy, nullptr}}, nullptr);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void FunctionLowering::assign_element(std::vector<Operand>& operands, const hir::Expr* root, const Type* target_type,
                                      const hir::Expr& value, std::optional<hir::BinaryOp> op) {
  const Type* dtype = target_type->dtype();
  llvm::Value* dst = operands.back().element;
  const Type* vt = nullptr;
  llvm::Value* v;
  if (root) {
    v = element_value(*root, operands, vt);
  } else {  // the materialized copy: operand 0, read directly
    vt = operands[0].type->dtype();
    v = load_element(operands[0].element, vt);
  }
  if (op) {
    // a op= np.float64 scalar computes in float64 and casts back, as NumPy.
    std::vector<const Type*> elems =
        types::elementwise_element_types({target_type, value.type}, hir::numpy_scalar_operands({nullptr, &value}));
    const Type* compute = types::elementwise_compute_type(*op, elems[0], elems[1]);
    llvm::Value* current = cast(load_element(dst, dtype), dtype, compute);
    llvm::Value* rhs = cast(v, vt, compute);
    if (*op == hir::BinaryOp::Pow) {
      v = power(current, compute, rhs, compute, compute, nullptr);
      vt = compute;
    } else {
      v = binary_scalar(*op, current, rhs, compute, value.span);
      vt = types::binary_result(*op, compute, compute);
    }
  }
  store_element(dst, cast(v, vt, dtype), dtype);
}

// The output is walked through a view with the source's shape whose stride
// along `axis` is 0, so every source element meets its output element.
llvm::Value* FunctionLowering::reduce_axis(
    const hir::Expr& source, int axis, const Type* out_type, llvm::Value* identity, llvm::Value** axis_extent,
    const std::function<llvm::Value*(llvm::Value*, llvm::Value*, const Type*)>& combine) {
  auto& b = builder_;
  if (axis == source.type->ndim - 1 && !is_elementwise_node(source))
    return reduce_last_axis(source, out_type, identity, axis_extent, combine);
  std::vector<Operand> ops;
  collect_operands(source, ops);
  int ndim = source.type->ndim;
  llvm::Value* shape = expression_shape(source, ops, ndim, nullptr);
  llvm::Type* shape_ty = llvm::ArrayType::get(b.getInt64Ty(), std::max(ndim, 1));
  std::vector<llvm::Value*> extents;
  for (int d = 0; d < ndim; ++d)
    extents.push_back(b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP2_32(shape_ty, shape, 0, d)));
  *axis_extent = extents[axis];
  std::vector<llvm::Value*> out_extents;
  for (int d = 0; d < ndim; ++d)
    if (d != axis) out_extents.push_back(extents[d]);
  llvm::Value* out = allocate_array(out_type, out_extents, false);
  own_temporary(out, out_type);  // until the caller takes it: an element may raise
  const Type* dtype = out_type->dtype();
  llvm::Value* data = b.CreateExtractValue(out, kArrayData);
  llvm::Value* stored_identity = dtype->is_bool() ? b.CreateZExt(identity, b.getInt8Ty()) : identity;
  counted_loop(array_size(out, out_type), "reduce.init", [&](llvm::Value* i) {
    b.CreateStore(stored_identity, b.CreateInBoundsGEP(memory_type(context(), dtype), data, i));
  });
  const Type* walker_type = types::array(dtype->scalar, ndim, Layout::Any);
  llvm::Value* walker = llvm::PoisonValue::get(array_struct(context(), ndim));
  walker = b.CreateInsertValue(walker, llvm::ConstantPointerNull::get(b.getPtrTy()), kArrayMeminfo);
  walker = b.CreateInsertValue(walker, llvm::ConstantPointerNull::get(b.getPtrTy()), kArrayParent);
  walker = b.CreateInsertValue(walker, data, kArrayData);
  for (int d = 0, od = 0; d < ndim; ++d) {
    walker = b.CreateInsertValue(walker, extents[d], {kArrayShape, unsigned(d)});
    llvm::Value* stride = d == axis ? b.getInt64(0) : array_dim(out, kArrayStrides, od++);
    walker = b.CreateInsertValue(walker, stride, {kArrayStrides, unsigned(d)});
  }
  ops.push_back(Operand{nullptr, walker_type, walker, nullptr});
  ++elementwise_depth_;
  elementwise_loop(ops, ndim, shape, [&] {
    const Type* vt = nullptr;
    llvm::Value* v = element_value(source, ops, vt);
    llvm::Value* dst = ops.back().element;
    store_element(dst, combine(load_element(dst, dtype), v, vt), dtype);
  });
  --elementwise_depth_;
  hand_over_last_temporary();
  return out;
}

// Along the last axis of an array each output element is one row's
// reduction: accumulate in a register (which the vectorizer can widen)
// rather than through the output's memory.
llvm::Value* FunctionLowering::reduce_last_axis(
    const hir::Expr& source, const Type* out_type, llvm::Value* identity, llvm::Value** axis_extent,
    const std::function<llvm::Value*(llvm::Value*, llvm::Value*, const Type*)>& combine) {
  auto& b = builder_;
  const Type* st = source.type;
  int ndim = st->ndim;
  llvm::Value* src = expr(source);
  std::vector<llvm::Value*> out_extents;
  for (int d = 0; d + 1 < ndim; ++d) out_extents.push_back(array_dim(src, kArrayShape, d));
  llvm::Value* out = allocate_array(out_type, out_extents, false);
  llvm::Value* length = array_dim(src, kArrayShape, ndim - 1);
  llvm::Value* step = array_dim(src, kArrayStrides, ndim - 1);
  *axis_extent = length;
  const Type* dtype = out_type->dtype();
  const Type* src_dtype = st->dtype();
  llvm::Type* acc_ty = value_type(context(), dtype);
  llvm::Value* out_data = b.CreateExtractValue(out, kArrayData);
  llvm::Value* acc_slot = entry_alloca(acc_ty, "row.acc");
  llvm::Value* out_index = entry_alloca(b.getInt64Ty(), "row.out");
  b.CreateStore(b.getInt64(0), out_index);
  ++elementwise_depth_;
  std::function<void(int, llvm::Value*)> rows = [&](int d, llvm::Value* base) {
    if (d == ndim - 1) {
      b.CreateStore(identity, acc_slot);
      // Contiguous rows get element-typed addressing, which the vectorizer needs.
      llvm::BasicBlock* contiguous = new_block("row.contiguous");
      llvm::BasicBlock* strided = new_block("row.strided");
      llvm::BasicBlock* done = new_block("row.done");
      b.CreateCondBr(b.CreateICmpEQ(step, b.getInt64(itemsize(src_dtype))), contiguous, strided);
      for (bool typed : {true, false}) {
        b.SetInsertPoint(typed ? contiguous : strided);
        counted_loop(length, "row", [&](llvm::Value* i) {
          llvm::Value* p = typed ? b.CreateInBoundsGEP(memory_type(context(), src_dtype), base, i)
                                 : b.CreateGEP(b.getInt8Ty(), base, b.CreateMul(i, step));
          b.CreateStore(combine(b.CreateLoad(acc_ty, acc_slot), load_element(p, src_dtype), src_dtype), acc_slot);
        });
        b.CreateBr(done);
      }
      b.SetInsertPoint(done);
      llvm::Value* o = b.CreateLoad(b.getInt64Ty(), out_index);
      store_element(b.CreateInBoundsGEP(memory_type(context(), dtype), out_data, o), b.CreateLoad(acc_ty, acc_slot), dtype);
      b.CreateStore(b.CreateAdd(o, b.getInt64(1)), out_index);
      return;
    }
    llvm::Value* stride = array_dim(src, kArrayStrides, d);
    counted_loop(array_dim(src, kArrayShape, d), "rows" + std::to_string(d), [&](llvm::Value* i) {
      rows(d + 1, b.CreateGEP(b.getInt8Ty(), base, b.CreateMul(i, stride)));
    });
  };
  rows(0, b.CreateExtractValue(src, kArrayData));
  --elementwise_depth_;
  return out;
}


}  // namespace numjit::lower
