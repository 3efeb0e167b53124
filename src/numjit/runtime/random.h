// np.random in compiled code: NumPy's legacy RandomState algorithms (MT19937,
// 53-bit doubles, the polar Box-Muller Gaussian with its cached second value,
// masked rejection for bounded integers), so that after np.random.seed(s) in
// compiled code the stream equals np.random.RandomState(s)'s. Each thread has
// its own state (seeded from the OS until seeded explicitly), as in Numba.
#pragma once

#include <cstdint>

extern "C" {
void numjit_rt_random_seed(uint32_t seed);
double numjit_rt_random_double(void);                      // random_sample()
double numjit_rt_random_gauss(void);                       // standard_normal()
int64_t numjit_rt_random_randint(int64_t low, int64_t high);  // randint(low, high), high > low
uint64_t numjit_rt_random_interval(uint64_t max);          // uniform in [0, max], as shuffle draws
}
