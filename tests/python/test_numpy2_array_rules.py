"""NumPy 2's dtype and value rules in whole-array code, each found by the fuzzer:
results are compared with NumPy itself (values and dtypes), across dtypes and layouts."""
import math
import warnings

import numpy as np
import pytest

from numjit import njit
from numjit.errors import TypingError

INTEGER_DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


def layouts(a):
    """The same values as C, F-order, strided and reversed arrays."""
    wide = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), dtype=a.dtype)
    wide[..., ::2] = a
    return [a, np.asfortranarray(a), wide[..., ::2], np.ascontiguousarray(a[::-1])[::-1]]


def numpy_result(function, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return function.py_func(*args)


def assert_same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w)
        return
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)


@njit
def compare_with_python_ints(a):
    return -1 >= a, a < -1, a == 256, a != -1, a < 1000, 70000 > a, a > -(2**40)


@njit
def divide_python_ints(a):
    return -3 / a, 1000 / a, a / -7


@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
def test_python_ints_outside_an_unsigned_dtype_compare_by_value(dtype):
    info = np.iinfo(dtype)
    values = np.array([[0, 1, info.max], [3, info.max // 2, 5]], dtype=dtype)
    for a in layouts(values):
        assert_same(compare_with_python_ints(a), numpy_result(compare_with_python_ints, a))
        assert_same(divide_python_ints(a), numpy_result(divide_python_ints, a))


@njit
def compare_with_scalar(a, s):
    return a < s, a <= s, a == s, a != s, a > s, a >= s, s < a


@pytest.mark.parametrize("scalar", [-1, 0, 2**63 - 1, -(2**63)])
def test_uint64_arrays_compare_with_int64_exactly(scalar):
    a = np.array([0, 1, 2**63 - 1, 2**63, 2**63 + 1, 2**64 - 1], dtype=np.uint64)
    assert_same(compare_with_scalar(a, scalar), numpy_result(compare_with_scalar, a, scalar))


@pytest.mark.parametrize("u", [0, 5, 2**63, 2**64 - 1])
@pytest.mark.parametrize("s", [-1, 0, 5, 2**63 - 1])
def test_mixed_sign_64_bit_scalars_compare_exactly(u, s):
    @njit
    def orders(u, s):
        return u < s, u <= s, u == s, u != s, u > s, u >= s, s < u, s == u

    assert orders(np.uint64(u), s) == orders.py_func(u, s)


@njit
def bool_arithmetic(b):
    return (b // b, b % b, b ** b, b ** 2, b ** 1, b ** 3, b << b, b >> b, np.abs(b), abs(b), b + b, b * b,
            np.conj(b), 1 - np.conjugate(b))


def test_bool_arrays_use_numpys_int8_loops():
    for b in layouts(np.array([[True, False], [True, True]])):
        assert_same(bool_arithmetic(b), numpy_result(bool_arithmetic, b))


@njit
def rounding(a):
    return np.floor(a), np.ceil(a), np.trunc(a), np.fix(a)


@pytest.mark.parametrize("dtype", INTEGER_DTYPES + [np.bool_, np.float32, np.float64])
def test_floor_ceil_trunc_keep_integer_dtypes(dtype):
    values = np.array([[0, 1, 7], [3, 100, 2]]).astype(dtype)
    if np.dtype(dtype).kind == "f":
        values = values * dtype(-1.25)
    for a in layouts(values):
        assert_same(rounding(a), numpy_result(rounding, a))
    scalar = values[0, 1]  # returned as a Python number, as Numba boxes scalars: compare values
    assert rounding(scalar) == tuple(x.item() for x in numpy_result(rounding, scalar))


@njit
def fmods(a, b):
    return np.fmod(a, b), np.fmod(a, 3), np.fmod(a, 0), np.fmod(a > 0, b), np.fmod(b, a < 0)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint64, np.float32, np.float64])
def test_fmod_keeps_integers_and_gives_zero_for_a_zero_divisor(dtype):
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    low = info.min if info is not None else -7.5
    a = np.array([[7, low, 0], [9, 100, 5]]).astype(dtype)
    b = np.array([[2, -1 if info is None or info.min < 0 else 1, 3], [0, 7, 0]]).astype(dtype)
    for x in layouts(a):
        assert_same(fmods(x, b), numpy_result(fmods, x, b))


@njit
def power_by_name(a):
    return np.power(a, 2), np.power(a, a), a ** 2, a ** 3


@pytest.mark.parametrize("dtype", INTEGER_DTYPES + [np.float32])
def test_power_by_name_keeps_numpys_dtype(dtype):
    values = np.array([[0, 1, 2], [3, 4, 5]]).astype(dtype)
    for a in layouts(values):
        assert_same(power_by_name(a), numpy_result(power_by_name, a))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64])
