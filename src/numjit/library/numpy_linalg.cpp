// Linear algebra rows: np.dot, np.matmul and a.dot(b) (lowered by
// FunctionLowering::matmul, BLAS for floating-point matrices), np.trace.
#include <llvm/IR/Intrinsics.h>

#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;

std::optional<Signature> matmul_typing(const CallSite& c) {
  if (c.args.size() != 2) return std::nullopt;
  const Type* r = t::matmul_type(c.args[0], c.args[1]);
  if (!r) return std::nullopt;
  return Signature{r, {c.args[0], c.args[1]}};
}

llvm::Value* matmul_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  return f.matmul(args[0], s.params[0], args[1], s.params[1], s.result, call.span);
}

// np.trace(a): the sum of the main diagonal of a 2-D array.
std::optional<Signature> trace_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array() || c.args[0]->ndim != 2) return std::nullopt;
  const Type* d = c.args[0]->dtype();
  const Type* r = d->is_bool() || (d->is_integer() && d->is_signed()) ? t::int64() : d->is_integer() ? t::uint64() : d;
  return Signature{r, {c.args[0]}};
}

llvm::Value* trace_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* at = s.params[0];
  llvm::Value* rows = f.array_dim(args[0], codegen::kArrayShape, 0);
  llvm::Value* cols = f.array_dim(args[0], codegen::kArrayShape, 1);
  llvm::Value* n = b.CreateSelect(b.CreateICmpSLT(rows, cols), rows, cols);
  llvm::Value* step = b.CreateAdd(f.array_dim(args[0], codegen::kArrayStrides, 0), f.array_dim(args[0], codegen::kArrayStrides, 1));
  llvm::Value* data = b.CreateExtractValue(args[0], codegen::kArrayData);
  llvm::Type* vt = codegen::value_type(f.context(), s.result);
  llvm::Value* acc = f.entry_alloca(vt, "trace");
  b.CreateStore(f.cast(f.i64(0), t::int64(), s.result), acc);
  f.counted_loop(n, "trace", [&](llvm::Value* i) {
    llvm::Value* x = f.cast(f.load_element(b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(i, step)), at->dtype()), at->dtype(), s.result);
    b.CreateStore(f.binary_scalar(hir::BinaryOp::Add, b.CreateLoad(vt, acc), x, s.result, {}), acc);
  });
  return b.CreateLoad(vt, acc);
}

// np.linalg.solve(a, b) and np.linalg.inv(a): float and complex, integers as float64.
const Type* lapack_dtype(const Type* a, const Type* b) {
  const Type* d = b ? t::numpy_promote(a, b) : a;
  if (d->is_float() || d->is_complex()) return d;
  return t::float64();
}

std::optional<Signature> solve_typing(const CallSite& c) {
  if (c.args.size() != 2 || !c.args[0]->is_array() || c.args[0]->ndim != 2 || !c.args[1]->is_array() ||
      c.args[1]->ndim < 1 || c.args[1]->ndim > 2)
    return std::nullopt;
  const Type* d = lapack_dtype(c.args[0]->dtype(), c.args[1]->dtype());
  // The solution comes back column-major (Fortran order), as LAPACK writes it.
  return Signature{t::array(d->scalar, c.args[1]->ndim, c.args[1]->ndim == 2 ? t::Layout::F : t::Layout::C),
                   {c.args[0], c.args[1]}};
}

llvm::Value* solve_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  return f.linalg_solve(args[0], s.params[0], args[1], s.params[1], s.result);
}

std::optional<Signature> inv_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array() || c.args[0]->ndim != 2) return std::nullopt;
  return Signature{t::array(lapack_dtype(c.args[0]->dtype(), nullptr)->scalar, 2, t::Layout::C), {c.args[0]}};
}

llvm::Value* inv_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  return f.linalg_inv(args[0], s.params[0], s.result);
}

// np.linalg.norm(x): the 2-norm of a vector, the Frobenius norm of a matrix.
std::optional<Signature> norm_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array() || c.args[0]->ndim < 1 || c.args[0]->ndim > 2) return std::nullopt;
  const Type* d = c.args[0]->dtype();
  return Signature{d->is_complex() ? t::float_of(d->bits() / 2) : d->is_float() ? d : t::float64(), {}};
}

llvm::Value* norm_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*>) {
  auto& b = f.builder();
  llvm::Value* acc = f.entry_alloca(b.getDoubleTy(), "norm");
  b.CreateStore(llvm::ConstantFP::get(b.getDoubleTy(), 0.0), acc);
  f.reduce_elements(argument_expr(call, 0), [&](llvm::Value* v, const Type* vt) {
    llvm::Value* sq;
    if (vt->is_complex()) {
      llvm::Value* re = f.cast(b.CreateExtractValue(v, 0), t::float_of(vt->bits() / 2), t::float64());
      llvm::Value* im = f.cast(b.CreateExtractValue(v, 1), t::float_of(vt->bits() / 2), t::float64());
      sq = b.CreateFAdd(b.CreateFMul(re, re), b.CreateFMul(im, im));
    } else {
      llvm::Value* x = f.cast(v, vt, t::float64());
      sq = b.CreateFMul(x, x);
    }
    llvm::Value* sum = b.CreateFAdd(b.CreateLoad(b.getDoubleTy(), acc), sq);
    llvm::cast<llvm::Instruction>(sum)->setHasAllowReassoc(true);
    b.CreateStore(sum, acc);
  });
  llvm::Value* r = f.call_intrinsic(llvm::Intrinsic::sqrt, b.getDoubleTy(), {b.CreateLoad(b.getDoubleTy(), acc)});
  return f.cast(r, t::float64(), s.result);
}

}  // namespace

void register_numpy_linalg(std::vector<Builtin>& table) {
  table.push_back(Builtin{"np.linalg.solve", solve_typing, solve_lowering});
  table.push_back(Builtin{"np.linalg.inv", inv_typing, inv_lowering});
  Builtin norm{"np.linalg.norm", norm_typing, norm_lowering};
  norm.lazy_arguments = true;
  table.push_back(norm);
  for (const char* name : {"np.dot", "np.matmul", "array.dot"}) table.push_back(Builtin{name, matmul_typing, matmul_lowering});
  table.push_back(Builtin{"np.trace", trace_typing, trace_lowering});
}

}  // namespace numjit::library
