// What the lowering of one prange loop shares between the function that
// runs it and the chunk function it outlines (lower_parallel.cpp), and the
// parts that array reductions add (lower_array_reductions.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "numjit/lower/function_lowering.h"
#include "numjit/passes/parallel_loops.h"

namespace numjit::lower {

struct ParallelContext {
  passes::ParallelLoopPlan plan;
  llvm::StructType* type;  // {i64 start, i64 step, i64 count, copied..., ptr partials...}
  std::vector<int> copied;  // captured locals, then privates (copied back after the loop)
  size_t first_private = 0;  // index in `copied`
  unsigned first_captured = 3;
  unsigned first_partial = 0;
  // For each copied local with an "assigned" flag (FunctionLowering::
  // assigned_flags_), its index in `copied` and its i1 field: a chunk starts
  // from the caller's flag, and the last chunk hands a private's flag back.
  std::vector<std::pair<size_t, unsigned>> flags;
  std::optional<int64_t> constant_step;  // lets each chunk's loop know its direction statically
  std::optional<int64_t> constant_start;  // and the least value of its variable (no index wraparound)
  // For each captured local (the first of `copied`), the least value it is
  // known to have where the loop runs (an enclosing loop's variable, a
  // condition, an extent), or INT64_MIN.
  std::vector<int64_t> captured_lower_bounds;
  // Array reductions (lower_array_reductions.cpp): for each reduction, the
  // field holding the array bound before the loop, or 0 for a scalar one.
  std::vector<unsigned> origin_fields;
  bool has_array_reductions = false;
};

// The neutral element a partial starts from, and how a partial folds into an
// accumulator (Quotient partials hold 1/prod(divisors) and multiply).
llvm::Value* reduction_identity(FunctionLowering& f, passes::ReductionKind kind, const Type* t);
llvm::Value* reduction_combine(FunctionLowering& f, passes::ReductionKind kind, const Type* t, llvm::Value* acc,
                               llvm::Value* part);

// Where a loop has array reductions, its chunks are whole units of
// iterations, at most kUnitsPerThread per thread (one where the arrays are
// larger than kLargeAccumulatorBytes): each chunk makes private arrays, so
// their number bounds the memory.
constexpr int64_t kUnitsPerThread = 4;
constexpr int64_t kLargeAccumulatorBytes = int64_t{1} << 20;

}  // namespace numjit::lower
