"""Whole-array expressions in compiled code: arithmetic and comparison
operators between arrays, arrays and scalars, broadcasting, NumPy 2's dtype
promotion, ufunc calls on arrays, and shape mismatches raising ValueError."""
import re

import numpy as np
import pytest

from numjit import njit

from conftest import SIZES, check, dtype_id, make_array, random_floats

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128]
ARITHMETIC = ["+", "-", "*", "/", "//", "%", "**"]
COMPARISONS = ["<", "<=", ">", ">=", "==", "!="]


@njit
def add(a, b):
    return a + b


@njit
def sub(a, b):
    return a - b


@njit
def mul(a, b):
    return a * b


@njit
def truediv(a, b):
    return a / b


@njit
def floordiv(a, b):
    return a // b


@njit
def mod(a, b):
    return a % b


@njit
def power(a, b):
    return a ** b


@njit
def lt(a, b):
    return a < b


@njit
def le(a, b):
    return a <= b


@njit
def gt(a, b):
    return a > b


@njit
def ge(a, b):
    return a >= b


@njit
def eq(a, b):
    return a == b


@njit
def ne(a, b):
    return a != b


@njit
def negative(a):
    return -a


OPS = {"+": add, "-": sub, "*": mul, "/": truediv, "//": floordiv, "%": mod, "**": power,
       "<": lt, "<=": le, ">": gt, ">=": ge, "==": eq, "!=": ne}


def supported(op, dtype):
    """NumPy has no floor division or modulo for complex numbers (it orders
    them lexicographically; Numba does not compare them with < <= > >=)."""
    return np.dtype(dtype).kind != "c" or op not in ("//", "%")


def op_cases(dtypes, ops):
    return [pytest.param(op, d, id=f"{op}-{dtype_id(d)}") for op in ops for d in dtypes if supported(op, d)]


def relayout(c, layout):
    """The values of C array ``c`` laid out as make_array's layouts."""
    if layout == "C":
        return c
    if layout == "F":
        return np.asfortranarray(c)
    if layout == "strided":
        wide = np.zeros(c.shape[:-1] + (2 * c.shape[-1],), c.dtype)
        wide[..., ::2] = c
        return wide[..., ::2]
    if layout == "transposed":
        return np.ascontiguousarray(c.T).T
    raise ValueError(layout)


def operands(op, dtype, shape, layouts):
    """Left operand with negative values; right operand never zero (1..7), and
    small non-negative exponents for **."""
    a = make_array(shape, dtype, seed=1)
    if np.dtype(dtype).kind != "u":
        a = a - 4
    b = make_array(shape, dtype, seed=2)
    if op == "**":
        b = (b.real % 3).astype(dtype)
    return relayout(a, layouts[0]), relayout(b, layouts[1])


SHAPE_LAYOUTS = [((n,), ("C", "C")) for n in SIZES] + [((7,), ("strided", "C")), ((1000,), ("C", "strided"))] + [
    ((3, 5), ("C", "C")), ((3, 5), ("F", "F")), ((3, 5), ("C", "F")), ((40, 25), ("strided", "transposed")),
    ((0, 4), ("F", "C"))]


@pytest.mark.parametrize("op, dtype", op_cases(DTYPES, ARITHMETIC + COMPARISONS))
def test_array_op_array(op, dtype):
    for shape, layouts in SHAPE_LAYOUTS:
        a, b = operands(op, dtype, shape, layouts)
        check(OPS[op], a, b, rtol=1e-10 if op == "**" else None)


@pytest.mark.parametrize("op, dtype", op_cases(DTYPES, ARITHMETIC + COMPARISONS))
def test_array_op_scalar_both_orders(op, dtype):
    scalar = np.dtype(dtype).type(2)  # a scalar of the array's own type: every rule agrees on the result type
    for shape, layout in (((0,), "C"), ((7,), "C"), ((1000,), "strided"), ((3, 5), "F"), ((4, 6), "transposed")):
        a = make_array(shape, dtype, layout)  # 1..7: never zero
        check(OPS[op], a, scalar)
        check(OPS[op], scalar, a)


@pytest.mark.parametrize("op", [op for op in OPS if not supported(op, np.complex128)])
def test_complex_floor_division_and_modulo_raise_type_error(op):
    # NumPy raises a UFuncTypeError (a TypeError); compiled code cannot be typed
    # (numjit's TypingError is a TypeError; Numba's is not).
    a = make_array((4,), np.complex128)
    with pytest.raises(TypeError):
        OPS[op].py_func(a, a)
    with pytest.raises(TypeError):
        OPS[op](a, a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((7,), "C"), ((1000,), "strided"), ((3, 5), "F"),
                                           ((40, 25), "transposed")])
