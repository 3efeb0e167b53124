"""try/except in compiled code (lower/lower_try.cpp), continued: loops
and jumps through finally blocks, the partial writes a handler sees,
exceptions from run-time checks, containers, deep calls, recursion, objmode,
prange, vectorize and generators, and memory while exceptions are caught.
Compared with .py_func as in test_try_except.py."""
import sys

import numpy as np
import pytest

import numjit
from numjit import njit, objmode, prange
from numjit.typed import Dict

from conftest import assert_same, laid_out, num_threads
from try_except_helpers import (AppError, DTYPES, KINDS, OtherError, ParseError, SIZES, assert_no_leak, compare,
                                dtype_ids, fails_above, name_ids, new_log, note, raise_kind, raises_holding,
                                safe_reciprocal, with_zero_in_middle)


# ---- loops ----------------------------------------------------------------------------

@njit
def return_from_nested_loops_through_finally(m, target, log):
    try:
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                try:
                    if m[i, j] == target:
                        return i * 100 + j
                finally:
                    log[2] += 1
    finally:
        log[1] += 1
    return -1


@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("target", [5, 1000])
def test_return_from_nested_loops_runs_each_finally(layout, target):
    m = laid_out(np.arange(24, dtype=np.int64).reshape(4, 6), layout)
    compare(return_from_nested_loops_through_finally, m, target, new_log())


@njit
def handler_continue_and_break(x):
    done = 0
    i = -1
    while i + 1 < x.shape[0]:
        i += 1
        try:
            v = 100 // int(x[i])
        except ZeroDivisionError:
            if done > 3:
                break
            continue
        else:
            done += v
    return done, i

@njit
def loop_else_after_try(x):
    i = -1
    for i in range(x.shape[0]):
        try:
            100 // int(x[i])
        except ZeroDivisionError:
            break  # skips the loop's else
        finally:
            if i == 5:
                break
    else:
        return -1
    return i


@pytest.mark.parametrize("dtype", DTYPES, **dtype_ids)
@pytest.mark.parametrize("n", SIZES)
def test_jumps_from_handlers(dtype, n):
    compare(handler_continue_and_break, (np.arange(n) % 4).astype(dtype))
    compare(loop_else_after_try, (np.arange(n) % 9).astype(dtype))
    compare(loop_else_after_try, np.ones(n, dtype))


# ---- arrays written before the exception ------------------------------------------------

@njit
def stores_until_zero(x, out, whole):
    try:
        for i in range(x.shape[0]):
            out[i] = 1.0 / float(x[i])
    except ZeroDivisionError:
        pass
    try:
        for i in range(x.shape[0]):
            whole[i] = 1000 // int(x[i]) + 1000 % (int(x[i]) + 1)
    except ZeroDivisionError:
        return -1
    return 0

@njit
def fresh_array_and_scalars_at_zero(x):
    # `out` is private to the function: without the try its loop could defer
    # the zero check past the faulty iteration.
    out = np.full(x.shape[0], 7.0)
    total = 0.0
    i = -1
    try:
        for i in range(x.shape[0]):
            out[i] = 1.0 / float(x[i])
            total += out[i]
    except ZeroDivisionError:
        return out, total, i
    return out, total, i

@njit
def reciprocals_through_safe_callee(x):
    # No try here, so this loop may defer its own checks; the callee's
    # handler must still see each zero.
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = safe_reciprocal(float(x[i]))
    return out


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, **dtype_ids)
def test_handler_sees_pythons_partial_writes(dtype, n):
    x = with_zero_in_middle(n, dtype)
    compare(stores_until_zero, x, np.full(n, 7.0), np.full(n, 7, np.int64))
    compare(fresh_array_and_scalars_at_zero, x)
    compare(reciprocals_through_safe_callee, x)
    wide = with_zero_in_middle(2 * n, dtype)[::2]  # not contiguous
    compare(stores_until_zero, wide, np.full(n, 7.0)[::-1], np.full(2 * n, 7, np.int64)[::2])


@njit
def reciprocals_2d_until_zero(m, out):
    try:
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                out[i, j] = 1.0 / float(m[i, j])
    except ZeroDivisionError:
        return -1
    return 0


