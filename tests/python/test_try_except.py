"""try/except/else/finally in compiled code (lower/lower_try.cpp).

Every function is compared with itself run as plain Python (.py_func): the
same result, or the same exception class and message, and the same contents
of the arrays it was given (so the partial writes a handler sees are checked
too). Memory tests check that the blocks compiled code allocates are all
freed when an exception is raised and caught while array temporaries live.
"""
import sys

import numpy as np
import pytest

import numjit
from numjit import njit, objmode, prange

from conftest import assert_same, default_rtol, laid_out, measure_blocks, num_threads


class AppError(Exception):
    pass


class ParseError(AppError):
    pass


class DeepParseError(ParseError):
    pass


class OtherError(Exception):
    pass


class Halt(BaseException):
    """Derives from BaseException only: `except Exception` must let it pass."""


KINDS = list(range(10))
DTYPES = [np.int64, np.int32, np.float64, np.float32]
SIZES = [0, 1, 7, 1000]


def compare(f, *args, widen=False):
    """f(*args) against f.py_func on copies of the array arguments."""
    copies = [a.copy(order="K") if isinstance(a, np.ndarray) else a for a in args]
    rtol = default_rtol(*args)
    try:
        expected, error = f.py_func(*copies), None
    except (Exception, Halt) as exc:
        expected, error = None, exc
    if error is None:
        assert_same(f(*args), expected, rtol, widen=widen)
    else:
        with pytest.raises(type(error)) as info:
            f(*args)
        assert type(info.value) is type(error)
        assert str(info.value) == str(error)
    for mine, theirs in zip(args, copies):
        if isinstance(mine, np.ndarray):
            assert_same(mine, theirs, rtol)
    return error


def new_log():
    return np.zeros(16, np.int64)


