"""A dtype returned from compiled code reaches Python as the np.dtype it
names (abi::ReturnCode::DType), as Numba boxes its DType values: alone, in a
tuple, from arrays of every dtype and layout, from array results and from
np.dtype(...) made in compiled code."""
import numpy as np
import pytest

import numjit

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128, "datetime64[ns]", "timedelta64[s]"]


@numjit.njit
def dtype_of(a):
    return a.dtype


@numjit.njit
def dtype_and_size(a):
    return a.dtype, a.size


@numjit.njit
def dtype_of_a_result(a):
    return (a * 2).dtype


@numjit.njit
def named_dtype():
    return np.dtype("float32"), np.dtype(np.int16)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_the_dtype_of_an_array(dtype, layout):
    a = np.zeros((4, 6), dtype=dtype)
    a = {"C": a, "F": np.asfortranarray(a), "strided": a[::2, ::3]}[layout]
    got = dtype_of(a)
    assert isinstance(got, np.dtype)
    assert got == a.dtype == dtype_of.py_func(a)
    assert dtype_and_size(a) == dtype_and_size.py_func(a)


@pytest.mark.parametrize("dtype", [np.int8, np.uint32, np.float32, np.complex128])
def test_the_dtype_of_computed_values(dtype):
    a = np.arange(5).astype(dtype)
    assert dtype_of_a_result(a) == dtype_of_a_result.py_func(a)
    assert dtype_of(a[:0]) == a.dtype


def test_dtypes_named_in_compiled_code():
    assert named_dtype() == named_dtype.py_func()
    assert all(isinstance(d, np.dtype) for d in named_dtype())
