"""np.outer, np.repeat, np.tile, np.roll and np.stack in compiled code, against NumPy."""
import numpy as np
import pytest

from conftest import check, dtype_id, make_array
from numjit import njit

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128]


@njit
def outer(a, b):
    return np.outer(a, b)


@njit
def repeat(a, k):
    return np.repeat(a, k), a.repeat(k)


@njit
def tile(a, k):
    return np.tile(a, k)


@njit
def roll(a, shift):
    return np.roll(a, shift)


@njit
def stack(a, b):
    return np.stack((a, b, a))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n, m", [(0, 3), (1, 1), (7, 4)])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_outer(dtype, n, m, layout):
    check(outer, make_array((n,), dtype, layout), make_array((m,), dtype, layout, seed=1))
    check(outer, make_array((2, 3), dtype, layout), make_array((m,), np.float64))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape", [(0,), (5,), (2, 3)])
@pytest.mark.parametrize("k", [0, 1, 3])
def test_repeat_and_tile(dtype, shape, k):
    a = make_array(shape, dtype, "F" if len(shape) == 2 else "C")
    check(repeat, a, k)
    if len(shape) == 1:
        check(tile, a, k)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((7,), "C"), ((7,), "strided"), ((3, 4), "F")])
@pytest.mark.parametrize("shift", [0, 2, -3, 11, -15])
def test_roll(dtype, shape, layout, shift):
    check(roll, make_array(shape, dtype, layout), shift)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((4,), "C"), ((2, 3), "F"), ((0, 2), "C"), ((3, 5), "transposed")])
def test_stack(dtype, shape, layout):
    check(stack, make_array(shape, dtype, layout), make_array(shape, dtype, "C", seed=2))


def test_stack_mismatch_and_negative_repeat_raise():
    with pytest.raises(ValueError):
        stack(np.ones(3), np.ones(4))
    with pytest.raises(ValueError):
        np.repeat(np.ones(3), -1)
    with pytest.raises(ValueError):
        repeat(np.ones(3), -1)
