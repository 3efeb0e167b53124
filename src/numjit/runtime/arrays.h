// Runtime helpers of whole-array operations (called from compiled code).
#pragma once

#include <cstdint>
#include <string>

#include "numjit/runtime/functions.h"

// numjit_rt_broadcast_shapes, _arrays_overlap, _sort and _argsort are in
// functions.def.

namespace numjit::runtime {
// A shape as NumPy prints it: "(3,)", "(2, 3)".
std::string shape_text(int32_t ndim, const int64_t* shape);

// NumPy's own sort of a numeric kind (its dtype's ArrFuncs.sort[quicksort],
// which ignores its third argument for numbers), given by the _dispatch
// module when it loads: np.sort then runs NumPy's code, its AVX-512 sorting
// networks included, and orders NaNs and equal keys exactly as NumPy does.
// Without one (no NumPy in the process) the runtime sorts by itself.
using NumpySortFn = int (*)(void* data, int64_t n, void* unused_array);
void set_numpy_sort(int32_t kind, NumpySortFn sort);
// Likewise NumPy's argsort of a kind (ArrFuncs.argsort[kind]), which orders
// `indices` (0..n-1 on entry). numjit's argsort is stable: a `stable` one
// is taken as it is; otherwise the positions of each run of equal values
// are put in order afterwards, which gives the stable argsort too.
using NumpyArgsortFn = int (*)(void* data, int64_t* indices, int64_t n, void* unused_array);
void set_numpy_argsort(int32_t kind, NumpyArgsortFn argsort, bool stable);
}  // namespace numjit::runtime
