"""np.max/np.min/np.nanmax/np.nanmin (and the methods, and along an axis)
against NumPy: a NaN anywhere gives NaN (np.max), NaNs are skipped and only
an all-NaN input gives NaN (np.nanmax), at every position of a vectorized loop
(first, middle, in the remainder, last), for every dtype and layout."""
import warnings

import numpy as np
import pytest

from conftest import dtype_id, laid_out, make_array
from numjit import njit

FLOATS = [np.float32, np.float64]
INTEGERS = [np.int8, np.uint16, np.int32, np.int64, np.uint64, np.bool_]
SIZES = [1, 2, 7, 16, 33, 100, 1001]


@njit
def extremes(a):
    return a.max(), a.min(), np.max(a), np.min(a), np.amax(a), np.amin(a)


@njit
def nan_extremes(a):
    return np.nanmax(a), np.nanmin(a)


@njit
def extremes_along(a):
    return a.max(axis=0), a.min(axis=0), a.max(axis=1), a.min(axis=1), np.max(a, axis=1), np.amin(a, axis=0)


def expected(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's "All-NaN slice encountered"
        return f.py_func(*args)


def assert_identical(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        g = np.asarray(g)
        w = np.asarray(w)
        assert g.shape == w.shape
        np.testing.assert_array_equal(g, w)  # NaN matches NaN; exact otherwise


def random_values(n, dtype, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return (rng.standard_normal(n) * 100).astype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, n).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)


@pytest.mark.parametrize("dtype", FLOATS + INTEGERS, ids=dtype_id)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_whole_array_extremes(dtype, n, layout):
    a = random_values(n, dtype, n)
    if layout == "strided":
        a = np.repeat(a, 2)[::2]
    elif layout == "reversed":
        a = a[::-1]
    assert_identical(extremes(a), expected(extremes, a))
    if np.dtype(dtype).kind == "f":
        assert_identical(nan_extremes(a), expected(nan_extremes, a))


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("where", ["first", "middle", "last", "all", "every third"])
def test_nan_at_every_position(dtype, n, where):
    a = random_values(n, dtype, 7)
    positions = {"first": [0], "middle": [n // 2], "last": [n - 1], "all": list(range(n)),
                 "every third": list(range(0, n, 3))}[where]
    a[positions] = np.nan
    assert_identical(extremes(a), expected(extremes, a))
    assert_identical(nan_extremes(a), expected(nan_extremes, a))


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
@pytest.mark.parametrize("values", [[np.inf, -np.inf], [-np.inf], [np.inf, np.nan], [np.nan, -np.inf],
                                    [-0.0, 0.0], [0.0, -0.0], [3.0] * 40 + [np.nan] + [5.0],
                                    [np.finfo(np.float32).max, -np.finfo(np.float32).max]])
def test_infinities_zeros_and_nans(dtype, values):
    a = np.array(values, dtype)
    assert_identical(extremes(a), expected(extremes, a))
    assert_identical(nan_extremes(a), expected(nan_extremes, a))


@pytest.mark.parametrize("dtype", FLOATS + INTEGERS, ids=dtype_id)
@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (17, 33), (64, 9)])
@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
def test_extremes_along_an_axis(dtype, shape, layout):
    a = laid_out(random_values(shape[0] * shape[1], dtype, 3).reshape(shape), layout)
    if np.dtype(dtype).kind == "f" and a.size > 2:
        a = a.copy(order="K")
        a.flat[a.size // 3] = np.nan  # one row and one column become NaN
    assert_identical(extremes_along(a), expected(extremes_along, a))


@pytest.mark.parametrize("f, message", [(extremes, "maximum"), (nan_extremes, "fmax")])
def test_empty_arrays_raise_numpys_value_error(f, message):
    a = np.zeros(0)
    with pytest.raises(ValueError, match=message):
        f.py_func(a)
    with pytest.raises(ValueError, match=message):
        f(a)


def test_all_nan_nanmax_is_nan_as_in_numpy():
    a = np.full(10, np.nan)
    got = nan_extremes(a)
    assert np.isnan(got[0]) and np.isnan(got[1])
    assert_identical(got, expected(nan_extremes, a))
    assert_identical(extremes(make_array((4,), np.float64)), expected(extremes, make_array((4,), np.float64)))


@njit
def nan_extremes_of_expression(a):
    return np.nanmax(a * 1.0), np.nanmin(a + 0.0)


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
@pytest.mark.parametrize("n", [1, 7, 100, 1001])
@pytest.mark.parametrize("fill", ["nan", "-inf", "inf", "nan and -inf", "nan and inf", "numbers"])
def test_all_nan_told_apart_from_infinite_extremes(dtype, n, fill):
    # np.nanmax of an array variable reads it again only when its extreme is
    # -inf (all NaN, or -inf is the largest number); of an expression it counts
    # the numbers it saw. Both must give NumPy's answer.
    a = {"nan": np.full(n, np.nan), "-inf": np.full(n, -np.inf), "inf": np.full(n, np.inf),
         "nan and -inf": np.where(np.arange(n) % 2 == 0, np.nan, -np.inf),
         "nan and inf": np.where(np.arange(n) % 3 == 1, np.inf, np.nan),
         "numbers": random_values(n, np.float64, n)}[fill].astype(dtype)
    for view in (a, a[::-1], a[::2]):
        assert_identical(nan_extremes(view), expected(nan_extremes, view))
        assert_identical(nan_extremes_of_expression(view), expected(nan_extremes_of_expression, view))