def with_zero_in_middle(n, dtype, seed=0):
    x = (np.random.default_rng(seed).integers(1, 9, n)).astype(dtype)
    if n:
        x[n // 2] = 0
    return x


# ---- helpers the compiled functions call -----------------------------------

@njit
def note(log, code):
    n = log[0] + 1
    log[n] = code
    log[0] = n


@njit
def raise_kind(kind, x):
    if kind == 1:
        raise ValueError("value")
    if kind == 2:
        raise KeyError("key")
    if kind == 3:
        raise IndexError("index")
    if kind == 4:
        raise ZeroDivisionError("zero")
    if kind == 5:
        raise ParseError("parse")
    if kind == 6:
        raise DeepParseError("deep parse")
    if kind == 7:
        raise OtherError("other")
    if kind == 8:
        raise Halt("halt")
    if kind == 9:
        raise TypeError("type")
    return x


@njit
def fails_above(x, limit):
    if x > limit:
        raise ValueError("above the limit")
    return x


# ---- the handler forms -------------------------------------------------------

@njit
def bare_except(kind):
    try:
        r = raise_kind(kind, 1)
    except:  # noqa: E722 (catches Halt too)
        r = -1
    return r


@njit
def except_exception(kind):
    try:
        r = raise_kind(kind, 1)
    except Exception:
        r = -1
    return r


@njit
def except_base_exception(kind):
    try:
        r = raise_kind(kind, 1)
    except BaseException:
        r = -1
    return r


@njit
def except_lookup_or_arithmetic(kind):
    try:
        r = raise_kind(kind, 1)
    except LookupError:
        r = -2
    except ArithmeticError:
        r = -3
    return r


@njit
def except_tuple(kind):
    try:
        r = raise_kind(kind, 1)
    except (ValueError, AppError):
        r = -4
    return r


@njit
def handlers_in_order(kind):
    # The first clause that matches wins, even where a later one is narrower.
    try:
        raise_kind(kind, 1)
    except ParseError:
        return 1
    except DeepParseError:
        return 2
    except AppError:
        return 3
    except LookupError:
        return 4
    except Exception:
        return 5
    except Halt:
        return 6
    return 0


@njit
def except_as_unused(kind):
    try:
        raise_kind(kind, 1)
    except AppError as unused:  # noqa: F841
        return 7
    return 0


@njit
def raise_caught_by_own_handler(kind):
    try:
        if kind == 1:
            raise OtherError("direct")
        if kind == 2:
            raise DeepParseError
        return 0
    except OtherError:
        return 1
    except AppError:
        return 2


@pytest.mark.parametrize("f", [bare_except, except_exception, except_base_exception, except_lookup_or_arithmetic,
                               except_tuple, handlers_in_order, except_as_unused, raise_caught_by_own_handler],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("kind", KINDS)
def test_handler_forms_match_like_python(f, kind):
    compare(f, kind)


# ---- else -------------------------------------------------------------------

@njit
def else_runs_without_exception(kind, log):
    try:
        raise_kind(kind, 1)
    except LookupError:
        note(log, 1)
    else:
        note(log, 2)
    finally:
        note(log, 3)
    return log[0]


@njit
def else_not_protected_by_handlers(kind):
    try:
        r = 10
    except Exception:
        return -1
    else:
        raise_kind(kind, 1)
        return r


@njit
def else_raising_caught_outside(kind, log):
    try:
        try:
            note(log, 1)
        except Exception:
            note(log, 2)
        else:
            raise_kind(kind, 1)
        finally:
            note(log, 3)
    except Exception:
        note(log, 4)
    return log[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("f", [else_runs_without_exception, else_raising_caught_outside], ids=lambda f: f.__name__)
def test_else_clause(f, kind):
    compare(f, kind, new_log())


@pytest.mark.parametrize("kind", KINDS)
def test_exception_in_else_passes_the_handlers(kind):
    compare(else_not_protected_by_handlers, kind)


# ---- finally ----------------------------------------------------------------

@njit
def finally_on_every_way_out(kind, log):
    try:
        note(log, 1)
        raise_kind(kind, 1)
        note(log, 2)
    except LookupError:
        note(log, 3)
    finally:
        note(log, 4)
    note(log, 5)
    return log[0]


@njit
def finally_replaces_exception(kind):
    try:
        raise_kind(kind, 1)
    finally:
        if kind != 0:
            raise OtherError("from finally")
    return 0


@njit
def return_in_finally_swallows(kind):
    try:
        raise_kind(kind, 1)
        return 1
    finally:
        return 2  # noqa: B012


@njit
def return_in_handler_then_finally(kind, log):
    try:
        raise_kind(kind, 1)
    except Exception:
        note(log, 1)
        return 10
    finally:
        note(log, 2)
    return 0


@njit
def finally_return_overrides_handler_return(kind):
    try:
        raise_kind(kind, 1)
        return 1
    except Exception:
        return 2
    finally:
        if kind % 2 == 0:
            return 3  # noqa: B012


@njit
def return_value_taken_before_finally(n):
    x = n
    try:
        return x
    finally:
        x = n + 100


@njit
def finally_raises_after_return(n):
    try:
        return n
    finally:
        if n > 2:
            raise KeyError("raised after the return value was computed")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("f", [finally_on_every_way_out, return_in_handler_then_finally], ids=lambda f: f.__name__)
def test_finally_runs_on_every_way_out(f, kind):
    compare(f, kind, new_log())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("f", [finally_replaces_exception, return_in_finally_swallows,
                               finally_return_overrides_handler_return], ids=lambda f: f.__name__)
def test_finally_changes_the_outcome(f, kind):
    compare(f, kind)


@pytest.mark.parametrize("n", [0, 3])
@pytest.mark.parametrize("f", [return_value_taken_before_finally, finally_raises_after_return],
                         ids=lambda f: f.__name__)
def test_return_value_and_finally(f, n):
    compare(f, n)


@njit
def returned_array_kept_when_finally_rebinds(a):
    b = a * 2.0
    try:
        return b
    finally:
        b = a * 3.0


@pytest.mark.parametrize("n", SIZES)
def test_returned_array_kept_when_finally_rebinds(n):
    a = np.arange(n, dtype=np.float64)
    compare(returned_array_kept_when_finally_rebinds, a)
    allocated, freed = measure_blocks(returned_array_kept_when_finally_rebinds, a)
    assert allocated == freed


# ---- finally and loops ---------------------------------------------------------

@njit
def break_continue_through_finally_for(n, log):
    total = 0
    for i in range(n):
        try:
            if i % 3 == 0:
                continue
            if i == 7:
                break
            total += i
        finally:
            log[1] += 1
        total += 100
    return total


@njit
def break_continue_through_finally_while(n, log):
    i = 0
    total = 0
    while True:
        try:
            i += 1
            if i > n:
                break
            if i % 2:
                continue
            total += i
        finally:
            log[1] += 1
    return total


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


@njit
def break_in_finally_swallows(n):
    count = 0
    for i in range(n):
        try:
            count += 1
            if i == 2:
                raise ValueError("lost")
        finally:
            if i == 2:
                break  # noqa: B012
    return count


@njit
def continue_in_finally_swallows(n):
    s = 0
    for i in range(n):
        try:
            if i % 3 == 0:
                raise KeyError("skipped")
            s += i
        finally:
            if i % 3 == 0:
                continue  # noqa: B012
        s += 100
    return s


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


@pytest.mark.parametrize("n", [0, 1, 2, 5, 12])
@pytest.mark.parametrize("f", [break_continue_through_finally_for, break_continue_through_finally_while],
                         ids=lambda f: f.__name__)
def test_break_and_continue_run_finally(f, n):
    compare(f, n, new_log())


@pytest.mark.parametrize("n", [0, 2, 3, 8])
@pytest.mark.parametrize("f", [break_in_finally_swallows, continue_in_finally_swallows], ids=lambda f: f.__name__)
def test_jump_out_of_finally_swallows_the_exception(f, n):
    compare(f, n)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("target", [5, 1000])
def test_return_from_nested_loops_runs_each_finally(layout, target):
    m = laid_out(np.arange(24, dtype=np.int64).reshape(4, 6), layout)
    compare(return_from_nested_loops_through_finally, m, target, new_log())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_continue_and_break_in_handler(dtype, n):
    x = (np.arange(n) % 4).astype(dtype)
    compare(handler_continue_and_break, x)


# ---- nested try statements and bare raise ------------------------------------

@njit
def inner_handler_raises_outer_catches(kind, log):
    try:
        try:
            raise_kind(kind, 1)
        except LookupError:
            note(log, 1)
            raise OtherError("translated")
        finally:
            note(log, 2)
    except OtherError:
        note(log, 3)
        return 3
    except AppError:
        note(log, 4)
        return 4
    return 0


@njit
def bare_raise_reraises(kind, log):
    try:
        raise_kind(kind, 1)
    except LookupError:
        note(log, 1)
        raise
    except Exception:
        note(log, 2)
    return log[0]


@njit
def bare_raise_after_inner_try(kind):
    # The inner try inside the handler catches its own error: the bare raise
    # after it raises the exception the outer handler caught.
    try:
        try:
            raise_kind(kind, 1)
        except Exception:
            try:
                raise OtherError("inner")
            except OtherError:
                pass
            raise
    except LookupError:
        return 1
    except OtherError:
        return 2
    except Exception:
        return 3
    return 0


@njit
def bare_raise_inside_inner_try(kind):
    try:
        raise_kind(kind, 1)
    except AppError:
        try:
            raise
        except ParseError:
            return 1
    except Exception:
        return 2
    return 0


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("f", [inner_handler_raises_outer_catches, bare_raise_reraises], ids=lambda f: f.__name__)
def test_nested_handlers_with_log(f, kind):
    compare(f, kind, new_log())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("f", [bare_raise_after_inner_try, bare_raise_inside_inner_try], ids=lambda f: f.__name__)
def test_bare_raise_raises_the_handled_exception(f, kind):
    compare(f, kind)


# ---- state seen after an exception ------------------------------------------

@njit
def read_after_try(kind):
    try:
        x = 5
        raise_kind(kind, 1)
        y = 7
    except Exception:
        pass
    return x + y


@njit
def unbound_caught_as_name_error(flag):
    try:
        if flag:
            v = 1
        return v
    except NameError:
        return -1


@pytest.mark.parametrize("kind", [0, 1, 5, 8])
def test_variable_assigned_in_try_read_after(kind):
    compare(read_after_try, kind)


@pytest.mark.parametrize("flag", [True, False])
def test_unbound_local_is_caught_by_name_error(flag):
    compare(unbound_caught_as_name_error, flag)


@njit
def reciprocals_until_zero(x, out):
    try:
        for i in range(x.shape[0]):
            out[i] = 1.0 / float(x[i])
    except ZeroDivisionError:
        return -1
    return 0


@njit
def quotients_until_zero(x, out):
    try:
        for i in range(x.shape[0]):
            out[i] = 1000 // int(x[i]) + 1000 % (int(x[i]) + 1)
    except ZeroDivisionError:
        return out
    return out


@njit
def fresh_reciprocals(x):
    # `out` is private to the function: without the try its loop could defer
    # the zero check past the faulty iteration.
    out = np.full(x.shape[0], 7.0)
    try:
        for i in range(x.shape[0]):
            out[i] = 1.0 / float(x[i])
    except ZeroDivisionError:
        return out
    return out


@njit
def scalars_at_the_exception(x):
    count = 0
    total = 0.0
    i = -1
    try:
        for i in range(x.shape[0]):
            total += 1.0 / float(x[i])
            count += 1
    except ZeroDivisionError:
        return count, total, i
    return count, total, i


@njit
def reciprocals_2d_until_zero(m, out):
    try:
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                out[i, j] = 1.0 / float(m[i, j])
    except ZeroDivisionError:
        return -1
    return 0


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_handler_sees_pythons_partial_writes(dtype, n):
    x = with_zero_in_middle(n, dtype)
    compare(reciprocals_until_zero, x, np.full(n, 7.0))
    compare(quotients_until_zero, x, np.full(n, 7, np.int64))
    compare(fresh_reciprocals, x)
    compare(scalars_at_the_exception, x)
    wide = with_zero_in_middle(2 * n, dtype)[::2]  # not contiguous
    compare(reciprocals_until_zero, wide, np.full(wide.shape[0], 7.0))


@pytest.mark.parametrize("shape", [(0, 3), (1, 1), (4, 5), (40, 30)])
@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_handler_sees_pythons_partial_writes_2d(dtype, layout, shape):
    m = laid_out(with_zero_in_middle(int(np.prod(shape)), dtype).reshape(shape), layout)
    out = laid_out(np.full(shape, 7.0), layout)
    compare(reciprocals_2d_until_zero, m, out)


@njit
def safe_reciprocal(v):
    try:
        return 1.0 / v
    except ZeroDivisionError:
        return 0.0


@njit
def reciprocals_through_safe_callee(x):
    # No try here: this loop may defer its own checks, but the callee's
    # handler must still see each zero.
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = safe_reciprocal(float(x[i]))
    return out


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_callee_handler_inside_a_deferrable_loop(dtype, n):
    compare(reciprocals_through_safe_callee, with_zero_in_middle(n, dtype))


# ---- exceptions from runtime checks, containers, deep calls ------------------

@njit(boundscheck=True)
def checked_index(a, i, out):
    try:
        out[0] = a[i]
        return 1
    except IndexError:
        return 0


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [0, 1, 7])
def test_boundscheck_index_error_is_caught(dtype, n):
    a = np.arange(1, n + 1).astype(dtype)
    for i in [-n - 1, -1, 0, n - 1, n, n + 5]:
        compare(checked_index, a, i, np.zeros(1, dtype))


@njit
def integer_division_caught(a, b):
    try:
        return a // b, a % b
    except ZeroDivisionError:
        return -1, -1


@njit
def float_division_through_finally(a, b, log):
    try:
        return a / b
    finally:
        log[1] += 1


@pytest.mark.parametrize("b", [3, -2, 0])
def test_division_by_zero_caught_and_escaping(b):
    compare(integer_division_caught, 17, b)
    compare(float_division_through_finally, 17.0, float(b), new_log())
    compare(float_division_through_finally, 17, b, new_log())


@njit
def negative_size_caught(n):
    try:
        return np.empty(n).shape[0]
    except ValueError:
        return -1


@pytest.mark.parametrize("n", [-3, 0, 4])
def test_value_error_from_array_creation_is_caught(n):
    compare(negative_size_caught, n)


@njit
def dict_lookup(k, fallback):
    d = {1: 1.5, 2: 2.5, 5: 5.5}
    try:
        v = d[k]
    except KeyError:
        v = fallback
    try:
        w = d.pop(k + 1)
    except LookupError:
        w = -fallback
    return v + w


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7])
def test_dict_key_error_is_caught(k):
    compare(dict_lookup, k, 0.25)


