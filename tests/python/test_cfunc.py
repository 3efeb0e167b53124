"""@cfunc: the function compiled for its signature with a C entry point.
Calls through the entry's address (ctypes, SciPy's LowLevelCallable) are
compared with the function run as plain Python (.py_func)."""
import ctypes
import sys

import numpy as np
import pytest
import scipy.integrate
from scipy import LowLevelCallable

import numjit
from numjit import carray, cfunc, farray, types
from numjit.errors import TypingError, UnsupportedError

CTYPES = {"int8": ctypes.c_int8, "int16": ctypes.c_int16, "int32": ctypes.c_int32, "int64": ctypes.c_int64,
          "uint8": ctypes.c_uint8, "uint32": ctypes.c_uint32, "uint64": ctypes.c_uint64,
          "float32": ctypes.c_float, "float64": ctypes.c_double}


def affine(x, y):
    return x * 3 + y


@pytest.mark.parametrize("name", sorted(CTYPES))
def test_numbers_through_the_address(name):
    dtype = getattr(types, name)
    compiled = cfunc(dtype(dtype, dtype))(affine)
    c_type = CTYPES[name]
    through_address = ctypes.CFUNCTYPE(c_type, c_type, c_type)(compiled.address)
    for x, y in [(1, 2), (5, 0), (7, 3)]:
        expected = np.array(affine(np.array(x, dtype=name), np.array(y, dtype=name))).astype(name).item()
        assert through_address(x, y) == pytest.approx(expected, rel=1e-6)
        assert compiled.ctypes(x, y) == pytest.approx(expected, rel=1e-6)
        assert compiled(np.dtype(name).type(x), np.dtype(name).type(y)) == pytest.approx(expected, rel=1e-6)


def test_result_converted_to_the_declared_type():
    @cfunc("float64(int64)")
    def half(n):
        return n // 2

    @cfunc("int32(float64)")
    def truncate(x):
        return x

    assert half.ctypes(7) == 3.0 and isinstance(half.ctypes(7), float)
    assert truncate.ctypes(7.9) == 7


def test_bool_and_void_signatures():
    @cfunc("boolean(float64, boolean)")
    def positive_or(x, flag):
        return x > 0 or flag

    @cfunc(types.void(types.int64))
    def nothing(n):
        total = 0
        for i in range(n):
            total += i

    for x in (-1.0, 0.0, 2.0):
        for flag in (False, True):
            assert positive_or.ctypes(x, flag) is positive_or._pyfunc(x, flag)
    assert nothing.ctypes(5) is None


def test_scipy_low_level_callable():
    @cfunc("float64(float64)")
    def integrand(x):
        return np.exp(-x * x) * np.cos(x)

    got, _ = scipy.integrate.quad(LowLevelCallable(integrand.ctypes), 0.0, 5.0)
    expected, _ = scipy.integrate.quad(integrand._pyfunc, 0.0, 5.0)
    assert got == pytest.approx(expected, rel=1e-12)


def test_exceptions_are_reported_as_unraisable(monkeypatch):
    @cfunc("float64(float64)")
    def checked_sqrt(x):
        if x < 0:
            raise ValueError("negative input")
        return np.sqrt(x)

    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: seen.append(info))
    assert checked_sqrt.ctypes(4.0) == 2.0
    assert checked_sqrt.ctypes(-1.0) == 0.0  # the C caller gets zero
    assert len(seen) == 1
    assert isinstance(seen[0].exc_value, ValueError) and str(seen[0].exc_value) == "negative input"
    assert "checked_sqrt" in repr(seen[0].object)
    with pytest.raises(ValueError, match="negative input"):  # called from Python, it raises as usual
        checked_sqrt(-1.0)


def test_numba_attributes():
    @cfunc("float64(float64)")
    def double(x):
        return 2 * x

    assert isinstance(double.address, int) and double.address != 0
    assert double.__name__ == "double" and double.__wrapped__(2.0) == 4.0
    assert "define" in double.inspect_llvm()
    with pytest.raises(UnsupportedError, match="cffi"):
        double.cffi


def test_bad_signatures():
    with pytest.raises(TypeError, match="result type"):
        cfunc("(float64)")(affine)
    with pytest.raises(UnsupportedError, match="must be a number, a bool or a pointer"):

        @cfunc("float64(float64[:])")
        def total(a):
            return a.sum()

    with pytest.raises(UnsupportedError, match="must be a number, a bool or a pointer") as info:

        @cfunc("float64(complex128)")
        def modulus(z):
            return abs(z)

    assert "test_cfunc.py" in str(info.value)

    with pytest.raises(TypingError, match="returns nothing"):

        @cfunc("float64(float64)")
        def forgets_to_return(x):
            x + 1


# ---- pointers: CPointer(T), voidptr, and carray/farray over them -------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64])
def test_pointer_arguments_read_and_written(dtype):
    t = getattr(types, np.dtype(dtype).name)

    @cfunc(types.float64(types.CPointer(t), types.intp))
    def scale_and_sum(p, n):
        a = carray(p, n)
        total = 0.0
        for i in range(n):
            p[i] = p[i] * 2  # through the pointer itself
            total += a[i]
        return total

    values = np.arange(1, 7).astype(dtype)
    expected = (values * 2).sum()
    pointer = values.ctypes.data_as(ctypes.POINTER(CTYPES[np.dtype(dtype).name]))
    assert scale_and_sum.ctypes(pointer, values.size) == pytest.approx(expected)
    np.testing.assert_array_equal(values, np.arange(1, 7).astype(dtype) * 2)
    expected = (values[:3] * 2).sum()
    assert scale_and_sum(pointer, 3) == pytest.approx(expected)  # called from Python: through ctypes


@pytest.mark.parametrize("order", ["C", "F"])
def test_two_dimensional_views(order):
    view = carray if order == "C" else farray

    @cfunc("void(CPointer(float64), intp, intp)")
    def fill(p, rows, cols):
        a = view(p, (rows, cols))
        for i in range(rows):
            for j in range(cols):
                a[i, j] = i * 10 + j

    buffer = np.zeros((3, 4), order=order)
    fill.ctypes(buffer.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), 3, 4)
    np.testing.assert_array_equal(buffer, np.add.outer(np.arange(3) * 10, np.arange(4)))


def test_voidptr_with_a_dtype():
    @cfunc("float64(voidptr, int64)")
    def total(p, n):
        return carray(p, n, np.float64).sum()

    values = np.linspace(0.0, 1.0, 11)
    assert total.ctypes(values.ctypes.data, values.size) == pytest.approx(values.sum(), rel=1e-14)

    with pytest.raises(TypingError, match="needs its dtype"):

        @cfunc("float64(voidptr, int64)")
        def untyped(p, n):
            return carray(p, n).sum()


def test_scipy_nquad_with_a_pointer_signature():
    @cfunc(types.float64(types.intc, types.CPointer(types.float64)))
    def integrand(n, xx):
        x = carray(xx, n)
        return np.exp(-x[0]) * x[1] ** 2 + xx[2]

    got, _ = scipy.integrate.nquad(LowLevelCallable(integrand.ctypes), [[0, 1], [0, 2]], args=(0.5,))
    assert got == pytest.approx((1 - np.exp(-1)) * 8 / 3 + 0.5 * 2, rel=1e-10)
