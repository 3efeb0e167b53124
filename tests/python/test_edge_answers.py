"""Edge cases where a compiler can give a wrong number without any error:
overflowing complex division, division-like operators at zero and infinity,
unsigned 64-bit values, integer constants beyond 64 bits, float-to-int of NaN,
bool indices, ndarray subclasses, and numbers asked for array attributes.
Each is compared with Python (.py_func) or NumPy, or must be refused with a
located TypingError."""
import math
import re
import sys

import numpy as np
import pytest

import numjit
from numjit import njit
from numjit.errors import TypingError

# ---- complex division -----------------------------------------------------

HARD_QUOTIENTS = [
    (1 + 2j, 1e308), (1 + 2j, -math.inf), (1e300 + 1e300j, 1e300 + 1e300j), (1 + 1j, 1e-300 + 1e-300j),
    (1e-300 + 1e-300j, 1e-300 + 1e-300j), (1e308 + 1e308j, 1e-308 + 1e-308j), (3 - 4j, 5e-320 + 0j),
    (-2.5 + 7j, 0.5 - 1e200j), (1 + 1j, complex(math.inf, 1)), (1 + 1j, complex(1, -math.inf)),
    (complex(math.inf, 0), 2 + 1j), (1 + 2j, 3 + 4j), (0j, 1 + 1j), (-0.0 - 0j, -1 + 0j),
    (1 + 2j, complex(math.nan, 1)), (complex(1, math.nan), 1 + 1j), (5e-324 + 5e-324j, 5e-324 + 0j),
]


def same_complex(got, want):
    for g, w in ((got.real, want.real), (got.imag, want.imag)):
        if math.isnan(w):
            assert math.isnan(g), (got, want)
        else:
            assert g == pytest.approx(w, rel=4e-16, abs=0) and math.copysign(1, g) == math.copysign(1, w), (got, want)


@njit
def quotient(a, b):
    return a / b


@pytest.mark.parametrize("a,b", HARD_QUOTIENTS)
def test_complex_division_matches_python(a, b):
    same_complex(quotient(a, b), quotient.py_func(a, b))
    # a complex divided by a float (or a float by a complex) takes the same path.
    same_complex(quotient(a, b.real), a / b.real if b.real != 0 else complex(math.nan, math.nan)) if b.real != 0 else None


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_complex_array_division_matches_numpy(dtype, layout):
    a = np.array([q[0] for q in HARD_QUOTIENTS] * 3, dtype=np.complex128)
    b = np.array([q[1] for q in HARD_QUOTIENTS] * 3, dtype=np.complex128)
    with np.errstate(all="ignore"):
        a, b = a.astype(dtype), b.astype(dtype)
    if layout == "strided":
        a, b = np.repeat(a, 2)[::2], np.repeat(b, 2)[::2]
    elif layout == "reversed":
        a, b = a[::-1], b[::-1]
    with np.errstate(all="ignore"):
        want = a / b
        got = quotient(a, b)
    assert got.dtype == want.dtype
    rtol = 4e-16 if dtype == np.complex128 else 3e-7
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0, equal_nan=True)


def test_complex_division_by_zero_raises_like_python():
    with pytest.raises(ZeroDivisionError):
        quotient(1 + 1j, 0j)
    with pytest.raises(ZeroDivisionError):
        quotient.py_func(1 + 1j, 0j)


def test_complex_array_division_by_zero_matches_numpy():
    a = np.array([1 + 1j, 0j, -1 + 0j, complex(math.nan, 0)])
    b = np.zeros(4, np.complex128)
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(quotient(a, b), a / b)


# ---- floor division and remainder -------------------------------------------

SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.5, -7.25, 1e308, -1e308, 5e-324, math.inf, -math.inf, math.nan]


@njit
def floor_div(a, b):
    return a // b


@njit
def remainder(a, b):
    return a % b


