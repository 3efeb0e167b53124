"""Assigning to slices in compiled code: a scalar, an array of the same shape,
a broadcast array, augmented assignment, writes through views, and
overlapping source and destination (NumPy copies first)."""
import numpy as np
import pytest

from numjit import njit

from conftest import LAYOUTS, SIZES, check, dtype_id, make_array

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_]
LAYOUTS_1D = ["C", "strided"]


def cases_1d():
    return [pytest.param(n, layout, id=f"{n}-{layout}") for n in SIZES for layout in LAYOUTS_1D]


# ---- a scalar ---------------------------------------------------------------------------

@njit
def head_to_zero(a):
    a[1:5] = 0


@njit
def all_to(a, x):
    a[:] = x


@njit
def all_to_one_and_half(a):
    a[:] = 1.5


@njit
def column_to_two(a, j):
    a[:, j] = 2


@njit
def row_part_to(a, i, x):
    a[i, 2:8] = x


@njit
def stepped_to(a, x):
    a[::3] = x
    a[-2:] = x


@njit
def block_to(a, x):
    a[1:3, ::2] = x


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n, layout", cases_1d())
def test_scalar_into_1d_slices(dtype, n, layout):
    a = make_array((n,), dtype, layout)
    check(head_to_zero, a)
    check(all_to_one_and_half, a)  # converted to the array's dtype (1 for integers)
    check(stepped_to, a, a.dtype.type(3))
    for x in (7, -2.75, True):  # -2.75 truncates to -2 in integer arrays
        check(all_to, a, x)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(4, 10), (1, 9), (40, 25)])
def test_scalar_into_2d_slices(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for j in (0, 3, -1):
        check(column_to_two, a, j)
    for i in (0, -1):
        check(row_part_to, a, i, 5)
        check(row_part_to, a, i, 0.5)
    check(block_to, a, a.dtype.type(1))
    check(all_to, a, 4)


# ---- an array -----------------------------------------------------------------------------

@njit
def copy_into_slice(a, b):
    a[1:4] = b


@njit
def copy_into_all(a, b):
    a[:] = b


@njit
def copy_into_column(a, j, col):
    a[:, j] = col


@njit
def copy_into_row(a, i, row):
    a[i, :] = row


@njit
def copy_into_block(a, block):
    a[1:3, 2:4] = block


@njit
def broadcast_row(a, row):
    a[:, :] = row


@njit
def broadcast_into_block(a, row):
    a[1:, ::2] = row


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n, layout", cases_1d())
def test_array_into_1d_slice(dtype, n, layout):
    a = make_array((n,), dtype, layout)
    b = make_array((n,), dtype, "C", seed=5)
    check(copy_into_all, a, b)
    check(copy_into_all, a, b[::-1])
    if n >= 4:
        check(copy_into_slice, a, make_array((3,), dtype, layout, seed=6))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_array_into_2d_slices(dtype, layout):
    a = make_array((5, 6), dtype, layout)
    check(copy_into_all, a, make_array((5, 6), dtype, "F", seed=3))
    check(copy_into_column, a, 1, make_array((5,), dtype, seed=4))
    check(copy_into_column, a, -1, make_array((10,), dtype, seed=4)[::2])
    check(copy_into_row, a, 2, make_array((6,), dtype, seed=5))
    check(copy_into_block, a, make_array((2, 2), dtype, layout, seed=6))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(4, 6), (0, 6), (1, 1), (40, 25)])
