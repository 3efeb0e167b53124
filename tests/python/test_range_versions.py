"""A range loop whose start is not a constant, and whose body indexes with
the loop variable, is compiled twice (lower/lower_stmt.cpp): a copy for a
start >= 0, where `x[j]` needs no negative-index wraparound and vectorizes,
and a general copy for the rest, which keeps Python's wraparound. The
general copy runs only where a start is negative, so it is left scalar: the
vectorizer's gathers there doubled the optimizer's and the code generator's
work on every first call (the seed's sum_numba: 31 -> 28.7 ms).

Both copies must give Python's answers, starts below zero included."""
import numpy as np
import pytest

from numjit import njit


@njit
def ragged_sum(x, bounds):
    s = 0.0
    for i in range(len(bounds) - 1):
        for j in range(bounds[i], bounds[i + 1]):
            s += np.arctan(i * j * x[j])
    return s


@njit
def window_scale(x, out, start, stop):
    for j in range(start, stop):
        out[j] = 2 * x[j] + 1
    return out


@njit
def window_products(x, start, stop):
    p = x[0] - x[0] + 1
    for j in range(start, stop):
        p = p * x[j] + j
    return p


DTYPES = [np.float64, np.float32, np.int64, np.int32]


@pytest.mark.parametrize("bounds", [[0, 3, 10, 64], [-5, 0, 7, 20], [-64, -10, -1, 0], [0, 0, 0], [-3, 64]])
def test_ragged_sum_equals_python(bounds):
    x = np.random.default_rng(len(bounds)).random(64)
    b = np.array(bounds)
    assert ragged_sum(x, b) == pytest.approx(ragged_sum.py_func(x, b), rel=1e-12)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("start,stop", [(0, 50), (3, 50), (-50, 0), (-20, 20), (-1, 0), (-50, -49), (5, 5)])
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_window_stores_equal_python(dtype, start, stop, layout):
    base = (np.arange(100) % 17).astype(dtype)
    x = {"C": base[:50], "strided": base[::2], "reversed": base[::-1][:50]}[layout]
    expected = window_scale.py_func(x, np.zeros(50, dtype), start, stop)
    got = window_scale(x, np.zeros(50, dtype), start, stop)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
@pytest.mark.parametrize("start,stop", [(0, 30), (-30, 0), (-7, 12), (29, 30)])
def test_window_reductions_equal_python(dtype, start, stop):
    x = ((np.arange(30) % 5) + 1).astype(dtype) / (4 if dtype == np.float64 else 1)
    assert window_products(x, start, stop) == window_products.py_func(x, start, stop)


def test_only_the_nonnegative_copy_is_vectorized():
    x = np.random.default_rng(0).random(64)
    b = np.array([0, 10, 64])
    ragged_sum(x, b)
    ir = ragged_sum.inspect_llvm(ragged_sum.signatures[0])
    # Contiguous vector loads in the copy for starts >= 0 (where the machine
    # has vectors at all), and no gathers: the general copy stays scalar.
    assert "llvm.masked.gather" not in ir
    assert "llvm.loop.vectorize.enable" in ir
