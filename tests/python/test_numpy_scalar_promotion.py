"""NumPy scalars promote with arrays by their own dtype, Python numbers by the
array's (NEP 50, NumPy 2): x.sum() * float32_array is float64, 2.5 *
float32_array is float32. A value is a NumPy scalar when it comes from an
array (a[i], `for v in a`), from a NumPy function or array method (x.sum(),
np.dot, np.float64(v)), or is computed from one (hir::Expr::numpy_scalar);
a local assigned one anywhere is one. Compared with the same functions run
by NumPy (.py_func), dtype and values."""
import numpy as np
import pytest

import numjit
from numjit.errors import TypingError


@numjit.njit
def sum_times(x, y):
    return x.sum() * y


@numjit.njit
def element_times(x, y):
    return x[0] * y


@numjit.njit
def dot_times(x, y):
    return np.dot(x, x) * y


@numjit.njit
def constructed_times(y):
    return np.float64(0.1) * y


@numjit.njit
def python_number_times(y):
    return 0.1 * y


@numjit.njit
def accumulated_times(x, y):
    s = 0.0
    for v in x:
        s += v
    return s * y


@numjit.njit
def local_from_element_plus(x, y):
    t = x[1]
    u = t * 2.0 + 1.0
    return y + u


@numjit.njit
def ufunc_by_name(x, y):
    return np.add(x.max(), y)


@numjit.njit
def equal_to_sum(x, y):
    return y == x.sum()


@numjit.njit
def in_place(x, y):
    y += x.sum()
    return y


@numjit.njit
def python_float_times(x, y):
    return float(x[0]) * y  # float() makes a Python number


@numjit.njit
def len_times(x, y):
    return len(x) * y


FLOAT_CASES = [sum_times, element_times, dot_times, accumulated_times, local_from_element_plus, ufunc_by_name,
               python_float_times, len_times]
# Arithmetic between scalars follows Numba's rules (np.float32 + 0.5 is
# float64), where NumPy 2 keeps float32: these two compute a scalar first.
SCALAR_ARITHMETIC_FIRST = (accumulated_times, local_from_element_plus)


def same(got, want):
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("compiled", FLOAT_CASES)
@pytest.mark.parametrize("scalar_dtype", [np.float64, np.float32, np.int64, np.int16])
@pytest.mark.parametrize("array_dtype", [np.float32, np.int8, np.float64])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_numpy_scalars_keep_their_dtype(compiled, scalar_dtype, array_dtype, layout):
    if compiled in SCALAR_ARITHMETIC_FIRST and scalar_dtype in (np.float32, np.int16):
        return  # (see SCALAR_ARITHMETIC_FIRST)
    x = np.array([0.1, 0.2, 0.3, 0.7]).astype(scalar_dtype)
    y = (np.arange(6) % 3 + 1).astype(array_dtype)
    y = y if layout == "C" else np.repeat(y, 2)[::2]
    same(compiled(x, y), compiled.py_func(x, y))


@pytest.mark.parametrize("array_dtype", [np.float32, np.float64, np.int8, np.uint16])
def test_constructed_and_python_numbers(array_dtype):
    y = np.arange(1, 5).astype(array_dtype)
    same(constructed_times(y), constructed_times.py_func(y))
    same(python_number_times(y), python_number_times.py_func(y))


def test_integers_do_not_wrap_in_the_array_dtype():
    x = np.array([300, 7], dtype=np.int64)
    y = np.array([100, 120], dtype=np.int8)
    same(element_times(x, y), element_times.py_func(x, y))  # int64: 30000, 36000
    same(sum_times(x, y), sum_times.py_func(x, y))


def test_comparisons_compare_in_the_scalar_dtype():
    x = np.array([0.1000000005])
    y = np.array([0.1, 0.5], dtype=np.float32)
    np.testing.assert_array_equal(equal_to_sum(x, y), equal_to_sum.py_func(x, y))


def test_in_place_computes_in_float64_and_casts_back():
    x = np.array([1.0 / 3.0, 1e-9])
    for dtype in (np.float32, np.float64):
        y = np.linspace(0, 1, 7).astype(dtype)
        same(in_place(x, y.copy()), in_place.py_func(x, y.copy()))


def test_in_place_refuses_what_numpy_refuses():
    x = np.array([1, 2], dtype=np.int64)
    y = np.zeros(3, np.uint8)
    with pytest.raises(TypeError):  # NumPy's UFuncTypeError: int64 into uint8 is not 'same_kind'
        in_place.py_func(x, y.copy())
    with pytest.raises(TypingError):
        in_place(x, y.copy())