@njit
def list_access(i, log):
    values = [1.5, 2.5, 3.5]
    try:
        v = values[i]
    except IndexError:
        v = -1.0
    try:
        for _ in range(i):
            values.pop()
        w = values.pop()
    except IndexError:
        w = -2.0
    finally:
        log[1] += 1
    return v + w


@njit
def list_error_escapes_mismatching_handler(i):
    values = [1, 2, 3]
    try:
        return values[i]
    except KeyError:
        return -1


@pytest.mark.parametrize("i", [-4, -1, 0, 2, 3, 9])
def test_list_index_errors(i):
    compare(list_access, i, new_log())
    compare(list_error_escapes_mismatching_handler, i)


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


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("kind", KINDS)
def test_exception_from_several_levels_down(dtype, kind):
    a = np.arange(6).astype(dtype)
    compare(top_level, a, kind, new_log())


# ---- user exception classes -------------------------------------------------

@njit
def user_hierarchy(kind):
    try:
        raise_kind(kind, 1)
    except DeepParseError:
        return 3
    except ParseError:
        return 2
    except AppError:
        return 1
    return 0


@njit
def base_exception_only(kind, log):
    try:
        try:
            raise_kind(kind, 1)
        except Exception:
            note(log, 1)
        finally:
            note(log, 2)
    except Halt:
        note(log, 3)
        raise
    return log[0]


