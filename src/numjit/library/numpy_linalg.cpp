// Linear algebra rows: np.dot, np.matmul and a.dot(b) (lowered by
// FunctionLowering::matmul, BLAS for floating-point matrices), np.trace.
#include "numjit/library/arguments.h"
#include "numjit/lower/function_lowering.h"
#include "numjit/lower/llvm_types.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

using lower::FunctionLowering;
namespace t = types;

std::optional<Signature> matmul_typing(const CallSite& c) {
  if (c.args.size() != 2) return std::nullopt;
  const Type* r = t::matmul_type(c.args[0], c.args[1]);
  if (!r) return std::nullopt;
  return Signature{r, {c.args[0], c.args[1]}};
}

llvm::Value* matmul_lowering(FunctionLowering& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  return f.matmul(args[0], s.params[0], args[1], s.params[1], s.result, call.span);
}

// np.trace(a): the sum of the main diagonal of a 2-D array.
std::optional<Signature> trace_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array() || c.args[0]->ndim != 2) return std::nullopt;
  const Type* d = c.args[0]->dtype();
  const Type* r = d->is_bool() || (d->is_integer() && d->is_signed()) ? t::int64() : d->is_integer() ? t::uint64() : d;
  return Signature{r, {c.args[0]}};
}

llvm::Value* trace_lowering(FunctionLowering& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* at = s.params[0];
  llvm::Value* rows = f.array_dim(args[0], lower::kArrayShape, 0);
  llvm::Value* cols = f.array_dim(args[0], lower::kArrayShape, 1);
  llvm::Value* n = b.CreateSelect(b.CreateICmpSLT(rows, cols), rows, cols);
  llvm::Value* step = b.CreateAdd(f.array_dim(args[0], lower::kArrayStrides, 0), f.array_dim(args[0], lower::kArrayStrides, 1));
  llvm::Value* data = b.CreateExtractValue(args[0], lower::kArrayData);
  llvm::Type* vt = lower::value_type(f.context(), s.result);
  llvm::Value* acc = f.entry_alloca(vt, "trace");
  b.CreateStore(f.cast(f.i64(0), t::int64(), s.result), acc);
  f.counted_loop(n, "trace", [&](llvm::Value* i) {
    llvm::Value* x = f.cast(f.load_element(b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(i, step)), at->dtype()), at->dtype(), s.result);
    b.CreateStore(f.binary_scalar(hir::BinaryOp::Add, b.CreateLoad(vt, acc), x, s.result, {}), acc);
  });
  return b.CreateLoad(vt, acc);
}

}  // namespace

void register_numpy_linalg(std::vector<Builtin>& table) {
  for (const char* name : {"np.dot", "np.matmul", "array.dot"}) table.push_back(Builtin{name, matmul_typing, matmul_lowering});
  table.push_back(Builtin{"np.trace", trace_typing, trace_lowering});
}

}  // namespace numjit::library