@njit
def div_mod(a, b):
    return divmod(a, b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kernel", [floor_div, remainder], ids=["floordiv", "mod"])
def test_float_array_division_like_operators_match_numpy(dtype, kernel):
    with np.errstate(all="ignore"):
        x = np.array([a for a in SPECIAL for _ in SPECIAL]).astype(dtype)
        y = np.array([b for _ in SPECIAL for b in SPECIAL]).astype(dtype)
    with np.errstate(all="ignore"):
        want = kernel.py_func(x, y)
        got = kernel(x, y)
        # scalar on the left, as in the report: 1e308 // np.array([0.0])
        np.testing.assert_array_equal(kernel(dtype(1e30), y), kernel.py_func(dtype(1e30), y))
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def test_the_reported_floor_division_by_zero():
    with np.errstate(all="ignore"):
        assert floor_div(1e308, np.array([0.0]))[0] == np.inf
        assert floor_div(-3.0, np.array([0.0]))[0] == -np.inf
        assert np.isnan(floor_div(0.0, np.array([0.0]))[0])


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.int8])
def test_integer_array_division_by_zero_gives_numpys_zero(dtype):
    x = np.array([-7, 0, 5, 100]).astype(dtype)
    y = np.array([0, 0, 0, 3], dtype=dtype)
    with np.errstate(all="ignore"):
        for kernel in (floor_div, remainder):
            np.testing.assert_array_equal(kernel(x, y), kernel.py_func(x, y))


@pytest.mark.parametrize("a", [a for a in SPECIAL if not math.isnan(a)])
@pytest.mark.parametrize("b", [b for b in SPECIAL if b != 0.0 and not math.isnan(b)])
def test_scalar_float_floor_division_matches_python(a, b):
    for kernel in (floor_div, remainder, div_mod):
        want, got = kernel.py_func(a, b), kernel(a, b)
        np.testing.assert_array_equal(np.array(got), np.array(want))
        np.testing.assert_array_equal(np.signbit(np.array(got)), np.signbit(np.array(want)))


@pytest.mark.parametrize("kernel", [floor_div, remainder, div_mod])
def test_scalar_division_by_zero_raises_like_python(kernel):
    for a, b in ((1.0, 0.0), (1.0, -0.0), (3, 0)):
        with pytest.raises(ZeroDivisionError):
            kernel.py_func(a, b)
        with pytest.raises(ZeroDivisionError):
            kernel(a, b)


# ---- unsigned 64-bit values and integer constants ---------------------------------

@njit
def to_int(x):
    return int(x)


@pytest.mark.parametrize("value", [0, 1, 2**63 - 1, 2**63, 2**64 - 1])
def test_int_of_uint64_keeps_its_value(value):
    assert to_int(np.uint64(value)) == value == to_int.py_func(np.uint64(value))


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32])
def test_int_of_other_integers(dtype):
    info = np.iinfo(dtype)
    for v in (info.min, info.max, 0):
        assert to_int(dtype(v)) == int(v)