def test_unary_negative(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    check(negative, a)
    check(negative, relayout(make_array(shape, dtype) - 4, layout))


# ---- literals (NumPy 2: Python scalars are "weak" and keep the array's dtype) -------------

@njit
def with_int_literals(a):
    return (a + 3, 3 + a, a - 3, 3 - a, a * 3, 3 * a, a / 2, 2 / a, a // 2, 7 // a, a % 3, 7 % a,
            a ** 2, 2 ** a, a < 3, 3 <= a, a > 3, a == 3, 3 != a)


@njit
def with_float_literals(a):
    return (a + 1.5, 1.5 + a, a - 0.5, 0.5 - a, a * 2.0, 2.0 * a, a / 2.0, 3.0 / a, a // 2.0, 7.5 // a,
            a % 2.5, 7.5 % a, a ** 2.0, 2.0 ** a, a < 2.5, 2.5 <= a, a > 2.5, a == 3.0, 3.0 != a)


@njit
def with_complex_literals(a):
    return a + 1j, 2j * a, a - (1 + 1j), a / (2 + 0j), a == 1j


# Numba widens here: it types 3 as int64 and 2.0 as float64, so an int32 array
# + 3 gives int64 and a float32 array * 2.0 gives float64 (and a float32 array's
# ** 2 or 2.0 ** a likewise); NumPy 2 keeps int32 and float32.
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((7,), "C"), ((1000,), "strided"), ((3, 5), "F")])
def test_python_scalar_literals(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    check(with_int_literals, a)
    check(with_float_literals, a)


# Numba widens a complex64 array + 1j to complex128; NumPy 2 keeps complex64.
@pytest.mark.parametrize("dtype", [np.complex128, np.float64, np.complex64], ids=dtype_id)
def test_complex_literals(dtype):
    check(with_complex_literals, make_array((7,), dtype))


# ---- dtype promotion --------------------------------------------------------------------

PROMOTIONS = [
    (np.int32, np.float64, "*"),     # float64
    (np.int32, np.int64, "+"),       # int64
    (np.int32, np.int32, "/"),       # float64
    (np.int64, np.int64, "/"),       # float64
    (np.float32, np.float32, "*"),   # float32
    (np.float32, np.int32, "+"),     # float64 (Numba: float32)
    (np.float32, np.float64, "-"),   # float64
    (np.float32, np.int8, "*"),      # float32
    (np.int8, np.uint8, "+"),        # int16
    (np.uint32, np.int32, "*"),      # int64
    (np.uint64, np.int64, "+"),      # float64
    (np.complex64, np.float64, "*"), # complex128
    (np.bool_, np.bool_, "+"),       # bool (logical or)
    (np.bool_, np.int32, "*"),       # int32
    (np.int16, np.float32, "/"),     # float32
]


@pytest.mark.parametrize("left, right, op", PROMOTIONS, ids=lambda v: v if isinstance(v, str) else dtype_id(v))
def test_dtype_promotion_between_arrays(left, right, op):
    for shape in ((0,), (7,), (3, 4)):
        check(OPS[op], make_array(shape, left, seed=1), make_array(shape, right, seed=2))


@njit
def float32_times_two(a):
    return a * 2.0


@njit
def int32_plus_one(a):
    return a + 1


@njit
def int_div_int(a, b):
    return a / b


def test_promotion_examples():
    # Numba gives float64 and int64 for the first two (see test_python_scalar_literals).
    assert check(float32_times_two, make_array((5,), np.float32)).dtype == np.float32
    assert check(int32_plus_one, make_array((5,), np.int32)).dtype == np.int32
    assert check(int_div_int, make_array((5,), np.int64), make_array((5,), np.int32)).dtype == np.float64
    assert check(mul, make_array((5,), np.int32), make_array((5,), np.float64)).dtype == np.float64


# ---- broadcasting ---------------------------------------------------------------------------

BROADCASTS = [((4, 5), (5,)), ((5,), (4, 5)), ((4, 1), (6,)), ((6,), (4, 1)), ((1, 6), (4, 1)), ((1,), (9,)),
              ((3, 1), (3, 7)), ((0, 3), (3,)), ((3,), (0, 3)), ((5, 1), (0,)), ((1, 1), (2, 3)), ((40, 1), (1, 25))]


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "<", "=="])
@pytest.mark.parametrize("left, right", BROADCASTS)
def test_broadcasting(left, right, op):
    a = make_array(left, np.float64, seed=1) - 4
    b = make_array(right, np.int64, seed=2)
    check(OPS[op], a, b)
    if len(left) == 2 and left[1] > 0:
        check(OPS[op], relayout(a, "F"), b)


