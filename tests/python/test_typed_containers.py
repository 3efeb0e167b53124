"""numjit.typed: List (a list with an item type, passed to compiled code as a
reflected list, empty ones too) and Dict (a dict with declared types, usable
from Python); their constructors inside compiled code make lists and dicts.
Each compiled result is compared with `.py_func`."""
import numpy as np
import pytest

from numjit import float64, int64, njit, typed


@njit
def append_squares(items, n):
    for i in range(n):
        items.append(i * i)
    return len(items)


@pytest.mark.parametrize("item_type, n", [(int64, 5), (float64, 0), (float64, 3)])
def test_an_empty_typed_list_passes_to_compiled_code(item_type, n):
    items = typed.List.empty_list(item_type)
    assert append_squares(items, n) == n
    expected = typed.List.empty_list(item_type)
    append_squares.py_func(expected, n)
    assert list(items) == list(expected)
    assert isinstance(items, typed.List) and repr(items).startswith("ListType(")


def test_a_typed_list_of_items_is_reflected():
    items = typed.List([1.5, 2.5])
    assert append_squares(items, 2) == 4
    assert list(items) == [1.5, 2.5, 0.0, 1.0]


@njit
def build(n):
    out = typed.List()
    for i in range(n):
        out.append(i * 0.5)
    counts = typed.Dict.empty(key_type=int64, value_type=float64)
    for i in range(n):
        counts[i % 3] = counts.get(i % 3, 0.0) + 1.0
    return out, counts, typed.List(range(n)), typed.List.empty_list(int64)


@pytest.mark.parametrize("n", [0, 1, 7])
def test_constructors_in_compiled_code(n):
    got = build(n)
    expected = build.py_func(n)
    assert [list(got[0]), dict(got[1]), list(got[2])] == [list(expected[0]), dict(expected[1]), list(expected[2])]
    assert got[3] == []


def test_a_typed_dict_from_python():
    d = typed.Dict.empty(key_type=int64, value_type=float64)
    d[3] = 1.5
    assert d == {3: 1.5} and d.key_type is int64 and d.value_type is float64
    assert repr(d) == "DictType({3: 1.5})"


@njit
def typed_empty_dict(keys):
    d = typed.Dict.empty(key_type=int64, value_type=float64)
    missing = d.get(99, -1.0)  # typed before any store
    for k in keys:
        d[k] = d.get(k, 0.0) + 0.5
    return missing, len(d), d


@pytest.mark.parametrize("keys", [[1, 2, 1], [5], [3, 3, 3, 4]])
def test_dict_empty_is_typed_in_compiled_code(keys):
    assert typed_empty_dict(keys) == typed_empty_dict.py_func(keys)


@njit
def count_with_get(values):
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


@pytest.mark.parametrize("values", [[1, 2, 2, 3, 3, 3], [7], [1.5, 1.5, -2.0]])
def test_counting_with_get_into_an_empty_dict(values):
    assert count_with_get(values) == count_with_get.py_func(values)


def test_reading_a_dict_nothing_stores_into_is_a_located_error():
    from numjit import errors

    @njit
    def never_stored():
        d = {}
        return d.get(1, 0.0)

    with pytest.raises(errors.TypingError, match="store into it first"):
        never_stored()