def write_module(tmp_path, name, source):
    import importlib.util

    path = tmp_path / f"{name}.py"
    path.write_text("from numjit import njit\nimport numpy as np\n" + source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FOLDED = {
    "2**63": 2**63, "-2**63": -2**63, "2**64 - 1": 2**64 - 1, "(2**64) // 2": 2**63, "1 << 63": 2**63,
    "-(1 << 62) * 2": -2**63, "~0": -1, "3 ** 40 % 1000": 3**40 % 1000, "2**62 + 2**62 - 1": 2**63 - 1,
    "10**18": 10**18, "-2**3": -8, "7 // -2": -4, "-7 % 3": 2, "0xFFFFFFFFFFFFFFFF": 2**64 - 1,
}


@pytest.mark.parametrize("expression", sorted(FOLDED))
def test_integer_constants_fold_exactly(tmp_path, expression):
    m = write_module(tmp_path, "folded", f"@njit\ndef f():\n    return {expression}\n")
    assert m.f() == FOLDED[expression] == m.f.py_func()


@pytest.mark.parametrize("expression", ["2**64", "x + 10**30", "-2**63 - 1", "1 << 64", "-(2**64)"])
def test_integer_constants_beyond_64_bits_are_refused_where_written(tmp_path, expression):
    m = write_module(tmp_path, "too_big", f"@njit\ndef f(x):\n    return {expression}\n")
    with pytest.raises(TypingError) as info:
        m.f(1)
    text = str(info.value)
    assert "too_big.py:5:" in text and "^" in text and "does not fit in 64 bits" in text


def test_a_large_global_constant_is_uint64(tmp_path):
    m = write_module(tmp_path, "big_global", "BIG = 2**64 - 5\n@njit\ndef f(x):\n    return BIG - x\n")
    assert m.f(np.uint64(3)) == 2**64 - 8


def test_runtime_integer_power_still_wraps_like_numba():
    @njit
    def power(b, e):
        return b ** e

    assert power(2, 10) == 1024
    assert power(3, 3) == power.py_func(3, 3)


# ---- float to int -----------------------------------------------------------

@njit
def int_of_product(x, y):
    return int(x * y)


@njit
def float_to_int_forms(x):
    return int(x), round(x), math.floor(x), math.ceil(x), math.trunc(x)


@njit
def one_form(x, which):
    if which == 0:
        return int(x)
    if which == 1:
        return round(x)
    if which == 2:
        return math.floor(x)
    if which == 3:
        return math.ceil(x)
    return math.trunc(x)


@pytest.mark.parametrize("dtype", [float, np.float32, np.float64])
@pytest.mark.parametrize("value, expected", [(math.nan, -2**63), (math.inf, -2**63), (-math.inf, -2**63),
                                             (1e30, -2**63), (-1e19, -2**63), (2.0**63, -2**63)])
@pytest.mark.parametrize("which", range(5))
def test_int_round_floor_of_nan_inf_and_huge_floats_are_numbas_values(dtype, value, expected, which):
    # Undefined in C; Python raises. numjit gives Numba's (x86's) values, the same on every call,
    # and keeps the conversion as cheap as Numba's (a raise would stop the loop vectorizing).
    x = dtype(value)
    if dtype is np.float32 and abs(value) == 1e30:
        expected = -2**63
    assert all(one_form(x, which) == expected for _ in range(5))


def test_int_of_nan_and_inf_is_deterministic_under_both_error_models():
    @njit(error_model="numpy")
    def int_of_product(x, y):
        return int(x * y)

    # x86's conversion, as Numba's int() and NumPy's astype(np.int64) give it.
    with np.errstate(invalid="ignore"):
        numpy_nan = int(np.array([math.nan]).astype(np.int64)[0])
    assert int_of_product(2.0, math.nan) == -2**63 == numpy_nan
    assert int_of_product(2.0, math.inf) == -2**63
    assert int_of_product(2.0, -math.inf) == -2**63
    assert int_of_product(1e300, 1e10) == -2**63
    assert all(int_of_product(3.0, math.nan) == -2**63 for _ in range(20))
    assert int_of_product(2.0, -3.75) == -7 == int_of_product.py_func(2.0, -3.75)


def test_math_floor_of_integers_is_exact():
    @njit
    def floors(n, u):
        return math.floor(n), math.ceil(n), math.trunc(u)

    n, u = 2**62 + 1, np.uint64(2**64 - 1)
    assert floors(n, u) == (n, n, 2**64 - 1) == floors.py_func(n, int(u))


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64])
def test_float_to_integer_in_range_matches_numpy(dtype):
    @njit
    def convert(a, out):
        for i in range(a.size):
            out[i] = a[i]
        return out

    info = np.iinfo(dtype)
    a = np.array([0.0, 1.9, -1.9 if info.min < 0 else 2.5, float(info.max) * 0.5, 100.7], np.float64)
    np.testing.assert_array_equal(convert(a, np.zeros(a.size, dtype)), a.astype(dtype))


def test_float_array_astype_out_of_range_is_repeatable():
    @njit
    def cast(a):
        return a.astype(np.int64)

    a = np.array([np.nan, np.inf, -np.inf, 1e300, 3.5])
    first = cast(a)
    assert all(np.array_equal(first, cast(a)) for _ in range(5))
    assert first[4] == 3


# ---- indices, subclasses, attributes -------------------------------------------

def test_bool_scalar_index_is_refused():
    @njit
    def pick(a, flag):
        return a[flag]

    with pytest.raises(TypingError, match="bool used as an array index"):
        pick(np.arange(3.0), True)

    @njit
    def pick_const(a):
        return a[True]

    with pytest.raises(TypingError, match=r"test_edge_answers.py:\d+:\d+"):
        pick_const(np.arange(3.0))


