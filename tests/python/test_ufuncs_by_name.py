"""NumPy's ufuncs called by name in compiled code (library/numpy_ufuncs.cpp,
types/infer_ufuncs.cpp): arrays of every dtype and layout, array and scalar
operands, scalars alone, an output array (positional and out=), the
.reduce/.accumulate/.outer methods and the ufuncs with two results, each
compared with NumPy running the same function (`.py_func`)."""
import warnings

import numpy as np
import pytest
from conftest import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, LAYOUTS, RTOL_SINGLE, assert_same, check, make_array

from numjit import njit
from numjit.errors import TypingError

BINARY = ["add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "remainder", "mod", "float_power",
          "logaddexp", "logaddexp2", "nextafter", "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift",
          "right_shift", "gcd", "lcm", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
UNARY = ["negative", "positive", "invert", "bitwise_not", "square", "reciprocal", "signbit", "spacing"]


@njit
def b_add(x, y): return np.add(x, y)
@njit
def b_subtract(x, y): return np.subtract(x, y)
@njit
def b_multiply(x, y): return np.multiply(x, y)
@njit
def b_divide(x, y): return np.divide(x, y)
@njit
def b_true_divide(x, y): return np.true_divide(x, y)
@njit
def b_floor_divide(x, y): return np.floor_divide(x, y)
@njit
def b_remainder(x, y): return np.remainder(x, y)
@njit
def b_mod(x, y): return np.mod(x, y)
@njit
def b_float_power(x, y): return np.float_power(x, y)
@njit
def b_logaddexp(x, y): return np.logaddexp(x, y)
@njit
def b_logaddexp2(x, y): return np.logaddexp2(x, y)
@njit
def b_nextafter(x, y): return np.nextafter(x, y)
@njit
def b_bitwise_and(x, y): return np.bitwise_and(x, y)
@njit
def b_bitwise_or(x, y): return np.bitwise_or(x, y)
@njit
def b_bitwise_xor(x, y): return np.bitwise_xor(x, y)
@njit
def b_left_shift(x, y): return np.left_shift(x, y)
@njit
def b_right_shift(x, y): return np.right_shift(x, y)
@njit
def b_gcd(x, y): return np.gcd(x, y)
@njit
def b_lcm(x, y): return np.lcm(x, y)
@njit
def b_equal(x, y): return np.equal(x, y)
@njit
def b_not_equal(x, y): return np.not_equal(x, y)
@njit
def b_less(x, y): return np.less(x, y)
@njit
def b_less_equal(x, y): return np.less_equal(x, y)
@njit
def b_greater(x, y): return np.greater(x, y)
@njit
def b_greater_equal(x, y): return np.greater_equal(x, y)


@njit
def u_negative(x): return np.negative(x)
@njit
def u_positive(x): return np.positive(x)
@njit
def u_invert(x): return np.invert(x)
@njit
def u_bitwise_not(x): return np.bitwise_not(x)
@njit
def u_square(x): return np.square(x)
@njit
def u_reciprocal(x): return np.reciprocal(x)
@njit
def u_signbit(x): return np.signbit(x)
@njit
def u_spacing(x): return np.spacing(x)


BINARY_FUNCTIONS = {name: globals()["b_" + name] for name in BINARY}
UNARY_FUNCTIONS = {name: globals()["u_" + name] for name in UNARY}


def numpy_accepts(function, *args):
    """Whether NumPy itself runs the function on these arguments (its refusals are TypeErrors)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            function.py_func(*args)
        return True
    except TypeError:
        return False


def _without_half(value):
    """NumPy's float16 results as float32, the type numjit computes them in."""
    if getattr(value, "dtype", None) == np.float16:
        return value.astype(np.float32)
    return value


# Answers about float16's own precision, which numjit (without float16) refuses.
HALF_PRECISION_ONLY = ("spacing", "nextafter")


def check_or_refused(function, *args):
    """Compares with NumPy where NumPy runs the call; where NumPy refuses the
    types, compiled code must refuse them at compile time too. Where NumPy
    picks its float16 loop (bools and 8-bit integers), numjit computes in
    float32, compared at float16's precision."""
    eight_bits = any(np.asarray(a).dtype.itemsize == 1 for a in args if not isinstance(a, (int, float)))
    half_only = function.__name__[2:] in HALF_PRECISION_ONLY and eight_bits
    if half_only or not numpy_accepts(function, *args):
        with pytest.raises(TypingError):
            function(*args)
        return
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        expected = function.py_func(*args)
        single = getattr(expected, "dtype", None) in (np.float32, np.complex64)
        if getattr(expected, "dtype", None) != np.float16:
            check(function, *args, rtol=RTOL_SINGLE if single else None)
            return
        assert_same(function(*args), _without_half(expected), rtol=1e-3, atol=1e-3)


def operands(dtype, shape, layout, seed):
    a = make_array(shape, dtype, layout, seed)
    if np.dtype(dtype).kind in "iu":
        a = a % 9  # small counts, so shifts stay in range and lcm does not overflow
    return a


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_binary_ufuncs_on_arrays_match_numpy(name, dtype):
    f = BINARY_FUNCTIONS[name]
    for shape, layout in (((7,), "C"), ((3, 4), "F"), ((3, 5), "strided"), ((0,), "C"), ((1,), "C")):
        x = operands(dtype, shape, layout, 1)
        y = operands(dtype, shape, "C", 2)
        check_or_refused(f, x, y)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int64, np.float32, np.float64, np.complex128, np.bool_])
