// Runtime helpers of whole-array operations (called from compiled code).
#pragma once

#include <cstdint>
#include <string>

#include "numjit/runtime/abi.h"

extern "C" {
// Broadcasts `count` shapes (shapes[k] has ndims[k] entries) into out_shape
// (out_ndim entries). With `fixed`, out_shape is the shape of an assignment
// target and every operand must broadcast to it. Returns kStatusError with a
// ValueError naming the shapes when they do not broadcast.
int32_t numjit_rt_broadcast_shapes(int32_t count, const int32_t* ndims, const int64_t* const* shapes,
                                   int32_t out_ndim, int64_t* out_shape, int32_t fixed);
// Whether two arrays' memory may overlap in a way that makes an element-by-element
// copy from one into the other wrong (the same view is fine).
// Sorts n contiguous elements of a real ScalarKind in place, NaNs last (np.sort).
void numjit_rt_sort(char* data, int64_t n, int32_t kind);
// The stable sorting permutation of n contiguous elements (np.argsort).
void numjit_rt_argsort(const char* data, int64_t n, int32_t kind, int64_t* out);
int32_t numjit_rt_arrays_overlap(const numjit::abi::ArrayHeader* a, int32_t ndim_a, int64_t itemsize_a,
                                 const numjit::abi::ArrayHeader* b, int32_t ndim_b, int64_t itemsize_b);
}

namespace numjit::runtime {
// A shape as NumPy prints it: "(3,)", "(2, 3)".
std::string shape_text(int32_t ndim, const int64_t* shape);
}  // namespace numjit::runtime
