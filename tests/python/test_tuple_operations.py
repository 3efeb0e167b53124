"""Tuples of numbers: slicing with constant bounds (`a.shape[:2]`, `t[::-1]`),
concatenation, Python's comparisons (lexicographic, then by length), and
storing a tuple into an array row (`out[i] = (x, y)`). Each compiled result is
compared with `.py_func`."""
import itertools

import numpy as np
import pytest

from numjit import errors, njit
from conftest import make_array


@njit
def shape_parts(a):
    return a.shape[:2], a.shape[1:], a.shape[::-1], a.shape[-1:], a.shape[5:], a.shape[::2]


@pytest.mark.parametrize("shape", [(0,), (3,), (2, 5), (4, 1, 3), (2, 3, 4, 5)])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_shape_slices(shape, layout):
    a = make_array(shape, np.float64, layout)
    assert shape_parts(a) == shape_parts.py_func(a)


@njit
def mixed_slices(x, k):
    t = (k, x, k * 2, x / 2, True)
    return t[1:], t[:-1], t[::-1], t[-2:], t[1:4:2], t[4:0:-2], t[10:], t[-10:2], t[:]


@pytest.mark.parametrize("x, k", [(1.5, 3), (-0.0, 0), (np.float32(2.5), np.int32(-7))])
def test_slices_of_mixed_tuples(x, k):
    assert mixed_slices(x, k) == mixed_slices.py_func(x, k)


@njit
def concatenations(a, b):
    t = (a, b)
    u = t + (1.5,) + ()
    return u, (a,) + (b, a) + t[1:], () + ()


@pytest.mark.parametrize("a, b", [(1, 2.5), (True, -3), (1j, 2)])
def test_concatenation(a, b):
    assert concatenations(a, b) == concatenations.py_func(a, b)


@njit
def comparisons(t, u):
    return t == u, t != u, t < u, t <= u, t > u, t >= u


PAIRS = [((1, 2), (1, 2)), ((1, 2), (1, 3)), ((2, 0), (1, 9)), ((1, 2), (1, 2, 0)), ((1, 2, 0), (1, 2)),
         ((1.5, 2), (1.5, 2.0)), ((0.0, 1), (-0.0, 1)), ((float("nan"), 1), (float("nan"), 1)), ((1,), (2.5,)),
         ((), ()), ((), (1,)), ((3, (1, 2)), (3, (1, 3)))]


@pytest.mark.parametrize("t, u", PAIRS, ids=repr)
def test_comparisons_follow_python(t, u):
    assert comparisons(t, u) == comparisons.py_func(t, u)


@njit
def shape_is(a):
    return a.shape == (2, 3), a.shape[:1] < (3,), a.shape != (2, 3, 1)


@pytest.mark.parametrize("shape", [(2, 3), (3, 2), (1, 1)])
def test_shape_comparisons(shape):
    a = np.zeros(shape)
    assert shape_is(a) == shape_is.py_func(a)


@njit
def rows_from_tuples(n, m):
    out = np.zeros((n, 2))
    for i in range(n):
        out[i] = (i, 2 * i + 0.5)
    wide = np.zeros((n, m), np.int32)
    for i in range(n):
        wide[i] = (i,)  # one item broadcasts over the row
    return out, wide


@pytest.mark.parametrize("n, m", [(0, 3), (1, 1), (4, 5)])
def test_storing_tuples_into_rows(n, m):
    got, expected = rows_from_tuples(n, m), rows_from_tuples.py_func(n, m)
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


@njit
def store_row(out, t):
    out[1] = t
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.complex128])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_storing_into_rows_of_any_layout(dtype, layout):
    out = make_array((3, 3), dtype, layout)
    expected = store_row.py_func(out.copy(), (1, 2.0, True))
    np.testing.assert_array_equal(store_row(out, (1, 2.0, True)), expected)


def test_a_tuple_of_another_length_raises_as_numpy():
    with pytest.raises(ValueError):
        store_row.py_func(np.zeros((3, 3)), (1.0, 2.0))
    with pytest.raises(ValueError, match="lengths differ"):
        store_row(np.zeros((3, 3)), (1.0, 2.0))


def test_tuples_the_operations_do_not_take_are_located_errors():
    @njit
    def slice_with_variable(t, k):
        return t[k:]

    @njit
    def add_arrays(a):
        return (a,) + (a,)

    @njit
    def complex_order(t):
        return t < (1j, 2)

    with pytest.raises(errors.UnsupportedError, match="constant bounds"):
        slice_with_variable((1, 2, 3), 1)
    with pytest.raises(errors.UnsupportedError, match="tuples of numbers"):
        add_arrays(np.zeros(2))
    with pytest.raises(errors.TypingError, match="cannot compare"):
        complex_order((1j, 2))


@pytest.mark.parametrize("start, stop, step", list(itertools.product([None, -7, -2, 0, 1, 3, 9], [None, -5, -1, 0, 2, 8],
                                                                     [None, 1, 2, -1, -3])))
def test_every_constant_slice_of_a_five_tuple(start, stop, step):
    source = f"def f(t):\n    return t[{start}:{stop}:{step}]\n".replace("None", "")
    namespace = {}
    import linecache
    filename = f"<tuple slice {start} {stop} {step}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    t = (10, 2.5, 30, 4.5, 50)
    assert njit(namespace["f"])(t) == namespace["f"](t)
