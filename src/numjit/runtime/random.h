// np.random in compiled code: NumPy's legacy RandomState algorithms (MT19937,
// 53-bit doubles, the polar Box-Muller Gaussian with its cached second value,
// masked rejection for bounded integers), so that after np.random.seed(s) in
// compiled code the stream equals np.random.RandomState(s)'s. Each thread has
// its own state (seeded from the OS until seeded explicitly), as in Numba.
#pragma once

// numjit_rt_random_* are in functions.def.
#include "numjit/runtime/functions.h"
