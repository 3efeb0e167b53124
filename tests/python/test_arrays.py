"""Array arguments: element reads and writes for every dtype, ndim and layout,
negative indices, attributes, slicing into views, unpacking, bounds checking
and read-only arrays."""
import numpy as np
import pytest

from numjit import njit

from conftest import ALL_DTYPES, INT_DTYPES, LAYOUTS, SIZES, check, dtype_id, make_array


@njit
def element_1d(a, i):
    return a[i]


@njit
def element_2d(a, i, j):
    return a[i, j]


@njit
def element_3d(a, i, j, k):
    return a[i, j, k]


@njit
def checksum_1d(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * 1.0 * (i + 1)
    return s


@njit
def checksum_2d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * 1.0 * (3 * i + j + 1)
    return s


@njit
def checksum_3d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            for k in range(a.shape[2]):
                s += a[i, j, k] * 1.0 * (5 * i + 3 * j + k + 1)
    return s


@njit
def fill_1d(a):
    for i in range(a.shape[0]):
        a[i] = (3 * i + 1) % 5


@njit
def fill_2d(a):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] = (3 * i + j) % 5


@njit
def fill_3d(a):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            for k in range(a.shape[2]):
                a[i, j, k] = (i + 2 * j + 3 * k) % 5


@njit
def attributes(a):
    return a.shape, a.ndim, a.size, len(a)


SHAPES = {1: [(0,), (1,), (7,), (1000,)], 2: [(0, 4), (1, 1), (3, 5), (40, 25)], 3: [(0, 2, 2), (2, 3, 4), (5, 1, 7)]}
CHECKSUM = {1: checksum_1d, 2: checksum_2d, 3: checksum_3d}
FILL = {1: fill_1d, 2: fill_2d, 3: fill_3d}
LAYOUTS_1D = ["C", "strided"]


def _cases(dtypes):
    for dtype in dtypes:
        for ndim, shapes in SHAPES.items():
            for layout in (LAYOUTS_1D if ndim == 1 else LAYOUTS):
                for shape in shapes:
                    yield pytest.param(dtype, shape, layout, id=f"{dtype_id(dtype)}-{shape}-{layout}")


@pytest.mark.parametrize("dtype, shape, layout", list(_cases(ALL_DTYPES)))
def test_read_all_elements(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    # widen: over an empty complex array Python's sum stays 0.0, the compiled one is complex 0j.
    check(CHECKSUM[len(shape)], a, widen=True)


@pytest.mark.parametrize("dtype, shape, layout", list(_cases(ALL_DTYPES)))
def test_write_all_elements(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    check(FILL[len(shape)], a)


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_single_elements_and_negative_indices(dtype, layout):
    a1 = make_array((6,), dtype, "C" if layout in ("F", "transposed") else layout, seed=1)
    for i in (0, 3, 5, -1, -6):
        check(element_1d, a1, i)
    a2 = make_array((4, 5), dtype, layout, seed=2)
    for i, j in ((0, 0), (3, 4), (-1, -1), (-4, 2), (1, -5)):
        check(element_2d, a2, i, j)
    a3 = make_array((2, 3, 4), dtype, layout, seed=3)
    for i, j, k in ((0, 0, 0), (1, 2, 3), (-1, -2, -3), (0, -3, 1)):
        check(element_3d, a3, i, j, k)


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=dtype_id)
def test_index_with_typed_integers(dtype):
    a = make_array((9, 3), np.float64)
    check(element_1d, a[:, 0], dtype(4))
    check(element_2d, a, dtype(8), dtype(2))


@pytest.mark.parametrize("shape", [(0,), (5,), (3, 4), (0, 3), (2, 3, 4)])
@pytest.mark.parametrize("layout", ["C", "F", "strided", "readonly"])
def test_attributes(shape, layout):
    check(attributes, make_array(shape, np.float64, layout))


def test_column_view_argument():
    a = make_array((6, 4), np.float64)
    column = a[:, 1]
    assert not column.flags.c_contiguous
    check(checksum_1d, column)
    check(fill_1d, column)
    np.testing.assert_array_equal(a[:, 1], [(3 * i + 1) % 5 for i in range(6)])


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128, np.bool_], ids=dtype_id)
def test_readonly_arrays_can_be_read(dtype):
    a = make_array((7,), dtype, "readonly")
    assert not a.flags.writeable
    check(checksum_1d, a)
    check(element_1d, a, -1)
    b = make_array((3, 5), dtype, "readonly")
    check(checksum_2d, b)


# ---- slicing into views -------------------------------------------------------

@njit
def scale_prefix(X, Nt, factor):
    mu = X[0:Nt]
    for i in range(mu.shape[0]):
        mu[i] *= factor
    return mu.shape[0]


@njit
def negate_even(a):
    even = a[::2]
    for i in range(len(even)):
        even[i] = -even[i]
    return len(even)


@njit
def bump_row(a, i):
    row = a[i]
    for j in range(row.shape[0]):
        row[j] += j + 1
    return row.shape[0]


@njit
def zero_inner(a):
    inner = a[1:-1]
    for i in range(inner.shape[0]):
        inner[i] = 0
    return inner.size


@njit
def bump_column(a, j):
    col = a[:, j]
    for i in range(col.shape[0]):
        col[i] += 10 * (i + 1)
    return col.shape[0]


