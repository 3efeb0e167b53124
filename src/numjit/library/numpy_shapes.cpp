// Shape and layout methods: reshape, ravel, flatten, transpose, fill, item,
// and their np.* function forms. Views share the base's memory (a new
// reference to its meminfo); layouts that cannot be viewed are copied first.
#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;
using t::Layout;

// The target shape of reshape: a.reshape(2, 3), a.reshape((2, 3)), np.reshape(a, (2, 3)).
int reshape_ndim(const CallSite& c) {
  if (c.args.size() < 2 || !c.call.keyword_names.empty()) return -1;
  if (c.args.size() == 2) return shape_ndim(c.args[1]);
  for (size_t i = 1; i < c.args.size(); ++i)
    if (!c.args[i]->is_integer()) return -1;
  return static_cast<int>(c.args.size() - 1);
}

std::optional<Signature> reshape_typing(const CallSite& c) {
  if (c.args.empty() || !c.args[0]->is_array()) return std::nullopt;
  int nd = reshape_ndim(c);
  if (nd < 0) return std::nullopt;
  return Signature{t::array(c.args[0]->scalar, nd, Layout::C, c.args[0]->readonly), {}};
}

// A C-contiguous source: itself (a new reference); otherwise a C copy (already new).
llvm::Value* contiguous(RowContext& f, const hir::Expr& source, llvm::Value* value) {
  if (source.type->layout == Layout::C) {
    f.incref(value, source.type);
    return value;
  }
  return f.materialize(source, nullptr);
}

// A view of contiguous `base` (a new reference, which the view takes) with a
// new C shape (same element count, checked).
llvm::Value* view_with_shape(RowContext& f, llvm::Value* base, const Type* base_type, std::vector<llvm::Value*> shape,
                             const Type* result) {
  auto& b = f.builder();
  f.own_temporary(base, base_type);  // released by the statement, or by the error below
  llvm::Value* size = f.array_size(base, base_type);
  // One extent may be -1: it takes what the others leave.
  llvm::Value* known = f.i64(1);
  llvm::Value* unknown_count = f.i64(0);
  for (llvm::Value* n : shape) {
    llvm::Value* is_unknown = b.CreateICmpEQ(n, f.i64(-1));
    known = b.CreateMul(known, b.CreateSelect(is_unknown, f.i64(1), n));
    unknown_count = b.CreateAdd(unknown_count, b.CreateZExt(is_unknown, b.getInt64Ty()));
  }
  llvm::Value* safe_known = b.CreateSelect(b.CreateICmpEQ(known, f.i64(0)), f.i64(1), known);
  llvm::Value* inferred = b.CreateSDiv(size, safe_known);
  for (llvm::Value*& n : shape) n = b.CreateSelect(b.CreateICmpEQ(n, f.i64(-1)), inferred, n);
  llvm::Value* product = f.i64(1);
  llvm::Value* negative = b.CreateICmpSGT(unknown_count, f.i64(1));
  for (llvm::Value* n : shape) {
    product = b.CreateMul(product, n);
    negative = b.CreateOr(negative, b.CreateICmpSLT(n, f.i64(0)));
  }
  llvm::Value* bad = b.CreateOr(negative, b.CreateICmpNE(product, size));
  f.raise_if(bad, abi::ExceptionKind::ValueError, "cannot reshape array into the requested shape: the sizes differ");
  int nd = static_cast<int>(shape.size());
  llvm::Value* view = llvm::PoisonValue::get(codegen::array_struct(f.context(), nd));
  for (unsigned field : {codegen::kArrayMeminfo, codegen::kArrayParent, codegen::kArrayData})
    view = b.CreateInsertValue(view, b.CreateExtractValue(base, field), field);
  llvm::Value* stride = f.i64(codegen::itemsize(result->dtype()));
  for (int d = nd - 1; d >= 0; --d) {
    view = b.CreateInsertValue(view, shape[d], {codegen::kArrayShape, unsigned(d)});
    view = b.CreateInsertValue(view, stride, {codegen::kArrayStrides, unsigned(d)});
    stride = b.CreateMul(stride, shape[d]);
  }
  f.incref(view, result);
  return view;
}

std::vector<llvm::Value*> int_values(RowContext& f, const std::vector<llvm::Value*>& args,
                                     const std::vector<const Type*>& types, size_t first) {
  std::vector<llvm::Value*> out;
  if (args.size() == first + 1 && types[first]->kind == t::TypeKind::Tuple) {
    for (unsigned i = 0; i < types[first]->elements.size(); ++i)
      out.push_back(f.cast(f.builder().CreateExtractValue(args[first], i), types[first]->elements[i], t::int64()));
    return out;
  }
  for (size_t i = first; i < args.size(); ++i) out.push_back(f.cast(args[i], types[i], t::int64()));
  return out;
}

