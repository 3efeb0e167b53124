"""numpy.lib.stride_tricks in compiled code: as_strided (library/numpy_views.cpp)
and sliding_window_view (library/stride_tricks.py), against NumPy's views:
the same values, shapes and writeable flag, over dtypes and layouts, and
NumPy's errors."""
import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from numjit import njit

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128]


def layouts(a):
    yield a
    if a.ndim == 2:
        yield np.asfortranarray(a)
    yield np.repeat(a, 2, axis=-1)[..., ::2]  # strided


@njit
def windows_1d(x, w):
    return sliding_window_view(x, w)


@njit
def windows_tuple(x, w):
    return sliding_window_view(x, w)


@njit
def windows_axis(x, w, axis):
    return sliding_window_view(x, w, axis=axis)


@njit
def windows_writeable(x, w):
    return sliding_window_view(x, w, writeable=True)


@njit
def moving_mean(x, w):
    return np.lib.stride_tricks.sliding_window_view(x, w).sum(axis=1) / w


def same_view(got, want):
    assert got.shape == want.shape and got.dtype == want.dtype
    assert got.flags.writeable == want.flags.writeable
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n, w", [(8, 3), (5, 5), (5, 1), (1, 1), (6, 0), (0, 0)])
def test_one_dimensional_windows(n, w, dtype):
    for x in layouts(np.arange(n).astype(dtype)):
        same_view(windows_1d(x, w), windows_1d.py_func(x, w))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape, w", [((4, 5), (2, 3)), ((3, 3), (3, 3)), ((4, 5), (1, 1)), ((2, 3, 4), (2, 2, 2)),
                                      ((5,), (2,))], ids=str)
def test_tuple_windows(shape, w, dtype):
    for x in layouts(np.arange(np.prod(shape)).reshape(shape).astype(dtype)):
        same_view(windows_tuple(x, w), windows_tuple.py_func(x, w))


@pytest.mark.parametrize("axis", [0, 1, -1, -2])
@pytest.mark.parametrize("w", [1, 2, 3])
def test_windows_along_an_axis(w, axis):
    for x in layouts(np.arange(20.0).reshape(4, 5)):
        same_view(windows_axis(x, w, axis), windows_axis.py_func(x, w, axis))


def test_writeable_windows_are_refused_clearly():
    assert windows_writeable.py_func(np.arange(10.0), 3).flags.writeable
    with pytest.raises(NotImplementedError, match="use as_strided"):
        windows_writeable(np.arange(10.0), 3)


@pytest.mark.parametrize("w", [1, 4, 10])
def test_moving_mean(w):
    x = np.random.default_rng(0).standard_normal(50)
    np.testing.assert_allclose(moving_mean(x, w), moving_mean.py_func(x, w), rtol=1e-13)


@pytest.mark.parametrize("args, error", [((np.arange(4.0), 5), ValueError), ((np.arange(4.0), -1), ValueError),
                                         ((np.ones((2, 2)), 1), ValueError)])
def test_window_errors(args, error):
    for f in (windows_1d, windows_1d.py_func):
        with pytest.raises(error):
            f(*args)


@njit
def strided(x, shape, strides):
    return as_strided(x, shape, strides)


@njit
def strided_readonly(x):
    return as_strided(x, (2, 3), (x.strides[0], x.strides[0]), writeable=False)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_as_strided(dtype):
    x = np.arange(10).astype(dtype)
    s = x.strides[0]
    for shape, strides in [((3, 3), (s, s)), ((5,), (2 * s,)), ((2, 2, 2), (4 * s, 2 * s, s)), ((4, 2), (0, s))]:
        same_view(strided(x, shape, strides), strided.py_func(x, shape, strides))
    same_view(strided_readonly(x), strided_readonly.py_func(x))
