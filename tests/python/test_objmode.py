"""`with objmode(...)` blocks: the block runs in the interpreter with the
compiled function's values, and the declared variables come back with their
types. Each function is compared with itself run as plain Python (.py_func)."""
import numpy as np
import pytest
import scipy.special

from numjit import njit, objmode, prange, types
from numjit.errors import TypingError, UnsupportedError

from conftest import assert_same, check, make_array

CALLS = []


def python_only_sum(a):
    """Something compiled code cannot call itself: a Python function using a Python list."""
    CALLS.append(len(a))
    return float(sum(a.tolist()))


@njit
def sum_in_objmode(a, scale):
    total = 0.0
    with objmode(total="float64"):
        total = python_only_sum(a) * scale
    return total + 1.0


@njit
def arrays_in_and_out(a):
    b = a * 2
    with objmode(c="float64[:]", n="int64"):
        c = np.sort(b)[::-1].astype(np.float64)
        n = len(c)
    return c[0], n, c


@njit
def several_types(x, k, label):
    with objmode(y="complex128", flags="Tuple(int64, boolean)", text="unicode_type"):
        y = complex(x, k)
        flags = (k * 2, x > 0)
        text = label + "!"
    return y, flags, text


@njit
def no_outputs(a):
    with objmode():
        CALLS.append(int(a.size))
    return a.sum()


@njit
def in_a_loop(n):
    out = np.empty(n)
    for i in range(n):
        with objmode(v="float64"):
            v = float(scipy.special.gamma(i + 1.5))
        out[i] = v
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_values_in_and_out(dtype, layout):
    a = make_array((7,), dtype, layout)
    check(sum_in_objmode, a, 2.0)
    got, expected = arrays_in_and_out(a), arrays_in_and_out.py_func(a)
    assert got[1] == expected[1]
    assert_same(got[2], expected[2].astype(np.float64))
    assert got[0] == expected[0]


def test_numbers_tuples_and_strings():
    for args in [(1.5, 3, "a"), (-2.0, 0, "")]:
        assert several_types(*args) == several_types.py_func(*args)


def test_blocks_without_outputs_and_in_loops():
    CALLS.clear()
    a = np.arange(5.0)
    assert no_outputs(a) == no_outputs.py_func(a)
    assert CALLS == [5, 5]
    np.testing.assert_allclose(in_a_loop(6), in_a_loop.py_func(6), rtol=1e-14)


@njit
def raises_in_block(x):
    with objmode(y="float64"):
        if x < 0:
            raise KeyError(f"negative: {x}")
        y = x ** 0.5
    return y


def test_exceptions_come_back_as_they_are():
    assert raises_in_block(4.0) == 2.0
    with pytest.raises(KeyError, match="negative: -1.0") as info:
        raises_in_block(-1.0)
    # The traceback reaches into the block's own line.
    assert any("raise KeyError" in str(entry.statement) for entry in info.traceback)


@njit
def wrong_declared_type(a):
    with objmode(b="float64[:]"):
        b = a.astype(np.int32)
    return b


def test_a_value_of_another_type_is_a_clear_error():
    with pytest.raises(TypeError, match="declared array\\(float64, 1d, A\\)"):
        wrong_declared_type(np.arange(3.0))


def test_results_are_owned_by_compiled_code():
    @njit
    def keep(n):
        total = 0.0
        for k in range(n):
            with objmode(a="float64[:]"):
                a = np.full(10, float(k))  # only the block's frame holds it
            total += a.sum()
        return total

    assert keep(50) == keep.py_func(50)


def test_refusals():
    def undeclared(x):
        with objmode():
            y = x + 1
        return y

    with pytest.raises(TypingError, match="declare its type"):
        njit(undeclared)(1.0)

    def returns_inside(x):
        with objmode(y="float64"):
            return x
        return 0.0

    with pytest.raises(UnsupportedError, match="cannot return"):
        njit(returns_inside)(1.0)

    def in_prange(n):
        out = np.zeros(n)
        for i in prange(n):
            with objmode(v="float64"):
                v = 1.0
            out[i] = v
        return out

    with pytest.raises(UnsupportedError, match="prange"):
        njit(parallel=True)(in_prange)(4)

    def unsupported_result(x):
        with objmode(y=types.pyobject):
            y = object()
        return x

    with pytest.raises(UnsupportedError, match="cannot return 'y'"):
        njit(unsupported_result)(1.0)


@njit
def reads_and_returns(x, n):
    total = 0.0
    for k in range(n):
        with objmode(a="float64[:]", t="Tuple(float64[:], int64)"):
            a = np.full(10, float(k)) + x.sum()
            t = (a * 2, k)
        total += a.sum() + t[0][0] + t[1]
    return total


def test_no_references_or_memory_leak():
    import gc
    import sys

    from numjit import runtime

    x = np.ones(5)
    assert reads_and_returns(x, 3) == reads_and_returns.py_func(x, 3)
    gc.collect()
    references, before = sys.getrefcount(x), runtime.allocation_stats()
    assert reads_and_returns(x, 200) == reads_and_returns.py_func(x, 200)
    gc.collect()
    after = runtime.allocation_stats()
    assert sys.getrefcount(x) == references
    assert after.alloc - before.alloc >= 400 and after.alloc - before.alloc == after.free - before.free
