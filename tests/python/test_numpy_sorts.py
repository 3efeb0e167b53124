"""np.sort and a.sort() in compiled code run NumPy's own sort of the dtype
(runtime/arrays.h, given by the _dispatch module), one-byte kinds the
runtime's counting sort. So the result is NumPy's bit for bit: NaNs last,
and of equal keys (-0.0 and 0.0, NaNs of different payloads) the order
NumPy's algorithm leaves. Sizes cover NumPy's small-array paths and its
AVX-512 networks (from a few hundred elements on), layouts the copy that
np.sort makes of a strided or reversed view."""
import numpy as np
import pytest

from conftest import laid_out
from numjit import njit


@njit
def sorted_copy(a):
    return np.sort(a)


@njit
def sort_in_place(a):
    a.sort()
    return a


DTYPES = [np.float64, np.float32, np.int64, np.int32, np.int16, np.uint64, np.uint32, np.uint16, np.int8, np.uint8,
          np.bool_, np.complex128, np.complex64]
SIZES = [0, 1, 2, 17, 128, 1000, 5000, 70_000]


def values(dtype, n, seed):
    r = np.random.default_rng(seed)
    kind = np.dtype(dtype).kind
    if kind == "b":
        return r.random(n) < 0.5
    if kind in "iu":
        info = np.iinfo(dtype)
        return r.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    x = r.standard_normal(n) * 10.0 ** r.integers(-3, 4, n)
    x[r.random(n) < 0.05] = 0.0
    x[r.random(n) < 0.05] = -0.0
    x[r.random(n) < 0.03] = np.nan
    x[r.random(n) < 0.02] = np.inf
    x[r.random(n) < 0.02] = -np.inf
    if kind == "c":
        y = r.standard_normal(n)
        y[r.random(n) < 0.05] = np.nan
        return (x + 1j * y).astype(dtype)
    return x.astype(dtype)


def bits(a):
    """The array's bytes, so signed zeros and NaN positions count."""
    return np.ascontiguousarray(a).view(np.uint8)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_sort_is_numpys_bit_for_bit(dtype, n):
    a = values(dtype, n, n + 7)
    got, expected = sorted_copy(a), np.sort(a)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(bits(got), bits(expected))
    np.testing.assert_array_equal(bits(a), bits(values(dtype, n, n + 7)))  # the argument is left alone


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.uint8, np.complex128])
@pytest.mark.parametrize("n", [3, 900, 9000])
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_sort_of_views_and_in_place(dtype, n, layout):
    a = laid_out(values(dtype, n, 3 * n), layout)
    np.testing.assert_array_equal(bits(sorted_copy(a)), bits(np.sort(a)))
    mine, numpys = a.copy(), a.copy()
    if layout != "C":
        mine, numpys = laid_out(mine, layout), laid_out(numpys, layout)
    sort_in_place(mine)
    numpys.sort()
    np.testing.assert_array_equal(bits(mine), bits(numpys))


def test_sort_matches_plain_python_order():
    a = values(np.float64, 3000, 11)
    expected = sorted(a[~np.isnan(a)].tolist()) + [np.nan] * int(np.isnan(a).sum())
    np.testing.assert_array_equal(sorted_copy(a), np.array(expected))


@njit
def positions(a):
    return np.argsort(a)


def with_ties(dtype, n, seed):
    """values() with many repeats: every value drawn from a few dozen."""
    a = values(dtype, n, seed)
    if n:
        a = a[np.random.default_rng(seed).integers(0, min(n, 40), n)]
    return a


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("draw", [values, with_ties])
def test_argsort_is_numpys_stable_argsort(dtype, n, draw):
    a = draw(dtype, n, n + 5)
    got = positions(a)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, np.argsort(a, kind="stable"))


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.int16, np.complex64])
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_argsort_of_views(dtype, layout):
    a = laid_out(with_ties(dtype, 3000, 8), layout)
    np.testing.assert_array_equal(positions(a), np.argsort(a, kind="stable"))
