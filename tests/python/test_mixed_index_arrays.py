"""One index array among slices and integers (`m[:, idx]`, `t[0, :, mask]`,
`m[1:, idx] += v`): Numba's "one advanced index combined with basic ones".
NumPy puts the selection where the index array stood, or first when integer
indices stand apart from it (they are advanced indices too). Reads,
assignments with broadcast values, and augmented assignments (once per
repeated index, as NumPy's `a[i] = a[i] op v`) are compared with .py_func
over dtypes, layouts, index dtypes, masks, repeated, negative and empty
indices, and the errors NumPy raises."""
import numpy as np
import pytest

import numjit.errors
import numjit.typed
from conftest import dtype_id
from numjit import njit

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.complex128]


@njit
def columns(m, idx):
    return m[:, idx]


@njit
def columns_of_rows(m, idx):
    return m[1:, idx]


@njit
def rows_then_slice(m, idx):
    return m[idx, 1:]


@njit
def middle_axis_strided(t, idx):
    return t[1:, idx, ::2]


@njit
def integer_apart(t, idx):
    # 0 and idx are both advanced indices, separated by a slice: the selection comes first
    return t[0, :, idx]


@njit
def integer_beside(t, idx):
    # adjacent advanced indices: the selection stays in their place
    return t[::-1, 1, idx]


@njit
def last_axis_by_ellipsis(t, idx):
    return t[..., idx]


@njit
def set_columns(m, idx, v):
    m[:, idx] = v
    return m


@njit
def set_middle(t, idx, v):
    t[1:, idx, ::2] = v
    return t


@njit
def add_columns(m, idx, v):
    m[:, idx] += v
    return m


@njit
def multiply_apart(t, idx, v):
    t[0, :, idx] *= v
    return t


@njit
def subtract_rows(m, idx, v):
    m[idx, :] -= v
    return m


@njit
def add_rows(m, idx, v):
    m[idx] += v
    return m


@njit
def list_indices(m):
    m[:, [0, 2]] = 5
    return m[1:, [1, 1, -1]]


def layouts(a):
    return {"C": a, "F": np.asfortranarray(a), "reversed": a[::-1], "strided": a[:, ::2] if a.ndim == 2 else a[:, :, ::2]}


def matrix(dtype, shape=(5, 6), seed=0):
    values = np.random.default_rng(seed).integers(-9, 10, size=shape)
    if np.dtype(dtype).kind == "c":
        return (values + 1j * values[::-1]).astype(dtype)
    return values.astype(dtype)


def index_arrays(length):
    return {
        "repeated_and_negative": np.array([0, 2 % length, 2 % length, -1]),
        "one": np.array([1 % length]),
        "empty": np.array([], dtype=np.int64),
        "int32": np.array([length - 1, 0], dtype=np.int32),
        "mask": np.arange(length) % 3 != 1,
    }


def same(compiled, expected):
    assert compiled.shape == expected.shape
    assert compiled.dtype == expected.dtype
    np.testing.assert_array_equal(compiled, expected)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "reversed", "strided"])
@pytest.mark.parametrize("which", ["repeated_and_negative", "one", "empty", "int32", "mask"])
@pytest.mark.parametrize("f", [columns, columns_of_rows, rows_then_slice], ids=lambda f: f.__name__)
def test_reads_of_a_matrix(dtype, layout, which, f):
    m = layouts(matrix(dtype))[layout]
    length = m.shape[0] if f is rows_then_slice else m.shape[1]
    idx = index_arrays(length)[which]
    same(f(m, idx), f.py_func(m, idx))


@pytest.mark.parametrize("dtype", [np.float64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "reversed", "strided"])
@pytest.mark.parametrize("which", ["repeated_and_negative", "one", "empty", "mask"])
@pytest.mark.parametrize("f", [middle_axis_strided, integer_apart, integer_beside, last_axis_by_ellipsis],
                         ids=lambda f: f.__name__)
def test_reads_of_a_3d_array(dtype, layout, which, f):
    t = layouts(matrix(dtype, (4, 5, 6)))[layout]
    axis = {middle_axis_strided: 1, integer_apart: 2, integer_beside: 2, last_axis_by_ellipsis: 2}[f]
    idx = index_arrays(t.shape[axis])[which]
    same(f(t, idx), f.py_func(t, idx))


def values_for(selection_shape, dtype, seed):
    """A scalar and arrays that broadcast against the selection in every way NumPy allows."""
    rng = np.random.default_rng(seed)
    whole = rng.integers(-5, 6, size=selection_shape).astype(dtype)
    out = {"scalar": dtype(3), "whole": whole, "last_axis": whole[0] if selection_shape[0] else whole.reshape(-1)}
    out["column"] = rng.integers(-5, 6, size=(selection_shape[0],) + (1,) * (len(selection_shape) - 1)).astype(dtype)
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("which", ["repeated_and_negative", "one", "empty", "mask"])
@pytest.mark.parametrize("value", ["scalar", "whole", "last_axis", "column"])
@pytest.mark.parametrize("f", [set_columns, add_columns], ids=lambda f: f.__name__)
def test_assignments_to_columns(dtype, layout, which, value, f):
    m = layouts(matrix(dtype))[layout]
    idx = index_arrays(m.shape[1])[which]
    v = values_for(m[:, idx].shape, dtype, 1)[value]
    same(f(m.copy(), idx, v), f.py_func(m.copy(), idx, v))