def test_bool_index_into_a_list_or_tuple_is_python():
    @njit
    def pick(flag):
        return [10, 20][flag] + (1, 2)[flag]

    assert pick(True) == pick.py_func(True) == 22


@njit
def total(a):
    return a.sum()


def test_masked_array_is_refused_with_a_clear_error():
    m = np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0])
    with pytest.raises(TypingError, match="MaskedArray.*ndarray subclass"):
        total(m)
    assert total(np.asarray(m.filled(0.0))) == 4.0  # the dispatcher still works


def test_matrix_is_refused():
    with pytest.raises(TypingError, match="matrix"):
        total(np.matrix([[1.0, 2.0]]))


def test_memmap_and_plain_subclasses_pass(tmp_path):
    class Tagged(np.ndarray):
        pass

    data = np.arange(10.0)
    assert total(data.view(Tagged)) == total.py_func(data)
    mm = np.memmap(tmp_path / "x.dat", dtype=np.float64, mode="w+", shape=(10,))
    mm[:] = data
    assert total(mm) == 45.0
    # A subclass after an exact ndarray of the same type: the fast path must not mix them.
    assert total(data) == 45.0
    with pytest.raises(TypingError):
        total(np.ma.masked_array(data, mask=data > 4))


@pytest.mark.parametrize("attribute", ["size", "ndim", "shape"])
def test_array_attributes_of_a_number_are_refused(tmp_path, attribute):
    m = write_module(tmp_path, f"attr_{attribute}", f"@njit\ndef f(x):\n    return x.{attribute}\n")
    with pytest.raises(TypingError, match=f"has no attribute '{attribute}'"):
        m.f(2.0)
    with pytest.raises(AttributeError):
        m.f.py_func(2.0)
    assert m.f(np.ones((2, 3))) == getattr(np.ones((2, 3)), attribute)


def test_np_size_of_a_number_still_works():
    @njit
    def sizes(x):
        return np.size(x), np.ndim(x)

    assert sizes(2.5) == (1, 0)


# ---- lists widen as Numba's do ----------------------------------------------------

def test_int_list_appending_a_float_becomes_float():
    @njit
    def grow():
        values = [1, 2]
        values.append(2.5)
        return values

    assert grow() == grow.py_func() == [1, 2, 2.5]


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int64])
def test_list_of_array_items_widens_to_float64(dtype):
    @njit
    def collect(a, b):
        values = [a[0]]
        for i in range(1, a.size):
            values.append(a[i])
        values.append(b)
        return values

    a = np.arange(4).astype(dtype)
    assert collect(a, 0.5) == [float(v) for v in a] + [0.5]


def test_a_list_parameter_does_not_change_type():
    @njit
    def add_float(values):
        values.append(2.5)
        return values

    with pytest.raises(TypingError):
        add_float([1, 2])


def test_an_aliased_list_does_not_widen_silently():
    @njit
    def alias():
        first = [1, 2]
        second = first
        second.append(2.5)
        return first

    with pytest.raises(TypingError):
        alias()


# ---- powers ------------------------------------------------------------------

@njit
def power(a, b):
    return a ** b


@pytest.mark.parametrize("base", [1e200 + 1e200j, 1 + 1j, -8 + 0j, 0.5 - 2j, 3j, 1e-200 + 1e-200j])
@pytest.mark.parametrize("exponent", [2, 3, -2, 0.5, 1 / 3, 2.5 + 1j, -1.5j])
def test_complex_power_matches_python(base, exponent):
    got = power(base, exponent)
    try:
        want = power.py_func(base, exponent)
    except (OverflowError, ZeroDivisionError):
        # Python raises where the result overflows; compiled code, as Numba's, gives infinities or NaNs.
        assert not (math.isfinite(got.real) and math.isfinite(got.imag))
        return
    for g, w in ((got.real, want.real), (got.imag, want.imag)):
        assert (math.isnan(g) and math.isnan(w)) or g == pytest.approx(w, rel=1e-15, abs=0)


@njit
def inverse_square(n):
    return n ** -2


@njit
def inverse_in_place(n):
    n **= -1
    return n


