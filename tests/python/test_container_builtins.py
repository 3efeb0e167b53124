"""Builtins and operators on Python's containers that Numba programs use:
list comparisons (lexicographic), dict equality, the truth of strings and
containers, dict(zip(k, v)) / dict(pairs) / dict(other), list.extend of a
tuple, and enumerate/zip over strings, dicts and sets. Compared with
`.py_func` over several item types and sizes."""
import numpy as np
import pytest

from numjit import njit, typed
from numjit.errors import TypingError


def compare_lists(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b


LIST_PAIRS = [([1, 2], [1, 3]), ([1, 2], [1, 2]), ([1, 2, 0], [1, 2]), ([2.5], [2.5, -1.0]),
              ([3], [1, 9, 9]), ([1.0, 2.0], [1, 2])]


@pytest.mark.parametrize("a, b", LIST_PAIRS)
def test_list_comparisons_are_lexicographic(a, b):
    assert njit(compare_lists)(list(a), list(b)) == compare_lists(a, b)


def compare_nested(n):
    rows = [[i, i + 1] for i in range(n)]
    other = [[i, i + 1] for i in range(n)]
    if n:
        other[-1][1] += 1
    return rows == other, rows < other, [rows] == [other]


@pytest.mark.parametrize("n", [0, 1, 4])
def test_lists_of_lists_compare_item_by_item(n):
    assert njit(compare_nested)(n) == compare_nested(n)


def test_typed_lists_compare():
    a, b = typed.List([1, 2, 3]), typed.List([1, 2, 4])
    assert njit(compare_lists)(a, b) == compare_lists(list(a), list(b))


def dict_equality(n, changed):
    a = {i: i * 0.5 for i in range(n)}
    b = {i: i * 0.5 for i in range(n - 1, -1, -1)}  # another order: still equal
    if changed and n:
        b[0] = -1.0
    return a == b, a != b, {1: 2} == {1: 2, 3: 4}


@pytest.mark.parametrize("n", [0, 1, 5])
@pytest.mark.parametrize("changed", [False, True])
def test_dict_equality_ignores_order(n, changed):
    assert njit(dict_equality)(n, changed) == dict_equality(n, changed)


def order_dicts():
    return {1: 2} < {1: 3}


def test_ordering_dicts_is_refused():
    with pytest.raises(TypingError, match="dicts cannot be ordered"):
        njit(order_dicts)()


def truths(text, items, n):
    d = {i: i for i in range(n)}
    s = {i for i in range(n)}
    return bool(text), bool(items), bool(d), bool(s), bool(""), bool([x for x in items if x > 100])


@pytest.mark.parametrize("text", ["", "a", "long text"])
@pytest.mark.parametrize("items", [[1], [1.5, 200.0]])
@pytest.mark.parametrize("n", [0, 3])
def test_truth_of_strings_and_containers(text, items, n):
    assert njit(truths)(text, items, n) == truths(text, items, n)


def dicts_made_by_dict(keys, values):
    zipped = dict(zip(keys, values))
    pairs = dict([(k, v * 2) for k, v in zip(keys, values)])
    copied = dict(zipped)
    copied[keys[0]] = -1
    return zipped, pairs, copied


@pytest.mark.parametrize("dtype", [np.int64, np.float64])
@pytest.mark.parametrize("size", [1, 2, 6])
def test_dict_of_zip_pairs_and_another_dict(dtype, size):
    keys = list(range(size, 0, -1))
    values = np.arange(size, dtype=dtype)
    got, want = njit(dicts_made_by_dict)(keys, values), dicts_made_by_dict(keys, values)
    assert [{k: float(v) for k, v in d.items()} for d in got] == [{k: float(v) for k, v in d.items()} for d in want]


def extend_by_tuples(items):
    items.extend((4, 5))
    items.extend(())
    return items


@pytest.mark.parametrize("items", [[1], [], [7, 8, 9]])
def test_list_extend_by_a_tuple(items):
    if not items:
        return check_empty_extend()
    assert njit(extend_by_tuples)(list(items)) == extend_by_tuples(list(items))


def check_empty_extend():
    def f():
        items = [0]
        items.pop()
        items.extend((4, 5))
        return items

    assert njit(f)() == f()


def walks(text, n):
    d = {i * 10: i for i in range(n)}
    s = {i * 3 for i in range(n)}
    out = [(i, c) for i, c in enumerate(text)]
    keys = [(k, c) for k, c in zip(d, text)]
    items = sorted([x for _, x in enumerate(s)])
    return out, keys, items


@pytest.mark.parametrize("text", ["", "ab", "xyz"])
@pytest.mark.parametrize("n", [0, 2, 5])
def test_enumerate_and_zip_over_strings_dicts_and_sets(text, n):
    assert njit(walks)(text, n) == walks(text, n)


def truth_of_array(a):
    return bool(a)


@pytest.mark.parametrize("a", [np.array([0.0]), np.array([[0]]), np.array([2.5]), np.array([True])])
def test_truth_of_a_one_element_array_is_its_element(a):
    assert njit(truth_of_array)(a) is truth_of_array(a)


@pytest.mark.parametrize("a", [np.array([1.0, 2.0]), np.zeros(0), np.zeros((2, 2))])
def test_truth_of_other_arrays_is_ambiguous(a):
    with pytest.raises(ValueError):
        njit(truth_of_array)(a)
