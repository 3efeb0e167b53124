"""Values that may be None (Numba's Optional types): a variable first set to
None and later to a value (`best = None`, then `best = v`), and an
expression `a if flag else None`. Operators, methods, attributes and
items of such a value read its payload, checked at run time: a None there
raises TypeError, as in Numba. print() shows None. Compared with `.py_func`
over several dtypes and sizes."""
import numpy as np
import pytest

from numjit import njit
from numjit.errors import TypingError


def running_min(values):
    best = None
    for v in values:
        if best is None or v < best:
            best = v
    return best


def running_total(values):
    total = None
    for v in values:
        total = v if total is None else total + v
    return total


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
@pytest.mark.parametrize("size", [0, 1, 7])
def test_a_variable_first_none_then_a_number(dtype, size):
    values = (np.random.default_rng(size).standard_normal(size) * 10).astype(dtype)
    for f in (running_min, running_total):
        got, want = njit(f)(values), f(values)
        assert (got is None) == (want is None)
        if want is not None:
            assert got == pytest.approx(want, rel=1e-6)


def array_or_none(a, flag):
    out = a if flag else None
    if out is not None:
        out[0] = 7  # an item store through the payload
        return out.sum() + out.shape[0] + out[-1] + out.T.ndim
    return -1.0


@pytest.mark.parametrize("dtype", [np.float64, np.int32])
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("flag", [True, False])
def test_methods_attributes_and_items_of_an_optional_array(dtype, layout, flag):
    base = np.arange(1, 9, dtype=dtype)
    a, b = (base.copy(), base.copy()) if layout == "C" else (base.copy()[::2], base.copy()[::2])
    assert njit(array_or_none)(a, flag) == array_or_none(b, flag)
    np.testing.assert_array_equal(a, b)


def text_or_none(flag, word):
    s = "abc" if flag else None
    if s is None:
        return 0
    return len(s) + len(word) + s.count("b")


@pytest.mark.parametrize("flag", [True, False])
def test_an_optional_string_constant(flag):
    assert njit(text_or_none)(flag, "xy") == text_or_none(flag, "xy")


def sum_of_maybe(a, flag):
    out = a if flag else None
    return out.sum()


def test_a_none_payload_raises_type_error():
    compiled = njit(sum_of_maybe)
    assert compiled(np.ones(3), True) == 3.0
    with pytest.raises(TypeError, match="got None"):
        compiled(np.ones(3), False)


def print_maybe(x, n):
    y = x if n > 5 else None
    print(y)
    print("value:", y, n)
    return 0


@pytest.mark.parametrize("n", [3, 7])
def test_print_of_an_optional_shows_none(n, capsys):
    njit(print_maybe)(0.5, n)
    compiled_out = capsys.readouterr().out
    print_maybe(0.5, n)
    assert compiled_out == capsys.readouterr().out


def never_anything_but_none(values):
    best = None
    for v in values:
        if v < best:
            return v
    return 0.0


def test_ordering_a_variable_that_stays_none_is_refused_with_the_line():
    with pytest.raises(TypingError, match="cannot order") as info:
        njit(never_anything_but_none)(np.ones(3))
    assert "never_anything_but_none" in str(info.value)


def made_here_or_none(n, flag):
    a = np.arange(n * 1.0)
    out = a if flag else None
    if out is not None:
        total = out.sum() + out[0] + a.sum()
        return total + len("ab" if flag else None)
    return -1.0


@pytest.mark.parametrize("flag", [True, False])
def test_payload_reads_keep_the_counts_balanced(flag):
    import gc

    from numjit.runtime import allocation_stats

    compiled = njit(made_here_or_none)
    assert compiled(5, flag) == made_here_or_none(5, flag)
    gc.collect()
    before = allocation_stats()
    for _ in range(20):
        compiled(5, flag)
    gc.collect()
    after = allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free
    assert after.alloc > before.alloc
