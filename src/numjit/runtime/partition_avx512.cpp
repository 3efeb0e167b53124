// AVX-512 partitioning (partition_avx512.h), in place.
#include "numjit/runtime/partition_avx512.h"

#include <immintrin.h>

#include <algorithm>

namespace numjit::runtime {
namespace {

#define NUMJIT_AVX512 __attribute__((target("avx512f,popcnt")))

// Each type's lanes: a vector register type, a load, one compare giving a
// mask (float compares also note unordered lanes), and the three stores.
template <typename T>
struct Lanes;

// store: a compressing store of the mask's lanes (exact, microcoded: slow).
// store_low: the mask's lanes packed into the low lanes, a whole vector stored.
// store_high: the mask's lanes packed into the `high` lanes (the top ones),
// a whole vector stored.
#define NUMJIT_LANES(T, V, W, MASK, LOAD, STOREU, COMPRESS, EXPAND, COMPRESS_STORE)                   \
  static constexpr int kCount = W;                                                                    \
  using Vec = V;                                                                                      \
  NUMJIT_AVX512 static Vec load(const T* p) { return LOAD(p); }                                       \
  NUMJIT_AVX512 static void store(T* to, uint32_t mask, Vec v) {                                      \
    COMPRESS_STORE(to, static_cast<MASK>(mask), v);                                                   \
  }                                                                                                   \
  NUMJIT_AVX512 static void store_low(T* to, uint32_t mask, Vec v) {                                  \
    STOREU(to, COMPRESS(static_cast<MASK>(mask), v));                                                 \
  }                                                                                                   \
  NUMJIT_AVX512 static void store_high(T* to, uint32_t mask, uint32_t high, Vec v) {                  \
    STOREU(to, EXPAND(static_cast<MASK>(high), COMPRESS(static_cast<MASK>(mask), v)));                \
  }

NUMJIT_AVX512 inline __m512i load_integers(const void* p) { return _mm512_loadu_si512(p); }
NUMJIT_AVX512 inline void store_integers(void* p, __m512i v) { _mm512_storeu_si512(p, v); }

template <>
struct Lanes<double> {
  NUMJIT_LANES(double, __m512d, 8, __mmask8, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_maskz_compress_pd,
               _mm512_maskz_expand_pd, _mm512_mask_compressstoreu_pd)
  NUMJIT_AVX512 static uint32_t below(Vec v, double pivot, uint32_t* unordered) {
    *unordered |= _mm512_cmp_pd_mask(v, v, _CMP_UNORD_Q);
    return _mm512_cmp_pd_mask(v, _mm512_set1_pd(pivot), _CMP_LT_OQ);
  }
};

template <>
struct Lanes<float> {
  NUMJIT_LANES(float, __m512, 16, __mmask16, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_maskz_compress_ps,
               _mm512_maskz_expand_ps, _mm512_mask_compressstoreu_ps)
  NUMJIT_AVX512 static uint32_t below(Vec v, float pivot, uint32_t* unordered) {
    *unordered |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    return _mm512_cmp_ps_mask(v, _mm512_set1_ps(pivot), _CMP_LT_OQ);
  }
};

template <typename T, bool kSigned>
struct Lanes64 {
  NUMJIT_LANES(T, __m512i, 8, __mmask8, load_integers, store_integers, _mm512_maskz_compress_epi64,
               _mm512_maskz_expand_epi64, _mm512_mask_compressstoreu_epi64)
  NUMJIT_AVX512 static uint32_t below(Vec v, T pivot, uint32_t*) {
    __m512i q = _mm512_set1_epi64(static_cast<long long>(pivot));
    return kSigned ? _mm512_cmplt_epi64_mask(v, q) : _mm512_cmplt_epu64_mask(v, q);
  }
};
template <>
struct Lanes<int64_t> : Lanes64<int64_t, true> {};
template <>
struct Lanes<uint64_t> : Lanes64<uint64_t, false> {};

template <typename T, bool kSigned>
struct Lanes32 {
  NUMJIT_LANES(T, __m512i, 16, __mmask16, load_integers, store_integers, _mm512_maskz_compress_epi32,
               _mm512_maskz_expand_epi32, _mm512_mask_compressstoreu_epi32)
  NUMJIT_AVX512 static uint32_t below(Vec v, T pivot, uint32_t*) {
    __m512i q = _mm512_set1_epi32(static_cast<int>(pivot));
    return kSigned ? _mm512_cmplt_epi32_mask(v, q) : _mm512_cmplt_epu32_mask(v, q);
  }
};
template <>
struct Lanes<int32_t> : Lanes32<int32_t, true> {};
template <>
struct Lanes<uint32_t> : Lanes32<uint32_t, false> {};
#undef NUMJIT_LANES


// In place, as x86-simd-sort partitions: the first and last blocks of
// vectors are held in registers, which leaves a block's room free at each
// end; each step reads the next block from the end with less room, so writes
// never reach unread values, and stores each vector's two parts as whole vectors (compressed in a
// register: a compressing store to memory is microcoded, several times
// slower), the upper part expanded into the top lanes so that it ends where
// it must. The lanes past each part fall in the free room and are written
// over later. Working in place keeps the selection in the cache the caller's
// copy just filled.
// (In the anonymous namespace, so that this first declaration carries the
// target: the header's declaration of partition_avx512 cannot, and GCC
// compiles a template for the target of its first declaration.)
template <typename T>
NUMJIT_AVX512 int64_t partition_in_place(T* p, int64_t n, T pivot, bool* nan_seen) {
  using L = Lanes<T>;
  constexpr int W = L::kCount;
  constexpr int kBlock = 8;  // vectors read per side choice: the choice's branch is the loop's cost
  constexpr int64_t kRoom = kBlock * W;
  constexpr uint32_t kAll = (1u << W) - 1;
  uint32_t unordered = 0;
  int64_t left = 0, right = n;  // written: [0, left) below, [right, n) not below
  // Whole vectors: store_low/store_high need a vector's room at each end.
  auto place = [&](typename L::Vec v) __attribute__((always_inline, target("avx512f,popcnt"))) {
    uint32_t mask = L::below(v, pivot, &unordered);
    int count = __builtin_popcount(mask);
    L::store_low(p + left, mask, v);
    L::store_high(p + right - W, ~mask & kAll, kAll & ~((1u << count) - 1), v);
    left += count;
    right -= W - count;
  };
  // Exact stores, for the end, when nothing unread is left in the array.
  auto place_exactly = [&](typename L::Vec v) __attribute__((always_inline, target("avx512f,popcnt"))) {
    uint32_t mask = L::below(v, pivot, &unordered);
    int count = __builtin_popcount(mask);
    L::store(p + left, mask, v);
    left += count;
    right -= W - count;
    L::store(p + right, ~mask & kAll, v);
  };
  typename L::Vec held[2 * kBlock];
  for (int j = 0; j < kBlock; ++j) {
    held[j] = L::load(p + j * W);
    held[kBlock + j] = L::load(p + n - (j + 1) * W);
  }
  int64_t read_left = kRoom, read_right = n - kRoom;  // unread: [read_left, read_right)
  while (read_right - read_left >= kRoom) {
    // The end with less room gains kRoom: both then have at least kRoom,
    // enough for the block's kBlock whole-vector stores on either side.
    const T* from;
    if (read_left - left <= right - read_right) {
      from = p + read_left;
      read_left += kRoom;
    } else {
      read_right -= kRoom;
      from = p + read_right;
    }
    typename L::Vec block[kBlock];
    for (int j = 0; j < kBlock; ++j) block[j] = L::load(from + j * W);
    for (int j = 0; j < kBlock; ++j) place(block[j]);
  }
  // Fewer than kRoom unread values and the held vectors: all are out of the
  // array once the rest is copied, and the room left is exactly theirs.
  T rest[kRoom];
  int64_t rest_count = read_right - read_left;
  std::copy(p + read_left, p + read_right, rest);
  int64_t i = 0;
  for (; i + W <= rest_count; i += W) place_exactly(L::load(rest + i));
  for (; i < rest_count; ++i) {
    if (rest[i] != rest[i]) unordered = 1;
    if (rest[i] < pivot) p[left++] = rest[i];
    else p[--right] = rest[i];
  }
  for (typename L::Vec v : held) place_exactly(v);
  if (unordered) *nan_seen = true;
  return left;
}

}  // namespace

bool have_avx512() {
  static const bool available = __builtin_cpu_supports("avx512f");
  return available;
}

template <typename T>
int64_t partition_avx512(T* p, int64_t n, T pivot, bool* nan_seen) {
  return partition_in_place(p, n, pivot, nan_seen);
}

template int64_t partition_avx512<double>(double*, int64_t, double, bool*);
template int64_t partition_avx512<float>(float*, int64_t, float, bool*);
template int64_t partition_avx512<int64_t>(int64_t*, int64_t, int64_t, bool*);
template int64_t partition_avx512<uint64_t>(uint64_t*, int64_t, uint64_t, bool*);
template int64_t partition_avx512<int32_t>(int32_t*, int64_t, int32_t, bool*);
template int64_t partition_avx512<uint32_t>(uint32_t*, int64_t, uint32_t, bool*);

}  // namespace numjit::runtime
