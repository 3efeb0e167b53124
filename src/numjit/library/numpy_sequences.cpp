// Functions over an array's elements in order: cumsum, cumprod, diff, sort,
// argsort (1-D; the sorting itself is std::sort / std::stable_sort in the
// runtime), and joining arrays: concatenate, hstack, vstack.
#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;
using t::Layout;

const Type* accumulation_dtype(const Type* d) {
  if (d->is_bool() || (d->is_integer() && d->is_signed())) return t::int64();
  if (d->is_integer()) return t::uint64();
  return d;
}

// np.cumsum(a) / a.cumsum() and cumprod: running totals over the flattened
// array, computed in place in a contiguous copy of the result's dtype.
Builtin running(const std::string& name, hir::BinaryOp op) {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 1 || !c.args[0]->is_array()) return std::nullopt;
    return Signature{t::array(accumulation_dtype(c.args[0]->dtype())->scalar, 1, Layout::C), {c.args[0]}};
  };
  LoweringRule lowering = [op](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* at = s.params[0];
    const Type* dtype = s.result->dtype();
    llvm::Value* out = f.copy_as(args[0], at, dtype);
    f.incref(out, s.result);  // copy_as parks the copy as a temporary; the result keeps it
    llvm::Value* n = f.array_size(out, at);
    llvm::Type* elem = codegen::memory_type(f.context(), dtype);
    llvm::Value* data = b.CreateExtractValue(out, codegen::kArrayData);
    f.counted_loop(b.CreateSub(n, f.i64(1)), "running", [&](llvm::Value* i) {
      llvm::Value* prev = b.CreateInBoundsGEP(elem, data, i);
      llvm::Value* next = b.CreateInBoundsGEP(elem, data, b.CreateAdd(i, f.i64(1)));
      f.store_element(next, f.binary_numpy(op, f.load_element(prev, dtype), f.load_element(next, dtype), dtype), dtype);
    });
    // An N-D source's copy is read as the 1-D result of the same elements.
    llvm::Value* flat = llvm::PoisonValue::get(codegen::array_struct(f.context(), 1));
    for (unsigned field : {codegen::kArrayMeminfo, codegen::kArrayParent, codegen::kArrayData})
      flat = b.CreateInsertValue(flat, b.CreateExtractValue(out, field), field);
    flat = b.CreateInsertValue(flat, n, {codegen::kArrayShape, 0u});
    return b.CreateInsertValue(flat, f.i64(codegen::itemsize(dtype)), {codegen::kArrayStrides, 0u});
  };
  return Builtin{name, typing, lowering};
}

// np.diff(a, n=1) of a 1-D array.
std::optional<Signature> diff_typing(const CallSite& c) {
  auto b = bind(c, {"a", "n"});
  if (!b || !b->has(0)) return std::nullopt;
  const Type* a = c.args[b->index[0]];
  if (!a->is_array() || a->ndim != 1 || a->dtype()->is_bool()) return std::nullopt;
  if (b->has(1) && !c.args[b->index[1]]->is_integer()) return std::nullopt;
  return Signature{t::array(a->scalar, 1, Layout::C), {}};
}

llvm::Value* diff_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* at = argument_expr(call, 0).type;
  llvm::Value* n = args.size() > 1 ? f.cast(args[1], argument_expr(call, 1).type, t::int64()) : f.i64(1);
  f.raise_if(b.CreateICmpSLT(n, f.i64(0)), abi::ExceptionKind::ValueError,
             "order must be non-negative but got a negative n");
  llvm::Value* out = f.copy_as(args[0], at, s.result->dtype());
  f.incref(out, s.result);  // copy_as parks its copy as a temporary; the result needs its own reference
  const Type* dtype = s.result->dtype();
  llvm::Type* elem = codegen::memory_type(f.context(), dtype);
  llvm::Value* data = b.CreateExtractValue(out, codegen::kArrayData);
  llvm::Value* length = f.array_dim(out, codegen::kArrayShape, 0);
  n = b.CreateSelect(b.CreateICmpSGT(n, length), length, n);
  // n passes of a[i] = a[i + 1] - a[i], each one element shorter.
  f.counted_loop(n, "diff.pass", [&](llvm::Value* pass) {
    llvm::Value* count = b.CreateSub(b.CreateSub(length, pass), f.i64(1));
    f.counted_loop(count, "diff", [&](llvm::Value* i) {
      llvm::Value* p = b.CreateInBoundsGEP(elem, data, i);
      llvm::Value* q = b.CreateInBoundsGEP(elem, data, b.CreateAdd(i, f.i64(1)));
      llvm::Value* d = f.binary_numpy(hir::BinaryOp::Sub, f.load_element(q, dtype), f.load_element(p, dtype), dtype);
      f.store_element(p, d, dtype);
    });
  });
  return b.CreateInsertValue(out, b.CreateSub(length, n), {codegen::kArrayShape, 0u});
}

