// The partition step of the runtime's quickselect (arrays.cpp) in AVX-512:
// sixteen or eight values per instruction, each vector's values below the
// pivot compress-stored to the front of the destination and the others to its
// back. Chosen at run time, only on CPUs with AVX-512F.
#pragma once

#include <cstdint>

namespace numjit::runtime {

bool have_avx512();

// Writes src[0, n) into dst[0, n): the values below `pivot` first, their
// count returned, then the others (NaNs among them; *nan_seen set when one
// was). T: double, float, int64_t, uint64_t, int32_t, uint32_t. Call only
// when have_avx512().
template <typename T>
int64_t partition_avx512(const T* src, T* dst, int64_t n, T pivot, bool* nan_seen);

}  // namespace numjit::runtime
