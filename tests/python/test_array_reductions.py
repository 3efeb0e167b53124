"""Reductions in compiled code: np.sum/prod/min/max/mean/std/var/argmin/argmax/
any/all and the array methods of the same names, over 1-D and 2-D arrays of
several dtypes and layouts, along an axis, and over expressions."""
import numpy as np
import pytest

from numjit import njit

from conftest import LAYOUTS, check, dtype_id, make_array, random_floats

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_]
NAMES = ["sum", "prod", "min", "max", "mean", "std", "var", "argmin", "argmax", "any", "all"]


# One function per reduction and form, written out as user code would be.
@njit
def np_sum(a): return np.sum(a)
@njit
def np_prod(a): return np.prod(a)
@njit
def np_min(a): return np.min(a)
@njit
def np_max(a): return np.max(a)
@njit
def np_mean(a): return np.mean(a)
@njit
def np_std(a): return np.std(a)
@njit
def np_var(a): return np.var(a)
@njit
def np_argmin(a): return np.argmin(a)
@njit
def np_argmax(a): return np.argmax(a)
@njit
def np_any(a): return np.any(a)
@njit
def np_all(a): return np.all(a)
@njit
def m_sum(a): return a.sum()
@njit
def m_prod(a): return a.prod()
@njit
def m_min(a): return a.min()
@njit
def m_max(a): return a.max()
@njit
def m_mean(a): return a.mean()
@njit
def m_std(a): return a.std()
@njit
def m_var(a): return a.var()
@njit
def m_argmin(a): return a.argmin()
@njit
def m_argmax(a): return a.argmax()
@njit
def m_any(a): return a.any()
@njit
def m_all(a): return a.all()


FUNCS = {("np", name): globals()[f"np_{name}"] for name in NAMES}
FUNCS.update({("method", name): globals()[f"m_{name}"] for name in NAMES})

CASES = [((0,), "C"), ((1,), "C"), ((7,), "C"), ((7,), "strided"), ((1000,), "C"), ((1000,), "strided"),
         ((3, 5), "C"), ((3, 5), "F"), ((3, 5), "strided"), ((3, 5), "transposed"), ((40, 25), "F"),
         ((40, 25), "transposed"), ((0, 4), "C"), ((1, 1), "F")]


def relayout(c, layout):
    if layout == "C":
        return c
    if layout == "F":
        return np.asfortranarray(c)
    if layout == "strided":
        wide = np.zeros(c.shape[:-1] + (2 * c.shape[-1],), c.dtype)
        wide[..., ::2] = c
        return wide[..., ::2]
    return np.ascontiguousarray(c.T).T


def data(shape, dtype, layout, name, seed=0):
    """Values 1..7, shifted to -2..4 (zeros and negatives) where that keeps the
    result exact; products keep 1..7 and small arrays."""
    a = make_array(shape, dtype, "C", seed)
    if name != "prod" and np.dtype(dtype).kind in "ifc":
        a = a - np.asarray(3, dtype=dtype)
    return relayout(a, layout)


def reduction_cases():
    for form in ("np", "method"):
        for name in NAMES:
            for dtype in DTYPES:
                yield pytest.param(form, name, dtype, id=f"{form}-{name}-{dtype_id(dtype)}")


@pytest.mark.parametrize("form, name, dtype", list(reduction_cases()))
def test_whole_array_reductions(form, name, dtype):
    # Complex min/max/argmin/argmax order lexicographically in NumPy; Numba has
    # no complex argmin/argmax.
    f = FUNCS[form, name]
    for shape, layout in CASES:
        if name == "prod" and np.prod(shape) > 40:
            continue  # products of more values overflow
        if name in ("std", "var") and np.prod(shape) == 0:
            continue  # test_std_and_var_of_empty_arrays_are_nan
        a = data(shape, dtype, layout, name)
        check(f, a)  # an empty array's min/max/argmin/argmax raise ValueError, as in NumPy


@pytest.mark.parametrize("name", ["min", "max", "argmin", "argmax"])
def test_empty_min_and_max_raise_value_error(name):
    # NumPy: "zero-size array to reduction operation minimum which has no identity",
    # "attempt to get argmin of an empty sequence".
    for form in ("np", "method"):
        for a in (np.zeros(0), np.zeros((0, 3), dtype=np.int32), np.zeros(10)[5:5]):
            with pytest.raises(ValueError):
                FUNCS[form, name].py_func(a)
            with pytest.raises(ValueError):
                FUNCS[form, name](a)


