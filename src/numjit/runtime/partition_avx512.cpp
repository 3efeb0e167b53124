// AVX-512 partitioning (partition_avx512.h). Each type's lanes: a load, one
// compare giving a mask, two compress stores. Scalar code finishes the tail.
#include "numjit/runtime/partition_avx512.h"

#include <immintrin.h>

namespace numjit::runtime {
namespace {

#define NUMJIT_AVX512 __attribute__((target("avx512f,popcnt")))

template <typename T>
struct Lanes;

template <>
struct Lanes<double> {
  static constexpr int kCount = 8;
  NUMJIT_AVX512 static uint32_t below(const double* p, double pivot, uint32_t* unordered) {
    __m512d v = _mm512_loadu_pd(p);
    __m512d q = _mm512_set1_pd(pivot);
    *unordered |= _mm512_cmp_pd_mask(v, v, _CMP_UNORD_Q);
    return _mm512_cmp_pd_mask(v, q, _CMP_LT_OQ);
  }
  NUMJIT_AVX512 static void store(double* to, uint32_t mask, const double* p) {
    _mm512_mask_compressstoreu_pd(to, static_cast<__mmask8>(mask), _mm512_loadu_pd(p));
  }
};

template <>
struct Lanes<float> {
  static constexpr int kCount = 16;
  NUMJIT_AVX512 static uint32_t below(const float* p, float pivot, uint32_t* unordered) {
    __m512 v = _mm512_loadu_ps(p);
    __m512 q = _mm512_set1_ps(pivot);
    *unordered |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    return _mm512_cmp_ps_mask(v, q, _CMP_LT_OQ);
  }
  NUMJIT_AVX512 static void store(float* to, uint32_t mask, const float* p) {
    _mm512_mask_compressstoreu_ps(to, static_cast<__mmask16>(mask), _mm512_loadu_ps(p));
  }
};

template <typename T, bool kSigned>
struct Lanes64 {
  static constexpr int kCount = 8;
  NUMJIT_AVX512 static uint32_t below(const T* p, T pivot, uint32_t*) {
    __m512i v = _mm512_loadu_si512(p);
    __m512i q = _mm512_set1_epi64(static_cast<long long>(pivot));
    return kSigned ? _mm512_cmplt_epi64_mask(v, q) : _mm512_cmplt_epu64_mask(v, q);
  }
  NUMJIT_AVX512 static void store(T* to, uint32_t mask, const T* p) {
    _mm512_mask_compressstoreu_epi64(to, static_cast<__mmask8>(mask), _mm512_loadu_si512(p));
  }
};
template <>
struct Lanes<int64_t> : Lanes64<int64_t, true> {};
template <>
struct Lanes<uint64_t> : Lanes64<uint64_t, false> {};

template <typename T, bool kSigned>
struct Lanes32 {
  static constexpr int kCount = 16;
  NUMJIT_AVX512 static uint32_t below(const T* p, T pivot, uint32_t*) {
    __m512i v = _mm512_loadu_si512(p);
    __m512i q = _mm512_set1_epi32(static_cast<int>(pivot));
    return kSigned ? _mm512_cmplt_epi32_mask(v, q) : _mm512_cmplt_epu32_mask(v, q);
  }
  NUMJIT_AVX512 static void store(T* to, uint32_t mask, const T* p) {
    _mm512_mask_compressstoreu_epi32(to, static_cast<__mmask16>(mask), _mm512_loadu_si512(p));
  }
};
template <>
struct Lanes<int32_t> : Lanes32<int32_t, true> {};
template <>
struct Lanes<uint32_t> : Lanes32<uint32_t, false> {};

}  // namespace

bool have_avx512() {
  static const bool available = __builtin_cpu_supports("avx512f");
  return available;
}

template <typename T>
NUMJIT_AVX512 int64_t partition_avx512(const T* src, T* dst, int64_t n, T pivot, bool* nan_seen) {
  using L = Lanes<T>;
  constexpr uint32_t kAll = (1u << L::kCount) - 1;
  int64_t left = 0, right = n;
  uint32_t unordered = 0;
  int64_t i = 0;
  for (; i + L::kCount <= n; i += L::kCount) {
    uint32_t mask = L::below(src + i, pivot, &unordered);
    int count = __builtin_popcount(mask);
    L::store(dst + left, mask, src + i);
    left += count;
    right -= L::kCount - count;
    L::store(dst + right, ~mask & kAll, src + i);
  }
  for (; i < n; ++i) {
    T v = src[i];
    if (v != v) unordered = 1;
    if (v < pivot) dst[left++] = v;
    else dst[--right] = v;
  }
  if (unordered) *nan_seen = true;
  return left;
}

template int64_t partition_avx512<double>(const double*, double*, int64_t, double, bool*);
template int64_t partition_avx512<float>(const float*, float*, int64_t, float, bool*);
template int64_t partition_avx512<int64_t>(const int64_t*, int64_t*, int64_t, int64_t, bool*);
template int64_t partition_avx512<uint64_t>(const uint64_t*, uint64_t*, int64_t, uint64_t, bool*);
template int64_t partition_avx512<int32_t>(const int32_t*, int32_t*, int64_t, int32_t, bool*);
template int64_t partition_avx512<uint32_t>(const uint32_t*, uint32_t*, int64_t, uint32_t, bool*);

}  // namespace numjit::runtime