@pytest.mark.parametrize("dtype", [np.float64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("which", ["repeated_and_negative", "one", "mask"])
@pytest.mark.parametrize("value", ["scalar", "whole", "last_axis", "column"])
@pytest.mark.parametrize("f", [subtract_rows, add_rows], ids=lambda f: f.__name__)
def test_augmented_assignments_to_rows(dtype, which, value, f):
    m = matrix(dtype)
    idx = index_arrays(m.shape[0])[which]
    v = values_for(m[idx].shape, dtype, 2)[value]
    same(f(m.copy(), idx, v), f.py_func(m.copy(), idx, v))


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("which", ["repeated_and_negative", "one", "mask"])
@pytest.mark.parametrize("value", ["scalar", "whole", "last_axis", "column"])
@pytest.mark.parametrize("f", [set_middle, multiply_apart], ids=lambda f: f.__name__)
def test_assignments_in_3d(dtype, which, value, f):
    t = matrix(dtype, (4, 5, 6))
    axis = 1 if f is set_middle else 2
    idx = index_arrays(t.shape[axis])[which]
    selection = t[1:, idx, ::2] if f is set_middle else t[0, :, idx]
    v = values_for(selection.shape, dtype, 3)[value]
    same(f(t.copy(), idx, v), f.py_func(t.copy(), idx, v))


def test_list_indices_act_as_index_arrays():
    m = matrix(np.float64)
    same(list_indices(m.copy()), list_indices.py_func(m.copy()))


@pytest.mark.parametrize("case", ["index_out_of_bounds", "mask_of_wrong_length", "value_of_wrong_shape"])
def test_errors_are_numpys(case):
    m = matrix(np.float64)
    if case == "index_out_of_bounds":
        f, args = columns, (m, np.array([0, 6]))
        error = IndexError
    elif case == "mask_of_wrong_length":
        f, args = columns, (m, np.array([True, False]))
        error = IndexError
    else:
        f, args = set_columns, (m, np.array([0, 1]), np.ones((5, 3)))
        error = ValueError
    with pytest.raises(error):
        f.py_func(*[a.copy() for a in args])
    with pytest.raises(error):
        f(*[a.copy() for a in args])


@njit
def divide_columns_in_place(m, idx):
    m[:, idx] /= 2
    return m


@njit
def divide_rows_in_place(m, idx):
    m[idx] /= 2
    return m


@njit
def index_with_an_effect(m, items):
    m[:, np.array([items.pop()])] += 1
    return m


@pytest.mark.parametrize("f", [divide_columns_in_place, divide_rows_in_place], ids=lambda f: f.__name__)
def test_op_in_place_keeps_numpys_cast_rule(f):
    # NumPy refuses int64 /= 2 in place (a float result it does not cast
    # back); the float arrays it allows
    idx = np.array([1, 2])
    with pytest.raises(TypeError):
        f.py_func(matrix(np.int64), idx)
    with pytest.raises(numjit.errors.TypingError, match="in place"):
        f(matrix(np.int64), idx)
    same(f(matrix(np.float64), idx), f.py_func(matrix(np.float64), idx))


def test_an_index_with_side_effects_is_refused_for_op_in_place():
    # a[i] op= v reads and writes a[i]: an index evaluated twice would pop twice
    with pytest.raises(numjit.errors.UnsupportedError, match="side effects"):
        index_with_an_effect(matrix(np.float64), numjit.typed.List([0, 1, 3]))


@njit
def rows_from_reversed_rows(m, idx):
    m[idx] = m[1:3][::-1]
    return m


@njit
def columns_from_own_columns(m, idx):
    m[:, idx] = m[:, ::-1][:, : len(idx)]
    return m


@njit
def rows_from_one_own_row(m, idx):
    m[idx] = m[idx[0] + 1]
    return m


@njit
def rows_from_a_transposed_self(m, idx):
    m[idx] = m.T[: len(idx), : m.shape[1]]
    return m


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "reversed", "strided"])
@pytest.mark.parametrize(
    "f", [rows_from_reversed_rows, columns_from_own_columns, rows_from_one_own_row, rows_from_a_transposed_self],
    ids=lambda f: f.__name__,
)
def test_a_value_that_shares_the_targets_memory_is_read_before_any_store(dtype, layout, f):
    # NumPy reads the whole value before storing a row; row-by-row stores
    # without a copy read rows already overwritten
    m = layouts(matrix(dtype, shape=(6, 6)))[layout]
    idx = np.array([1, 2]) if f is not rows_from_one_own_row else np.array([0, 1, 2])
    same(f(m.copy(order="A"), idx.copy()), f.py_func(m.copy(order="A"), idx.copy()))
    view = m.copy()  # a view whose base is shared with a value of another layout
    same(f(view[:, :], idx.copy()), f.py_func(m.copy()[:, :], idx.copy()))
