"""A fused array expression is one loop over the whole expression's shape,
while NumPy computes each operation over that operation's own shape. They
differ only where the whole is empty and a part is not: an integer power
with a negative exponent inside `np.where(a ** b, empty, c)` raises in NumPy
and must raise here too. Each case runs the same function as Python
(.py_func, so NumPy is the oracle) and compiled, across integer dtypes,
layouts and shapes, with and without a negative exponent."""
import numpy as np
import pytest

from conftest import dtype_id, laid_out
from numjit import njit

SIGNED = [np.int8, np.int16, np.int32, np.int64]
LAYOUTS = ["C", "strided", "reversed"]


@njit
def where_of_power(a, b, c):
    return np.where(a ** b, c[-2::-1], c)


@njit
def where_of_power_full(a, b, c):
    return np.where(a ** b, c, -c)


@njit
def product_with_empty(a, b, empty):
    return (a ** b) * empty


@njit
def sum_of_power_and_empty(a, b, empty):
    return np.sum(empty + a ** b)


@njit
def power_into_empty_slice(a, b, out):
    out[0:0] = a ** b
    return out


@njit
def nested_power(a, b, c, empty):
    return ((a ** b + c) ** b) - empty


@njit
def np_power_forms(a, b, c, out):
    first = np.where(np.power(a, b), c[-2::-1], c)
    second = np.sum(np.power(a, b) + c[:0])
    out[0:0] = np.power(a, b)
    return first, second, out


def outcome(f, *args):
    try:
        return "returned", f(*args)
    except Exception as e:  # the exception's class and message are compared
        return "raised", (type(e), str(e).strip())


def same_outcome(f, *args):
    want = outcome(f.py_func, *args)
    got = outcome(f, *args)
    assert got[0] == want[0], (got, want)
    if want[0] == "raised":
        assert got[1] == want[1]
    else:
        pairs = zip(got[1], want[1]) if isinstance(want[1], tuple) else [(got[1], want[1])]
        for g, w in pairs:
            np.testing.assert_array_equal(g, w)
            assert np.asarray(g).dtype == np.asarray(w).dtype


def ints(values, dtype, layout):
    return laid_out(np.array(values, dtype=dtype), layout)


@pytest.mark.parametrize("dtype", SIGNED, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("exponent", [-4, -1, 0, 2])
def test_where_with_an_empty_branch(dtype, layout, exponent):
    a = ints([-4], dtype, layout)
    b = np.array(exponent, dtype=np.int8)
    same_outcome(where_of_power, b, a, a)  # the fuzzer's case: a 0-d base, the array the exponent
    same_outcome(where_of_power, a, b, a)


@pytest.mark.parametrize("dtype", SIGNED, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("exponent", [-3, 3])
@pytest.mark.parametrize("shape", [(1,), (1, 1), (1, 3)])
def test_parts_of_empty_wholes(dtype, layout, exponent, shape):
    a = laid_out(np.full(shape, 2, dtype), layout)
    b = np.full(shape, exponent, dtype)
    empty = np.zeros(shape[:-1] + (0,), dtype)
    if shape[-1] == 1:  # (1, 3) does not broadcast with (1, 0)
        same_outcome(product_with_empty, a, b, empty)
    same_outcome(sum_of_power_and_empty, a, b, np.zeros((0,) + shape[1:], dtype))
    same_outcome(nested_power, a, b, a, np.zeros((0,) + shape[1:], dtype))


@pytest.mark.parametrize("dtype", SIGNED, ids=dtype_id)
@pytest.mark.parametrize("exponent", [-2, 2])
def test_np_power_as_a_call(dtype, exponent):
    a = np.array([3], dtype)
    b = np.array([exponent], dtype)
    same_outcome(np_power_forms, a, b, a, np.zeros(4, dtype))


@pytest.mark.parametrize("dtype", SIGNED, ids=dtype_id)
@pytest.mark.parametrize("exponent", [-2, 2])
def test_assignment_into_an_empty_slice(dtype, exponent):
    a = np.array([3], dtype)
    b = np.array([exponent], dtype)
    same_outcome(power_into_empty_slice, a, b, np.zeros(4, dtype))


@pytest.mark.parametrize("dtype", SIGNED + [np.float64], ids=dtype_id)
@pytest.mark.parametrize("size", [1, 5, 64])
def test_nonempty_wholes_are_unchanged(dtype, size):
    rng = np.random.default_rng(size)
    a = rng.integers(1, 4, size).astype(dtype)
    b = rng.integers(0, 3, size).astype(dtype)
    same_outcome(where_of_power_full, a, b, a)
    same_outcome(nested_power, a, b, a, a)
    b[size // 2] = -1
    same_outcome(where_of_power_full, a, b, a)  # raises for int, a float for float64


def test_float_powers_do_not_raise_in_empty_wholes():
    a = np.array([0.0])
    b = np.array([-1.0])
    same_outcome(where_of_power, a, b, a)
    same_outcome(product_with_empty, a, b, np.zeros(0))
