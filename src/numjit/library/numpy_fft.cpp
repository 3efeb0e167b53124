// numjit.fft(kind, source, out, n, factor): one row of an FFT by the runtime
// (runtime/fft.cpp, pocketfft), for np.fft written in Python
// (python/numjit/library/fft.py), which checks shapes and dtypes: `source`
// is any 1-D array of the transform's input type, `out` a C-contiguous 1-D
// array of its output type, `kind` 0-3 as the runtime function's.
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;

std::optional<Signature> fft_typing(const CallSite& c) {
  if (c.args.size() != 5) return std::nullopt;
  const Type* source = c.args[1];
  const Type* out = c.args[2];
  if (!c.args[0]->is_integer() || !source->is_array() || source->ndim != 1 || !out->is_array() || out->ndim != 1 ||
      out->layout != t::Layout::C || out->readonly || !c.args[3]->is_integer() || !c.args[4]->is_number())
    return std::nullopt;
  bool source_ok = source->dtype()->is_float() || source->dtype()->is_complex();
  bool out_ok = out->dtype()->is_float() || out->dtype()->is_complex();
  if (!source_ok || !out_ok || source->dtype()->bits() / (source->dtype()->is_complex() ? 2 : 1) !=
                                   out->dtype()->bits() / (out->dtype()->is_complex() ? 2 : 1))
    return std::nullopt;
  return Signature{t::none(), {t::int64(), source, out, t::int64(), t::float64()}};
}

llvm::Value* fft_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* out = s.params[2];
  bool single = (out->dtype()->is_complex() ? out->dtype()->bits() / 2 : out->dtype()->bits()) == 32;
  llvm::Value* status = b.CreateCall(
      codegen::runtime_function(f.module(), codegen::RuntimeFunction::fft),
      {b.CreateTrunc(args[0], b.getInt32Ty()), b.CreateExtractValue(args[1], codegen::kArrayData),
       f.array_dim(args[1], codegen::kArrayStrides, 0), f.array_dim(args[1], codegen::kArrayShape, 0),
       b.CreateExtractValue(args[2], codegen::kArrayData), args[3], b.getInt32(single), args[4]});
  f.exit_if_failed(status);
  return b.getInt8(0);
}

}  // namespace

void register_numpy_fft(std::vector<Builtin>& table) { table.push_back({"numjit.fft", fft_typing, fft_lowering}); }

}  // namespace numjit::library
