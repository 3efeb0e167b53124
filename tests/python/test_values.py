"""Tuples passed from Python, enumerate/zip loops and default parameter values."""
import numpy as np
import pytest

from conftest import check, make_array
from numjit import njit


@njit
def use_tuples(shape, pair, arrays):
    a = np.zeros(shape)
    x, y = pair
    s = 0.0
    for v in arrays:
        s += v.sum()
    return a.shape, x + y, s, len(shape), pair[-1], (pair[1], pair[0])


@njit
def nested(t):
    return t[1][0] * t[0] + t[1][1]


@pytest.mark.parametrize("pair", [(1.5, 2), (np.int32(3), np.float32(0.5)), (True, 4)])
@pytest.mark.parametrize("shape", [(2, 3), (0, 4)])
def test_tuple_arguments(pair, shape):
    check(use_tuples, shape, pair, (np.ones(3), np.arange(4.0)))


def test_tuple_overloads_are_reused():
    nested((2, (1.5, 3)))
    nested((4, (2.5, 1)))
    assert len(nested.signatures) == 1
    check(nested, (np.int32(3), (2.5, 1)))
    assert len(nested.signatures) == 2


@njit
def loops(a, b):
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    for x, y in zip(a, b):
        if x > 3:
            break
        s += x * y
    for k, (x, y) in enumerate(zip(a, b), 1):
        if k == 2:
            continue
        s += k * x - y
    for t in zip(a, b, a):
        s += t[0] + t[2]
    for i, row in enumerate(np.ones((3, 2))):
        s += row.sum() * i
    return s


@pytest.mark.parametrize("n, m", [(0, 3), (5, 7), (7, 5)])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_enumerate_zip(n, m, layout):
    check(loops, make_array((n,), np.float64, layout), make_array((m,), np.float64, layout, seed=1))


@njit
def scaled(x, scale=2.0, offset=3, flag=True, nothing=None):
    r = x * scale + offset
    if flag and nothing is None:
        r = r + 1
    return r


@njit
def caller(x):
    return scaled(x) + scaled(x, 0.5) + scaled(x, 0.5, 7)


@pytest.mark.parametrize("x", [1, 2.5, np.arange(3.0)])
def test_defaults(x):
    check(scaled, x)
    check(scaled, x, 3.0)
    assert np.allclose(scaled(x, offset=1), scaled.py_func(x, offset=1))
    check(caller, x)
