"""math.ldexp, math.frexp and math.nextafter in compiled code (Numba has all
three): compared with Python's math module over float64, float32 and int
inputs, zeros of both signs, subnormals, infinities and NaN, inside loops
over arrays of several layouts and sizes. Like numjit's other math
functions, math.ldexp follows C where Python raises: an overflow is inf
(np.ldexp's answer), not OverflowError."""
import math

import numpy as np
import pytest

from conftest import dtype_id, laid_out
from numjit import njit

SPECIAL = [0.0, -0.0, 1.0, -1.5, 0.1, 3e-320, 1.7976931348623157e308, math.inf, -math.inf, 12345.678]
FLOATS = [np.float64, np.float32]
LAYOUTS = ["C", "strided", "reversed"]
SIZES = [0, 1, 7, 100]


@njit
def ldexp(x, n):
    return math.ldexp(x, n)


@njit
def frexp(x):
    return math.frexp(x)


@njit
def nextafter(x, y):
    return math.nextafter(x, y)


@njit
def rebuilt(a):
    # frexp then ldexp gives every finite value back exactly.
    out = np.empty(a.shape[0])
    exponents = np.empty(a.shape[0], np.int64)
    for i in range(a.shape[0]):
        m, e = math.frexp(a[i])
        exponents[i] = e
        out[i] = math.ldexp(m, e)
    return out, exponents


@njit
def steps_up(a, towards):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = math.nextafter(a[i], towards)
    return out


def same(got, want):
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    assert np.signbit(got) == np.signbit(want) if np.ndim(got) == 0 and not np.isnan(got) else True


@pytest.mark.parametrize("x", SPECIAL + [math.nan])
@pytest.mark.parametrize("n", [-1100, -3, 0, 5, 1023])
def test_ldexp_matches_python(x, n):
    try:
        want = math.ldexp(x, n)
    except OverflowError:
        want = np.ldexp(x, n)  # C's inf, Python's OverflowError
    same(ldexp(x, n), want)


@pytest.mark.parametrize("x", SPECIAL + [math.nan, 7, -8, 0])
def test_frexp_matches_python(x):
    got, want = frexp(x), math.frexp(x)
    same(got[0], want[0])
    assert got[1] == want[1] and type(got[1]) is int


@pytest.mark.parametrize("x", SPECIAL + [math.nan])
@pytest.mark.parametrize("y", [0.0, -math.inf, math.inf, 1.0, math.nan])
def test_nextafter_matches_python(x, y):
    same(nextafter(x, y), math.nextafter(x, y))


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
def test_float32_arguments_keep_their_precision(dtype):
    for x in (0.7, 1e-30, 3.0):
        v = dtype(x)
        same(ldexp(v, 3), ldexp.py_func(v, 3))
        same(frexp(v)[0], frexp.py_func(v)[0])
        assert frexp(v)[1] == frexp.py_func(v)[1]


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", SIZES)
def test_loops_over_arrays(dtype, layout, size):
    values = np.random.default_rng(size).standard_normal(size) * 10.0 ** np.arange(size) % 1e30
    a = laid_out(values.astype(dtype), layout)
    out, exponents = rebuilt(a)
    want_out, want_exponents = rebuilt.py_func(a)
    np.testing.assert_array_equal(out, want_out)
    np.testing.assert_array_equal(exponents, want_exponents)
    np.testing.assert_array_equal(out, a.astype(np.float64))
    np.testing.assert_array_equal(steps_up(a, math.inf), steps_up.py_func(a, math.inf))


@pytest.mark.parametrize("x", [np.int8(1), np.int16(-3), np.int32(7), True, 5, np.uint8(200)])
def test_integers_and_bools_compute_in_double(x):
    # NumPy would compute small integers in float16/float32; Python and Numba in double.
    same(nextafter(x, 2 * int(x) + 1), math.nextafter(x, 2 * int(x) + 1))
    same(ldexp(x, 200), math.ldexp(x, 200))
    same(ldexp(1.5, True), math.ldexp(1.5, True))


def test_two_float32_step_in_float32():
    # As Numba: math functions keep a float32's precision.
    got = nextafter(np.float32(1.0), np.float32(2.0))
    assert got == float(np.nextafter(np.float32(1.0), np.float32(2.0)))
    mixed = nextafter(np.float32(1.0), 2.0)  # a double among the arguments: double
    assert mixed == math.nextafter(1.0, 2.0)
