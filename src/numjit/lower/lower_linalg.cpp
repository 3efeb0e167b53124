// Matrix products: np.dot, np.matmul, a.dot(b) and `a @ b`. Floating-point
// and complex matrices go to BLAS ?gemm (SciPy's, see python/numjit/_blas.py),
// vectors being 1-row or 1-column matrices; a C-contiguous operand is passed
// as the transpose of a column-major one, an F-contiguous one as itself, any
// other layout is copied first. Integer products (which BLAS lacks) and
// vector dot products run as loops.
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/types/array_typing.h"

namespace numjit::lower {

using types::Layout;

namespace {

// "numjit_blas_dgemm" for library "numjit_blas_", routine "gemm" and float64.
std::string typed_routine(const char* library, const Type* dtype, const char* routine) {
  char prefix = dtype->is_complex() ? (dtype->bits() == 64 ? 'c' : 'z') : (dtype->bits() == 32 ? 's' : 'd');
  return std::string(library) + prefix + routine;
}

std::string blas_name(const Type* dtype, const char* routine) { return typed_routine("numjit_blas_", dtype, routine); }

}  // namespace

// A copy of `array` in C order, converted to `dtype`.
llvm::Value* FunctionLowering::copy_as(llvm::Value* array, const Type* t, const Type* dtype) {
  const Type* out_type = types::array(dtype->scalar, t->ndim, Layout::C);
  std::vector<llvm::Value*> shape;
  for (int d = 0; d < t->ndim; ++d) shape.push_back(array_dim(array, kArrayShape, d));
  llvm::Value* out = own_temporary(allocate_array(out_type, shape, false), out_type);
  copy_into(out, out_type, array, t);
  return out;
}

// dst[...] = src element by element (same shape), converting the dtype.
void FunctionLowering::copy_into(llvm::Value* dst, const Type* dst_type, llvm::Value* src, const Type* src_type) {
  std::vector<Operand> ops{Operand{nullptr, src_type, src, nullptr}, Operand{nullptr, dst_type, dst, nullptr}};
  const Type* from = src_type->dtype();
  const Type* to = dst_type->dtype();
  elementwise_loop(ops, src_type->ndim, shape_slot(src, src_type), [&] {
    store_element(ops[1].element, cast(load_element(ops[0].element, from), from, to), to);
  });
}

// ?dot (?dotu for complex) of two contiguous vectors of length k, as NumPy
// calls: its vectorized, threaded sum, where an ordered loop ran 2.2x slower
// (and summed float32 with a larger error). A complex result comes back by
// value in registers: {double, double} in xmm0 and xmm1, a complex64 packed
// into xmm0, which is LLVM's <2 x float>.
llvm::Value* FunctionLowering::blas_dot(llvm::Value* a, llvm::Value* b, llvm::Value* k, const Type* dtype) {
  auto& ir = builder_;
  llvm::Type* p = ir.getPtrTy();
  llvm::Type* returned = value_type(context(), dtype);
  bool complex64 = dtype->is_complex() && dtype->bits() == 64;
  if (complex64) returned = llvm::FixedVectorType::get(ir.getFloatTy(), 2);
  llvm::FunctionCallee dot = module().getOrInsertFunction(
      blas_name(dtype, dtype->is_complex() ? "dotu" : "dot"), llvm::FunctionType::get(returned, {p, p, p, p, p}, false));
  llvm::Value* n = spill(ir.CreateTrunc(k, ir.getInt32Ty()));
  llvm::Value* unit = spill(ir.getInt32(1));
  llvm::Value* sum = ir.CreateCall(dot, {n, ir.CreateExtractValue(a, kArrayData), unit, ir.CreateExtractValue(b, kArrayData), unit});
  if (!complex64) return sum;
  llvm::Value* pair = llvm::PoisonValue::get(value_type(context(), dtype));
  pair = ir.CreateInsertValue(pair, ir.CreateExtractElement(sum, uint64_t{0}), 0);
  return ir.CreateInsertValue(pair, ir.CreateExtractElement(sum, uint64_t{1}), 1);
}

llvm::Value* FunctionLowering::matmul(llvm::Value* a, const Type* at, llvm::Value* b, const Type* bt,
                                      const Type* result, const SourceSpan& span) {
  auto& ir = builder_;
  const Type* dtype = types::element_type(result);
  // Extents: a is m x k (a vector is 1 x k), b is k x n (a vector is k x 1).
  llvm::Value* one = ir.getInt64(1);
  llvm::Value* m = at->ndim == 2 ? array_dim(a, kArrayShape, 0) : one;
  llvm::Value* k = array_dim(a, kArrayShape, at->ndim - 1);
  llvm::Value* k2 = array_dim(b, kArrayShape, 0);
  llvm::Value* n = bt->ndim == 2 ? array_dim(b, kArrayShape, 1) : one;
  raise_if(ir.CreateICmpNE(k, k2), ExceptionKind::ValueError,
           "matmul: the operands' inner dimensions differ (shapes not aligned)");
  (void)span;
  // Booleans sum as NumPy's do: a logical or of logical ands (an i1 add would be an exclusive or).
  auto add = [&](llvm::Value* x, llvm::Value* y) {
    return dtype->is_bool() ? ir.CreateOr(x, y) : binary_scalar(hir::BinaryOp::Add, x, y, dtype, span);
  };
  auto multiply = [&](llvm::Value* x, llvm::Value* y) {
    return dtype->is_bool() ? ir.CreateAnd(x, y) : binary_scalar(hir::BinaryOp::Mul, x, y, dtype, span);
  };
  bool blas_dtype = dtype->is_float() || dtype->is_complex();
  if (blas_dtype) {
    // BLAS takes 32-bit extents: a larger one must not be truncated into a wrong answer.
    llvm::Value* limit = ir.getInt64(INT32_MAX);
    llvm::Value* too_large =
        ir.CreateOr(ir.CreateICmpSGT(m, limit), ir.CreateOr(ir.CreateICmpSGT(k, limit), ir.CreateICmpSGT(n, limit)));
    raise_if(too_large, ExceptionKind::ValueError,
             "matmul: a dimension of 2**31 or more is beyond the 32-bit BLAS that SciPy provides");
  }
  if (at->ndim == 1 && bt->ndim == 1 && blas_dtype && at->layout == Layout::C && bt->layout == Layout::C &&
      at->dtype() == dtype && bt->dtype() == dtype)
    return blas_dot(a, b, k, dtype);
  if (at->ndim == 1 && bt->ndim == 1) {
    // The dot product of two vectors.
    llvm::Value* acc = entry_alloca(value_type(context(), dtype), "dot.acc");
    ir.CreateStore(cast(ir.getInt64(0), types::int64(), dtype), acc);
    llvm::Value* pa = ir.CreateExtractValue(a, kArrayData);
    llvm::Value* pb = ir.CreateExtractValue(b, kArrayData);
    llvm::Value* sa = array_dim(a, kArrayStrides, 0);
    llvm::Value* sb = array_dim(b, kArrayStrides, 0);
    counted_loop(k, "dot", [&](llvm::Value* i) {
      llvm::Value* x = cast(load_element(ir.CreateGEP(ir.getInt8Ty(), pa, ir.CreateMul(i, sa)), at->dtype()), at->dtype(), dtype);
      llvm::Value* y = cast(load_element(ir.CreateGEP(ir.getInt8Ty(), pb, ir.CreateMul(i, sb)), bt->dtype()), bt->dtype(), dtype);
      llvm::Value* sum = add(ir.CreateLoad(value_type(context(), dtype), acc), multiply(x, y));
      ir.CreateStore(sum, acc);
    });
    return ir.CreateLoad(value_type(context(), dtype), acc);
  }
  std::vector<llvm::Value*> out_shape;
  if (at->ndim == 2) out_shape.push_back(m);
  if (bt->ndim == 2) out_shape.push_back(n);
  llvm::Value* out = allocate_array(result, out_shape, false);
  llvm::Value* c_data = ir.CreateExtractValue(out, kArrayData);
  if (!dtype->is_float() && !dtype->is_complex()) {
    // Integers: C[i, j] = sum_p A[i, p] * B[p, j], by strides.
    llvm::Value* pa = ir.CreateExtractValue(a, kArrayData);
    llvm::Value* pb = ir.CreateExtractValue(b, kArrayData);
    llvm::Value* a_row = at->ndim == 2 ? array_dim(a, kArrayStrides, 0) : ir.getInt64(0);
    llvm::Value* a_col = array_dim(a, kArrayStrides, at->ndim - 1);
    llvm::Value* b_row = array_dim(b, kArrayStrides, 0);
    llvm::Value* b_col = bt->ndim == 2 ? array_dim(b, kArrayStrides, 1) : ir.getInt64(0);
    llvm::Type* elem = memory_type(context(), dtype);
    llvm::Type* vt = value_type(context(), dtype);
    llvm::Value* acc = entry_alloca(vt, "matmul.acc");
    counted_loop(m, "matmul.i", [&](llvm::Value* i) {
      counted_loop(n, "matmul.j", [&](llvm::Value* j) {
        ir.CreateStore(cast(ir.getInt64(0), types::int64(), dtype), acc);
        counted_loop(k, "matmul.p", [&](llvm::Value* p) {
          llvm::Value* x = load_element(ir.CreateGEP(ir.getInt8Ty(), pa, ir.CreateAdd(ir.CreateMul(i, a_row), ir.CreateMul(p, a_col))), at->dtype());
          llvm::Value* y = load_element(ir.CreateGEP(ir.getInt8Ty(), pb, ir.CreateAdd(ir.CreateMul(p, b_row), ir.CreateMul(j, b_col))), bt->dtype());
          llvm::Value* prod = multiply(cast(x, at->dtype(), dtype), cast(y, bt->dtype(), dtype));
          ir.CreateStore(add(ir.CreateLoad(vt, acc), prod), acc);
        });
        store_element(ir.CreateInBoundsGEP(elem, c_data, ir.CreateAdd(ir.CreateMul(i, n), j)), ir.CreateLoad(vt, acc), dtype);
      });
    });
    return out;
  }
  // BLAS wants each operand contiguous (C or F) and of the result's dtype.
  auto prepare = [&](llvm::Value* v, const Type*& t) {
    bool contiguous = t->layout == Layout::C || (t->layout == Layout::F && t->ndim == 2);
    if (t->dtype() != dtype || !contiguous) {
      v = copy_as(v, t, dtype);
      t = types::array(dtype->scalar, t->ndim, Layout::C);
    }
    return v;
  };
  a = prepare(a, at);
  b = prepare(b, bt);
  auto max1 = [&](llvm::Value* x) { return ir.CreateSelect(ir.CreateICmpSGT(x, one), x, one); };
  auto i32 = [&](llvm::Value* x, const std::string& name) {
    llvm::Value* slot = entry_alloca(ir.getInt32Ty(), name);
    ir.CreateStore(ir.CreateTrunc(x, ir.getInt32Ty()), slot);
    return slot;
  };
  auto flag = [&](bool transpose, const std::string& name) {
    llvm::Value* slot = entry_alloca(ir.getInt8Ty(), name);
    ir.CreateStore(ir.getInt8(transpose ? 'T' : 'N'), slot);
    return slot;
  };
  llvm::Type* scalar_ty = value_type(context(), dtype);
  llvm::Value* alpha = entry_alloca(scalar_ty, "alpha");
  llvm::Value* beta = entry_alloca(scalar_ty, "beta");
  ir.CreateStore(cast(ir.getInt64(1), types::int64(), dtype), alpha);
  ir.CreateStore(cast(ir.getInt64(0), types::int64(), dtype), beta);
  llvm::Type* p = ir.getPtrTy();
  if (at->ndim != bt->ndim) {
    // A matrix and a vector: ?gemv, which reads the matrix once, where ?gemm
    // with one column ran 1.7x slower. y = M x or M^T x on the column-major
    // view of M (its transpose when M is C-ordered). The output starts zeroed:
    // with an empty inner dimension gemv returns without writing it.
    bool matrix_first = at->ndim == 2;
    llvm::Value* matrix = matrix_first ? a : b;
    llvm::Value* vector = matrix_first ? b : a;
    bool fortran = (matrix_first ? at : bt)->layout == Layout::F;
    // The matrix's extents as rows x columns of its column-major view.
    llvm::Value* rows = matrix_first ? (fortran ? m : k) : (fortran ? k : n);
    llvm::Value* cols = matrix_first ? (fortran ? k : m) : (fortran ? n : k);
    // M x reads the view as it is when M is F-ordered; x M (= M^T x) when it is C-ordered.
    bool transpose = matrix_first != fortran;
    llvm::Value* y = c_data;
    llvm::Value* length = matrix_first ? m : n;
    ir.CreateMemSet(y, ir.getInt8(0), ir.CreateMul(length, ir.getInt64(dtype->bits() / 8)), llvm::MaybeAlign(8));
    llvm::Value* unit = i32(one, "gemv.inc");
    llvm::FunctionCallee gemv = module().getOrInsertFunction(
        blas_name(dtype, "gemv"), llvm::FunctionType::get(ir.getVoidTy(), {p, p, p, p, p, p, p, p, p, p, p}, false));
    ir.CreateCall(gemv, {flag(transpose, "gemv.trans"), i32(rows, "gemv.m"), i32(cols, "gemv.n"), alpha,
                         ir.CreateExtractValue(matrix, kArrayData), i32(max1(rows), "gemv.lda"),
                         ir.CreateExtractValue(vector, kArrayData), unit, beta, y, unit});
    return out;
  }
  // Column-major view of the row-major product: C^T (n x m) = B^T A^T.
  bool b_fortran = bt->layout == Layout::F && bt->ndim == 2;
  bool a_fortran = at->layout == Layout::F && at->ndim == 2;
  llvm::Value* ldb = b_fortran ? max1(k) : max1(n);
  llvm::Value* lda = a_fortran ? max1(m) : max1(k);
  llvm::FunctionCallee gemm = module().getOrInsertFunction(
      blas_name(dtype, "gemm"), llvm::FunctionType::get(ir.getVoidTy(), {p, p, p, p, p, p, p, p, p, p, p, p, p}, false));
  ir.CreateCall(gemm, {flag(b_fortran, "transa"), flag(a_fortran, "transb"), i32(n, "gemm.m"), i32(m, "gemm.n"),
                       i32(k, "gemm.k"), alpha, ir.CreateExtractValue(b, kArrayData), i32(ldb, "ldb"),
                       ir.CreateExtractValue(a, kArrayData), i32(lda, "lda"), beta, c_data, i32(max1(n), "ldc")});
  return out;
}

}  // namespace numjit::lower