@pytest.mark.parametrize("function", [inverse_square, inverse_in_place])
@pytest.mark.parametrize("n", [0, 0.0, -0.0, False])
def test_zero_to_a_negative_power_raises_like_python(function, n):
    with pytest.raises(ZeroDivisionError) as caught:
        function(n)
    with pytest.raises(ZeroDivisionError) as expected:
        function.py_func(n)
    assert str(caught.value) == str(expected.value)
    with pytest.raises(ZeroDivisionError):
        power(float(n), -0.5)


@pytest.mark.parametrize("function", [inverse_square, inverse_in_place])
@pytest.mark.parametrize("n", [1, -1, 3, 12, 2**31, -(2**40), True, np.int8(-3), np.uint16(7), 2.5, np.float32(0.5)])
def test_an_integer_to_a_negative_constant_power_is_a_float(function, n):
    # NumPy's own scalars refuse negative powers; compiled code treats them as Python numbers.
    got, want = function(n), function.py_func(n.item() if isinstance(n, np.generic) else n)
    assert type(got) is float and got == pytest.approx(float(want), rel=1e-15)


@pytest.mark.parametrize("base", [0, 1, -1, 7])
@pytest.mark.parametrize("exponent", [-1, -2, -63])
def test_an_integer_to_a_negative_runtime_power_raises(base, exponent):
    # Python's answer is a float, which a type fixed at compile time cannot follow; Numba's 0 is wrong.
    with pytest.raises(ValueError, match="negative power is a float in Python"):
        power(base, exponent)


@pytest.mark.parametrize("base", [0, 1, -1, 7, -2**31])
@pytest.mark.parametrize("exponent", [0, 1, 2, 3, 4, 17, 62])
def test_an_integer_to_a_non_negative_power_wraps_like_numba(base, exponent):
    want = power.py_func(base, exponent)
    assert power(base, exponent) == (want + 2**63) % 2**64 - 2**63


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int8])
def test_dict_values_widen_to_float64(dtype):
    @njit
    def fill(a):
        d = {}
        d[1] = a[0]
        d[2] = 2.5
        literal = {3: a[1]}
        literal[4] = 0.25
        return d[1] + d[2], literal[3] + literal[4]

    a = np.array([3, 4]).astype(dtype)
    assert fill(a) == fill.py_func(a)


def test_literal_negative_powers_fold_as_cpython():
    @njit
    def halves():
        return 2 ** -1, (-2) ** -3

    assert halves() == halves.py_func() == (0.5, -0.125)
    with pytest.raises(ZeroDivisionError):
        inverse_square(0)


# ---- checks deferred to a loop's exit must not reorder exceptions -------------

@njit
def divide_then_truncate(m):
    result = 0
    for _ in range(m):
        result = math.trunc(m / 0)
    return result


@njit
def divide_then_int(x, m):
    for i in range(m):
        x /= int(0.1)
        x -= round(x * i)
    return x


@njit
def divide_then_power(x, k, m):
    total = 0.0
    for i in range(m):
        total += x / i + 2 ** k
    return total


@njit
def divide_then_look_up(m):
    d = {7: 1.0}
    total = 0.0
    for i in range(m):
        total += 1.0 / i + d[i + 7]
    return total


def test_a_division_by_zero_raises_before_a_later_conversion_in_the_loop():
    # The division comes first in each iteration, so Python raises ZeroDivisionError;
    # deferring that check to the loop's exit must not let int() raise first.
    for function, args in ((divide_then_truncate, (5,)), (divide_then_int, (-1.625, 4))):
        with pytest.raises(ZeroDivisionError):
            function.py_func(*args)
        with pytest.raises(ZeroDivisionError):
            function(*args)


def test_a_power_that_may_raise_keeps_its_place_after_a_division():
    # i = 0: x / 0 raises before 2 ** k is reached (numjit would raise ValueError for k < 0).
    with pytest.raises(ZeroDivisionError):
        divide_then_power.py_func(1.0, -1, 5)
    with pytest.raises(ZeroDivisionError):
        divide_then_power(1.0, -1, 5)
    assert divide_then_power(1.0, 3, 0) == divide_then_power.py_func(1.0, 3, 0)


