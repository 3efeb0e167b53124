// NumPy array creation in compiled code: empty/zeros/ones/full and their
// *_like forms, arange, linspace, eye, identity, copy/asarray. Every row
// returns a new reference (lower/ownership.cpp parks it until its statement
// ends or a local takes it).
#include <llvm/IR/Intrinsics.h>

#include "numjit/library/arguments.h"
#include "numjit/types/array_typing.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;
using t::Layout;

const Type* c_array(const Type* dtype, int ndim) { return t::array(dtype->scalar, ndim, Layout::C); }

// The dtype= argument, or `fallback` when absent; a TypingError when it names no dtype.
const Type* dtype_or(const CallSite& c, const BoundArguments& b, size_t param, const Type* fallback) {
  if (!b.has(param)) return fallback;
  const hir::Expr& e = argument_expr(c.call, b.index[param]);
  if (e.type->kind == t::TypeKind::NoneType) return fallback;
  const Type* d = dtype_argument(e);
  if (!d) typing_error(e.span, "data type not understood: use a NumPy type (np.float32), a string ('float32') or a.dtype");
  return d;
}

std::vector<llvm::Value*> shape_values(RowContext& f, llvm::Value* v, const Type* type) {
  if (type->kind != t::TypeKind::Tuple) return {f.cast(v, type, t::int64())};
  std::vector<llvm::Value*> out;
  for (unsigned i = 0; i < type->elements.size(); ++i)
    out.push_back(f.cast(f.builder().CreateExtractValue(v, i), type->elements[i], t::int64()));
  return out;
}

std::vector<llvm::Value*> shape_of(RowContext& f, llvm::Value* array, const Type* type) {
  std::vector<llvm::Value*> out;
  for (int d = 0; d < type->ndim; ++d) out.push_back(f.array_dim(array, codegen::kArrayShape, d));
  return out;
}

// Writes `value` into every element of a fresh contiguous array.
void fill_contiguous(RowContext& f, llvm::Value* array, const Type* type, llvm::Value* value) {
  auto& b = f.builder();
  const Type* dtype = type->dtype();
  llvm::Type* elem = codegen::memory_type(f.context(), dtype);
  llvm::Value* data = b.CreateExtractValue(array, codegen::kArrayData);
  if (dtype->is_bool()) value = b.CreateZExt(value, b.getInt8Ty());
  f.counted_loop(f.array_size(array, type), "fill", [&](llvm::Value* i) {
    b.CreateStore(value, b.CreateInBoundsGEP(elem, data, i));
  });
}

llvm::Value* constant_one(RowContext& f, const Type* dtype) {
  return f.cast(f.i64(1), t::int64(), dtype);
}

// np.empty / np.zeros / np.ones (shape, dtype=float)
enum class Fill { None, Zero, One };

Builtin filled(const char* name, Fill fill) {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    auto b = bind(c, {"shape", "dtype"});
    if (!b || !b->has(0)) return std::nullopt;
    int nd = shape_ndim(c.args[b->index[0]]);
    if (nd < 0) return std::nullopt;
    return Signature{c_array(dtype_or(c, *b, 1, t::float64()), nd), {}};
  };
  LoweringRule lowering = [fill](RowContext& f, const hir::Expr& call, const Signature& s,
                                 std::vector<llvm::Value*> args) {
    llvm::Value* a = f.allocate_array(s.result, shape_values(f, args[0], argument_expr(call, 0).type), fill == Fill::Zero);
    if (fill == Fill::One) fill_contiguous(f, a, s.result, constant_one(f, s.result->dtype()));
    return a;
  };
  return Builtin{name, typing, lowering, true};
}

// np.full(shape, fill_value, dtype=None)
std::optional<Signature> full_typing(const CallSite& c) {
  auto b = bind(c, {"shape", "fill_value", "dtype"});
  if (!b || !b->has(0) || !b->has(1)) return std::nullopt;
  int nd = shape_ndim(c.args[b->index[0]]);
  const Type* value = c.args[b->index[1]];
  if (nd < 0 || !value->is_scalar()) return std::nullopt;
  return Signature{c_array(dtype_or(c, *b, 2, value), nd), {}};
}

llvm::Value* full_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  llvm::Value* a = f.allocate_array(s.result, shape_values(f, args[0], argument_expr(call, 0).type), false);
  fill_contiguous(f, a, s.result, f.cast(args[1], argument_expr(call, 1).type, s.result->dtype()));
  return a;
}

