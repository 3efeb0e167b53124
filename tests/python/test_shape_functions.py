"""Shape functions in compiled code, against NumPy: np.expand_dims, np.swapaxes,
np.moveaxis, np.squeeze (with an axis), np.broadcast_to, np.atleast_1d/2d/3d,
np.ascontiguousarray, np.asfortranarray, np.split, np.array_split, np.roll with
an axis, np.tile with a tuple, np.pad and np.meshgrid. The views write through
to their base as in NumPy; broadcast_to's view is read-only."""
import numpy as np
import pytest

from conftest import assert_same, check, dtype_id, make_array, run_python
from numjit import njit
from numjit.errors import TypingError, UnsupportedError

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_]
LAYOUTS = ["C", "F", "strided"]
#: Ranks 1 to 3, with 0-size and 1-element arrays and axes of length 1.
SHAPES = [(0,), (1,), (7,), (1, 1), (0, 3), (3, 4), (4, 1), (2, 1, 3), (2, 3, 0)]
AxisError = np.exceptions.AxisError


def axes(ndim, extra=0):
    """Every valid axis of an ``ndim``-D array (negative ones too), and the two just out of range."""
    n = ndim + extra
    return list(range(-n, n)) + [n, -n - 1]


def check_raises(error, f, *args):
    """Both NumPy (f.py_func) and the compiled ``f`` raise ``error``."""
    with pytest.raises(error):
        f.py_func(*args)
    with pytest.raises(error):
        f(*args)


def check_pieces(f, *args):
    """Like check, for a function returning a list of arrays: compared one by one."""
    expected, error, _ = run_python(f, *args)
    if error is not None:
        with pytest.raises(type(error)):
            f(*args)
        return
    got = list(f(*args))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert_same(g, e)


# ---- expand_dims, swapaxes, moveaxis, squeeze ---------------------------------------------

@njit
def expand_dims(a, axis):
    return np.expand_dims(a, axis)


@njit
def expand_dims_write(a, axis):
    b = np.expand_dims(a, axis)
    b[:] = (np.arange(b.size) % 3).reshape(b.shape)
    return b


@njit
def swapaxes(a, i, j):
    return np.swapaxes(a, i, j), a.swapaxes(i, j)


@njit
def swapaxes_write(a, i, j):
    b = np.swapaxes(a, i, j)
    b[:] = (np.arange(b.size) % 3).reshape(b.shape)
    return b


@njit
def moveaxis(a, source, destination):
    return np.moveaxis(a, source, destination)


@njit
def moveaxis_write(a, source, destination):
    b = np.moveaxis(a, source, destination)
    b[:] = (np.arange(b.size) % 3).reshape(b.shape)
    return b


@njit
def squeeze(a, axis):
    return np.squeeze(a, axis=axis), a.squeeze(axis=axis)


@njit
def squeeze_literal(a):
    return np.squeeze(a, axis=1), a.squeeze(axis=-1)


@njit
def squeeze_write(a, axis):
    b = np.squeeze(a, axis=axis)
    b[:] = (np.arange(b.size) % 3).reshape(b.shape)
    return b


@njit
def squeeze_all(a):
    return np.squeeze(a)


@njit
def squeeze_all_method(a):
    return a.squeeze()


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES)
def test_expand_dims(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in axes(len(shape), extra=1):
        check(expand_dims, a, axis)
        check(expand_dims_write, make_array(shape, dtype, layout), axis)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES)
def test_swapaxes_and_moveaxis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for i in axes(len(shape)):
        for j in axes(len(shape)):
            check(swapaxes, a, i, j)
            check(moveaxis, a, i, j)
            check(swapaxes_write, make_array(shape, dtype, layout), i, j)
            check(moveaxis_write, make_array(shape, dtype, layout), i, j)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES)
def test_squeeze_with_an_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in axes(len(shape)):  # a length other than 1: ValueError; out of range: AxisError
        check(squeeze, a, axis)
        if len(shape) >= 2:
            check(squeeze_write, make_array(shape, dtype, layout), axis)
    if len(shape) == 3:
        check(squeeze_literal, make_array((2, 1, 1), dtype, layout))


def test_view_errors_are_numpys():
    a = make_array((3, 4), np.float64)
    check_raises(AxisError, expand_dims, a, 3)
    check_raises(AxisError, expand_dims, a, -4)
    check_raises(AxisError, swapaxes, a, 0, 2)
    check_raises(AxisError, swapaxes, a, -3, 1)
    check_raises(AxisError, moveaxis, a, 2, 0)
    check_raises(AxisError, moveaxis, a, 0, -3)
    check_raises(AxisError, squeeze, make_array((3, 1), np.float64), 2)
    check_raises(ValueError, squeeze, a, 0)
    check_raises(ValueError, squeeze, make_array((1, 0), np.int64), 1)


def test_squeeze_without_an_axis_is_unsupported():
    # The result's rank would depend on the data (which lengths are 1).
    with pytest.raises(UnsupportedError):
        squeeze_all(make_array((3, 1), np.float64))
    with pytest.raises(UnsupportedError):
        squeeze_all_method(make_array((1, 4), np.int32))


