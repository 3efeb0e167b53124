// np.random's runtime (src/numjit/runtime/random.cpp) against NumPy's legacy
// RandomState stream. Expected values come from NumPy:
//   r = np.random.RandomState(42); r.random_sample(3); r = ...; r.standard_normal(3)
//   [r.randint(0, 10) for _ in range(5)]; [r.randint(-5, 10**10) for _ in range(3)]
#include <gtest/gtest.h>

#include <cstring>

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

// Python's random module's state (CPython's seeding, init_by_array). Expected
// words from CPython: random.seed(s); random.getstate()[1][i].
TEST(PythonRandom, SeedingFillsTheStateAsCPythonDoes) {
  struct Expected {
    uint64_t seed;
    uint32_t word1, word311, word623;
  };
  for (const Expected& e : {Expected{0, 766982754u, 652504502u, 2902720905u},
                            Expected{42, 3564348608u, 3918217378u, 3831079317u},
                            Expected{1099511627779u, 3387030199u, 691293588u, 4110687781u}}) {
    numjit_rt_py_random_seed(e.seed);
    auto* words = static_cast<const uint32_t*>(numjit_rt_py_random_state());
    EXPECT_EQ(words[0], 0x80000000u);
    EXPECT_EQ(words[1], e.word1);
    EXPECT_EQ(words[311], e.word311);
    EXPECT_EQ(words[623], e.word623);
    int32_t position;
    std::memcpy(&position, reinterpret_cast<const char*>(words) + numjit::abi::kMersennePositionOffset,
                sizeof position);
    EXPECT_EQ(position, numjit::abi::kMersenneWords);  // the first draw twists
  }
}

TEST(PythonRandom, GaussKeepsItsSecondValueUntilReseeded) {
  numjit_rt_py_random_seed(42);
  EXPECT_DOUBLE_EQ(numjit_rt_py_random_gauss(), -0.14409032957792836);
  EXPECT_DOUBLE_EQ(numjit_rt_py_random_gauss(), -0.1729036003315193);
  numjit_rt_py_random_seed(42);
  EXPECT_DOUBLE_EQ(numjit_rt_py_random_gauss(), -0.14409032957792836);
}

TEST(PythonRandom, ItsStateIsApartFromNumPys) {
  numjit_rt_py_random_seed(42);
  numjit_rt_random_seed(7);
  EXPECT_DOUBLE_EQ(numjit_rt_py_random_gauss(), -0.14409032957792836);
}
