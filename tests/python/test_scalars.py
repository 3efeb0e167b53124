"""Scalar arithmetic, comparisons, logic and type unification, on NumPy scalars
of every dtype and on Python scalars."""
import numpy as np
import pytest

from numjit import njit

from conftest import (ALL_DTYPES, COMPLEX_DTYPES, FLOAT_DTYPES, INT_DTYPES, NUMERIC_DTYPES, SIGNED_DTYPES,
                      UNSIGNED_DTYPES, check, dtype_id)


@njit
def identity(a):
    return a


@njit
def arithmetic(a, b):
    return a + b, a - b, a * b, a / b


@njit
def ordering(a, b):
    return a < b, a <= b, a == b, a != b, a > b, a >= b


@njit
def equality(a, b):
    return a == b, a != b


@njit
def floordiv_mod(a, b):
    return a // b, a % b


@njit
def power(a, b):
    return a ** b


@njit
def bitwise(a, b):
    return a & b, a | b, a ^ b, a << 2, a >> 1, ~a


@njit
def bool_bitwise(a, b):
    return a & b, a | b, a ^ b


@njit
def negate(a):
    return -a, +a, abs(a)


@njit
def logic(a, b):
    return a and b, a or b, not a, (not a) or b


# ---- values of every dtype ----------------------------------------------------

def _extremes(dtype):
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return [info.min, info.max, 0, 1]
    if np.dtype(dtype).kind == "b":
        return [True, False]
    info = np.finfo(dtype)
    return [info.min, info.max, info.tiny, 0.0, -1.5, np.inf, -np.inf] + ([1 - 2j] if np.dtype(dtype).kind == "c" else [])


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
def test_identity_round_trips_extremes(dtype):
    for value in _extremes(dtype):
        check(identity, dtype(value))


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("a, b", [(7, 3), (12, 8), (5, 5), (1, 1)])
def test_arithmetic_same_dtype(dtype, a, b):
    # a >= b keeps unsigned subtraction away from wraparound, where NumPy (the
    # dtype's width) and Numba (64 bits) differ.
    check(arithmetic, dtype(a), dtype(b))


@pytest.mark.parametrize("dtype", INT_DTYPES + FLOAT_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("a, b", [(7, 3), (3, 7), (5, 5), (0, 1)])
def test_ordering_same_dtype(dtype, a, b):
    check(ordering, dtype(a), dtype(b))


@pytest.mark.parametrize("dtype", COMPLEX_DTYPES, ids=dtype_id)
def test_complex_equality(dtype):
    check(equality, dtype(1 + 2j), dtype(1 + 2j))
    check(equality, dtype(1 + 2j), dtype(1 - 2j))
    check(arithmetic, dtype(3 - 1j), dtype(0.5 + 2j))


@pytest.mark.parametrize("a_type, b_type", [
    (np.int32, np.float64), (np.int64, np.float32), (np.uint8, np.int16), (np.int8, np.int64),
    (np.float32, np.float64), (np.float32, np.complex128), (np.int64, np.complex64), (np.uint32, np.float32),
    (np.uint16, np.uint64), (np.bool_, np.float64),
], ids=lambda t: np.dtype(t).name)
def test_mixed_dtypes(a_type, b_type):
    check(arithmetic, a_type(6), b_type(4))
    if np.dtype(b_type).kind != "c":
        check(ordering, a_type(6), b_type(4))
        check(ordering, a_type(1), b_type(1))


@pytest.mark.parametrize("a, b", [
    (7, 2), (2.5, 4), (3, 0.5), (1 + 2j, 3), (2.0, 1 - 1j), (True, 3), (True, 2.5), (-9, 4),
])
def test_python_scalars(a, b):
    check(arithmetic, a, b)
    if not isinstance(a, complex) and not isinstance(b, complex):
        check(ordering, a, b)


def test_python_bools():
    for a in (True, False):
        for b in (True, False):
            check(logic, a, b)
            check(equality, a, b)
            check(ordering, a, b)
    assert arithmetic(True, True)[:3] == (2, 0, 1)  # bool arithmetic is integer arithmetic


@pytest.mark.parametrize("a", [True, False])
@pytest.mark.parametrize("b", [True, False])
def test_numpy_bool_logic(a, b):
    check(logic, np.bool_(a), np.bool_(b))
    check(equality, np.bool_(a), np.bool_(b))
    check(bool_bitwise, np.bool_(a), np.bool_(b))
    check(bool_bitwise, a, b)


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("a, b", [(12, 10), (1, 0), (30, 3)])
def test_bitwise(dtype, a, b):
    check(bitwise, dtype(a), dtype(b))


@pytest.mark.parametrize("dtype", SIGNED_DTYPES + FLOAT_DTYPES + COMPLEX_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("a", [5, -3, 0])
def test_unary(dtype, a):
    check(negate, dtype(a))


# ---- Python's division rules ------------------------------------------------

SIGNED_PAIRS = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, 3), (-6, 3), (1, 7), (-1, 7)]


