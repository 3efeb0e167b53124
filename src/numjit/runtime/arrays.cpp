// Shape work for whole-array operations, done in C++ rather than in emitted IR:
// it runs once per operation, and the error messages name the shapes.
#include "numjit/runtime/arrays.h"
#include "numjit/runtime/memory.h"
#include "numjit/runtime/partition_avx512.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "numjit/runtime/abi.h"

namespace numjit::runtime {

std::string shape_text(int32_t ndim, const int64_t* shape) {
  std::string s = "(";
  for (int32_t d = 0; d < ndim; ++d) s += std::to_string(shape[d]) + (ndim == 1 ? "," : d + 1 < ndim ? ", " : "");
  return s + ")";
}

}  // namespace numjit::runtime

using numjit::runtime::shape_text;

extern "C" int32_t numjit_rt_broadcast_shapes(int32_t count, const int32_t* ndims, const int64_t* const* shapes,
                                              int32_t out_ndim, int64_t* out_shape, int32_t fixed) {
  if (!fixed) std::fill(out_shape, out_shape + out_ndim, int64_t{1});
  for (int32_t k = 0; k < count; ++k) {
    int32_t offset = out_ndim - ndims[k];
    for (int32_t d = 0; d < ndims[k]; ++d) {
      int64_t extent = shapes[k][d];
      int64_t& out = out_shape[offset + d];
      if (extent == out || extent == 1) continue;
      if (out == 1 && !fixed) {
        out = extent;
        continue;
      }
      std::string m;
      if (fixed) {
        m = "could not broadcast input array from shape " + shape_text(ndims[k], shapes[k]) + " into shape " +
            shape_text(out_ndim, out_shape);
      } else {
        m = "operands could not be broadcast together with shapes";
        for (int32_t j = 0; j < count; ++j) m += " " + shape_text(ndims[j], shapes[j]);
      }
      numjit::runtime::raise(numjit::abi::ExceptionKind::ValueError, m.c_str());
      return numjit::abi::kStatusError;
    }
  }
  return numjit::abi::kStatusOk;
}