llvm::Value* reshape_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*>) {
  const hir::Expr& source = argument_expr(call, 0);
  std::vector<llvm::Value*> args;
  std::vector<const Type*> types;
  size_t count = argument_count(call);
  for (size_t i = 1; i < count; ++i) {
    args.push_back(f.expr(argument_expr(call, i)));
    types.push_back(argument_expr(call, i).type);
  }
  llvm::Value* base = contiguous(f, source, f.expr(source));
  const Type* base_type = t::array(source.type->scalar, source.type->ndim, Layout::C);
  return view_with_shape(f, base, base_type, int_values(f, args, types, 0), s.result);
}

// ravel (a view when contiguous) and flatten (always a copy): 1-D.
Builtin flattening(const char* name, bool always_copy) {
  TypingRule typing = [always_copy](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 1 || !c.args[0]->is_array()) return std::nullopt;
    // ravel is a view of a contiguous array, so a read-only one stays read-only
    // (a copy of a strided one would not need to; one type covers both).
    return Signature{t::array(c.args[0]->scalar, 1, Layout::C, !always_copy && c.args[0]->readonly), {}};
  };
  LoweringRule lowering = [always_copy](RowContext& f, const hir::Expr& call, const Signature& s,
                                        std::vector<llvm::Value*>) {
    const hir::Expr& source = argument_expr(call, 0);
    llvm::Value* base = always_copy ? f.materialize(source, nullptr) : contiguous(f, source, f.expr(source));
    const Type* base_type = t::array(source.type->scalar, source.type->ndim, Layout::C);
    return view_with_shape(f, base, base_type, {f.array_size(base, base_type)}, s.result);
  };
  Builtin row{name, typing, lowering};
  row.lazy_arguments = true;
  return row;
}

// a.transpose() / np.transpose(a): the axes reversed, as a view; with axes
// (np.transpose(a, (1, 0, 2)), a.transpose(1, 0, 2)), in that order.
// The axes' types: a tuple of ints, ints given one by one, or none (null).
std::optional<std::vector<const Type*>> transpose_axes(const CallSite& c) {
  if (c.args.size() > 2) return std::vector<const Type*>(c.args.begin() + 1, c.args.end());
  auto b = bind(c, {"a", "axes"});
  if (!b || !b->has(1)) return std::vector<const Type*>{};
  const Type* axes = c.args[b->index[1]];
  if (axes->kind == t::TypeKind::NoneType) return std::vector<const Type*>{};
  if (axes->kind == t::TypeKind::Tuple) return axes->elements;
  if (axes->is_integer()) return std::vector<const Type*>{axes};
  return std::nullopt;
}

std::optional<Signature> transpose_typing(const CallSite& c) {
  if (c.args.empty() || !c.args[0]->is_array()) return std::nullopt;
  const Type* a = c.args[0];
  std::optional<std::vector<const Type*>> axes = transpose_axes(c);
  if (!axes) return std::nullopt;
  if (!axes->empty()) {
    if (static_cast<int>(axes->size()) != a->ndim)
      typing_error(c.call.span, "transpose: the axes (" + std::to_string(axes->size()) + ") do not match the array's " +
                                    std::to_string(a->ndim) + " dimensions");
    for (const Type* axis : *axes)
      if (!axis->is_integer()) return std::nullopt;
  }
  Layout l = a->ndim < 2 ? a->layout : a->layout == Layout::C ? Layout::F : a->layout == Layout::F ? Layout::C : Layout::Any;
  if (!axes->empty() && a->ndim >= 2) l = Layout::Any;  // which order the axes make is known only at run time
  return Signature{t::array(a->scalar, a->ndim, l, a->readonly), c.args};
}

// The axes a transpose call names, as i64 values in [0, nd), each once
// (NumPy's AxisError and ValueError otherwise).
std::vector<llvm::Value*> checked_axes(RowContext& f, const Signature& s, const std::vector<llvm::Value*>& args,
                                       int nd) {
  auto& b = f.builder();
  std::vector<llvm::Value*> axes;
  std::vector<const Type*> types;
  if (args.size() > 2) {
    axes.assign(args.begin() + 1, args.end());
    types.assign(s.params.begin() + 1, s.params.end());
  } else if (s.params[1]->kind == t::TypeKind::Tuple) {
    for (unsigned k = 0; k < s.params[1]->elements.size(); ++k) {
      axes.push_back(b.CreateExtractValue(args[1], k));
      types.push_back(s.params[1]->elements[k]);
    }
  } else {
    axes.push_back(args[1]);
    types.push_back(s.params[1]);
  }
  llvm::Value* seen = f.i64(0);
  for (size_t d = 0; d < axes.size(); ++d) {
    llvm::Value* axis = f.cast(axes[d], types[d], t::int64());
    axis = b.CreateSelect(b.CreateICmpSLT(axis, f.i64(0)), b.CreateAdd(axis, f.i64(nd)), axis);
    f.raise_if(b.CreateICmpUGE(axis, f.i64(nd)), abi::ExceptionKind::AxisError,
               "axis is out of bounds for array of dimension " + std::to_string(nd));
    seen = b.CreateOr(seen, b.CreateShl(f.i64(1), axis));
    axes[d] = axis;
  }
  f.raise_if(b.CreateICmpNE(seen, f.i64((int64_t{1} << nd) - 1)), abi::ExceptionKind::ValueError,
             "repeated axis in transpose");
  return axes;
}

