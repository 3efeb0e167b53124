"""The dtypes of NumPy's statistics in compiled code: float32 data gives float32
medians, variances and deviations (along an axis too), covariances are float64
(complex128) whatever the input, and np.ptp keeps the array's dtype, wrapping
as NumPy's does. Each result is an array, so its dtype can be compared with
NumPy's exactly; the values are compared as well."""
import contextlib
import warnings

import numpy as np
import pytest

from conftest import assert_same, default_rtol, dtype_id, make_array
from numjit import njit

DTYPES = [np.float32, np.float64, np.int16, np.int32, np.int64, np.uint8, np.complex64, np.complex128, np.bool_]
LAYOUTS = ["C", "F", "strided"]


@njit
def median_all(a):
    return np.array([np.median(a)])


@njit
def nanmedian_all(a):
    return np.array([np.nanmedian(a)])


@njit
def median_rows(a):
    return np.median(a, axis=1)


@njit
def median_columns(a):
    return np.median(a, axis=0)


@njit
def var_rows(a):
    return np.var(a, axis=1)


@njit
def std_columns(a):
    return np.std(a, axis=0)


@njit
def var_all(a):
    return np.array([np.var(a), np.std(a)])


@njit
def covariance(a):
    return np.cov(a)


@njit
def correlation(a):
    return np.corrcoef(a)


@njit
def spread_all(a):
    return np.array([np.ptp(a)])


@njit
def spread_rows(a):
    return np.ptp(a, axis=1)


ORDERED = [median_all, nanmedian_all, median_rows, median_columns]
ANY = [var_rows, std_columns, var_all, covariance, correlation]
SPREAD = [spread_all, spread_rows]


def _compare(f, a):
    with np.errstate(all="ignore"):
        expected = f.py_func(a)
    got = f(a)
    assert got.dtype == expected.dtype, (f.__name__, got.dtype, expected.dtype)
    assert got.shape == expected.shape
    assert_same(got, expected, rtol=default_rtol(got) * 10)


def _cases(functions, dtypes):
    return [(f, d) for f in functions for d in dtypes]


@pytest.mark.parametrize("f, dtype", _cases(ORDERED, [d for d in DTYPES if np.dtype(d).kind != "c"])
                         + _cases(ANY, DTYPES) + _cases(SPREAD, [d for d in DTYPES if d is not np.bool_]),
                         ids=lambda v: v.__name__ if callable(v) and hasattr(v, "py_func") else dtype_id(v))
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(2, 1), (2, 3), (4, 7), (3, 2)])
def test_result_dtype_and_values(f, dtype, layout, shape):
    _compare(f, make_array(shape, dtype, layout))


@njit
def covariance_of_one_variable(a):
    return np.cov(a), np.corrcoef(a)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.complex128])
@pytest.mark.parametrize("n", [1, 2, 5])
def test_one_variable_gives_numpys_0d_covariance_and_scalar_correlation(dtype, n):
    a = make_array((n,), dtype)
    with np.errstate(all="ignore"), warnings.catch_warnings(action="ignore"):
        expected = covariance_of_one_variable.py_func(a)
    with warnings.catch_warnings(action="ignore"):
        got = covariance_of_one_variable(a)
    assert got[0].shape == () and got[0].dtype == expected[0].dtype
    assert_same(got[0], expected[0])
    assert_same(complex(got[1]), complex(expected[1]))


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.uint8, np.int64])
def test_ptp_wraps_in_the_arrays_dtype(dtype):
    info = np.iinfo(dtype)
    a = np.array([info.min, 0, info.max], dtype)
    assert spread_all(a)[0] == spread_all.py_func(a)[0]
    assert spread_all(a).dtype == np.dtype(dtype)


@njit
def spread(a):
    return np.ptp(a)


def test_ptp_of_booleans_is_refused_as_numpy_refuses_it():
    a = np.array([True, False])
    with pytest.raises(TypeError):
        spread.py_func(a)
    with pytest.raises(TypeError, match="boolean subtract"):
        spread(a)


@pytest.mark.parametrize("values", [[np.nan, 3.0, 1.0, 2.0, np.inf], [np.nan], [], [np.nan, np.nan, 2.0], [3.0e38, 3.0e38]])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nanmedian_skips_nans_in_the_arrays_dtype(values, dtype):
    a = np.array(values, dtype)
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning) if a.size == 0 else contextlib.nullcontext():
        expected = nanmedian_all.py_func(a)
    got = nanmedian_all(a)
    assert got.dtype == expected.dtype
    assert_same(got, expected)