def test_integer_arrays_to_negative_integer_powers_raise_like_numpy(dtype):
    @njit
    def power(a, b):
        return a ** b

    a = np.array([2, 3], dtype=dtype)
    with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed"):
        power(a, np.array([1, -1], dtype=dtype))
    with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed"):
        power.py_func(a, np.array([1, -1], dtype=dtype))
    assert_same(power(a, np.array([0, 5], dtype=dtype)), power.py_func(a, np.array([0, 5], dtype=dtype)))


@njit
def choose(condition, x):
    return np.where(condition, -3, 3), np.where(condition, True, x), np.where(condition, x, 2.5)


@pytest.mark.parametrize("condition_dtype", [np.uint8, np.float64, np.bool_])
@pytest.mark.parametrize("x_dtype", [np.int8, np.int32, np.float32])
def test_where_takes_its_dtype_from_the_values_not_the_condition(condition_dtype, x_dtype):
    condition = np.array([[1, 0, 2], [0, 0, 1]]).astype(condition_dtype)
    x = np.array([[5, 6, 7], [8, 9, 10]]).astype(x_dtype)
    for c in layouts(condition):
        assert_same(choose(c, x), numpy_result(choose, c, x))


@njit
def absolute(a):
    return abs(a), abs(a[::-1]) + 1


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, np.float32, np.float64, np.complex128, np.bool_])
def test_abs_of_an_array_is_np_abs(dtype):
    values = np.array([[-3, 0, 2], [5, -1, 7]]).astype(dtype)
    for a in layouts(values):
        assert_same(absolute(a), numpy_result(absolute, a))


@njit
def square_roots(a):
    return a ** 0.5, a ** 2.0, a ** -1


def test_array_to_the_half_is_a_square_root_like_numpy():
    values = np.array([[-math.inf, -1.0, -0.0, 0.0], [math.nan, 2.0, math.inf, 1e-310]])
    for a in layouts(values):
        assert_same(square_roots(a), numpy_result(square_roots, a))
    single = values.astype(np.float32)
    assert_same(square_roots(single), numpy_result(square_roots, single))


SPECIAL_COMPLEX = [complex(-math.inf, -1.25), complex(math.inf, math.nan), complex(1e200, 1e200), complex(-0.625, -0.25),
                   complex(0, 0), complex(0, -1e308), complex(1.5, -2.0), complex(-3.4e38, -197376.0),
                   complex(1e-38, -0.28), complex(math.nan, -0.25)]


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("exponent", [0, 1, 2, 3, -2, 7, -31, 2.5, 0.5, complex(0.5, 1.0), complex(-1.25, math.inf)])
def test_complex_array_powers_follow_numpys_algorithm(dtype, exponent):
    @njit
    def powers(a, e):
        return a ** e, np.power(a, e)

    with np.errstate(over="ignore"):
        values = np.array(SPECIAL_COMPLEX, dtype=dtype)  # 1e200 is inf in complex64
    got = powers(values, exponent)
    want = numpy_result(powers, values, exponent)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=2e-6 if dtype == np.complex64 else 1e-13, equal_nan=True)


def test_a_scalar_to_a_complex_array_power_and_a_zero_divisor():
    @njit
    def mixed(s, a, b):
        return s ** a, (a / b) ** 1

    a = np.array([complex(-1.25, math.inf), complex(-0.625, -0.25)])
    b = np.array([0, 0], dtype=np.int32)
    for g, w in zip(mixed(-1.375, a, b), numpy_result(mixed, -1.375, a, b)):
        np.testing.assert_allclose(g, w, rtol=1e-13, equal_nan=True)


@njit
def summed_powers_0(a):
    return np.sum(np.power(a, a), axis=0)


