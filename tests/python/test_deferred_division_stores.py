"""A loop that fills the function's own new array may defer its
ZeroDivisionError checks to the loop's end (and so vectorize): if a divisor
is zero the function raises, and the half-filled array is never seen. An
array the caller can see (an argument, one put in the caller's list, a
second name for it) keeps the check at the faulty element, so what was
written before it, and only that, is there after the exception."""
import numpy as np
import pytest

from conftest import dtype_id, laid_out
from numjit import njit, typed, types

DTYPES = [np.float64, np.float32, np.int64, np.int32]
SIZES = [0, 1, 7, 64, 1000]


@njit
def ratios(a, b):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]
    return out


@njit
def scaled_pairs(a, b):
    # Two new arrays, one filled through an if, returned as a tuple.
    low = np.zeros(a.shape[0])
    high = np.zeros_like(low)
    for i in range(a.shape[0]):
        r = (a[i] + 1.0) / b[i]
        if r < 1.0:
            low[i] = r
        else:
            high[i] = 1.0 / r if r != 0 else 0.0
    return low, high


@njit
def table(a, b):
    n = a.shape[0]
    out = np.empty((n, 3))
    for i in range(n):
        for j in range(3):
            out[i, j] = a[i] * (j + 1) / b[i]
    return out


@njit
def ratios_into(out, a, b):
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]


@njit
def ratios_kept(a, b, keep):
    out = np.zeros(a.shape[0])
    keep.append(out)  # the caller sees it
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]
    return out


@njit
def ratios_through_a_second_name(a, b, keep):
    out = np.zeros(a.shape[0])
    seen = out
    keep.append(seen)
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]
    return out


def operands(n, dtype, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        a = rng.uniform(-5, 5, n).astype(dtype)
        b = rng.uniform(0.5, 3, n).astype(dtype) * rng.choice([-1, 1], n).astype(dtype)
    else:
        a = rng.integers(-50, 50, n).astype(dtype)
        b = rng.integers(1, 9, n).astype(dtype) * rng.choice([-1, 1], n).astype(dtype)
    return a, b


@pytest.mark.parametrize("kind", ["C", "strided", "reversed"])
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_filled_arrays_equal_python(dtype, n, kind):
    a, b = (laid_out(x, kind) for x in operands(n, dtype, n))
    # float32 with a Python float: float64 in compiled code (as in Numba), float32 in NumPy 2.
    rtol = 1e-6 if dtype == np.float32 else 1e-15
    np.testing.assert_allclose(ratios(a, b), ratios.py_func(a, b), rtol=rtol)
    for got, expected in zip(scaled_pairs(a, b), scaled_pairs.py_func(a, b)):
        np.testing.assert_allclose(got, expected, rtol=rtol)
    np.testing.assert_allclose(table(a, b), table.py_func(a, b), rtol=rtol)


@pytest.mark.parametrize("where", [0, 3, -1])
@pytest.mark.parametrize("f", [ratios, scaled_pairs, table], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_a_zero_divisor_raises(dtype, f, where):
    a, b = operands(300, dtype, 7)
    b[where] = 0
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        f(a, b)


def expected_prefix(a, b, zero_at, fill):
    out = np.full(a.shape[0], fill)
    out[:zero_at] = a[:zero_at] / b[:zero_at]
    return out


@pytest.mark.parametrize("zero_at", [0, 5, 299])
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_an_argument_array_holds_what_came_before_the_faulty_element(dtype, zero_at):
    a, b = operands(300, dtype, zero_at)
    b[zero_at] = 0
    out = np.full(300, -7.0)
    with pytest.raises(ZeroDivisionError):
        ratios_into(out, a, b)
    np.testing.assert_allclose(out, expected_prefix(a, b, zero_at, -7.0), rtol=1e-15)


@pytest.mark.parametrize("f", [ratios_kept, ratios_through_a_second_name], ids=lambda f: f.__name__)
@pytest.mark.parametrize("zero_at", [0, 5, 299])
def test_a_new_array_the_caller_can_see_holds_what_came_before(f, zero_at):
    a, b = operands(300, np.float64, zero_at)
    b[zero_at] = 0
    keep = typed.List.empty_list(types.float64[::1])
    with pytest.raises(ZeroDivisionError):
        f(a, b, keep)
    assert len(keep) == 1
    np.testing.assert_allclose(keep[0], expected_prefix(a, b, zero_at, 0.0), rtol=1e-15)


def test_the_fill_loop_divides_in_vectors():
    a, b = operands(64, np.float64, 1)
    ratios(a, b)
    ir = "\n".join(ratios.inspect_llvm().values())
    assert "fdiv <" in ir, "the loop over the new array was not vectorized"
