"""What the try/except tests share (test_try_except.py, test_try_except_runtime.py):
exception classes, the comparison with .py_func, and small jitted functions
that raise or note what ran."""

import numpy as np
import pytest

from numjit import njit

from conftest import assert_same, default_rtol, measure_blocks


class AppError(Exception):
    pass


class ParseError(AppError):
    pass


class DeepParseError(ParseError):
    pass


class OtherError(Exception):
    pass


class Halt(BaseException):
    """Derives from BaseException only: `except Exception` lets it pass."""


KINDS = list(range(10))  # what raise_kind raises: nothing, then one class each (elsewhere bits, or a count)
DTYPES = [np.int64, np.int32, np.float64, np.float32]
SIZES = [0, 1, 7, 1000]
dtype_ids = dict(ids=lambda d: np.dtype(d).name)
name_ids = dict(ids=lambda f: f.__name__)


def compare(f, *args):
    """f(*args) against f.py_func run on copies of the array arguments."""
    copies = [a.copy(order="K") if isinstance(a, np.ndarray) else a for a in args]
    rtol = default_rtol(*args)
    try:
        expected, error = f.py_func(*copies), None
    except (Exception, Halt) as exc:
        expected, error = None, exc
    if error is None:
        assert_same(f(*args), expected, rtol)
    else:
        with pytest.raises(type(error)) as info:
            f(*args)
        assert type(info.value) is type(error)
        assert str(info.value) == str(error)
    for mine, theirs in zip(args, copies):
        if isinstance(mine, np.ndarray):
            assert_same(mine, theirs, rtol)


def new_log():
    return np.zeros(16, np.int64)


def with_zero_in_middle(n, dtype, seed=0):
    x = np.random.default_rng(seed).integers(1, 9, n).astype(dtype)
    if n:
        x[n // 2] = 0
    return x


def assert_no_leak(f, *args):
    allocated, freed = measure_blocks(f, *args)
    assert allocated == freed


@njit
def note(log, code):
    # log[0] counts the notes; the others wrap around, so that measure_blocks
    # may call a function many times with one log.
    n = log[0] + 1
    log[0] = n
    log[(n - 1) % (log.shape[0] - 1) + 1] = code

@njit
def raise_kind(kind, x):
    # One exception class per kind (0 raises nothing).
    if kind == 1: raise ValueError("value")  # noqa: E701
    if kind == 2: raise KeyError("key")  # noqa: E701
    if kind == 3: raise IndexError("index")  # noqa: E701
    if kind == 4: raise ZeroDivisionError("zero")  # noqa: E701
    if kind == 5: raise ParseError("parse")  # noqa: E701
    if kind == 6: raise DeepParseError("deep parse")  # noqa: E701
    if kind == 7: raise OtherError("other")  # noqa: E701
    if kind == 8: raise Halt("halt")  # noqa: E701
    if kind == 9: raise TypeError("type")  # noqa: E701
    return x

@njit
def fails_above(x, limit):
    if x > limit:
        raise ValueError("above the limit")
    return x

@njit
def raises_holding(held, x, limit):
    # `held` is an array temporary of the caller's, alive while this raises.
    if x > limit:
        raise ValueError("above the limit")
    return held[0] * 0.0 + x


@njit
def safe_reciprocal(v):
    try:
        return 1.0 / v
    except ZeroDivisionError:
        return 0.0