@pytest.mark.parametrize("a, b", SIGNED_PAIRS)
def test_floordiv_mod_python_ints(a, b):
    got = check(floordiv_mod, a, b)
    assert got == (a // b, a % b)


@pytest.mark.parametrize("dtype", SIGNED_DTYPES + FLOAT_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("a, b", SIGNED_PAIRS)
def test_floordiv_mod_signed_dtypes(dtype, a, b):
    check(floordiv_mod, dtype(a), dtype(b))


@pytest.mark.parametrize("dtype", UNSIGNED_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("a, b", [(7, 2), (0, 3), (200, 7), (3, 9)])
def test_floordiv_mod_unsigned(dtype, a, b):
    check(floordiv_mod, dtype(a), dtype(b))


@pytest.mark.parametrize("a, b", [(-7.5, 2.0), (7.5, -2.0), (-7.5, -2.0), (0.5, 0.25), (-0.1, 1.0), (5.0, 0.3)])
def test_floordiv_mod_python_floats(a, b):
    got = check(floordiv_mod, a, b)
    assert got == (a // b, a % b)


def test_true_division_of_ints_is_float():
    got = check(arithmetic, 7, 2)
    assert got[3] == 3.5 and isinstance(got[3], float)
    assert check(arithmetic, -7, 2)[3] == -3.5


@pytest.mark.parametrize("a, b", [(2, 10), (-3, 3), (7, 0), (0, 0), (2.0, 0.5), (-2.0, 3.0), (2, 0.5),
                                  (2.5, -2), (9.0, 0.5), (1 + 1j, 2), (2, 62)])
def test_power(a, b):
    check(power, a, b)


@pytest.mark.parametrize("dtype", INT_DTYPES + FLOAT_DTYPES, ids=dtype_id)
def test_power_dtypes(dtype):
    check(power, dtype(3), dtype(3))
    check(power, dtype(2), 0.5)


@pytest.mark.parametrize("op", [floordiv_mod, arithmetic])
@pytest.mark.parametrize("a, b", [(1, 0), (-5, 0), (1.0, 0.0), (0.0, 0.0)])
def test_division_by_zero_raises(op, a, b):
    with pytest.raises(ZeroDivisionError):
        op(a, b)
    check(op, a, b)  # and plain Python agrees
    assert op(6, 4)[0] == op.py_func(6, 4)[0]  # the dispatcher still works


# ---- Numba's integer semantics ------------------------------------------------

def test_int64_wraparound():
    @njit
    def mul(a, b):
        return a * b

    @njit
    def add(a, b):
        return a + b

    assert mul(2**62, 4) == 0  # plain Python gives 2**64
    assert mul(2**62, 2) == -(2**63)
    assert add(2**63 - 1, 1) == -(2**63)
    assert add(-(2**63), -1) == 2**63 - 1
    assert mul(3, 5) == 15


def test_integer_accumulator_wraps():
    @njit
    def powers_of_two(n):
        x = 1
        for _ in range(n):
            x *= 2
        return x

    assert powers_of_two(62) == 2**62
    assert powers_of_two(63) == -(2**63)
    assert powers_of_two(64) == 0


# ---- statements and unification ------------------------------------------------

def test_int_variable_becomes_float():
    @njit
    def half_steps(n):
        s = 0
        for _ in range(n):
            s += 0.5
        return s

    for n in (0, 1, 3):
        got = half_steps(n)
        assert got == n / 2 and isinstance(got, float)


def test_returns_unify_int_and_float():
    @njit
    def pick(x):
        if x > 0:
            return 1
        return 2.5

    assert pick(-1.0) == 2.5
    got = pick(1.0)
    assert got == 1.0 and isinstance(got, float)  # Python would give int 1


def test_optional_return():
    @njit
    def positive_double(x):
        if x > 0:
            return x * 2
        return None

    @njit
    def maybe(x):
        if x > 0:
            return x + 1

    for f in (positive_double, maybe):
        for x in (3, -1, 0, 2.5, -2.5):
            check(f, x)


def test_implicit_return_none():
    @njit
    def nothing(a):
        a += 1

    assert nothing(1) is None
    assert nothing(1.5) is None


@pytest.mark.parametrize("x", [-5, 0, 1, 3, 7, 10, 2.5])
def test_chained_comparisons_and_logic(x):
    @njit
    def classify(x):
        inside = 0 <= x < 5
        between = 1 < x <= 3 < 7
        edge = not (x == 0 or x == 7) and x != 1
        label = 1 if inside and not between else (2 if between else 3)
        return inside, between, edge, label

    check(classify, x)


@pytest.mark.parametrize("a, b", [(7, 3), (-7, 3), (2.5, 0.5), (-9.0, 4.0)])
def test_augmented_assignment(a, b):
    @njit
    def augmented(a, b):
        x = a
        x += b
        x *= b
        x -= a
        y = a
        y //= b
        z = a
        z %= b
        w = a
        w **= 2
        v = a
        v /= b
        return x, y, z, w, v

    check(augmented, a, b)


@pytest.mark.parametrize("a, b", [(12, 3), (-12, 2), (255, 4)])
def test_augmented_bitwise(a, b):
    @njit
    def bits(a, b):
        x = a
        x &= 0xF0
        x |= b
        x ^= 5
        x <<= b
        x >>= 1
        return x

    check(bits, a, b)


def accumulate_into_parameter(x, s):
    for i in range(x.shape[0]):
        s += x[i]
    return s


@pytest.mark.parametrize("start", [0, 3, np.int32(2), True])
@pytest.mark.parametrize("n", [0, 1, 7])
def test_parameter_widens_like_a_local(start, n):
    # Numba lets an argument's variable take a wider type (int s += float).
    f = njit(accumulate_into_parameter)
    x = np.linspace(0.5, 3.0, n)
    got = f(x, start)
    assert got == pytest.approx(float(f.py_func(x, start)), rel=1e-12)  # Numba returns the widened float
    assert isinstance(got, float) or n == 0


def optional_arithmetic(x):
    y = None
    if x > 0:
        y = x
    return y + 1, -y, y > 2, abs(y)


@pytest.mark.parametrize("x", [4.0, 0.5, 3])
def test_optional_values_are_used_as_their_payload(x):
    # As in Numba: an optional is usable as its value, checked at run time.
    f = njit(optional_arithmetic)
    assert f(x) == f.py_func(x)


@pytest.mark.parametrize("x", [-1.0, 0])
def test_optional_that_is_none_raises_type_error(x):
    f = njit(optional_arithmetic)
    with pytest.raises(TypeError, match="got None"):
        f(x)
    assert f(2.0) == f.py_func(2.0)  # the dispatcher keeps working


@njit
def round_integer(n, digits):
    return round(n, digits)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16, np.uint32, np.uint64])
@pytest.mark.parametrize("digits", [2, 0, -1, -2, -3, -25])
def test_round_of_an_integer_to_negative_digits_is_python_s(dtype, digits):
    values = [0, 5, 15, 25, 35, 44, 45, 46, 149, 150, 250, 251, 999, 12345]
    values += [-v for v in values] if np.issubdtype(dtype, np.signedinteger) else []
    for v in values:
        got = round_integer(dtype(v), digits)
        assert got == round(v, digits), (v, digits)
        assert isinstance(got, (int, np.integer))