// np.empty_like / zeros_like / ones_like (a, dtype=None), np.full_like(a, fill_value, dtype=None)
Builtin like(const char* name, Fill fill, bool with_value) {
  TypingRule typing = [with_value](const CallSite& c) -> std::optional<Signature> {
    auto b = with_value ? bind(c, {"a", "fill_value", "dtype"}) : bind(c, {"a", "dtype"});
    if (!b || !b->has(0) || (with_value && !b->has(1))) return std::nullopt;
    const Type* a = c.args[b->index[0]];
    if (!a->is_array() && !a->is_scalar()) return std::nullopt;
    const Type* d = dtype_or(c, *b, with_value ? 2 : 1, t::element_type(a));
    Layout l = a->is_array() && a->layout == Layout::F ? Layout::F : Layout::C;  // order='K'
    return Signature{t::array(d->scalar, a->is_array() ? a->ndim : 0, l), {}};
  };
  LoweringRule lowering = [fill, with_value](RowContext& f, const hir::Expr& call, const Signature& s,
                                             std::vector<llvm::Value*> args) {
    const Type* at = argument_expr(call, 0).type;
    std::vector<llvm::Value*> shape = at->is_array() ? shape_of(f, args[0], at) : std::vector<llvm::Value*>{};
    llvm::Value* a = f.allocate_array(s.result, shape, fill == Fill::Zero);
    if (fill == Fill::One) fill_contiguous(f, a, s.result, constant_one(f, s.result->dtype()));
    if (with_value) fill_contiguous(f, a, s.result, f.cast(args[1], argument_expr(call, 1).type, s.result->dtype()));
    return a;
  };
  return Builtin{name, typing, lowering, true};
}

// np.arange([start,] stop[, step], dtype=None)
std::optional<Signature> arange_typing(const CallSite& c) {
  auto b = bind(c, {"start", "stop", "step", "dtype"});
  if (!b || !b->has(0)) return std::nullopt;
  const Type* common = t::int64();
  for (size_t p = 0; p < 3; ++p) {
    if (!b->has(p)) continue;
    const Type* a = c.args[b->index[p]];
    if (!a->is_scalar() || a->is_complex()) return std::nullopt;
    if (a->is_float()) common = t::float64();
  }
  return Signature{c_array(dtype_or(c, *b, 3, common), 1), {}};
}

llvm::Value* arange_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  std::vector<const Type*> arg_types;
  for (size_t i = 0; i < args.size(); ++i) arg_types.push_back(argument_expr(call, i).type);
  size_t positional = args.size() - call.keyword_names.size();
  auto keyword = [&](const char* name) -> int {
    for (size_t k = 0; k < call.keyword_names.size(); ++k)
      if (call.keyword_names[k] == name) return static_cast<int>(positional + k);
    return -1;
  };
  int start_i = positional >= 2 ? 0 : keyword("start");
  int stop_i = positional >= 2 ? 1 : positional == 1 ? 0 : keyword("stop");
  int step_i = positional >= 3 ? 2 : keyword("step");
  if (positional == 1 && keyword("stop") >= 0) {  // arange(start, stop=...)
    start_i = 0;
    stop_i = keyword("stop");
  }
  bool floating = false;
  for (int i : {start_i, stop_i, step_i})
    if (i >= 0 && arg_types[i]->is_float()) floating = true;
  const Type* ct = floating ? t::float64() : t::int64();
  auto value = [&](int i, int64_t dflt) { return i >= 0 ? f.cast(args[i], arg_types[i], ct) : f.cast(f.i64(dflt), t::int64(), ct); };
  llvm::Value* start = value(start_i, 0);
  llvm::Value* stop = value(stop_i, 0);
  llvm::Value* step = value(step_i, 1);
  llvm::Value* length;
  if (floating) {
    llvm::Value* zero_step = b.CreateFCmpOEQ(step, llvm::ConstantFP::get(b.getDoubleTy(), 0.0));
    f.raise_if(zero_step, abi::ExceptionKind::ZeroDivisionError, "float division by zero");
    llvm::Value* n = f.call_intrinsic(llvm::Intrinsic::ceil, b.getDoubleTy(), {b.CreateFDiv(b.CreateFSub(stop, start), step)});
    n = b.CreateSelect(b.CreateFCmpOGT(n, llvm::ConstantFP::get(b.getDoubleTy(), 0.0)), n,
                       llvm::ConstantFP::get(b.getDoubleTy(), 0.0));
    length = b.CreateFPToSI(n, b.getInt64Ty());
  } else {
    f.raise_if(b.CreateICmpEQ(step, f.i64(0)), abi::ExceptionKind::ZeroDivisionError, "division by zero");
    length = f.range_count(start, stop, step);
  }
  llvm::Value* a = f.allocate_array(s.result, {length}, false);
  const Type* dtype = s.result->dtype();
  llvm::Type* elem = codegen::memory_type(f.context(), dtype);
  llvm::Value* data = b.CreateExtractValue(a, codegen::kArrayData);
  f.counted_loop(length, "arange", [&](llvm::Value* i) {
    llvm::Value* x = floating ? b.CreateFAdd(start, b.CreateFMul(b.CreateSIToFP(i, b.getDoubleTy()), step))
                              : b.CreateAdd(start, b.CreateMul(i, step));
    llvm::Value* v = f.cast(x, ct, dtype);
    if (dtype->is_bool()) v = b.CreateZExt(v, b.getInt8Ty());
    b.CreateStore(v, b.CreateInBoundsGEP(elem, data, i));
  });
  return a;
}

