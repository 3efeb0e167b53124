"""Patterns that real Numba code uses (found running stumpy's own suite on
numjit), each compared with the same function run as Python: a name that
changes type between assignments, a range kept in a variable, and rows of an
N-D array selected (and assigned) through a 1-D boolean mask."""
import numpy as np
import pytest

import numjit
from numjit import njit

from conftest import check


# ---- a name that changes type -----------------------------------------------------

@njit
def _reversed_first_plane(I):
    I = I[0, :, ::-1]  # a 3-D array, then a 2-D view of it
    total = I.sum()
    I = total * 0.5   # then a number
    return I


@njit
def _parameter_rebound(x, n):
    x = x * 1.5  # an int parameter becomes a float
    for i in range(n):
        x = x + i  # assignments in a loop stay with the float version
    label = 3
    label = np.arange(label)
    return x, label


@njit
def _read_before_rebinding(a):
    b = a.sum()
    a = a.reshape(-1)[:2]  # the old a is read on the right
    return b, a


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64])
def test_a_name_may_change_type_between_assignments(dtype):
    cube = np.arange(24, dtype=dtype).reshape(2, 3, 4)
    check(_reversed_first_plane, cube)
    check(_parameter_rebound, 2, 5)
    check(_read_before_rebinding, cube)


@njit
def _merged_types(flag):
    x = 1
    if flag:
        x = "text"
    return x


def test_two_types_meeting_after_a_branch_are_still_refused():
    with pytest.raises(numjit.errors.TypingError, match="x"):
        _merged_types(True)


# ---- a range in a variable -----------------------------------------------------------

@njit
def _diagonal_sum(n, g):
    total = 0
    if g >= 0:
        iter_range = range(0, n - g)
    else:
        iter_range = range(-g, n)
    for i in iter_range:
        total += i * 3 + g
    return total + len(iter_range)


@njit
def _stepped(n, step):
    r = range(n, -1, step)
    out = 0
    for i in r:
        out = out * 7 + i
    q = range(4)
    for j in q:
        out += j
    return out, len(r), len(q)


@pytest.mark.parametrize("n,g", [(10, 3), (10, -4), (0, 0), (5, 9), (7, -7)])
def test_a_range_may_be_kept_in_a_variable(n, g):
    check(_diagonal_sum, n, g)


@pytest.mark.parametrize("n,step", [(9, -2), (9, -1), (0, -3), (5, 1)])
def test_a_stepped_range_in_a_variable(n, step):
    check(_stepped, n, step)


@njit
def _range_indexed(n):
    r = range(n)
    return r[1]


def test_other_uses_of_a_range_variable_stay_refused_with_a_location():
    with pytest.raises(numjit.errors.UnsupportedError, match="range"):
        _range_indexed(3)


# ---- rows through a 1-D boolean mask --------------------------------------------------

@njit
def _distinct_rows(ranges):
    return ranges[ranges[:, 0] != ranges[:, 1]]


@njit
def _rows(a, mask):
    return a[mask]


@njit
def _zero_rows(a, mask):
    a[mask] = 0
    return a


@njit
def _set_rows(a, mask, row):
    a[mask] = row  # (a[mask] += row into rows is refused, as for integer index arrays)
    return a


def _layouts(a):
    return {"C": a, "F": np.asfortranarray(a), "strided": a[:, ::2] if a.ndim == 2 else a[:, :, ::2]}


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float64, np.complex128])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_a_1d_mask_selects_rows(dtype, layout):
    base = (np.arange(40) % 7).reshape(8, 5).astype(dtype)
    a = _layouts(base)[layout]
    mask = np.array([True, False, True, True, False, False, True, False])
    check(_rows, a, mask)
    check(_rows, a, np.zeros(8, np.bool_))
    check(_distinct_rows, np.ascontiguousarray(a[:, :2]))
    cube = np.arange(48).reshape(8, 3, 2).astype(dtype)
    check(_rows, cube, mask)


@pytest.mark.parametrize("dtype", [np.int64, np.float64])
def test_a_1d_mask_assigns_rows(dtype):
    a = np.arange(15).reshape(5, 3).astype(dtype)
    mask = np.array([False, True, True, False, True])
    np.testing.assert_array_equal(_zero_rows(a.copy(), mask), _zero_rows.py_func(a.copy(), mask))
    row = np.array([1, 2, 3], dtype=dtype)
    np.testing.assert_array_equal(_set_rows(a.copy(), mask, row), _set_rows.py_func(a.copy(), mask, row))