@pytest.mark.parametrize("shape", [(0, 3), (1, 1), (4, 5), (40, 30)])
@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("dtype", DTYPES, **dtype_ids)
def test_handler_sees_pythons_partial_writes_2d(dtype, layout, shape):
    m = laid_out(with_zero_in_middle(int(np.prod(shape)), dtype).reshape(shape), layout)
    compare(reciprocals_2d_until_zero, m, laid_out(np.full(shape, 7.0), layout))


# ---- exceptions from run-time checks, containers, deep calls, recursion -----------------

@njit(boundscheck=True)
def checked_index(a, i, out):
    try:
        out[0] = a[i]
        return 1
    except IndexError:
        return 0


@pytest.mark.parametrize("dtype", DTYPES, **dtype_ids)
@pytest.mark.parametrize("n", [0, 1, 7])
def test_boundscheck_index_error_is_caught(dtype, n):
    a = np.arange(1, n + 1).astype(dtype)
    for i in [-n - 1, -1, 0, n - 1, n, n + 5]:
        compare(checked_index, a, i, np.zeros(1, dtype))


@njit
def run_time_errors_caught(a, b, n):
    try:
        q = a // b, a % b
    except ZeroDivisionError:
        q = -1, -1
    try:
        size = np.empty(n).shape[0]
    except ValueError:  # negative dimensions
        size = -1
    return q, size

@njit
def division_through_finally(op, a, b, log):
    try:
        if op == 0:
            return a / b
        if op == 1:
            return a // b
        return a % b
    finally:
        log[1] += 1


@pytest.mark.parametrize("b", [3, -2, 0])
def test_run_time_check_errors_are_caught(b):
    compare(run_time_errors_caught, 17, b, 4 * b)


@pytest.mark.parametrize("op", [0, 1, 2], ids=["true_divide", "floor_divide", "modulo"])
@pytest.mark.parametrize("a, b", [(17, 0), (17.0, 0.0)])
def test_zero_division_message_escaping_through_finally(op, a, b):
    compare(division_through_finally, op, a, b, new_log())


@njit
def dict_and_list_lookups(d, k, log):
    local = {1: 1.5, 2: 2.5, 5: 5.5}
    values = [1.5, 2.5, 3.5]
    try:
        v = local[k] + d[k]
    except KeyError:
        v = -1.0
    try:
        w = local.pop(k + 1)
    except LookupError:
        w = -2.0
    try:
        v += values[k - 3]
    except IndexError:
        v += 100.0
    try:
        for _ in range(k):
            values.pop()
    except IndexError:  # pop from an empty list
        w += 1000.0
    finally:
        log[1] += 1
    more = [1.0, 2.0, 3.0]
    try:
        return v + w + more[k]
    except KeyError:  # lets the IndexError pass
        return 0.0


@pytest.mark.parametrize("k", [-1, 1, 2, 3, 4, 9])
def test_dict_and_list_errors(k):
    d = Dict()
    for key in [1, 2, 4]:
        d[key] = key * 0.5
    compare(dict_and_list_lookups, d, k, new_log())


@njit
def level3(v, kind):
    return raise_kind(kind, v) * 2.0

@njit
def level2(a, kind, log):
    t = a + 1.0
    try:
        return (t * level3(1.5, kind)).sum()
    except KeyError:
        note(log, 2)
        return -2.0
    finally:
        note(log, 3)

@njit
def level1(a, kind, log):
    return level2(a * 2.0, kind, log) + 1.0

@njit
def top_level(a, kind, log):
    try:
        return level1(a, kind, log)
    except AppError:
        note(log, 5)
        return -5.0


@pytest.mark.parametrize("dtype", DTYPES, **dtype_ids)
@pytest.mark.parametrize("kind", KINDS)
def test_exception_from_several_levels_down(dtype, kind):
    a = np.arange(6).astype(dtype)
    compare(top_level, a, kind, new_log())
    if kind in (0, 2, 5):
        assert_no_leak(top_level, a, kind, new_log())


@njit
def recursive_with_try(n, fail_at):
    if n == fail_at:
        raise ValueError("reached")
    if n == 0:
        return 1
    try:
        return recursive_with_try(n - 1, fail_at) * 3 + n
    except ValueError:
        if n % 2 == 0:
            raise
        return n * 1000


@pytest.mark.parametrize("fail_at", [-1, 0, 1, 2, 5, 8])
def test_recursion_with_try(fail_at):
    compare(recursive_with_try, 8, fail_at)


