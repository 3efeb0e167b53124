"""try/except/else/finally in compiled code (lower/lower_try.cpp).

Each function is compared with itself run as plain Python (.py_func): the
same result, or the same exception class and message, and the same contents
afterwards of the arrays it was given (so the partial writes a handler or a
finally block sees are checked too). Memory tests check that the blocks
compiled code allocates are all freed when exceptions are raised and caught
while array temporaries are alive.
"""

import numpy as np
import pytest

from numjit import njit

from try_except_helpers import (AppError, DeepParseError, Halt, KINDS, OtherError, ParseError, SIZES,
                                assert_no_leak, compare, name_ids, new_log, note, raise_kind, safe_reciprocal)


# ---- handler forms, else, finally, nesting, bare raise: one function per case, -------
# ---- each run for every kind of exception (or loop count) ----------------------------

@njit
def caught_by_each_form(kind, log):
    try:
        raise_kind(kind, 0)
    except:  # noqa: E722 (catches Halt too)
        note(log, 1)
    try:
        try:
            raise_kind(kind, 0)
        except Exception:
            note(log, 2)
    except BaseException:
        note(log, 3)
    try:
        raise_kind(kind, 0)
    except LookupError:
        note(log, 4)
    except ArithmeticError:
        note(log, 5)
    except BaseException:
        note(log, 6)
    try:
        raise_kind(kind, 0)
    except (ValueError, AppError):
        note(log, 7)
    except (Halt, TypeError):
        note(log, 8)
    except:  # noqa: E722
        note(log, 9)
    try:
        raise_kind(kind, 0)
    except ParseError:  # the first clause that matches wins, a narrower one after it never does
        note(log, 10)
    except DeepParseError:
        note(log, 11)
    except AppError:
        note(log, 12)
    except Halt:
        note(log, 13)
    except Exception:
        note(log, 14)
    try:
        if kind == 7:
            raise OtherError("direct")
        raise_kind(kind, 0)
    except AppError as unused:  # noqa: F841
        note(log, 15)
    except OtherError:
        note(log, 16)
    except BaseException:
        note(log, 17)
    return log[0]

@njit
def base_exception_passes_except_exception(kind, log):
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

@njit
def finally_on_every_way_out(kind, log):
    try:
        note(log, 1)
        raise_kind(kind, 1)
        note(log, 2)
    except LookupError:
        note(log, 3)
    else:
        note(log, 4)
    finally:
        note(log, 5)
    note(log, 6)
    return log[0]

@njit
def exception_in_else_caught_outside(kind, log):
    try:
        try:
            note(log, 1)
        except Exception:  # the else clause is not protected by it
            note(log, 2)
        else:
            raise_kind(kind, 1)
        finally:
            note(log, 3)
    except AppError:
        note(log, 4)
    return log[0]

@njit
def finally_changes_the_outcome(kind, log):
    try:
        raise_kind(kind, 1)
        return 1
    except AppError:
        return 2
    finally:
        if kind % 3 == 0:
            return 3  # noqa: B012 (overrides a return, swallows an exception)
        if kind % 3 == 1 or kind == 5:
            raise OtherError("replaces the exception or the return")

@njit
def return_value_taken_before_finally(kind, log):
    x = kind
    try:
        return x
    finally:
        x = kind + 100
        if kind > 2:
            raise KeyError("raised after the return value was computed")

@njit
def try_inside_finally(kind, log):
    # The bits of kind pick what happens; the outer ValueError, where raised,
    # must come out of the finally block again unless the block replaced it.
    try:
        try:
            if kind & 1:
                raise ValueError("outer")
        finally:
            try:
                if kind & 2:
                    raise KeyError("inner")
                note(log, 1)
            except KeyError:
                note(log, 2)
                if kind & 4:
                    raise
            finally:
                note(log, 3)
                if kind & 8:
                    return -1  # noqa: B012
    except ValueError:
        return 1
    except KeyError:
        return 2
    return 0

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
def bare_raise_after_inner_try(kind, log):
    # The try inside the handler, and the callee's, catch errors of their
    # own: the bare raise after them raises the one this handler caught.
    try:
        try:
            raise_kind(kind, 1)
        except Exception:
            try:
                raise OtherError("inner")
            except OtherError:
                note(log, 1)
            if safe_reciprocal(0.0) == 0.0:
                raise
    except LookupError:
        return 1
    except OtherError:
        return 2
    except Exception:
        return 3
    return 0

