"""Jitted functions held in tuples: `for f in literal_unroll((f1, f2))`, a
tuple of functions bound to a name and indexed with a constant, and aliases
of those. Compiled code has no run-time value for a function, so such a
name stands for the function it holds (passes/constant_aliases.cpp).
Compared with .py_func over dtypes and sizes."""
import numpy as np
import pytest

from numjit import literal_unroll, njit


@njit
def square(x):
    return x * x


@njit
def cube(x):
    return x * x * x


@njit
def halve(x):
    return x / 2


@njit
def sum_of_each(x):
    s = x * 0.0
    for f in literal_unroll((square, cube, halve)):
        s = s + f(x)
    return s


FUNCTIONS = (square, cube)


@njit
def sum_over_global_tuple(x):
    s = 0.0
    for f in literal_unroll(FUNCTIONS):
        s += f(x)
    return s


@njit
def by_constant_index(x):
    fs = (square, cube, halve)
    first = fs[0]
    last = fs[-1]
    return first(x) + last(x) + fs[1](x)


@njit
def applied_to_each_element(a):
    out = np.empty((3,) + a.shape)
    k = 0
    for f in literal_unroll((square, cube, halve)):
        for i in range(a.shape[0]):
            out[k, i] = f(a[i])
        k += 1
    return out


@pytest.mark.parametrize("x", [0, 3, -2.5, 1.5])
def test_functions_from_tuples_of_scalars(x):
    assert sum_of_each(x) == pytest.approx(sum_of_each.py_func(x))
    assert sum_over_global_tuple(x) == pytest.approx(sum_over_global_tuple.py_func(x))
    assert by_constant_index(x) == pytest.approx(by_constant_index.py_func(x))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("n", [0, 1, 17])
def test_functions_from_tuples_over_arrays(dtype, n):
    a = (np.arange(n) - n // 2).astype(dtype)
    np.testing.assert_allclose(applied_to_each_element(a), applied_to_each_element.py_func(a), rtol=1e-6)
    np.testing.assert_allclose(sum_of_each(a), sum_of_each.py_func(a), rtol=1e-6)