# ---- ufuncs -------------------------------------------------------------------------------

@njit
def ufuncs_one(x):
    return np.sqrt(x), np.exp(x), np.sin(x), np.abs(x), np.arctan(x)


@njit
def ufuncs_two(x, y):
    return np.maximum(x, y), np.minimum(x, y), np.sqrt(x * x + y * y)


@njit
def arctan_scaled(X, i, j):
    return np.arctan(X * i * j)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((1,), "C"), ((7,), "strided"), ((1000,), "C"),
                                           ((3, 5), "F"), ((40, 25), "transposed")])
def test_ufuncs_on_arrays(dtype, shape, layout):
    x = relayout(make_array(shape, dtype, seed=1) - 3, layout)  # negative values: sqrt gives nan
    y = make_array(shape, dtype, layout, seed=2)
    check(ufuncs_one, x, rtol=1e-5 if dtype == np.float32 else 1e-12)
    check(ufuncs_two, x, y)  # complex: lexicographic maximum and minimum
    if dtype != np.float32:
        # float32 * i (an int argument) is float32 in NumPy, where i is a weak
        # Python int, but i is an int64 variable in compiled code.
        check(arctan_scaled, y, 3, 2)
        check(arctan_scaled, y, 0.5, -1.5)


@pytest.mark.parametrize("n", SIZES)
def test_random_floats(n):
    x, y = random_floats(n, seed=1), random_floats(n, seed=2)
    check(ufuncs_one, np.abs(x))
    check(ufuncs_two, x, y)
    check(ufuncs_one, x.astype(np.float32) + 1, rtol=1e-5)


# ---- larger expressions ----------------------------------------------------------------

@njit
def sum_numpy(X):
    return np.sum(np.arctan(X * 0.5))


@njit
def sum_numpy2(X, n):
    s = 0.0
    for i in range(n):
        for j in range(n):
            s += np.sum(np.arctan(X * i * j))
    return s


@njit
def chained(a, b, c):
    d = a * b + c / 2 - a ** 2
    e = -d * (a > b) + np.sqrt(np.abs(c))
    return d, e, (d < e) == (a != c)


@njit
def in_loop(a, steps):
    x = a
    for _ in range(steps):
        x = 0.5 * x + 1.0 / (1.0 + x * x)
    return x


@pytest.mark.parametrize("n", SIZES)
def test_tutorial_sum_numpy(n):
    X = random_floats(n, seed=3)
    check(sum_numpy, X, rtol=1e-10)
    check(sum_numpy2, X, 4, rtol=1e-10)
    check(sum_numpy, make_array((n,), np.float64, "strided"), rtol=1e-10)


@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((7,), "C"), ((1000,), "strided"), ((5, 6), "F")])
def test_chained_expressions(shape, layout):
    a = make_array(shape, np.float64, layout, seed=1)
    b = make_array(shape, np.float64, layout, seed=2)
    c = make_array(shape, np.int64, layout, seed=3)
    check(chained, a, b, c)
    check(in_loop, a, 5)


# ---- result types and errors ---------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_result_is_a_fresh_ndarray_like_numpys(dtype):
    a, b = make_array((3, 4), dtype, seed=1), make_array((4,), dtype, seed=2)
    for f in (add, mul, eq, truediv):
        got, expected = f(a, b), f.py_func(a, b)
        assert (type(got), got.dtype, got.shape) == (np.ndarray, expected.dtype, expected.shape)
        assert got.flags.writeable and not np.shares_memory(got, a) and not np.shares_memory(got, b)


def shape_pattern(shape):
    """'(2,3)' or '(2, 3)': NumPy writes shapes without spaces."""
    return r"\(" + r",\s*".join(str(n) for n in shape) + (r",\)" if len(shape) == 1 else r"\)")


@pytest.mark.parametrize("left, right", [((3,), (4,)), ((2, 3), (3, 2)), ((4, 5), (4,)), ((0,), (2,))])
def test_shape_mismatch_raises_value_error(left, right):
    a, b = np.ones(left), np.ones(right)
    # NumPy: "operands could not be broadcast together with shapes (3,) (4,)".
    # Numba says "unable to broadcast argument 1 to output array": no shapes.
    for f in (add, lt):
        for call in (f.py_func, f):
            with pytest.raises(ValueError) as info:
                call(a, b)
            message = str(info.value)
            assert re.search(shape_pattern(left), message) and re.search(shape_pattern(right), message), message
