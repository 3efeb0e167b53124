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


@njit
def searched_both_sides(s, v):
    return np.searchsorted(s, v), np.searchsorted(s, v, side="right")


@njit
def digitized(x, bins):
    return np.digitize(x, bins), np.digitize(x, bins, right=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("nans", [0, 1, 3])
@pytest.mark.parametrize("n", [0, 1, 6, 1000])
def test_searchsorted_orders_nan_last_as_numpy(dtype, nans, n):
    # NumPy sorts NaNs last and searches in that order: a NaN key goes before
    # the first NaN ('left') or after the last ('right'); any number before them.
    rng = np.random.default_rng(n + nans)
    s = np.sort(np.concatenate([rng.standard_normal(n), np.full(nans, np.nan)]).astype(dtype))
    keys = np.concatenate([[np.nan, -np.inf, np.inf, 0.0], rng.standard_normal(20)]).astype(dtype)
    got = searched_both_sides(s, keys)
    for side, g in zip(("left", "right"), got):
        np.testing.assert_array_equal(g, np.searchsorted(s, keys, side=side))
    for key in (keys[0], keys[1], keys[4]):  # scalar keys: NaN, -inf, a number
        assert searched_both_sides(s, key) == (np.searchsorted(s, key), np.searchsorted(s, key, side="right"))


def test_searchsorted_of_integers_for_a_nan_key_as_numpy():
    s = np.arange(10, dtype=np.int64)
    assert searched_both_sides(s, np.nan) == (10, 10) == (np.searchsorted(s, np.nan), np.searchsorted(s, np.nan, "right"))


@pytest.mark.parametrize("bins", [np.array([0.0, 1.0, 2.5, 4.0]), np.array([4.0, 2.5, 1.0, 0.0]),
                                  np.array([0.0, 1.0, np.nan])])
def test_digitize_of_nan_as_numpy(bins):
    x = np.array([np.nan, -1.0, 0.0, 1.0, 3.0, 9.0])
    got = digitized(x, bins)
    np.testing.assert_array_equal(got[0], np.digitize(x, bins))
    np.testing.assert_array_equal(got[1], np.digitize(x, bins, right=True))


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
@pytest.mark.parametrize("values", ["full range", "three values", "extremes", "around zero", "two digits",
                                    "past two digits"])
def test_integer_sorts_past_the_radix_threshold(dtype, n, values):
    # From 512 items integers sort by radix where two 11-bit digits cover their span (and NumPy's
    # sort is there), or any span (where it is not): every width, sign and span, against NumPy.
    rng = np.random.default_rng(n)
    if dtype == np.bool_:
        a = rng.integers(0, 2, n).astype(dtype)
    else:
        info = np.iinfo(dtype)

        def spanning(span):  # the span exactly, from near the type's low end or below zero
            low = max(info.min, -3 * span) if info.min < 0 else min(info.max - span, 7 * span)
            span = min(span, info.max - low)
            a = low + rng.integers(0, span, n, endpoint=True)
            a[0], a[-1] = low, low + span
            return a.astype(dtype)

        a = {"full range": lambda: rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True),
             "three values": lambda: rng.integers(0, 3, n).astype(dtype),
             "extremes": lambda: np.where(np.arange(n) % 3 == 0, info.min, info.max).astype(dtype),
             "around zero": lambda: rng.integers(max(info.min, -1000), 1000, n).astype(dtype),
             "two digits": lambda: spanning(2 ** 22 - 1),
             "past two digits": lambda: spanning(2 ** 22)}[values]()
    got_method, got_function = sorted_both_ways(a)
    np.testing.assert_array_equal(got_method, np.sort(a))
    np.testing.assert_array_equal(got_function, np.sort(a))