# ---- objmode ------------------------------------------------------------------------

def python_side(x):
    if x < 0:
        raise ParseError("negative in the interpreter")
    if x == 0:
        raise ValueError("zero in the interpreter")
    return x * 2.0


PREMADE = OtherError("premade")


def raise_premade():
    raise PREMADE


@njit
def objmode_raising(x, log):
    try:
        with objmode(y="float64"):
            y = python_side(x)
    except AppError:
        y = -1.0
    finally:
        note(log, 1)
    return y

@njit
def objmode_premade_caught(n):
    hits = 0
    for i in range(n):
        try:
            try:
                with objmode():
                    raise_premade()
            except OtherError:
                hits += 1
                raise KeyError("replaces the caught one")
            finally:
                hits += 10
        except KeyError:
            hits += 100
    return hits


@pytest.mark.parametrize("x", [-1.0, 0.0, 2.5])
def test_objmode_exception_is_caught(x):
    compare(objmode_raising, x, new_log())


def test_caught_interpreter_exceptions_are_released():
    compare(objmode_premade_caught, 3)
    objmode_premade_caught(5)
    before = sys.getrefcount(PREMADE)
    objmode_premade_caught(50)
    assert sys.getrefcount(PREMADE) == before


# ---- memory: temporaries alive when an exception is raised ---------------------------

@njit
def temporaries_then_caught(a, limit):
    total = 0.0
    for k in range(4):
        try:
            b = (a + 1.0) * raises_holding(a * 2.0, float(k), limit)
            total += b.sum()
        except ValueError:
            total -= 1.0
    return total

@njit
def handler_raises_again(a, limit):
    try:
        b = (a - 1.0) * raises_holding(a + 2.0, 2.0, limit)
    except ValueError:
        c = a * 3.0
        b = (c + 1.0) * raises_holding(c * a, 3.0, limit + 1.5)
    return b.sum()

@njit
def escaping_through_finally(a, limit):
    try:
        b = (a + 1.0) * raises_holding(a - 1.0, 2.0, limit)
    finally:
        c = a * 2.0
        limit += c.shape[0]
    return b.sum() + limit

@njit
def return_through_finally(a, limit):
    try:
        t = a * 2.0
        return (t + a).sum() + fails_above(1.0, limit)
    finally:
        a[0:1] = 3.0

@njit
def catches_what_escapes(a, limit):
    try:
        return handler_raises_again(a, limit) + escaping_through_finally(a, limit - 1.0)
    except ValueError:
        try:
            return return_through_finally(a, limit + 1.2)
        except ValueError:
            return -2.0

@njit
def jumps_with_temporaries(a, limit):
    total = 0.0
    for k in range(5):
        try:
            t = a * float(k)
            if k > limit:
                break
            if k == 1:
                continue
            total += (t + raises_holding(t * 2.0, float(k), limit - 1.0)).sum()
        except ValueError:
            total += 0.5
        finally:
            total += (a * 0.5).sum()
    return total

@njit
def list_of_arrays_when_raised(a, limit):
    try:
        parts = [a * 1.0, a * 2.0]
        parts.append(a + raises_holding(parts[1] + 1.0, 3.0, limit))
        return len(parts)
    except ValueError:
        return -1


@pytest.mark.parametrize("n", [1, 7, 1000])
@pytest.mark.parametrize("limit", [-1.0, 1.5, 2.5, 10.0])
@pytest.mark.parametrize("f", [temporaries_then_caught, catches_what_escapes, jumps_with_temporaries,
                               list_of_arrays_when_raised], **name_ids)
def test_no_leak_when_exceptions_are_caught(f, n, limit):
    a = np.linspace(0.0, 1.0, n)
    compare(f, a, limit)
    assert_no_leak(f, a, limit)


@njit
def rows_iterated_when_raised(m, limit):
    total = 0.0
    try:
        for row in m:
            total += (row * 2.0).sum() + fails_above(row[0], limit)
    except ValueError:
        total = -total
    return total


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("limit", [-1.0, 4.0, 100.0])
def test_no_leak_iterating_rows(layout, limit):
    m = laid_out(np.arange(30, dtype=np.float64).reshape(6, 5), layout)
    compare(rows_iterated_when_raised, m, limit)
    assert_no_leak(rows_iterated_when_raised, m, limit)