@numjit.njit
def random_draw_times(y):
    np.random.seed(3)
    return np.random.random() * y  # a Python float in NumPy


@numjit.njit
def ndim_times(x, y):
    return np.ndim(x) * y  # a Python int


def test_python_numbers_from_numpy_functions_stay_weak():
    y = np.arange(1, 4, dtype=np.float32)
    same(random_draw_times(y), random_draw_times.py_func(y))
    z = np.arange(1, 4, dtype=np.int8)
    same(ndim_times(np.zeros((2, 2)), z), ndim_times.py_func(np.zeros((2, 2)), z))


@numjit.njit
def in_place_on_containers(x):
    items = [1.0]
    items += [x[0]]  # becomes items.extend(...): no target is left to mark
    seen = {1}
    seen |= {2}
    total = 0.0
    total += x[1]  # a NumPy scalar: total is one from here on
    return items, len(seen), total * np.ones(2, np.float32)


def test_in_place_operators_on_containers_and_locals():
    x = np.array([0.5, 0.25])
    got, want = in_place_on_containers(x), in_place_on_containers.py_func(x)
    assert got[0] == want[0] and got[1] == want[1]
    same(got[2], want[2])


@numjit.njit
def library_reduction_plus(a):
    total = np.add.reduce(a.ravel())  # the library's Python implementation of a NumPy name
    return a + total, np.maximum.reduce(a) * np.ones(2, np.int8)


@numjit.njit
def library_method_plus(a, y):
    return a.argmax(axis=0)[0] * y  # a.argmax(axis=) goes to the library too; [0] is an element


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32])
def test_numpy_names_written_in_the_library_give_numpy_scalars(dtype):
    a = np.array([250, 3, 7], dtype=dtype)
    for got, want in zip(library_reduction_plus(a), library_reduction_plus.py_func(a)):
        same(got, want)
    m = np.array([[1, 5], [4, 2]], dtype=dtype)
    y = np.arange(3, dtype=np.int8)
    same(library_method_plus(m, y), library_method_plus.py_func(m, y))


# Scalars of NumPy functions the library writes in Python (@implements) are
# NumPy scalars too: np.nanmedian(ints) * complex64_array is complex128.
def nanmedian_times(a, y):
    return np.nanmedian(a) * y


def nanpercentile_times(a, y):
    return np.nanpercentile(a, 30.0) * y


def nanquantile_times(a, y):
    return np.nanquantile(a, 0.25) * y


def percentile_times(a, y):
    return np.percentile(a, 70.0) * y


def ptp_times(a, y):
    return np.ptp(a) * y


def det_times(a, y):
    return np.linalg.det(np.outer(a[:2], a[:2]) + np.eye(2)) * y


def trapezoid_times(a, y):
    return np.trapezoid(a) * y


def vdot_times(a, y):
    return np.vdot(a, a) * y


def count_nonzero_times(a, y):
    return np.count_nonzero(a) * y


LIBRARY_SCALAR_CASES = [nanmedian_times, nanpercentile_times, nanquantile_times, percentile_times, ptp_times,
                        det_times, trapezoid_times, vdot_times, count_nonzero_times]


@pytest.mark.parametrize("python", LIBRARY_SCALAR_CASES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("scalar_dtype", [np.int64, np.float64, np.int16])
@pytest.mark.parametrize("array_dtype", [np.complex64, np.float32, np.int8])
def test_library_functions_give_numpy_scalars(python, scalar_dtype, array_dtype):
    a = np.array([3, 1, 4, 1, 5]).astype(scalar_dtype)
    y = (np.arange(4) + 1).astype(array_dtype)
    got, want = numjit.njit(python)(a, y), python(a, y)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=1e-6)


def where_scalar_branches(a, x):
    s = a.sum()  # a NumPy scalar of a's dtype (strong), beside Python numbers (weak)
    return np.where(a.real > 1, 100, s), np.where(a.real > 1, s, 0.5), np.where(a.real > 1, x, s)


@pytest.mark.parametrize("dtype", [np.complex64, np.float32, np.int8, np.uint16, np.float64, np.int64])
def test_python_numbers_in_ufunc_calls_yield_to_numpy_scalars(dtype):
    a = (np.arange(6) % 3).astype(dtype).reshape(2, 3)
    for got, want in zip(numjit.njit(where_scalar_branches)(a, 2), where_scalar_branches(a, 2)):
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
        np.testing.assert_allclose(got, want, rtol=1e-6)
