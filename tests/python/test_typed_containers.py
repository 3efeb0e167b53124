"""numjit.typed: List and Dict hold the numjit container itself. Python's
methods are checked against a plain list or dict given the same operations;
compiled code takes them by reference (changes show on both sides, nothing
is copied) and returns them as typed objects. Compiled results are compared
with `.py_func`, which runs the same code on the same typed objects."""
import gc
import pickle

import numpy as np
import pytest

from numjit import errors, float32, float64, int32, int64, njit, runtime, typed, types

ITEMS = {
    "int64": (int64, [3, -1, 4, 1, 5, 9, 2]),
    "int32": (int32, [7, 0, -7, 2, 2, 8, 1]),
    "float32": (float32, [0.5, -2.25, 8.0, 1.5, 0.0, 3.75, -1.0]),
    "float64": (float64, [0.1, 2.5, -3.25, 1e300, 0.0, -0.0, 7.0]),
    "str": (types.unicode_type, ["b", "", "héllo", "a", "zz", "b", "ß"]),
}


def run_list_operations(items, values):
    """The same operations on a typed.List or a list; returns what they read."""
    seen = []
    for v in values:
        items.append(v)
    seen.append(len(items))
    items.insert(1, values[0])
    items[0] = values[-1]
    seen.append(items.pop())
    seen.append(items.pop(0))
    items.extend(values[:3])
    seen += [items[0], items[-1], values[1] in items, items.count(values[0]), items.index(values[1])]
    del items[2]
    items.reverse()
    seen.append(list(items))
    seen.append(list(items[1:5:2]))
    items.sort()
    seen.append(list(items))
    if values[1] in items:
        items.remove(values[1])
    seen.append(list(items))
    return seen


@pytest.mark.parametrize("name", ITEMS)
@pytest.mark.parametrize("n", [2, 3, 7])
def test_list_methods_from_python_match_a_list(name, n):
    item_type, values = ITEMS[name]
    values = values[:n]
    if name == "float32":
        values = [float(np.float32(v)) for v in values]
    got = run_list_operations(typed.List.empty_list(item_type), values)
    assert got == run_list_operations([], values)


@pytest.mark.parametrize("name", ITEMS)
def test_a_list_typed_by_its_first_item(name):
    _, values = ITEMS[name]
    items = typed.List()
    assert len(items) == 0 and list(items) == [] and repr(items) == "ListType[undefined]([])"
    items.extend(values)
    assert list(items) == values and items == values and str(items) == str(values)
    assert repr(items).startswith("ListType[")


@njit
def scale_and_grow(items, factor):
    for i in range(len(items)):
        items[i] = items[i] * factor
    items.append(items[0] + 1)
    return items


@pytest.mark.parametrize("item_type", [int64, int32, float32, float64])
@pytest.mark.parametrize("n", [1, 4, 100])
def test_compiled_code_works_on_the_callers_list(item_type, n):
    items = typed.List.empty_list(item_type)
    items.extend(range(1, n + 1))
    expected = typed.List.empty_list(item_type)
    expected.extend(range(1, n + 1))
    returned = scale_and_grow(items, 3)
    scale_and_grow.py_func(expected, 3)
    assert list(items) == list(expected)
    # The result is the caller's list, not a copy: a change through one shows in the other.
    returned.append(0)
    assert len(items) == n + 2 and items[-1] == 0
    assert isinstance(returned, typed.List) and returned._code == items._code


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
def test_constructors_in_compiled_code_return_typed_objects(n):
    got = build(n)
    expected = build.py_func(n)
    assert [list(got[0]), dict(got[1]), list(got[2])] == [list(expected[0]), dict(expected[1]), list(expected[2])]
    assert [type(g) for g in got] == [typed.List, typed.Dict, typed.List, typed.List]
    assert got[3] == [] and repr(got[3]) == "ListType[int64]([])"
    assert repr(got[1]).startswith("DictType[int64,float64](")


@njit
def words_and_rows(n):
    words = typed.List.empty_list(types.unicode_type)
    rows = typed.Dict.empty(key_type=types.unicode_type, value_type=types.float64[:])
    for i in range(n):
        word = "w" + str(i)
        words.append(word)
        rows[word] = np.arange(i + 1.0)[::2]  # strided rows fit the 'A' value type
    return words, rows


@pytest.mark.parametrize("n", [0, 1, 5])
def test_empty_constructors_of_strings_and_array_values(n):
    words, rows = words_and_rows(n)
    expected_words, expected_rows = words_and_rows.py_func(n)
    assert list(words) == list(expected_words)
    assert list(rows) == list(expected_rows)
    for key in rows:
        np.testing.assert_array_equal(rows[key], expected_rows[key])
    assert words.item_type == types.unicode_type and rows.value_type == types.float64[:]


@njit
def nested(n):
    out = typed.List()
    for i in range(n):
        inner = typed.List.empty_list(int64)
        for j in range(i):
            inner.append(j)
        out.append(inner)
    return out


def test_typed_lists_of_typed_lists():
    got = nested(4)
    assert [list(x) for x in got] == [[], [0], [0, 1], [0, 1, 2]]
    assert isinstance(got[2], typed.List)
    got[3].append(99)  # the inner object shares the inner list
    assert list(got[3]) == [0, 1, 2, 99]