@pytest.mark.parametrize("name", ["std", "var", "mean"])
def test_std_and_var_of_empty_arrays_are_nan(name):
    # NumPy returns nan (with a RuntimeWarning); Numba raises ZeroDivisionError.
    for a in (np.zeros(0), np.zeros((0, 3), dtype=np.int32), np.zeros(4, dtype=np.complex128)[:0]):
        check(FUNCS["np", name], a)
        check(FUNCS["method", name], a)


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-4), (np.float64, 1e-10)], ids=["float32", "float64"])
@pytest.mark.parametrize("n", [1, 7, 1000, 100_000])
def test_float_sums_with_tolerance(dtype, rtol, n):
    # NumPy sums pairwise; compiled code may add in another order.
    x = random_floats(n, dtype, low=0.0, high=1.0, seed=4)
    for name in ("sum", "mean", "std", "var"):
        check(FUNCS["np", name], x, rtol=rtol)
        check(FUNCS["method", name], x[::3], rtol=rtol)
    check(np_min, x)
    check(m_argmax, x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
def test_nan_propagates(dtype):
    a = make_array((9,), dtype).copy()
    a[4] = np.nan
    a[6] = np.nan
    for name in ("min", "max", "argmin", "argmax", "sum", "mean"):
        check(FUNCS["np", name], a)
        check(FUNCS["method", name], a)


# ---- along an axis ------------------------------------------------------------------------

@njit
def np_sum_axis0(a): return np.sum(a, axis=0)
@njit
def sum_axis1(a): return a.sum(axis=1)
@njit
def np_mean_axis0(a): return np.mean(a, axis=0)
@njit
def np_max_axis1(a): return np.max(a, axis=1)
@njit
def np_min_axis0(a): return np.min(a, axis=0)
@njit
def mean_axis1(a): return a.mean(axis=1)


AXIS_FUNCS = [np_sum_axis0, sum_axis1, np_mean_axis0, np_max_axis1, np_min_axis0, mean_axis1]


# Numba supports only sum (and argmin/argmax) along an axis: no mean, min or max.
@pytest.mark.parametrize("f", AXIS_FUNCS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_], ids=dtype_id)
def test_axis_reductions(f, dtype):
    for shape in ((3, 5), (1, 7), (7, 1), (40, 25)):
        for layout in LAYOUTS:
            check(f, data(shape, dtype, layout, "sum"))


@pytest.mark.parametrize("f", AXIS_FUNCS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(0, 4), (4, 0), (0, 0)])
def test_axis_reductions_of_empty_arrays(f, shape):
    # sum gives zeros; mean gives nan; max along an empty axis raises ValueError.
    check(f, np.zeros(shape))


# ---- reductions of expressions --------------------------------------------------------------

@njit
def dot_like(x, y):
    return np.sum(x * y)


@njit
def expression_reductions(x, y):
    return (np.max(np.abs(x - y)), (x > 0).sum(), np.mean(x ** 2), np.sqrt(np.sum(x * x)),
            np.argmin(x + y), np.all(x == x), np.any(x > y), (x - y).min(), np.prod(y[:5]))


@njit
def in_loop(a, k):
    total = 0.0
    for i in range(k):
        total += np.sum(a * i) + a.max() - np.mean(a)
    return total


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((1,), "C"), ((7,), "strided"), ((1000,), "C"), ((3, 5), "F"),
                                           ((40, 25), "transposed")])
def test_reductions_of_expressions(dtype, shape, layout):
    x = data(shape, dtype, layout, "sum", seed=1)
    y = make_array(shape, dtype, layout, seed=2)
    check(dot_like, x, y)
    check(expression_reductions, x, y)
    check(in_loop, x, 4)


def test_dot_like_of_empty_and_complex():
    check(dot_like, np.zeros(0), np.zeros(0))
    check(dot_like, make_array((9,), np.complex128), make_array((9,), np.complex128, seed=3))


# ---- result types ----------------------------------------------------------------------------

@njit
def scalar_types(a):
    # np.full takes the dtype of the value: this shows the type compiled code gave each result.
    return (np.full(1, np.sum(a)), np.full(1, a.prod()), np.full(1, np.min(a)), np.full(1, a.max()),
            np.full(1, np.mean(a)), np.full(1, a.std()), np.full(1, np.argmax(a)), np.full(1, a.any()))


# NumPy keeps int32 min/max and float32 sum/prod/min/max/mean/std (and gives
# int64 sums of int32). Numba gives float64 for a float32 std and has no
# complex argmax. (Numba boxes every scalar result as a Python int or float,
# so the width only shows inside compiled code.)
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_],
                         ids=dtype_id)
def test_result_types_match_numpy(dtype):
    a = make_array((2, 3), dtype)
    check(scalar_types, a)
    for f in (np_sum_axis0, sum_axis1):
        got, expected = f(a), f.py_func(a)
        assert (type(got), got.dtype, got.shape) == (np.ndarray, expected.dtype, expected.shape)
