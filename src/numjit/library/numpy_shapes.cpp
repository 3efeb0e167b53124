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

// A view of contiguous `base` with a new C shape (same element count, checked).
llvm::Value* view_with_shape(RowContext& f, llvm::Value* base, const Type* base_type, std::vector<llvm::Value*> shape,
                             const Type* result) {
  auto& b = f.builder();
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

// a.transpose() / np.transpose(a): the axes reversed, as a view.
std::optional<Signature> transpose_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array()) return std::nullopt;
  const Type* a = c.args[0];
  Layout l = a->ndim < 2 ? a->layout : a->layout == Layout::C ? Layout::F : a->layout == Layout::F ? Layout::C : Layout::Any;
  return Signature{t::array(a->scalar, a->ndim, l, a->readonly), {a}};
}

llvm::Value* transpose_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::Value* v = args[0];
  int nd = s.result->ndim;
  llvm::Value* out = v;
  for (int d = 0; d < nd; ++d) {
    out = b.CreateInsertValue(out, f.array_dim(v, codegen::kArrayShape, nd - 1 - d), {codegen::kArrayShape, unsigned(d)});
    out = b.CreateInsertValue(out, f.array_dim(v, codegen::kArrayStrides, nd - 1 - d), {codegen::kArrayStrides, unsigned(d)});
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
  table.push_back(Builtin{"array.transpose", transpose_typing, transpose_lowering});
  table.push_back(Builtin{"np.transpose", transpose_typing, transpose_lowering});
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
