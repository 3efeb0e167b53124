// Python's cmath module: functions of complex numbers that return complex
// numbers (cmath.sqrt(4.0) is (2+0j)), through glibc's C99 complex functions,
// and the polar helpers phase, polar, rect and the classifications.
#include <tuple>

#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;

bool is_number(const Type* a) { return a->is_scalar(); }

std::optional<Signature> complex_unary(const CallSite& c) {
  if (c.args.size() != 1 || !is_number(c.args[0])) return std::nullopt;
  return Signature{t::complex128(), {t::complex128()}};
}

llvm::Value* part(RowContext& f, llvm::Value* z, unsigned i) { return f.builder().CreateExtractValue(z, i); }

llvm::Value* make_complex(RowContext& f, llvm::Value* re, llvm::Value* im) {
  auto& b = f.builder();
  llvm::Value* out = llvm::PoisonValue::get(codegen::value_type(f.context(), t::complex128()));
  return b.CreateInsertValue(b.CreateInsertValue(out, re, 0), im, 1);
}

llvm::Value* phase_of(RowContext& f, llvm::Value* z) {
  return f.call_math("atan2", t::float64(), {part(f, z, 1), part(f, z, 0)});
}

}  // namespace

void register_python_cmath(std::vector<Builtin>& table) {
  for (const char* name : {"sqrt", "exp", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
                           "asinh", "acosh", "atanh"}) {
    std::string symbol = name;
    table.push_back(Builtin{std::string("cmath.") + name, complex_unary,
                            [symbol](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
                              return f.call_complex_libm(symbol, args[0]);
                            }});
  }
  // cmath.log(z) and cmath.log(z, base) = log(z) / log(base).
  table.push_back(Builtin{
      "cmath.log",
      [](const CallSite& c) -> std::optional<Signature> {
        if (c.args.empty() || c.args.size() > 2) return std::nullopt;
        for (const Type* a : c.args)
          if (!is_number(a)) return std::nullopt;
        return Signature{t::complex128(), std::vector<const Type*>(c.args.size(), t::complex128())};
      },
      [](RowContext& f, const hir::Expr& call, const Signature&, std::vector<llvm::Value*> args) {
        llvm::Value* log_z = f.call_complex_libm("log", args[0]);
        if (args.size() == 1) return log_z;
        return f.binary_scalar(hir::BinaryOp::TrueDiv, log_z, f.call_complex_libm("log", args[1]), t::complex128(),
                               call.span);
      }});
  table.push_back(Builtin{"cmath.phase",
                          [](const CallSite& c) -> std::optional<Signature> {
                            if (c.args.size() != 1 || !is_number(c.args[0])) return std::nullopt;
                            return Signature{t::float64(), {t::complex128()}};
                          },
                          [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
                            return phase_of(f, args[0]);
                          }});
  table.push_back(Builtin{"cmath.polar",
                          [](const CallSite& c) -> std::optional<Signature> {
                            if (c.args.size() != 1 || !is_number(c.args[0])) return std::nullopt;
                            return Signature{t::tuple({t::float64(), t::float64()}), {t::complex128()}};
                          },
                          [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
                            auto& b = f.builder();
                            llvm::Value* r = f.call_math("hypot", t::float64(), {part(f, args[0], 0), part(f, args[0], 1)});
                            llvm::Value* out = llvm::PoisonValue::get(codegen::value_type(f.context(), s.result));
                            return b.CreateInsertValue(b.CreateInsertValue(out, r, 0), phase_of(f, args[0]), 1);
                          }});
  table.push_back(Builtin{"cmath.rect",
                          [](const CallSite& c) -> std::optional<Signature> {
                            if (c.args.size() != 2 || !c.args[0]->is_scalar() || !c.args[1]->is_scalar() ||
                                c.args[0]->is_complex() || c.args[1]->is_complex())
                              return std::nullopt;
                            return Signature{t::complex128(), {t::float64(), t::float64()}};
                          },
                          [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
                            auto& b = f.builder();
                            llvm::Value* re = b.CreateFMul(args[0], f.call_math("cos", t::float64(), {args[1]}));
                            llvm::Value* im = b.CreateFMul(args[0], f.call_math("sin", t::float64(), {args[1]}));
                            return make_complex(f, re, im);
                          }});
  for (auto [name, nan, inf] : {std::tuple{"cmath.isnan", true, false}, std::tuple{"cmath.isinf", false, true},
                                std::tuple{"cmath.isfinite", false, false}}) {
    bool want_nan = nan, want_inf = inf;
    table.push_back(Builtin{name,
                            [](const CallSite& c) -> std::optional<Signature> {
                              if (c.args.size() != 1 || !is_number(c.args[0])) return std::nullopt;
                              return Signature{t::boolean(), {t::complex128()}};
                            },
                            [want_nan, want_inf](RowContext& f, const hir::Expr&, const Signature&,
                                                 std::vector<llvm::Value*> args) -> llvm::Value* {
                              auto& b = f.builder();
                              llvm::Value* re = part(f, args[0], 0);
                              llvm::Value* im = part(f, args[0], 1);
                              auto infinite = [&](llvm::Value* x) {
                                llvm::Value* magnitude = f.call_intrinsic(llvm::Intrinsic::fabs, b.getDoubleTy(), {x});
                                return b.CreateFCmpOEQ(magnitude, llvm::ConstantFP::getInfinity(b.getDoubleTy()));
                              };
                              if (want_nan) return b.CreateOr(b.CreateFCmpUNO(re, re), b.CreateFCmpUNO(im, im));
                              if (want_inf) return b.CreateOr(infinite(re), infinite(im));
                              auto finite = [&](llvm::Value* x) {
                                return b.CreateFCmpOLT(f.call_intrinsic(llvm::Intrinsic::fabs, b.getDoubleTy(), {x}),
                                                       llvm::ConstantFP::getInfinity(b.getDoubleTy()));
                              };
                              return b.CreateAnd(finite(re), finite(im));
                            }});
  }
}

}  // namespace numjit::library