namespace {

template <typename T>
struct is_complex : std::false_type {};
template <typename T>
struct is_complex<std::complex<T>> : std::true_type {};

// NumPy's order: NaN after every number. Complex numbers order by real part,
// then imaginary part, those with NaNs last: R + Rj < R + NaNj < NaN + Rj <
// NaN + NaNj, as NumPy's sort defines it.
template <typename T>
bool numpy_less(T a, T b) {
  if constexpr (is_complex<T>::value) {
    auto ar = a.real(), ai = a.imag(), br = b.real(), bi = b.imag();
    if (ar < br) return ai == ai || bi != bi;
    if (ar > br) return bi != bi && ai == ai;
    if (ar == br || (ar != ar && br != br)) return ai < bi || (bi != bi && ai == ai);
    return br != br;
  } else if constexpr (std::is_floating_point_v<T>) {
    return a < b || (b != b && a == a);
  } else {
    return a < b;
  }
}

// An integer's bits as an unsigned number of the same order (the sign bit flipped).
template <typename T>
std::make_unsigned_t<T> order_key(T v) {
  using U = std::make_unsigned_t<T>;
  U u = static_cast<U>(v);
  if constexpr (std::is_signed_v<T>) u ^= U(1) << (8 * sizeof(T) - 1);
  return u;
}

// Integers by LSD radix sort on 11-bit digits of (key - smallest key): as many
// passes as the values' span needs (2 for values below 4 million), against
// std::sort's n log n compares. Equal integers cannot be told apart, so
// stability does not matter, and any correct sort gives the same array.
// False, the array untouched, when the span needs more than `most_passes`
// or the scratch buffer cannot be had.
template <typename T>
bool radix_sort(T* p, int64_t n, int most_passes) {
  using U = std::make_unsigned_t<T>;
  U lo = order_key(p[0]), hi = lo;
  for (int64_t i = 1; i < n; ++i) {
    U k = order_key(p[i]);
    lo = std::min(lo, k);
    hi = std::max(hi, k);
  }
  U span = hi - lo;
  if (span == 0) return true;
  int bits = 0;
  while (bits < static_cast<int>(8 * sizeof(U)) && (span >> bits) != 0) ++bits;
  constexpr int kDigitBits = 11;
  if ((bits + kDigitBits - 1) / kDigitBits > most_passes) return false;
  constexpr size_t kBuckets = size_t(1) << kDigitBits;
  std::unique_ptr<T[]> scratch(new (std::nothrow) T[static_cast<size_t>(n)]);
  if (!scratch) return false;
  T* from = p;
  T* to = scratch.get();
  std::vector<int64_t> counts(kBuckets);
  for (int shift = 0; shift < bits; shift += kDigitBits) {
    std::fill(counts.begin(), counts.end(), 0);
    auto digit = [&](T v) { return static_cast<size_t>(static_cast<U>(order_key(v) - lo) >> shift) & (kBuckets - 1); };
    for (int64_t i = 0; i < n; ++i) ++counts[digit(from[i])];
    int64_t start = 0;
    for (size_t d = 0; d < kBuckets; ++d) {
      int64_t c = counts[d];
      counts[d] = start;
      start += c;
    }
    for (int64_t i = 0; i < n; ++i) to[counts[digit(from[i])]++] = from[i];
    std::swap(from, to);
  }
  if (from != p) std::copy(from, from + n, p);
  return true;
}

constexpr int64_t kRadixFrom = 512;  // below this, compares win

template <typename T>
void sort_as(char* data, int64_t n) {
  T* p = reinterpret_cast<T*>(data);
  if constexpr (std::is_integral_v<T>) {
    if (n >= kRadixFrom && radix_sort(p, n, 8 * sizeof(T))) return;
  }
  std::sort(p, p + n, numpy_less<T>);
}

// Integers whose span two radix passes cover (values within 4 million of
// each other: ids, counts, indices) sort by digits even where NumPy's sort
// is there: two passes over the data beat any compare sort. NumPy's AVX-512
// sort is about as fast, but not every CPU gets it: on AMD's Zen 4 NumPy
// 2.4 runs its scalar quicksort (10**5 int64 values 3.7 ms, by digits 0.4-0.9).
// False, the array untouched, for other kinds and wider spans.
bool sort_integers_by_digits(int32_t kind, char* data, int64_t n) {
  using K = numjit::abi::ScalarKind;
  if (n < kRadixFrom) return false;
  switch (static_cast<K>(kind)) {
    case K::Int16: return radix_sort(reinterpret_cast<int16_t*>(data), n, 2);
    case K::UInt16: return radix_sort(reinterpret_cast<uint16_t*>(data), n, 2);
    case K::Int32: return radix_sort(reinterpret_cast<int32_t*>(data), n, 2);
    case K::UInt32: return radix_sort(reinterpret_cast<uint32_t*>(data), n, 2);
    case K::Int64: return radix_sort(reinterpret_cast<int64_t*>(data), n, 2);
    case K::UInt64: return radix_sort(reinterpret_cast<uint64_t*>(data), n, 2);
    default: return false;
  }
}

template <typename T>
void argsort_as(const char* data, int64_t n, int64_t* out) {
  const T* p = reinterpret_cast<const T*>(data);
  for (int64_t i = 0; i < n; ++i) out[i] = i;
  std::stable_sort(out, out + n, [p](int64_t a, int64_t b) { return numpy_less(p[a], p[b]); });
}

template <template <typename> class F, typename... Args>
void by_kind(int32_t kind, Args... args) {
  using K = numjit::abi::ScalarKind;
  switch (static_cast<K>(kind)) {
    case K::Bool: case K::UInt8: F<uint8_t>::run(args...); return;
    case K::Int8: F<int8_t>::run(args...); return;
    case K::Int16: F<int16_t>::run(args...); return;
    case K::UInt16: F<uint16_t>::run(args...); return;
    case K::Int32: F<int32_t>::run(args...); return;
    case K::UInt32: F<uint32_t>::run(args...); return;
    case K::Int64: F<int64_t>::run(args...); return;
    case K::UInt64: F<uint64_t>::run(args...); return;
    case K::Float32: F<float>::run(args...); return;
    case K::Float64: F<double>::run(args...); return;
    case K::Complex64: F<std::complex<float>>::run(args...); return;
    case K::Complex128: F<std::complex<double>>::run(args...); return;
    default: return;
  }
}

// Quickselect for numbers. Each round partitions by Alexandrescu's branchless
// Lomuto scheme (a swap and a conditional increment per element, no branch to
// mispredict on random data: about 4x faster than std::nth_element's Hoare
// loop here), with a median-of-three pivot, or of nine on large ranges. A
// round that moves nothing (the pivot is the smallest value) splits off the
// values equal to it instead, so runs of equal keys end quickly; a range that
// keeps shrinking slowly goes to std::nth_element, whose introselect bounds
// the worst case.
template <typename T>
T median_of_three(T a, T b, T c) {
  return std::max(std::min(a, b), std::min(std::max(a, b), c));
}

template <typename T, typename Before>
int64_t partition_branchless(T* p, int64_t lo, int64_t hi, Before before) {
  int64_t j = lo;
  for (int64_t i = lo; i < hi; ++i) {
    T v = p[i];
    bool goes_left = before(v);
    p[i] = p[j];
    p[j] = v;
    j += goes_left;
  }
  return j;
}

template <typename T>
void select_numbers(T* p, int64_t lo, int64_t hi, int64_t k) {
  int rounds_left = 64;
  while (hi - lo > 16) {
    if (--rounds_left == 0) {
      std::nth_element(p + lo, p + k, p + hi);
      return;
    }
    int64_t mid = lo + (hi - lo) / 2;
    T pivot = median_of_three(p[lo], p[mid], p[hi - 1]);
    if (hi - lo > 1024)
      pivot = median_of_three(median_of_three(p[lo + 1], p[lo + 2], p[lo + 3]), pivot,
                              median_of_three(p[hi - 2], p[hi - 3], p[hi - 4]));
    int64_t split = partition_branchless(p, lo, hi, [pivot](T v) { return v < pivot; });
    if (k < split) {
      hi = split;
    } else if (split > lo) {
      lo = split;
    } else {
      int64_t equal_end = partition_branchless(p, lo, hi, [pivot](T v) { return !(pivot < v); });
      if (k < equal_end) return;
      lo = equal_end;
    }
  }
  std::sort(p + lo, p + hi);
}

// data[k] becomes the k-th smallest of n values, none before it larger and
// none after it smaller, in NumPy's order (NaNs last): np.partition's
// guarantee. NaNs are moved to the end first, so the selection itself
// compares numbers only.
template <typename T>
void select_as(char* data, int64_t n, int64_t k) {
  T* p = reinterpret_cast<T*>(data);
  int64_t numbers = n;
  if constexpr (std::is_floating_point_v<T>) {
    numbers = partition_branchless(p, 0, n, [](T v) { return v == v; });
    if (k >= numbers) return;  // a NaN, and it is in place
  }
  select_numbers(p, 0, numbers, k);
}

// A pivot for selecting the k-th of [lo, hi) in a large range: the value at
// k's relative rank in an evenly spaced sample, moved by one standard error
// of that estimate towards the range's nearer end, so that k most likely
// falls in the smaller part (Floyd and Rivest's idea, with one pivot). The
// first round of a median still halves the range; the next ones cut close
// to k, where repeated halving would go on reading half of what is left.
// NaN when the sample holds a NaN (the caller falls back).
template <typename T>
T sampled_pivot(const T* from, int64_t lo, int64_t hi, int64_t k) {
  constexpr int kSample = 255;
  T sample[kSample];
  int64_t span = hi - lo;
  for (int s = 0; s < kSample; ++s) {
    sample[s] = from[lo + span * (2 * s + 1) / (2 * kSample)];
    if (sample[s] != sample[s]) return sample[s];
  }
  double at = (static_cast<double>(k - lo) + 0.5) / static_cast<double>(span);
  double error = std::sqrt(at * (1.0 - at) * kSample);
  double rank = at * kSample + (at < 0.5 ? 1.0 : -1.0) * error;
  T* chosen = sample + std::clamp(static_cast<int>(rank), 0, kSample - 1);
  std::nth_element(sample, chosen, sample + kSample);
  return *chosen;
}

// The first rounds of a large selection on AVX-512 CPUs, in place in data
// (a copy of `source` first, which also brings the values into the cache
// the rounds then work in). A NaN seen in the first round (which reads
// every value), or a round that moves nothing (duplicates), hands the range
// to the scalar code, which orders NaNs last. Returns the range [lo, hi)
// still to select in; false when it did nothing (no AVX-512, a small array).
template <typename T>
bool select_wide(const T* source, T* data, int64_t n, int64_t k, int64_t& lo, int64_t& hi) {
  constexpr int64_t kWideFrom = 4096;
  constexpr bool kSupported = std::is_same_v<T, double> || std::is_same_v<T, float> || std::is_same_v<T, int64_t> ||
                              std::is_same_v<T, uint64_t> || std::is_same_v<T, int32_t> || std::is_same_v<T, uint32_t>;
  if constexpr (!kSupported) {
    return false;
  } else {
    if (n < kWideFrom || !numjit::runtime::have_avx512()) return false;
    if (source != data) std::copy(source, source + n, data);
    lo = 0;
    hi = n;
    bool nan_seen = false;
    while (hi - lo > kWideFrom) {
      T pivot = sampled_pivot(data, lo, hi, k);
      if (pivot != pivot) break;
      int64_t split = lo + numjit::runtime::partition_avx512<T>(data + lo, hi - lo, pivot, &nan_seen);
      if (nan_seen) {  // the scalar code takes the whole array and orders the NaNs
        lo = 0;
        hi = n;
        break;
      }
      if (split == lo || split == hi) break;  // every value on one side: duplicates
      if (k < split) hi = split;
      else lo = split;
    }
    return true;
  }
}

template <typename T>
struct Select {
  static void run(const char* source, char* data, int64_t n, int64_t k) {
    T* p = reinterpret_cast<T*>(data);
    if constexpr (std::is_arithmetic_v<T>) {
      int64_t lo = 0, hi = n;
      if (select_wide(reinterpret_cast<const T*>(source), p, n, k, lo, hi)) {
        if (lo == 0 && hi == n) return select_as<T>(data, n, k);  // stuck at once: NaNs, or one value
        return select_numbers(p, lo, hi, k);
      }
      if (source != data) std::copy(reinterpret_cast<const T*>(source), reinterpret_cast<const T*>(source) + n, p);
      select_as<T>(data, n, k);
    } else {
      if (source != data) std::copy(reinterpret_cast<const T*>(source), reinterpret_cast<const T*>(source) + n, p);
      std::nth_element(p, p + k, p + n, numpy_less<T>);
    }
  }
};

template <typename T>
struct Copy {
  static void run(const char* source, char* data, int64_t n) {
    std::copy(reinterpret_cast<const T*>(source), reinterpret_cast<const T*>(source) + n, reinterpret_cast<T*>(data));
  }
};

template <typename T>
struct Sort {
  static void run(char* data, int64_t n) { sort_as<T>(data, n); }
};
template <typename T>
struct ArgSort {
  static void run(const char* data, int64_t n, int64_t* out) { argsort_as<T>(data, n, out); }
};

// An argsort `out` of `data` made stable: each run of equal values (in NumPy's
// order, NaNs equal to each other) gets its positions in increasing order.
template <typename T>
struct StableTies {
  static void run(const char* data, int64_t n, int64_t* out) {
    const T* p = reinterpret_cast<const T*>(data);
    for (int64_t first = 0; first < n;) {
      int64_t last = first + 1;
      while (last < n && !numpy_less(p[out[last - 1]], p[out[last]])) ++last;
      if (last - first > 1) std::sort(out + first, out + last);
      first = last;
    }
  }
};

}  // namespace

