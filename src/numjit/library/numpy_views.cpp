// Functions that return a view of an array with its axes rearranged:
// np.expand_dims, np.swapaxes (and a.swapaxes), np.moveaxis, np.squeeze (and
// a.squeeze) with an axis, np.broadcast_to, np.atleast_1d/2d/3d; and
// np.ascontiguousarray / np.asfortranarray, views when the layout already
// fits; a.view(dtype). The number of dimensions is the type's, so axes may be run-time
// values: each extent and stride of the view is a select over the axis.
// Views share the base's memory (a new reference to its meminfo).
#include "numjit/codegen/llvm_types.h"
#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;
using t::Layout;

struct Axes {
  std::vector<llvm::Value*> shape;
  std::vector<llvm::Value*> strides;
};

Axes axes_of(RowContext& f, llvm::Value* a, int ndim) {
  Axes out;
  for (int d = 0; d < ndim; ++d) {
    out.shape.push_back(f.array_dim(a, codegen::kArrayShape, d));
    out.strides.push_back(f.array_dim(a, codegen::kArrayStrides, d));
  }
  return out;
}

// A view of `base` with these extents and strides, holding a new reference
// to its memory (or taking over the caller's, when `new_reference` is false).
llvm::Value* view_of(RowContext& f, llvm::Value* base, const Axes& axes, const Type* result,
                     bool new_reference = true) {
  auto& b = f.builder();
  llvm::Value* view = llvm::PoisonValue::get(codegen::array_struct(f.context(), result->ndim));
  for (unsigned field : {codegen::kArrayMeminfo, codegen::kArrayParent, codegen::kArrayData})
    view = b.CreateInsertValue(view, b.CreateExtractValue(base, field), field);
  for (int d = 0; d < result->ndim; ++d) {
    view = b.CreateInsertValue(view, axes.shape[d], {codegen::kArrayShape, unsigned(d)});
    view = b.CreateInsertValue(view, axes.strides[d], {codegen::kArrayStrides, unsigned(d)});
  }
  if (new_reference) f.incref(view, result);
  return view;
}

// An axis in [-ndim, ndim), made non-negative; AxisError otherwise, as NumPy's.
llvm::Value* normalized_axis(RowContext& f, llvm::Value* axis, int ndim) {
  auto& b = f.builder();
  axis = b.CreateSExtOrTrunc(axis, b.getInt64Ty());
  llvm::Value* out_of_range = b.CreateOr(b.CreateICmpSLT(axis, f.i64(-ndim)), b.CreateICmpSGE(axis, f.i64(ndim)));
  f.raise_if(out_of_range, ExceptionKind::AxisError,
             "axis is out of bounds for array of dimension " + std::to_string(ndim));
  return b.CreateSelect(b.CreateICmpSLT(axis, f.i64(0)), b.CreateAdd(axis, f.i64(ndim)), axis);
}

// values[index] for a run-time index: a chain of selects.
llvm::Value* pick(RowContext& f, const std::vector<llvm::Value*>& values, llvm::Value* index) {
  auto& b = f.builder();
  llvm::Value* out = values[0];
  for (size_t k = 1; k < values.size(); ++k)
    out = b.CreateSelect(b.CreateICmpEQ(index, f.i64(static_cast<int64_t>(k))), values[k], out);
  return out;
}

// Each output axis k of a view reads input axis source[k] (a run-time index).
Axes permuted(RowContext& f, const Axes& in, const std::vector<llvm::Value*>& source) {
  Axes out;
  for (llvm::Value* s : source) {
    out.shape.push_back(pick(f, in.shape, s));
    out.strides.push_back(pick(f, in.strides, s));
  }
  return out;
}

bool is_axis(const Type* t) { return t->is_integer() || t->is_bool(); }

const Type* view_type(const Type* a, int ndim, Layout layout) { return t::array(a->scalar, ndim, layout, a->readonly); }

