"""np.logical_*, np.isclose, np.allclose and np.digitize, and the axis variants
that numjit implements in Python (numjit/library/axes.py): argmax/argmin, var/std,
median, cumsum/cumprod, sort/argsort, average with weights, round with decimals,
a.flat, np.stack; against plain Python and NumPy."""
import numpy as np
import pytest

from numjit import njit
from numjit.errors import TypingError

from conftest import LAYOUTS, RTOL_SINGLE, check, dtype_id, make_array, random_floats

DTYPES = [np.float32, np.float64, np.int64]


# =============================================================================
# np.logical_*, np.isclose, np.allclose, np.digitize
# =============================================================================

@njit
def logical_all(a, b):
    return np.logical_and(a, b), np.logical_or(a, b), np.logical_xor(a, b), np.logical_not(a)


@njit
def logical_with_scalar(a, s):
    return np.logical_and(a, s), np.logical_or(s, a), np.logical_xor(a, s)


@njit
def isclose_default(x, y):
    return np.isclose(x, y), np.isclose(x, y, equal_nan=True)


@njit
def isclose_tolerances(x, y, rtol, atol):
    return np.isclose(x, y, rtol, atol), np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)


@njit
def allclose_all(x, y):
    return np.allclose(x, y), np.allclose(x, y, equal_nan=True), np.allclose(x, y, 1e-2, 1e-3)


@njit
def digitize_both(x, bins):
    return np.digitize(x, bins), np.digitize(x, bins, right=True), np.digitize(x, bins, False)


def _logical_operand(shape, dtype, layout, seed):
    a = make_array(shape, dtype, layout, seed=seed)
    return a * (a % 3 != 0).astype(dtype) if dtype != np.bool_ else a


@pytest.mark.parametrize("dtype", DTYPES + [np.bool_], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1,), (7,), (100,), (5, 6)])
def test_logical_functions_on_arrays(dtype, layout, shape):
    if len(shape) == 1 and layout in ("F", "transposed"):
        shape = (shape[0], 2)
    a = _logical_operand(shape, dtype, layout, 0)
    b = _logical_operand(shape, dtype, "C", 1)
    check(logical_all, a, b)
    check(logical_with_scalar, a, dtype(0))
    check(logical_with_scalar, a, dtype(1))


def test_logical_functions_broadcast_and_scalars():
    a = np.arange(6.0).reshape(2, 3)
    check(logical_all, a, np.array([1.0, 0.0, 1.0]))
    for x, y in [(1.0, 0.0), (3, 0), (0, 0), (True, True), (2.5, -1.0)]:
        check(logical_all, x, y)


# Finite values and NaNs (infinities: see the report).
CLOSE_X = np.array([1.0, np.nan, 3.0, 1e10, 0.0, 2.0, -1.0, 1e-9, np.nan])
CLOSE_Y = np.array([1.0 + 1e-9, np.nan, 3.1, 1.00001e10, 1e-9, 2.00001, -1.0001, 0.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
def test_isclose_arrays(dtype):
    x, y = CLOSE_X.astype(dtype), CLOSE_Y.astype(dtype)
    check(isclose_default, x, y)
    check(isclose_tolerances, x, y, 0.1, 0.0)
    check(isclose_tolerances, x, y, 0.0, 1e-3)
    check(isclose_default, x, dtype(1.0))
    check(isclose_default, x.reshape(3, 3).T, y.reshape(3, 3))
    check(isclose_default, x[::2], y[::2])


def test_isclose_scalars_and_ints():
    check(isclose_default, 1.0, 1.0 + 1e-10)
    check(isclose_default, 1.0, 1.1)
    check(isclose_default, np.nan, np.nan)
    check(isclose_default, np.arange(5), np.array([0, 1, 2, 4, 4]))


@pytest.mark.parametrize("x, y", [
    (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])),
    (np.array([1.0, 2.0]), np.array([1.0, 2.1])),
    (np.array([np.nan, 1.0]), np.array([np.nan, 1.0])),
    (np.array([np.nan, 1.0]), np.array([1.0, 1.0])),
    (np.array([1.0, 2.0, 3.0]), np.array([1.001, 2.001, 3.001])),
    (np.zeros(0), np.zeros(0)),
    (np.arange(100.0).reshape(10, 10), np.arange(100.0).reshape(10, 10).T.copy().T),
])
def test_allclose(x, y):
    check(allclose_all, x, y)
    assert allclose_all(x, y) == allclose_all.py_func(x, y)