namespace {
// datetime64 and timedelta64 sort as their int64 counts, except NaT
// (INT64_MIN), which NumPy sorts last: the sorted NaTs lead, so they rotate
// to the end (the values for sort, their positions for a stable argsort).
bool time_kind(int32_t kind) { return numjit::abi::is_time_kind(static_cast<numjit::abi::ScalarKind>(kind)); }
int64_t leading_nats(const int64_t* sorted, int64_t n) {
  int64_t k = 0;
  while (k < n && sorted[k] == numjit::abi::kNaT) ++k;
  return k;
}
}  // namespace

namespace {
constexpr int32_t kKinds = static_cast<int32_t>(numjit::abi::ScalarKind::Count);
numjit::runtime::NumpySortFn g_numpy_sorts[kKinds] = {};
struct NumpyArgsort {
  numjit::runtime::NumpyArgsortFn fn = nullptr;
  bool stable = false;
};
NumpyArgsort g_numpy_argsorts[kKinds] = {};
bool known_kind(int32_t kind) { return kind >= 0 && kind < kKinds; }
}  // namespace

void numjit::runtime::set_numpy_sort(int32_t kind, NumpySortFn sort) {
  if (known_kind(kind)) g_numpy_sorts[kind] = sort;
}

void numjit::runtime::set_numpy_argsort(int32_t kind, NumpyArgsortFn argsort, bool stable) {
  if (known_kind(kind)) g_numpy_argsorts[kind] = {argsort, stable};
}