@njit
def summed_powers_1(a):
    return np.sum(a ** a, axis=1)


@pytest.mark.parametrize("summed_powers", [summed_powers_0, summed_powers_1])
def test_an_axis_reduction_that_raises_frees_its_result(summed_powers):
    from numjit.runtime import allocation_stats

    a = np.asfortranarray(np.array([[8, -8], [2, 3]], dtype=np.int16))
    before = allocation_stats()
    for _ in range(3):
        with pytest.raises(ValueError, match="negative integer powers"):
            summed_powers(a)
    after = allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free > 0
    ok = np.abs(a)
    np.testing.assert_array_equal(summed_powers(ok), numpy_result(summed_powers, ok))


@njit
def complex_extremes(a, b):
    return np.maximum(a, b), np.minimum(a, b), np.fmax(a, b), np.fmin(a, b), np.maximum(2j, a)


def test_complex_maximum_and_minimum_treat_nan_as_numpy_does():
    nan = math.nan
    a = np.array([complex(nan, 0), complex(1, nan), complex(1, 2), complex(1, 2), complex(3, 0), complex(0, 0),
                  complex(nan, nan), complex(-1, 5)])
    b = np.array([complex(1, 1), complex(1, 1), complex(nan, 0), complex(1, 3), complex(2, 9), complex(0, -0.0),
                  complex(1, 0), complex(-1, nan)])
    for x, y in ((a, b), (b, a), (a[::-1], b[::2].repeat(2))):
        got, want = complex_extremes(x, y), numpy_result(complex_extremes, x, y)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)


@njit
def complex_literal_times(a):
    return 2j * a, a + 1.5j, a * complex(1, 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16, np.complex64])
def test_a_python_complex_takes_the_precision_of_float32_arrays(dtype):
    a = np.array([[1.5, -2.0], [0.25, 3.0]]).astype(dtype)
    for x in layouts(a):
        assert_same(complex_literal_times(x), numpy_result(complex_literal_times, x))


@njit
def store_all(target, value):
    target[...] = value
    return target


@njit
def store_comparison(a):
    row_sums = a.sum(axis=1)
    row_sums[...] = a[::2] == row_sums.copy()
    return row_sums


@pytest.mark.parametrize("dtype", [np.int8, np.uint32, np.float32, np.float64, np.complex128])
def test_a_value_with_leading_axes_of_one_stores_like_numpy(dtype):
    for target_shape, value_shape in [((4,), (1, 4)), ((2, 3), (1, 1, 2, 3)), ((4,), (1, 1)), ((2, 3), (1, 3))]:
        value = np.arange(int(np.prod(value_shape))).reshape(value_shape).astype(dtype)
        for target in layouts(np.zeros(target_shape, dtype=dtype)):
            assert_same(store_all(target.copy(), value), store_all.py_func(target.copy(), value))
    with pytest.raises(ValueError, match="could not broadcast"):
        store_all(np.zeros(3, dtype=dtype), np.ones((2, 3), dtype=dtype))
    a = np.array([[3]], dtype=np.uint32)
    assert_same(store_comparison(a), store_comparison.py_func(a))


# ---- in-place operators cast back by NumPy's 'same_kind' rule -------------------------------

def _multiply_in_place(a, b):
    a[::-1] *= b
    return a


def _add_in_place(a, b):
    a += b
    return a


IN_PLACE_DTYPES = [np.bool_, np.uint8, np.uint32, np.uint64, np.int8, np.int32, np.int64, np.float32, np.float64,
                   np.complex128]


@pytest.mark.parametrize("function", [_multiply_in_place, _add_in_place])
@pytest.mark.parametrize("target", IN_PLACE_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("value", IN_PLACE_DTYPES, ids=lambda d: np.dtype(d).name)
def test_in_place_operators_refuse_what_numpy_refuses(function, target, value):
    a = np.arange(1, 5).astype(target)
    b = np.arange(2, 6).astype(value)
    try:
        with np.errstate(all="ignore"):
            expected = function(a.copy(), b)
    except TypeError:  # NumPy's UFuncTypeError: the result does not cast back 'same_kind'
        with pytest.raises(TypingError, match="same_kind"):
            njit(function)(a.copy(), b)
        return
    got = njit(function)(a.copy(), b)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