# ---- parallel -----------------------------------------------------------------------

@njit(parallel=True)
def prange_inside_try(x):
    s = 0
    try:
        for i in prange(x.shape[0]):
            s += 1000 // int(x[i])
    except ZeroDivisionError:
        return -1
    return s

@njit(parallel=True)
def try_inside_prange(x, out):
    for i in prange(x.shape[0]):
        try:
            out[i] = 1000 // int(x[i])
        except ZeroDivisionError:
            out[i] = -1
        out[i] += int(safe_reciprocal(float(x[i])) * 1000.0)
    return out.sum()

@njit(parallel=True)
def handler_in_prange_raises_outside(x):
    try:
        for i in prange(x.shape[0]):
            try:
                1000 // int(x[i])
            except ZeroDivisionError:
                raise OtherError("zero somewhere")
    except OtherError:
        return -1
    return 1

@njit(parallel=True)
def prange_temporaries_raise(a, limit):
    s = 0.0
    try:
        for i in prange(a.shape[0]):
            t = np.ones(3) * a[i]
            s += t.sum() + fails_above(a[i], limit)
    except ValueError:
        return -1.0
    return s


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, **dtype_ids)
def test_prange_and_try(dtype, n, threads):
    x = with_zero_in_middle(n, dtype)
    with num_threads(threads):
        for data in (x, np.ones(n, dtype)):
            compare(prange_inside_try, data)
            compare(handler_in_prange_raises_outside, data)
        compare(try_inside_prange, x, np.zeros(n, np.int64))


@pytest.mark.parametrize("limit", [-1.0, 500.0, 2000.0])
def test_prange_exception_releases_temporaries(limit):
    a = np.arange(1000, dtype=np.float64)
    with num_threads(2):
        compare(prange_temporaries_raise, a, limit)
        assert_no_leak(prange_temporaries_raise, a, limit)


# ---- vectorize and generators --------------------------------------------------------

def guarded_kernel(x):
    try:
        if x < 0:
            raise ValueError("negative")
        r = x * 2.0
    except ValueError:
        r = -1.0
    return r


guarded_ufunc = numjit.vectorize(["float64(float64)", "float32(float32)"])(guarded_kernel)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], **dtype_ids)
def test_try_inside_vectorize_kernel(dtype, layout):
    m = laid_out((np.arange(12).reshape(3, 4) - 5).astype(dtype), layout)
    assert_same(guarded_ufunc(m), np.vectorize(guarded_kernel, otypes=[dtype])(m))


@njit
def numbers_or_markers(n):
    for i in range(n):
        try:
            v = 10 // (i - 2)
        except ZeroDivisionError:
            v = -1
        yield v

@njit
def stops_inside_try(x):
    for i in range(x.shape[0]):
        try:
            v = 10 // int(x[i])
        except ZeroDivisionError:
            return
        finally:
            if i == 6:
                return  # noqa: B012
        yield v

@njit
def raises_midway(n):
    for i in range(n):
        if i == 3:
            raise KeyError("from the generator")
        yield i

@njit
def consumers_with_try(n, x, log):
    s = 0
    for v in numbers_or_markers(n):
        try:
            if v == 10:
                continue
            if v == 5:
                raise ValueError("breaks from the handler")
            s += v
        except ValueError:
            break
        finally:
            log[1] += 1
    for v in stops_inside_try(x):
        s += 1000 * v
    try:
        for v in raises_midway(n):
            s += 100000 * v
    except KeyError:
        s = -s
    return s


@pytest.mark.parametrize("n, x", [(0, np.ones(0, np.int64)), (2, np.array([1, 0, 2])), (6, np.arange(9) + 1),
                                  (9, np.arange(9) % 5)])
def test_generators_with_try(n, x):
    # A jitted generator called from Python collects its values first (so it
    # raises before yielding any): the reference runs the generators as plain
    # Python ones.
    log = new_log()
    got = consumers_with_try(n, x, log)
    plain = {g.__name__: g.py_func for g in (numbers_or_markers, stops_inside_try, raises_midway)}
    saved = {name: globals()[name] for name in plain}
    globals().update(plain)
    try:
        expected_log = new_log()
        expected = consumers_with_try.py_func(n, x, expected_log)
    finally:
        globals().update(saved)
    assert got == expected
    assert_same(log, expected_log)


