"""Dicts and sets held by other containers: dicts of dicts, lists of dicts,
dicts and lists of sets, built in compiled code and returned to Python, and
empty containers whose types later stores decide (`d[a] = {}` then
`d[a][b] = v`, `[[] for _ in r]` then `adj[u].append(v)`,
`g.setdefault(k, []).append(x)`), which Numba cannot type. Compared with
`.py_func` over several key and value types and sizes, with the allocation
counts balanced."""
import gc

import numpy as np
import pytest

from numjit import njit, typed, types
from numjit.errors import TypingError
from numjit.runtime import allocation_stats


def balance(f, *args):
    """Blocks allocated minus blocks freed over ten calls (after a first one)."""
    f(*args)
    gc.collect()
    before = allocation_stats()
    for _ in range(10):
        f(*args)
    gc.collect()
    after = allocation_stats()
    return (after.alloc - before.alloc) - (after.free - before.free)


def plain(value):
    """NumPy scalars as Python numbers, recursively, so results compare by value and type."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    if isinstance(value, set):
        return {plain(v) for v in value}
    if isinstance(value, np.generic):
        return value.item()
    return value


def check_same(f, *args):
    compiled = njit(f)
    got = compiled(*args)
    want = f(*args)
    assert plain(got) == plain(want)
    assert repr(plain(got)) == repr(plain(want))  # int stays int, float float
    assert balance(compiled, *args) == 0
    return got


def weighted_graph(n, scale):
    g = {}
    for i in range(n):
        g[i] = {(i + 1) % n: scale * 1.5, (i + 2) % n: scale * 2.5}
    for i in range(0, n, 2):
        g[i][i] = scale * 1.0  # grows a dict held by another
    total = 0.0
    for k in g:
        for j, w in g[k].items():
            total += w * j
    return g, total


@pytest.mark.parametrize("n", [1, 2, 7])
@pytest.mark.parametrize("scale", [2, 0.5])
def test_dicts_of_dicts(n, scale):
    check_same(weighted_graph, n, scale)


def pair_counts(pairs):
    counts = {}
    for a, b in pairs:
        if a not in counts:
            counts[a] = {}
        counts[a][b] = counts[a].get(b, 0) + 1
    return counts


@pytest.mark.parametrize("size", [1, 2, 40])  # an empty Python list has no item type
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float64])
def test_empty_inner_dicts_take_types_from_later_stores(size, dtype):
    rng = np.random.default_rng(size)
    pairs = [tuple(p) for p in rng.integers(0, 5, (size, 2)).astype(dtype)]
    check_same(pair_counts, pairs)


def string_index(words):
    index = {}
    for position, w in enumerate(words):
        if w not in index:
            index[w] = {}
        index[w][position] = len(w) * 0.5
    return index


def test_string_keyed_dicts_of_dicts():
    check_same(string_index, ["ab", "c", "ab", "def", "c"])


def dicts_in_a_comprehension(n):
    rows = [{} for _ in range(n)]
    for i in range(n):
        rows[i][i] = 1.5 * i
        rows[i][-i] = 2.0
    return rows


@pytest.mark.parametrize("n", [0, 1, 6])
def test_lists_of_empty_dicts_retyped(n):
    check_same(dicts_in_a_comprehension, n)


def lists_of_dicts(n):
    out = []
    for i in range(n):
        out.append({i: i * 2, i + 1: i * 3})
    removed = out.pop() if n else {0: 0}
    return out, removed, sum([len(d) for d in out])


@pytest.mark.parametrize("n", [0, 1, 5])
def test_lists_of_dicts(n):
    check_same(lists_of_dicts, n)


def adjacency(edges, n):
    adj = [[] for _ in range(n)]
    for u, v in edges:
        adj[u].append(v)
        adj[v].append(u)
    neighbours = [set() for _ in range(n)]
    for u, v in edges:
        neighbours[u].add(v)
    return adj, neighbours


def groups_of(keys, values):
    by_test = {}
    for k, v in zip(keys, values):
        if k not in by_test:
            by_test[k] = []
        by_test[k].append(v)
    by_default = {}
    for k, v in zip(keys, values):
        by_default.setdefault(k, []).append(v)
    as_sets = {}
    for k, v in zip(keys, values):
        if k not in as_sets:
            as_sets[k] = set()
        as_sets[k].add(v)
    return by_test, by_default, as_sets


@pytest.mark.parametrize("n", [1, 4, 9])
def test_adjacency_lists_and_sets(n):
    edges = [(i, (i * 3 + 1) % n) for i in range(n)]
    check_same(adjacency, edges, n)


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.float32])
@pytest.mark.parametrize("size", [0, 1, 30])
def test_groups_by_key(dtype, size):
    rng = np.random.default_rng(size)
    keys = rng.integers(0, 4, size)
    values = (rng.integers(0, 50, size) / 4).astype(dtype)
    check_same(groups_of, keys, values)


def replace_and_remove(n):
    d = {}
    for i in range(n):
        d[i % 3] = {i: float(i)}  # the replaced inner dict is released
    first = d.pop(0) if n else {0: 0.0}
    if 1 in d:
        del d[1]
    for inner in d.values():
        inner[99] = -1.0
    return first, d, d.copy()


@pytest.mark.parametrize("n", [0, 2, 7])
def test_replacing_and_removing_inner_dicts(n):
    check_same(replace_and_remove, n)


inner_type = types.DictType(types.int64, types.float64)


@njit
def typed_nested(n):
    d = typed.Dict.empty(key_type=types.int64, value_type=inner_type)
    for i in range(n):
        x = typed.Dict.empty(key_type=types.int64, value_type=types.float64)
        x[i] = i * 0.5
        d[i] = x
    return d


@njit
def total_of(d):
    s = 0.0
    for k in d:
        for v in d[k].values():
            s += v
    return s


def test_typed_dicts_of_typed_dicts_pass_both_ways():
    d = typed_nested(5)
    assert {k: dict(v) for k, v in d.items()} == {i: {i: i * 0.5} for i in range(5)}
    assert total_of(d) == sum(i * 0.5 for i in range(5))


def held_in_a_tuple():
    t = ([], 0)
    t[0].append(1.5)
    return t[0]


def two_levels_down():
    d = {}
    d[1] = {}
    d[1][2] = []
    d[1][2].append(1.5)
    return d


@pytest.mark.parametrize("f", [held_in_a_tuple, two_levels_down])
def test_undecidable_item_types_are_refused_with_the_line(f):
    with pytest.raises(TypingError, match="cannot decide the item type of this list here") as info:
        njit(f)()
    assert f.__code__.co_filename in str(info.value)


# Where an empty container's types cannot be decided through its holder, the
# compiler refuses with the line (once these gave raw bits, lost entries or a
# corrupted heap): a helper that receives the holder, a second name for the
# container, a wider item later.
@njit
def _append_in_helper(g, u, w):
    g[u].append(w)


def graph_through_a_helper(n):
    g = {}
    for i in range(n):
        g[i] = []
    for i in range(n):
        _append_in_helper(g, i, i + 0.5)
    return g


def second_name_for_the_inner(n):
    inner = []
    d = {}
    d[0] = inner
    d[0].append(2.5 * n)
    return inner


def second_name_in_a_loop(n):
    rows = [{} for _ in range(2)]
    x = rows
    for i in range(n):
        x = rows
        x[0][i] = i + 0.5
    return x


def wider_item_later(n):
    rows = [[] for _ in range(2)]
    rows[0].append(n)
    rows[1].append(2.5)
    return rows


@pytest.mark.parametrize("f, message", [
    (graph_through_a_helper, "cannot decide the item type of this list here"),
    (second_name_for_the_inner, "is held here with no item types"),
    (second_name_in_a_loop, "is held here with no item types"),
    (wider_item_later, "cannot add float64 to list"),
])
def test_undecidable_holders_are_refused(f, message):
    with pytest.raises(TypingError, match=message):
        njit(f)(3)


def reused_through_the_holder(n):
    rows = [[] for _ in range(3)]
    total = 0.0
    for i in range(n):
        rows[i % 3].append(i * 0.5)
        rows = rows  # the same name: no second holder
        total += len(rows[0])
    return rows, total


@pytest.mark.parametrize("n", [0, 5, 200])
def test_a_list_of_lists_filled_across_many_steps(n):
    check_same(reused_through_the_holder, n)
