// The in-place AVX-512 partition step of the runtime's quickselect
// (src/numjit/runtime/partition_avx512.cpp): the values below the pivot come
// first, the rest after, nothing lost or duplicated, for every element type,
// sizes around the vector width, and pivots at both ends and in between.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "numjit/runtime/partition_avx512.h"

namespace {

template <typename T>
std::vector<T> random_values(int64_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<T> v(static_cast<size_t>(n));
  for (T& x : v) {
    if constexpr (std::is_floating_point_v<T>) x = static_cast<T>(std::normal_distribution<double>(0.0, 100.0)(rng));
    else x = static_cast<T>(rng() % 1000);  // duplicates on purpose
  }
  return v;
}

template <typename T>
void check_partition(int64_t n, uint32_t seed) {
  if (!numjit::runtime::have_avx512()) GTEST_SKIP() << "no AVX-512 on this CPU";
  std::vector<T> values = random_values<T>(n, seed);
  std::vector<T> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (T pivot : {sorted.front(), sorted[sorted.size() / 3], sorted[sorted.size() / 2], sorted.back(),
                  static_cast<T>(sorted.back() + 1)}) {
    std::vector<T> p = values;
    bool nan_seen = false;
    int64_t split = numjit::runtime::partition_avx512<T>(p.data(), n, pivot, &nan_seen);
    EXPECT_FALSE(nan_seen);
    int64_t expected_split = std::lower_bound(sorted.begin(), sorted.end(), pivot) - sorted.begin();
    ASSERT_EQ(split, expected_split) << "n=" << n << " pivot=" << +pivot;
    for (int64_t i = 0; i < split; ++i) ASSERT_LT(p[i], pivot) << "at " << i << " of " << n;
    for (int64_t i = split; i < n; ++i) ASSERT_FALSE(p[i] < pivot) << "at " << i << " of " << n;
    std::sort(p.begin(), p.end());
    ASSERT_EQ(p, sorted) << "the values changed, n=" << n;
  }
}

// From sixteen vectors of the widest lanes (16 floats): the step's smallest input.
constexpr int64_t kSizes[] = {256, 257, 271, 287, 288, 300, 383, 511, 512, 513, 1000, 4097, 100000};

}  // namespace

TEST(PartitionAvx512, DoublesAreSplitAtThePivotInPlace) {
  for (int64_t n : kSizes) check_partition<double>(n, 1);
}
TEST(PartitionAvx512, FloatsAreSplitAtThePivotInPlace) {
  for (int64_t n : kSizes) check_partition<float>(n, 2);
}
TEST(PartitionAvx512, SixtyFourBitIntegersAreSplitAtThePivotInPlace) {
  for (int64_t n : kSizes) {
    check_partition<int64_t>(n, 3);
    check_partition<uint64_t>(n, 4);
  }
}
TEST(PartitionAvx512, ThirtyTwoBitIntegersAreSplitAtThePivotInPlace) {
  for (int64_t n : kSizes) {
    check_partition<int32_t>(n, 5);
    check_partition<uint32_t>(n, 6);
  }
}

TEST(PartitionAvx512, ANanAnywhereIsReportedAndKept) {
  if (!numjit::runtime::have_avx512()) GTEST_SKIP() << "no AVX-512 on this CPU";
  for (int64_t n : {256, 377, 1000}) {
    for (int64_t at : {int64_t{0}, n / 2, n - 1}) {
      std::vector<double> p = random_values<double>(n, 9);
      p[static_cast<size_t>(at)] = std::numeric_limits<double>::quiet_NaN();
      bool nan_seen = false;
      int64_t split = numjit::runtime::partition_avx512<double>(p.data(), n, 0.0, &nan_seen);
      EXPECT_TRUE(nan_seen) << "n=" << n << " at=" << at;
      EXPECT_EQ(std::count_if(p.begin() + split, p.end(), [](double v) { return std::isnan(v); }), 1);
    }
  }
}
