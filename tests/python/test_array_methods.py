"""Array methods and attributes in compiled code: reshape, ravel, flatten,
transpose, astype, fill, real/imag, item, and the np.transpose/np.ravel/
np.reshape functions; views write through as in NumPy."""
import numpy as np
import pytest

from numjit import njit

from conftest import LAYOUTS, check, dtype_id, make_array

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_]
#: (size, a compatible 2-D shape)
RESHAPES = [(0, (0, 5)), (1, (1, 1)), (7, (7, 1)), (7, (1, 7)), (12, (3, 4)), (1000, (40, 25))]


# ---- reshape --------------------------------------------------------------------------

@njit
def reshape_args(a, n, m):
    return a.reshape(n, m)


@njit
def reshape_tuple(a, n, m):
    return a.reshape((n, m))


@njit
def reshape_flat(a):
    return a.reshape(-1)


@njit
def reshape_infer(a, n):
    return a.reshape(n, -1)


@njit
def reshape_like(a, b):
    return a.reshape(b.shape)


@njit
def np_reshape(a, n, m):
    return np.reshape(a, (n, m))


@njit
def reshape_3d(a):
    return a.reshape(2, -1, 3)


# Numba reshapes only contiguous arrays (C; 1-D also any contiguous): it raises
# NotImplementedError ("incompatible shape for array") for F and transposed
# arrays and does not compile a strided one. NumPy copies them.
@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("size, shape", RESHAPES)
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_reshape_1d(dtype, size, shape, layout):
    a = make_array((size,), dtype, layout)
    n, m = shape
    check(reshape_args, a, n, m)
    check(reshape_tuple, a, n, m)
    check(reshape_flat, a)
    check(np_reshape, a, n, m)
    check(reshape_like, a, np.zeros(shape))
    if n > 0:
        check(reshape_infer, a, n)


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_reshape_2d(dtype, layout):
    a = make_array((4, 6), dtype, layout)
    for n, m in ((6, 4), (2, 12), (24, 1), (3, 8)):
        check(reshape_args, a, n, m)
        check(reshape_tuple, a, n, m)
        check(np_reshape, a, n, m)
    check(reshape_flat, a)
    check(reshape_infer, a, 8)
    check(reshape_3d, a)


@njit
def reshape_then_write(a):
    b = a.reshape(a.size)
    for i in range(b.shape[0]):
        b[i] = i
    return b


@njit
def ravel_then_write(a):
    b = a.ravel()
    for i in range(b.shape[0]):
        b[i] = -i
    return b


# A C array reshapes and ravels into views (the writes reach the argument);
# an F array into copies (they do not). (Not strided arrays: check() hands the
# Python version a contiguous copy of those.)
@pytest.mark.parametrize("layout", ["C", "F"])
def test_reshape_and_ravel_views_write_through_as_in_numpy(layout):
    a = make_array((3, 4), np.float64, layout)
    check(reshape_then_write, a)
    check(ravel_then_write, a)
    check(reshape_then_write, make_array((12,), np.int64).reshape(3, 4))


# ---- ravel, flatten, transpose ----------------------------------------------------------

@njit
def ravel(a):
    return a.ravel()


@njit
def np_ravel(a):
    return np.ravel(a)


@njit
def flatten(a):
    return a.flatten()


@njit
def flatten_then_write(a):
    b = a.flatten()
    b[0] = 100
    return b


@njit
def dot_t(a):
    return a.T


@njit
def transpose(a):
    return a.transpose()


@njit
def np_transpose(a):
    return np.transpose(a)


@njit
def transposed_twice(a):
    return a.T.T, np.transpose(a.transpose())


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0, 3), (1, 1), (3, 5), (40, 25)])
def test_ravel_flatten_transpose_2d(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for f in (ravel, np_ravel, flatten, dot_t, transpose, np_transpose, transposed_twice):
        check(f, a)
    if a.size:
        check(flatten_then_write, a)  # a copy: the argument is unchanged


@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((7,), "C"), ((1000,), "strided"), ((2, 3, 4), "C"),
                                           ((2, 3, 4), "F"), ((3, 2, 4), "strided")])
def test_ravel_flatten_transpose_other_ndims(shape, layout):
    a = make_array(shape, np.float64, layout)
    for f in (ravel, np_ravel, flatten, dot_t, transpose, np_transpose):
        check(f, a)


@njit
def write_through_transpose(a):
    t = a.T
    t[0, -1] = -7
    u = np.transpose(a)
    u[-1, 0] = -8
    return t


