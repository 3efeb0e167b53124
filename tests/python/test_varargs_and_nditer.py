"""`*args` parameters and np.nditer over one array."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

from numjit import errors, njit


def total(x, *rest):
    s = x
    for r in rest:
        s += r
    return s, len(rest)


def sum_of_arrays(*arrays):
    s = 0.0
    for a in arrays:
        s += a.sum()
    return s


def first_plus_second(*xs):
    return xs[0] + xs[1][0]


total_jit = njit(total)


def calls_total(a):
    return total_jit(a, 1.0, 2.0)[0] + total_jit(a)[0] + total_jit(a, 3)[0]


def nditer_sum(a):
    t = 0.0
    for x in np.nditer(a):
        t += x.item() * 2 + x
    return t


@pytest.mark.parametrize("args", [(1.0,), (1.0, 2.0, 3.0), (1, 2), (2, 3, 4, 5, 6)])
def test_varargs_from_python(args):
    assert njit(total)(*args) == total(*args)


@pytest.mark.parametrize("a", [0.5, 5.0])
def test_varargs_between_jitted_functions(a):
    assert njit(calls_total)(a) == total(a, 1.0, 2.0)[0] + total(a)[0] + total(a, 3)[0]


@pytest.mark.parametrize("arrays", [(), (np.ones(3),), (np.ones(3), np.arange(4.0)), (np.ones((2, 2)), np.ones((2, 2)).T)])
def test_varargs_of_arrays(arrays):
    assert njit(sum_of_arrays)(*arrays) == sum_of_arrays(*arrays)


def test_heterogeneous_varargs_index_by_constant():
    assert njit(first_plus_second)(1.0, np.array([2.0])) == 3.0


def test_varargs_with_defaults_is_reported():
    def f(a, b=1, *rest):
        return a

    with pytest.raises(errors.UnsupportedError, match=r"\*args together with default"):
        njit(f)(1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("make", [lambda d: np.arange(6, dtype=d), lambda d: np.arange(6, dtype=d).reshape(2, 3),
                                  lambda d: np.asfortranarray(np.arange(6, dtype=d).reshape(2, 3)),
                                  lambda d: np.arange(12, dtype=d)[::3]])
def test_nditer_over_one_array(dtype, make):
    a = make(dtype)
    assert_allclose(njit(nditer_sum)(a), nditer_sum(a))