// np.linspace(start, stop, num=50, endpoint=True): NumPy's formula, start + i*step, the last value exactly stop.
std::optional<Signature> linspace_typing(const CallSite& c) {
  auto b = bind(c, {"start", "stop", "num", "endpoint"});
  if (!b || !b->has(0) || !b->has(1)) return std::nullopt;
  bool complex = false;
  for (size_t p = 0; p < 4; ++p) {
    if (b->has(p) && !c.args[b->index[p]]->is_scalar()) return std::nullopt;
    if (b->has(p) && p < 2 && c.args[b->index[p]]->is_complex()) complex = true;
  }
  return Signature{c_array(complex ? t::complex128() : t::float64(), 1), {}};
}

llvm::Value* linspace_lowering(RowContext& f, const hir::Expr& call, const Signature& s,
                               std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  BoundArguments bound = bound_arguments(s);
  auto arg = [&](size_t p, const Type* to) { return f.cast(args[bound.index[p]], s.args[bound.index[p]], to); };
  const Type* ct = s.result->dtype();
  llvm::Value* start = arg(0, ct);
  llvm::Value* stop = arg(1, ct);
  llvm::Value* num = bound.has(2) ? arg(2, t::int64()) : f.i64(50);
  llvm::Value* endpoint = bound.has(3) ? arg(3, t::boolean()) : b.getTrue();
  f.raise_if(b.CreateICmpSLT(num, f.i64(0)), abi::ExceptionKind::ValueError,
             "Number of samples must be non-negative.");
  llvm::Value* div = b.CreateSelect(endpoint, b.CreateSub(num, f.i64(1)), num);
  // With nothing to divide by (one sample and the endpoint) the step is unused.
  div = b.CreateSelect(b.CreateICmpSGT(div, f.i64(0)), div, f.i64(1));
  llvm::Value* delta = f.binary_scalar(hir::BinaryOp::Sub, stop, start, ct, {});
  llvm::Value* step = f.binary_scalar(hir::BinaryOp::TrueDiv, delta, f.cast(div, t::int64(), ct), ct, {});
  llvm::Value* a = f.allocate_array(s.result, {num}, false);
  llvm::Value* data = b.CreateExtractValue(a, codegen::kArrayData);
  llvm::Value* last = b.CreateSub(num, f.i64(1));
  llvm::Type* elem = codegen::memory_type(f.context(), ct);
  f.counted_loop(num, "linspace", [&](llvm::Value* i) {
    llvm::Value* x = f.binary_scalar(hir::BinaryOp::Add,
                                     f.binary_scalar(hir::BinaryOp::Mul, f.cast(i, t::int64(), ct), step, ct, {}), start,
                                     ct, {});
    llvm::Value* at_end = b.CreateAnd(endpoint, b.CreateAnd(b.CreateICmpEQ(i, last), b.CreateICmpSGT(num, f.i64(1))));
    b.CreateStore(b.CreateSelect(at_end, stop, x), b.CreateInBoundsGEP(elem, data, i));
  });
  return a;
}

// np.eye(N, M=None, k=0, dtype=float) and np.identity(n, dtype=float)
std::optional<Signature> eye_typing(const CallSite& c) {
  auto b = bind(c, {"N", "M", "k", "dtype"});
  if (!b || !b->has(0)) return std::nullopt;
  for (size_t p = 0; p < 3; ++p)
    if (b->has(p) && !c.args[b->index[p]]->is_integer() && c.args[b->index[p]]->kind != t::TypeKind::NoneType)
      return std::nullopt;
  return Signature{c_array(dtype_or(c, *b, 3, t::float64()), 2), {}};
}