# ---- broadcast_to --------------------------------------------------------------------------

@njit
def broadcast_to(a, shape):
    return np.broadcast_to(a, shape)


BROADCASTS = [((3,), (4, 3)), ((1,), (5,)), ((1,), (0,)), ((0,), (2, 0)), ((3, 1), (2, 3, 4)),
              ((1, 1), (0, 1)), ((3, 4), (3, 4)), ((2, 1, 3), (2, 5, 3))]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape, target", BROADCASTS)
def test_broadcast_to_is_a_read_only_view(dtype, layout, shape, target):
    a = make_array(shape, dtype, layout)
    got = check(broadcast_to, a, target)
    expected = broadcast_to.py_func(a, target)
    assert got.flags.writeable is False
    assert got.flags.writeable == expected.flags.writeable
    assert np.shares_memory(got, a) == np.shares_memory(expected, a)
    a[...] = (np.arange(a.size) % 3).reshape(a.shape)  # a write to the base shows through the view
    assert_same(got, np.broadcast_to(a, target))


@pytest.mark.parametrize("value", [3, 2.5, 1 - 2j, True, np.float32(1.5)])
def test_broadcast_to_scalar(value):
    got = check(broadcast_to, value, (2, 3))
    assert got.flags.writeable is False


@pytest.mark.parametrize("shape, target", [((3,), (4,)), ((3,), (2,)), ((2, 3), (3, 3)), ((3,), (-1, 3)),
                                           ((0,), (2,))])
def test_broadcast_to_an_incompatible_shape_raises_value_error(shape, target):
    check_raises(ValueError, broadcast_to, make_array(shape, np.float64), target)


def test_broadcast_to_fewer_dimensions_is_a_typing_error():
    # Known from the types alone, so refused when compiling (NumPy raises ValueError when it runs).
    with pytest.raises(ValueError):
        broadcast_to.py_func(make_array((3, 4), np.float64), (4,))
    with pytest.raises(TypingError, match="cannot broadcast an array of 2 dimensions to a shape of 1"):
        broadcast_to(make_array((3, 4), np.float64), (4,))


# ---- atleast_1d/2d/3d ----------------------------------------------------------------------

@njit
def atleast(a):
    return np.atleast_1d(a), np.atleast_2d(a), np.atleast_3d(a)


@njit
def atleast_1d_write(a):
    b = np.atleast_1d(a)
    b[:] = (np.arange(b.size) % 3).reshape(b.shape)
    return b


@njit
def atleast_2d_write(a):
    b = np.atleast_2d(a)
    b[:] = (np.arange(b.size) % 3).reshape(b.shape)
    return b


@njit
def atleast_3d_write(a):
    b = np.atleast_3d(a)
    b[:] = (np.arange(b.size) % 3).reshape(b.shape)
    return b


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES + [(2, 3, 4)])
def test_atleast_nd_of_arrays(dtype, layout, shape):
    check(atleast, make_array(shape, dtype, layout))
    for f in (atleast_1d_write, atleast_2d_write, atleast_3d_write):
        check(f, make_array(shape, dtype, layout))


@pytest.mark.parametrize("value", [0, -7, 2.5, 1 - 2j, True, np.int32(3), np.float32(1.5)])
def test_atleast_nd_of_scalars(value):
    check(atleast, value)


# ---- ascontiguousarray, asfortranarray -------------------------------------------------------

@njit
def contiguous(a):
    return np.ascontiguousarray(a), np.asfortranarray(a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS + ["transposed"])
@pytest.mark.parametrize("shape", SHAPES + [(2, 3, 4)])
def test_ascontiguousarray_and_asfortranarray(dtype, layout, shape):
    c, f = check(contiguous, make_array(shape, dtype, layout))
    assert c.flags.c_contiguous
    assert f.flags.f_contiguous


# ---- split, array_split --------------------------------------------------------------------

@njit
def split(a, n_or_indices, axis):
    return np.split(a, n_or_indices, axis=axis)


@njit
def split_default_axis(a, n_or_indices):
    return np.split(a, n_or_indices)


@njit
def split_list_literal(a):
    return np.split(a, [1, 3])


@njit
def array_split(a, n, axis):
    return np.array_split(a, n, axis=axis)


@njit
def array_split_default_axis(a, n):
    return np.array_split(a, n)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (6,), (7,), (6, 4), (0, 3), (4, 0), (2, 6, 3)])
def test_split(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for n in (1, 2, 3, 6):  # unequal divisions raise ValueError
        check_pieces(split_default_axis, a, n)
        for axis in axes(len(shape)):
            check_pieces(split, a, n, axis)
    for indices in ((2,), (2, 5), (0, 3, 10), (4, 1), (1, 1, 2)):
        check_pieces(split_default_axis, a, indices)
        check_pieces(split, a, indices, len(shape) - 1)
    check_pieces(split_list_literal, a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (6, 4), (0, 3), (5, 0), (2, 7, 3)])
