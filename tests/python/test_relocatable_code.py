"""Compiled code holds no address of the process that compiled it.

The exceptions numjit raises itself are named by kind (a runtime table maps
them to classes); runtime functions, exception classes a function names and
frozen global arrays are external symbols the JIT links. So the optimized IR
must not contain any of those addresses as a number: that is what lets an
object file be saved and loaded by another process (cache=True).
"""
import re

import numpy as np
import pytest

import numjit
from numjit import _dispatch

TABLE = np.linspace(0.0, 1.0, 7)


class MeasurementError(Exception):
    pass


@numjit.njit
def raises_everything(a, i, key):
    d = {key: 1.0}
    if i > 100:
        raise MeasurementError("out of range")
    if i < -100:
        raise ValueError("negative")
    s = float(a[i]) // i + TABLE[i % 7]  # ZeroDivisionError when i == 0
    return s + d[i] + a.reshape((2, -1))[0, 0]  # KeyError; ValueError for an odd size


@numjit.njit(boundscheck=True)
def checked_index(a, i):
    return a[i]


@numjit.njit
def recursive(n):
    return 0 if n <= 0 else 1 + recursive(n - 1)


def numbers_in(ir):
    return {int(x) for x in re.findall(r"(?<![\w.])\d{6,}(?![\w.])", ir)}


def process_addresses():
    addresses = set(_dispatch.runtime_symbols().values())
    for obj in (MeasurementError, ValueError, ZeroDivisionError, KeyError, IndexError, RecursionError, TABLE):
        addresses.add(id(obj))
    addresses.add(TABLE.ctypes.data)
    return addresses


def only_ir(f, *args):
    f(*args)
    return "\n".join(f.inspect_llvm().values())


CASES = [
    (raises_everything, (np.arange(8.0), 3, 3)),
    (checked_index, (np.arange(5), 2)),
    (recursive, (5,)),
]


@pytest.mark.parametrize("f, args", CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_the_ir_holds_no_address_of_this_process(f, args):
    ir = only_ir(f, *args)
    leaked = numbers_in(ir) & process_addresses()
    assert not leaked, f"addresses of this process in {f.__name__}'s IR: {sorted(leaked)}"
    assert "inttoptr" not in ir


def test_each_exception_still_reaches_python_as_itself():
    a = np.arange(8.0)
    assert raises_everything(a, 3, 3) == raises_everything.py_func(a, 3, 3)
    for i, key, a_, exc in [(101, 3, a, MeasurementError), (-101, 3, a, ValueError), (0, 0, a, ZeroDivisionError),
                            (5, 3, a, KeyError), (3, 3, np.arange(7.0), ValueError)]:
        with pytest.raises(exc):
            raises_everything(a_, i, key)
        with pytest.raises(exc):
            raises_everything.py_func(a_, i, key)
    with pytest.raises(IndexError):
        checked_index(np.arange(5), 9)
    with pytest.raises(RecursionError):
        recursive(10**7)
    assert recursive(30) == recursive.py_func(30)


def test_raised_exceptions_carry_numjits_message():
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        raises_everything(np.arange(8.0), 0, 0)
    with pytest.raises(MeasurementError, match="out of range"):
        raises_everything(np.arange(8.0), 101, 3)