extern "C" void numjit_rt_sort(char* data, int64_t n, int32_t kind) {
  if (!time_kind(kind)) {
    if (sort_integers_by_digits(kind, data, n)) return;
    // (NumPy's sorts return -1 only for objects and other types that need the GIL.)
    if (known_kind(kind) && g_numpy_sorts[kind] && g_numpy_sorts[kind](data, n, nullptr) == 0)
      return;
    return by_kind<Sort>(kind, data, n);
  }
  auto* values = reinterpret_cast<int64_t*>(data);
  by_kind<Sort>(static_cast<int32_t>(numjit::abi::ScalarKind::Int64), data, n);
  std::rotate(values, values + leading_nats(values, n), values + n);
}

extern "C" void numjit_rt_select(const char* source, char* data, int64_t n, int64_t k, int32_t kind) {
  if (k >= 0 && k < n) by_kind<Select>(kind, source, data, n, k);
  else if (source != data && n > 0) by_kind<Copy>(kind, source, data, n);
}

extern "C" void numjit_rt_argsort(const char* data, int64_t n, int32_t kind, int64_t* out) {
  if (!time_kind(kind)) {
    if (known_kind(kind) && g_numpy_argsorts[kind].fn) {
      for (int64_t i = 0; i < n; ++i) out[i] = i;
      if (g_numpy_argsorts[kind].fn(const_cast<char*>(data), out, n, nullptr) == 0) {
        if (!g_numpy_argsorts[kind].stable) by_kind<StableTies>(kind, data, n, out);
        return;
      }
    }
    return by_kind<ArgSort>(kind, data, n, out);
  }
  by_kind<ArgSort>(static_cast<int32_t>(numjit::abi::ScalarKind::Int64), data, n, out);
  const auto* values = reinterpret_cast<const int64_t*>(data);
  int64_t nats = 0;
  while (nats < n && values[out[nats]] == numjit::abi::kNaT) ++nats;
  std::rotate(out, out + nats, out + n);
}
