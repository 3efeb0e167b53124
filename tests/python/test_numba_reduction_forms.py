"""Forms of NumPy calls that Numba takes and numjit took late: np.stack along
any axis, np.count_nonzero along an axis, sums with dtype=, and reductions
over a tuple of axes. Each compared with NumPy."""
import numpy as np
import pytest

import numjit.errors
from numjit import njit

SHAPES = [(5,), (3, 4), (2, 3, 4), (0, 3), (2, 0, 3)]


def arrays(shape, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, shape)
    yield "int64", a
    yield "bool", a > 1
    yield "float32", a.astype(np.float32) + 0.5
    yield "fortran", np.asfortranarray(a)
    if len(shape) > 1:
        yield "strided", np.ascontiguousarray(np.repeat(a, 2, axis=-1))[..., ::2]


@njit
def stacked(a, b, axis):
    return np.stack((a, b), axis=axis)


@njit
def columns(a, b):
    return np.column_stack((a, b))


@pytest.mark.parametrize("shape", SHAPES)
def test_stack_along_every_axis(shape):
    for name, a in arrays(shape):
        b = a[::-1].copy() if a.ndim else a
        for axis in range(-a.ndim - 1, a.ndim + 1):
            got, expected = stacked(a, b, axis), stacked.py_func(a, b, axis)
            assert got.shape == expected.shape and got.dtype == expected.dtype, (name, axis)
            assert got.flags.c_contiguous
            np.testing.assert_array_equal(got, expected)
        if a.ndim <= 2:
            np.testing.assert_array_equal(columns(a, b), columns.py_func(a, b))


def test_stack_along_an_axis_out_of_bounds_raises_numpys_error():
    a = np.ones((2, 3))
    with pytest.raises(np.exceptions.AxisError, match="out of bounds"):
        stacked(a, a, 3)
    with pytest.raises(np.exceptions.AxisError):
        stacked.py_func(a, a, 3)


@njit
def nonzero_along(a, axis):
    return np.count_nonzero(a, axis=axis)


@pytest.mark.parametrize("shape", SHAPES)
def test_count_nonzero_along_each_axis(shape):
    for name, a in arrays(shape, seed=1):
        for axis in range(-a.ndim, a.ndim):
            got, expected = nonzero_along(a, axis), nonzero_along.py_func(a, axis)
            assert np.shape(got) == np.shape(expected), (name, axis)
            np.testing.assert_array_equal(got, expected)


@njit
def sum_in_int8(a, axis):
    return np.sum(a, axis=axis, dtype=np.int8)


@njit
def sums_in_other_dtypes(a):
    return np.sum(a, dtype=np.int32), a.sum(dtype=np.float32), a.sum(0, np.int16)


@pytest.mark.parametrize("shape", [(5,), (3, 40), (2, 3, 4), (0, 3)])
def test_sum_with_a_dtype_accumulates_in_it(shape):
    for name, a in arrays(shape, seed=2):
        a = a * 7 if a.dtype != np.bool_ else a  # int8 sums wrap as NumPy's do
        for axis in range(-a.ndim, a.ndim):
            got, expected = sum_in_int8(a, axis), sum_in_int8.py_func(a, axis)
            assert np.shape(got) == np.shape(expected), (name, axis)
            np.testing.assert_array_equal(got, expected)
        for got, expected in zip(sums_in_other_dtypes(a), sums_in_other_dtypes.py_func(a)):
            np.testing.assert_allclose(got, expected, rtol=1e-6)


@njit
def over_axis_tuples(a):
    return (a.sum(axis=(1, 2)), np.sum(a, axis=(0, -1)), np.max(a, (2, 0)), a.prod(axis=(0, 1, 2)),
            np.any(a > 2, axis=(0, 1)), a.min(axis=(-1,)), np.all(a >= 0, axis=(1, 0)))


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.int32])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_reductions_over_a_tuple_of_axes(dtype, layout):
    a = (np.random.default_rng(3).integers(0, 5, (3, 4, 5)) + 1).astype(dtype)
    a = {"C": a, "F": np.asfortranarray(a), "strided": a[:, ::2, ::-1]}[layout]
    for got, expected in zip(over_axis_tuples(a), over_axis_tuples.py_func(a)):
        assert np.shape(got) == np.shape(expected)
        np.testing.assert_allclose(got, expected)


def test_a_repeated_axis_in_a_tuple_is_a_typing_error():
    @njit
    def repeated(a):
        return a.sum(axis=(1, -2))

    with pytest.raises(numjit.errors.TypingError, match="duplicate value in 'axis'"):
        repeated(np.ones((2, 3, 4)))
    with pytest.raises(ValueError):
        repeated.py_func(np.ones((2, 3, 4)))


@njit
def sum_along_run_time_axis(a, axis):
    return a.sum(axis=axis), np.sum(a, axis=axis, dtype=None)


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4), (2, 1, 3, 2)])
def test_sum_along_an_axis_known_only_at_run_time(shape):
    for name, a in arrays(shape, seed=4):
        for axis in range(-a.ndim, a.ndim):
            for got, expected in zip(sum_along_run_time_axis(a, axis), sum_along_run_time_axis.py_func(a, axis)):
                assert np.shape(got) == np.shape(expected)
                if np.ndim(expected):  # (a scalar comes back as a Python number, as Numba's)
                    assert got.dtype == expected.dtype
                np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_a_float32_sum_with_dtype_is_as_accurate_as_numpys():
    @njit
    def in_float32(a):
        return a.sum(dtype=np.float32)

    a = np.full(10**6, 0.1)
    assert abs(in_float32(a) - a.sum(dtype=np.float32)) < 1.0  # a sequential float32 sum is ~958 off


@njit
def tuple_axes_in_a_dtype(a):
    return a.sum(axis=(0, 1), dtype=np.int8), np.sum(a, (1, 2), dtype=np.int16)


def test_reductions_over_a_tuple_of_axes_with_a_dtype():
    a = np.arange(24).reshape(2, 3, 4) * 37
    for got, expected in zip(tuple_axes_in_a_dtype(a), tuple_axes_in_a_dtype.py_func(a)):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_max_along_axes_of_an_empty_array_raises_and_leaks_nothing():
    import gc

    from numjit import runtime

    @njit
    def largest(a):
        return np.max(a, (2, 0)), np.max(a, 0)

    empty = np.zeros((0, 3, 4))
    for _ in range(2):
        with pytest.raises(ValueError, match="zero-size array"):
            largest(empty)
    gc.collect()
    before = runtime.allocation_stats()
    for _ in range(20):
        with pytest.raises(ValueError, match="zero-size array"):
            largest(empty)
    gc.collect()
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free
