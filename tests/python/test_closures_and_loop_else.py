"""Inner functions and lambdas (closures over the outer function's parameters
and locals, recursion, keywords, late binding; nonlocal is unsupported) and
loops with ``else:`` (for and while, break, continue, return, nested loops),
against plain Python."""
import numpy as np
import pytest

from numjit import njit
from numjit.errors import UnsupportedError

from conftest import LAYOUTS, RTOL_SINGLE, check, dtype_id, make_array

DTYPES = [np.float32, np.float64, np.int64]


# =============================================================================
# Inner functions and lambdas
# =============================================================================

@njit
def inner_uses_params_and_locals(a, k):
    c = 3
    scale = a * 2

    def g(x):
        return x * k + c + scale

    return g(a) + g(1)


@njit
def inner_called_in_loop(n):
    s = 0

    def sq(i):
        return i * i

    for i in range(n):
        s += sq(i)
    return s


@njit
def inner_on_arrays(a, w):
    def weighted(v):
        return (v * w).sum()

    total = 0.0
    for i in range(a.shape[0]):
        total += weighted(a[i])
    return total


@njit
def lambda_bound_to_name(x, y):
    f = lambda v: v * y + 1
    return f(x), f(x + 1)


@njit
def lambda_calls_lambda(x):
    f = lambda y: y + 1
    g = lambda y: f(y) * 2
    return g(x)


@njit
def recursive_inner(n):
    def fib(k):
        if k < 2:
            return k
        return fib(k - 1) + fib(k - 2)

    return fib(n)


@njit
def inner_with_keywords(a, b):
    def h(x, y, z=10):
        return x - 2 * y + 3 * z

    return h(a, b), h(y=a, x=b), h(a, b, z=1), h(a, y=b, z=2), h(z=a, y=b, x=1)


@njit
def two_inner_functions(x):
    def first(y):
        return y + 1

    def second(y):
        return first(y) * 3

    return second(x), first(x)


@njit
def two_inner_functions_capturing(x, k):
    def first(y):
        return y + k

    def second(y):
        return first(y) * 3 - k

    return second(x)


@njit
def late_binding(x):
    def g(y):
        return y + late

    late = x * 10
    return g(1)


@njit
def late_binding_rebound(x):
    def g():
        return value * 2

    value = x
    first = g()
    value = x + 1
    return first, g()


def uses_nonlocal(x):
    c = 0

    def g():
        nonlocal c
        c += x

    g()
    return c


@pytest.mark.parametrize("a, k", [(2, 5), (-3, 0), (1.5, 2.5)])
def test_inner_uses_outer_params_and_locals(a, k):
    check(inner_uses_params_and_locals, a, k)


@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_inner_called_in_loop(n):
    check(inner_called_in_loop, n)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("rows", [1, 5, 100])
def test_inner_on_array_rows(dtype, layout, rows):
    a = make_array((rows, 6), dtype, layout)
    w = make_array((6,), dtype, seed=1)
    check(inner_on_arrays, a, w, rtol=RTOL_SINGLE)


@pytest.mark.parametrize("x, y", [(2, 3), (2.5, -1.0), (0, 0)])
def test_lambda_bound_to_name(x, y):
    check(lambda_bound_to_name, x, y)


@pytest.mark.parametrize("x", [3, -1, 2.5])
def test_lambda_calling_lambda(x):
    check(lambda_calls_lambda, x)


@pytest.mark.parametrize("n, expected", [(0, 0), (1, 1), (2, 1), (10, 55), (20, 6765)])
def test_recursive_inner_function(n, expected):
    assert recursive_inner(n) == expected
    check(recursive_inner, n)


@pytest.mark.parametrize("a, b", [(3, 4), (-1, 7)])
def test_inner_with_keyword_arguments(a, b):
    check(inner_with_keywords, a, b)


def test_two_inner_functions():
    check(two_inner_functions, 4)
    check(two_inner_functions, -2.5)
    check(two_inner_functions_capturing, 2, 7)
    check(two_inner_functions_capturing, 1.5, -3.0)


