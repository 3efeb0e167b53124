"""Lists built in compiled code, against the same functions run by Python."""
import numpy as np
import pytest

import numjit
from conftest import check
from numjit import njit


@njit
def build_and_use(n):
    out = []
    for i in range(n):
        if i % 3:
            out.append(i * 0.5)
    squares = [x * x for x in out if x > 1]
    lst = [1, 2, 3]
    lst[0] = 10
    lst[-1] += 5
    total = 0
    for v in lst:
        total += v
    popped = lst.pop()
    lst.extend([7, 8])
    return out, squares, len(lst), total, popped, np.array(squares), lst


@njit
def comprehensions(a):
    doubled = [a[i] * 2 for i in range(len(a))]
    pairs = [(i, x) for i, x in enumerate(a)]
    nested = [[y for y in range(3)][k] + x for k, x in enumerate(a) if k < 3]
    last = pairs[len(pairs) - 1][1] if len(pairs) else a.sum()
    return doubled, last, nested


@njit
def list_of_arrays(n):
    rows = []
    for i in range(n):
        rows.append(np.arange(i + 1) * 2.0)
    total = 0.0
    for r in rows:
        total += r.sum()
    if n:
        rows[0] = np.ones(3)
        last = rows.pop()
        total += last.sum()
    return rows, total


@njit
def pop_at(values, i):
    lst = [v for v in values]
    return lst.pop(i), lst


@njit
def index(values, i):
    lst = [v for v in values]
    return lst[i]


@pytest.mark.parametrize("n", [0, 1, 5, 40])
def test_build_and_use(n):
    check(build_and_use, n)


@pytest.mark.parametrize("dtype", [np.int64, np.float64])
@pytest.mark.parametrize("n", [0, 1, 6])
def test_comprehensions(dtype, n):
    check(comprehensions, np.arange(n, dtype=dtype))


@pytest.mark.parametrize("n", [0, 1, 4])
def test_list_of_arrays(n):
    got, expected = list_of_arrays(n), list_of_arrays.py_func(n)
    assert len(got[0]) == len(expected[0]) and got[1] == expected[1]
    for g, e in zip(got[0], expected[0]):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("i", [0, -1, 2, 5, -6])
def test_pop_and_index_errors_match_python(i):
    values = np.arange(4.0)
    check(pop_at, values, i)
    check(index, values, i)
    with pytest.raises(IndexError):
        pop_at(np.zeros(0), -1)


def test_lists_do_not_leak():
    before = numjit.runtime.allocation_stats()
    for n in (0, 3, 10):
        build_and_use(n)
        list_of_arrays(n)
        comprehensions(np.arange(float(n)))
    after = numjit.runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free


@njit
def list_of_lists(n):
    return len([[n], [n]]), [[n], [n, n]]


@njit
def lists_of_two_item_types(n):
    return len([[n], ["text"]])


def test_lists_of_lists_work_and_two_item_types_are_reported():
    assert list_of_lists(3) == list_of_lists.py_func(3)
    with pytest.raises(numjit.errors.TypingError, match="list items must have one type"):
        lists_of_two_item_types(1)


# A list iterator reads the list's length before each step: the loop sees
# items appended in its body (a worklist, a breadth-first order) and stops
# early when the body pops, as Python's does.
def worklist(limit):
    items = [1]
    for x in items:
        if x < limit:
            items.append(x + 1)
    return items


def breadth_first(adjacency):
    order = [0]
    seen = {0}
    for u in order:
        for v in adjacency[u]:
            if v not in seen:
                seen.add(v)
                order.append(v)
    return order


def popping_while_walking(n):
    items = [i * 1.5 for i in range(n)]
    seen = []
    for x in items:
        seen.append(x)
        items.pop()
    return seen, items


def growing_under_enumerate_and_zip(limit):
    items = [1]
    out = []
    for i, x in enumerate(items):
        if x < limit:
            items.append(x + 1)
        out.append(i * 10 + x)
    others = [5, 6, 7, 8]
    for x, y in zip(items, others):
        items.append(x)
        out.append(x * y)
    return out


@pytest.mark.parametrize("limit", [0, 1, 6])
def test_loops_see_items_appended_in_their_body(limit):
    assert njit(worklist)(limit) == worklist(limit)
    assert njit(growing_under_enumerate_and_zip)(limit) == growing_under_enumerate_and_zip(limit)


@pytest.mark.parametrize("adjacency", [[[1, 2], [3], [4], [], []], [[1], [0]], [[]]])
def test_breadth_first_worklist(adjacency):
    assert njit(breadth_first)([list(a) or [0] for a in adjacency]) == breadth_first([list(a) or [0] for a in adjacency])


@pytest.mark.parametrize("n", [0, 1, 4, 7])
def test_loops_stop_where_the_body_popped_the_end(n):
    assert njit(popping_while_walking)(n) == popping_while_walking(n)


def rebinding_the_walked_list(n):
    items = [1, 2, 3]
    total = 0
    for x in items:
        items = [10 * n, 20]  # the loop keeps walking the list it started with
        total += x
    words = ["a", "bb"]
    for i, w in enumerate(words):
        words = ["c"]
        total += len(w) * (i + 1)
    return total, items, words


@pytest.mark.parametrize("n", [0, 3])
def test_rebinding_the_walked_list_in_its_loop(n):
    assert njit(rebinding_the_walked_list)(n) == rebinding_the_walked_list(n)


def append_wider_to_an_argument(items):
    items.append(1.5)
    return items


def test_a_list_argument_keeps_its_item_type():
    from numjit.errors import TypingError

    with pytest.raises(TypingError, match="cannot add float64 to list"):
        njit(append_wider_to_an_argument)([1, 2])
    assert njit(append_wider_to_an_argument)([0.5]) == [0.5, 1.5]
