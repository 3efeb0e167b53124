"""An exception raised in a @vectorize or @guvectorize kernel reaches the
ufunc's caller as that exception (it once left the loop silently, and the
output held whatever the loop had not written). Eager and lazy ufuncs,
target='cpu' and 'parallel' (whose chunks run on pool threads), contiguous,
strided and broadcast operands, several sizes and dtypes, reduce and
accumulate; the ufunc works again after a failure; each compared with the
kernel run as plain Python."""
import numpy as np
import pytest

import numjit
from numjit import guvectorize, vectorize

SIZES = [1, 7, 8, 100, 50_000]  # around the lane blocks (8) and the parallel threshold (2**14)


def checked_double(v):
    if v < 0:
        raise ValueError("negative input", 3)
    return v * 2


KERNELS = {
    "eager-cpu": vectorize(["float64(float64)", "float32(float32)", "int64(int64)"])(checked_double),
    "eager-parallel": vectorize(["float64(float64)", "float32(float32)", "int64(int64)"],
                                target="parallel")(checked_double),
    "lazy-cpu": vectorize(checked_double),
    "lazy-parallel": vectorize(target="parallel")(checked_double),
}


def python_result(x):
    """The kernel as plain Python, element by element: its result or its exception."""
    try:
        return np.array([checked_double(v) for v in x.ravel()], x.dtype).reshape(x.shape), None
    except ValueError as exc:
        return None, exc


def operand(kind, n, dtype, bad_at):
    base = np.arange(2 * n, dtype=dtype)
    if bad_at is not None:
        base[2 * bad_at] = -1
    if kind == "contiguous":
        return np.ascontiguousarray(base[::2])
    if kind == "strided":
        return base[::2]
    return np.broadcast_to(base[2 * bad_at if bad_at is not None else 0], (n,))  # every element the same


@pytest.mark.parametrize("name", sorted(KERNELS))
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("kind", ["contiguous", "strided", "broadcast"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_a_raising_kernel_raises_from_the_ufunc(name, n, kind, dtype):
    ufunc = KERNELS[name]
    x = operand(kind, n, dtype, bad_at=n // 2)
    expected, error = python_result(x)
    assert error is not None
    with pytest.raises(ValueError) as info:
        ufunc(x)
    assert info.value.args == error.args
    # Nothing is left pending: the next call, on good data, is whole.
    good = operand(kind, n, dtype, bad_at=None)
    np.testing.assert_array_equal(ufunc(good), python_result(good)[0])


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_the_error_reaches_an_out_argument_call(name):
    x = np.arange(20_000.0)
    x[-1] = -5.0
    out = np.zeros_like(x)
    with pytest.raises(ValueError, match="negative input"):
        KERNELS[name](x, out=out)


@vectorize(["int64(int64, int64)"])
def add_below_seven(a, b):
    if b == 7:
        raise OverflowError("seven")
    return a + b


@pytest.mark.parametrize("values, fails", [([1, 2, 7, 3], True), ([1, 2, 3], False), ([7], False)])
def test_reduce_and_accumulate_raise_too(values, fails):
    a = np.array(values, np.int64)
    if not fails:  # a single element is returned as it is: the kernel never runs
        assert add_below_seven.reduce(a) == sum(values)
        np.testing.assert_array_equal(add_below_seven.accumulate(a), np.cumsum(values))
        return
    with pytest.raises(OverflowError, match="seven"):
        add_below_seven.reduce(a)
    with pytest.raises(OverflowError, match="seven"):
        add_below_seven.accumulate(a)


@guvectorize(["void(float64[:], float64[:])", "void(int64[:], int64[:])"], "(n)->(n)")
def checked_copy(x, out):
    for i in range(x.shape[0]):
        if x[i] < 0:
            raise ValueError("negative entry")
        out[i] = x[i]


@pytest.mark.parametrize("shape", [(5,), (3, 4), (200, 50)])
@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_a_raising_gufunc_raises(shape, dtype):
    x = np.arange(np.prod(shape), dtype=dtype).reshape(shape)
    x.ravel()[x.size // 2] = -1
    with pytest.raises(ValueError, match="negative entry"):
        checked_copy(x)
    np.testing.assert_array_equal(checked_copy(np.abs(x)), np.abs(x))


def test_called_from_njit_code_the_exception_propagates():
    ufunc = KERNELS["eager-cpu"]

    @numjit.njit
    def apply(x):
        return ufunc(x)

    with pytest.raises(ValueError, match="negative input"):
        apply(np.array([1.0, -2.0]))
    np.testing.assert_array_equal(apply(np.array([1.0, 2.0])), [2.0, 4.0])
