"""NumPy datetime64 and timedelta64 values in compiled code: passed in and
returned (scalars and arrays of every unit, NaT and the extreme counts), the
arithmetic, comparisons, unary operators, np.isnat and truth values with
NumPy's unit and NaT rules, elementwise on arrays of every layout, indexing
and stores that convert units, astype/view/copy/reshape and the array makers,
datetimes in years or months meeting finer units through the calendar, and the
refusals (library functions, datetime arithmetic NumPy lacks, timedeltas in
years or months meeting finer ones). Results are compared with the same function run as
plain Python on the same NumPy values (.py_func) or with NumPy directly."""
import itertools
import os
import subprocess
import sys

import numpy as np
import pytest

from numjit import njit
from numjit.errors import TypingError, UnsupportedError

from conftest import laid_out

# ============================================================== values

UNITS = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"]
CALENDAR = ["Y", "M"]
NAT = -(2 ** 63)


def tv(count, unit, kind="m"):
    """A np.timedelta64 (kind 'm') or np.datetime64 (kind 'M') of `count` units (NAT: NaT)."""
    return np.array([count], np.int64).view(f"{kind}8[{unit}]")[0]


def tarr(counts, unit, kind="m"):
    return np.array(counts, np.int64).view(f"{kind}8[{unit}]")


def _numpy_combines(a, b):
    """'ok', or the exception NumPy raises combining timedelta units a and b."""
    try:
        np.timedelta64(1, a) + np.timedelta64(1, b)
    except OverflowError:
        return "overflow"
    except TypeError:
        return "type"
    return "ok"


# Ordered unit pairs NumPy combines (one family, a conversion factor it can form).
UNIT_PAIRS = [(a, b) for a in UNITS for b in UNITS if _numpy_combines(a, b) == "ok"]
# Pairs of one family whose conversion factor NumPy refuses with OverflowError
# ([W] and [as], [D] and [ps], ...).
OVERFLOW_PAIRS = [(a, b) for a in UNITS for b in UNITS if _numpy_combines(a, b) == "overflow"]
# Years or months meeting weeks or finer.
CROSS_PAIRS = [(a, b) for a in UNITS for b in UNITS if (a in CALENDAR) != (b in CALENDAR)]

# Small counts: any two meet in a finer unit without overflowing int64.
SMALL = [0, 1, -1, 7, -7, 13, -13, NAT]
# Counts whose sums and differences fit in int64 (the same unit).
WIDE = SMALL + [1000003, -999999, 2 ** 40 + 3, -(2 ** 40) - 5, 2 ** 61 - 1, -(2 ** 61) + 7]
# Counts whose products with MULTIPLIERS fit in int64.
MEDIUM = SMALL + [1000003, -999999, 2 ** 40 + 3, -(2 ** 40) - 5]
MULTIPLIERS = [0, 1, -1, 2, -3, 7, 1000]
FLOATS = [0.0, -0.0, 0.5, -0.5, 2.5, -1.75, 3.0, 1e-300, 1e10, 1e300, -1e300, np.nan, np.inf, -np.inf]
EXTREMES = [0, 1, -1, 123456789, -987654321, 2 ** 63 - 1, -(2 ** 63) + 1, NAT]

INT_TYPES = [int, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOAT_TYPES = [float, np.float32, np.float64]


def _type_id(t):
    return t.__name__


# ============================================================== comparing

def _raw(x):
    """The int64 counts of a datetime64/timedelta64 scalar or array (NaT: INT64_MIN)."""
    return np.asarray(x).astype(np.int64)


def same(got, expected, where=""):
    """Asserts a compiled result equals NumPy's: the same structure, datetimes
    and timedeltas of the same type and unit holding the same counts (NaT where
    NumPy has NaT), arrays of the same dtype and shape; numbers by value (Python
    bool/int/float for NumPy's scalar types), NaN matching NaN."""
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected), f"{where}: {got!r} is not a {type(expected).__name__}"
        assert len(got) == len(expected), f"{where}: {got!r} != {expected!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            same(g, e, f"{where}[{i}]")
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"{where}: expected an array, got {got!r}"
        assert got.dtype == expected.dtype, f"{where}: dtype {got.dtype} != {expected.dtype}"
        assert got.shape == expected.shape, f"{where}: shape {got.shape} != {expected.shape}"
        if expected.dtype.kind in "mM":
            np.testing.assert_array_equal(np.isnat(got), np.isnat(expected), err_msg=where)
            np.testing.assert_array_equal(_raw(got), _raw(expected), err_msg=where)
        else:
            np.testing.assert_array_equal(got, expected, err_msg=where)
        return
    if isinstance(expected, (np.datetime64, np.timedelta64)):
        assert type(got) is type(expected), f"{where}: {got!r} is not a {type(expected).__name__} ({expected!r})"
        assert got.dtype == expected.dtype, f"{where}: unit of {got!r} differs from {expected!r}"
        assert bool(np.isnat(got)) == bool(np.isnat(expected)), f"{where}: {got!r} != {expected!r}"
        assert int(_raw(got)) == int(_raw(expected)), f"{where}: {got!r} != {expected!r}"
        return
    if isinstance(expected, (bool, np.bool_)):
        assert isinstance(got, (bool, np.bool_)), f"{where}: {got!r} is not a bool ({expected!r})"
        assert bool(got) == bool(expected), f"{where}: {got!r} != {expected!r}"
        return
    if isinstance(expected, (int, np.integer)):
        assert isinstance(got, (int, np.integer)) and not isinstance(got, (bool, np.bool_)), \
            f"{where}: {got!r} is not an integer ({expected!r})"
        assert int(got) == int(expected), f"{where}: {got!r} != {expected!r}"
        return
    if isinstance(expected, (float, np.floating)):
        assert isinstance(got, (float, np.floating)), f"{where}: {got!r} is not a float ({expected!r})"
        if np.isnan(expected):
            assert np.isnan(got), f"{where}: {got!r} != {expected!r}"
        else:
            assert float(got) == float(expected), f"{where}: {got!r} != {expected!r}"
        return
    assert got == expected, f"{where}: {got!r} != {expected!r}"


def _python(f, args):
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    with np.errstate(all="ignore"):
        try:
            return f.py_func(*copies), None, copies
        except Exception as exc:  # compared with the compiled function's below
            return None, exc, copies


def check(f, *args):
    """Runs jitted `f` and `f.py_func` on the same arguments and compares the
    results and the arrays passed (writes included). Where NumPy raises, the
    compiled function must raise too (its own TypingError or NumPy's error)."""
    where = f"{getattr(f, '__name__', f)}{args!r}"
    expected, error, copies = _python(f, args)
    if error is not None:
        with pytest.raises((TypingError, UnsupportedError, type(error))):
            f(*args)
        return None
    got = f(*args)
    same(got, expected, where)
    for i, (mine, theirs) in enumerate(zip(args, copies)):
        if isinstance(mine, np.ndarray):
            same(mine, theirs, f"{where}: argument {i} afterwards")
    return got


# ============================================================== functions

@njit
def identity(x):
    return x


@njit
def twice(x):
    return (x, x)


@njit
def as_list(x, y):
    return [x, y, x]


@njit
def t_add(a, b):
    return a + b


@njit
def t_sub(a, b):
    return a - b


@njit
def t_mul(a, b):
    return a * b


@njit
def t_truediv(a, b):
    return a / b


@njit
def t_floordiv(a, b):
    return a // b


@njit
def t_mod(a, b):
    return a % b


@njit
def t_eq(a, b):
    return a == b


@njit
def t_ne(a, b):
    return a != b


@njit
def t_lt(a, b):
    return a < b


@njit
def t_le(a, b):
    return a <= b


@njit
def t_gt(a, b):
    return a > b


@njit
def t_ge(a, b):
    return a >= b


