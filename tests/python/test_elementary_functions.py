"""Elementary NumPy functions written in the Python library
(python/numjit/library/elementary.py), compared with NumPy."""
import numpy as np
import pytest
from conftest import check, make_array

from numjit import njit

FLOATS = np.array([1.5, np.nan, -np.inf, 0.0, np.inf, -2.0, 3.25])


@njit
def reals(x):
    return (np.ptp(x), np.nan_to_num(x), np.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0), np.sinc(x),
            np.isposinf(x), np.isneginf(x), np.nancumsum(x), np.nancumprod(x), np.trim_zeros(x))


@njit
def complexes(z, w):
    return np.vdot(z, w), np.real(z), np.imag(z), np.iscomplex(z), np.isreal(z)


@njit
def nan_args(x):
    return np.nanargmax(x), np.nanargmin(x)


@njit
def matrices(m, k):
    return (np.ptp(m, axis=0), np.ptp(m, axis=1), np.rot90(m, k), np.diagonal(m, k % 2), np.take(m, np.array([0, 3, 5])),
            np.rollaxis(m, 1))


@njit
def splits(m):
    return np.hsplit(m, 2), np.vsplit(m, np.array([1]))


@njit
def builders(n, m, k):
    a = np.zeros((n, m))
    np.fill_diagonal(a, 7.0)
    b = np.zeros((n, m))
    np.fill_diagonal(b, 3.0, True)
    return np.tri(n, m, k), np.tri(n), np.diag_indices(n), a, b, np.logspace(0.0, 2.0, n), np.logspace(1.0, 3.0, 4, True, 2.0)


@njit
def selected(x):
    return np.select([x < 0, x > 2], [x * 10, x * 100], -1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_real_functions(dtype):
    check(reals, FLOATS.astype(dtype))
    check(reals, np.array([0.0, 0.0, 1.0, 0.0], dtype))
    check(nan_args, FLOATS.astype(dtype))
    check(nan_args, np.array([np.nan, np.nan], dtype))
    check(selected, FLOATS.astype(dtype))


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_complex_functions(layout):
    z = make_array((5,), np.complex128, layout, 1)
    check(complexes, z, make_array((5,), np.complex128, "C", 2))
    check(complexes, make_array((2, 3), np.complex128, layout, 3), make_array((2, 3), np.complex128, "F", 4))


@pytest.mark.parametrize("dtype", [np.int64, np.float64])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("k", [0, 1, 2, 3, -1])
def test_matrix_functions(dtype, layout, k):
    m = make_array((4, 6), dtype, layout, 5)
    check(matrices, m, k)
    for mine, theirs in zip(splits(m), splits.py_func(m)):
        assert len(mine) == len(theirs)
        for piece, expected in zip(mine, theirs):
            np.testing.assert_array_equal(piece, expected)


@pytest.mark.parametrize("n, m, k", [(1, 1, 0), (3, 5, 0), (5, 3, 1), (4, 4, -1), (6, 2, 2)])
def test_builders(n, m, k):
    check(builders, n, m, k)


@njit
def complex_sorts(z):
    return np.sort(z), np.argsort(z), z.argsort()


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_numbers_sort_as_numpy_orders_them(dtype):
    nan = np.nan
    special = np.array([1 + 2j, 1 + 1j, complex(nan, 0), complex(0, nan), complex(nan, nan), -1 + 5j,
                        complex(1, nan), 3 + 0j, complex(-nan, 2)], dtype)
    rng = np.random.default_rng(3)
    ties = (rng.integers(-3, 3, 60) + 1j * rng.integers(-3, 3, 60)).astype(dtype)
    for z in (special, ties, special[::-1], np.zeros(0, dtype)):
        values, order, method_order = complex_sorts(z)
        np.testing.assert_array_equal(values, np.sort(z))
        # Ties may come in any order (NumPy's default sort is not stable): the sorted values must agree.
        np.testing.assert_array_equal(z[order], np.sort(z))
        np.testing.assert_array_equal(z[method_order], np.sort(z))


@njit
def finite_parts(z):
    return np.nan_to_num(z), np.nan_to_num(z, nan=-1.0, posinf=5.0, neginf=-5.0)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64, np.float64, np.float32, np.int64])
def test_nan_to_num_replaces_each_part_of_a_complex_number(dtype):
    values = [1 + 1j, complex(np.nan, 2.0), complex(3.0, np.inf), complex(-np.inf, np.nan), 0j]
    if np.issubdtype(dtype, np.complexfloating):
        z = np.array(values, dtype=dtype)
    elif np.issubdtype(dtype, np.floating):
        z = np.array([1.5, np.nan, np.inf, -np.inf, 0.0], dtype=dtype)
    else:
        z = np.array([2**60 + 1, -3, 0], dtype=dtype)  # integers come back exactly
    got = finite_parts(z)
    want = (np.nan_to_num(z), np.nan_to_num(z, nan=-1.0, posinf=5.0, neginf=-5.0))
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)