@njit
def bump_block(a):
    block = a[1:, ::2]
    for i in range(block.shape[0]):
        for j in range(block.shape[1]):
            block[i, j] = 100 * i + j
    return block.shape


@njit
def slice_stats(a, start, stop, step):
    view = a[start:stop:step]
    s = 0.0
    for i in range(len(view)):
        s += view[i] * (i + 1)
    return len(view), s


@njit
def open_slices(a, k):
    head = a[:k]
    tail = a[k:]
    return len(head), len(tail), head[len(head) - 1] if len(head) > 0 else -1.0, tail[0] if len(tail) > 0 else -1.0


@pytest.mark.parametrize("n, Nt", [(1, 0), (7, 3), (7, 7), (1000, 998), (5, 50)])
def test_prefix_view_writes_through(n, Nt):
    X = make_array((n,), np.float64)
    check(scale_prefix, X, Nt, 2.5)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.complex64], ids=dtype_id)
def test_strided_views_write_through(n, dtype):
    check(negate_even, make_array((n,), dtype))
    check(zero_inner, make_array((n,), dtype))
    check(negate_even, make_array((n,), dtype, "strided"))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_row_column_and_block_views_write_through(layout):
    a = make_array((4, 6), np.float64, layout)
    for i in (0, 2, -1):
        check(bump_row, a, i)
    for j in (0, 5, -2):
        check(bump_column, a, j)
    check(bump_block, a)


@njit
def transposed_view(a, i, j):
    t = a.T
    t[j, i] = -1
    return t.shape, t[j, i], t[-1, 0], t.ndim


@pytest.mark.parametrize("layout", LAYOUTS)
def test_transpose_inside_compiled_code(layout):
    a = make_array((3, 5), np.float64, layout)
    for i, j in ((0, 0), (2, 4), (1, 3)):
        check(transposed_view, a, i, j)


@pytest.mark.parametrize("start, stop, step", [
    (0, 5, 1), (2, 8, 1), (-3, 10, 1), (0, 100, 2), (5, 2, 1), (9, 0, -1), (9, -100, -3), (-1, -10, -2),
    (-100, 100, 3), (3, 3, 1), (1, 9, 4),
])
@pytest.mark.parametrize("layout", LAYOUTS_1D)
def test_slice_bounds(start, stop, step, layout):
    check(slice_stats, make_array((10,), np.float64, layout), start, stop, step)


@pytest.mark.parametrize("k", [-20, -3, 0, 1, 4, 10, 20])
def test_open_slices(k):
    check(open_slices, make_array((10,), np.float64), k)


# ---- unpacking and bounds ---------------------------------------------------------

@njit
def unpack_pair(X, Nt):
    c0, c1 = X[Nt:Nt + 2]
    return c0, c1


@njit
def unpack_three(a):
    x, y, z = a
    return x - y * z


@pytest.mark.parametrize("n, Nt", [(4, 0), (4, 2), (10, 7), (4, 3), (4, 4), (4, 9)])
def test_unpack_slice(n, Nt):
    X = make_array((n,), np.float64)
    check(unpack_pair, X, Nt)  # too few elements raise ValueError, as in Python


def test_unpack_wrong_length_raises_value_error():
    with pytest.raises(ValueError):
        unpack_pair(np.arange(3.0), 2)
    with pytest.raises(ValueError):
        unpack_three(np.arange(4.0))
    assert unpack_three(np.array([1.0, 2.0, 3.0])) == 1.0 - 2.0 * 3.0
    assert unpack_pair(np.arange(3.0), 1) == (1.0, 2.0)


@njit(boundscheck=True)
def checked_1d(a, i):
    return a[i]


@njit(boundscheck=True)
def checked_2d(a, i, j):
    return a[i, j]


@njit(boundscheck=True)
def checked_write(a, i, v):
    a[i] = v


@pytest.mark.parametrize("n", [0, 1, 7])
def test_boundscheck_raises_index_error(n):
    a = make_array((n,), np.float64)
    for i in (n, n + 5, -n - 1):
        with pytest.raises(IndexError):
            checked_1d(a, i)
        with pytest.raises(IndexError):
            checked_write(a, i, 1.0)
    for i in range(-n, n):
        check(checked_1d, a, i)
        check(checked_write, a, i, 2.0)


def test_boundscheck_2d():
    a = make_array((3, 4), np.float64, "F")
    for i, j in ((3, 0), (0, 4), (-4, 0), (0, -5)):
        with pytest.raises(IndexError):
            checked_2d(a, i, j)
    check(checked_2d, a, -3, -4)
    check(checked_2d, a, 2, 3)


# ---- conversions on store -------------------------------------------------------

@njit
def copy_into(dst, src):
    for i in range(src.shape[0]):
        dst[i] = src[i]


@pytest.mark.parametrize("dst_type", ALL_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("src_type", [np.float64, np.int64, np.uint8, np.bool_], ids=dtype_id)
def test_store_converts_to_element_type(dst_type, src_type):
    src = np.array([0, 1, 2.75, 6.5, 0.25, 100], dtype=np.float64).astype(src_type)
    dst = np.zeros(src.shape, dtype=dst_type)
    check(copy_into, dst, src)