@njit
def t_all_compares(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b


@njit
def t_neg(a):
    return -a


@njit
def t_pos(a):
    return +a


@njit
def t_abs(a):
    return abs(a)


@njit
def t_np_abs(a):
    return np.abs(a)


@njit
def t_isnat(a):
    return np.isnat(a)


@njit
def t_truth(a):
    return bool(a), not a


@njit
def t_if(a):
    if a:
        return 1
    return 2


@njit
def t_pow(a, b):
    return a ** b


@njit
def t_and(a, b):
    return a & b


@njit
def t_invert(a):
    return ~a


BINARY = {"add": t_add, "sub": t_sub, "mul": t_mul, "truediv": t_truediv, "floordiv": t_floordiv, "mod": t_mod}
COMPARE = {"eq": t_eq, "ne": t_ne, "lt": t_lt, "le": t_le, "gt": t_gt, "ge": t_ge}
ALL_BINARY = {**BINARY, **COMPARE}


# ============================================================== round trips

@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", UNITS)
def test_scalar_round_trip(kind, unit):
    for count in EXTREMES:
        x = tv(count, unit, kind)
        same(identity(x), x, f"identity {x!r}")
        same(twice(x), (x, x), f"twice {x!r}")
        y = tv(-7, unit, kind)
        same(as_list(x, y), [x, y, x], f"as_list {x!r}")


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("shape", [(8,), (2, 4), (0,), (0, 3)], ids=["1d", "2d", "empty", "empty2d"])
def test_array_round_trip(kind, unit, layout, shape):
    size = int(np.prod(shape))
    a = laid_out(tarr(EXTREMES[:size], unit, kind).reshape(shape), layout)
    got = identity(a)
    same(got, a)
    assert np.shares_memory(got, a) or a.size == 0
    got = twice(a)
    same(got, (a, a))


@pytest.mark.parametrize("x", [np.timedelta64(5), np.datetime64("NaT"), np.timedelta64(5, "5s"),
                               np.datetime64(3, "10ms"), np.zeros(3, "m8"), np.zeros(3, "M8[2D]"),
                               np.zeros(3, "m8[3h]")],
                         ids=["generic-td", "generic-dt", "5s", "10ms", "generic-array", "2D-array", "3h-array"])
def test_generic_units_and_multiples_refused(x):
    with pytest.raises(TypingError):
        identity(x)


def test_same_function_keeps_each_unit_apart():
    # One function, compiled for each unit in turn, in an order that would
    # expose a cached version answering for another unit.
    results = []
    for unit in UNITS + UNITS[::-1]:
        for kind in "mM":
            x = tv(1000, unit, kind)
            got = identity(x)
            same(got, x)
            results.append(got.dtype)
    assert len(set(results)) == 26
    for unit in ["s", "ms", "s", "ns", "D", "ms"]:
        check(t_add, tv(5, unit), tv(3, unit))
        check(t_sub, tv(5, unit, "M"), tv(3, unit, "M"))
        check(t_add, tv(5, unit, "M"), tv(3, "s"))
        check(t_truediv, tv(5, unit), tv(3, "ms"))
        check(t_add, tarr([1, 2, NAT], unit), tv(3, unit))
        check(identity, tarr([1, 2, NAT], unit, "M"))
    # The same counts as integers, datetimes and timedeltas.
    same(identity(np.int64(5)), 5)
    same(identity(tv(5, "s")), tv(5, "s"))
    same(identity(tv(5, "s", "M")), tv(5, "s", "M"))
    same(identity(np.arange(3)), np.arange(3))
    same(identity(tarr([0, 1, 2], "s")), tarr([0, 1, 2], "s"))
    same(identity(tarr([0, 1, 2], "s", "M")), tarr([0, 1, 2], "s", "M"))


# ============================================================== scalar arithmetic

def _pairs_grid(f, a_kind, b_kind, ua, ub, counts_a, counts_b):
    for ca, cb in itertools.product(counts_a, counts_b):
        check(f, tv(ca, ua, a_kind), tv(cb, ub, b_kind))


@pytest.mark.parametrize("op", list(ALL_BINARY))
@pytest.mark.parametrize("ua,ub", UNIT_PAIRS)
def test_timedelta_with_timedelta(op, ua, ub):
    counts = WIDE if ua == ub else SMALL
    _pairs_grid(ALL_BINARY[op], "m", "m", ua, ub, counts, counts)


@pytest.mark.parametrize("ua,ub", UNIT_PAIRS)
def test_datetime_with_timedelta(ua, ub):
    counts = WIDE if ua == ub else SMALL
    _pairs_grid(t_add, "M", "m", ua, ub, counts, counts)
    _pairs_grid(t_add, "m", "M", ua, ub, counts, counts)
    _pairs_grid(t_sub, "M", "m", ua, ub, counts, counts)


@pytest.mark.parametrize("op", ["sub"] + list(COMPARE))
@pytest.mark.parametrize("ua,ub", UNIT_PAIRS)
def test_datetime_with_datetime(op, ua, ub):
    counts = WIDE if ua == ub else SMALL
    _pairs_grid(ALL_BINARY[op], "M", "M", ua, ub, counts, counts)


def test_finer_unit_of_a_sum_is_exact():
    cases = [
        (t_add, tv(1, "W"), tv(1, "D"), tv(8, "D")),
        (t_add, tv(1, "D"), tv(-1, "h"), tv(23, "h")),
        (t_sub, tv(1, "s"), tv(1, "ns"), tv(999999999, "ns")),
        (t_add, tv(1, "Y"), tv(1, "M"), tv(13, "M")),
        (t_add, tv(30, "Y", "M"), tv(1, "M"), tv(361, "M", "M")),
        (t_sub, tv(2, "D", "M"), tv(1, "W", "M"), tv(-5, "D")),
        (t_add, tv(1, "ms"), tv(1, "as"), tv(10 ** 15 + 1, "as")),
    ]
    for f, a, b, expected in cases:
        same(f(a, b), expected, f"{f.__name__}({a!r}, {b!r})")
        same(f.py_func(a, b), expected, "NumPy")


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("int_type", INT_TYPES + [bool], ids=_type_id)
def test_timedelta_with_integer(unit, int_type):
    for count, n in itertools.product(MEDIUM, MULTIPLIERS):
        if int_type is not int and int_type is not bool and n < 0 and np.dtype(int_type).kind == "u":
            continue
        if int_type is bool and n not in (0, 1):
            continue
        if int_type is not int and int_type is not bool and n > np.iinfo(int_type).max:
            continue
        x, k = tv(count, unit), int_type(n)
        # NumPy has no timedelta / bool, and does not compare timedeltas with
        # uint64: test_timedelta_by_bool_and_against_uint64_like_numpy.
        divisions = (t_truediv, t_floordiv) if int_type is not bool else ()
        comparisons = (t_eq, t_ne, t_lt, t_ge) if int_type is not np.uint64 else ()
        for f in (t_add, t_sub, t_mul) + divisions + comparisons:
            check(f, x, k)
        for f in (t_add, t_sub, t_mul) + comparisons[:1]:
            check(f, k, x)


@pytest.mark.parametrize("f,args", [
    (t_truediv, (tv(7, "s"), True)),
    (t_floordiv, (tv(7, "s"), True)),
    (t_lt, (tv(7, "s"), np.uint64(3))),
    (t_eq, (tv(0, "s"), np.uint64(0))),
], ids=["td/bool", "td//bool", "td<uint64", "td==uint64"])
def test_timedelta_by_bool_and_against_uint64_like_numpy(f, args):
    # NumPy refuses timedelta / bool and timedelta // bool, and has no
    # comparison of a timedelta with a uint64 (< raises; == answers False):
    # compiled code must not answer differently.
    with np.errstate(all="ignore"):
        try:
            expected = f.py_func(*args)
        except TypeError:
            with pytest.raises(TypingError):
                f(*args)
            return
    try:
        got = f(*args)
    except TypingError:  # refusing at compile time is fine
        return
    same(got, expected)


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("int_type", [int, np.int32, np.int64, np.uint8], ids=_type_id)
def test_datetime_with_integer(unit, int_type):
    for count, n in itertools.product(WIDE, [0, 1, 3, 100]):
        x, k = tv(count, unit, "M"), int_type(n)
        check(t_add, x, k)
        check(t_sub, x, k)
        check(t_add, k, x)


@pytest.mark.parametrize("unit", ["Y", "D", "s", "ns", "as"])
@pytest.mark.parametrize("float_type", FLOAT_TYPES, ids=_type_id)
def test_timedelta_with_float(unit, float_type):
    with np.errstate(over="ignore"):  # 1e300 is inf in float32
        multipliers = [float_type(r) for r in FLOATS]
    for count, y in itertools.product(MEDIUM, multipliers):
        x = tv(count, unit)
        check(t_mul, x, y)
        check(t_mul, y, x)
        check(t_truediv, x, y)
        check(t_floordiv, x, y)


def test_float_products_and_quotients_by_hand():
    cases = [
        (t_mul, tv(7, "s"), 2.5, tv(17, "s")),
        (t_mul, tv(-7, "s"), 2.5, tv(-17, "s")),
        (t_mul, tv(7, "s"), np.nan, tv(NAT, "s")),
        (t_mul, tv(2 ** 62, "s"), 2.0, tv(NAT, "s")),
        (t_mul, tv(2 ** 62, "s"), -2.0, tv(NAT, "s")),  # -2**63 is NaT itself
        (t_mul, tv(1, "s"), np.inf, tv(NAT, "s")),
        (t_truediv, tv(-7, "s"), 2, tv(-3, "s")),
        (t_truediv, tv(7, "s"), 0, tv(NAT, "s")),
        (t_truediv, tv(-7, "s"), 2.5, tv(-2, "s")),
        (t_truediv, tv(7, "s"), 0.0, tv(NAT, "s")),
        (t_truediv, tv(0, "s"), 0.0, tv(NAT, "s")),
        (t_floordiv, tv(-7, "s"), 2, tv(-3, "s")),  # NumPy truncates here
        (t_floordiv, tv(-7, "s"), 2.0, tv(-3, "s")),
        (t_floordiv, tv(-7, "s"), tv(2, "s"), -4),
        (t_floordiv, tv(7, "s"), tv(0, "s"), 0),
        (t_floordiv, tv(NAT, "s"), tv(2, "s"), 0),
        (t_truediv, tv(7, "s"), tv(0, "s"), np.inf),
        (t_truediv, tv(-7, "s"), tv(0, "s"), -np.inf),
        (t_truediv, tv(0, "s"), tv(0, "s"), np.nan),
        (t_truediv, tv(NAT, "s"), tv(2, "s"), np.nan),
        (t_truediv, tv(3, "s"), tv(1500, "ms"), 2.0),
        (t_mod, tv(-7, "s"), tv(2, "s"), tv(1, "s")),
        (t_mod, tv(7, "s"), tv(-2, "s"), tv(-1, "s")),
        (t_mod, tv(7, "s"), tv(0, "s"), tv(NAT, "s")),
        (t_mod, tv(NAT, "s"), tv(3, "s"), tv(NAT, "s")),
        (t_mod, tv(1, "m"), tv(7, "s"), tv(4, "s")),
    ]
    for f, a, b, expected in cases:
        where = f"{f.__name__}({a!r}, {b!r})"
        with np.errstate(all="ignore"):
            same(f.py_func(a, b), expected, "NumPy " + where)
        same(f(a, b), expected, where)


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", UNITS)
def test_unary_and_truth(kind, unit):
    for count in EXTREMES + [13, -13]:
        x = tv(count, unit, kind)
        check(t_isnat, x)
        check(t_truth, x)
        check(t_if, x)
        if kind == "m":
            for f in (t_neg, t_pos, t_abs, t_np_abs):
                check(f, x)


def test_unary_by_hand():
    same(t_neg(tv(NAT, "s")), tv(NAT, "s"))
    same(t_abs(tv(NAT, "s")), tv(NAT, "s"))
    same(t_abs(tv(-(2 ** 63) + 1, "ns")), tv(2 ** 63 - 1, "ns"))
    same(t_neg(tv(2 ** 63 - 1, "D")), tv(-(2 ** 63) + 1, "D"))
    assert t_isnat(tv(NAT, "Y", "M")) is True
    assert t_isnat(tv(0, "Y", "M")) is False
    assert t_truth(tv(NAT, "s")) == (True, False)
    assert t_truth(tv(0, "s")) == (False, True)


@pytest.mark.parametrize("x", [1.5, 3, True, np.float32(1)], ids=["float", "int", "bool", "float32"])
def test_isnat_of_a_number_refused(x):
    with pytest.raises(TypeError):
        t_isnat.py_func(x)
    with pytest.raises(TypingError, match="isnat"):
        t_isnat(x)


@pytest.mark.parametrize("unit", UNITS)
def test_timedelta_compared_with_integers(unit):
    for count, n in itertools.product(WIDE, [0, 1, -1, 7, -13, 2 ** 40, NAT + 1]):
        check(t_all_compares, tv(count, unit), n)
        check(t_all_compares, n, tv(count, unit))
        check(t_all_compares, tv(count, unit), np.int32(max(min(n, 2 ** 31 - 1), -(2 ** 31))))


# ============================================================== operations NumPy has not, or that mix the calendar

# Each operand kind: a few values of it.
OPERANDS = {
    "td": lambda: tv(7, "s"),
    "dt": lambda: tv(7, "s", "M"),
    "int": lambda: 3,
    "float": lambda: 2.5,
    "bool": lambda: True,
    "complex": lambda: 1 + 2j,
}
OPS = {**ALL_BINARY, "pow": t_pow, "and": t_and}


# (op, left kind, right kind); NumPy has no timedelta / bool, which
# test_timedelta_by_bool_and_against_uint64_like_numpy checks on its own.
OPERAND_CASES = [(op, a, b) for op in OPS for a in OPERANDS for b in OPERANDS
                 if ("td" in (a, b) or "dt" in (a, b))
                 and not ((a, b) == ("td", "bool") and op in ("truediv", "floordiv"))]


@pytest.mark.parametrize("op,left,right", OPERAND_CASES)
def test_every_operand_kind_like_numpy(op, left, right):
    # Where NumPy raises, compiled code must refuse; where it answers, agree.
    # == and != between values NumPy cannot compare answer False and True in
    # NumPy; compiled code may refuse them at compile time instead.
    f, a, b = OPS[op], OPERANDS[left](), OPERANDS[right]()
    comparable = {left, right} in ({"td"}, {"dt"}, {"td", "int"}, {"td", "bool"})
    if op in ("eq", "ne") and not comparable:
        assert f.py_func(a, b) == (op == "ne")
        try:
            got = f(a, b)
        except TypingError:
            return
        same(got, op == "ne")
        return
    check(f, a, b)


@pytest.mark.parametrize("f,args", [
    (t_add, (tv(1, "s", "M"), tv(1, "s", "M"))),
    (t_mul, (tv(1, "s", "M"), 2)),
    (t_mul, (2, tv(1, "D", "M"))),
    (t_lt, (tv(1, "s", "M"), 2)),
    (t_neg, (tv(1, "s", "M"),)),
    (t_abs, (tv(1, "s", "M"),)),
    (t_sub, (3, tv(1, "s", "M"))),
    (t_add, (tv(1, "s"), 2.5)),
    (t_truediv, (2, tv(1, "s"))),
    (t_lt, (tv(1, "s"), tv(1, "s", "M"))),
    (t_sub, (tv(1, "s"), tv(1, "s", "M"))),
    (t_invert, (tv(1, "s"),)),
    (t_add, (tarr([1, 2], "s"), np.array([1.5, 2.5]))),
    (t_add, (tarr([1, 2], "s", "M"), tarr([1, 2], "s", "M"))),
    (t_mul, (tarr([1, 2], "s", "M"), 2)),
    (t_lt, (tarr([1, 2], "s", "M"), 1)),
    (t_neg, (tarr([1, 2], "s", "M"),)),
], ids=["dt+dt", "dt*int", "int*dt", "dt<int", "-dt", "abs-dt", "int-dt", "td+float", "int/td", "td<dt",
        "td-dt", "~td", "td+float-array", "dt+dt-arrays", "dt-array*int", "dt-array<int", "-dt-array"])
def test_operations_numpy_lacks_are_typing_errors(f, args):
    with np.errstate(all="ignore"):
        with pytest.raises(TypeError):
            f.py_func(*args)
    with pytest.raises(TypingError):
        f(*args)


@pytest.mark.parametrize("a,b", CROSS_PAIRS)
def test_timedeltas_across_the_calendar_refused(a, b):
    # Months and years have no fixed length: NumPy refuses them against weeks
    # or finer timedeltas, and so against a datetime in those units.
    with pytest.raises(TypeError):
        np.timedelta64(1, a) + np.timedelta64(1, b)
    for f in (t_add, t_sub, t_truediv, t_floordiv, t_mod, t_lt, t_eq):
        with pytest.raises(TypingError):
            f(tv(1, a), tv(1, b))
    linear, calendar = (a, b) if b in CALENDAR else (b, a)
    for f in (t_add, t_sub):
        check(f, tv(1, linear, "M"), tv(1, calendar))
        with pytest.raises(TypingError, match="no fixed length"):
            f(tv(1, linear, "M"), tv(1, calendar))


# Years or months from 1970 (leap years, centuries, the 400-year era, before
# 1970) and counts of the finer unit (both sides of midnight, of 1970, far out).
CALENDAR_COUNTS = [0, 1, -1, 2, 11, 12, -12, -13, 30, 130, -370, 430, -2370, 9999, NAT]
LINEAR_COUNTS = [0, 1, -1, 6, -7, 59, -61, 1439, -1441, 10 ** 6 + 3, -(10 ** 6) - 7, 2 ** 40, -(2 ** 40), NAT]


@pytest.mark.parametrize("a,b", CROSS_PAIRS)
def test_datetimes_meet_across_the_calendar_like_numpy(a, b):
    # A datetime in years or months is the first day of its year or month: it
    # meets datetimes and timedeltas of weeks down to nanoseconds, where NumPy
    # wraps a result that overflows (and compiled code with it), and refuses
    # the finer units (OverflowError: compiled code refuses them too).
    counts = {u: CALENDAR_COUNTS if u in CALENDAR else LINEAR_COUNTS for u in (a, b)}
    for x in counts[a]:
        for y in counts[b]:
            for f in (t_sub, t_lt, t_eq, t_ge):
                check(f, tv(x, a, "M"), tv(y, b, "M"))
    calendar, linear = (a, b) if a in CALENDAR else (b, a)
    for x in CALENDAR_COUNTS:
        check(t_add, tv(x, calendar, "M"), tv(37, linear))
        check(t_sub, tv(x, calendar, "M"), tv(-37, linear))
    check(t_sub, tarr(counts[a], a, "M"), tarr(counts[b][:1] * len(counts[a]), b, "M"))
    check(t_add, tarr(CALENDAR_COUNTS, calendar, "M"), tarr(LINEAR_COUNTS[:1] + LINEAR_COUNTS, linear))


@pytest.mark.parametrize("calendar", CALENDAR)
@pytest.mark.parametrize("linear", ["W", "D", "h", "s", "ns"])
def test_datetimes_take_their_year_or_month_like_numpy(calendar, linear):
    # A finer datetime falls to the year or month holding it, before 1970 too.
    days = list(range(-800, 800, 29)) + [-146097, 146096, 2 ** 30, -(2 ** 30)]
    counts = [d * {"W": 1, "D": 1, "h": 24, "s": 86400, "ns": 86400 * 10 ** 9}[linear] + r
              for d in days for r in (0, 1, -1)] + [NAT]
    counts = [c for c in counts if c == NAT or abs(c) < 2 ** 63]
    check(make_astype(f"M8[{calendar}]"), tarr(counts, linear, "M"))
    check(make_astype(f"M8[{linear}]"), tarr(CALENDAR_COUNTS + list(range(-30, 30)), calendar, "M"))


@pytest.mark.parametrize("a,b", [(a, b) for a, b in OVERFLOW_PAIRS if UNITS.index(a) < UNITS.index(b)])
def test_units_numpy_cannot_convert_are_refused(a, b):
    # NumPy raises OverflowError for these pairs (the conversion factor does
    # not fit); compiled code must not answer with a value either.
    with pytest.raises(OverflowError):
        t_add.py_func(tv(1, a), tv(1, b))
    with pytest.raises((TypingError, OverflowError)):
        t_add(tv(1, a), tv(1, b))


# ============================================================== arrays: elementwise

# name -> (function, left operand kind, right operand kind)
ELEMENTWISE = {
    "td+td": (t_add, "td", "td"), "td-td": (t_sub, "td", "td"), "dt+td": (t_add, "dt", "td"),
    "td+dt": (t_add, "td", "dt"), "dt-td": (t_sub, "dt", "td"), "dt-dt": (t_sub, "dt", "dt"),
    "td+int": (t_add, "td", "int"), "int+td": (t_add, "int", "td"), "td-int": (t_sub, "td", "int"),
    "int-td": (t_sub, "int", "td"), "dt+int": (t_add, "dt", "int"), "dt-int": (t_sub, "dt", "int"),
    "td*int": (t_mul, "td", "int"), "int*td": (t_mul, "int", "td"), "td*float": (t_mul, "td", "float"),
    "float*td": (t_mul, "float", "td"), "td*bool": (t_mul, "td", "bool"), "td/int": (t_truediv, "td", "int"),
    "td/float": (t_truediv, "td", "float"), "td/td": (t_truediv, "td", "td"),
    "td//td": (t_floordiv, "td", "td"), "td//int": (t_floordiv, "td", "int"),
    "td//float": (t_floordiv, "td", "float"), "td%td": (t_mod, "td", "td"),
    "td<td": (t_lt, "td", "td"), "td<=td": (t_le, "td", "td"), "td>td": (t_gt, "td", "td"),
    "td>=td": (t_ge, "td", "td"), "td==td": (t_eq, "td", "td"), "td!=td": (t_ne, "td", "td"),
    "dt<dt": (t_lt, "dt", "dt"), "dt==dt": (t_eq, "dt", "dt"), "dt!=dt": (t_ne, "dt", "dt"),
    "dt>=dt": (t_ge, "dt", "dt"), "td<int": (t_lt, "td", "int"), "td==int": (t_eq, "td", "int"),
}
ARRAY_COUNTS = [0, 1, -1, 7, -7, 13, -13, NAT, 1000003, -999999, 5, -2]
ARRAY_INTS = [0, 1, -1, 2, -3, 7, 1000, 0, -5, 3, 4, -7]
ARRAY_FLOATS = [0.0, -0.0, 0.5, -2.5, np.nan, np.inf, -np.inf, 3.0, 1e300, -1.75, 1e-300, 2.0]
ARRAY_BOOLS = [True, False] * 6
# (left unit, right unit): arrays of two units meet in the finer one.
ARRAY_UNITS = [("s", "ms"), ("h", "D"), ("Y", "M"), ("ns", "ns")]
SHAPES = {  # name -> (shape, layout)
    "1d": ((12,), "C"), "1d-strided": ((12,), "strided"), "2d-C": ((3, 4), "C"), "2d-F": ((3, 4), "F"),
    "2d-strided": ((3, 4), "strided"), "2d-transposed": ((3, 4), "transposed"), "empty": ((0,), "C"),
    "empty2d-F": ((4, 0), "F"),
}


def _operand_array(kind, unit, shape, layout, shift=0):
    size = int(np.prod(shape))
    pick = lambda values: np.roll(np.array(values), shift)[:size]  # noqa: E731
    if kind in ("td", "dt"):
        a = tarr(pick(ARRAY_COUNTS), unit, "m" if kind == "td" else "M")
    else:
        a = np.array(pick({"int": ARRAY_INTS, "float": ARRAY_FLOATS, "bool": ARRAY_BOOLS}[kind]))
    return laid_out(a.reshape(shape), layout)


def _operand_scalars(kind, unit):
    if kind in ("td", "dt"):
        k = "m" if kind == "td" else "M"
        return [tv(7, unit, k), tv(-3, unit, k), tv(0, unit, k), tv(NAT, unit, k)]
    return {"int": [3, -2, 0, np.int32(5)], "float": [2.5, -0.0, np.nan, 1e300], "bool": [True, False]}[kind]


@pytest.mark.parametrize("op", list(ELEMENTWISE))
@pytest.mark.parametrize("units", ARRAY_UNITS, ids=lambda u: "-".join(u))
@pytest.mark.parametrize("shape_name", list(SHAPES))
@pytest.mark.parametrize("combo", ["array-scalar", "scalar-array", "array-array", "broadcast"])
def test_elementwise(op, units, shape_name, combo):
    f, lk, rk = ELEMENTWISE[op]
    ul, ur = units
    if lk not in ("td", "dt"):
        ul = ur
    if rk not in ("td", "dt"):
        ur = ul
    shape, layout = SHAPES[shape_name]
    if combo == "array-scalar":
        a = _operand_array(lk, ul, shape, layout)
        for s in _operand_scalars(rk, ur):
            check(f, a, s)
    elif combo == "scalar-array":
        b = _operand_array(rk, ur, shape, layout)
        for s in _operand_scalars(lk, ul):
            check(f, s, b)
    elif combo == "array-array":
        check(f, _operand_array(lk, ul, shape, layout), _operand_array(rk, ur, shape, layout, shift=5))
    else:  # a 2-D array with a row, and a column with a 2-D array
        rows, cols = shape if len(shape) == 2 else (3, 4 if shape[0] else 0)
        a = _operand_array(lk, ul, (rows, cols), layout)
        check(f, a, _operand_array(rk, ur, (cols,), "C", shift=3))
        check(f, _operand_array(lk, ul, (rows, 1), "C", shift=2), _operand_array(rk, ur, (rows, cols), layout))


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("shape_name", list(SHAPES))
def test_elementwise_unary(kind, unit, shape_name):
    shape, layout = SHAPES[shape_name]
    a = _operand_array("td" if kind == "m" else "dt", unit, shape, layout)
    check(t_isnat, a)
    if kind == "m":
        for f in (t_neg, t_pos, t_abs, t_np_abs):
            check(f, a)


@njit
def add_in_place(a, b):
    a += b
    return a


@njit
def sub_in_place(a, b):
    a -= b
    return a


@njit
def mul_in_place(a, b):
    a *= b
    return a


@njit
def truediv_in_place(a, b):
    a /= b
    return a


@njit
def floordiv_in_place(a, b):
    a //= b
    return a


@njit
def mod_in_place(a, b):
    a %= b
    return a


@pytest.mark.parametrize("ua,ub", [("s", "s"), ("ms", "s"), ("s", "ms"), ("h", "D"), ("M", "Y"), ("ns", "us")])
@pytest.mark.parametrize("kind", ["M", "m"])
def test_in_place_arithmetic_with_timedeltas(ua, ub, kind):
    # Arrays updated in place keep their unit (NumPy casts the result back,
    # flooring to a coarser unit); scalars take the finer unit.
    b = tarr(ARRAY_COUNTS[::-1], ub)
    if kind == "m":
        check(add_in_place, tarr(ARRAY_COUNTS, ua), b)
        check(add_in_place, tarr(ARRAY_COUNTS, ua), tv(4500, ub))
        check(sub_in_place, tarr(ARRAY_COUNTS, ua), tv(-7, ub))
        check(mod_in_place, tarr(ARRAY_COUNTS, ua), tv(5, ub))
    for count in SMALL:
        check(add_in_place, tv(count, ua, kind), tv(4, ub))
        check(sub_in_place, tv(count, ua, kind), tv(-9, ub))


@pytest.mark.parametrize("f,number", [
    (add_in_place, 4), (sub_in_place, 4), (mul_in_place, 4), (mul_in_place, 2.5), (truediv_in_place, 2),
    (truediv_in_place, 2.5), (floordiv_in_place, 2), (add_in_place, np.int32(4)),
], ids=["+=int", "-=int", "*=int", "*=float", "/=int", "/=float", "//=int", "+=int32"])
@pytest.mark.parametrize("unit", ["s", "D"])
def test_in_place_timedelta_scalar_with_a_number(f, number, unit):
    # x = np.timedelta64(3, 's'); x += 4 is np.timedelta64(7, 's') in NumPy.
    for count in [3, -9, 0, NAT]:
        check(f, tv(count, unit), number)


@pytest.mark.parametrize("f,number", [(add_in_place, 4), (sub_in_place, 4)], ids=["+=int", "-=int"])
@pytest.mark.parametrize("unit", ["s", "D"])
def test_in_place_datetime_scalar_with_a_number(f, number, unit):
    for count in [3, -9, 0, NAT]:
        check(f, tv(count, unit, "M"), number)


IN_PLACE_SCRIPT = """
import numpy as np
from numjit import njit


@njit
def update(a, b):
    a {op}= b
    return a


a = np.array([3, -9, 10, 0, -(2 ** 63)], np.int64).view("{dtype}")
b = {operand}
out = update(a, b)
print(out.dtype.str, " ".join(str(x) for x in out.view(np.int64)), out is a)
"""

IN_PLACE_ARRAY_CASES = {  # name -> (operator, array dtype, operand)
    "td+=int": ("+", "m8[s]", "3"), "td-=int": ("-", "m8[s]", "3"), "td*=int": ("*", "m8[s]", "3"),
    "td*=float": ("*", "m8[s]", "2.5"), "td/=int": ("/", "m8[s]", "2"), "td//=int": ("//", "m8[s]", "2"),
    "td+=int-array": ("+", "m8[ms]", "np.arange(5)"), "dt+=td": ("+", "M8[s]", "np.timedelta64(4, 's')"),
    "dt-=td": ("-", "M8[D]", "np.timedelta64(4, 'D')"), "dt+=td-array": ("+", "M8[h]", "np.arange(5).view('m8[h]')"),
    "dt+=int": ("+", "M8[s]", "3"), "dt-=int": ("-", "M8[D]", "3"),
}


@pytest.mark.parametrize("name", list(IN_PLACE_ARRAY_CASES))
def test_in_place_arithmetic_on_arrays(name, tmp_path):
    # Run in a process of its own: these crashed the interpreter (SIGSEGV)
    # while compiling.
    op, dtype, operand = IN_PLACE_ARRAY_CASES[name]
    script = IN_PLACE_SCRIPT.format(op=op, dtype=dtype, operand=operand)
    (tmp_path / "in_place.py").write_text(script)
    done = subprocess.run([sys.executable, "in_place.py"], capture_output=True, text=True, cwd=str(tmp_path),
                          env=dict(os.environ), timeout=300)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    expected = np.array([3, -9, 10, 0, NAT], np.int64).view(dtype)
    with np.errstate(all="ignore"):
        exec(f"expected {op}= {operand}", {"np": np, "expected": expected})
    words = done.stdout.split()
    assert words[0] == expected.dtype.str
    assert [int(w) for w in words[1:-1]] == [int(x) for x in expected.view(np.int64)]
    assert words[-1] == "True"


# ============================================================== arrays: indexing and stores

@njit
def read_at(a, i):
    return a[i]


@njit
def read_2d(a, i, j):
    return a[i, j], a[i][j]


@njit
def read_several(a):
    return a[0], a[-1], [a[1], a[2]]


@njit
def store_at(a, i, v):
    a[i] = v
    return a


@njit
def store_slice(a, v):
    a[1:] = v
    return a


@njit
def store_all(a, b):
    a[:] = b
    return a


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
def test_indexing_returns_scalars_of_the_unit(kind, unit, layout):
    a1 = laid_out(tarr(EXTREMES, unit, kind), layout)
    for i in range(-len(EXTREMES), len(EXTREMES)):
        check(read_at, a1, i)
    check(read_several, a1)
    a2 = laid_out(tarr(EXTREMES, unit, kind).reshape(2, 4), layout)
    for i, j in itertools.product(range(2), range(-4, 4)):
        check(read_2d, a2, i, j)


STORE_COUNTS = [0, 1, -1, 1500, -1500, 999, -1001, 86399, -86401, NAT]


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("target,source", UNIT_PAIRS)
def test_store_converts_units(kind, target, source):
    for count in STORE_COUNTS:
        a = tarr([11, 12, 13, 14], target, kind)
        check(store_at, a, 2, tv(count, source, kind))
        check(store_slice, a, tv(count, source, kind))
    check(store_all, tarr([11, 12, 13, 14, 15, 16, 17, 18, 19, 20], target, kind), tarr(STORE_COUNTS, source, kind))


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", ["Y", "W", "D", "s", "ns", "as"])
@pytest.mark.parametrize("int_type", [int, np.int8, np.int32, np.int64, np.uint16], ids=_type_id)
def test_store_integer_is_the_count(kind, unit, int_type):
    for n in [0, 1, 5, 100, 127]:
        a = tarr([11, 12, 13], unit, kind)
        check(store_at, a, 0, int_type(n))
        check(store_at, a, -1, int_type(n))
    a = tarr([11, 12, 13], unit, kind)
    same(store_at(a, 1, 2 ** 62), tarr([11, 2 ** 62, 13], unit, kind))


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("target,source", [("s", "ms"), ("D", "h"), ("Y", "M"), ("W", "D")])
def test_store_into_coarser_unit_floors(kind, target, source):
    f = {"ms": 1000, "h": 24, "M": 12, "D": 7}[source]
    counts = [-f - 1, -f, -f + 1, -1, 0, 1, f - 1, f, f + 1, NAT]
    expected = [(c // f if c != NAT else NAT) for c in counts]
    a = tarr([0] * len(counts), target, kind)
    b = tarr([0] * len(counts), target, kind)
    for i, c in enumerate(counts):
        store_at(a, i, tv(c, source, kind))
        b[i] = tv(c, source, kind)
    same(b, tarr(expected, target, kind), "NumPy")
    same(a, tarr(expected, target, kind))


@pytest.mark.parametrize("target,source", CROSS_PAIRS[:6] + CROSS_PAIRS[-6:])
def test_store_across_the_calendar(target, source):
    # Datetimes store through the calendar; timedeltas NumPy refuses. Below
    # nanoseconds NumPy's array stores overflow (its scalar stores wrap), and
    # compiled code refuses them.
    if {target, source} & {"ps", "fs", "as"}:
        with pytest.raises(OverflowError):
            tarr([1, 2], target, "M")[:1] = tarr([1], source, "M")
        with pytest.raises(TypingError):
            store_at(tarr([1, 2], target, "M"), 0, tv(1, source, "M"))
    else:
        for count in (0, 1, -1, 13, -13, NAT):
            check(store_at, tarr([1, 2], target, "M"), 0, tv(count, source, "M"))
        # A timedelta array copies into another unsafely (months by their average length), as NumPy's.
        counts = [0, 1, -1, 13, -13, 400, -401, 70392956961, NAT]
        check(store_all, tarr([0] * len(counts), target, "m"), tarr(counts, source, "m"))
    with pytest.raises(TypingError):
        store_at(tarr([1, 2], target, "m"), 0, tv(1, source, "m"))


@pytest.mark.parametrize("unit", ["s", "D", "ns"])
def test_store_across_kinds_refused(unit):
    with pytest.raises(TypingError):
        store_at(tarr([1, 2], unit, "M"), 0, tv(1, unit, "m"))
    with pytest.raises(TypingError):
        store_at(tarr([1, 2], unit, "m"), 0, tv(1, unit, "M"))


@pytest.mark.parametrize("unit", UNITS)
def test_store_timedelta_into_float_array_is_the_count(unit):
    for count in [0, 7, -7, 2 ** 40]:
        check(store_at, np.zeros(3), 1, tv(count, unit))


# ============================================================== arrays: methods and makers

def make_astype(target):
    @njit
    def convert(a):
        return a.astype(target)

    return convert


ASTYPE_TARGETS = ["int64", "float64", "m8[m]", "m8[ns]", "m8[D]", "m8[M]", "M8[D]", "M8[s]", "M8[Y]", "M8[as]"]
ASTYPE = {t: make_astype(t) for t in ASTYPE_TARGETS}
ASTYPE_NP = {"np.int64": make_astype(np.int64), "np.float64": make_astype(np.float64),
             "np.int32": make_astype(np.int32), "np.float32": make_astype(np.float32)}
CONVERT_COUNTS = [0, 1, -1, 59, -59, 60, -60, 61, -61, 1439, -1441, 86400 * 3 + 7, -86400 * 3 - 7, 2 ** 40, NAT]


def _numpy_casts(a, dtype):
    try:
        a.astype(dtype)
    except OverflowError:
        return False
    return True


def _astype_cases():
    """(kind, unit, target, expectation): 'numpy' (compare with NumPy) or
    'refused' (a TypingError: another kind). Timedeltas in years or months
    convert to finer units by NumPy's average length, datetimes by the calendar.
    Conversions whose factor NumPy cannot form are test_astype_numpy_cannot_convert_refused's."""
    cases = []
    for kind, unit, target in itertools.product("Mm", UNITS, ASTYPE_TARGETS + list(ASTYPE_NP)):
        dtype = np.dtype(target if target in ASTYPE else getattr(np, target[3:]))
        if dtype.kind not in "mM":
            cases.append((kind, unit, target, "numpy"))
            continue
        t_unit = np.datetime_data(dtype)[0]
        if dtype.kind != kind:
            cases.append((kind, unit, target, "refused"))
        elif _numpy_casts(tarr([1], unit, kind), dtype):
            cases.append((kind, unit, target, "numpy"))
    return cases


@pytest.mark.parametrize("kind,unit,target,expect", _astype_cases())
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_astype(kind, unit, target, expect, layout):
    f = ASTYPE[target] if target in ASTYPE else ASTYPE_NP[target]
    a = laid_out(tarr(CONVERT_COUNTS, unit, kind), layout)
    a2 = laid_out(tarr(CONVERT_COUNTS[:12], unit, kind).reshape(3, 4), "F")
    if expect == "refused":
        with pytest.raises(TypingError):
            f(a)
        return
    check(f, a)
    check(f, a2)


@pytest.mark.parametrize("a,b", [("W", "as"), ("as", "W"), ("D", "ps")])
def test_astype_numpy_cannot_convert_refused(a, b):
    f = make_astype(f"m8[{b}]")
    with pytest.raises(OverflowError):
        f.py_func(tarr([1], a))
    with pytest.raises((TypingError, OverflowError)):
        f(tarr([1], a))


@njit
def view_int(a):
    return a.view(np.int64)


@njit
def copies(a):
    return a.copy(), np.copy(a)


@njit
def reshaped(a):
    return a.reshape((3, 4)), a.reshape(2, 6), np.reshape(a, (4, 3)), a.reshape(-1)


@njit
def flat(a):
    return a.ravel(), np.ravel(a), a.flatten()


@njit
def transposed(a):
    return a.T, np.transpose(a), a.transpose()


@njit
def contiguous(a):
    return np.ascontiguousarray(a), np.asfortranarray(a)


@njit
def copy_then_write(a, v):
    b = a.copy()
    b[0] = v
    return a, b


@njit
def length(a):
    return len(a), a.size, a.shape, a.ndim


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
def test_array_methods(kind, unit, layout):
    counts = [0, 1, -1, 7, NAT, 2 ** 63 - 1, -(2 ** 63) + 1, 13, -13, 5, 6, 8]
    a2 = laid_out(tarr(counts, unit, kind).reshape(3, 4), layout)
    a1 = laid_out(tarr(counts, unit, kind), layout)
    for a in (a1, a2):
        check(copies, a)
        check(flat, a)
        check(transposed, a)
        check(contiguous, a)
        check(length, a)
        check(copy_then_write, a, tv(99, unit, kind))
    check(reshaped, tarr(counts, unit, kind))
    check(view_int, tarr(counts, unit, kind))
    check(view_int, tarr(counts, unit, kind).reshape(3, 4))


def make_makers(dtype):
    @njit
    def zeros(n):
        return np.zeros(n, dtype)

    @njit
    def zeros_2d(n):
        return np.zeros((n, 3), dtype)

    @njit
    def empty(n):
        return np.empty(n, dtype)

    @njit
    def empty_2d(n):
        return np.empty((2, n), dtype)

    @njit
    def zeros_keyword(n):
        return np.zeros(n, dtype=dtype)

    return zeros, zeros_2d, empty, empty_2d, zeros_keyword


MAKER_DTYPES = [f"{k}8[{u}]" for k in "mM" for u in UNITS]
MAKERS = {d: make_makers(d) for d in MAKER_DTYPES}


@njit
def timedelta_s_zeros(n):
    return np.zeros(n, "m8[s]")


@njit
def datetime_d_zeros(n):
    return np.zeros(n, "M8[D]")


@njit
def timedelta_s_empty(n):
    return np.empty(n, "m8[s]")


@pytest.mark.parametrize("dtype", MAKER_DTYPES)
@pytest.mark.parametrize("n", [0, 1, 5])
def test_zeros_and_empty(dtype, n):
    zeros, zeros_2d, empty, empty_2d, zeros_keyword = MAKERS[dtype]
    check(zeros, n)
    check(zeros_2d, n)
    check(zeros_keyword, n)
    for f, shape in ((empty, (n,)), (empty_2d, (2, n))):
        got = f(n)
        assert isinstance(got, np.ndarray)
        assert got.dtype == np.dtype(dtype) and got.shape == shape


def test_zeros_and_empty_with_literal_dtypes():
    check(timedelta_s_zeros, 4)
    check(datetime_d_zeros, 4)
    got = timedelta_s_empty(4)
    assert got.dtype == np.dtype("m8[s]") and got.shape == (4,)


@njit
def likes(a):
    return np.empty_like(a), np.zeros_like(a)


@njit
def zeros_like_filled(a, v):
    b = np.zeros_like(a)
    b[0] = v
    return b


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("shape", [(5,), (2, 3), (0,)], ids=["1d", "2d", "empty"])
def test_empty_like_and_zeros_like(kind, unit, shape):
    a = tarr(list(range(int(np.prod(shape)))), unit, kind).reshape(shape)
    empty, zeros = likes(a)
    assert empty.dtype == a.dtype and empty.shape == a.shape
    same(zeros, np.zeros_like(a))
    if a.size:
        check(zeros_like_filled, a, tv(NAT, unit, kind))
        check(zeros_like_filled, a, tv(-5, unit, kind))


# ============================================================== loops, tuples and lists

@njit
def latest(a):
    best = a[0]
    for i in range(1, a.size):
        if a[i] > best:
            best = a[i]
    return best


@njit
def latest_by_iteration(a):
    best = a[0]
    position = 0
    i = 0
    for x in a:
        if x >= best:
            best = x
            position = i
        i += 1
    return best, position


@njit
def gaps(a):
    out = np.empty(a.size - 1, np.int64)
    total = a[1] - a[0]
    for i in range(a.size - 1):
        d = a[i + 1] - a[i]
        out[i] = d // total if total != 0 else 0
    return out, total


@njit
def differences(a):
    d = a[1:] - a[:-1]
    return d, [a[0] - a[0], a[-1] - a[0]], a[::2] == a[::-2]


@njit
def count_nat(a):
    n = 0
    for i in range(a.size):
        if np.isnat(a[i]):
            n += 1
    return n


@njit
def summary(a):
    first = a[0]
    last = a[a.size - 1]
    return first, last, last - first, (last - first) / 2, [first, last]


@njit
def shift_all(a, d):
    out = a.copy()
    for i in range(a.size):
        out[i] = a[i] + d
    return out


@njit
def total_by_loop(a):
    total = a[0] - a[0]
    for i in range(a.size):
        if not np.isnat(a[i]):
            total = total + a[i]
    return total


LOOP_COUNTS = [
    [5, 3, 9, -2, 9, 1],
    [NAT, 3, 9, 1],
    [3, NAT, 9, NAT, 1],
    [-(2 ** 63) + 1, 2 ** 63 - 1, 0],
    [7],
    [0, 0, 0, 0],
    list(np.random.default_rng(5).integers(-10 ** 9, 10 ** 9, 200)),
]


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("counts", range(len(LOOP_COUNTS)))
def test_loops_over_arrays(kind, unit, counts):
    a = tarr(LOOP_COUNTS[counts], unit, kind)
    check(latest, a)
    check(latest_by_iteration, a)
    check(count_nat, a)
    check(summary, a)
    check(differences, a)
    check(shift_all, a, tv(3, unit))
    check(shift_all, a, 3)
    if kind == "m":
        check(total_by_loop, a)
    if a.size > 1 and counts not in (3,):  # differences of the extremes overflow
        check(gaps, a)


@njit
def pack(a, b, c):
    return (a, b, c), [a, a], [b - b, c]


@pytest.mark.parametrize("unit", UNITS)
def test_tuples_and_lists_of_times(unit):
    for count in EXTREMES:
        a = tv(count, unit, "M")
        check(pack, a, tv(5, unit), tv(-3, unit))
    check(pack, tv(1, unit, "M"), tv(NAT, unit), tv(0, unit))


@njit
def tuple_in(t):
    return t[0] - t[1], t[2]


def test_tuple_argument_of_times():
    t = (tv(10, "D", "M"), tv(3, "D", "M"), tv(4, "h"))
    check(tuple_in, t)
    check(tuple_in, (tv(10, "s", "M"), tv(NAT, "ms", "M"), tv(4, "us")))


@njit
def list_in(xs):
    best = xs[0]
    for x in xs:
        if x > best:
            best = x
    return best


@pytest.mark.parametrize("unit", ["D", "s", "ns"])
def test_list_argument_of_times(unit):
    check(list_in, [tv(3, unit), tv(-5, unit), tv(9, unit), tv(NAT, unit)])
    check(list_in, [tv(3, unit, "M"), tv(12, unit, "M"), tv(1, unit, "M")])


# ============================================================== refused library functions

@njit
def lib_sum_method(a):
    return a.sum()


@njit
def lib_sum(a):
    return np.sum(a)


@njit
def lib_max_method(a):
    return a.max()


@njit
def lib_print(x):
    print(x)


@njit
def lib_contains(x, a):
    return x in a


@njit
def lib_argmax(a):
    return np.argmax(a)


@njit
def lib_mean(a):
    return np.mean(a)


@njit
def lib_cumsum(a):
    return np.cumsum(a)


@njit
def lib_sorted(a):
    return sorted(a)


@njit
def lib_unique(a):
    return np.unique(a)


@njit
def lib_append(a):
    out = [a[0]]
    out.append(a[1])
    return out


REFUSED = {
    "a.sum()": (lib_sum_method, "array"), "np.sum": (lib_sum, "array"),
    "a.max()": (lib_max_method, "array"),
    "print": (lib_print, "scalar"), "in": (lib_contains, "in"), "np.argmax": (lib_argmax, "array"),
    "np.mean": (lib_mean, "array"), "np.cumsum": (lib_cumsum, "array"), "sorted": (lib_sorted, "array"),
    "np.unique": (lib_unique, "array"), "list.append": (lib_append, "array"),
}


@pytest.mark.parametrize("name", list(REFUSED))
@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("unit", ["D", "ms"])
def test_library_functions_refused_with_a_location(name, kind, unit):
    f, how = REFUSED[name]
    a = tarr([3, 1, 2], unit, kind)
    args = {"array": (a,), "pair": (a[0], a[1]), "scalar": (a[0],), "in": (a[0], a)}[how]
    with pytest.raises(UnsupportedError) as info:
        f(*args)
    message = str(info.value)
    assert "datetime64 or timedelta64" in message
    assert "test_datetime64.py" in message  # a located error: file, line and column


# ---- globals, max/min, np.maximum/minimum/fmax/fmin ------------------------------------

_EPOCH_2020 = np.datetime64("2020-01-01")
_ONE_DAY = np.timedelta64(1, "D")
_NAT_SECONDS = np.timedelta64("NaT", "s")


@njit
def _with_globals(x):
    return x - _EPOCH_2020, _EPOCH_2020 + _ONE_DAY, np.isnat(_NAT_SECONDS)


@pytest.mark.parametrize("when", ["2020-03-01", "2019-12-31", "NaT"])
def test_datetime_globals_are_frozen_as_counts(when):
    x = np.datetime64(when, "D")
    got, want = _with_globals(x), _with_globals.py_func(x)
    for g, w in zip(got[:2], want[:2]):
        assert g.dtype == w.dtype and (np.isnat(g) and np.isnat(w) or g == w)
    assert got[2] == want[2]


@njit
def _extremes(a, b):
    return max(a, b), min(a, b), np.maximum(a, b), np.minimum(a, b), np.fmax(a, b), np.fmin(a, b)


def _same_time(g, w):
    # The builtins keep Python's pick; a pick of another unit comes back in the common unit.
    return (np.isnat(g) and np.isnat(w)) or g == w


_PAIRS = [
    (np.timedelta64(1, "s"), np.timedelta64(2, "s")),
    (np.timedelta64(5, "s"), np.timedelta64(-5, "s")),
    (np.timedelta64("NaT", "s"), np.timedelta64(2, "s")),
    (np.timedelta64(3, "s"), np.timedelta64("NaT", "s")),
    (np.timedelta64("NaT", "s"), np.timedelta64("NaT", "s")),
    (np.timedelta64(1, "m"), np.timedelta64(59, "s")),
    (np.datetime64("2020-01-01"), np.datetime64("2019-12-31T23")),
    (np.datetime64("NaT", "D"), np.datetime64("2019-12-31T23")),
]


@pytest.mark.parametrize("a, b", _PAIRS)
def test_max_min_and_the_extreme_ufuncs_follow_python_and_numpy(a, b):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = _extremes.py_func(a, b)
    got = _extremes(a, b)
    assert all(_same_time(g, w) for g, w in zip(got, want)), (got, want)
    assert all(g.dtype == np.result_type(a, b) for g in got)


@njit
def _extreme_arrays(x, y):
    return np.maximum(x, y), np.minimum(x, y), np.fmax(x, y), np.fmin(x, y)


@pytest.mark.parametrize("units", [("s", "s"), ("s", "ms"), ("D", "h")])
def test_extreme_ufuncs_on_arrays_with_nat(units):
    x = np.array([1, "NaT", 5, "NaT", -3], f"m8[{units[0]}]")
    y = np.array([3, 2, "NaT", "NaT", -3], f"m8[{units[1]}]")
    for g, w in zip(_extreme_arrays(x, y), _extreme_arrays.py_func(x, y)):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(np.isnat(g), np.isnat(w))
        np.testing.assert_array_equal(g[~np.isnat(g)], w[~np.isnat(w)])


# ---- sorting: NaT last, as NumPy sorts it ----------------------------------------------

@njit
def _sorted_forms(a):
    return np.sort(a), np.argsort(a), a.argsort()


@njit
def _sort_in_place(a):
    a.sort()
    return a


def _equal_times(x, y):
    return (x.dtype == y.dtype and np.array_equal(np.isnat(x), np.isnat(y))
            and np.array_equal(x[~np.isnat(x)], y[~np.isnat(y)]))


@pytest.mark.parametrize("kind", ["m8[s]", "M8[D]", "m8[ns]"])
@pytest.mark.parametrize("n", [0, 1, 2, 17, 200])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sort_and_argsort_put_nat_last(kind, n, seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(-5, 5, n).astype(kind)
    values[rng.random(n) < 0.3] = np.datetime64("NaT") if kind.startswith("M") else np.timedelta64("NaT")
    for a in (values, values[::2]):
        got_sorted, got_order, got_method_order = _sorted_forms(a)
        assert _equal_times(got_sorted, np.sort(a))
        np.testing.assert_array_equal(got_order, np.argsort(a, kind="stable"))  # numjit's argsort is stable
        np.testing.assert_array_equal(got_method_order, a.argsort(kind="stable"))
        in_place = a.copy()
        assert _equal_times(_sort_in_place(in_place), np.sort(a))


# ============================================================== np.datetime64(...) and np.timedelta64(...)

def make_constructor(cls, *constants):
    """A jitted function calling cls(value, *constants) (a unit, given as a
    closure constant, as a literal would be)."""
    if not constants:
        @njit
        def construct(value):
            return cls(value)
    else:
        unit, = constants

        @njit
        def construct(value):
            return cls(value, unit)
    return construct


def make_text_constructor(cls, text, *constants):
    """A jitted function calling cls(text[, unit]) on a constant string."""
    if not constants:
        @njit
        def construct():
            return cls(text)
    else:
        unit, = constants

        @njit
        def construct():
            return cls(text, unit)
    return construct


ISO_DATES = ["", "2020-01-01T10:00:00.", "2020", "1969", "-0005", "+2021", "20200101", "2020-02", "1900-02", "1600-12", "2020-02-29",
             "1900-03-01", "1969-12-31", "2000-01-01T00", "1969-12-31T23", "2020-01-01T10:07", "2020-01-01 10:07",
             "1969-12-31T23:59:59", "1969-12-31T23:59:59.5", "2020-06-30T12:00:00.123", "2020-06-30T12:00:00.1234",
             "1970-01-01T00:00:00.123456789", "1969-12-31T23:59:59.123456789012345678", "NaT", "nat"]
CONSTRUCTOR_UNITS = [None, "Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "as"]


def _numpy_time(cls, *args):
    """NumPy's value, or None where it has the generic unit (compiled code has
    none), or the exception it raises."""
    try:
        value = cls(*args)
    except (ValueError, TypeError, OverflowError) as error:
        return error
    return None if np.datetime_data(value.dtype)[0] == "generic" else value


@pytest.mark.parametrize("text", ISO_DATES)
@pytest.mark.parametrize("unit", CONSTRUCTOR_UNITS)
def test_datetime64_of_a_date_string_like_numpy(text, unit):
    constants = () if unit is None else (unit,)
    f = make_text_constructor(np.datetime64, text, *constants)
    expected = _numpy_time(np.datetime64, text, *constants)
    if expected is None or isinstance(expected, Exception):
        with pytest.raises(TypingError, match="unit|datetime64"):
            f()
        return
    same(f(), expected)


@pytest.mark.parametrize("text,why", [("2020-02-30", "day out of range"), ("2021-02-29", "day out of range"),
                                      ("2020-13", "month out of range"), ("2020-1-1", "two digits"),
                                      ("2020-01-01T24", "hour out of range"), ("2020-01-01T10:60", "minute"),
                                      ("2020-01-01_", "unexpected"), ("yesterday", "no year"), ("2020-", "two digits"),
                                      ("2020-01-01X", "unexpected")])
def test_datetime64_of_a_bad_string_is_a_located_error(text, why):
    with pytest.raises(ValueError):
        np.datetime64(text)
    f = make_text_constructor(np.datetime64, text)
    with pytest.raises(TypingError, match=why) as info:
        f()
    assert "test_datetime64.py:" in str(info.value) and "^" in str(info.value)


@pytest.mark.parametrize("cls", [np.datetime64, np.timedelta64], ids=["datetime64", "timedelta64"])
@pytest.mark.parametrize("unit", ["Y", "M", "W", "D", "h", "s", "us", "as"])
@pytest.mark.parametrize("int_type", [int, np.int8, np.int64, np.uint16, bool], ids=_type_id)
def test_time_of_a_count_like_numpy(cls, unit, int_type):
    f = make_constructor(cls, unit)
    for n in [0, 1, -1, 5, 100, -127, 2 ** 40]:
        try:
            value = int_type(n)
        except OverflowError:
            continue
        if int_type in (bool, np.uint16) and n != int(value):
            continue
        expected = cls(int(value), unit)
        same(f(value), expected)


@pytest.mark.parametrize("kind", ["M", "m"])
@pytest.mark.parametrize("source,target", [("s", "s"), ("m", "h"), ("h", "m"), ("D", "W"), ("ns", "s"), ("Y", "M"),
                                           ("M", "Y"), ("Y", "D"), ("D", "M"), ("s", "Y")])
def test_time_of_a_time_like_numpy(kind, source, target):
    cls = np.datetime64 if kind == "M" else np.timedelta64
    f = make_constructor(cls, target)
    keep = make_constructor(cls)
    for count in [0, 1, -1, 59, -61, 90, -90, 1441, -1441, 400, -401, NAT]:
        value = tv(count, source, kind)
        expected = _numpy_time(cls, value, target)
        if isinstance(expected, Exception):
            with pytest.raises(TypingError):
                f(value)
            break
        same(f(value), expected)
        same(keep(value), cls(value))


@pytest.mark.parametrize("args,why", [((5,), "generic unit"), (("NaT",), "generic unit"), ((2.5, "s"), "integer"),
                                      ((5, "Q"), "not a datetime unit"), ((1 + 2j, "s"), "integer")])
@pytest.mark.parametrize("cls", [np.datetime64, np.timedelta64], ids=["datetime64", "timedelta64"])
def test_time_constructor_refusals(cls, args, why):
    if isinstance(args[0], str):
        f = make_text_constructor(cls, *args)
        call = f
    else:
        f = make_constructor(cls, *args[1:])
        call = lambda: f(args[0])  # noqa: E731
    with pytest.raises(TypingError, match=why):
        call()


def test_timedelta64_of_a_date_string_refused():
    with pytest.raises(TypingError, match="count or 'NaT'"):
        make_text_constructor(np.timedelta64, "2020-01-01", "D")()


def test_time_constructors_in_a_loop_match_python():
    @njit
    def hours_since(stamps, start):
        out = np.empty(stamps.size, np.float64)
        origin = np.datetime64(start, "h")
        for i in range(stamps.size):
            out[i] = (stamps[i] - origin) / np.timedelta64(1, "h")
        return out

    stamps = tarr([0, 1, -1, 10 ** 9, -(10 ** 9), NAT], "s", "M")
    for start in [0, 5, -7, 438288]:
        check(hours_since, stamps, start)