llvm::Value* transpose_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::Value* v = args[0];
  int nd = s.result->ndim;
  bool reversed = args.size() == 1 || s.params[1]->kind == t::TypeKind::NoneType;
  std::vector<llvm::Value*> axes = reversed ? std::vector<llvm::Value*>{} : checked_axes(f, s, args, nd);
  // Dimension `axis` of v (a constant when the axes are reversed, else chosen among all).
  auto dim = [&](int field, int d) -> llvm::Value* {
    if (reversed) return f.array_dim(v, field, nd - 1 - d);
    llvm::Value* chosen = f.array_dim(v, field, 0);
    for (int k = 1; k < nd; ++k)
      chosen = b.CreateSelect(b.CreateICmpEQ(axes[d], f.i64(k)), f.array_dim(v, field, k), chosen);
    return chosen;
  };
  llvm::Value* out = v;
  for (int d = 0; d < nd; ++d) {
    out = b.CreateInsertValue(out, dim(codegen::kArrayShape, d), {codegen::kArrayShape, unsigned(d)});
    out = b.CreateInsertValue(out, dim(codegen::kArrayStrides, d), {codegen::kArrayStrides, unsigned(d)});
  }
  f.incref(out, s.result);
  return out;
}

// a.fill(value): every element set, in place.
std::optional<Signature> fill_typing(const CallSite& c) {
  if (c.args.size() != 2 || !c.args[0]->is_array() || !c.args[1]->is_scalar()) return std::nullopt;
  if (c.args[0]->readonly) return std::nullopt;
  return Signature{t::none(), {}};
}

llvm::Value* fill_lowering(RowContext& f, const hir::Expr& call, const Signature&, std::vector<llvm::Value*>) {
  const hir::Expr& target = argument_expr(call, 0);
  f.assign_elementwise(f.expr(target), target.type, argument_expr(call, 1), std::nullopt);
  return f.builder().getInt8(0);
}

// a.item(): the one element of a size-1 array.
std::optional<Signature> item_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array()) return std::nullopt;
  return Signature{c.args[0]->dtype(), {c.args[0]}};
}

llvm::Value* item_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  f.raise_if(f.builder().CreateICmpNE(f.array_size(args[0], s.params[0]), f.i64(1)), abi::ExceptionKind::ValueError,
             "can only convert an array of size 1 to a Python scalar");
  return f.load_element(f.builder().CreateExtractValue(args[0], codegen::kArrayData), s.result);
}

// np.iscomplexobj(x) / np.isrealobj(x): decided by the type alone, so
// `if np.iscomplexobj(a):` prunes the branch that does not apply.
bool complex_object(const Type* t) { return t::element_type(t)->is_complex(); }

std::optional<Signature> complex_object_typing(const CallSite& c) {
  if (c.args.size() != 1 || !(c.args[0]->is_array() || c.args[0]->is_scalar())) return std::nullopt;
  return Signature{t::boolean(), {c.args[0]}};
}

}  // namespace

void register_numpy_shapes(std::vector<Builtin>& table) {
  for (const char* name : {"array.reshape", "np.reshape"}) {
    Builtin row{name, reshape_typing, reshape_lowering};
    row.lazy_arguments = true;
    table.push_back(row);
  }
  table.push_back(flattening("array.ravel", false));
  table.push_back(flattening("np.ravel", false));
  table.push_back(flattening("array.flatten", true));
  for (const char* name : {"array.transpose", "np.transpose"}) {
    Builtin row{name, transpose_typing, transpose_lowering};
    row.accepts_keywords = true;
    table.push_back(row);
  }
  Builtin fill{"array.fill", fill_typing, fill_lowering};
  fill.lazy_arguments = true;
  table.push_back(fill);
  table.push_back(Builtin{"array.item", item_typing, item_lowering});
  for (bool want_complex : {true, false}) {
    table.push_back(Builtin{want_complex ? "np.iscomplexobj" : "np.isrealobj", complex_object_typing,
                            [want_complex](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*>) {
                              return f.builder().getInt1(complex_object(s.params[0]) == want_complex);
                            }});
  }
}

}  // namespace numjit::library
