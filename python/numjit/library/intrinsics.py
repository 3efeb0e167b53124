"""Operations the library's Python code asks the compiler for directly.

Each maps to a C++ row (python/numjit/library/__init__.py names them); calling one
from Python is a mistake, so the Python bodies only raise.
"""


def getrandbits(k):
    """k random bits from Python's random module's state in compiled code (0 <= k <= 63)."""
    raise RuntimeError("numjit.library.intrinsics.getrandbits can only be called from compiled code")


def randbelow(n):
    """A random integer in [0, n), n > 0, as CPython's Random._randbelow draws it."""
    raise RuntimeError("numjit.library.intrinsics.randbelow can only be called from compiled code")


def gauss():
    """random.gauss()'s standard normal, with CPython's cached second value."""
    raise RuntimeError("numjit.library.intrinsics.gauss can only be called from compiled code")


def lapack(routine, *args):
    """Calls LAPACK's `routine` (src/numjit/library/lapack.cpp): arrays by data
    pointer, integers, one-letter strings and floats by address; returns info."""
    raise RuntimeError("numjit.library.intrinsics.lapack can only be called from compiled code")


def frexp_mantissa(x):
    """np.frexp(x)[0], elementwise (np._frexp_mantissa in src/numjit/library/numpy_ufuncs.cpp)."""
    raise RuntimeError("numjit.library.intrinsics.frexp_mantissa can only be called from compiled code")


def frexp_exponent(x):
    """np.frexp(x)[1], elementwise, int32."""
    raise RuntimeError("numjit.library.intrinsics.frexp_exponent can only be called from compiled code")


def modf_fraction(x):
    """np.modf(x)[0], elementwise."""
    raise RuntimeError("numjit.library.intrinsics.modf_fraction can only be called from compiled code")


def modf_whole(x):
    """np.modf(x)[1], elementwise."""
    raise RuntimeError("numjit.library.intrinsics.modf_whole can only be called from compiled code")


def generator_draw(generator, distribution, a, b, c):
    """One draw of an np.random.Generator's `distribution` (a name in
    runtime/abi.h's NUMJIT_GENERATOR_DISTRIBUTIONS) with parameters a, b, c."""
    raise RuntimeError("numjit.library.intrinsics.generator_draw can only be called from compiled code")


def generator_fill(generator, distribution, a, b, c, out):
    """Fills the C-contiguous array `out` with draws, as generator_draw."""
    raise RuntimeError("numjit.library.intrinsics.generator_fill can only be called from compiled code")


def generator_integers(generator, offset, span, out):
    """Fills `out` (an integer or bool array) with integers in [offset, offset + span], as Generator.integers."""
    raise RuntimeError("numjit.library.intrinsics.generator_integers can only be called from compiled code")


def generator_integer(generator, offset, span, dtype):
    """One integer in [offset, offset + span] of an integer or bool dtype (np.int32)."""
    raise RuntimeError("numjit.library.intrinsics.generator_integer can only be called from compiled code")


def generator_interval(generator, top):
    """An integer uniform in [0, top] by masked rejection, as Generator.shuffle draws."""
    raise RuntimeError("numjit.library.intrinsics.generator_interval can only be called from compiled code")


def select(source, keys, lo, k):
    """keys[lo:] becomes source[lo:] (keys itself, or another array of its
    size) with keys[k] in its sorted place, NaNs last, as np.partition
    guarantees (runtime select); both 1-D C-contiguous arrays of numbers."""
    raise RuntimeError("numjit.library.intrinsics.select can only be called from compiled code")


def fft_row(kind, source, out, n, factor):
    """One line of an FFT (src/numjit/library/numpy_fft.cpp): kind 0/1 complex
    forward/backward, 2 real forward, 3 real backward; `source` truncated or
    zero-padded to n points, the result scaled by factor into `out`."""
    raise RuntimeError("numjit.library.intrinsics.fft_row can only be called from compiled code")
