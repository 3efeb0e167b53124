"""np.asfortranarray / np.ascontiguousarray return the array itself when it
already is contiguous in the order asked for, as NumPy does, so a write
through the result is seen through the argument (and not otherwise).
Compared with the same functions run by NumPy (.py_func)."""
import numpy as np
import pytest

import numjit


@numjit.njit
def fortran_then_write(a):
    f = np.asfortranarray(a)
    f[0, 0] = 99
    return f, a


@numjit.njit
def contiguous_then_write(a):
    c = np.ascontiguousarray(a)
    c[0, 0] = 77
    return c, a


@numjit.njit
def fortran_of_a_view_then_write(a):
    f = np.asfortranarray(a[:, :1])
    f[0, 0] = 55
    return f, a


@numjit.njit
def fortran_of_readonly(a):
    return np.asfortranarray(a)


def shapes():
    return [(5, 1), (1, 5), (3, 4), (1, 1), (4, 3, 1)]


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128, np.uint16])
@pytest.mark.parametrize("shape", shapes())
@pytest.mark.parametrize("order", ["C", "F", "strided"])
@pytest.mark.parametrize("compiled", [fortran_then_write, contiguous_then_write, fortran_of_a_view_then_write])
def test_writes_show_through_exactly_when_numpy_shares(compiled, order, shape, dtype):
    if compiled is fortran_of_a_view_then_write and len(shape) != 2:
        return
    base = np.arange(int(np.prod(shape)) * 2, dtype=dtype).reshape(shape[:-1] + (shape[-1] * 2,))
    if order == "strided":
        a = base[..., ::2]
    else:
        a = np.array(base[..., : shape[-1]], order=order)
    mine = compiled(a.copy(order="A") if order != "strided" else base.copy()[..., ::2])
    theirs = compiled.py_func(a.copy(order="A") if order != "strided" else base.copy()[..., ::2])
    for got, want in zip(mine, theirs):
        assert got.dtype == want.dtype
        assert np.array_equal(got, want)


def test_a_readonly_array_still_converts():
    a = np.arange(6.0).reshape(6, 1)
    a.setflags(write=False)
    assert np.array_equal(fortran_of_readonly(a), a)
    assert fortran_of_readonly(a).flags.f_contiguous


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
def test_empty_arrays(shape):
    # An empty array is contiguous in both orders: NumPy returns it as it is.
    for order in "CF":
        a = np.zeros(shape, order=order)
        got = fortran_of_readonly(a)
        want = fortran_of_readonly.py_func(a)
        assert got.shape == want.shape and got.flags.f_contiguous