def test_inner_reads_variable_assigned_after_def():
    check(late_binding, 4)
    assert late_binding(4) == 41
    check(late_binding_rebound, 5)
    assert late_binding_rebound(5) == (10, 12)


def test_nonlocal_is_unsupported():
    assert uses_nonlocal(5) == 5
    with pytest.raises(UnsupportedError, match="nonlocal"):
        njit(uses_nonlocal)(5)


# =============================================================================
# Loops with else
# =============================================================================

@njit
def for_else_search(a, target):
    found = -1
    for i in range(a.shape[0]):
        if a[i] == target:
            found = i
            break
    else:
        found = -2
    return found


@njit
def for_else_over_array(a, target):
    flag = 0
    for v in a:
        if v == target:
            break
    else:
        flag = 1
    return flag


@njit
def while_else(n, stop):
    i = 0
    r = 0
    while i < n:
        if i == stop:
            r = 100
            break
        i += 1
    else:
        r = -1
    return r, i


@njit
def nested_break_does_not_count(n, m, stop):
    count = 0
    elses = 0
    for i in range(n):
        for j in range(m):
            if j == stop:
                break
            count += 1
        else:
            elses += 10
    else:
        elses += 1
    return count, elses


@njit
def while_else_inner_break(n):
    i = 0
    total = 0
    while i < n:
        j = 0
        while j < 10:
            if j == 3:
                break
            j += 1
        total += j
        i += 1
    else:
        total = -total
    return total


@njit
def nested_if_break(a, lo, hi):
    res = 0
    for i in range(a.shape[0]):
        if a[i] > lo:
            if a[i] < hi:
                res = i
                break
            else:
                res -= 1
    else:
        res = 1000 + res
    return res


@njit
def primes_below(n):
    out = np.zeros(max(n, 0), np.int64)
    k = 0
    for p in range(2, n):
        for d in range(2, p):
            if p % d == 0:
                break
        else:
            out[k] = p
            k += 1
    return out[:k]


@njit
def for_else_continue(n):
    s = 0
    for i in range(n):
        if i % 2:
            continue
        s += i
    else:
        s *= 100
    return s


@njit
def for_else_return(n):
    for i in range(n):
        if i == 3:
            return i
    else:
        return -1


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_for_else(dtype, n):
    a = np.arange(n).astype(dtype)
    for target in (0, n // 2, n - 1, n + 5):
        check(for_else_search, a, dtype(target))
        check(for_else_over_array, a, dtype(target))
    check(for_else_over_array, a[::2], dtype(1))


def test_for_else_results():
    a = np.arange(5.0)
    assert for_else_search(a, 3.0) == 3
    assert for_else_search(a, 9.0) == -2
    assert for_else_over_array(a, 2.0) == 0
    assert for_else_over_array(a, 9.0) == 1


@pytest.mark.parametrize("n, stop", [(10, 4), (10, 40), (0, 0), (1, 0), (100, 99)])
def test_while_else(n, stop):
    check(while_else, n, stop)


@pytest.mark.parametrize("n, m, stop", [(3, 4, 2), (3, 4, 9), (0, 4, 2), (5, 0, 0), (4, 4, 0)])
def test_break_in_nested_loop_does_not_count(n, m, stop):
    check(nested_break_does_not_count, n, m, stop)


def test_nested_break_values():
    assert nested_break_does_not_count(3, 4, 2) == (6, 1)
    assert nested_break_does_not_count(3, 4, 9) == (12, 31)
    check(while_else_inner_break, 4)
    assert while_else_inner_break(4) == -12


@pytest.mark.parametrize("lo, hi", [(4.0, 6.0), (10.0, 6.0), (0.0, 0.5), (0.0, 2.0)])
def test_break_inside_nested_if(lo, hi):
    check(nested_if_break, np.array([1.0, 5.0, 9.0, 3.0]), lo, hi)


@pytest.mark.parametrize("n", [0, 2, 3, 50, 100])
def test_for_else_primes_continue_return(n):
    check(primes_below, n)
    check(for_else_continue, n)
    check(for_else_return, n)
