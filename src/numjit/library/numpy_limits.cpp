// np.finfo(t) and np.iinfo(t): a compile-time value naming the dtype (the
// opaque "finfo(float64)"), whose attributes type inference turns into
// constants (types/infer_limits.cpp). t is a dtype (np.float32, a.dtype, a
// string), or a number or array of that dtype, as NumPy takes it.
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

}  // namespace

void register_numpy_limits(std::vector<Builtin>& table) {
  table.push_back(limits_row("np.finfo", true));
  table.push_back(limits_row("np.iinfo", false));
}

}  // namespace numjit::library