// np.expand_dims(a, axis): a new axis of length 1 at `axis`. Its stride keeps
// a C-contiguous array C-contiguous.
Builtin expand_dims() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    auto b = bind(c, {"a", "axis"});
    if (!b || !b->has(0) || !b->has(1) || !c.args[b->index[0]]->is_array() || !is_axis(c.args[b->index[1]]))
      return std::nullopt;
    const Type* a = c.args[b->index[0]];
    return Signature{view_type(a, a->ndim + 1, a->layout == Layout::C ? Layout::C : Layout::Any), {}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    BoundArguments bound = bound_arguments(s);
    llvm::Value* a = args[bound.index[0]];
    int nd = s.result->ndim - 1;
    llvm::Value* axis = normalized_axis(f, args[bound.index[1]], nd + 1);
    Axes in = axes_of(f, a, nd);
    llvm::Value* inner = f.i64(codegen::itemsize(s.result->dtype()));  // the stride of a new last axis
    Axes out;
    for (int k = 0; k <= nd; ++k) {
      llvm::Value* at = f.i64(k);
      llvm::Value* before = b.CreateICmpSLT(at, axis);
      // Output axis k is input axis k before the new one and k - 1 after it.
      llvm::Value* shape = k < nd ? in.shape[k] : f.i64(1);
      llvm::Value* stride = k < nd ? in.strides[k] : inner;
      if (k > 0) {
        shape = b.CreateSelect(before, shape, in.shape[k - 1]);
        stride = b.CreateSelect(before, stride, in.strides[k - 1]);
      }
      llvm::Value* is_new = b.CreateICmpEQ(at, axis);
      llvm::Value* new_stride = k < nd ? b.CreateMul(in.strides[k], in.shape[k]) : inner;
      out.shape.push_back(b.CreateSelect(is_new, f.i64(1), shape));
      out.strides.push_back(b.CreateSelect(is_new, new_stride, stride));
    }
    return view_of(f, a, out, s.result);
  };
  return Builtin{"np.expand_dims", typing, lowering, true};
}

// a.swapaxes(i, j), np.swapaxes(a, i, j).
Builtin swapaxes(const char* name) {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 3 || !c.args[0]->is_array() || !is_axis(c.args[1]) || !is_axis(c.args[2]))
      return std::nullopt;
    const Type* a = c.args[0];
    return Signature{view_type(a, a->ndim, a->ndim < 2 ? a->layout : Layout::Any), {a, t::int64(), t::int64()}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    int nd = s.result->ndim;
    llvm::Value* i = normalized_axis(f, args[1], nd);
    llvm::Value* j = normalized_axis(f, args[2], nd);
    std::vector<llvm::Value*> source;
    for (int k = 0; k < nd; ++k) {
      llvm::Value* at = f.i64(k);
      source.push_back(b.CreateSelect(b.CreateICmpEQ(at, i), j, b.CreateSelect(b.CreateICmpEQ(at, j), i, at)));
    }
    return view_of(f, args[0], permuted(f, axes_of(f, args[0], nd), source), s.result);
  };
  return Builtin{name, typing, lowering};
}

// np.moveaxis(a, source, destination): axis `source` moves to `destination`,
// the others keep their order.
Builtin moveaxis() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    auto b = bind(c, {"a", "source", "destination"});
    if (!b || !b->has(0) || !b->has(1) || !b->has(2)) return std::nullopt;
    const Type* a = c.args[b->index[0]];
    if (!a->is_array() || !is_axis(c.args[b->index[1]]) || !is_axis(c.args[b->index[2]])) return std::nullopt;
    return Signature{view_type(a, a->ndim, a->ndim < 2 ? a->layout : Layout::Any), {}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    BoundArguments bound = bound_arguments(s);
    llvm::Value* a = args[bound.index[0]];
    int nd = s.result->ndim;
    llvm::Value* from = normalized_axis(f, args[bound.index[1]], nd);
    llvm::Value* to = normalized_axis(f, args[bound.index[2]], nd);
    std::vector<llvm::Value*> source;
    for (int k = 0; k < nd; ++k) {
      // Output axis k, away from `to`, is the m-th remaining axis: m skips `to`, then `from`.
      llvm::Value* at = f.i64(k);
      llvm::Value* m = b.CreateSub(at, b.CreateZExt(b.CreateICmpSGT(at, to), b.getInt64Ty()));
      llvm::Value* other = b.CreateAdd(m, b.CreateZExt(b.CreateICmpSGE(m, from), b.getInt64Ty()));
      source.push_back(b.CreateSelect(b.CreateICmpEQ(at, to), from, other));
    }
    return view_of(f, a, permuted(f, axes_of(f, a, nd), source), s.result);
  };
  return Builtin{"np.moveaxis", typing, lowering, true};
}