@njit
def bare_raise_inside_inner_try(kind, log):
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

@njit
def read_after_try(kind, log):
    try:
        x = 5
        raise_kind(kind, 1)
        y = 7
    except Exception:
        pass
    return x + y  # UnboundLocalError where the raise skipped y

@njit
def unbound_caught_as_name_error(kind, log):
    try:
        if kind == 0:
            v = 1
        return v
    except NameError:
        return -1

@njit
def state_where_the_body_failed(kind, log):
    # A handler starts from where the body failed, not from the try's entry.
    a = np.arange(7.0)
    i = 0
    try:
        i = -2
        raise_kind(kind, 0)
        i = 1
    except Exception:
        pass
    try:
        b = a[::2]
        raise_kind(kind, 0)
    except ValueError:
        b = np.zeros(3)
    return a[i] + b.sum() + b.shape[0]

@njit
def break_continue_through_finally(n, log):
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
    i = 0
    while True:
        try:
            i += 1
            if i > n:
                break
            if i % 2:
                continue
            total += 1000 * i
        finally:
            log[2] += 1
    return total

@njit
def jumps_out_of_finally_swallow(n, log):
    s = 0
    for i in range(n):
        try:
            if i % 3 == 0:
                raise KeyError("dropped by the continue")
            if i == 7:
                raise ValueError("dropped by the break")
            s += i
        finally:
            if i % 3 == 0:
                continue  # noqa: B012
            if i == 7:
                break  # noqa: B012
        log[1] += 1
    return s

@njit
def break_replaced_by_exception(n, log):
    c = 0
    for i in range(n):
        try:
            try:
                if i == 3:
                    break
                c += 1
            finally:
                if i == 3:
                    raise ValueError("replaces the break")
        except ValueError:
            c += 100
            continue
    return c


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("f", [
    caught_by_each_form, base_exception_passes_except_exception, finally_on_every_way_out,
    exception_in_else_caught_outside, finally_changes_the_outcome, return_value_taken_before_finally,
    try_inside_finally, inner_handler_raises_outer_catches, bare_raise_reraises, bare_raise_after_inner_try,
    bare_raise_inside_inner_try, read_after_try, unbound_caught_as_name_error, state_where_the_body_failed,
    break_continue_through_finally, jumps_out_of_finally_swallow, break_replaced_by_exception], **name_ids)
def test_matches_python_for_each_kind(f, kind):
    compare(f, kind, new_log())


@njit
def bare_raise_in_finally_of_propagating_exception(k):
    try:
        raise ValueError("handled")
    except ValueError:
        try:
            if k:
                raise KeyError("propagating")
        finally:
            raise  # Python raises the exception the finally block runs for


@pytest.mark.parametrize("k", [0, 1])
def test_bare_raise_in_finally_raises_the_propagating_exception(k):
    compare(bare_raise_in_finally_of_propagating_exception, k)


@njit
def returned_array_and_finally(a, k):
    b = a * 2.0
    try:
        try:
            return b
        finally:
            b = a * 3.0  # the value returned was taken before
            if k == 1:
                raise KeyError("instead of the return")
            if k == 2:
                return b  # noqa: B012
    except KeyError:
        return a * 0.0


@pytest.mark.parametrize("k", [0, 1, 2])
@pytest.mark.parametrize("n", SIZES)
def test_returned_arrays_and_finally(n, k):
    a = np.arange(n, dtype=np.float64)
    compare(returned_array_and_finally, a, k)
    assert_no_leak(returned_array_and_finally, a, k)


