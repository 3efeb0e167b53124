"""NumPy calls Numba programs use that compiled code refused: np.bincount
with weights, np.histogram with an array of edges or with weights,
np.diff of N-D and bool arrays, np.kron of 1-D arrays, and np.transpose /
a.transpose with axes (a view). Compared with NumPy (.py_func) over dtypes,
layouts and sizes, errors included."""
import itertools

import numpy as np
import pytest

from conftest import dtype_id
from numjit import njit


@njit
def weighted_counts(x, w, minlength):
    return np.bincount(x, weights=w, minlength=minlength)


@njit
def counts_without_weights(x):
    return np.bincount(x, None)


@njit
def histogram_of_edges(a, edges):
    return np.histogram(a, bins=edges)


@njit
def weighted_histogram(a, bins, w):
    return np.histogram(a, bins, weights=w)


@njit
def weighted_histogram_in_range(a, w):
    return np.histogram(a, 5, (0.2, 0.7), False, w)


@njit
def difference(a, n, axis):
    return np.diff(a, n, axis)


@njit
def difference_last_axis(a):
    return np.diff(a)


@njit
def kronecker(a, b):
    return np.kron(a, b)


@njit
def transposed(a, axes):
    return np.transpose(a, axes)


@njit
def transposed_by_method(a):
    return a.transpose(2, 0, 1)


@njit
def transposed_by_keyword(a):
    return np.transpose(a, axes=(-1, 0, 1))


@njit
def write_through_transpose(a):
    v = a.transpose((1, 0, 2))
    v[0, 1, 2] = -7
    return a


def same(compiled, expected):
    if isinstance(expected, tuple):
        assert len(compiled) == len(expected)
        for c, e in zip(compiled, expected):
            same(c, e)
        return
    assert compiled.shape == expected.shape
    assert compiled.dtype == expected.dtype
    np.testing.assert_allclose(compiled, expected, rtol=1e-12)


def same_or_same_error(f, *args):
    try:
        expected = f.py_func(*args)
    except Exception as exc:  # noqa: BLE001 - the compiled call must raise the same
        with pytest.raises(type(exc)):
            f(*args)
        return
    same(f(*args), expected)


