"""Python lists and strings passed to compiled functions."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

from numjit import errors, njit, runtime


def total(items):
    s = 0
    for v in items:
        s += v
    return s


def grow(items, n):
    for i in range(n):
        items.append(i * 1.5)
    items[0] = -1.0
    return len(items)


def sum_arrays_and_pop(items):
    s = 0.0
    for a in items:
        s += a.sum()
    items.pop()
    return s


def by_mode(x, mode="full"):
    if mode == "full":
        return x.sum()
    elif mode == "same":
        return x.max()
    return -1.0


@pytest.mark.parametrize("values", [[1, 2, 3], [1.5, -2.5, 4.0], [True, False, True], [1 + 2j, 3 - 1j], [7]])
def test_list_of_numbers_is_read(values):
    assert njit(total)(list(values)) == total(list(values))


@pytest.mark.parametrize("n", [0, 1, 5, 40])
def test_changes_to_a_list_are_written_back(n):
    compiled, expected = [0.5, 1.0], [0.5, 1.0]
    assert njit(grow)(compiled, n) == grow(expected, n)
    assert compiled == expected


@pytest.mark.parametrize("make", [lambda: np.ones(3), lambda: np.arange(8.0)[::2], lambda: np.ones((2, 2)).T[0]])
def test_list_of_arrays(make):
    compiled = [make(), np.arange(4.0)[:4]]
    expected = [a.copy() for a in compiled]
    assert njit(sum_arrays_and_pop)(compiled) == sum_arrays_and_pop(expected)
    assert len(compiled) == len(expected) == 1
    assert_allclose(compiled[0], expected[0])


def test_list_with_mixed_items_is_a_typing_error():
    with pytest.raises(errors.TypingError, match="items are not all"):
        njit(total)([1, 2.5])


def test_list_is_written_back_when_compiled_code_raises():
    @njit
    def append_then_raise(items):
        items.append(2.0)
        raise ValueError("stop")

    items = [1.0]
    with pytest.raises(ValueError, match="stop"):
        append_then_raise(items)
    assert items == [1.0, 2.0]


def test_lists_from_python_do_not_leak():
    compiled = njit(grow)
    compiled([1.0], 3)
    before = runtime.allocation_stats()
    for _ in range(50):
        compiled([1.0, 2.0], 7)
        njit(total)([1, 2, 3])
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free


@pytest.mark.parametrize("args", [(), ("full",), ("same",), ("other",), ("it's \\ odd",)])
def test_strings_from_python_select_branches(args):
    x = np.arange(5.0)
    assert njit(by_mode)(x, *args) == by_mode(x, *args)


def test_string_keyword_and_default_from_python():
    compiled = njit(by_mode)
    x = np.array([3.0, -1.0])
    assert compiled(x, mode="same") == 3.0
    assert compiled(x) == 2.0
    assert len(compiled.signatures) == 1  # str arguments are run-time strings: one compile for every text


@njit
def count_or_name(x, what):
    if what == "count":
        return len(x)
    return what + "!"  # another return type: typed only when the text is a constant


def test_a_text_needed_as_a_constant_falls_back_to_one_specialization_per_text():
    x = np.arange(3.0)
    for what in ("count", "name", "count"):
        assert count_or_name(x, what) == count_or_name.py_func(x, what)
    assert len(count_or_name.signatures) == 2
