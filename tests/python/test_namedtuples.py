"""Namedtuples in compiled code: built from their class (positional values,
keywords, defaults), read by field and by index, passed in from Python and
returned to it as instances of their own class; lists and dicts holding tuples
of arrays and strings. Each result is compared with the function run as plain
Python (.py_func), class included."""
import os
import subprocess
import sys
import textwrap
import typing
from collections import namedtuple

import numpy as np
import pytest

import numjit
from numjit import njit
from numjit.errors import TypingError

from conftest import assert_same, check, make_array

Point = namedtuple("Point", "x y")
Options = namedtuple("Options", ["tol", "max_iter", "label"])
Options.__new__.__defaults__ = (1e-6, 100, "fast")
Result = namedtuple("Result", "root calls converged")
Pair = namedtuple("Pair", "values weight")


class Typed(typing.NamedTuple):
    scale: float
    count: int = 3


DEFAULT_OPTIONS = Options(0.5, 7)

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_]


def same_instance(got, expected):
    """Same class, same values (arrays compared by assert_same)."""
    assert type(got) is type(expected), f"{type(got).__name__} is not {type(expected).__name__}"
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        if isinstance(e, str):
            assert g == e
        elif isinstance(e, tuple):
            same_instance(g, e)
        else:
            assert_same(g, e)


@njit
def make_point(x, y):
    return Point(x, y)


@njit
def make_point_keywords(x, y):
    return Point(y=y, x=x)


@njit
def norm(p):
    return (p.x * p.x + p.y * p.y) ** 0.5


@njit
def fields_and_indexes(p):
    return p.x, p[1], p[-1], len(p)


@njit
def unpack_and_iterate(p):
    a, b = p
    total = 0.0
    for value in p:
        total += value
    return a - b, total


@njit
def solve(n, options=Options()):
    return n * options.tol + options.max_iter


@njit
def with_global_instance(n):
    return n * DEFAULT_OPTIONS.tol + DEFAULT_OPTIONS.max_iter


@njit
def build_with_defaults(tol):
    return Options(tol), Options(tol, label="slow"), Options(max_iter=3)


@njit
def typed_namedtuple(scale):
    t = Typed(scale)
    return t, t.count * t.scale


@njit
def result_of_loop(a):
    calls = 0
    root = 0.0
    for v in a:
        calls += 1
        root += v
    return Result(root, calls, calls == a.size)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_built_in_compiled_code_returns_the_class(dtype):
    x, y = dtype(1), dtype(0)
    for f in (make_point, make_point_keywords):
        same_instance(f(x, y), f.py_func(x, y))


@pytest.mark.parametrize("values", [(3.0, 4.0), (3, 4), (np.float32(3), np.float32(4)), (3, 4.5)])
def test_passed_from_python(values):
    p = Point(*values)
    assert norm(p) == pytest.approx(norm.py_func(p), rel=1e-6)
    check(fields_and_indexes, p)
    if type(values[0]) is type(values[1]):  # iterating a tuple of mixed types needs literal_unroll, as in Numba
        check(unpack_and_iterate, p)


def test_fast_path_after_the_first_call():
    p = Point(1.5, 2.5)
    norm(p)
    assert len(norm.overloads) >= 1
    before = len(norm.overloads)
    for _ in range(3):
        assert norm(Point(2.0, 3.0)) == pytest.approx(13 ** 0.5)
    assert len(norm.overloads) == before
    # A plain tuple of the same values is another type: Python would fail on .x, and so does numjit.
    with pytest.raises(TypingError, match="unknown attribute 'x'|has no attribute|cannot"):
        norm((1.0, 2.0))


def test_arrays_in_fields():
    @njit
    def weighted(pair):
        return (pair.values * pair.weight).sum(), Pair(pair.values[::-1], pair.weight + 1)

    for dtype in (np.float64, np.float32, np.int64):
        for layout in ("C", "F", "strided", "readonly"):
            values = make_array((3, 4), dtype, layout)
            got = weighted(Pair(values, 2.0))
            expected = weighted.py_func(Pair(values.copy(), 2.0))
            assert_same(got[0], expected[0], rtol=1e-5)
            same_instance(got[1], expected[1])


def test_namedtuple_default_argument_and_global_instance():
    check(solve, 2.0)
    check(solve, 2.0, Options(0.25, 10, "x"))
    check(with_global_instance, 3.0)


def test_class_defaults_keywords_and_typing_namedtuple():
    got, expected = build_with_defaults(0.1), build_with_defaults.py_func(0.1)
    for g, e in zip(got, expected):
        same_instance(g, e)
    got, expected = typed_namedtuple(1.5), typed_namedtuple.py_func(1.5)
    same_instance(got[0], expected[0])
    assert got[1] == expected[1]


@pytest.mark.parametrize("n", [0, 1, 5])
def test_result_records(n):
    a = np.arange(n, dtype=np.float64)
    same_instance(result_of_loop(a), result_of_loop.py_func(a))


def test_nested_namedtuples():
    @njit
    def segment(a, b):
        return Point(Point(a, b), Point(b, a))

    got, expected = segment(1.0, 2.0), segment.py_func(1.0, 2.0)
    same_instance(got, expected)
    same_instance(got.x, expected.x)