@pytest.mark.parametrize("length", [3, 6])
def test_a_mask_of_the_wrong_length_raises_index_error(length):
    a = np.zeros((5, 2))
    mask = np.ones(length, np.bool_)
    with pytest.raises(IndexError):
        _rows.py_func(a, mask)
    with pytest.raises(IndexError):
        _rows(a, mask)
    with pytest.raises(IndexError):
        _zero_rows(a, mask)


# ---- dtype attributes and rows from lists (numbagg) ------------------------------------

@njit
def _dtype_facts(a):
    zero = a.dtype.type(0)
    for v in a:
        zero += v
    if a.dtype.kind == "f":  # decided while compiling
        scale = 0.5
    else:
        scale = 2.0
    return zero * scale, a.dtype.itemsize, a.dtype.name, a.dtype.char, a.dtype.kind


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int64, np.float32, np.float64, np.complex64])
def test_dtype_attributes(dtype):
    a = np.ones(4, dtype)
    got, want = _dtype_facts(a), _dtype_facts.py_func(a)
    assert got[1:] == tuple(want[1:])
    np.testing.assert_allclose(got[0], want[0], rtol=1e-6)


@njit
def _bool_dtype_facts(a):
    return a.dtype.itemsize, a.dtype.name, a.dtype.char, a.dtype.kind, a.dtype.type(1)


def test_bool_dtype_attributes():
    # (Summing np.bool_ scalars differs on purpose: numjit adds them as Numba
    # does, as Python's bools, where NumPy's scalars would `or` them.)
    a = np.ones(2, np.bool_)
    assert _bool_dtype_facts(a) == _bool_dtype_facts.py_func(a)


@njit
def _pairs(n):
    out = np.zeros((n, 2), np.int32)
    for i in range(n):
        out[i] = [i, i * i]
    return out


@pytest.mark.parametrize("n", [0, 1, 5])
def test_a_list_of_numbers_stores_into_an_array_row(n):
    check(_pairs, n)


# ---- gufunc calls as NumPy's: out=, axis=, axes= --------------------------------------

@numjit.guvectorize(["void(float32[:], float32[:])", "void(float64[:], float64[:])"], "(n)->(n)")
def _running_sum(x, out):
    total = 0.0
    for i in range(x.shape[0]):
        total += x[i]
        out[i] = total


@numjit.guvectorize(["void(float32[:], int32, float32[:])", "void(float64[:], int64, float64[:])"], "(n),()->(n)")
def _scaled(x, k, out):
    for i in range(x.shape[0]):
        out[i] = x[i] * k / 0.0 if k == 0 else x[i] * k


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
def test_gufunc_axis_moves_the_core_dimension(axis):
    a = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(_running_sum(a, axis=axis), np.cumsum(a, axis=axis))
    np.testing.assert_array_equal(_running_sum(a, axes=[(axis,), (axis,)]), np.cumsum(a, axis=axis))
    out = np.empty_like(a)
    assert _running_sum(a, out=out, axis=axis) is None
    np.testing.assert_array_equal(out, np.cumsum(a, axis=axis))
    with pytest.raises(TypeError):
        _running_sum(a, axis=axis, axes=[(axis,), (axis,)])


def test_gufunc_python_numbers_are_weak_and_division_by_zero_is_numpys():
    x = np.arange(1.0, 4.0, dtype=np.float32)
    got = _scaled(x, 2)  # a Python int fits int32: the float32 loop, as NumPy picks it
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, x * 2)
    np.testing.assert_array_equal(_scaled(x, 0), np.full(3, np.nan, np.float32))  # 0 / 0.0: nan, no error


# ---- defaults Python computed, LAPACK through .ctypes, docstrings (quantecon) ------------

@njit
def _with_computed_defaults(x, bounds=np.array([[], []]).T, shape=(2, 3), k=2):
    return x + bounds.shape[0] * 10 + bounds.shape[1] + shape[0] * shape[1] * k


@njit
def _calls_with_defaults(x):
    return _with_computed_defaults(x), _with_computed_defaults(x, np.zeros((3, 2))), _with_computed_defaults(x, k=5)


def test_defaults_are_the_values_python_computed():
    check(_with_computed_defaults, 1.0)
    check(_calls_with_defaults, 1.5)


