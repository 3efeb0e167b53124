"""try/except where control jumps: bare raises a handler repeats, finally
blocks run for a return or a break (with the loops and index bounds of
their own place), a break a finally block cancels (the loop's else then
runs), and the memory and stack such paths must give back. Each was a
crash, a wrong value or a leak found in review; each is compared with
.py_func."""
import os
import resource
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import numjit.errors
from numjit import njit, prange

from try_except_helpers import assert_no_leak, compare


@njit
def raise_twice_from_one_handler(k):
    try:
        raise ValueError("orig")
    except ValueError:
        for _ in range(k):
            try:
                raise
            except ValueError:
                pass
        raise


@njit
def bare_raise_caught_inside_escaping_finally(k):
    try:
        raise ValueError("outer")
    except ValueError:
        try:
            if k:
                raise IndexError("inner")
        finally:
            try:
                raise
            except (IndexError, ValueError):
                pass
    return 0


@pytest.mark.parametrize("k", [0, 1, 2])
def test_a_handler_raises_its_exception_again_and_again(k):
    compare(raise_twice_from_one_handler, k)
    compare(bare_raise_caught_inside_escaping_finally, k)


@njit
def break_in_finally_of_nested_return(n):
    s = 0
    for i in range(3):
        try:
            for j in range(3):
                if j == 1:
                    return 100
                s += 1
            s += 1000
        finally:
            s += 10
            if n > 0:
                break  # leaves `for i`, cancelling the return
            if n < 0:
                continue
    return s


@pytest.mark.parametrize("n", [-1, 0, 1])
def test_jumps_in_finally_leave_the_loop_around_the_try(n):
    compare(break_in_finally_of_nested_return, n)


@njit
def finally_after_bounded_return(a, out, k):
    try:
        if k >= 2:
            return 1
    finally:
        k = k - 10
        out[0] = a[k]  # a negative index: wraps, whatever bound held at the return
    return 0


@njit
def finally_after_return_in_range_loop(a, out, n):
    i = 0
    try:
        for i in range(n):
            if i == 2:
                return 1
    finally:
        i = i - 5
        out[0] = a[i]
    return 0


@pytest.mark.parametrize("dtype", [np.float64, np.int32])
@pytest.mark.parametrize("k", [3, 5, 9])
def test_finally_blocks_do_not_inherit_index_bounds(dtype, k):
    a = np.arange(10).astype(dtype) * 3
    compare(finally_after_bounded_return, a, np.zeros(1, dtype), k)
    compare(finally_after_return_in_range_loop, a, np.zeros(1, dtype), k)


@njit
def break_cancelled_by_exception(n):
    r = 0
    for i in range(n):
        try:
            try:
                if i == 0:
                    break
            finally:
                raise ValueError
        except ValueError:
            r += 1
    else:
        r += 100
    return r


@njit
def break_cancelled_by_continue(n):
    r = 0
    for i in range(n):
        try:
            if i == n - 1:
                break
        finally:
            if i % 2 == 0:
                continue
    else:
        r = 1
    return r


@njit
def while_break_cancelled(n):
    i, r = 0, 0
    while i < n:
        i += 1
        try:
            if i == 2:
                break
        finally:
            if n > 3:
                continue
    else:
        r = 7
    return r * 10 + i


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5])
def test_a_cancelled_break_leaves_the_loops_else_to_run(n):
    compare(break_cancelled_by_exception, n)
    compare(break_cancelled_by_continue, n)
    compare(while_break_cancelled, n)


@njit
def return_cancelled_by_continue(n):
    for i in range(n):
        try:
            return np.arange(3) * i
        finally:
            if i < n - 1:
                continue
    return np.arange(2)


@njit
def return_cancelled_by_break(n):
    out = np.zeros(2)
    for i in range(n):
        try:
            return np.ones(4) + i
        finally:
            if i == 0:
                break
    return out


@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_cancelled_returns_release_their_values(n):
    compare(return_cancelled_by_continue, n)
    compare(return_cancelled_by_break, n)
    assert_no_leak(return_cancelled_by_continue, n)
    assert_no_leak(return_cancelled_by_break, n)


@njit
def endless_loop_left_by_break(n):
    i = 0
    while True:
        i += 1
        if i == 100:
            return i
        if i > n:
            break


@njit
def endless_loop_left_from_handler(n):
    i = 0
    while True:
        i += 1
        try:
            if i > n:
                raise ValueError
            if i == 100:
                return i
        except ValueError:
            break


@pytest.mark.parametrize("n", [3, 150])
def test_a_function_may_end_after_while_true(n):
    compare(endless_loop_left_by_break, n)
    compare(endless_loop_left_from_handler, n)


