// np.random's runtime (src/numjit/runtime/random.cpp) against NumPy's legacy
// RandomState stream. Expected values come from NumPy:
//   r = np.random.RandomState(42); r.random_sample(3); r = ...; r.standard_normal(3)
//   [r.randint(0, 10) for _ in range(5)]; [r.randint(-5, 10**10) for _ in range(3)]
#include <gtest/gtest.h>

#include "numjit/runtime/random.h"

TEST(Random, DoublesMatchRandomState) {
  numjit_rt_random_seed(42);
  EXPECT_DOUBLE_EQ(numjit_rt_random_double(), 0.37454011884736249);
  EXPECT_DOUBLE_EQ(numjit_rt_random_double(), 0.95071430640991617);
  EXPECT_DOUBLE_EQ(numjit_rt_random_double(), 0.73199394181140509);
}

TEST(Random, GaussianPairsAndSeedingResetsTheCache) {
  numjit_rt_random_seed(42);
  EXPECT_DOUBLE_EQ(numjit_rt_random_gauss(), 0.49671415301123267);
  // Seeding again drops the cached second value of the pair.
  numjit_rt_random_seed(42);
  EXPECT_DOUBLE_EQ(numjit_rt_random_gauss(), 0.49671415301123267);
  EXPECT_DOUBLE_EQ(numjit_rt_random_gauss(), -0.13826430117118466);
  EXPECT_DOUBLE_EQ(numjit_rt_random_gauss(), 0.64768853810069249);
}

TEST(Random, BoundedIntegersUseMaskedRejection) {
  numjit_rt_random_seed(42);
  const int64_t small[] = {6, 3, 7, 4, 6};
  for (int64_t expected : small) EXPECT_EQ(numjit_rt_random_randint(0, 10), expected);
  numjit_rt_random_seed(42);
  const int64_t wide[] = {787846409, 2563451919, 9019323601};  // a range beyond 32 bits draws 64-bit values
  for (int64_t expected : wide) EXPECT_EQ(numjit_rt_random_randint(-5, 10000000000LL), expected);
}

TEST(Random, IntervalStaysInRange) {
  numjit_rt_random_seed(7);
  for (uint64_t max : {uint64_t{0}, uint64_t{1}, uint64_t{9}, uint64_t{1} << 40})
    for (int i = 0; i < 100; ++i) EXPECT_LE(numjit_rt_random_interval(max), max);
}