@pytest.mark.parametrize("kind", KINDS)
def test_user_exception_classes(kind):
    compare(user_hierarchy, kind)
    compare(base_exception_only, kind, new_log())


# ---- objmode --------------------------------------------------------------------

def python_side(x):
    if x < 0:
        raise ParseError("negative in the interpreter")
    if x == 0:
        raise ValueError("zero in the interpreter")
    return x * 2.0


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


@pytest.mark.parametrize("x", [-1.0, 0.0, 2.5])
def test_objmode_exception_is_caught(x):
    compare(objmode_raising, x, new_log())


PREMADE = OtherError("premade")


def raise_premade():
    raise PREMADE


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


def test_caught_interpreter_exceptions_are_released():
    compare(objmode_premade_caught, 3)
    objmode_premade_caught(5)
    before = sys.getrefcount(PREMADE)
    objmode_premade_caught(50)
    assert sys.getrefcount(PREMADE) == before


# ---- memory: temporaries alive when an exception is raised ------------------

@njit
def temporaries_then_caught(a, limit):
    total = 0.0
    for k in range(4):
        try:
            b = (a + 1.0) * fails_above(float(k), limit)
            total += b.sum()
        except ValueError:
            total -= 1.0
    return total


@njit
def return_through_finally_with_temporaries(a, log):
    try:
        t = a * 2.0
        return (t + a).sum() + fails_above(1.0, log[0] + 5.0)
    finally:
        log[1] += 1