def test_broadcast_into_slices(layout, shape):
    a = make_array(shape, np.float64, layout)
    m = shape[1]
    check(broadcast_row, a, make_array((m,), np.float64, seed=2))         # row to every row
    check(broadcast_row, a, make_array((shape[0], 1), np.float64, seed=3))  # column to every column
    check(broadcast_row, a, make_array((1, m), np.int32, seed=4))
    check(copy_into_all, a, make_array((m,), np.float64, seed=5))
    check(broadcast_into_block, a, make_array(((m + 1) // 2,), np.float64, seed=6))
    check(broadcast_into_block, a, make_array((1,), np.float64, seed=7))


@pytest.mark.parametrize("src, dst", [(np.float64, np.int32), (np.int64, np.float32), (np.float32, np.complex128),
                                      (np.int32, np.bool_), (np.bool_, np.float64), (np.float64, np.uint8)])
def test_array_values_converted_to_destination_dtype(src, dst):
    b = make_array((7,), src, seed=1) * np.asarray(1.5 if np.dtype(src).kind == "f" else 1, dtype=src)
    check(copy_into_all, np.zeros(7, dtype=dst), b)
    check(copy_into_slice, np.zeros(7, dtype=dst), b[2:5])


# ---- augmented assignment -------------------------------------------------------------------

@njit
def add_to_window(y):
    y[10:20] += 1.0


@njit
def scale_all(a, b):
    a[:] *= b


@njit
def augmented_2d(a, col, row):
    a[:, 0] -= col
    a[1:, :] += row
    a[::2, 1:] *= 2


@njit
def augmented_whole(a, b):
    a += b
    a -= 1
    a *= b


@njit
def floor_divide_even(a):
    a[::2] //= 2
    a[1::2] %= 3


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("n, layout", [(0, "C"), (1, "C"), (7, "strided"), (25, "C"), (1000, "strided")])
def test_augmented_1d(dtype, n, layout):
    a = make_array((n,), dtype, layout)
    b = make_array((n,), dtype, "C", seed=9)
    if np.dtype(dtype).kind in "fc":
        check(add_to_window, a)
    check(scale_all, a, b)
    check(scale_all, a, a.dtype.type(3))
    check(augmented_whole, a, b)
    if np.dtype(dtype).kind != "c":
        check(floor_divide_even, a)


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_augmented_2d(dtype, layout):
    a = make_array((6, 5), dtype, layout)
    check(augmented_2d, a, make_array((6,), dtype, seed=1), make_array((5,), dtype, seed=2))
    check(augmented_whole, a, make_array((5,), dtype, seed=3))  # broadcast row


# ---- through views and overlapping ------------------------------------------------------------

@njit
def reversed_from(a, b):
    a[::-1] = b


@njit
def even_from(a, b):
    a[::2] = b[: (a.shape[0] + 1) // 2]


@njit
def mirrored_columns(a, b):
    a[:, ::-1] = b


@njit
def through_transpose(a, b):
    t = a.T
    t[:] = b


@njit
def through_view_variable(a, x):
    v = a[2:]
    w = v[::2]
    w[:] = x
    return v


@pytest.mark.parametrize("n, layout", cases_1d())
def test_writes_through_views(n, layout):
    a = make_array((n,), np.float64, layout)
    check(reversed_from, a, make_array((n,), np.float64, seed=3))
    check(even_from, a, make_array((n,), np.float64, seed=4))
    check(through_view_variable, a, -1.0)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_writes_through_2d_views(layout):
    a = make_array((4, 6), np.int64, layout)
    check(mirrored_columns, a, make_array((4, 6), np.int64, seed=2))
    check(through_transpose, a, make_array((6, 4), np.int64, "F", seed=3))
    check(through_transpose, a, make_array((4,), np.int64, seed=4))


@njit
def shift_right(a):
    a[1:] = a[:-1]


@njit
def shift_left(a):
    a[:-1] = a[1:]


@njit
def reverse_in_place(a):
    a[::-1] = a


@njit
def reverse_copy(a):
    a[:] = a[::-1]


@njit
def shift_by(a, k):
    a[k:] = a[: a.shape[0] - k]


@njit
def accumulate_overlap(a):
    a[1:] += a[:-1]


@njit
def row_into_column(a):
    a[:, 0] = a[0, :]


@njit
def rows_down(a):
    a[1:, :] = a[:-1, :]


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("n, layout", cases_1d())
def test_overlapping_copies_match_numpy(dtype, n, layout):
    a = make_array((n,), dtype, layout)
    for f in (shift_right, shift_left, reverse_in_place, reverse_copy):
        check(f, a)
    for k in (1, 2, 3):
        if k <= n:
            check(shift_by, a, k)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_overlapping_2d(layout):
    a = make_array((5, 5), np.float64, layout)
    check(row_into_column, a)
    check(rows_down, a)


# Numba computes a[1:] += a[:-1] element by element in place (a running sum);
# NumPy adds the original values, as if the right side were copied first.
@pytest.mark.parametrize("shape, layout", [((1,), "C"), ((7,), "C"), ((1000,), "strided"), ((5, 5), "C"),
                                           ((5, 5), "F"), ((4, 6), "transposed")])
def test_overlapping_augmented_assignment(shape, layout):
    check(accumulate_overlap, make_array(shape, np.int64, layout))
    check(accumulate_overlap, make_array(shape, np.float64, layout))


# ---- result types and errors -----------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS_1D)
def test_returned_view_is_a_view_of_the_argument(layout):
    a = make_array((9,), np.float32, layout)
    v = check(through_view_variable, a, 2.0)
    expected = through_view_variable.py_func(a.copy(), 2.0)
    assert (type(v), v.dtype, v.shape) == (np.ndarray, expected.dtype, expected.shape)
    assert np.shares_memory(v, a)
    v[0] = 123
    assert a[2] == 123


@pytest.mark.parametrize("left, right", [((4,), (3,)), ((4,), (5,)), ((3, 4), (3,)), ((3, 4), (4, 3))])
def test_shape_mismatch_raises_value_error(left, right):
    # NumPy: "could not broadcast input array from shape (3,) into shape (4,)"
    a, b = np.zeros(left), np.ones(right)
    check(copy_into_all, a, b)
    with pytest.raises(ValueError):
        copy_into_all(a, b)
    np.testing.assert_array_equal(a, np.zeros(left))
    if len(left) == 1:
        check(copy_into_slice, a, np.ones(2))


def test_augmented_int_times_float_raises_type_error():
    # NumPy: "Cannot cast ufunc 'multiply' output from dtype('float64') to
    # dtype('int64') with casting rule 'same_kind'" (a TypeError); numjit
    # refuses to compile it (TypingError is a TypeError). Numba fails with an
    # internal AttributeError.
    a, b = np.arange(5), np.arange(5.0)
    with pytest.raises(TypeError):
        scale_all.py_func(a.copy(), b)
    with pytest.raises(TypeError):
        scale_all(a, b)
