"""Functions along one axis of arrays of three and four dimensions (the
library's `_lanes`: the axis moved last in a copy whose other axes are
rows): sort, argsort, argmax/argmin, cumsum/cumprod, var/std, median, ptp,
ufunc.reduce and ufunc.accumulate, and a.sort(axis=) in place. Compared
with NumPy over dtypes, layouts, shapes and every axis."""
import numpy as np
import pytest

from conftest import make_array
from numjit import njit


@njit
def sorts(a, axis):
    return np.sort(a, axis=axis), np.argsort(a, axis=axis)


@njit
def extremes(a, axis):
    return np.argmax(a, axis=axis), a.argmin(axis=axis), np.ptp(a, axis=axis)


@njit
def scans(a, axis):
    return np.cumsum(a, axis=axis), np.cumprod(a, axis=axis), np.maximum.accumulate(a, axis=axis)


@njit
def spreads(a, axis):
    return np.var(a, axis=axis), a.std(axis=axis), np.median(a, axis=axis), np.add.reduce(a, axis=axis)


@njit
def sort_in_place(a, axis):
    a.sort(axis=axis)


SHAPES = [(2, 3, 4), (3, 1, 2, 5), (1, 4, 1)]


def assert_same(got, want, exact):
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype
        if exact:
            np.testing.assert_array_equal(g, w)
        else:
            np.testing.assert_allclose(g, w, rtol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.int64])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_sorts_extremes_and_scans_along_every_axis(shape, dtype, layout):
    a = make_array(shape, dtype, layout, seed=len(shape))
    for axis in range(-a.ndim, a.ndim):
        assert_same(sorts(a, axis), (np.sort(a, axis=axis), np.argsort(a, axis=axis, kind="stable")), True)
        assert_same(extremes(a, axis), (np.argmax(a, axis=axis), a.argmin(axis=axis), np.ptp(a, axis=axis)), True)
        assert_same(scans(a, axis), (np.cumsum(a, axis=axis), np.cumprod(a, axis=axis),
                                     np.maximum.accumulate(a, axis=axis)), True)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_spreads_along_every_axis(shape, dtype):
    a = make_array(shape, dtype, "C", seed=3)
    for axis in range(-a.ndim, a.ndim):
        got = spreads(a, axis)
        want = (np.var(a, axis=axis), a.std(axis=axis), np.median(a, axis=axis), np.add.reduce(a, axis=axis))
        for g, w in zip(got, want):
            assert g.shape == w.shape and g.dtype == w.dtype
            np.testing.assert_allclose(g, w, rtol=2e-6 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("shape", SHAPES)
def test_sort_in_place_along_every_axis(shape):
    for axis in range(-len(shape), len(shape)):
        a = make_array(shape, np.float64, "C", seed=axis + 5)
        b = a.copy()
        sort_in_place(a, axis)
        b.sort(axis=axis)
        np.testing.assert_array_equal(a, b)


def test_an_axis_out_of_range_raises():
    with pytest.raises(np.exceptions.AxisError):
        sorts(np.zeros((2, 2, 2)), 3)
