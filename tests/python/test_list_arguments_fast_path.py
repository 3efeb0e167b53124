"""Python lists passed to compiled code on the dispatcher's fast path: items
checked as they are unboxed (a list of other items is typed again on the slow
path, which compiles or explains), arrays of another layout never reach code
compiled for C-contiguous ones, and write-back boxes only the numbers compiled
code changed. Each result is compared with `.py_func`."""
import numpy as np
import pytest

from numjit import errors, njit


@njit
def total(items):
    s = items[0] * 0
    for x in items:
        s += x
    return s


@pytest.mark.parametrize("items", [[1.5, 2.5], [1, 2, 3], [True, False, True], [np.float32(1.5), np.float32(2.0)],
                                   [2**62, 1], [1.5, 2], [0.5] * 1000])
def test_lists_of_several_item_types_one_function(items):
    total([1.5, 2.5])  # an overload for float64 items exists first
    total([4, 5])
    expected = total.py_func(list(items))
    if isinstance(items[0], float) and any(type(x) is int for x in items):
        with pytest.raises(errors.TypingError):  # mixed int and float items are refused, as in Numba
            total(items)
        return
    assert total(items) == expected


@njit
def row_sums(rows):
    return [r.sum() for r in rows]


@pytest.mark.parametrize("make", [lambda a: a, lambda a: a[:, ::2], lambda a: np.asfortranarray(a)[::2]])
def test_array_items_of_another_layout_are_read_by_their_strides(make):
    base = np.arange(24.0).reshape(4, 6)
    assert row_sums([base[0], base[1]]) == row_sums.py_func([base[0], base[1]])  # C items first
    rows = [make(base)[0], make(base)[1]]
    assert row_sums(rows) == row_sums.py_func(rows)


@njit
def touch(items, k):
    items[k] = (not items[k]) if isinstance(items[k], bool) else -items[k]
    return len(items)


@pytest.mark.parametrize("items", [[1.5, -0.0, 2.0], [3, 4, 5], [True, False, False]])
@pytest.mark.parametrize("k", [0, 1, -1])
def test_write_back_boxes_only_changed_items(items, k):
    got, expected = list(items), list(items)
    before = [id(x) for x in got]
    assert touch(got, k) == touch.py_func(expected, k)
    assert got == expected and [type(x) for x in got] == [type(x) for x in expected]
    changed = k % len(items)
    kept = [i for i in range(len(items)) if i != changed]
    assert all(id(got[i]) == before[i] for i in kept)
    if isinstance(items[0], float):
        assert [np.signbit(x) for x in got] == [np.signbit(x) for x in expected]


@njit
def grow(items):
    items.append(items[0])
    items.pop(0)
    items.append(items[-1])
    return items


@pytest.mark.parametrize("items", [[1, 2], [1.5], [True]])
def test_write_back_after_a_change_of_length(items):
    got, expected = list(items), list(items)
    grow(got)
    grow.py_func(expected)
    assert got == expected and [type(x) for x in got] == [type(x) for x in expected]
