"""np.ndindex, np.ndenumerate and indexing with a tuple of integers, against Python."""
import numpy as np
import pytest

from conftest import check, dtype_id, make_array
from numjit import njit


@njit
def weighted_by_index(a):
    s = 0.0
    for idx in np.ndindex(a.shape):
        s += a[idx] * (idx[0] + 1)
    return s


@njit
def enumerate_elements(a):
    total = 0.0
    count = 0
    for index, x in np.ndenumerate(a):
        total += x * (index[0] - index[-1])
        count += 1
    return total, count


@njit
def index_grid(n, m):
    out = np.zeros((n, m), dtype=np.int64)
    for k in np.ndindex(n, m):
        out[k] = k[0] * 100 + k[1]
    return out


@njit
def tuple_index_write(a, i, j):
    idx = (i, j)
    a[idx] += 1
    return a[idx], a[(i,)]


@pytest.mark.parametrize("dtype", [np.int32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0, 3), "C"), ((4,), "C"), ((3, 4), "F"), ((3, 4), "strided"),
                                           ((2, 3, 4), "transposed")])
def test_ndindex_and_ndenumerate(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    check(weighted_by_index, a)
    check(enumerate_elements, a)


@pytest.mark.parametrize("n, m", [(0, 0), (1, 5), (3, 4)])
def test_ndindex_of_extents(n, m):
    check(index_grid, n, m)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("i, j", [(0, 0), (2, -1), (-1, 1)])
def test_tuple_index(layout, i, j):
    check(tuple_index_write, make_array((3, 4), np.float64, layout), i, j)