@pytest.mark.parametrize("layout", LAYOUTS)
def test_transpose_is_a_view(layout):
    a = make_array((3, 4), np.int32, layout)
    t = check(write_through_transpose, a)
    assert np.shares_memory(t, a)


# ---- astype, fill -------------------------------------------------------------------------

@njit
def astypes(a):
    return a.astype(np.float32), a.astype(np.int64), a.astype("float64"), a.astype(np.bool_)


@njit
def astype_complex(a):
    return a.astype(np.complex128)


@njit
def astype_is_a_copy(a):
    b = a.astype(a.dtype)
    b[0] = 0
    return b


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64, np.bool_, np.uint8], ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((1,), "C"), ((7,), "strided"), ((1000,), "C"),
                                           ((3, 5), "F"), ((40, 25), "transposed")])
def test_astype(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    if np.dtype(dtype).kind == "f":
        a = a * np.asarray(-0.75, dtype=dtype)  # fractions and negatives: truncation toward zero
    check(astypes, a)
    check(astype_complex, a)
    if a.size and a.ndim == 1:
        check(astype_is_a_copy, a)


@njit
def fill_three(a):
    a.fill(3)


@njit
def fill_with(a, value):
    a.fill(value)
    return a


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((7,), "strided"), ((1000,), "C"), ((3, 5), "F"),
                                           ((4, 6), "transposed"), ((4, 6), "strided")])
def test_fill(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    check(fill_three, a)
    check(fill_with, a, 1.5)  # converted to the dtype, as NumPy does
    check(fill_with, a, a.dtype.type(0))


# ---- real, imag, item ----------------------------------------------------------------------

@njit
def real_imag(a):
    return a.real, a.imag


@njit
def write_real_and_imag(a):
    r = a.real
    i = a.imag
    for k in range(r.shape[0]):
        r[k] = 2 * k
        i[k] = -k
    return a


# Numba cannot give the imag (zeros) of a real strided array ("Don't know how
# to allocate array with layout 'A'").
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64, np.float64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((7,), "C"), ((1000,), "strided"), ((3, 5), "F"),
                                           ((4, 6), "transposed")])
def test_real_and_imag(dtype, shape, layout):
    check(real_imag, make_array(shape, dtype, layout))


@pytest.mark.parametrize("layout", ["C", "strided"])
def test_real_and_imag_of_complex_are_views(layout):
    a = make_array((7,), np.complex128, layout)
    check(write_real_and_imag, a)
    r, i = real_imag(a)
    assert np.shares_memory(r, a) and np.shares_memory(i, a)


@njit
def item(a):
    return a.item()


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape", [(1,), (1, 1), (1, 1, 1)])
def test_item_of_size_one(dtype, shape):
    a = make_array(shape, dtype, seed=3)
    got = check(item, a)
    assert type(got) is type(item.py_func(a))  # a Python int, float, complex or bool
    check(item, make_array((5,), dtype)[2:3])


# ---- result types and errors -----------------------------------------------------------------

@njit
def many_results(a):
    return (a.reshape(6, 2), a.ravel(), a.flatten(), a.T, np.transpose(a), a.astype(np.complex128),
            a.real, np.reshape(a, (4, 3)), np.ravel(a))


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128], ids=dtype_id)
def test_result_types_match_numpy(dtype):
    a = make_array((3, 4), dtype)
    got, expected = many_results(a), many_results.py_func(a)
    for g, e in zip(got, expected):
        assert (type(g), g.dtype, g.shape) == (np.ndarray, e.dtype, e.shape)
        assert np.shares_memory(g, a) == np.shares_memory(e, a)  # views where NumPy gives views


@pytest.mark.parametrize("n, m", [(5, 3), (13, 1), (-1, 5), (0, 12), (2, 7)])
def test_reshape_to_an_incompatible_size_raises_value_error(n, m):
    # NumPy: "cannot reshape array of size 12 into shape (5,3)"
    a = make_array((12,), np.float64)
    check(reshape_args, a, n, m)
    check(np_reshape, a, n, m)
    check(reshape_tuple, a, n, m)
    with pytest.raises(ValueError):
        reshape_args(a, n, m)


@pytest.mark.parametrize("shape", [(0,), (2,), (2, 3)])
def test_item_of_other_sizes_raises_value_error(shape):
    # NumPy: "can only convert an array of size 1 to a Python scalar"
    check(item, np.zeros(shape))
    with pytest.raises(ValueError):
        item(np.zeros(shape))
