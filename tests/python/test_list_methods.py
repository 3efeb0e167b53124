"""List methods and builtins written in numjit's Python library
(python/numjit/library/lists.py): each compiled result, and the list after
the call, compared with `.py_func` over several item types and lengths,
including Python's errors."""
import numpy as np
import pytest

from numjit import njit

ITEMS = [[], [3], [2, 7, 2, 9, 1], [1.5, -0.0, 0.0, 2.5, -1.0, 1.5], [True, False, True]]


def as_list(values):
    return list(values)


@njit
def inserted(items, x):
    out = [v for v in items]
    for position in (0, -1, 100, -100, 2):
        out.insert(position, x)
    return out


@njit
def searches(items, x):
    found = items.index(x) if items.count(x) else -1
    later = items.index(x, 1) if items.count(x) > 1 and items.index(x) == 0 else -1
    return found, later, items.count(x)


@njit
def removed(items, x):
    out = items.copy()
    out.remove(x)
    return out


@njit
def rearranged(items):
    a = items.copy()
    a.reverse()
    b = items.copy()
    b.sort()
    c = items.copy()
    c.sort(reverse=True)
    d = items.copy()
    d.clear()
    d.append(items[0]) if len(items) else None
    return a, b, c, len(d)


@njit
def builtins_of(items):
    return sorted(items), sorted(items, reverse=True), [v for v in reversed(items)], list(items)


@pytest.mark.parametrize("items", ITEMS, ids=repr)
def test_insert_clamps_positions_as_python(items):
    if not items:
        return  # an empty list has no item type to insert
    x = items[0]
    assert inserted(as_list(items), x) == inserted.py_func(as_list(items), x)


@pytest.mark.parametrize("items", ITEMS[1:], ids=repr)
def test_index_and_count(items):
    for x in set(items):
        assert searches(as_list(items), x) == searches.py_func(as_list(items), x)


@pytest.mark.parametrize("items", ITEMS[1:], ids=repr)
def test_remove_takes_the_first_equal_item(items):
    got = removed(as_list(items), items[-1])
    expected = removed.py_func(as_list(items), items[-1])
    assert got == expected and [type(v) for v in got] == [type(v) for v in expected]


@pytest.mark.parametrize("items", ITEMS[1:], ids=repr)
def test_reverse_sort_clear(items):
    got, expected = rearranged(as_list(items)), rearranged.py_func(as_list(items))
    assert got == expected
    # A stable sort keeps -0.0 and 0.0 in their order, as Python's does.
    assert [str(v) for v in got[1]] == [str(v) for v in expected[1]]
    assert [str(v) for v in got[2]] == [str(v) for v in expected[2]]


@pytest.mark.parametrize("items", ITEMS[1:], ids=repr)
def test_sorted_reversed_list_of_lists_and_arrays(items):
    assert builtins_of(as_list(items)) == builtins_of.py_func(as_list(items))
    a = np.array(items)
    got, expected = builtins_of(a), builtins_of.py_func(a)
    assert [list(x) for x in got] == [list(x) for x in expected]


@njit
def from_range(n):
    return list(range(n)), list(range(n, 0, -2)), sorted(range(n), reverse=True)


@njit
def backwards(n):
    out = list()
    for i in reversed(range(n)):
        out.append(i * 2)
    for i in reversed(range(1, n, 3)):
        out.append(i)
    return out


@pytest.mark.parametrize("n", [0, 1, 5, 11])
def test_list_and_sorted_of_ranges(n):
    assert from_range(n) == from_range.py_func(n)
    assert backwards(n) == backwards.py_func(n)


@njit
def missing(items, x, which):
    if which == 0:
        return items.index(x)
    items.remove(x)
    return -1


@pytest.mark.parametrize("which", [0, 1])
def test_an_absent_item_raises_value_error(which):
    with pytest.raises(ValueError):
        missing.py_func([1, 2], 5, which)
    with pytest.raises(ValueError, match="not in list"):
        missing([1, 2], 5, which)


@njit
def operators(items, n):
    doubled = items + items
    repeated = items * n
    before = n * [1.5]
    grown = [v for v in items]
    grown += items
    grown += [items[0]] if len(items) else grown
    return doubled, repeated, before, grown


