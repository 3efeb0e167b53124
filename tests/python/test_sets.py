"""Sets in compiled code: displays, set(), set(iterable), comprehensions,
the methods and operators of python/numjit/library/sets.py over the C++ rows
(add, in, pop, discard), iteration, and sets returned to Python. Each result
is compared with `.py_func` over several item types and sizes. Set order is
not Python's (numjit keeps insertion order), so results compare as sets or
sorted lists."""
import numpy as np
import pytest

from numjit import njit
from numjit.errors import TypingError, UnsupportedError

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.uint8, np.bool_]
SIZES = [0, 1, 7, 60]


def sample(dtype, size, seed=0):
    values = np.random.default_rng(seed + size).integers(0, max(size // 2, 1) + 1, size)
    return values.astype(dtype)


@njit
def built(a):
    empty = set()
    for x in a:
        empty.add(x)
    return empty, set(a), {x for x in a if x > 0}, len(set(a))


@njit
def operators(a, b):
    s = set(a)
    t = set(b)
    return s | t, s & t, s - t, s ^ t, t - s


@njit
def methods(a, b):
    s = set(a)
    return (s.union(b), s.intersection(b), s.difference(b), s.symmetric_difference(b),
            s.issubset(b), s.issuperset(b), s.isdisjoint(b))


@njit
def comparisons(a, b):
    s = set(a)
    t = set(b)
    return s == t, s != t, s < t, s <= t, s > t, s >= t, s == s.copy(), s < s


@njit
def in_place(a, b):
    s = set(a)
    alias = s  # the in-place operators mutate the one set both names hold
    s |= set(b)
    first = sorted(alias)
    s &= {b[0]} if len(b) else set(b)
    second = sorted(alias)
    u = set(a)
    u -= set(b)
    v = set(a)
    v ^= set(b)
    w = set(a)
    w.intersection_update(b)
    x = set(a)
    x.difference_update(b)
    y = set(a)
    y.symmetric_difference_update(b)
    return first, second, u, v, w, x, y


@njit
def membership_and_iteration(a, probe):
    s = set(a)
    total = 0.0
    count = 0
    for x in s:
        total += x
        count += 1
    return probe in s, probe not in s, total, count, sorted(s), sorted(s, reverse=True), list(sorted(s))


@njit
def removals(a, x):
    s = set(a)
    s.discard(x)
    s.discard(x)
    t = s.copy()
    t.clear()
    popped = 0
    while len(s) > 2:
        s.pop()
        popped += 1
    return s, t, popped, len(s)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("size", SIZES)
def test_construction_matches_python(dtype, size):
    a = sample(dtype, size)
    assert built(a) == built.py_func(a)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("size", SIZES)
def test_operators_and_methods_match_python(dtype, size):
    a, b = sample(dtype, size), sample(dtype, size + 3, seed=5)
    assert operators(a, b) == operators.py_func(a, b)
    assert methods(a, b) == methods.py_func(a, b)
    assert comparisons(a, b) == comparisons.py_func(a, b)
    assert comparisons(a, a) == comparisons.py_func(a, a)
    assert comparisons(a[: size // 2], a) == comparisons.py_func(a[: size // 2], a)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("size", SIZES)
def test_in_place_operators_mutate_the_set(dtype, size):
    a, b = sample(dtype, size), sample(dtype, size + 2, seed=9)
    assert in_place(a, b) == in_place.py_func(a, b)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("size", SIZES)
def test_membership_iteration_and_sorting(dtype, size):
    a = sample(dtype, size)
    for probe in (a[0] if size else dtype(1), dtype(100)):
        got = membership_and_iteration(a, probe)
        want = membership_and_iteration.py_func(a, probe)
        assert got[:2] == want[:2] and got[3:] == want[3:]
        assert got[2] == pytest.approx(want[2])  # summed in another order


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.int16], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("size", SIZES)
def test_removals(dtype, size):
    a = sample(dtype, size)
    x = a[-1] if size else dtype(0)
    got, want = removals(a, x), removals.py_func(a, x)
    # pop takes an arbitrary item (numjit: the oldest), so only what is left in size is compared.
    assert got[1:] == want[1:] and len(got[0]) == len(want[0]) and got[0] <= set(a)


@njit
def literal_kinds():
    ints = {3, 1, 3, 2}
    mixed = {1, 2.5, 1.0}
    complexes = {1j, 1j, 2 + 0j}
    zeros = {0.0, -0.0}
    flags = {True, False, True}
    pairs = {(1, 2), (1, 2), (2, 1)}
    return ints, mixed, complexes, zeros, flags, len(pairs), (1, 2) in pairs, (2, 2) in pairs


def test_literals_of_every_kind():
    assert literal_kinds() == literal_kinds.py_func()


@njit
def lookups_across_types(s_values, probes):
    s = set(s_values)
    return [p in s for p in probes]


@pytest.mark.parametrize("values,probes", [
    (np.array([1, 2, 3]), np.array([1.0, 1.5, 3.0, -0.0, 1e300, np.nan])),
    (np.array([0.0, 2.5]), np.array([-0.0, 2.5, 2.0])),
    (np.array([1, 2], np.int8), np.array([1, 257, -255, 2], np.int64)),
])
def test_a_wider_probe_is_found_only_when_it_converts_exactly(values, probes):
    assert lookups_across_types(values, probes) == lookups_across_types.py_func(values, probes)


@njit
def typed_check(a):
    s = set(a)
    return isinstance(s, set), isinstance(a, set), isinstance([1], set)


def test_isinstance_of_set():
    a = np.arange(3)
    assert typed_check(a) == typed_check.py_func(a)


@njit
def dict_comprehension(a):
    d = {x: x * x for x in a if x % 2 == 0}
    z = {0.0: 1}
    z[-0.0] = 2
    return d, z, {1: 2}.get(1.5, -1), 2.0 in {2: 0}


def test_dict_comprehensions_and_float_keys():
    a = np.arange(9)
    assert dict_comprehension(a) == dict_comprehension.py_func(a)


@njit
def remove_absent(a, x):
    s = set(a)
    s.remove(x)
    return s


@njit
def pop_empty():
    s = {1}
    s.pop()
    return s.pop()


def test_python_errors_at_run_time():
    with pytest.raises(KeyError, match="not in set"):
        remove_absent(np.arange(3), 7)
    with pytest.raises(KeyError, match="pop from an empty set"):
        pop_empty()
    assert remove_absent(np.arange(3), 1) == {0, 2}


def test_sets_of_arrays_are_refused_with_a_location():
    @njit
    def of_arrays(a):
        return {a}

    with pytest.raises(UnsupportedError, match="set items must be numbers, strings or tuples of numbers") as err:
        of_arrays(np.zeros(2))
    assert "test_sets.py" in str(err.value) and "^" in str(err.value)


def test_an_operator_between_a_set_and_a_list_is_a_typing_error():
    @njit
    def mixed(a):
        return set(a) | [1]

    with pytest.raises(TypingError, match="set operators take two sets"):
        mixed(np.arange(3))


def test_a_set_never_equals_a_list():
    @njit
    def compared(a):
        return set(a) == [1], set(a) != [1]

    assert compared(np.arange(2)) == compared.py_func(np.arange(2))


def test_adding_a_float_widens_a_local_set():
    @njit
    def widened(n):
        s = {1, 2}
        s.add(n / 2)
        return s

    assert widened(5) == widened.py_func(5)
    assert all(isinstance(x, float) for x in widened(4))  # {1.0, 2.0}: every item widened, as Numba does


@njit
def extremes_and_conversions(a):
    s = set(a)
    s.add(3)
    empty = set()
    return min(s), max(s), sorted(s), sorted(empty), 5 in empty, empty == s


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.float32])
def test_min_max_of_sets_and_adding_converts_to_the_item_type(dtype):
    a = np.array([1, 7, 2], dtype=dtype)
    assert extremes_and_conversions(a) == extremes_and_conversions.py_func(a)


@njit
def mixed_width_pairs(a):
    out = []
    for k in range(len(a)):
        out.append((k, a[k]))
    return out


def test_lists_of_tuples_of_mixed_widths_are_laid_out_as_the_machine_does():
    a = np.arange(7, dtype=np.float32)
    assert mixed_width_pairs(a) == mixed_width_pairs.py_func(a)


@njit
def from_ranges(n):
    return set(range(n)), set(range(n, 0, -2)), sorted(set(range(3)) | {n})


@pytest.mark.parametrize("n", [0, 1, 6])
def test_sets_of_ranges(n):
    assert from_ranges(n) == from_ranges.py_func(n)


@pytest.mark.parametrize("which", [min, max])
def test_min_and_max_of_an_empty_set_or_list_raise_as_python(which):
    @njit
    def extreme_of_empty(n):
        items = {k for k in range(n)}
        listed = [k for k in range(n)]
        return which(items), which(listed)

    assert extreme_of_empty(3) == extreme_of_empty.py_func(3)
    with pytest.raises(ValueError, match=f"{which.__name__}\\(\\) arg is an empty sequence"):
        extreme_of_empty(0)


@njit
def reflected_update(items, extra):
    items.add(extra)
    items.discard(extra * 2)
    if len(items) > 3:
        items.pop()
    return len(items)


@pytest.mark.parametrize("items, extra", [({1, 2, 4}, 3), ({1, 2, 3, 4, 6}, 3), ({0.5, -2.5}, 0.25), ({"a", "b"}, "c"),
                                          ({"x"}, "x"), ({True}, False), ({-3}, -3)])
def test_a_python_set_argument_is_reflected(items, extra):
    got, expected = set(items), set(items)
    if len(items) > 3:  # pop() takes an arbitrary item: compare what is left in size only
        assert reflected_update(got, extra) == reflected_update.py_func(expected, extra) == len(got)
        return
    assert reflected_update(got, extra) == reflected_update.py_func(expected, extra)
    assert got == expected


@njit
def count_common(a, b):
    return len(a & b), sorted(a - b)


def test_sets_passed_in_are_not_changed_by_reading():
    a, b = {1, 2, 3, 5}, {2, 3, 7}
    assert count_common(a, b) == count_common.py_func(a, b)
    assert a == {1, 2, 3, 5} and b == {2, 3, 7}


@pytest.mark.parametrize("bad", [{1, 2.5}, {1, "a"}, frozenset({1, 2})])
def test_sets_compiled_code_cannot_type_are_located_errors(bad):
    from numjit import errors
    with pytest.raises(errors.TypingError, match="argument 'a'"):
        count_common(bad, {1})


def test_an_empty_set_needs_a_specialization_that_types_its_items():
    from numjit import errors
    fresh = njit(count_common.py_func)
    with pytest.raises(errors.TypingError, match="argument 'a'"):
        fresh(set(), {1})
    assert fresh({4}, {1}) == count_common.py_func({4}, {1})
    assert fresh(set(), {1}) == count_common.py_func(set(), {1})  # an empty set fits any item type


@njit
def empty_set_meets_typed_ones(words, xs):
    a = set()
    b = set()
    c = set()
    d = set()
    e = set()
    a ^= set(words)          # the empty set takes str items from the other side
    sub = b <= set(xs)       # float items
    c.discard("x")           # str, from the item discarded
    found = 2.5 in d
    e |= set(xs)
    return sorted(a), sub, len(c), found, sorted(e), len(b | set(xs))


@pytest.mark.parametrize("words, xs", [(["p", "q", "p"], [1.5, -2.0]), (["z"], [0.0]), ([""], [3.25, 3.25])])
def test_an_empty_set_takes_its_item_type_from_the_first_method_that_names_one(words, xs):
    assert empty_set_meets_typed_ones(words, xs) == empty_set_meets_typed_ones.py_func(words, xs)