def test_array_split(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for n in (1, 2, 3, 4, 9):
        check_pieces(array_split_default_axis, a, n)
        for axis in axes(len(shape)):
            check_pieces(array_split, a, n, axis)


def test_split_errors_are_numpys():
    check_raises(ValueError, split_default_axis, make_array((7,), np.float64), 3)
    check_raises(ValueError, split, make_array((3, 4), np.int64), 3, 1)
    check_raises(ValueError, array_split_default_axis, make_array((7,), np.float64), 0)
    check_raises(IndexError, split, make_array((3, 4), np.float64), 2, 2)  # AxisError is an IndexError
    check_raises(IndexError, array_split, make_array((3, 4), np.float64), 2, -3)


# ---- roll with an axis, tile with a tuple ------------------------------------------------------

@njit
def roll_axis(a, shift, axis):
    return np.roll(a, shift, axis=axis)


@njit
def tile(a, reps):
    return np.tile(a, reps)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES)
def test_roll_along_an_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in axes(len(shape)):  # out of range: AxisError
        for shift in (0, 1, -2, 5, -13):
            check(roll_axis, a, shift, axis)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (5,), (2, 3), (0, 2), (1, 1), (2, 1, 3)])
def test_tile_with_a_tuple(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for reps in ((2,), (1,), (0,), (2, 3), (3, 1), (0, 2), (1, 2, 2), (2, 1, 1, 2)):
        check(tile, a, reps)


def test_roll_and_tile_errors_are_numpys():
    check_raises(AxisError, roll_axis, make_array((3, 4), np.float64), 1, 2)
    check_raises(AxisError, roll_axis, make_array((5,), np.int32), 1, -2)
    check_raises(ValueError, tile, make_array((3,), np.float64), (-1,))
    check_raises(ValueError, tile, make_array((2, 3), np.float64), (2, -2))


# ---- pad ---------------------------------------------------------------------------------------

@njit
def pad_constant(a, width, c):
    return np.pad(a, width, mode="constant", constant_values=c), np.pad(a, width, mode="constant")


@njit
def pad_edge(a, width):
    return np.pad(a, width, mode="edge")


WIDTHS_1D = [0, 2, (0, 3), (2, 0), (1, 4), ((2, 1),)]
WIDTHS_2D = [0, 1, (2, 1), ((1, 2), (0, 3)), ((0, 0), (2, 2)), ((3, 0), (0, 0))]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (0, 3), (1, 1), (3, 4), (4, 0)])
def test_pad(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for width in WIDTHS_1D if len(shape) == 1 else WIDTHS_2D:
        check(pad_constant, a, width, 9)
        check(pad_constant, a, width, 0)
        check(pad_edge, a, width)  # extending an empty axis: ValueError


def test_pad_errors_are_numpys():
    check_raises(ValueError, pad_constant, make_array((3,), np.float64), -1, 0)
    check_raises(ValueError, pad_constant, make_array((3, 4), np.int64), ((1, -1), (0, 0)), 0)
    check_raises(ValueError, pad_edge, make_array((0,), np.float64), 1)
    check_raises(ValueError, pad_edge, make_array((2, 0), np.float64), ((0, 0), (1, 0)))


# ---- meshgrid ------------------------------------------------------------------------------------

@njit
def meshgrid(x, y):
    xx, yy = np.meshgrid(x, y)
    ii, jj = np.meshgrid(x, y, indexing="ij")
    return xx, yy, ii, jj


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n, m", [(0, 3), (3, 0), (1, 1), (4, 3), (1, 6)])
def test_meshgrid(dtype, layout, n, m):
    x, y = make_array((n,), dtype, layout), make_array((m,), dtype, layout, seed=1)
    check(meshgrid, x, y)
    check(meshgrid, x, make_array((m,), np.float64, layout, seed=2))  # each output keeps its input's dtype


# ---- a.view(dtype) ---------------------------------------------------------------------------------

@njit
def views_as(a):
    return a.view(np.int64), a.view(np.uint8), a.view(np.float32), a.view(np.complex128)


@njit
def same_size_view(a):
    return a.view(np.uint64)


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.complex128])
@pytest.mark.parametrize("shape", [(4,), (2, 6), (0,), (1,)])
def test_view_reinterprets_the_memory(dtype, shape):
    a = make_array(shape, dtype)
    if np.dtype(dtype).itemsize * (shape[-1] if shape else 1) % 16 == 0:
        check(views_as, a)
    got = same_size_view(a) if np.dtype(dtype).itemsize == 8 else None
    if got is not None:
        np.testing.assert_array_equal(got, a.view(np.uint64))
        got[...] = 0
        assert not a.any()  # written through: the same memory


def test_view_of_another_size_needs_contiguous_memory():
    with pytest.raises(TypingError, match="C-contiguous"):
        views_as(make_array((2, 4), np.float64, "F"))
    check(same_size_view, make_array((3, 4), np.float64, "F"))
    check(same_size_view, make_array((3, 4), np.float64, "strided"))
    with pytest.raises(ValueError):
        views_as(np.zeros(3, np.float64))  # 24 bytes do not make whole complex128 pairs