@njit
def handler_raises_again(a, limit):
    try:
        b = (a - 1.0) * fails_above(2.0, limit)
    except ValueError:
        c = a * 3.0
        b = (c + 1.0) * fails_above(3.0, limit + 1.5)
    return b.sum()


@njit
def catches_handler_raise(a, limit):
    try:
        return handler_raises_again(a, limit)
    except ValueError:
        return -1.0


@njit
def escaping_through_finally_with_temporaries(a, limit):
    try:
        b = (a + 1.0) * fails_above(2.0, limit)
    finally:
        c = a * 2.0
        limit += c.shape[0]
    return b.sum() + limit


@njit
def catches_escape(a, limit):
    try:
        return escaping_through_finally_with_temporaries(a, limit)
    except ValueError:
        return -1.0


@njit
def break_out_of_loop_with_temporaries(a, limit):
    total = 0.0
    for k in range(5):
        try:
            t = a * float(k)
            if k > limit:
                break
            total += (t + fails_above(float(k), limit - 1.0)).sum()
        except ValueError:
            total += 0.5
        finally:
            total += (a * 0.5).sum()
    return total


@njit
def rows_iterated_when_raised(m, limit):
    total = 0.0
    try:
        for row in m:
            total += (row * 2.0).sum() + fails_above(row[0], limit)
    except ValueError:
        total = -total
    return total


