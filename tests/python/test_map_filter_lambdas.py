"""map() and filter(), and lambdas written inside expressions (Numba compiles
both; numjit refused both). A lambda in an expression is bound to a hidden
name just before its statement (_closures.name_inline_lambdas), so it reads
the variables it captures when it is called, as Python's closures do. map
and filter give lists. Compared with .py_func over lists, ranges and arrays
of several dtypes, layouts and sizes."""
import numpy as np
import pytest

from conftest import dtype_id, laid_out
from numjit import njit
from numjit.errors import NumjitError

DTYPES = [np.int64, np.int32, np.float64, np.float32]
LAYOUTS = ["C", "strided", "reversed"]
SIZES = [0, 1, 5, 100]


@njit
def triple(v):
    return v * 3


@njit
def mapped(a, k):
    doubled = list(map(lambda v: v * 2, a))
    scaled = list(map(lambda v: v * k, a))  # k is read when the lambda runs
    total = sum(map(triple, a))
    pairs = list(map(lambda x, y: x - y, a, doubled))
    three = list(map(lambda x, y, z: x + y + z, a, a, a))
    return doubled, scaled, total, pairs, three


@njit
def filtered(a, limit):
    kept = list(filter(lambda v: v > limit, a))
    truthy = list(filter(None, a))
    evens = len(list(filter(lambda v: v % 2 == 0, a)))
    return kept, truthy, evens


@njit
def lambdas_in_statements(a, k):
    total = 0.0
    for v in map(lambda x: x + k, a):  # in a loop header
        if (lambda y: y > k)(v):  # called where it is written, in a test
            total += v
    k = k + 1  # the lambdas above read k when called, before this
    return total, (lambda z: z * k)(2), sorted(map(lambda x: -x, a))


@njit
def nested_lambdas(a):
    outer = lambda v: (lambda w: w + 1)(v) * 2
    return list(map(outer, a))


@njit
def nested_capturing_lambdas(a):
    # The inner lambda reads the outer one's parameter: it must stay inside it.
    f = lambda v: (lambda w: w + v)(1)
    return [f(x) for x in a], list(map(f, a))


@njit
def lambda_in_comprehension(a):
    return [(lambda v: v + 1)(x) for x in a]


def arrays(size, dtype, layout, seed=0):
    values = np.random.default_rng(seed).integers(-9, 10, size).astype(dtype)
    return laid_out(values, layout)


def as_lists(result):
    return [list(r) if isinstance(r, list) else r for r in result]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", SIZES)
def test_map_and_filter_over_arrays(dtype, layout, size):
    a = arrays(size, dtype, layout, seed=size)
    assert as_lists(mapped(a, 3)) == as_lists(mapped.py_func(a, 3))
    assert as_lists(filtered(a, 2)) == as_lists(filtered.py_func(a, 2))


@pytest.mark.parametrize("items", [[3], [1, -2, 0, 7], [0.5, 0.0, -1.5]])
def test_map_and_filter_over_lists(items):
    assert as_lists(mapped(items, 2)) == as_lists(mapped.py_func(items, 2))
    assert as_lists(filtered(items, 0)) == as_lists(filtered.py_func(items, 0))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("size", SIZES)
def test_lambdas_in_statements(dtype, size):
    a = arrays(size, dtype, "C", seed=7)
    assert as_lists(lambdas_in_statements(a, 1)) == as_lists(lambdas_in_statements.py_func(a, 1))
    assert nested_lambdas(a) == nested_lambdas.py_func(a)
    assert as_lists(nested_capturing_lambdas(a)) == as_lists(nested_capturing_lambdas.py_func(a))


def test_a_lambda_inside_a_comprehension_is_a_located_error():
    with pytest.raises(NumjitError, match="lambda") as info:
        lambda_in_comprehension(np.arange(3))
    assert "test_map_filter_lambdas.py" in str(info.value) and "^" in str(info.value)
