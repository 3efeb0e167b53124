// np.random in compiled code: NumPy's legacy RandomState algorithms (MT19937,
// 53-bit doubles, the polar Box-Muller Gaussian with its cached second value,
// masked rejection for bounded integers), so that after np.random.seed(s) in
// compiled code the stream equals np.random.RandomState(s)'s. Each thread has
// its own state (seeded from the OS until seeded explicitly), as in Numba.
//
// Python's random module has a second state per thread, seeded as CPython
// seeds (init_by_array of the seed's 32-bit words), so that after
// random.seed(s) in compiled code its streams equal CPython's.
#pragma once

// numjit_rt_random_* are in functions.def.
#include "numjit/runtime/functions.h"