@pytest.mark.parametrize("n", [0, 1, 10, 1000])
@pytest.mark.parametrize("weight_dtype", [np.float64, np.float32, np.int64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("minlength", [0, 3, 50])
def test_bincount_with_weights(n, weight_dtype, minlength):
    rng = np.random.default_rng(n)
    x = rng.integers(0, 20, n)
    w = (rng.random(n) * 10).astype(weight_dtype)
    # (NumPy returns integer zeros for an empty x even with weights; compiled
    # code keeps one type, the weights' float64 sums)
    expected = weighted_counts.py_func(x, w, minlength).astype(np.float64)
    same(weighted_counts(x, w, minlength), expected)
    same(weighted_counts(x[::-1], w[::-1], minlength), expected)
    same(counts_without_weights(x), counts_without_weights.py_func(x))


@pytest.mark.parametrize("case", ["negative", "lengths_differ", "negative_minlength"])
def test_bincount_errors(case):
    x, w, minlength = np.array([0, 3, 1]), np.ones(3), 0
    if case == "negative":
        x = np.array([0, -1, 1])
    elif case == "lengths_differ":
        w = np.ones(2)
    else:
        minlength = -1
    same_or_same_error(weighted_counts, x, w, minlength)


EDGES = {
    "uneven": np.array([0.0, 0.1, 0.25, 0.5, 0.9, 1.0]),
    "inside": np.array([0.3, 0.4, 0.6]),
    "integers": np.arange(3),
    "repeated": np.array([0.0, 0.5, 0.5, 1.0]),
    "float32": np.array([0.0, 0.5, 1.0], np.float32),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 200])
@pytest.mark.parametrize("edges", list(EDGES))
def test_histogram_with_edges(dtype, n, edges):
    rng = np.random.default_rng(n)
    a = (rng.random(n) * (3 if dtype == np.int64 else 1)).astype(dtype)
    if n > 1:
        a[0] = EDGES[edges][-1]  # the last edge counts in the last bin
    same(histogram_of_edges(a, EDGES[edges]), histogram_of_edges.py_func(a, EDGES[edges]))


def test_histogram_edges_skip_nan_and_values_outside():
    a = np.array([np.nan, -1.0, 0.0, 0.5, 1.0, 2.0, np.inf])
    same(histogram_of_edges(a, EDGES["uneven"]), histogram_of_edges.py_func(a, EDGES["uneven"]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=dtype_id)
@pytest.mark.parametrize("weight_dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("bins", [1, 7, "edges"])
@pytest.mark.parametrize("n", [1, 300])
def test_histogram_with_weights(dtype, weight_dtype, bins, n):
    rng = np.random.default_rng(7)
    a = (rng.random(n) * 20).astype(dtype)
    w = (rng.random(n) * 5).astype(weight_dtype)
    b = np.linspace(0.0, 20.0, 6) if bins == "edges" else bins
    same(weighted_histogram(a, b, w), weighted_histogram.py_func(a, b, w))
    same(weighted_histogram_in_range(a.astype(np.float64) / 20, w),
         weighted_histogram_in_range.py_func(a.astype(np.float64) / 20, w))


@pytest.mark.parametrize("case", ["decreasing_edges", "weights_of_wrong_length", "no_bins"])
def test_histogram_errors(case):
    a = np.linspace(0.0, 1.0, 10)
    if case == "decreasing_edges":
        same_or_same_error(histogram_of_edges, a, np.array([0.0, 0.7, 0.5]))
    elif case == "weights_of_wrong_length":
        same_or_same_error(weighted_histogram, a, 3, np.ones(4))
    else:
        same_or_same_error(weighted_histogram, a, 0, np.ones(10))


def arrays_for_differences():
    rng = np.random.default_rng(3)
    yield "2d_float", rng.random((4, 6))
    yield "2d_int32", rng.integers(-9, 9, (5, 3)).astype(np.int32)
    yield "2d_fortran", np.asfortranarray(rng.random((3, 5)))
    yield "3d", rng.random((2, 3, 6))
    yield "3d_strided", rng.random((3, 4, 8))[:, ::-1, ::2]
    yield "3d_fortran_int", np.asfortranarray(rng.integers(-9, 9, (3, 2, 4)).astype(np.int16))
    yield "4d_bool", rng.random((2, 3, 1, 4)) > 0.5
    yield "3d_empty_middle", np.zeros((2, 0, 3), np.uint8)
    yield "bool_1d", rng.random(9) > 0.5
    yield "bool_2d", rng.random((3, 7)) > 0.5
    yield "complex_2d", rng.random((3, 4)) + 1j * rng.random((3, 4))
    yield "empty_rows", np.zeros((0, 4))


@pytest.mark.parametrize("name,a", list(arrays_for_differences()), ids=[n for n, _ in arrays_for_differences()])
@pytest.mark.parametrize("n", [0, 1, 2, 7])
def test_diff_along_each_axis(name, a, n):
    for axis in range(-a.ndim, a.ndim):
        same(difference(a, n, axis), np.diff(a, n, axis))
    same(difference_last_axis(a), np.diff(a))


@pytest.mark.parametrize("case", ["negative_order", "axis_out_of_range"])
def test_diff_errors(case):
    a = np.ones((3, 4))
    args = (a, -1, 0) if case == "negative_order" else (a, 1, 2)
    same_or_same_error(difference, *args)


KRON_OPERANDS = [
    (np.arange(3.0), np.arange(4.0)),
    (np.arange(3), np.random.default_rng(1).random((2, 2))),
    (np.random.default_rng(2).random((2, 3)), np.arange(2)),
    (np.random.default_rng(3).random((2, 3)), np.random.default_rng(4).random((3, 1))),
    (np.arange(0.0), np.arange(3.0)),
    (np.arange(6.0)[::2], np.arange(3, dtype=np.int32)),
    (np.arange(4, dtype=np.int32).reshape(2, 2).T, np.array([1j, 2.0])),
]


@pytest.mark.parametrize("pair", range(len(KRON_OPERANDS)))
def test_kron_of_vectors_and_matrices(pair):
    a, b = KRON_OPERANDS[pair]
    same(kronecker(a, b), np.kron(a, b))


def layouts_3d():
    t = np.arange(60.0).reshape(3, 4, 5)
    return {"C": t, "F": np.asfortranarray(t), "strided": t[:, ::2, ::-1], "int32": t.astype(np.int32)}


@pytest.mark.parametrize("layout", ["C", "F", "strided", "int32"])
def test_transpose_with_every_permutation(layout):
    t = layouts_3d()[layout]
    for axes in itertools.permutations(range(3)):
        same(transposed(t, axes), np.transpose(t, axes))
    for axes in [(-1, 0, 1), (0, -2, -1)]:
        same(transposed(t, axes), np.transpose(t, axes))
    same(transposed_by_method(t), t.transpose(2, 0, 1))
    same(transposed_by_keyword(t), np.transpose(t, axes=(-1, 0, 1)))
    same(transposed(t[0], (1, 0)), t[0].T)


def test_transpose_is_a_view():
    t = np.arange(24.0).reshape(2, 3, 4)
    same(write_through_transpose(t.copy()), write_through_transpose.py_func(t.copy()))


@pytest.mark.parametrize("axes", [(0, 0, 1), (0, 1, 3), (0, 1, -4)])
def test_transpose_errors(axes):
    same_or_same_error(transposed, np.zeros((2, 3, 4)), axes)