bool sortable(const Type* a) { return a->is_array() && a->ndim == 1; }

// np.sort(a): a sorted copy; a.sort(): in place (a contiguous 1-D array).
std::optional<Signature> sort_typing(const CallSite& c) {
  if (c.args.size() != 1 || !sortable(c.args[0])) return std::nullopt;
  return Signature{t::array(c.args[0]->scalar, 1, Layout::C), {c.args[0]}};
}

void sort_in_place(RowContext& f, llvm::Value* array, const Type* dtype) {
  auto& b = f.builder();
  llvm::FunctionCallee sort = codegen::runtime_function(f.module(), codegen::RuntimeFunction::sort);
  b.CreateCall(sort, {b.CreateExtractValue(array, codegen::kArrayData), f.array_dim(array, codegen::kArrayShape, 0),
                      b.getInt32(static_cast<int32_t>(dtype->scalar))});
}

llvm::Value* sort_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  llvm::Value* out = f.copy_as(args[0], s.params[0], s.result->dtype());
  f.incref(out, s.result);
  sort_in_place(f, out, s.result->dtype());
  return out;
}

std::optional<Signature> sort_method_typing(const CallSite& c) {
  if (c.args.size() != 1 || !sortable(c.args[0]) || c.args[0]->readonly) return std::nullopt;
  return Signature{t::none(), {c.args[0]}};
}

llvm::Value* sort_method_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  const Type* at = s.params[0];
  if (at->layout == Layout::C) {
    sort_in_place(f, args[0], at->dtype());
  } else {  // sort a contiguous copy, then write it back
    llvm::Value* copy = f.copy_as(args[0], at, at->dtype());
    sort_in_place(f, copy, at->dtype());
    f.copy_into(args[0], at, copy, t::array(at->scalar, 1, Layout::C));
  }
  return f.builder().getInt8(0);
}

std::optional<Signature> argsort_typing(const CallSite& c) {
  if (c.args.size() != 1 || !sortable(c.args[0])) return std::nullopt;
  return Signature{t::array(abi::ScalarKind::Int64, 1, Layout::C), {c.args[0]}};
}

llvm::Value* argsort_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* at = s.params[0];
  llvm::Value* keys = at->layout == Layout::C ? args[0] : f.copy_as(args[0], at, at->dtype());
  llvm::Value* n = f.array_dim(args[0], codegen::kArrayShape, 0);
  llvm::Value* out = f.allocate_array(s.result, {n}, false);
  llvm::FunctionCallee argsort = codegen::runtime_function(f.module(), codegen::RuntimeFunction::argsort);
  b.CreateCall(argsort, {b.CreateExtractValue(keys, codegen::kArrayData), n, b.getInt32(static_cast<int32_t>(at->dtype()->scalar)),
                         b.CreateExtractValue(out, codegen::kArrayData)});
  return out;
}

// np.concatenate((a, b, ...), axis=0), np.hstack, np.vstack: a tuple of arrays
// of one number of dimensions; the result's dtype is their common one.
enum class Join { Concatenate, HStack, VStack };

const Type* joined_type(const Type* pieces, int& ndim_out) {
  if (pieces->kind != t::TypeKind::Tuple || pieces->elements.empty()) return nullptr;
  const Type* dtype = nullptr;
  int ndim = -1;
  for (const Type* e : pieces->elements) {
    if (!e->is_array()) return nullptr;
    if (ndim >= 0 && e->ndim != ndim) return nullptr;
    ndim = e->ndim;
    dtype = dtype ? t::numpy_promote(dtype, e->dtype()) : e->dtype();
  }
  ndim_out = ndim;
  return dtype;
}