def test_binary_ufuncs_with_a_scalar_and_broadcasting(name, dtype):
    f = BINARY_FUNCTIONS[name]
    x = operands(dtype, (3, 4), "C", 3)
    row = operands(dtype, (4,), "C", 4)
    check_or_refused(f, x, row)
    check_or_refused(f, row.reshape(4, 1), row)
    for scalar in (3, 2.5, True):
        check_or_refused(f, x, scalar)
        check_or_refused(f, scalar, x)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.float32, np.float64, np.complex128, np.bool_])
def test_binary_ufuncs_on_scalars_follow_numpy(name, dtype):
    f = BINARY_FUNCTIONS[name]
    values = [dtype(v) for v in ([True, False] if dtype is np.bool_ else [5, 3, 0, 1])]
    for x in values:
        for y in values:
            check_or_refused(f, x, y)


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_unary_ufuncs_match_numpy(name, dtype, layout):
    f = UNARY_FUNCTIONS[name]
    check_or_refused(f, operands(dtype, (3, 4), layout, 5))
    check_or_refused(f, operands(dtype, (0,), "C", 5))
    check_or_refused(f, dtype(3))


def test_float_edge_values_match_numpy():
    x = np.array([0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan, 1e308, -1e-310, 3.0])
    y = np.array([np.inf, -np.inf, 0.0, -0.0, np.inf, -np.inf, 1.0, 1e308, 2.0, np.nan])
    for dtype in FLOAT_DTYPES:
        a, b = x.astype(dtype), y.astype(dtype)
        for name in ("logaddexp", "logaddexp2", "nextafter", "floor_divide", "remainder", "divide", "float_power",
                     "less", "equal"):
            check_or_refused(BINARY_FUNCTIONS[name], a, b)
        for name in ("signbit", "spacing", "reciprocal", "negative", "square"):
            check_or_refused(UNARY_FUNCTIONS[name], a)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_integer_edge_values_match_numpy(dtype):
    info = np.iinfo(dtype)
    wrap = 1 << (8 * np.dtype(dtype).itemsize)
    x = np.array([v % wrap if info.min == 0 else v for v in (0, 1, -1, info.min, info.max, 7, -7, 100)], dtype)
    y = np.array([v % wrap if info.min == 0 else v for v in (0, 0, 3, -1, 70, 2, 64, -3)], dtype)
    for name in ("floor_divide", "remainder", "left_shift", "right_shift", "gcd", "lcm", "bitwise_xor", "less"):
        check_or_refused(BINARY_FUNCTIONS[name], x, y)
    for name in ("reciprocal", "negative", "invert", "square", "signbit"):
        check_or_refused(UNARY_FUNCTIONS[name], x)


@njit
def add_into(x, y, out):
    return np.add(x, y, out)


@njit
def multiply_into_keyword(x, y, out):
    result = np.multiply(x, y, out=out)
    return result is not None, out.sum()


@njit
def sin_into(x, out):
    np.sin(x, out=out)
    return out


@njit
def less_into(x, y, out):
    return np.less(x, y, out=out)


@njit
def out_none(x, y):
    return np.subtract(x, y, out=None)


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.float64, np.complex128])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_output_arrays_receive_the_result(dtype, layout):
    x = make_array((3, 4), dtype, "C", 1)
    y = make_array((4,), dtype, "C", 2)
    out = make_array((3, 4), dtype, layout, 3)
    check(add_into, x, y, out)
    check(multiply_into_keyword, x, y, make_array((3, 4), dtype, layout, 4))
    check(out_none, x, y)
    if dtype is not np.int32:
        check(sin_into, x, make_array((3, 4), dtype, layout, 5))
    check(less_into, x, y, np.zeros((3, 4), np.bool_))