// np.squeeze(a, axis) / a.squeeze(axis): that axis, of length 1, removed.
// Without an axis the result's dimensions would depend on the data, which a
// type cannot hold: a located error says to name the axis.
Builtin squeeze(const char* name) {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    auto b = bind(c, {"a", "axis"});
    if (!b || !b->has(0) || !c.args[b->index[0]]->is_array()) return std::nullopt;
    const Type* a = c.args[b->index[0]];
    if (!b->has(1) || c.args[b->index[1]]->kind == t::TypeKind::NoneType) {
      if (a->ndim == 0) return std::nullopt;
      unsupported(c.call.span, "squeeze() without an axis is not supported in compiled code: which axes go "
                               "depends on the shape, and compiled code needs the result's dimensions; pass axis=");
    }
    if (!is_axis(c.args[b->index[1]]) || a->ndim == 0) return std::nullopt;
    return Signature{view_type(a, a->ndim - 1, a->layout == Layout::C ? Layout::C : Layout::Any), {}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    BoundArguments bound = bound_arguments(s);
    llvm::Value* a = args[bound.index[0]];
    int nd = s.result->ndim + 1;
    llvm::Value* axis = normalized_axis(f, args[bound.index[1]], nd);
    Axes in = axes_of(f, a, nd);
    f.raise_if(b.CreateICmpNE(pick(f, in.shape, axis), f.i64(1)), ExceptionKind::ValueError,
               "cannot select an axis to squeeze out which has size not equal to one");
    std::vector<llvm::Value*> source;
    for (int k = 0; k < nd - 1; ++k) {
      llvm::Value* at = f.i64(k);
      source.push_back(b.CreateAdd(at, b.CreateZExt(b.CreateICmpSGE(at, axis), b.getInt64Ty())));
    }
    return view_of(f, a, permuted(f, in, source), s.result);
  };
  return Builtin{name, typing, lowering, true};
}

// np.broadcast_to(a, shape): a read-only view, stride 0 along broadcast axes.
Builtin broadcast_to() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    auto b = bind(c, {"array", "shape"});
    if (!b || !b->has(0) || !b->has(1)) return std::nullopt;
    const Type* a = c.args[b->index[0]];
    int nd = shape_ndim(c.args[b->index[1]]);
    if (!(a->is_array() || a->is_scalar()) || nd < 0) return std::nullopt;
    if (a->is_array() && a->ndim > nd)
      typing_error(c.call.span, "cannot broadcast an array of " + std::to_string(a->ndim) + " dimensions to a shape of " +
                                    std::to_string(nd));
    return Signature{t::array(t::element_type(a)->scalar, nd, Layout::Any, true), {}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    BoundArguments bound = bound_arguments(s);
    const Type* source_type = argument_expr(call, bound.index[0]).type;
    llvm::Value* a = args[bound.index[0]];
    const hir::Expr& shape_expr = argument_expr(call, bound.index[1]);
    std::vector<llvm::Value*> target;
    if (shape_expr.type->kind == t::TypeKind::Tuple) {
      for (size_t k = 0; k < shape_expr.type->elements.size(); ++k)
        target.push_back(f.cast(b.CreateExtractValue(args[bound.index[1]], unsigned(k)), shape_expr.type->elements[k],
                                t::int64()));
    } else {
      target.push_back(f.cast(args[bound.index[1]], shape_expr.type, t::int64()));
    }
    int nd = s.result->ndim;
    int source_ndim = source_type->is_array() ? source_type->ndim : 0;
    int offset = nd - source_ndim;
    Axes in = source_type->is_array() ? axes_of(f, a, source_ndim) : Axes{};
    Axes out;
    llvm::Value* bad = b.getFalse();
    for (int k = 0; k < nd; ++k) {
      bad = b.CreateOr(bad, b.CreateICmpSLT(target[k], f.i64(0)));
      if (k < offset) {
        out.shape.push_back(target[k]);
        out.strides.push_back(f.i64(0));
        continue;
      }
      llvm::Value* extent = in.shape[k - offset];
      llvm::Value* stretched = b.CreateICmpNE(extent, target[k]);
      bad = b.CreateOr(bad, b.CreateAnd(stretched, b.CreateICmpNE(extent, f.i64(1))));
      out.shape.push_back(target[k]);
      out.strides.push_back(b.CreateSelect(stretched, f.i64(0), in.strides[k - offset]));
    }
    f.raise_if(bad, ExceptionKind::ValueError, "operands could not be broadcast together with the requested shape");
    if (source_type->is_array()) return view_of(f, a, out, s.result);
    // A number: a new one-element array, whose one reference the view takes.
    llvm::Value* holder = f.allocate_array(t::array(source_type->scalar, 0, Layout::C), {}, false);
    f.store_element(b.CreateExtractValue(holder, codegen::kArrayData), a, source_type);
    return view_of(f, holder, out, s.result, false);
  };
  return Builtin{"np.broadcast_to", typing, lowering, true};
}