llvm::Value* eye_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  BoundArguments bound = bound_arguments(s);
  auto present = [&](size_t p) { return bound.has(p) && s.args[bound.index[p]]->kind != t::TypeKind::NoneType; };
  llvm::Value* n = f.cast(args[bound.index[0]], s.args[bound.index[0]], t::int64());
  llvm::Value* m = present(1) ? f.cast(args[bound.index[1]], s.args[bound.index[1]], t::int64()) : n;
  llvm::Value* k = present(2) ? f.cast(args[bound.index[2]], s.args[bound.index[2]], t::int64()) : f.i64(0);
  llvm::Value* a = f.allocate_array(s.result, {n, m}, true);
  const Type* dtype = s.result->dtype();
  llvm::Value* one = constant_one(f, dtype);
  if (dtype->is_bool()) one = b.CreateZExt(one, b.getInt8Ty());
  llvm::Value* data = b.CreateExtractValue(a, codegen::kArrayData);
  // Row i holds its one at column i + k, for rows where that column exists.
  llvm::Value* first = b.CreateSelect(b.CreateICmpSLT(k, f.i64(0)), b.CreateNeg(k), f.i64(0));
  llvm::Value* end = b.CreateSub(m, k);
  end = b.CreateSelect(b.CreateICmpSLT(n, end), n, end);
  f.counted_loop(b.CreateSub(end, first), "eye", [&](llvm::Value* j) {
    llvm::Value* row = b.CreateAdd(first, j);
    llvm::Value* index = b.CreateAdd(b.CreateMul(row, m), b.CreateAdd(row, k));
    b.CreateStore(one, b.CreateInBoundsGEP(codegen::memory_type(f.context(), dtype), data, index));
  });
  return a;
}

std::optional<Signature> identity_typing(const CallSite& c) {
  auto b = bind(c, {"n", "dtype"});
  if (!b || !b->has(0) || !c.args[b->index[0]]->is_integer()) return std::nullopt;
  return Signature{c_array(dtype_or(c, *b, 1, t::float64()), 2), {}};
}

llvm::Value* identity_lowering(RowContext& f, const hir::Expr& call, const Signature& s,
                               std::vector<llvm::Value*> args) {
  llvm::Value* n = f.cast(args[0], argument_expr(call, 0).type, t::int64());
  auto& b = f.builder();
  llvm::Value* a = f.allocate_array(s.result, {n, n}, true);
  const Type* dtype = s.result->dtype();
  llvm::Value* one = constant_one(f, dtype);
  if (dtype->is_bool()) one = b.CreateZExt(one, b.getInt8Ty());
  llvm::Value* data = b.CreateExtractValue(a, codegen::kArrayData);
  f.counted_loop(n, "identity", [&](llvm::Value* i) {
    b.CreateStore(one, b.CreateInBoundsGEP(codegen::memory_type(f.context(), dtype), data,
                                           b.CreateAdd(b.CreateMul(i, n), i)));
  });
  return a;
}

// The shape and dtype of an array built from nested tuples of numbers
// (np.array(((1.0, 2.0), (3.0, x)))): every level rectangular, the dtype
// NumPy's promotion of the numbers'; nullopt otherwise.
struct NestedShape {
  std::vector<int64_t> extents;
  const Type* dtype = nullptr;
};

std::optional<NestedShape> nested_shape(const Type* t) {
  if (t->is_scalar()) return NestedShape{{}, t};
  if (t->kind != t::TypeKind::Tuple) return std::nullopt;
  NestedShape out;
  out.extents.push_back(static_cast<int64_t>(t->elements.size()));
  std::optional<std::vector<int64_t>> inner;
  for (const Type* e : t->elements) {
    std::optional<NestedShape> part = nested_shape(e);
    if (!part || !part->dtype || (inner && *inner != part->extents)) return std::nullopt;
    inner = part->extents;
    out.dtype = out.dtype ? t::numpy_promote(out.dtype, part->dtype) : part->dtype;
  }
  if (inner) out.extents.insert(out.extents.end(), inner->begin(), inner->end());
  if (!out.dtype) out.dtype = t::float64();  // np.array(()) is float64
  return out;
}

// Stores the numbers of nested tuple `v` into `data` in C order from `index`.
void store_nested(RowContext& f, llvm::Value* v, const Type* t, llvm::Value* data, const Type* dtype, int64_t& index) {
  if (t->is_scalar()) {
    llvm::Value* slot = f.builder().CreateConstInBoundsGEP1_64(codegen::memory_type(f.context(), dtype), data,
                                                               static_cast<uint64_t>(index++));
    f.store_element(slot, f.cast(v, t, dtype), dtype);
    return;
  }
  for (unsigned i = 0; i < t->elements.size(); ++i)
    store_nested(f, f.builder().CreateExtractValue(v, i), t->elements[i], data, dtype, index);
}

