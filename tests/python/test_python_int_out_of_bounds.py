"""NumPy 2 computes `uint8_array + 300` in the array's dtype (a Python int
yields to it) and raises OverflowError where the int does not fit; numjit
wrapped it silently (300 became 44). Compared with .py_func, which runs
NumPy, for the operators that raise, in place and not, across integer
dtypes and constants at and beyond each bound; those that do not raise
(true division, comparisons, ints that fit) give NumPy's values."""
import numpy as np
import pytest

from conftest import dtype_id
from numjit import njit

INTS = [np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32]


@njit
def plus_300(a):
    return a + 300


@njit
def times_minus_1(a):
    return a * -1


@njit
def minus_minus_200(a):
    return a - (-200)


@njit
def in_place_plus_300(a):
    a += 300
    return a


@njit
def floor_300(a):
    return a // 300


@njit
def and_300(a):
    return a & 300


@njit
def nested(a):
    return (a + 1) * 70000


@njit
def big(a):
    return a + 5_000_000_000


@njit
def divide_300(a):
    return a / 300


@njit
def less_300(a):
    return a < 300


@njit
def plus_255(a):
    return a + 255


@njit
def plus_127(a):
    return a + 127


@njit
def float_array(a):
    return a.astype(np.float32) + 300


@njit
def maximum_300(a):
    return np.maximum(a, 300)


@njit
def minimum_minus_1(a):
    return np.minimum(-1, a)


@njit
def ufunc_add_70000(a):
    return np.add(a, 70000) + 1


@njit
def ufunc_greater_300(a):
    return np.greater(a, 300)  # comparisons take the int by value


KERNELS = [plus_300, times_minus_1, minus_minus_200, in_place_plus_300, floor_300, and_300, nested, big,
           divide_300, less_300, plus_255, plus_127, float_array, maximum_300, minimum_minus_1, ufunc_add_70000,
           ufunc_greater_300]


def outcome(f, a):
    try:
        r = f(a.copy())
    except OverflowError as e:
        return "OverflowError", str(e)
    return r.dtype, r.tolist()


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", INTS, ids=dtype_id)
@pytest.mark.parametrize("size", [0, 1, 5])
def test_matches_numpy(kernel, dtype, size):
    a = np.arange(size, dtype=dtype)
    assert outcome(kernel, a) == outcome(kernel.py_func, a)


def test_the_message_names_the_int_and_the_dtype():
    with pytest.raises(OverflowError, match=r"^Python integer 300 out of bounds for uint8$"):
        plus_300(np.arange(3, dtype=np.uint8))


@njit
def only_when_reached(a, go):
    if go:
        return a + 300
    return a + 1


def test_raised_only_where_the_operation_runs():
    a = np.arange(3, dtype=np.uint8)
    np.testing.assert_array_equal(only_when_reached(a, False), a + 1)
    with pytest.raises(OverflowError):
        only_when_reached(a, True)


# ---- ints known only at run time, checked once before the loop ----

@njit
def plus_n(a, n):
    return a + n


@njit
def n_minus(a, n):
    return n - a


@njit
def in_place_n(a, n):
    a += n
    return a


@njit
def store_n(a, n):
    a[:] = n
    return a


@njit
def scaled_by_index(a):
    out = np.zeros_like(a)
    for i in range(a.shape[0]):
        out += a * i
    return out


RUNTIME_INTS = [0, 3, 127, 128, 255, 256, 300, -1, -128, -129, 40000, 2**31, 2**40, -(2**63), 2**63 - 1]


@pytest.mark.parametrize("kernel", [plus_n, n_minus, in_place_n, store_n], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", INTS + [np.int64, np.uint64], ids=dtype_id)
@pytest.mark.parametrize("n", RUNTIME_INTS)
def test_runtime_ints_match_numpy(kernel, dtype, n):
    a = np.arange(3, dtype=dtype)
    got, expected = outcome(lambda x: kernel(x, n), a), outcome(lambda x: kernel.py_func(x, n), a)
    assert got == expected


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16], ids=dtype_id)
@pytest.mark.parametrize("size", [3, 200, 300])
def test_a_loop_index_past_the_dtype_raises_as_numpy(dtype, size):
    a = np.ones(size, dtype=dtype)
    assert outcome(scaled_by_index, a) == outcome(scaled_by_index.py_func, a)


@njit
def plus_numpy_int(a):
    return a + np.int64(1000)  # a NumPy scalar keeps its dtype: int64, no OverflowError


def test_numpy_scalars_are_not_checked():
    a = np.arange(1, 4, dtype=np.uint8)
    assert outcome(plus_numpy_int, a) == outcome(plus_numpy_int.py_func, a)