def test_output_array_is_the_same_object_and_casts_up():
    x = np.arange(6, dtype=np.int32)
    out = np.zeros(6, np.float64)
    result = add_into(x, x, out)
    assert result is not None and np.shares_memory(result, out)
    np.testing.assert_array_equal(out, 2.0 * np.arange(6))


def test_output_array_errors_are_located():
    with pytest.raises(TypingError, match="same_kind"):
        add_into(np.ones(3), np.ones(3), np.zeros(3, np.int64))
    with pytest.raises(TypingError, match="fewer than its result"):
        add_into(np.ones((2, 3)), np.ones(3), np.zeros(3))


@njit
def reductions(a):
    return (np.add.reduce(a), np.multiply.reduce(a), np.maximum.reduce(a), np.minimum.reduce(a),
            np.logical_and.reduce(a), np.logical_or.reduce(a))


@njit
def reductions_along(a, axis):
    return np.add.reduce(a, axis=axis), np.maximum.reduce(a, axis), np.add.reduce(a, axis=None)


@njit
def scans(a):
    return np.add.accumulate(a), np.multiply.accumulate(a), np.maximum.accumulate(a), np.minimum.accumulate(a)


@njit
def scans_along(a, axis):
    return np.add.accumulate(a, axis), np.bitwise_or.accumulate(a > 2, axis=axis)


@njit
def outers(a, b):
    return np.subtract.outer(a, b), np.multiply.outer(a, b), np.less.outer(a, b), np.add.outer(a, b)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.float32, np.float64, np.bool_])
def test_reduce_and_accumulate_match_numpy(dtype):
    for n in (1, 7):
        a = make_array((n,), dtype, "C", 1)
        check(reductions, a)
        if dtype is not np.bool_:
            check(scans, a)
    m = make_array((3, 4), dtype, "F", 2)
    for axis in (0, 1, -1):
        check(reductions_along, m, axis)
        if dtype is not np.bool_:
            check(scans_along, m, axis)


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.complex128])
def test_outer_matches_numpy(dtype):
    check(outers, make_array((4,), dtype, "C", 1), make_array((3,), dtype, "strided", 2))
    check(outers, make_array((2, 2), dtype, "C", 1), make_array((3,), dtype, "C", 2))


@njit
def two_results(x):
    mantissa, exponent = np.frexp(x)
    fraction, whole = np.modf(x)
    return mantissa, exponent, fraction, whole


@njit
def quotient_and_remainder(x, y):
    return np.divmod(x, y)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_frexp_modf_divmod_match_numpy(dtype):
    x = np.array([0.0, -0.0, 8.0, -3.75, 1e-310, np.inf, -np.inf, np.nan, 12.5], dtype=dtype)
    check(two_results, x)
    check(two_results, dtype(-3.75))
    check(quotient_and_remainder, x, np.full(9, -2.5, dtype))
    check(quotient_and_remainder, np.arange(-5, 5), 3)


@njit
def fused(x, y):
    return np.sqrt(np.add(np.square(x), np.square(y))) * np.negative(np.reciprocal(np.add(x, 1.0)))


def test_ufuncs_by_name_fuse_with_array_expressions():
    x = np.linspace(0.0, 3.0, 11)
    check(fused, x, x[::-1].copy())


@njit
def wrong_arity(x):
    return np.add(x)


def test_wrong_argument_counts_are_typing_errors():
    with pytest.raises(TypingError, match="np.add"):
        wrong_arity(np.ones(3))
    with pytest.raises(TypingError):
        u_negative(np.array([True]))
    with pytest.raises(TypingError):
        b_subtract(np.array([True]), np.array([False]))


def test_python_shift_counts_behave_as_numpy_past_the_width():
    @njit
    def shifts(x, n):
        return x << n, x >> n

    assert_same(shifts(np.int64(-5), 70), (0, -1))
    assert_same(shifts(np.int64(5), 64), (0, 0))
    with pytest.raises(ValueError, match="negative shift count"):
        shifts(1, -1)


@njit
def scaled(x, n):
    return np.ldexp(x, n)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_ldexp_matches_numpy(dtype):
    x = make_array((6,), dtype, "C", 1)
    check(scaled, x, np.array([0, 1, -3, 10, 2000, -2000]))
    check(scaled, x, 3)
    check(scaled, dtype(3), -2)