def run_dict_operations(d, keys, values):
    seen = []
    for k, v in zip(keys, values):
        d[k] = v
    seen.append(len(d))
    seen.append(d[keys[0]])
    seen.append(keys[0] in d)
    seen.append(d.get(keys[-1]))
    seen.append(d.pop(keys[0]))
    seen.append(keys[0] in d)
    seen.append(d.pop(keys[0], values[1]))
    seen.append(d.setdefault(keys[1], values[0]))
    seen.append(sorted(d))
    seen.append(sorted(d.values()))
    seen.append(sorted(d.items()))
    d.update({keys[0]: values[-1]})
    seen.append(dict(d))
    del d[keys[0]]
    seen.append(dict(d))
    d.clear()
    seen.append(len(d))
    return seen


@pytest.mark.parametrize("key_type, keys", [(int64, [5, -3, 11, 0]), (types.unicode_type, ["k", "", "kk", "é"]),
                                            (float64, [0.5, -1.0, 2.0, 3.5])])
@pytest.mark.parametrize("value_type, values", [(float64, [1.5, 2.5, -3.0, 0.25]), (int32, [4, 3, 2, 1])])
def test_dict_methods_from_python_match_a_dict(key_type, keys, value_type, values):
    got = run_dict_operations(typed.Dict.empty(key_type=key_type, value_type=value_type), keys, values)
    assert got == run_dict_operations({}, keys, values)


@njit
def tally(d, words):
    for w in words:
        d[w] = d.get(w, 0) + 1
    return len(d)


@pytest.mark.parametrize("words", [["a"], ["a", "b", "a", "c", "b", "a"], []])
def test_compiled_code_fills_the_callers_dict(words):
    d = typed.Dict.empty(key_type=types.unicode_type, value_type=int64)
    expected = typed.Dict.empty(key_type=types.unicode_type, value_type=int64)
    assert tally(d, typed.List.empty_list(types.unicode_type) if not words else typed.List(words)) == \
        tally.py_func(expected, words)
    assert dict(d) == dict(expected) and d == expected


def test_a_dict_typed_by_its_first_store():
    d = typed.Dict()
    assert len(d) == 0 and dict(d) == {} and d.key_type is None
    d[1] = 2.5
    d[2] = 3.5
    assert d == {1: 2.5, 2: 3.5} and d.key_type is int64 and d.value_type is float64
    assert repr(d) == "DictType[int64,float64]({1: 2.5, 2: 3.5})" and str(d) == "{1: 2.5, 2: 3.5}"
    assert d.copy() == d and d.copy()._code == d._code


@pytest.mark.parametrize("make", [lambda: typed.List([1.5, 2.5, 3.5]),
                                  lambda: typed.List(["x", "yy"]),
                                  lambda: typed.List.empty_list(int32),
                                  lambda: typed.Dict({"a": 1.0, "b": 2.0}),
                                  lambda: typed.Dict.empty(key_type=int64, value_type=float32)])
def test_pickles_keep_items_and_types(make):
    original = make()
    copy = pickle.loads(pickle.dumps(original))
    assert type(copy) is type(original) and copy == original and copy._code == original._code


@njit
def pop_last(items):
    return items.pop()


@njit
def lookup(d, key):
    return d[key]


def test_errors_reach_python_as_pythons():
    items = typed.List.empty_list(float64)
    with pytest.raises(IndexError, match="pop from empty list"):
        pop_last(items)
    with pytest.raises(IndexError):
        items.pop()
    with pytest.raises(IndexError):
        typed.List()[0]
    d = typed.Dict.empty(key_type=int64, value_type=float64)
    with pytest.raises(KeyError):
        lookup(d, 3)
    with pytest.raises(KeyError):
        d[3]
    with pytest.raises(KeyError):
        typed.Dict()["a"]


def test_an_item_of_the_wrong_type_is_a_typing_error():
    items = typed.List([1, 2])
    with pytest.raises(errors.TypingError):
        items.append("three")
    assert list(items) == [1, 2]


def test_an_empty_untyped_list_cannot_be_passed():
    with pytest.raises(errors.TypingError, match=r"numjit.typed.List with no item type yet .*empty_list"):
        pop_last(typed.List())
    with pytest.raises(errors.TypingError, match=r"numjit.typed.Dict with no item type yet .*Dict.empty"):
        lookup(typed.Dict(), 1)


def test_containers_are_freed():
    def churn():
        items = typed.List.empty_list(types.unicode_type)
        items.extend(["a", "bb", "ccc"])
        d = typed.Dict.empty(key_type=types.unicode_type, value_type=float64)
        tally(typed.Dict.empty(key_type=types.unicode_type, value_type=int64), items)
        d["x"] = 1.0
        scale_and_grow(typed.List([1.0, 2.0]), 2.0)
        build(5)
        words_and_rows(3)
        nested(3)
        return len(items) + len(d)

    churn()  # compiles
    gc.collect()
    before = runtime.allocation_stats()
    for _ in range(3):
        churn()
    gc.collect()
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free > 0
