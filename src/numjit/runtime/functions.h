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
typedef int32_t (*numjit_chunk_fn)(void* ctx, int64_t begin, int64_t end, int32_t chunk);

// Exported from the module that holds the runtime (_dispatch), so that the
// shared libraries of the on-disk cache resolve them when they are loaded.
#define NUMJIT_RUNTIME_FUNCTION(result, name, params) \
  __attribute__((visibility("default"))) result numjit_rt_##name params;
#include "numjit/runtime/functions.def"
#undef NUMJIT_RUNTIME_FUNCTION
}