def test_allclose_array_against_scalar():
    check(allclose_all, np.full(4, 2.0), 2.0)
    check(allclose_all, np.array([2.0, 2.5]), 2.0)


BINS = np.array([0.0, 1.0, 2.5, 4.0])
XS = np.array([-1.0, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, 10.0])


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_digitize(dtype):
    x, bins = XS.astype(dtype), BINS.astype(dtype) if dtype != np.int64 else np.array([0, 1, 3, 4])
    check(digitize_both, x, bins)
    check(digitize_both, x[::2], bins)
    check(digitize_both, x.reshape(2, 4), bins)
    check(digitize_both, x.reshape(4, 2).T, bins)
    check(digitize_both, np.zeros(0, dtype), bins)
    check(digitize_both, dtype(1), bins)


@pytest.mark.parametrize("n", [1, 7, 100])
def test_digitize_random(n):
    bins = np.sort(random_floats(10, seed=4))
    x = np.concatenate((random_floats(n, low=-1.5, high=1.5, seed=n), bins[:3]))
    check(digitize_both, x, bins)
    check(digitize_both, x, bins[:1])


# =============================================================================
# Axis variants (Python library fallbacks)
# =============================================================================

@njit
def argmax_argmin_axis(a, axis):
    return np.argmax(a, axis=axis), a.argmax(axis=axis), np.argmin(a, axis=axis), a.argmin(axis=axis), \
        np.argmax(a, axis)


@njit
def var_std_axis(a, axis):
    return np.var(a, axis=axis), np.std(a, axis=axis), a.var(axis=axis), a.std(axis=axis, ddof=1), \
        np.var(a, axis=axis, ddof=1), np.std(a, axis, ddof=2)


@njit
def var_std_ddof(a, ddof):
    return np.var(a, ddof=ddof), a.std(ddof=ddof)


@njit
def median_axis(a, axis):
    return np.median(a, axis=axis)


@njit
def scans_axis(a, axis):
    return np.cumsum(a, axis=axis), a.cumsum(axis=axis), np.cumprod(a, axis=axis), a.cumprod(axis=axis)


@njit
def sort_axis(a, axis):
    return np.sort(a, axis=axis), np.sort(a, axis)


@njit
def sort_none(a):
    return np.sort(a, axis=None)


@njit
def sort_in_place_axis0(a):
    a.sort(axis=0)


@njit
def sort_in_place_default(a):
    a.sort()


@njit
def argsort_axis(a, axis):
    return np.argsort(a, axis=axis), a.argsort(axis=axis)


@njit
def argsort_mergesort(a, axis):
    return np.argsort(a, axis=axis, kind="mergesort"), a.argsort(axis=axis, kind="mergesort")


@njit
def average_weights(a, w):
    return np.average(a, weights=w)


@njit
def average_axis_weights(a, axis, w):
    return np.average(a, axis=axis, weights=w)


@njit
def average_no_weights(a):
    return np.average(a), np.average(a, axis=0)


@njit
def round_decimals(a, d):
    return np.round(a, d), np.around(a, d), np.round(a, decimals=d)


@njit
def round_default(a):
    return np.round(a), np.around(a)


@njit
def flat_values(a):
    out = np.empty(a.size, a.dtype)
    k = 0
    for v in a.flat:
        out[k] = v
        k += 1
    return out


@njit
def flat_set(a, i, v):
    a.flat[i] = v


@njit
def flat_get(a, i):
    return a.flat[i]


@njit
def flat_fill(a):
    for i in range(a.size):
        a.flat[i] = i * 2


@njit(boundscheck=True)
def flat_set_checked(a, i, v):
    a.flat[i] = v


def flat_set_plain(a, i, v):
    a.flat[i] = v


@njit
def stack_pair(a, b):
    return np.stack((a, b), axis=1), np.stack((a, b), axis=-1), np.stack((a, b)), np.stack((a, b), axis=0)


