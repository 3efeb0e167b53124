"""Ordering complex numbers: NumPy's complex scalars order lexicographically
(real part, then imaginary; a NaN part makes it False), as NumPy's arrays do;
Python's complex numbers have no order (TypeError in Python, a located
TypingError here); np.max/np.min of complex arrays are the first element
with a NaN part, if any. Compared with .py_func over complex64 and
complex128, NaNs and infinities, plain and chained comparisons, layouts and
sizes."""
import itertools

import numpy as np
import pytest

import numjit
from numjit.errors import TypingError

VALUES = [1 + 1j, 1 - 1j, 0.5 + 0j, -1j, complex(np.nan, 0), complex(1, np.nan), complex(np.inf, -1), 0.5 + 0j]


@numjit.njit
def element_orders(a):
    return a[0] > a[1], a[0] <= a[1], a[1] < 0.5, a[2] >= a[3], 0 < a[2] <= a[3], a[3] > 1j


@numjit.njit
def reduction_against_constant(a):
    return a.sum() >= 1, a.max() < a[0]


@numjit.njit
def running_maximum(a):
    best = a[0]
    for v in a:
        if v > best:  # NumPy scalars from the array: ordered as NumPy orders them
            best = v
    return best


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_numpy_complex_scalars_order_as_numpy(dtype):
    checked = 0
    with np.errstate(invalid="ignore"):
        for values in itertools.permutations(VALUES, 4):
            a = np.array(values, dtype)
            assert element_orders(a) == element_orders.py_func(a), a
            assert reduction_against_constant(a) == reduction_against_constant.py_func(a), a
            got, want = running_maximum(a), running_maximum.py_func(a)
            assert got == want or (np.isnan(got) and np.isnan(want)), a
            checked += 1
    assert checked == 1680


@numjit.njit
def python_complex_order(x, y):
    return complex(x) < complex(y)


def test_python_complex_numbers_stay_unordered():
    with pytest.raises(TypeError):
        python_complex_order.py_func(1.0, 2.0)
    with pytest.raises(TypingError, match="complex numbers cannot be ordered") as info:
        python_complex_order(1.0, 2.0)
    assert "test_complex_ordering.py:" in str(info.value) and "^" in str(info.value)


@numjit.njit
def extremes(a):
    return a.max(), a.min(), np.max(a), np.min(a), np.argmax(a), np.argmin(a)


def _same_complex(got, want):
    # NaN parts compare by their text: the same element, not only "some NaN".
    assert str(complex(got)) == str(complex(want)), (got, want)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
@pytest.mark.parametrize("n", [1, 7, 100, 20_000])
@pytest.mark.parametrize("nans", [0, 1, 3])
def test_complex_extremes_keep_the_first_nan_as_numpy(dtype, layout, n, nans):
    # np.max of complex numbers is the first element with a NaN part, if any
    # (numjit kept the last, or a later larger number, before).
    rng = np.random.default_rng(n * 10 + nans)
    base = (rng.integers(-3, 4, 2 * n) + 1j * rng.integers(-3, 4, 2 * n)).astype(dtype)
    for k, where in enumerate(rng.choice(2 * n, size=min(nans, 2 * n), replace=False)):
        base[where] = [complex(np.nan, 1), complex(2, np.nan), complex(np.nan, np.nan)][k % 3]
    a = {"C": base[:n], "strided": base[::2], "reversed": base[::-2]}[layout]
    with np.errstate(invalid="ignore"):
        want = extremes.py_func(a)
    got = extremes(a)
    for g, w in zip(got[:4], want[:4]):
        _same_complex(g, w)
    assert got[4:] == want[4:]