@njit
def list_of_arrays_when_raised(a, limit):
    try:
        parts = [a * 1.0, a * 2.0]
        parts.append(a + fails_above(3.0, limit))
        return len(parts)
    except ValueError:
        return -1


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
@pytest.mark.parametrize("limit", [-1.0, 1.5, 10.0])
@pytest.mark.parametrize("f", [temporaries_then_caught, catches_handler_raise, catches_escape,
                               break_out_of_loop_with_temporaries, list_of_arrays_when_raised],
                         ids=lambda f: f.__name__)
def test_no_leak_when_exceptions_are_caught(f, n, limit):
    a = np.linspace(0.0, 1.0, n)
    compare(f, a, limit)
    allocated, freed = measure_blocks(f, a, limit)
    assert allocated == freed


@pytest.mark.parametrize("n", [0, 7])
def test_no_leak_returning_through_finally(n):
    a = np.arange(n, dtype=np.float64)
    compare(return_through_finally_with_temporaries, a, new_log())
    allocated, freed = measure_blocks(return_through_finally_with_temporaries, a, new_log())
    assert allocated == freed


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("limit", [-1.0, 4.0, 100.0])
def test_no_leak_iterating_rows(layout, limit):
    m = laid_out(np.arange(30, dtype=np.float64).reshape(6, 5), layout)
    compare(rows_iterated_when_raised, m, limit)
    allocated, freed = measure_blocks(rows_iterated_when_raised, m, limit)
    assert allocated == freed


# ---- parallel -------------------------------------------------------------------

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
    return out.sum()


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
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_prange_and_try(dtype, n, threads):
    x = with_zero_in_middle(n, dtype)
    ones = np.ones(n, dtype)
    with num_threads(threads):
        compare(prange_inside_try, x)
        compare(prange_inside_try, ones)
        compare(try_inside_prange, x, np.zeros(n, np.int64))


@pytest.mark.parametrize("limit", [-1.0, 500.0, 2000.0])
def test_prange_exception_releases_temporaries(limit):
    a = np.arange(1000, dtype=np.float64)
    with num_threads(2):
        compare(prange_temporaries_raise, a, limit)
        allocated, freed = measure_blocks(prange_temporaries_raise, a, limit)
    assert allocated == freed


# ---- vectorize, generators, recursion -----------------------------------------

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
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: np.dtype(d).name)
def test_try_inside_vectorize_kernel(dtype, layout):
    m = laid_out((np.arange(12).reshape(3, 4) - 5).astype(dtype), layout)
    expected = np.vectorize(guarded_kernel, otypes=[dtype])(m)
    assert_same(guarded_ufunc(m), expected)


@njit
def numbers_or_markers(n):
    for i in range(n):
        try:
            v = 10 // (i - 2)
        except ZeroDivisionError:
            v = -1
        yield v


@njit
def sum_of_generated(n):
    s = 0
    for v in numbers_or_markers(n):
        s += v
    return s


@njit
def break_in_handler_of_consumer(n):
    s = 0
    for v in numbers_or_markers(n):
        try:
            if v < 0:
                raise ValueError("marker")
            s += v
        except ValueError:
            break
    return s


@njit
def jumps_in_try_of_consumer(n, log):
    s = 0
    for v in numbers_or_markers(n):
        try:
            if v == 10:
                continue
            if v < 0:
                break
            s += v
        finally:
            log[1] += 1
    return s


@pytest.mark.parametrize("n", [0, 2, 5])
def test_generator_with_try(n):
    assert list(numbers_or_markers(n)) == list(numbers_or_markers.py_func(n))
    compare(sum_of_generated, n)
    compare(jumps_in_try_of_consumer, n, new_log())


@pytest.mark.parametrize("n", [0, 2, 5])
def test_break_in_handler_of_generator_consumer(n):
    compare(break_in_handler_of_consumer, n)


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