namespace numjit::lower {

namespace {

std::string lapack_name(const Type* dtype, const char* routine) { return typed_routine("numjit_lapack_", dtype, routine); }

}  // namespace

// LAPACK works on column-major matrices; a C-ordered copy of A is A^T to it.
// The LU factors of A^T serve both solve (getrs with 'T' solves A x = b) and
// inv (the inverse of A^T, read back in C order, is the inverse of A).
llvm::Value* FunctionLowering::lu_factor_transposed(llvm::Value* a, const Type* at, const Type* dtype, llvm::Value*& n,
                                                    llvm::Value*& pivots) {
  auto& ir = builder_;
  n = array_dim(a, kArrayShape, 0);
  raise_if(ir.CreateICmpNE(n, array_dim(a, kArrayShape, 1)), ExceptionKind::LinAlgError,
           "Last 2 dimensions of the array must be square");
  llvm::Value* lu = copy_as(a, at, dtype);
  const Type* ipiv_type = types::array(abi::ScalarKind::Int32, 1, Layout::C);
  pivots = own_temporary(allocate_array(ipiv_type, {n}, false), ipiv_type);
  llvm::Value* n32 = spill(ir.CreateTrunc(n, ir.getInt32Ty()));
  llvm::Value* lda = spill(ir.CreateTrunc(ir.CreateSelect(ir.CreateICmpSGT(n, ir.getInt64(1)), n, ir.getInt64(1)), ir.getInt32Ty()));
  llvm::Value* info = entry_alloca(ir.getInt32Ty(), "info");
  ir.CreateStore(ir.getInt32(0), info);
  llvm::Type* p = ir.getPtrTy();
  llvm::FunctionCallee getrf = module().getOrInsertFunction(
      lapack_name(dtype, "getrf"), llvm::FunctionType::get(ir.getVoidTy(), {p, p, p, p, p, p}, false));
  ir.CreateCall(getrf, {n32, n32, ir.CreateExtractValue(lu, kArrayData), lda, ir.CreateExtractValue(pivots, kArrayData), info});
  raise_if(ir.CreateICmpNE(ir.CreateLoad(ir.getInt32Ty(), info), ir.getInt32(0)), ExceptionKind::LinAlgError,
           "Singular matrix");
  return lu;
}

llvm::Value* FunctionLowering::linalg_solve(llvm::Value* a, const Type* at, llvm::Value* b, const Type* bt,
                                            const Type* result) {
  auto& ir = builder_;
  const Type* dtype = result->dtype();
  llvm::Value* n = nullptr;
  llvm::Value* pivots = nullptr;
  llvm::Value* lu = lu_factor_transposed(a, at, dtype, n, pivots);
  raise_if(ir.CreateICmpNE(array_dim(b, kArrayShape, 0), n), ExceptionKind::ValueError,
           "solve: the right-hand side's first dimension must match the matrix");
  // The right-hand sides, column-major (Fortran order), are overwritten by the solution.
  std::vector<llvm::Value*> shape{n};
  if (bt->ndim == 2) shape.push_back(array_dim(b, kArrayShape, 1));
  llvm::Value* x = allocate_array(result, shape, false);
  copy_into(x, result, b, bt);
  llvm::Value* nrhs = bt->ndim == 2 ? shape[1] : ir.getInt64(1);
  llvm::Value* n32 = spill(ir.CreateTrunc(n, ir.getInt32Ty()));
  llvm::Value* ld = spill(ir.CreateTrunc(ir.CreateSelect(ir.CreateICmpSGT(n, ir.getInt64(1)), n, ir.getInt64(1)), ir.getInt32Ty()));
  llvm::Value* info = entry_alloca(ir.getInt32Ty(), "info");
  llvm::Value* trans = spill(ir.getInt8('T'));
  llvm::Type* p = ir.getPtrTy();
  llvm::FunctionCallee getrs = module().getOrInsertFunction(
      lapack_name(dtype, "getrs"), llvm::FunctionType::get(ir.getVoidTy(), {p, p, p, p, p, p, p, p, p}, false));
  ir.CreateCall(getrs, {trans, n32, spill(ir.CreateTrunc(nrhs, ir.getInt32Ty())), ir.CreateExtractValue(lu, kArrayData), ld,
                        ir.CreateExtractValue(pivots, kArrayData), ir.CreateExtractValue(x, kArrayData), ld, info});
  return x;
}

llvm::Value* FunctionLowering::linalg_inv(llvm::Value* a, const Type* at, const Type* result) {
  auto& ir = builder_;
  const Type* dtype = result->dtype();
  llvm::Value* n = nullptr;
  llvm::Value* pivots = nullptr;
  llvm::Value* lu = lu_factor_transposed(a, at, dtype, n, pivots);
  incref(lu, result);  // the factors become the result: keep them past the statement
  llvm::Value* lwork = ir.CreateMul(ir.CreateSelect(ir.CreateICmpSGT(n, ir.getInt64(1)), n, ir.getInt64(1)), ir.getInt64(64));
  const Type* work_type = types::array(dtype->scalar, 1, Layout::C);
  llvm::Value* work = own_temporary(allocate_array(work_type, {lwork}, false), work_type);
  llvm::Value* n32 = spill(ir.CreateTrunc(n, ir.getInt32Ty()));
  llvm::Value* ld = spill(ir.CreateTrunc(ir.CreateSelect(ir.CreateICmpSGT(n, ir.getInt64(1)), n, ir.getInt64(1)), ir.getInt32Ty()));
  llvm::Value* info = entry_alloca(ir.getInt32Ty(), "info");
  llvm::Type* p = ir.getPtrTy();
  llvm::FunctionCallee getri = module().getOrInsertFunction(
      lapack_name(dtype, "getri"), llvm::FunctionType::get(ir.getVoidTy(), {p, p, p, p, p, p, p}, false));
  ir.CreateCall(getri, {n32, ir.CreateExtractValue(lu, kArrayData), ld, ir.CreateExtractValue(pivots, kArrayData),
                        ir.CreateExtractValue(work, kArrayData), spill(ir.CreateTrunc(lwork, ir.getInt32Ty())), info});
  return lu;
}

}  // namespace numjit::lower