// np.atleast_1d/2d/3d(a): a view with axes of length 1 added as NumPy adds
// them: (n,) is (1, n) at two dimensions and (1, n, 1) at three; (m, n) is
// (m, n, 1). A number becomes a new array.
Builtin at_least(const char* name, int minimum) {
  TypingRule typing = [minimum](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 1 || !(c.args[0]->is_array() || c.args[0]->is_scalar())) return std::nullopt;
    const Type* a = c.args[0];
    if (!a->is_array()) return Signature{t::array(a->scalar, minimum, Layout::C), {a}};
    if (a->ndim >= minimum) return Signature{a, {a}};
    return Signature{view_type(a, minimum, a->layout == Layout::C ? Layout::C : Layout::Any), {a}};
  };
  LoweringRule lowering = [minimum](RowContext& f, const hir::Expr&, const Signature& s,
                                    std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* a = s.params[0];
    if (!a->is_array()) {
      std::vector<llvm::Value*> ones(static_cast<size_t>(minimum), f.i64(1));
      llvm::Value* out = f.allocate_array(s.result, ones, false);
      f.store_element(b.CreateExtractValue(out, codegen::kArrayData), args[0], a);
      return out;
    }
    if (a->ndim >= minimum) {
      f.incref(args[0], a);
      return args[0];
    }
    Axes in = axes_of(f, args[0], a->ndim);
    llvm::Value* item = f.i64(codegen::itemsize(a->dtype()));
    llvm::Value* whole = in.shape.empty() ? item : b.CreateMul(in.shape[0], in.strides[0]);
    Axes out;
    if (a->ndim == 0 || minimum == 2 || (minimum == 3 && a->ndim == 1)) {  // a leading axis
      out.shape.push_back(f.i64(1));
      out.strides.push_back(whole);
    }
    out.shape.insert(out.shape.end(), in.shape.begin(), in.shape.end());
    out.strides.insert(out.strides.end(), in.strides.begin(), in.strides.end());
    while (static_cast<int>(out.shape.size()) < minimum) {  // trailing axes
      out.shape.push_back(f.i64(1));
      out.strides.push_back(item);
    }
    return view_of(f, args[0], out, s.result);
  };
  return Builtin{name, typing, lowering};
}

// np.ascontiguousarray / np.asfortranarray of a writable array typed in
// another layout: NumPy returns the array itself when it already is
// contiguous in the order asked for (a (n, 1) C array is also F-contiguous),
// so a write through either name is seen through the other; else a copy.
llvm::Value* same_when_contiguous(RowContext& f, llvm::Value* source, const Type* source_type, const Type* result) {
  auto& b = f.builder();
  llvm::Value* contiguous = f.contiguous_in_order(source, source_type, result->layout == Layout::C);
  llvm::BasicBlock* same = f.new_block("layout.same");
  llvm::BasicBlock* copy = f.new_block("layout.copy");
  llvm::BasicBlock* done = f.new_block("layout.done");
  b.CreateCondBr(contiguous, same, copy);
  b.SetInsertPoint(same);
  f.incref(source, result);
  b.CreateBr(done);
  b.SetInsertPoint(copy);
  std::vector<llvm::Value*> shape;
  for (int d = 0; d < source_type->ndim; ++d) shape.push_back(f.array_dim(source, codegen::kArrayShape, d));
  llvm::Value* copied = f.allocate_array(result, shape, false);
  f.copy_into(copied, result, source, source_type);
  llvm::BasicBlock* copy_end = b.GetInsertBlock();
  b.CreateBr(done);
  b.SetInsertPoint(done);
  llvm::PHINode* out = b.CreatePHI(source->getType(), 2);
  out->addIncoming(source, same);
  out->addIncoming(copied, copy_end);
  return out;
}

