"""`a[idx] op= v` with an index that repeats: NumPy computes `a[idx] op v`
from the old values first and then stores, so a repeated position gets its
old value op its last operand, once (np.add.at is the accumulating form).
numjit added twice at a repeated index. Compared with .py_func for integer
index arrays of several shapes, signed and negative indices, point indices
(a[rows, cols]), value arrays and scalars, and several dtypes."""
import numpy as np
import pytest

from conftest import dtype_id
from numjit import njit

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.uint8, np.complex128]
OPS = ["+=", "-=", "*=", "//=", "|="]


@njit
def add(a, idx, v):
    a[idx] += v
    return a


@njit
def sub(a, idx, v):
    a[idx] -= v
    return a


@njit
def mul(a, idx, v):
    a[idx] *= v
    return a


@njit
def floordiv(a, idx, v):
    a[idx] //= v
    return a


@njit
def bit_or(a, idx, v):
    a[idx] |= v
    return a


@njit
def add_points(a, rows, cols, v):
    a[rows, cols] += v
    return a


@njit
def mul_points(a, rows, cols, v):
    a[rows, cols] *= v
    return a


KERNELS = {"+=": add, "-=": sub, "*=": mul, "//=": floordiv, "|=": bit_or}


def indices(kind, n, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "repeats":
        return rng.integers(0, max(n // 3, 1), 2 * n)
    if kind == "all-same":
        return np.zeros(5, np.int64)
    if kind == "negative":
        return rng.integers(-n, n, 2 * n)
    if kind == "2-d":
        return rng.integers(0, n, (3, 4))
    if kind == "int32":
        return rng.integers(0, 3, 9).astype(np.int32)
    raise ValueError(kind)


def values(dtype, shape, seed=1):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    if np.dtype(dtype).kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.integers(1, 9, shape).astype(dtype)


def defined(op, dtype):
    """NumPy has no `|` of floats, nor `//` of complex numbers."""
    kind = np.dtype(dtype).kind
    return not (op == "|=" and kind in "fc") and not (op == "//=" and kind == "c")


OPS_AND_DTYPES = [(op, dtype) for op in OPS for dtype in DTYPES if defined(op, dtype)]


@pytest.mark.parametrize("op,dtype", OPS_AND_DTYPES, ids=[f"{o}-{np.dtype(d).name}" for o, d in OPS_AND_DTYPES])
@pytest.mark.parametrize("kind", ["repeats", "all-same", "negative", "2-d", "int32"])
@pytest.mark.parametrize("scalar", [True, False], ids=["scalar", "array"])
def test_repeated_positions_take_one_update(op, dtype, kind, scalar):
    n = 10
    idx = indices(kind, n)
    a = values(dtype, n, seed=2)
    v = values(dtype, 1)[0] if scalar else values(dtype, idx.shape)
    f = KERNELS[op]
    expected = f.py_func(a.copy(), idx, v)
    got = f(a.copy(), idx, v)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("scalar", [True, False], ids=["scalar", "array"])
def test_points_that_repeat(dtype, scalar):
    rng = np.random.default_rng(5)
    rows, cols = rng.integers(0, 3, 12), rng.integers(-3, 3, 12)
    a = values(dtype, (3, 3), seed=3)
    v = values(dtype, 1)[0] if scalar else values(dtype, 12)
    for f in (add_points, mul_points):
        np.testing.assert_array_equal(f(a.copy(), rows, cols, v), f.py_func(a.copy(), rows, cols, v))


def test_the_accumulating_form_is_np_add_at():
    a, idx = np.zeros(4), np.array([1, 1, 1, 3])
    np.testing.assert_array_equal(add(a.copy(), idx, 1.0), [0.0, 1.0, 0.0, 1.0])
    expected = a.copy()
    np.add.at(expected, idx, 1.0)
    assert expected[1] == 3.0  # what the old numjit gave, and what a[idx] += 1 is not


def test_an_empty_index_changes_nothing():
    a = np.arange(5.0)
    np.testing.assert_array_equal(add(a.copy(), np.zeros(0, np.int64), 1.0), a)


def test_a_bad_index_raises_before_anything_is_stored():
    a = np.arange(5.0)
    with pytest.raises(IndexError):
        add(a, np.array([0, 1, 9]), 1.0)
    np.testing.assert_array_equal(a, np.arange(5.0))  # as NumPy: the first pass raised


@njit
def store(a, idx, v):
    a[idx] = v
    return a


@pytest.mark.parametrize("value_shape", [(3, 4), (4,), (1, 4), (3, 1), ()])
@pytest.mark.parametrize("kernel", [store, add, mul])
def test_values_broadcast_against_an_index_array_of_two_axes(value_shape, kernel):
    idx = np.random.default_rng(7).integers(-6, 6, (3, 4))
    v = values(np.float64, value_shape) if value_shape else 2.5
    a = np.arange(6.0)
    np.testing.assert_array_equal(kernel(a.copy(), idx, v), kernel.py_func(a.copy(), idx, v))


@pytest.mark.parametrize("value_shape", [(12,), (2, 4), (3, 3)])
def test_a_value_that_does_not_broadcast_raises_value_error(value_shape):
    idx = np.zeros((3, 4), np.int64)
    with pytest.raises(ValueError):
        add.py_func(np.arange(6.0), idx, values(np.float64, value_shape))
    with pytest.raises(ValueError, match="broadcast"):
        add(np.arange(6.0), idx, values(np.float64, value_shape))


# ---- from a review: every selection is found before anything is stored ----

@njit
def add_to_itself(a, v):
    a[a] += v
    return a


@njit
def mask_add(a, m, v):
    a[m] += v
    return a


@njit
def mask_store(a, m, v):
    a[m] = v
    return a


@njit
def add_own_view(a, m):
    a[m] += a[:3]
    return a


@njit
def store_own_view(a):
    a[np.array([1, 2, 3])] = a[:3]
    return a


@njit
def points_store(a, rows, cols, v):
    a[rows, cols] = v
    return a


@njit
def add_300(a, idx):
    a[idx] += 300
    return a


def outcome(f, *args):
    """The result, or the exception's class, with the arrays as they were left."""
    copies = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    try:
        result = ("ok", f(*copies).tolist())
    except (ValueError, IndexError, OverflowError) as e:
        result = (type(e).__name__,)
    return result, [x.tolist() for x in copies if isinstance(x, np.ndarray)]


@pytest.mark.parametrize("a,v", [([1, 0], 10), ([1, 0, 2, 2], 1), ([3, 3, 0, 1], 2)])
def test_an_index_that_is_the_target_itself(a, v):
    a = np.array(a)
    assert outcome(add_to_itself, a, v) == outcome(add_to_itself.py_func, a, v)


MASK = np.array([True, True, True, False, False])


@pytest.mark.parametrize("kernel", [mask_add, mask_store])
@pytest.mark.parametrize("v", [np.array([10.0, 20.0]), np.array([1.0, 2.0, 3.0]), np.array([1.0] * 4),
                               np.array([7.0]), 2.5], ids=["short", "exact", "long", "one", "scalar"])
def test_masks_check_the_value_before_storing(kernel, v):
    a = np.arange(5.0)
    assert outcome(kernel, a, MASK, v) == outcome(kernel.py_func, a, MASK, v)


@pytest.mark.parametrize("kernel", [add, store])
@pytest.mark.parametrize("idx", [[0, 1], [0, 9], [4, -6], []], ids=["ok", "too-big", "too-small", "empty"])
@pytest.mark.parametrize("length", [1, 2, 3])
def test_bad_lengths_and_indices_store_nothing(kernel, idx, length):
    a, idx, v = np.arange(5.0), np.array(idx, dtype=np.int64), np.arange(1.0, length + 1.0)
    assert outcome(kernel, a, idx, v) == outcome(kernel.py_func, a, idx, v)


def test_values_that_are_views_of_the_target_are_read_first():
    a = np.arange(5.0)
    m = np.array([False, True, True, True, False])
    assert outcome(add_own_view, a, m) == outcome(add_own_view.py_func, a, m)
    assert outcome(store_own_view, a) == outcome(store_own_view.py_func, a)


def test_points_with_a_value_array():
    a = np.zeros((3, 3))
    rows, cols = np.array([0, 0, 2]), np.array([1, 1, 0])
    v = np.array([1.0, 2.0, 3.0])
    assert outcome(points_store, a, rows, cols, v) == outcome(points_store.py_func, a, rows, cols, v)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int64], ids=dtype_id)
def test_an_int_that_does_not_fit_raises_overflow_error(dtype):
    a, idx = np.arange(3, dtype=dtype), np.array([0, 2])
    assert outcome(add_300, a, idx) == outcome(add_300.py_func, a, idx)
