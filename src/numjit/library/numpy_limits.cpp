// np.finfo(t) and np.iinfo(t): a compile-time value naming the dtype (the
// opaque "finfo(float64)"), whose attributes type inference turns into
// constants (types/infer_limits.cpp). t is a dtype (np.float32, a.dtype, a
// string), or a number or array of that dtype, as NumPy takes it. np.dtype(t)
// is the dtype itself, as compile-time a value as a.dtype; a.flags.<name>
// reads the array's type or its strides.
#include <algorithm>
#include <iterator>

#include "numjit/codegen/llvm_types.h"
#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"

namespace numjit::library {
namespace {

namespace t = types;

const Type* limits_dtype(const CallSite& c) {
  if (c.args.size() != 1) return nullptr;
  const Type* a = c.args[0];
  if (a->is_scalar()) return a;
  if (a->is_array()) return a->dtype();
  return dtype_argument(argument_expr(c.call, 0));
}

Builtin limits_row(const char* name, bool floats) {
  return Builtin{name,
                 [floats, name](const CallSite& c) -> std::optional<Signature> {
                   const Type* dtype = limits_dtype(c);
                   if (!dtype) return std::nullopt;
                   if (floats && dtype->is_complex()) dtype = t::float_of(dtype->bits() / 2);
                   if (floats ? !dtype->is_float() : !dtype->is_integer())
                     typing_error(c.call.span, std::string(name) + "() takes a " +
                                                   (floats ? "floating point" : "integer") + " dtype, not " +
                                                   dtype->name);
                   const Type* arg = c.args[0];
                   return Signature{t::opaque(std::string(floats ? "finfo(" : "iinfo(") + dtype->name + ")"),
                                    {arg->is_scalar() || arg->is_array() ? arg : nullptr}};
                 },
                 [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*>) {
                   return f.builder().getInt8(0);  // the value is its type
                 }};
}

Builtin dtype_row() {
  return Builtin{"np.dtype",
                 [](const CallSite& c) -> std::optional<Signature> {
                   if (c.args.size() != 1) return std::nullopt;
                   const Type* dtype = dtype_argument(argument_expr(c.call, 0));
                   if (!dtype) return std::nullopt;
                   return Signature{t::dtype_value(dtype), {nullptr}};
                 },
                 [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*>) {
                   return f.builder().getInt8(0);  // the value is its type
                 }};
}

// numjit.array_flag(a, "c_contiguous"), for a.flags.<name>: NumPy's answer
// from the array's type where it settles it, else from its strides.
Builtin array_flag_row() {
  return Builtin{"numjit.array_flag",
                 [](const CallSite& c) -> std::optional<Signature> {
                   if (c.args.size() != 2 || !c.args[0]->is_array() || c.args[1]->kind != t::TypeKind::StringLiteral)
                     return std::nullopt;
                   static const char* known[] = {"c_contiguous", "f_contiguous", "contiguous", "fortran",
                                                 "writeable", "aligned"};
                   const std::string& name = c.args[1]->text;
                   if (std::find(std::begin(known), std::end(known), name) == std::end(known))
                     unsupported(c.call.span, "a.flags." + name + " is not supported in compiled code");
                   return Signature{t::boolean(), {c.args[0], nullptr}};
                 },
                 [](RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
                   auto& b = f.builder();
                   const Type* a = s.params[0];
                   const std::string& name = argument_expr(call, 1).type->text;
                   if (name == "writeable") return static_cast<llvm::Value*>(b.getInt1(!a->readonly));
                   if (name == "aligned") return static_cast<llvm::Value*>(b.getTrue());
                   bool c_order = name == "c_contiguous" || name == "contiguous";
                   // (fortran is NumPy's other name for f_contiguous)
                   if ((c_order && a->layout == t::Layout::C) || (!c_order && a->layout == t::Layout::F))
                     return static_cast<llvm::Value*>(b.getTrue());
                   return f.contiguous_in_order(args[0], a, c_order);
                 }};
}

}  // namespace

void register_numpy_limits(std::vector<Builtin>& table) {
  table.push_back(limits_row("np.finfo", true));
  table.push_back(limits_row("np.iinfo", false));
  table.push_back(dtype_row());
  table.push_back(array_flag_row());
}

}  // namespace numjit::library