@njit
def _lapack_solve(a, b):
    # quantecon's pattern: numba.np.linalg._LAPACK's gesv on .ctypes, data in Fortran order.
    solve = _XGESV  # a function and a dtype class kept in variables, as quantecon writes them
    int_type = np.int32
    ipiv = np.empty(a.shape[0], dtype=int_type)
    info = solve(ord("d"), a.shape[0], 1, a.ctypes, a.shape[0], ipiv.ctypes, b.ctypes, a.shape[0])
    return info, b


_XGESV = numjit.np.linalg._LAPACK().numba_xgesv(numjit.types.float64)


@pytest.mark.parametrize("n", [1, 3, 6])
def test_lapack_gesv_through_ctypes(n):
    rng = np.random.default_rng(n)
    a = np.asfortranarray(rng.standard_normal((n, n)) + n * np.eye(n))
    b = rng.standard_normal(n)
    info, x = _lapack_solve(a.copy(order="F"), b.copy())
    assert info == 0
    np.testing.assert_allclose(x, np.linalg.solve(a, b), rtol=1e-10)


def test_a_jitted_functions_docstring_can_be_set():
    @njit
    def documented(x):
        """Adds {what}."""
        return x + 1

    documented.__doc__ = documented.__doc__.format(what="one")
    assert documented.__doc__ == "Adds one." and documented(1) == 2


# ---- functions as arguments, *args in calls, messages in variables (quantecon) ----------

@njit
def _square(x):
    return x * x


@njit
def _cube(x):
    return x * x * x


@njit
def _descend(fun, x0, steps):
    x = x0
    for _ in range(steps):
        x = x - 0.1 * fun(x)
    return x


@njit
def _minimize(fun, x0, steps=10):
    return _descend(fun, x0, steps)  # passed on from compiled code


@njit
def _compose(f, g, x):
    return f(g(x)), g(f(x))


@pytest.mark.parametrize("fun", [_square, _cube], ids=["square", "cube"])
@pytest.mark.parametrize("x0", [0.5, 1.0, -0.25])
def test_jitted_functions_as_arguments(fun, x0):
    assert _minimize(fun, x0) == _minimize.py_func(fun, x0)
    assert _minimize(fun, x0, 3) == _minimize.py_func(fun, x0, 3)
    assert _compose(_square, fun, x0) == _compose.py_func(_square, fun, x0)


@njit
def _affine(x, a, b):
    return x * a + b


@njit
def _spread(x, args=(2.0, 3.0)):
    return _affine(x, *args)


@njit
def _spread_varargs(x, *rest):
    return _affine(x, *rest), len(rest)


def test_star_arguments_spread_a_tuple():
    check(_spread, 1.5)
    check(_spread, 1.5, (4, -1))
    check(_spread_varargs, 2.0, 3.0, 4.0)


@njit
def _converged(x):
    message = "Failed to converge"
    if x > 1.0:
        raise RuntimeError(message)
    return x


def test_an_exception_message_held_in_a_variable():
    assert _converged(0.5) == 0.5
    with pytest.raises(RuntimeError, match="Failed to converge"):
        _converged(2.0)


# ---- a.flags and np.dtype -------------------------------------------------------------

@njit
def _flags(a):
    return (a.flags.c_contiguous, a.flags.f_contiguous, a.flags.contiguous, a.flags.fortran, a.flags.writeable,
            a.flags.aligned)


def _flag_cases():
    a = np.arange(24.0).reshape(4, 6)
    read_only = a.copy()
    read_only.setflags(write=False)
    return {"C": a, "F": np.asfortranarray(a), "T": a.T, "strided": a[:, ::2], "one row": a[:1],
            "one column": a[:, :1], "empty": np.zeros((0, 3)), "1-D": a.ravel(), "1-D strided": a.ravel()[::3],
            "3-D": np.arange(24).reshape(2, 3, 4), "read-only": read_only, "int8": np.ones((3, 2), np.int8)}


@pytest.mark.parametrize("name", sorted(_flag_cases()))
def test_array_flags(name):
    a = _flag_cases()[name]
    assert _flags(a) == _flags.py_func(a)


@njit
def _dtypes_by_name(a):
    x = np.zeros(3, dtype=np.dtype("float32"))
    y = np.ones(2, np.dtype(a.dtype))
    return x, y, np.dtype(np.int16).itemsize


@njit
def _dtype_name():
    return np.dtype("i8").name


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128])
def test_np_dtype(dtype):
    check(_dtypes_by_name, np.ones(2, dtype))
    assert _dtype_name() == _dtype_name.py_func()