def test_classes_of_one_name_stay_apart():
    def make_class(fields):
        return namedtuple("Record", fields)

    first, second = make_class("a b"), make_class("b a")

    @njit
    def build_first(u, v):
        return first(u, v)

    @njit
    def build_second(u, v):
        return second(u, v)

    assert type(build_first(1, 2)) is first and build_first(1, 2).a == 1
    assert type(build_second(1, 2)) is second and build_second(1, 2).a == 2

    @njit
    def read_a(r):
        return r.a

    assert read_a(first(1, 2)) == 1 and read_a(second(1, 2)) == 2


def test_types_api():
    t = numjit.typeof(Point(1.0, 2.0))
    assert isinstance(t, numjit.types.NamedUniTuple) and isinstance(t, numjit.types.BaseNamedTuple)
    assert t.instance_class is Point and t.fields == ("x", "y") and t.count == 2
    mixed = numjit.typeof(Point(1, 2.0))
    assert isinstance(mixed, numjit.types.NamedTuple) and not isinstance(mixed, numjit.types.NamedUniTuple)
    assert numjit.types.NamedUniTuple(numjit.types.float64, 2, Point) == t
    assert numjit.types.from_canonical(str(mixed)) == mixed


@njit
def missing_value():
    return Point(1.0)


@njit
def too_many_values():
    return Point(1.0, 2.0, 3.0)


@njit
def unknown_keyword():
    return Point(1.0, z=2.0)


@njit
def unknown_field():
    return Point(1.0, 2.0).z


@pytest.mark.parametrize("f, message", [
    (missing_value, "missing a value for 'y'"),
    (too_many_values, "takes 2 values, but 3 were given"),
    (unknown_keyword, "has no field 'z'"),
    (unknown_field, "has no field 'z'"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_errors_point_at_the_source(f, message):
    with pytest.raises(TypingError, match=message) as info:
        f()
    assert "test_namedtuples.py:" in str(info.value) and "^" in str(info.value)
    with pytest.raises((TypeError, AttributeError)):  # Python refuses each of them too
        f.py_func()


# --- containers of tuples holding arrays and strings --------------------------

@njit
def list_of_array_tuples(n):
    out = []
    for i in range(n):
        out.append((np.arange(i), np.ones(2) * i))
    return out


@njit
def list_of_namedtuples(n):
    out = []
    for i in range(n):
        out.append(Pair(np.arange(i) * 1.0, i * 0.5))
    total = 0.0
    for p in out:
        total += p.values.sum() + p.weight
    return out, total


@njit
def dict_of_tuples_with_strings(n):
    d = {}
    for i in range(n):
        d[i] = (np.arange(i), "label")
    return d


@njit
def read_namedtuple_list(items):
    total = 0.0
    for item in items:
        total += item.x * item.y
    return total


@pytest.mark.parametrize("n", [0, 1, 4])
def test_lists_and_dicts_of_tuples_with_arrays(n):
    got, expected = list_of_array_tuples(n), list_of_array_tuples.py_func(n)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        same_instance(g, e)
    (items, total), (items_expected, total_expected) = list_of_namedtuples(n), list_of_namedtuples.py_func(n)
    assert total == total_expected
    for g, e in zip(items, items_expected):
        same_instance(g, e)
    got, expected = dict_of_tuples_with_strings(n), dict_of_tuples_with_strings.py_func(n)
    assert list(got) == list(expected)
    for key in expected:
        same_instance(got[key], expected[key])


def test_list_of_namedtuples_from_python():
    items = [Point(1.0, 2.0), Point(3.0, 4.0)]
    assert read_namedtuple_list(items) == read_namedtuple_list.py_func(items)


def test_results_box_in_a_process_that_reads_the_cache(tmp_path):
    """A second process loads the code from the cache before it has met the class."""
    (tmp_path / "records.py").write_text(textwrap.dedent("""
        from collections import namedtuple
        import numjit

        Summary = namedtuple("Summary", "total count")

        @numjit.njit(cache=True)
        def summarize(a):
            return Summary(a.sum(), a.size)
    """))
    script = ("import numpy as np, numjit.cache, records; r = records.summarize(np.arange(4.0)); "
              "print(type(r).__name__, r.total, r.count, numjit.cache.stats()['hits'])")
    env = {"PYTHONPATH": str(tmp_path), "NUMJIT_CACHE_DIR": str(tmp_path / "cache")}
    outputs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env=dict(os.environ, **env), cwd=str(tmp_path), timeout=300) for _ in range(2)]
    for done, hits in zip(outputs, ["0", "1"]):  # the second process loads the code the first stored
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.split() == ["Summary", "6.0", "4", hits]


# --- `if x is None: x = ...`: the name takes the value's type, not an optional -

@njit
def fill(n, out=None, scale=None):
    if out is None:
        out = np.empty(n)
    if scale is None:
        k = 2
        scale = 1.5 * k
    for i in range(n):
        out[i] = i * scale
    return out, out.shape[0]


@njit
def default_read_before_assignment(a, limit=None):
    if limit is None:
        half = a.size // 2
        limit = half
        limit += 1
    return a[:limit].sum(), limit


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_none_defaults_filled_in(dtype):
    check(fill, 3)
    check(fill, 4, np.zeros(4, dtype=dtype))
    check(fill, 2, None, 1.0)
    check(fill, 2, np.zeros(2, dtype=dtype), 2)
    a = np.arange(7, dtype=dtype)
    check(default_read_before_assignment, a)
    check(default_read_before_assignment, a, 3)
