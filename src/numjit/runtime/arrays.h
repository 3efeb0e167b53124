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
}  // namespace numjit::runtime
