"""Range loops with a negative step (`for i in range(n - 1, -1, -1)`) index
without negative-index wraparound when their last value, the least, is >= 0:
the lowering versions the loop on that, as it versions rising loops on their
start. Where the least value is negative (a stop below -1, a start below 0),
`a[i]` must still wrap to the end as in Python; `a[i - 1]` at i = 0 reads the
last element."""
import numpy as np
import pytest

from numjit import njit


@njit
def reversed_copy(a, start, stop, step):
    out = np.zeros(2 * a.shape[0])  # room for every index from -n to n - 1
    k = 0
    for i in range(start, stop, step):
        out[k] = a[i]
        k += 1
    return out


def reversed_by(step):
    # `step` is a constant of the compiled function (a closure's cell), so the
    # loop is versioned on its last value.
    @njit
    def copy(a, start, stop):
        out = np.zeros(2 * a.shape[0])
        k = 0
        for i in range(start, stop, step):
            out[k] = a[i]
            k += 1
        return out
    return copy


reversed_by_one = reversed_by(-1)
reversed_by_three = reversed_by(-3)


@njit
def backward_differences(a):
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0] - 1, -1, -1):
        out[i] = a[i] - a[i - 1]  # a[-1] at i = 0, as in Python
    return out


@njit
def suffix_sums(a):
    out = np.empty(a.shape[0])
    s = 0.0
    for i in range(a.shape[0] - 1, -1, -1):
        s += a[i]
        out[i] = s
    return out


@njit
def last_peak(a):
    best = -np.inf
    k = -1
    for i in range(a.shape[0] - 1, -1, -1):
        if a[i] > best:
            best = a[i]
            k = i
    return k, best


@njit
def mirrored(a):
    s = 0.0
    for i in range(a.shape[0] - 1, -1, -2):
        s += a[i] * a[-1 - i]
    return s


@njit
def assigns_the_variable(a):
    s = 0.0
    for i in range(a.shape[0] - 1, -1, -1):
        s += a[i]
        i = i - a.shape[0]  # the next iteration sets it again
        s += a[i]
    return s


def check(f, *args):
    got, want = f(*args), f.py_func(*args)
    if isinstance(want, tuple):
        assert got == want
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("n", [1, 2, 7, 64, 1001])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_descending_loops_equal_python(n, dtype):
    a = np.random.default_rng(n).standard_normal(n).astype(dtype) if dtype in (np.float64, np.float32) else \
        np.random.default_rng(n).integers(-50, 50, n).astype(dtype)
    # A float32 sum that starts from 0.0 is a float64 variable here (as in
    # Numba) and a float32 NumPy scalar in Python: those are compared elsewhere.
    sums = () if dtype == np.float32 else (suffix_sums, mirrored, assigns_the_variable)
    for f in (backward_differences,) + sums:
        check(f, a)
        check(f, a[::-1])
        check(f, a[::2])
    if dtype in (np.float64, np.float32):
        check(last_peak, a)
        b = np.round(a)  # ties: the last of equal maxima is met first
        check(last_peak, b)


@pytest.mark.parametrize("start, stop, step", [
    (9, -1, -1), (9, 3, -1), (9, -1, -2), (9, -1, -3), (0, -1, -1), (-1, -11, -1), (-1, -6, -2),
    (4, -6, -1), (9, -11, -1), (3, 5, -1), (5, 5, -1),
])
def test_wraparound_where_the_least_value_is_negative(start, stop, step):
    a = np.arange(10.0) * 1.5 + 1
    check(reversed_copy, a, start, stop, step)
    if step == -1:
        check(reversed_by_one, a, start, stop)
    check(reversed_by_three, a, start, stop)