@njit
def stack_three(a, b, c):
    return np.stack((a, b, c), axis=1)


AXES = [0, 1, -1, -2]
SHAPES_2D = [(1, 1), (3, 4), (100, 7), (7, 100)]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_argmax_argmin_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in AXES:
        check(argmax_argmin_axis, a, axis)


def test_argmax_axis_1d_and_bad_axis():
    check(argmax_argmin_axis, np.array([3.0, 7.0, 1.0, 7.0]), 0)
    check(argmax_argmin_axis, np.array([3.0, 7.0, 1.0, 7.0]), -1)
    with pytest.raises(np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError):
        argmax_argmin_axis(make_array((3, 4), np.float64), 2)


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(3, 4), (100, 7), (7, 100)])
def test_var_std_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in AXES:
        check(var_std_axis, a, axis)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_var_std_axis_float32_values(layout):
    # numjit widens the float32 results along an axis to float64 (see the report); the values agree.
    a = make_array((6, 5), np.float32, layout)
    for axis in AXES:
        for got, expected in zip(var_std_axis(a, axis), var_std_axis.py_func(a, axis)):
            np.testing.assert_allclose(got, expected, rtol=RTOL_SINGLE)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_var_std_ddof(dtype, ddof):
    a = make_array((4, 5), dtype, "F")
    for got, expected in zip(var_std_ddof(a, ddof), var_std_ddof.py_func(a, ddof)):
        np.testing.assert_allclose(got, expected, rtol=RTOL_SINGLE if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_median_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in AXES:
        check(median_axis, a, axis)


def test_median_axis_float32_values_and_1d():
    a = make_array((5, 6), np.float32, "strided")
    for axis in AXES:
        np.testing.assert_allclose(median_axis(a, axis), median_axis.py_func(a, axis), rtol=RTOL_SINGLE)
    check(median_axis, np.array([3.0, 1.0, 2.0, 8.0]), 0)
    check(median_axis, random_floats(100), -1)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (100, 3), (3, 30)])
def test_cumsum_cumprod_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    if shape[0] * shape[1] > 20:
        a = (a % 2 + 1).astype(dtype)  # keep the products small and exact
    for axis in AXES:
        check(scans_axis, a, axis)
    check(scans_axis, make_array((7,), dtype), 0)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_sort_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in AXES:
        check(sort_axis, a, axis)
    check(sort_none, a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (5, 4), (100, 3)])
def test_sort_in_place(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    check(sort_in_place_axis0, a)
    b = make_array(shape, dtype, layout, seed=9)
    check(sort_in_place_default, b)
    assert np.all(np.diff(a, axis=0) >= 0)
    assert np.all(np.diff(b, axis=1) >= 0)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_argsort_axis(dtype, layout, shape):
    # Distinct values: any correct sort gives the same permutation.
    values = np.random.default_rng(1).permutation(shape[0] * shape[1]).astype(dtype)
    a = make_array(shape, dtype, layout)
    a[...] = values.reshape(shape)
    for axis in AXES:
        check(argsort_axis, a, axis)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_argsort_mergesort_is_stable(dtype, layout, shape):
    a = make_array(shape, dtype, layout)  # many ties
    for axis in AXES:
        check(argsort_mergesort, a, axis)
    check(argsort_mergesort, make_array((50,), dtype), 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("n", [1, 7, 100])
def test_average_weights(dtype, n):
    a = make_array((n,), dtype)
    w = make_array((n,), np.float64, seed=5)
    check(average_weights, a, w, rtol=RTOL_SINGLE)
    check(average_weights, a[::-1], w)
    A = make_array((n, 3), dtype, "F")
    check(average_weights, A, make_array((n, 3), np.float64, seed=6), rtol=RTOL_SINGLE)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (100, 5)])
def test_average_axis_weights(layout, shape):
    a = make_array(shape, np.float64, layout)
    check(average_axis_weights, a, 0, make_array((shape[0],), np.float64, seed=7))
    check(average_axis_weights, a, 1, make_array((shape[1],), np.float64, seed=8))
    check(average_axis_weights, a, -1, make_array((shape[1],), np.float64, seed=9))
    check(average_no_weights, a)


