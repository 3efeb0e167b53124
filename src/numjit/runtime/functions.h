// C declarations of the runtime functions compiled code calls, generated from
// runtime/functions.def (the one table of them; see there).
#pragma once

#include <cstdint>

#include "numjit/runtime/abi.h"

namespace numjit::runtime {
struct MemInfo;
}

extern "C" {
// Runs iterations [begin, end) of an outlined prange body; `worker` is the
// calling thread's index in [0, nthreads), used for per-thread reduction
// partials. Returns abi::kStatusOk or kStatusError (record pending).
typedef int32_t (*numjit_chunk_fn)(void* ctx, int64_t begin, int64_t end, int32_t worker);

#define NUMJIT_RUNTIME_FUNCTION(result, name, params) result numjit_rt_##name params;
#include "numjit/runtime/functions.def"
#undef NUMJIT_RUNTIME_FUNCTION
}