def test_a_division_by_zero_raises_before_a_later_missing_key():
    # i = 0 divides by zero; a check deferred to the loop's exit would meet key 8's KeyError first.
    with pytest.raises(ZeroDivisionError):
        divide_then_look_up.py_func(3)
    with pytest.raises(ZeroDivisionError):
        divide_then_look_up(3)
    assert divide_then_look_up(0) == 0.0


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
@pytest.mark.parametrize("dtype", [np.int16, np.int64])
def test_an_array_expression_that_raises_frees_its_result(n, dtype):
    from numjit.runtime import allocation_stats

    @njit
    def powers(a, b):
        return (a * 2) ** b + 1

    before = allocation_stats()
    a = np.arange(n + 1, dtype=dtype)
    b = np.ones(n + 1, dtype=dtype)
    b[-1] = -1
    for _ in range(3):
        with pytest.raises(ValueError, match="negative integer powers"):
            powers(a, b)
    after = allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free > 0


# ---- round(x, ndigits) rounds the exact value, as CPython ----------------------

@njit
def round_to(x, ndigits):
    return round(x, ndigits)


@pytest.mark.parametrize("ndigits", [-400, -3, -1, 0, 1, 2, 3, 7, 15, 17, 22, 25, 400])
def test_round_with_digits_matches_python(ndigits):
    import random as python_random

    generator = python_random.Random(ndigits)
    values = [4.45, -4.45, 2.675, 2.25, 0.125, -0.04, 1250.0, 1350.0, 5e-324, 1e300, -0.0, 0.0, math.inf, math.nan]
    values += [generator.uniform(-1e4, 1e4) for _ in range(300)]
    values += [generator.randint(-10**6, 10**6) / 8 for _ in range(300)]   # exact ties at many scales
    for x in values:
        got, want = round_to(x, ndigits), round_to.py_func(x, ndigits)
        assert (math.isnan(got) and math.isnan(want)) or (got == want and math.copysign(1, got) == math.copysign(1, want)), x
    single = np.float32(2.675)
    assert round_to(single, 2) == np.float32(round(float(single), 2))


def test_bitwise_of_int64_and_uint64_keeps_the_bits_as_numba():
    # Promotion would give float64, which has no bits; Numba computes these as int64.
    @njit
    def bits(a, b):
        return a | b, a & b, a ^ b, (a | b) >= 0.0

    for a, b in [(5, 2**63), (-1, 2**64 - 1), (7, 3), (-(2**63), 2**63 + 5)]:
        got = bits(a, np.uint64(b))
        want = tuple(((x + 2**63) % 2**64) - 2**63 for x in bits.py_func(a, b)[:3])
        assert got[:3] == want
        assert got[3] == (want[0] >= 0)


@njit
def tutorial_ell(X, Nt, jind, I, I0):
    mu = X[0:Nt]
    c0, c1 = X[Nt:Nt + 2]
    ell = 0
    for i in range(Nt):
        for j in range(jind[i], jind[i + 1]):
            n = I[j] - mu[i] * I0[j]
            s = c0 * (mu[i] * I0[j]) ** c1
            ell += np.log(s) + 0.5 * n**2 / s**2
    return ell


def test_the_tutorials_likelihood_loop_still_defers_its_checks_and_vectorizes():
    # Nested range loops, a variable float exponent (whose 0 ** negative check is a
    # ZeroDivisionError) and divisions: all deferrable, so the inner loop is vector code.
    rng = np.random.default_rng(3)
    jind = np.array([0, 5, 12, 40])
    X = np.concatenate([rng.random(3) + 0.5, [1.5, 0.7]])
    I, I0 = rng.random(40) + 0.1, rng.random(40) + 0.1
    assert tutorial_ell(X, 3, jind, I, I0) == pytest.approx(tutorial_ell.py_func(X, 3, jind, I, I0), rel=1e-12)
    ir = "\n".join(tutorial_ell.inspect_llvm().values())
    # libmvec's vector log and pow (_ZGV...) appear only when the inner loop vectorized.
    assert re.search(r"<\d+ x double>", ir) and "_ZGV" in ir, "the likelihood loop no longer vectorizes"
    with pytest.raises(ZeroDivisionError):
        tutorial_ell(np.array([0.0, 0.0, 0.0, 1.5, -0.7]), 3, jind, I, I0)
