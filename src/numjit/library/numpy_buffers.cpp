// An array's memory as bytes, and bytes as an array: np.frombuffer(buffer,
// dtype=float, count=-1, offset=0) views a C-ordered array's (or a bytes
// value's) memory as another dtype; a.tobytes() copies an array's elements in
// C order into a new bytes value (types::bytes()); numjit.array_address(a),
// for a.ctypes.data, is the address of an array's first element.
#include "numjit/codegen/llvm_types.h"
#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"

namespace numjit::library {
namespace {

namespace t = types;

// np.frombuffer: NumPy's checks and messages, and one more of compiled code's:
// a view that is not empty must have its data aligned for its dtype (an
// offset that is not a multiple of the alignment would make every load of
// the view misaligned).
Builtin frombuffer() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    auto bound = bind(c, {"buffer", "dtype", "count", "offset"});
    if (!bound || !bound->has(0) || !c.args[bound->index[0]]->is_array()) return std::nullopt;
    const Type* buffer = c.args[bound->index[0]];
    if (buffer->layout != t::Layout::C)
      typing_error(c.call.span, "np.frombuffer() needs a C-contiguous buffer (bytes or a C-ordered array); this "
                                "one is " + buffer->name + ": pass np.ascontiguousarray(...)");
    const Type* dtype = t::float64();
    if (bound->has(1)) {
      dtype = dtype_argument(argument_expr(c.call, bound->index[1]));
      if (!dtype || !dtype->is_scalar()) return std::nullopt;
    }
    std::vector<const Type*> params(c.args.size(), nullptr);
    params[bound->index[0]] = buffer;
    for (size_t p : {size_t(2), size_t(3)}) {
      if (!bound->has(p)) continue;
      if (!c.args[bound->index[p]]->is_integer()) return std::nullopt;
      params[bound->index[p]] = t::int64();
    }
    return Signature{t::array(dtype->scalar, 1, t::Layout::C, buffer->readonly), params};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    BoundArguments bound = bound_arguments(s);
    llvm::Value* buffer = args[bound.index[0]];
    const Type* buffer_type = s.params[bound.index[0]];
    int64_t itemsize = codegen::itemsize(s.result->dtype());
    llvm::Value* nbytes = b.CreateMul(f.array_size(buffer, buffer_type), f.i64(codegen::itemsize(buffer_type->dtype())));
    llvm::Value* offset = bound.has(3) ? args[bound.index[3]] : f.i64(0);
    f.raise_if(b.CreateOr(b.CreateICmpSLT(offset, f.i64(0)), b.CreateICmpSGT(offset, nbytes)),
               ExceptionKind::ValueError, "offset must be non-negative and no greater than buffer length");
    llvm::Value* available = b.CreateSub(nbytes, offset);
    llvm::Value* count = bound.has(2) ? args[bound.index[2]] : f.i64(-1);
    llvm::Value* all = b.CreateICmpSLT(count, f.i64(0));
    f.raise_if(b.CreateAnd(all, b.CreateICmpNE(b.CreateSRem(available, f.i64(itemsize)), f.i64(0))),
               ExceptionKind::ValueError, "buffer size must be a multiple of element size");
    f.raise_if(b.CreateAnd(b.CreateNot(all), b.CreateICmpSLT(available, b.CreateMul(count, f.i64(itemsize)))),
               ExceptionKind::ValueError, "buffer is smaller than requested size");
    count = b.CreateSelect(all, b.CreateSDiv(available, f.i64(itemsize)), count);
    llvm::Value* data = b.CreateGEP(b.getInt8Ty(), b.CreateExtractValue(buffer, codegen::kArrayData), offset);
    int64_t alignment = s.result->dtype()->is_complex() ? itemsize / 2 : itemsize;  // a complex is two floats
    llvm::Value* misaligned = b.CreateAnd(b.CreatePtrToInt(data, b.getInt64Ty()), f.i64(alignment - 1));
    f.raise_if(b.CreateAnd(b.CreateICmpNE(misaligned, f.i64(0)), b.CreateICmpSGT(count, f.i64(0))),
               ExceptionKind::ValueError,
               "np.frombuffer() in compiled code needs the data at offset to be aligned to the dtype's size "
               "(an offset that is a multiple of the itemsize)");
    llvm::Value* view = llvm::PoisonValue::get(codegen::array_struct(f.context(), 1));
    view = b.CreateInsertValue(view, b.CreateExtractValue(buffer, codegen::kArrayMeminfo), codegen::kArrayMeminfo);
    view = b.CreateInsertValue(view, b.CreateExtractValue(buffer, codegen::kArrayParent), codegen::kArrayParent);
    view = b.CreateInsertValue(view, data, codegen::kArrayData);
    view = b.CreateInsertValue(view, count, {codegen::kArrayShape, 0});
    view = b.CreateInsertValue(view, f.i64(itemsize), {codegen::kArrayStrides, 0});
    f.incref(view, s.result);  // the view shares the buffer's memory
    return view;
  };
  return Builtin{"np.frombuffer", typing, lowering, true};
}

// a.tobytes(): a C-ordered copy of the elements, retyped as the bytes of its memory.
Builtin tobytes() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 1 || !c.args[0]->is_array()) return std::nullopt;
    return Signature{t::bytes(), {c.args[0]}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* a = s.params[0];
    llvm::Value* copy = f.copy_as(args[0], a, a->dtype());  // a temporary: the bytes take a reference of their own
    llvm::Value* nbytes = b.CreateMul(f.array_size(args[0], a), f.i64(codegen::itemsize(a->dtype())));
    llvm::Value* out = llvm::PoisonValue::get(codegen::array_struct(f.context(), 1));
    for (unsigned field : {codegen::kArrayMeminfo, codegen::kArrayParent, codegen::kArrayData})
      out = b.CreateInsertValue(out, b.CreateExtractValue(copy, field), field);
    out = b.CreateInsertValue(out, nbytes, {codegen::kArrayShape, 0});
    out = b.CreateInsertValue(out, f.i64(1), {codegen::kArrayStrides, 0});
    f.incref(out, s.result);
    return out;
  };
  return Builtin{"array.tobytes", typing, lowering};
}

// numjit.array_address(a), which a.ctypes.data reads as: Numba's uintp.
Builtin array_address() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 1 || !c.args[0]->is_array()) return std::nullopt;
    return Signature{t::uint64(), {c.args[0]}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    return b.CreatePtrToInt(b.CreateExtractValue(args[0], codegen::kArrayData), b.getInt64Ty());
  };
  return Builtin{"numjit.array_address", typing, lowering};
}

}  // namespace

void register_numpy_buffers(std::vector<Builtin>& table) {
  table.push_back(frombuffer());
  table.push_back(tobytes());
  table.push_back(array_address());
}

}  // namespace numjit::library