// np.copy(a), a.copy(), np.array(a[, dtype]), a.astype(dtype),
// np.asarray(a[, dtype]): a C-contiguous array; an array expression argument
// is computed straight into it. np.asarray returns its argument itself when
// it already is an array of the dtype.
enum class Dtype { None, Optional, Required };

Builtin copying(const char* name, Dtype dtype, bool keep_fortran, bool reuse = false) {
  TypingRule typing = [dtype, keep_fortran, reuse](const CallSite& c) -> std::optional<Signature> {
    auto b = dtype != Dtype::None ? bind(c, {"a", "dtype"}) : bind(c, {"a"});
    if (!b || !b->has(0) || (dtype == Dtype::Required && !b->has(1))) return std::nullopt;
    const Type* a = c.args[b->index[0]];
    if (a->kind == t::TypeKind::Tuple && dtype == Dtype::Optional) {  // np.array(((1, 2), (3, x)))
      std::optional<NestedShape> nested = nested_shape(a);
      if (!nested) return std::nullopt;
      const Type* d = dtype_or(c, *b, 1, nested->dtype);
      return Signature{c_array(d, static_cast<int>(nested->extents.size())), {}};
    }
    if (a->kind == t::TypeKind::List) {  // np.array(lst): a 1-D array of the items
      const Type* item = types::list_item(a);
      if (!item->is_scalar()) return std::nullopt;
      const Type* d = dtype != Dtype::None ? dtype_or(c, *b, 1, item) : item;
      return d ? std::optional<Signature>(Signature{c_array(d, 1), {}}) : std::nullopt;
    }
    if (!a->is_array()) return std::nullopt;
    const Type* d = dtype != Dtype::None ? dtype_or(c, *b, 1, a->dtype()) : a->dtype();
    if (!d) return std::nullopt;
    if (reuse && d == a->dtype()) return Signature{a, {}};
    return Signature{t::array(d->scalar, a->ndim, keep_fortran && a->layout == Layout::F ? Layout::F : Layout::C), {}};
  };
  LoweringRule lowering = [reuse](RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*>) {
    const hir::Expr& source = argument_expr(call, 0);
    if (source.type->kind == t::TypeKind::List) return f.list_to_array(f.expr(source), source.type, s.result);
    if (source.type->kind == t::TypeKind::Tuple) {
      std::vector<llvm::Value*> shape;
      const NestedShape nested = *nested_shape(source.type);
      for (int64_t extent : nested.extents) shape.push_back(f.i64(extent));
      llvm::Value* out = f.allocate_array(s.result, shape, false);
      int64_t index = 0;
      store_nested(f, f.expr(source), source.type, f.builder().CreateExtractValue(out, codegen::kArrayData),
                   s.result->dtype(), index);
      return out;
    }
    if (reuse && s.result == source.type) {
      llvm::Value* same = f.expr(source);
      f.incref(same, s.result);  // the call's result holds its own reference
      return same;
    }
    return f.materialize(source, s.result);
  };
  Builtin row{name, typing, lowering, true};
  row.lazy_arguments = true;
  return row;
}

}  // namespace

void register_numpy_creation(std::vector<Builtin>& table) {
  table.push_back(filled("np.empty", Fill::None));
  table.push_back(filled("np.zeros", Fill::Zero));
  table.push_back(filled("np.ones", Fill::One));
  table.push_back(Builtin{"np.full", full_typing, full_lowering, true});
  table.push_back(like("np.empty_like", Fill::None, false));
  table.push_back(like("np.zeros_like", Fill::Zero, false));
  table.push_back(like("np.ones_like", Fill::One, false));
  table.push_back(like("np.full_like", Fill::None, true));
  table.push_back(Builtin{"np.arange", arange_typing, arange_lowering, true});
  table.push_back(Builtin{"np.linspace", linspace_typing, linspace_lowering, true});
  table.push_back(Builtin{"np.eye", eye_typing, eye_lowering, true});
  table.push_back(Builtin{"np.identity", identity_typing, identity_lowering, true});
  table.push_back(copying("np.copy", Dtype::None, true));
  table.push_back(copying("array.copy", Dtype::None, false));
  table.push_back(copying("np.array", Dtype::Optional, true));
  table.push_back(copying("array.astype", Dtype::Required, true));
  table.push_back(copying("np.asarray", Dtype::Optional, true, true));
}

}  // namespace numjit::library
