"""A loop that fills the function's own new array may defer its
ZeroDivisionError checks to the loop's end (and so vectorize): if a divisor
is zero the function raises, and the half-filled array is never seen. An
array the caller can see (an argument, one put in the caller's list, a
second name for it) keeps the check at the faulty element, so what was
written before it, and only that, is there after the exception."""
import math

import numpy as np
import pytest

from conftest import dtype_id, laid_out
from numjit import njit, typed, types

DTYPES = [np.float64, np.float32, np.int64, np.int32]
SIZES = [0, 1, 7, 64, 1000]


@njit
def ratios(a, b):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]
    return out


@njit
def scaled_pairs(a, b):
    # Two new arrays, one filled through an if, returned as a tuple.
    low = np.zeros(a.shape[0])
    high = np.zeros_like(low)
    for i in range(a.shape[0]):
        r = (a[i] + 1.0) / b[i]
        if r < 1.0:
            low[i] = r
        else:
            high[i] = 1.0 / r if r != 0 else 0.0
    return low, high


@njit
def table(a, b):
    n = a.shape[0]
    out = np.empty((n, 3))
    for i in range(n):
        for j in range(3):
            out[i, j] = a[i] * (j + 1) / b[i]
    return out


@njit
def ratios_into(out, a, b):
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]


@njit
def ratios_kept(a, b, keep):
    out = np.zeros(a.shape[0])
    keep.append(out)  # the caller sees it
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]
    return out


@njit
def ratios_through_a_second_name(a, b, keep):
    out = np.zeros(a.shape[0])
    seen = out
    keep.append(seen)
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]
    return out