@njit
def reshape_or_minus_one(n):
    try:
        return (np.arange(6) * 2).reshape(n, 4).sum()
    except ValueError:
        return -1


def test_a_failed_reshape_releases_its_source():
    compare(reshape_or_minus_one, 1)
    assert_no_leak(reshape_or_minus_one, 1)


@njit
def nested_tuple_of_classes(x):
    try:
        return 1 // x
    except (KeyError, (ValueError, ZeroDivisionError)):
        return 0


def test_except_takes_a_flat_tuple_of_classes():
    # Python raises TypeError when it reaches the nested tuple; compiled code refuses it
    with pytest.raises(numjit.errors.UnsupportedError, match="except clause must name exception classes"):
        nested_tuple_of_classes(0)


@njit
def reduction_that_may_fail(x):
    if x > 5:
        raise ValueError("big")
    return x * 2.0


@njit(parallel=True)
def caught_failures_of_a_prange_reduction(n, reps):
    caught = 0
    for _ in range(reps):
        try:
            s = 0.0
            for i in prange(n):
                s += reduction_that_may_fail(i)
        except ValueError:
            caught += 1
    return caught


@njit(parallel=True)
def caught_failures_of_a_parallel_sum(a, reps):
    caught = 0
    for _ in range(reps):
        try:
            total = np.sum(np.sqrt(a) * 2.0)
            if total > 0:
                raise ValueError("positive")
        except ValueError:
            caught += 1
    return caught


def test_caught_parallel_failures_give_back_their_stack():
    # Each caught failure of a region gives back the stack its partials took:
    # without that, 200,000 of them overflow a 1 MiB stack. Run under that
    # limit in a process of its own.
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
        import test_try_except_jumps as t
        print(t.caught_failures_of_a_prange_reduction(10, 200000))
    """)
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    limit = 1 << 20 if hard == resource.RLIM_INFINITY else min(1 << 20, hard)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_STACK, (limit, hard)))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == str(caught_failures_of_a_prange_reduction.py_func(10, 3) * 200000 // 3)
    a = np.arange(1.0, 100001.0)
    assert caught_failures_of_a_parallel_sum(a, 50) == caught_failures_of_a_parallel_sum.py_func(a, 50)


# ---- raises numjit makes itself, entering a clause directly ------------------------------

@njit
def divide_or_raise(x, y):
    if y == 0.0:
        raise ZeroDivisionError("from a callee")
    return x / y


@njit
def entered_both_ways(x, y, log):
    # the same clause entered from a division's own check (directly) and from
    # a callee's raise (through the caught error's record)
    out = np.empty(x.size)
    for i in range(x.size):
        try:
            if i % 2:
                out[i] = float(x[i]) / float(y[i])  # (a NumPy scalar's division gives inf in Python)
            else:
                out[i] = divide_or_raise(float(x[i]), float(y[i]))
        except ZeroDivisionError:
            log[0] += 1
            out[i] = -1.0
    return out


@njit(boundscheck=True)
def first_clause_that_catches(x, y, kind):
    try:
        if kind == 0:
            return x / y
        if kind == 1:
            return float(np.arange(3)[int(y)])
        return x // y
    except LookupError:
        return -2.0
    except ArithmeticError:
        return -3.0
    except ZeroDivisionError:
        return -4.0  # never: ArithmeticError comes first


@njit
def class_named_in_the_function(x, y):
    caught = ZeroDivisionError
    try:
        return x / y
    except caught:
        return -1.0


@njit
def temporaries_then_division(x, n):
    total = 0.0
    for i in range(n):
        try:
            total += float((np.ones(3) * x).sum()) / (i % 3)
        except ZeroDivisionError:
            total -= 1.0
    return total


@pytest.mark.parametrize("n", [0, 1, 6, 101])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_clause_entered_directly_and_through_its_record(n, dtype):
    x = np.arange(n).astype(dtype) + 1
    y = np.where(np.arange(n) % 3 == 0, 0, x).astype(dtype)
    compare(entered_both_ways, x, y, np.zeros(1, np.int64))
    compare(temporaries_then_division, 2.5, n)
    assert_no_leak(temporaries_then_division, 2.5, n)


@pytest.mark.parametrize("kind", [0, 1, 2])
@pytest.mark.parametrize("y", [0.0, 1.0, 7.0])
def test_the_first_clause_that_catches_is_entered(kind, y):
    compare(first_clause_that_catches, 3.0, y, kind)
    compare(class_named_in_the_function, 3.0, y)