// np.ascontiguousarray(a) / np.asfortranarray(a): `a` itself when its type
// has that layout, else a copy in it (or `a` itself when it is contiguous in
// that order at run time); a number is a one-element array.
Builtin in_layout(const char* name, Layout layout) {
  TypingRule typing = [layout](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 1 || !(c.args[0]->is_array() || c.args[0]->is_scalar())) return std::nullopt;
    const Type* a = c.args[0];
    if (!a->is_array()) return Signature{t::array(a->scalar, 1, Layout::C), {}};
    Layout wanted = a->ndim <= 1 ? Layout::C : layout;
    return Signature{a->layout == wanted ? a : t::array(a->scalar, a->ndim, wanted), {}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*>) {
    const hir::Expr& source = argument_expr(call, 0);
    if (source.type == s.result) {
      llvm::Value* same = f.expr(source);
      f.incref(same, s.result);
      return same;
    }
    if (!source.type->is_array()) {
      llvm::Value* out = f.allocate_array(s.result, {f.i64(1)}, false);
      f.store_element(f.builder().CreateExtractValue(out, codegen::kArrayData), f.expr(source), source.type);
      return out;
    }
    // (a read-only array keeps the copy: the result's type is writable)
    bool names_an_array = source.kind == hir::ExprKind::Local || source.kind == hir::ExprKind::Attribute ||
                          source.kind == hir::ExprKind::Subscript;  // not an expression to compute
    if (source.type->dtype() == s.result->dtype() && !source.type->readonly && names_an_array)
      return same_when_contiguous(f, f.expr(source), source.type, s.result);
    return f.materialize(source, s.result);
  };
  Builtin row{name, typing, lowering};
  row.lazy_arguments = true;
  return row;
}

// a.view(dtype): the same memory read as another dtype. Of the same size,
// any layout; of another size, a C-contiguous array whose last extent
// rescales (and must divide evenly), as NumPy requires.
Builtin reinterpret() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 2 || !c.args[0]->is_array()) return std::nullopt;
    const Type* a = c.args[0];
    const Type* dtype = dtype_argument(argument_expr(c.call, 1));
    if (!dtype || !dtype->is_scalar()) return std::nullopt;
    bool same_size = codegen::itemsize(dtype) == codegen::itemsize(a->dtype());
    if (!same_size && (a->ndim == 0 || a->layout != Layout::C))
      typing_error(c.call.span, "a.view() of a dtype of another size needs a C-contiguous array of at least one "
                                "dimension; this one is " + a->name);
    return Signature{t::array(dtype->scalar, a->ndim, a->layout, a->readonly), {a, c.args[1]}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* a = s.params[0];
    int nd = a->ndim;
    Axes axes = axes_of(f, args[0], nd);
    int64_t old_size = codegen::itemsize(a->dtype());
    int64_t new_size = codegen::itemsize(s.result->dtype());
    if (old_size != new_size) {
      llvm::Value* bytes = b.CreateMul(axes.shape[nd - 1], f.i64(old_size));
      f.raise_if(b.CreateICmpNE(b.CreateSRem(bytes, f.i64(new_size)), f.i64(0)), ExceptionKind::ValueError,
                 "When changing to a dtype of a different size, the last axis must be divisible by the new size");
      axes.shape[nd - 1] = b.CreateSDiv(bytes, f.i64(new_size));
      axes.strides[nd - 1] = f.i64(new_size);
    }
    return view_of(f, args[0], axes, s.result);
  };
  return Builtin{"array.view", typing, lowering};
}