@pytest.mark.parametrize("items", ITEMS[1:], ids=repr)
@pytest.mark.parametrize("n", [0, 1, 3, -2])
def test_list_operators(items, n):
    assert operators(as_list(items), n) == operators.py_func(as_list(items), n)


@njit
def extend_aliases(items):
    items += items  # extends by a snapshot of itself, as Python
    return items


def test_extending_a_list_by_itself():
    assert extend_aliases([1, 2, 3]) == extend_aliases.py_func([1, 2, 3])


@njit
def list_slice(items, start, stop, step):
    return items[start:stop:step], items[start:stop], items[:stop], items[start:], items[::step]


@pytest.mark.parametrize("items", [[4], [1, 2, 3, 4, 5, 6, 7], [0.5, -1.5, 2.5]], ids=repr)
@pytest.mark.parametrize("start, stop, step", [(0, 3, 1), (-2, 10, 1), (5, -8, -1), (-100, 100, 3), (3, 1, -2),
                                               (1, 1, 1), (-1, -5, -1)])
def test_list_slices_as_python(items, start, stop, step):
    assert list_slice(list(items), start, stop, step) == list_slice.py_func(list(items), start, stop, step)


def test_a_zero_slice_step_raises():
    with pytest.raises(ValueError):
        list_slice.py_func([1, 2], 0, 1, 0)
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        list_slice([1, 2], 0, 1, 0)


@njit
def issue_example(items):
    return [0] * 3 + items[2:5]


def test_the_issues_list_expression():
    assert issue_example([1, 2, 3, 4, 5, 6]) == issue_example.py_func([1, 2, 3, 4, 5, 6])


@njit
def slice_stores(items, values):
    a = items.copy()
    a[1:3] = values
    b = items.copy()
    b[0:0] = values
    c = items.copy()
    c[-2:100] = values
    d = items.copy()
    d[:] = values
    e = items.copy()
    e[5:1] = values
    f = items.copy()
    f[::2] = [items[-1] for _ in range(len(f[::2]))]
    g = items.copy()
    g[1:] = g
    return a, b, c, d, e, f, g


@njit
def slice_deletes(items):
    out = []
    for start, stop, step in ((1, 4, 1), (0, 100, 2), (-1, -100, -3), (-2, 100, 1), (3, 1, 1), (4, 0, -1)):
        a = items.copy()
        del a[start:stop:step]
        out.append(a)
    b = items.copy()
    del b[::2]
    out.append(b)
    return out


@pytest.mark.parametrize("items", [v for v in ITEMS if v], ids=repr)
def test_slice_assignment_and_del_as_python(items):
    values = items[:2]
    assert slice_stores(items, values) == slice_stores.py_func(list(items), list(values))
    assert slice_deletes(items) == slice_deletes.py_func(list(items))


@njit
def extended_slice_of_another_size(items):
    items[::2] = [items[0]]


def test_an_extended_slice_takes_exactly_its_size():
    with pytest.raises(ValueError, match="extended slice"):
        extended_slice_of_another_size([1, 2, 3, 4])


@njit
def repeated_in_place(items, n):
    alias = items
    items *= n
    return alias, len(items)


@pytest.mark.parametrize("n", [-1, 0, 1, 3])
def test_in_place_repetition_changes_the_list_itself(n):
    assert repeated_in_place([1.5, 2.5], n) == repeated_in_place.py_func([1.5, 2.5], n)


@njit
def keyed_sorts(values, words):
    by_abs = sorted(values, key=lambda v: abs(v))
    by_abs_down = sorted(values, key=lambda v: abs(v), reverse=True)
    by_len = sorted(words, key=len)
    pairs = [(i, values[i]) for i in range(len(values))]
    pairs.sort(key=lambda p: -p[1])
    backwards = sorted(words, key=lambda w: w[::-1], reverse=True)
    ranked = sorted(range(len(words)), key=lambda i: (len(words[i]), -i))
    return by_abs, by_abs_down, by_len, pairs, backwards, ranked


