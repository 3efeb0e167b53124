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


# ---- loops over np.ndindex / np.ndenumerate / a.flat: a loop per dimension ----

@njit
def _walk_with_exits(a, stop_at, skip_every):
    """break leaves every dimension's loop; continue steps the innermost one."""
    seen = []
    for idx, v in np.ndenumerate(a):
        if v == stop_at:
            break
        if idx[-1] % skip_every == 0:
            continue
        seen.append(v)
    else:
        seen.append(-1.0)
    return seen


@njit
def _flat_with_exits(a, stop_at):
    total = 0.0
    count = 0
    for v in a.flat:
        count += 1
        if v == stop_at:
            break
        if count % 3 == 0:
            continue
        total += v
    return total, count


@njit
def _ndindex_nested(shape, inner):
    out = []
    for i, j in np.ndindex(shape):
        for k in np.ndindex(inner):
            out.append(i * 100 + j * 10 + k[0])
    return out


@njit
def _ndindex_in_zip(a):
    out = []
    for (i, j), v in zip(np.ndindex(a.shape), a.ravel()):
        out.append(i * 10 + j + v)
    return out


_LAYOUTS = {
    "C": lambda a: a,
    "F": np.asfortranarray,
    "strided": lambda a: a[::2, ::-1],
    "transposed": lambda a: a.T,
}


@pytest.mark.parametrize("layout", list(_LAYOUTS))
@pytest.mark.parametrize("stop_at", [-5.0, 7.0, 0.0])
@pytest.mark.parametrize("skip_every", [1, 2, 5])
def test_ndenumerate_break_continue_else(layout, stop_at, skip_every):
    a = _LAYOUTS[layout](np.arange(48.0).reshape(6, 8))
    assert _walk_with_exits(a, stop_at, skip_every) == _walk_with_exits.py_func(a, stop_at, skip_every)


@pytest.mark.parametrize("layout", list(_LAYOUTS))
@pytest.mark.parametrize("stop_at", [-5.0, 7.0, 30.0])
def test_flat_break_continue(layout, stop_at):
    a = _LAYOUTS[layout](np.arange(48.0).reshape(6, 8))
    assert _flat_with_exits(a, stop_at) == _flat_with_exits.py_func(a, stop_at)


@pytest.mark.parametrize("shape, inner", [((2, 3), (4,)), ((0, 3), (2,)), ((3, 0), (2,)), ((2, 2), (0,))])
def test_nested_ndindex_loops(shape, inner):
    assert _ndindex_nested(shape, inner) == _ndindex_nested.py_func(shape, inner)


@pytest.mark.parametrize("layout", list(_LAYOUTS))
def test_ndindex_inside_zip(layout):
    a = _LAYOUTS[layout](np.arange(12.0).reshape(3, 4))
    assert _ndindex_in_zip(a) == _ndindex_in_zip.py_func(a)