def operands(n, dtype, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        a = rng.uniform(-5, 5, n).astype(dtype)
        b = rng.uniform(0.5, 3, n).astype(dtype) * rng.choice([-1, 1], n).astype(dtype)
    else:
        a = rng.integers(-50, 50, n).astype(dtype)
        b = rng.integers(1, 9, n).astype(dtype) * rng.choice([-1, 1], n).astype(dtype)
    return a, b


@pytest.mark.parametrize("kind", ["C", "strided", "reversed"])
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_filled_arrays_equal_python(dtype, n, kind):
    a, b = (laid_out(x, kind) for x in operands(n, dtype, n))
    # float32 with a Python float: float64 in compiled code (as in Numba), float32 in NumPy 2.
    rtol = 1e-6 if dtype == np.float32 else 1e-15
    np.testing.assert_allclose(ratios(a, b), ratios.py_func(a, b), rtol=rtol)
    for got, expected in zip(scaled_pairs(a, b), scaled_pairs.py_func(a, b)):
        np.testing.assert_allclose(got, expected, rtol=rtol)
    np.testing.assert_allclose(table(a, b), table.py_func(a, b), rtol=rtol)


@pytest.mark.parametrize("where", [0, 3, -1])
@pytest.mark.parametrize("f", [ratios, scaled_pairs, table], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_a_zero_divisor_raises(dtype, f, where):
    a, b = operands(300, dtype, 7)
    b[where] = 0
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        f(a, b)


def expected_prefix(a, b, zero_at, fill):
    out = np.full(a.shape[0], fill)
    out[:zero_at] = a[:zero_at] / b[:zero_at]
    return out


@pytest.mark.parametrize("zero_at", [0, 5, 299])
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_an_argument_array_holds_what_came_before_the_faulty_element(dtype, zero_at):
    a, b = operands(300, dtype, zero_at)
    b[zero_at] = 0
    out = np.full(300, -7.0)
    with pytest.raises(ZeroDivisionError):
        ratios_into(out, a, b)
    np.testing.assert_allclose(out, expected_prefix(a, b, zero_at, -7.0), rtol=1e-15)


@pytest.mark.parametrize("f", [ratios_kept, ratios_through_a_second_name], ids=lambda f: f.__name__)
@pytest.mark.parametrize("zero_at", [0, 5, 299])
def test_a_new_array_the_caller_can_see_holds_what_came_before(f, zero_at):
    a, b = operands(300, np.float64, zero_at)
    b[zero_at] = 0
    keep = typed.List.empty_list(types.float64[::1])
    with pytest.raises(ZeroDivisionError):
        f(a, b, keep)
    assert len(keep) == 1
    np.testing.assert_allclose(keep[0], expected_prefix(a, b, zero_at, 0.0), rtol=1e-15)


def test_the_fill_loop_divides_in_vectors():
    a, b = operands(64, np.float64, 1)
    ratios(a, b)
    ir = "\n".join(ratios.inspect_llvm().values())
    assert "fdiv <" in ir, "the loop over the new array was not vectorized"


# --- jitted helpers called from such a loop ------------------------------------
# A helper whose whole body could defer (no stores but to its own locals, no
# other raise, no while, not recursive) runs as a variant that notes a zero
# divisor and goes on; the loop raises once it ends. Any other helper keeps
# the loop's checks where they are.

@njit
def tail_share(d):
    k = 1.0 / (1.0 + 0.25 * abs(d))
    value = 0.4 * math.exp(-0.5 * d * d) * k
    if d > 0:
        return 1.0 - value
    return value


@njit
def ratio_of(x, y):
    return x / y


@njit
def nested_ratio(x, y):
    return tail_share(ratio_of(x, y))


@njit
def inverse_gap(x, y):
    return 1.0 / (x - y)


@njit
def shares(a, b):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = tail_share(a[i] / b[i]) + nested_ratio(a[i], b[i]) + 1e-3 * inverse_gap(a[i], b[i] + 0.25)
    return out


@njit
def ratio_noting(x, y, seen):
    seen[0] += 1.0  # a store the caller sees: the helper may not defer
    return x / y


@njit
def ratios_noting(a, b, seen):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = ratio_noting(a[i], b[i], seen)
    return out


@njit
def ratio_or_raise(x, y):
    if x > 1e300:
        raise ValueError("too large")
    return x / y


@njit
def ratios_or_raise(a, b):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = ratio_or_raise(a[i], b[i])
    return out


@njit
def ratio_directly(a, b):
    # The same helper called outside a deferring loop: it raises at once.
    return ratio_of(a[0], b[0]) + ratio_of(a[-1], b[-1])


@pytest.mark.parametrize("kind", ["C", "strided", "reversed"])
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_helpers_called_from_the_loop_give_pythons_values(dtype, n, kind):
    a, b = (laid_out(x, kind) for x in operands(n, dtype, n + 1))
    rtol = 1e-6 if dtype == np.float32 else 2e-13  # libmvec's exp in vectors
    np.testing.assert_allclose(shares(a, b), shares.py_func(a, b), rtol=rtol, atol=1e-300)


@pytest.mark.parametrize("where", [0, 5, 299])
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_a_zero_divisor_in_a_helper_raises(dtype, where):
    a, b = operands(300, dtype, where)
    b[where] = 0  # the first division is in the loop, the second in nested_ratio's ratio_of
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        shares(a, b)
    a[where] = 0  # 0 / 0 too
    with pytest.raises(ZeroDivisionError):
        shares(a, b)
    if np.dtype(dtype).kind == "f":
        b[where], a[where] = 2.5, 2.75  # only inverse_gap divides by zero
        with pytest.raises(ZeroDivisionError):
            shares(a, b)


@pytest.mark.parametrize("zero_at", [0, 5, 299])
def test_a_helper_that_stores_keeps_the_check_at_the_faulty_element(zero_at):
    a, b = operands(300, np.float64, zero_at)
    b[zero_at] = 0
    seen = np.zeros(1)
    with pytest.raises(ZeroDivisionError):
        ratios_noting(a, b, seen)
    assert seen[0] == zero_at + 1  # the helper ran up to the faulty element, and no further


def test_a_helper_that_may_raise_keeps_the_first_exception():
    a, b = operands(300, np.float64, 1)
    b[7] = 0
    a[3] = 1e301  # ValueError at element 3 comes before the zero divisor at 7
    with pytest.raises(ValueError, match="too large"):
        ratios_or_raise(a, b)
    a[3], a[9] = 1.0, 1e301  # now the zero divisor comes first
    with pytest.raises(ZeroDivisionError):
        ratios_or_raise(a, b)
    b[7], a[9] = 1.0, 1.0
    np.testing.assert_allclose(ratios_or_raise(a, b), a / b, rtol=1e-15)


def test_the_helper_called_directly_raises_at_once():
    a, b = operands(10, np.float64, 2)
    assert ratio_directly(a, b) == pytest.approx(a[0] / b[0] + a[-1] / b[-1], rel=1e-15)
    b[0] = 0
    with pytest.raises(ZeroDivisionError):
        ratio_directly(a, b)


def test_the_loop_calling_helpers_divides_in_vectors():
    a, b = operands(64, np.float64, 3)
    shares(a, b)
    ir = "\n".join(shares.inspect_llvm().values())
    assert "fdiv <" in ir and "_ZGV" in ir, "the loop calling helpers was not vectorized"


# --- what a deferred check must not let through ------------------------------------
# Once a check is deferred, the faulty division's inf or NaN flows on: it may
# not become an index or a loop bound, and nothing after it may raise another
# exception first.

@njit
def store_at_quotient(a, b):
    out = np.zeros(a.size)
    for i in range(a.size):
        out[int(min(a[i] / b[i], 1e15))] = 1.0
    return out


@njit
def read_at_quotient(a, b):
    s = 0.0
    for i in range(a.size):
        k = int(min(a[i] / b[i], 1e15))
        s += a[k]
    return s


@njit
def loop_to_quotient(a, b):
    out = np.zeros(a.size)
    for i in range(a.size):
        for j in range(int(min(a[i] / b[i], 1e15))):
            out[i] += 1.0
    return out


@njit
def index_from_a_helper(a, b):
    out = np.zeros(a.size)
    for i in range(a.size):
        out[int(min(ratio_of(a[i], b[i]), 1e15))] = 1.0
    return out


@njit
def quotient_then_int_of_str(a, b, s):
    out = np.empty(a.size)
    for i in range(a.size):
        out[i] = a[i] / b[i]
        if i == 2:
            out[i] += int(s)
    return out


@njit
def quotient_then_min_of(a, b, c):
    out = np.empty(a.size)
    for i in range(a.size):
        out[i] = a[i] / b[i] + min(c)
    return out


@njit
def quotient_then_broadcast(a, b, x, y):
    out = np.empty(a.size)
    for i in range(a.size):
        out[i] = a[i] / b[i]
        out[i] += (x + y)[0]
    return out


@pytest.mark.parametrize("f", [store_at_quotient, read_at_quotient, loop_to_quotient, index_from_a_helper],
                         ids=lambda f: f.__name__)
def test_a_spoilt_quotient_never_indexes_or_bounds_a_loop(f):
    # Indices are valid for every element but the faulty one (0 / 1, 2 / 1).
    a, b = np.array([0.0, 1.0, 2.0]), np.array([1.0, 0.0, 1.0])
    with pytest.raises(ZeroDivisionError):
        f(a, b)
    b[1] = 1.0
    np.testing.assert_array_equal(np.asarray(f(a, b)), np.asarray(f.py_func(a, b)))


def test_the_first_exception_wins_over_a_deferred_one():
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.0, 1.0, 1.0, 1.0])
    raising_later = [(quotient_then_int_of_str, ("x",)), (quotient_then_min_of, (np.empty(0),)),
                     (quotient_then_broadcast, (np.ones(3), np.ones(4)))]
    for f, rest in raising_later:  # the zero divisor at element 0 comes first
        with pytest.raises(ZeroDivisionError):
            f(a, b, *rest)
    b[0] = 1.0
    for f, rest in raising_later:
        with pytest.raises(ValueError):
            f(a, b, *rest)
    np.testing.assert_array_equal(quotient_then_int_of_str(a, b, "7"), quotient_then_int_of_str.py_func(a, b, "7"))
    np.testing.assert_array_equal(quotient_then_min_of(a, b, np.arange(3.0)), a / b)