// np.lib.stride_tricks.as_strided(x, shape, strides, writeable=True): a view
// of x's memory with the given extents and byte strides (both tuples of the
// same length; strides may be left out when the shape keeps x's rank), as
// NumPy's: nothing checks that the view stays inside x. writeable=False,
// which must be a constant, makes it read-only.
Builtin as_strided() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    auto b = bind(c, {"x", "shape", "strides", "subok", "writeable"});
    if (!b || !b->has(0) || !b->has(1)) return std::nullopt;
    const Type* x = c.args[b->index[0]];
    int nd = shape_ndim(c.args[b->index[1]]);
    if (!x->is_array() || nd < 0) return std::nullopt;
    bool with_strides = b->has(2) && c.args[b->index[2]]->kind != t::TypeKind::NoneType;
    if (with_strides ? shape_ndim(c.args[b->index[2]]) != nd : nd != x->ndim)
      typing_error(c.call.span, "as_strided: give as many strides as the shape has extents");
    bool readonly = x->readonly;
    if (b->has(4)) {
      const hir::Expr& w = argument_expr(c.call, b->index[4]);
      if (w.kind != hir::ExprKind::Const || w.constant.kind != hir::Constant::Kind::Bool)
        typing_error(w.span, "as_strided: writeable must be the constant True or False in compiled code");
      readonly = readonly || w.constant.int_value == 0;
    }
    return Signature{t::array(x->scalar, nd, Layout::Any, readonly), {}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    BoundArguments bound = bound_arguments(s);
    llvm::Value* x = args[bound.index[0]];
    auto extents = [&](int which) {
      const hir::Expr& e = argument_expr(call, bound.index[which]);
      std::vector<llvm::Value*> out;
      if (e.type->kind != t::TypeKind::Tuple) {
        out.push_back(f.cast(args[bound.index[which]], e.type, t::int64()));
        return out;
      }
      for (size_t k = 0; k < e.type->elements.size(); ++k)
        out.push_back(f.cast(b.CreateExtractValue(args[bound.index[which]], unsigned(k)), e.type->elements[k], t::int64()));
      return out;
    };
    Axes axes;
    axes.shape = extents(1);
    bool with_strides = bound.has(2) && argument_expr(call, bound.index[2]).type->kind != t::TypeKind::NoneType;
    axes.strides = with_strides ? extents(2) : axes_of(f, x, s.result->ndim).strides;
    llvm::Value* negative = b.getFalse();
    for (llvm::Value* n : axes.shape) negative = b.CreateOr(negative, b.CreateICmpSLT(n, f.i64(0)));
    f.raise_if(negative, ExceptionKind::ValueError, "negative dimensions are not allowed");
    return view_of(f, x, axes, s.result);
  };
  return Builtin{"np.lib.stride_tricks.as_strided", typing, lowering, true};
}

}  // namespace

llvm::Value* RowContext::contiguous_in_order(llvm::Value* array, const Type* t, bool c_order) {
  auto& b = builder();
  llvm::Value* expected = i64(codegen::itemsize(t->dtype()));
  llvm::Value* ok = b.getTrue();
  llvm::Value* empty = b.getFalse();
  for (int k = 0; k < t->ndim; ++k) {
    int d = c_order ? t->ndim - 1 - k : k;
    llvm::Value* extent = array_dim(array, codegen::kArrayShape, d);
    llvm::Value* stride = array_dim(array, codegen::kArrayStrides, d);
    ok = b.CreateAnd(ok, b.CreateOr(b.CreateICmpEQ(extent, i64(1)), b.CreateICmpEQ(stride, expected)));
    empty = b.CreateOr(empty, b.CreateICmpEQ(extent, i64(0)));
    expected = b.CreateMul(expected, extent);
  }
  return b.CreateOr(ok, empty);
}

void register_numpy_views(std::vector<Builtin>& table) {
  table.push_back(as_strided());
  table.push_back(expand_dims());
  table.push_back(swapaxes("np.swapaxes"));
  table.push_back(swapaxes("array.swapaxes"));
  table.push_back(moveaxis());
  table.push_back(squeeze("np.squeeze"));
  table.push_back(squeeze("array.squeeze"));
  table.push_back(broadcast_to());
  table.push_back(at_least("np.atleast_1d", 1));
  table.push_back(at_least("np.atleast_2d", 2));
  table.push_back(at_least("np.atleast_3d", 3));
  table.push_back(in_layout("np.ascontiguousarray", Layout::C));
  table.push_back(in_layout("np.asfortranarray", Layout::F));
  table.push_back(reinterpret());
}

}  // namespace numjit::library