@pytest.mark.parametrize("values", [[1.5], [3.0, -1.0, 2.0, -3.0, 0.5, 1.0, -0.5], [2, -2, 1, -1, 0], [np.float32(2), np.float32(-1)]], ids=repr)
def test_sorted_and_sort_with_a_key_as_python(values):
    words = ["pear", "fig", "apple", "kiwi", "banana", "fig"][: len(values) + 1]
    assert keyed_sorts(values, words) == keyed_sorts.py_func(list(values), list(words))


@njit
def insert_owned(words, rows, n):
    for i in range(n):
        words.insert(i % 3 - 1, "w" + str(i))
        rows.insert(-100 if i % 2 else 100, np.full(2, float(i)))
        rows.insert(len(rows) // 2, rows[0])
    return words, [r.sum() for r in rows]


@pytest.mark.parametrize("n", [0, 1, 5, 40])
def test_insert_of_strings_and_arrays_keeps_them_alive(n):
    from numjit import runtime
    got = insert_owned(["a", "b"], [np.zeros(2)], n)
    assert got == insert_owned.py_func(["a", "b"], [np.zeros(2)], n)
    before = runtime.allocation_stats()
    insert_owned(["a", "b"], [np.zeros(2)], n)
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free


@njit
def sorted_pairs(pairs, descending):
    items = [(a, b) for a, b in pairs]
    out = sorted(items, reverse=descending)
    items.sort()
    return out, items


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("n", [1, 2, 9, 16, 17, 33, 200, 1000])
def test_sorting_lists_of_tuples(descending, n):
    rng = np.random.default_rng(n)
    pairs = [(int(a), float(b)) for a, b in zip(rng.integers(0, 4, n), rng.integers(0, 3, n) * 0.5)]
    assert sorted_pairs(pairs, descending) == sorted_pairs.py_func(pairs, descending)


@njit
def scale_pairs(pairs):
    for i in range(len(pairs)):
        a, b = pairs[i]
        pairs[i] = (a * 2, b + 0.5)
    pairs.append((7, 7.5))
    return len(pairs)


@pytest.mark.parametrize("pairs", [[(1, 0.5)], [(1, 0.5), (-3, 2.25), (0, 0.0)]])
def test_a_list_of_tuples_passed_in_is_reflected(pairs):
    got, expected = list(pairs), list(pairs)
    assert scale_pairs(got) == scale_pairs.py_func(expected)
    assert got == expected


@njit
def queue_churn(first, n, seed):
    # pop(0) and inserts near the start move the front of the list (a free
    # gap before the items); appends and inserts near the end move the back.
    items = [first]
    out = [first]
    state = seed
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        move = state % 7
        if move == 0 or len(items) == 0:
            items.append(first)
        elif move == 1:
            out.append(items.pop(0))
        elif move == 2:
            items.insert(0, items[len(items) // 2])
        elif move == 3:
            items.insert(len(items) // 3, items[-1])
        elif move == 4:
            out.append(items.pop(len(items) // 4))
        elif move == 5:
            out.append(items.pop())
        else:
            items.insert(len(items) - 1, items[0])
    while len(items) > 0:
        out.append(items.pop(0))
    items.append(first)
    items.insert(0, first)
    return out, items


@pytest.mark.parametrize("first", [7, 2.5, "word", (1, 2.0)], ids=repr)
@pytest.mark.parametrize("n, seed", [(0, 1), (5, 3), (40, 11), (700, 5)])
def test_queue_shaped_use_keeps_python_order(first, n, seed):
    assert queue_churn(first, n, seed) == queue_churn.py_func(first, n, seed)


def test_queue_of_arrays_matches_python_and_does_not_leak():
    import numjit.runtime
    first = np.arange(3.0)
    before = numjit.runtime.allocation_stats()
    got_out, got_items = queue_churn(first, 300, 9)
    want_out, want_items = queue_churn.py_func(first, 300, 9)
    assert [a.tolist() for a in got_out] == [a.tolist() for a in want_out]
    assert [a.tolist() for a in got_items] == [a.tolist() for a in want_items]
    del got_out, got_items
    after = numjit.runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free
