"""Order statistics, counting and NaN-skipping reductions in compiled code, against NumPy."""
import numpy as np
import pytest

from conftest import check, dtype_id, make_array
from numjit import njit


@njit
def median(a):
    return np.median(a)


@njit
def unique(a):
    return np.unique(a)


@njit
def searchsorted(a, v):
    s = np.sort(a)
    return np.searchsorted(s, v), np.searchsorted(s, v, side="right")


@njit
def bincount(x, minlength):
    return np.bincount(x), np.bincount(x, minlength=minlength)


@njit
def histogram(a, bins):
    return np.histogram(a, bins)


@njit
def histogram_range(a, lo, hi):
    return np.histogram(a, 4, (lo, hi))


@njit
def nan_reductions(a):
    return np.nansum(a), np.nanmean(a), np.nanmax(a), np.nanmin(a), np.nanstd(a), np.nanvar(a), np.nanprod(a)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((1,), "C"), ((7,), "C"), ((8,), "strided"), ((3, 4), "F")])
def test_median_unique(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    check(median, a)
    check(unique, a)


def test_median_with_nan_and_empty():
    check(median, np.array([3.0, np.nan, 1.0]))
    assert np.isnan(median(np.zeros(0)))


@pytest.mark.parametrize("dtype", [np.int64, np.float64], ids=dtype_id)
@pytest.mark.parametrize("n", [1, 7, 1000])
def test_searchsorted(dtype, n):
    a = make_array((n,), dtype)
    check(searchsorted, a, dtype(3))
    check(searchsorted, a, make_array((5,), dtype, seed=3))
    check(searchsorted, a, make_array((2, 3), dtype, "F", seed=4))


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8], ids=dtype_id)
@pytest.mark.parametrize("n, minlength", [(0, 3), (1, 0), (50, 10), (50, 2)])
def test_bincount(dtype, n, minlength):
    check(bincount, (np.arange(n) * 7 % 9).astype(dtype), minlength)


def test_bincount_negative_raises():
    with pytest.raises(ValueError):
        np.bincount(np.array([1, -1]))
    with pytest.raises(ValueError):
        bincount(np.array([1, -1]), 0)


@pytest.mark.parametrize("data", ["uniform", "normal", "constant", "integers", "empty"])
@pytest.mark.parametrize("bins", [1, 3, 10])
def test_histogram(data, bins):
    rng = np.random.default_rng(1)
    a = {"uniform": rng.random(500), "normal": rng.normal(size=(20, 30)), "constant": np.ones(4),
         "integers": rng.integers(0, 9, 60), "empty": np.zeros(0)}[data]
    check(histogram, a, bins)
    check(histogram_range, a, 0.0, 1.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_nan_reductions(dtype, layout):
    a = make_array((9,), dtype, layout).copy()
    a[::3] = np.nan
    check(nan_reductions, a, rtol=1e-5)
    check(nan_reductions, make_array((2, 3), dtype, "F"), rtol=1e-5)


@njit
def sorted_both_ways(a):
    b = a.copy()
    b.sort()
    return b, np.sort(a)


INTEGER_DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


@pytest.mark.parametrize("dtype", INTEGER_DTYPES + [np.bool_])
@pytest.mark.parametrize("n", [511, 512, 513, 5000, 100_000])
@pytest.mark.parametrize("values", ["full range", "three values", "extremes", "around zero"])
def test_integer_sorts_past_the_radix_threshold(dtype, n, values):
    # From 512 items integers sort by radix: every width, sign and span, checked against NumPy.
    rng = np.random.default_rng(n)
    if dtype == np.bool_:
        a = rng.integers(0, 2, n).astype(dtype)
    else:
        info = np.iinfo(dtype)
        a = {"full range": lambda: rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True),
             "three values": lambda: rng.integers(0, 3, n).astype(dtype),
             "extremes": lambda: np.where(np.arange(n) % 3 == 0, info.min, info.max).astype(dtype),
             "around zero": lambda: rng.integers(max(info.min, -1000), 1000, n).astype(dtype)}[values]()
    got_method, got_function = sorted_both_ways(a)
    np.testing.assert_array_equal(got_method, np.sort(a))
    np.testing.assert_array_equal(got_function, np.sort(a))