Builtin joining(const char* name, Join how) {
  TypingRule typing = [how](const CallSite& c) -> std::optional<Signature> {
    auto b = how == Join::Concatenate ? bind(c, {"arrays", "axis"}) : bind(c, {"tup"});
    if (!b || !b->has(0)) return std::nullopt;
    int ndim = 0;
    const Type* dtype = joined_type(c.args[b->index[0]], ndim);
    if (!dtype || ndim < 1) return std::nullopt;
    if (how == Join::Concatenate && b->has(1)) {
      std::optional<int64_t> axis = constant_int(argument_expr(c.call, b->index[1]));
      if (!axis) unsupported(c.call.span, "np.concatenate(): axis must be an integer constant in compiled code");
      if (*axis < -ndim || *axis >= ndim)
        typing_error(c.call.span, "axis " + std::to_string(*axis) + " is out of bounds for array of dimension " +
                                      std::to_string(ndim));
    }
    int out_ndim = how == Join::VStack && ndim == 1 ? 2 : ndim;
    return Signature{t::array(dtype->scalar, out_ndim, Layout::C), {}};
  };
  LoweringRule lowering = [how](RowContext& f, const hir::Expr& call, const Signature& s,
                                std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* tt = argument_expr(call, 0).type;
    llvm::Value* tuple = args[0];
    int nd = tt->elements[0]->ndim;
    int axis = 0;
    if (how == Join::Concatenate && args.size() > 1) {
      axis = static_cast<int>(*constant_int(argument_expr(call, 1)));
      if (axis < 0) axis += nd;
    }
    if (how == Join::HStack && nd > 1) axis = 1;
    bool promote_rows = how == Join::VStack && nd == 1;  // 1-D pieces become rows
    size_t count = tt->elements.size();
    // Each piece as the result sees it: rows for vstack of vectors.
    std::vector<llvm::Value*> pieces;
    std::vector<const Type*> piece_types;
    for (unsigned k = 0; k < count; ++k) {
      llvm::Value* p = b.CreateExtractValue(tuple, k);
      const Type* pt = tt->elements[k];
      if (promote_rows) {
        llvm::Value* row = llvm::PoisonValue::get(codegen::array_struct(f.context(), 2));
        for (unsigned field : {codegen::kArrayMeminfo, codegen::kArrayParent, codegen::kArrayData})
          row = b.CreateInsertValue(row, b.CreateExtractValue(p, field), field);
        row = b.CreateInsertValue(row, f.i64(1), {codegen::kArrayShape, 0u});
        row = b.CreateInsertValue(row, f.i64(0), {codegen::kArrayStrides, 0u});
        row = b.CreateInsertValue(row, f.array_dim(p, codegen::kArrayShape, 0), {codegen::kArrayShape, 1u});
        row = b.CreateInsertValue(row, f.array_dim(p, codegen::kArrayStrides, 0), {codegen::kArrayStrides, 1u});
        p = row;
        pt = t::array(pt->scalar, 2, Layout::Any);
      }
      pieces.push_back(p);
      piece_types.push_back(pt);
    }
    int out_nd = s.result->ndim;
    // The result's shape: the first piece's, with the joined axis summed; the others must match.
    std::vector<llvm::Value*> shape;
    for (int d = 0; d < out_nd; ++d) shape.push_back(f.array_dim(pieces[0], codegen::kArrayShape, d));
    llvm::Value* mismatch = b.getFalse();
    for (size_t k = 1; k < count; ++k) {
      for (int d = 0; d < out_nd; ++d) {
        llvm::Value* extent = f.array_dim(pieces[k], codegen::kArrayShape, d);
        if (d == axis) shape[d] = b.CreateAdd(shape[d], extent);
        else mismatch = b.CreateOr(mismatch, b.CreateICmpNE(extent, shape[d]));
      }
    }
    f.raise_if(mismatch, abi::ExceptionKind::ValueError,
               "all the input array dimensions except for the concatenation axis must match exactly");
    llvm::Value* out = f.allocate_array(s.result, shape, false);
    llvm::Value* offset = f.i64(0);
    llvm::Value* axis_stride = f.array_dim(out, codegen::kArrayStrides, axis);
    const Type* view_type = t::array(s.result->scalar, out_nd, Layout::Any);
    for (size_t k = 0; k < count; ++k) {
      llvm::Value* extent = f.array_dim(pieces[k], codegen::kArrayShape, axis);
      llvm::Value* view = b.CreateInsertValue(out, extent, {codegen::kArrayShape, static_cast<unsigned>(axis)});
      llvm::Value* data = b.CreateGEP(b.getInt8Ty(), b.CreateExtractValue(out, codegen::kArrayData), b.CreateMul(offset, axis_stride));
      view = b.CreateInsertValue(view, data, codegen::kArrayData);
      f.copy_into(view, view_type, pieces[k], piece_types[k]);
      offset = b.CreateAdd(offset, extent);
    }
    return out;
  };
  return Builtin{name, typing, lowering, true};
}

}  // namespace

void register_numpy_sequences(std::vector<Builtin>& table) {
  for (const char* prefix : {"np.", "array."}) {
    table.push_back(running(std::string(prefix) + "cumsum", hir::BinaryOp::Add));
    table.push_back(running(std::string(prefix) + "cumprod", hir::BinaryOp::Mul));
    table.push_back(Builtin{std::string(prefix) + "argsort", argsort_typing, argsort_lowering});
  }
  table.push_back(Builtin{"np.diff", diff_typing, diff_lowering, true});
  table.push_back(Builtin{"np.sort", sort_typing, sort_lowering});
  table.push_back(Builtin{"array.sort", sort_method_typing, sort_method_lowering});
  table.push_back(joining("np.concatenate", Join::Concatenate));
  table.push_back(joining("np.hstack", Join::HStack));
  table.push_back(joining("np.vstack", Join::VStack));
}

}  // namespace numjit::library