def test_average_zero_weights_raise():
    a = make_array((3, 4), np.float64)
    with pytest.raises(ZeroDivisionError):
        average_weights(a[0], np.zeros(4))
    with pytest.raises(ZeroDivisionError):
        average_weights(a[0], np.array([1.0, -1.0, 0.0, 0.0]))
    with pytest.raises(ZeroDivisionError):
        average_axis_weights(a, 1, np.array([1.0, -1.0, 0.0, 0.0]))
    with pytest.raises(ZeroDivisionError):
        average_axis_weights(a, 0, np.zeros(3))
    with pytest.raises(ZeroDivisionError):
        average_axis_weights.py_func(a, 0, np.zeros(3))


ROUND_VALUES = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 1.234, -1.255, 15.0, 25.0, 35.0, 123.456, -45.0, 2.675])
# Without the float32 near-ties at two decimals (-1.255, 2.675): see the report.
ROUND_VALUES_32 = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 1.234, 15.0, 25.0, 35.0, 123.456, -45.0, 0.125])


@pytest.mark.parametrize("decimals", [0, 2, -1, 1, -2])
def test_round_arrays(decimals):
    check(round_decimals, ROUND_VALUES, decimals)
    check(round_decimals, ROUND_VALUES[::2], decimals)
    check(round_decimals, ROUND_VALUES[:12].reshape(3, 4).T, decimals)
    check(round_decimals, np.asfortranarray(ROUND_VALUES[:12].reshape(4, 3)), decimals)
    check(round_decimals, ROUND_VALUES_32.astype(np.float32), decimals)
    check(round_decimals, np.array([15, 25, -35, 44, 123, 0]), decimals)
    check(round_decimals, random_floats(100, low=-50, high=50), decimals)
    check(round_decimals, np.zeros(0), decimals)


@pytest.mark.parametrize("decimals", [0, 2, -1])
@pytest.mark.parametrize("value", [2.5, 3.5, -2.5, 1.2345, 125.0, 135.0, 0.0, -7.77])
def test_round_scalars(decimals, value):
    check(round_decimals, value, decimals)


def test_round_default_is_half_to_even():
    check(round_default, ROUND_VALUES)
    np.testing.assert_array_equal(round_default(np.array([0.5, 1.5, 2.5, -2.5]))[0], [0.0, 2.0, 2.0, -2.0])
    check(round_default, 2.5)
    check(round_default, -0.5)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (100, 3), (2, 3, 4)])
def test_flat_iteration(dtype, layout, shape):
    check(flat_values, make_array(shape, dtype, layout))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape", [(1,), (7,), (3, 4), (100, 3), (2, 3, 4)])
def test_flat_write_c_arrays(dtype, shape):
    a = make_array(shape, dtype)
    size = a.size
    for i in (0, size - 1, size // 2, -1, -size):
        check(flat_set, a, i, dtype(-9))
        check(flat_get, a, i)
    check(flat_fill, a)


@pytest.mark.parametrize("layout", ["strided", "transposed"])
def test_flat_write_non_contiguous_raises(layout):
    a = make_array((3, 4), np.float64, layout)
    flat_set_plain(a, 1, 5.0)  # fine in NumPy
    with pytest.raises(TypingError):
        njit(flat_set_plain)(a, 1, 5.0)


def test_flat_write_out_of_range_with_boundscheck():
    a = make_array((3, 4), np.float64)
    with pytest.raises(IndexError):
        flat_set_checked(a, 12, 1.0)
    with pytest.raises(IndexError):
        flat_set_checked(a, -13, 1.0)
    flat_set_checked(a, 11, 1.0)
    assert a[2, 3] == 1.0


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 7, 100])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_stack_axis1(dtype, n, layout):
    a = make_array((n,), dtype, layout)
    b = make_array((n,), dtype, layout, seed=3)
    b *= 2  # the same layout as a (a tuple of arrays of two layouts: see the report)
    check(stack_pair, a, b)
    check(stack_three, a, b, a)


def test_stack_mismatched_lengths_raise():
    with pytest.raises(ValueError):
        stack_pair(np.arange(4.0), np.arange(3.0))
