// The partition step of the runtime's quickselect (arrays.cpp) in AVX-512:
// sixteen or eight values per instruction, each vector's values below the
// pivot compressed to the front of the array and the others to its back, in
// place. Chosen at run time, only on CPUs with AVX-512F.
#pragma once

#include <cstdint>

namespace numjit::runtime {

bool have_avx512();

// Reorders p[0, n) in place: the values below `pivot` first, their count
// returned, then the others (NaNs among them; *nan_seen set when one was).
// T: double, float, int64_t, uint64_t, int32_t, uint32_t. Needs n >= 16 * 64
// bytes' worth of values (sixteen vectors); call only when have_avx512().
template <typename T>
int64_t partition_avx512(T* p, int64_t n, T pivot, bool* nan_seen);

}  // namespace numjit::runtime
