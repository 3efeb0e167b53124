"""np.delete / insert / extract / resize / dstack / dsplit / row_stack / take_along_axis /
indices / tril_indices_from / triu_indices_from, np.geomspace / unwrap / roots / i0 / kaiser /
nanquantile / nanpercentile / asarray_chkfinite / isscalar, the array methods clip, conj,
conjugate, nonzero and take, and the refusal of NumPy scalar classes numjit lacks (np.float16,
np.longlong), each against NumPy (``f.py_func``)."""
import numpy as np
import pytest

from conftest import assert_same, check, dtype_id, laid_out, make_array
from numjit import njit
from numjit.errors import TypingError, UnsupportedError

pytestmark = [pytest.mark.filterwarnings("ignore:`row_stack` alias is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:All-NaN slice:RuntimeWarning"),
              pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")]

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_]
NUMBERS = [np.int32, np.int64, np.float32, np.float64, np.complex128]
LAYOUTS = ["C", "F", "strided"]


# The functions under test, written as user code would call them.
@njit
def delete(a, obj): return np.delete(a, obj)
@njit
def insert(a, obj, values): return np.insert(a, obj, values)
@njit
def extract(condition, a): return np.extract(condition, a)
@njit
def resize(a, shape): return np.resize(a, shape)
@njit
def dstack(a, b): return np.dstack((a,)), np.dstack((a, b)), np.dstack((b, a, b)), np.dstack((a, b, a, b))
@njit
def dsplit(a, sections): return np.dsplit(a, sections)
@njit
def row_stack(a, b): return np.row_stack((a, b))
@njit
def take_along_axis(a, indices, axis): return np.take_along_axis(a, indices, axis)
@njit
def indices(n, m, k): return np.indices((n,)), np.indices((n, m)), np.indices((n, m, k))
@njit
def tri_indices_from(a, k):
    return np.tril_indices_from(a, k), np.triu_indices_from(a, k), np.tril_indices_from(a), np.triu_indices_from(a)
@njit
def geomspace(start, stop, num, endpoint):
    return np.geomspace(start, stop, num, endpoint), np.geomspace(start, stop, num), np.geomspace(start, stop)
@njit
def unwrap(p, discont): return np.unwrap(p), np.unwrap(p, discont), np.unwrap(p, discont, 0), np.unwrap(p, discont, -1)
@njit
def unwrap_period(p, discont, period): return np.unwrap(p, discont, period=period)
@njit
def unwrap_axis1(p): return np.unwrap(p, axis=1)
@njit
def roots(p): return np.roots(p)
@njit
def i0(x): return np.i0(x)
@njit
def kaiser(M, beta): return np.kaiser(M, beta)
@njit
def nanquantiles(a, q): return np.nanquantile(a, q), np.nanpercentile(a, q * 100)
@njit
def asarray_chkfinite(a): return np.asarray_chkfinite(a)
@njit
def isscalar(x): return np.isscalar(x)
@njit
def clip_nonzero_take(a, lo, hi, idx): return a.clip(lo, hi), a.nonzero(), a.take(idx)
@njit
def nonzero(a): return a.nonzero()
@njit
def conj(z): return z.conj(), z.conjugate()
@njit
def clip_one_sided(a, hi): return a.clip(None, hi), a.clip(hi)
@njit
def zeros_float16(n): return np.zeros(n, np.float16)
@njit
def astype_half(a): return a.astype(np.half)
@njit
def make_longlong():
    x = np.longlong(3)
    return x


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (3, 4)])
def test_delete(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    n = a.size
    objs = [np.array([], np.int64)]
    if n:
        objs += [0, -1, n - 1, -n, np.array([n - 1, 0, -1]), np.array([0, 0, n // 2], np.int32)]
    for obj in objs:
        check(delete, a, obj)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (6,), (2, 3)])
def test_insert(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    n = a.size
    for obj in sorted({0, n, -n, n // 2, -1 if n else 0}):
        for values in [3, -2.7, True, make_array((3,), dtype, seed=4), np.array([9, 8]), make_array((1,), dtype)]:
            check(insert, a, obj, values)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("cond_dtype", [np.bool_, np.int64, np.float64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (3, 4)])
def test_extract(dtype, cond_dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    condition = (make_array(shape, np.int64, layout, seed=3) % 3).astype(cond_dtype)
    check(extract, condition, a)
    check(extract, np.ones(shape, cond_dtype), a)
    check(extract, np.zeros(shape, cond_dtype), a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (2, 3)])
@pytest.mark.parametrize("new_shape", [0, 5, (0,), (1,), (4,), (3, 5), (2, 3, 2), (0, 3)], ids=repr)
def test_resize(dtype, layout, shape, new_shape):
    check(resize, make_array(shape, dtype, layout), new_shape)


@pytest.mark.parametrize("dtype", NUMBERS + [np.bool_], ids=dtype_id)
@pytest.mark.parametrize("shape", [(0,), (1,), (4,), (2, 3), (2, 3, 2), (1, 0, 2)])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_dstack(dtype, shape, layout):
    check(dstack, make_array(shape, dtype, layout), make_array(shape, dtype, "C", seed=1))


@pytest.mark.parametrize("a, b", [(np.arange(3, dtype=np.int32), np.arange(3.0)),
                                  (np.arange(3, dtype=np.int32), np.arange(3, dtype=np.float32)),
                                  (np.arange(6).reshape(2, 3), np.ones((2, 3), np.complex128)),
                                  (np.arange(6).reshape(2, 3), np.arange(12).reshape(2, 3, 2)),
                                  (np.arange(3), np.arange(3.0).reshape(1, 3))],
                         ids=["i4f8", "i4f4", "i8c16", "2d3d", "1d2d"])
def test_dstack_mixed_dtypes_and_ranks(a, b):
    check(dstack, a, b)


@pytest.mark.parametrize("dtype", NUMBERS, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("sections", [1, 2, 4, np.array([1, 3]), np.array([], np.int64), np.array([0, 6])],
                         ids=repr)
def test_dsplit(dtype, layout, sections):
    a = make_array((2, 3, 4), dtype, layout)
    got, expected = dsplit(a, sections), dsplit.py_func(a, sections)
    assert isinstance(got, list) and len(got) == len(expected)
    assert_same(tuple(got), tuple(expected))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_row_stack(dtype, layout):
    for shape in [(0,), (1,), (5,), (2, 5), (0, 5)]:
        a = make_array(shape, dtype, layout)
        check(row_stack, a, make_array(shape, dtype, "C", seed=2))
        check(row_stack, a, make_array(shape, np.float64, "F", seed=2))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_take_along_axis(dtype, layout):
    a1 = make_array((7,), dtype, layout)
    for idx in [np.argsort(a1, kind="stable"), np.array([6, 0, -1, 3]), np.array([], int), np.array([2], np.int32)]:
        check(take_along_axis, a1, idx, 0)
        check(take_along_axis, a1, idx, -1)
    a = make_array((3, 4), dtype, layout)
    for axis in [0, 1, -1, -2]:
        check(take_along_axis, a, np.argsort(a, axis=axis, kind="stable"), axis)
    i = np.array([[0, 3, -1], [2, 2, 0], [1, 0, 3]])
    check(take_along_axis, a, i, 1)
    check(take_along_axis, a, i[:, :1].astype(np.int32), -1)
    check(take_along_axis, a, np.zeros((3, 0), np.int64), 1)
    check(take_along_axis, a, np.array([[0, 2, 1, 1]]), 0)  # indices broadcast along axis 0
    check(take_along_axis, a, np.array([[0], [2]]), 0)  # indices broadcast along axis 1
    check(take_along_axis, a[:1], i, 1)  # arr broadcast along axis 0
    check(take_along_axis, a[:, :1], np.array([[0, 0, 0, 0]]), 0)  # arr broadcast along axis 1
    check(take_along_axis, a, np.array([[0, 1]]), -1)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_indices(n):
    check(indices, n, 3, 2)
    check(indices, 2, n, 3)
    check(indices, 1, 2, n)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0, 0), (1, 1), (4, 4), (3, 5), (5, 3)])
@pytest.mark.parametrize("k", [-2, 0, 1, 3])
def test_tril_triu_indices_from(dtype, layout, shape, k):
    check(tri_indices_from, make_array(shape, dtype, layout), k)


@pytest.mark.parametrize("start, stop", [(1, 1000), (1.0, 2.0), (1000, 1), (0.5, 8.0), (2, 2), (-1, -1000),
                                         (-8.0, -0.5), (1, -1), (np.float32(1), np.float32(100))], ids=repr)
@pytest.mark.parametrize("num", [0, 1, 2, 7])
@pytest.mark.parametrize("endpoint", [True, False])
def test_geomspace(start, stop, num, endpoint):
    check(geomspace, start, stop, num, endpoint)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 2, 30])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_unwrap(dtype, n, layout):
    steps = np.random.default_rng(n).uniform(-9.0, 9.0, n)  # jumps of several sizes, both signs
    p = laid_out((np.cumsum(steps) % 20.0).round(3 if np.dtype(dtype).kind == "f" else 0).astype(dtype), layout)
    tol = dict(rtol=1e-5, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)
    for discont in [None, 0.5, 2, 3.0, 5.0, 10.0]:
        check(unwrap, p, discont, **tol)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("period", [360, 360.0, 7, 10, 2 * np.pi], ids=repr)
@pytest.mark.parametrize("discont", [None, 100, 270.0, 400])
def test_unwrap_period(dtype, period, discont):
    # NumPy keeps an integer dtype for integer input with an integer period (and float32 computes in float32).
    deg = np.array([0, 170, 350, 10, 190, 20, -170, 359, 0, 181, 3, -178, 541, -539, 179, -1]).astype(dtype)
    tol = dict(rtol=1e-5, atol=1e-3) if dtype == np.float32 else {}
    check(unwrap_period, deg, discont, period, **tol)


def test_unwrap_restrictions():
    # numjit's np.unwrap takes a 1-D array only; NumPy unwraps a 2-D array along its last axis.
    unwrap.py_func(np.zeros((2, 3)), None)
    with pytest.raises(NotImplementedError):
        unwrap(np.zeros((2, 3)), None)
    for f in [unwrap_axis1.py_func, unwrap_axis1]:
        with pytest.raises(np.exceptions.AxisError):
            f(np.zeros(3))


def check_roots(p, rtol=1e-9):
    expected, got = roots.py_func(p), roots(p)
    assert (got.dtype, got.shape) == (expected.dtype, expected.shape), (got, expected)
    np.testing.assert_allclose(np.sort_complex(got), np.sort_complex(expected), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float64], ids=dtype_id)
@pytest.mark.parametrize("p", [[1, -3, 2], [1, -6, 11, -6], [0, 0, 1, -3, 2, 0, 0], [2, 0], [5], [0, 0], [],
                               [1, 0, -1], [1, 0, 0, 0], [2, -1], [3, -7.5, 4.5]], ids=repr)
def test_roots_real(dtype, p):
    check_roots(np.array(p).astype(dtype))
    check_roots(laid_out(np.array(p).astype(dtype), "strided"))


def test_roots_float32():
    for p in [[1, -3, 2], [1, -6, 11, -6], [0, 1, -3, 2, 0]]:
        check_roots(np.array(p, np.float32), rtol=1e-5)


@pytest.mark.parametrize("p", [[1, 1j], [1j, 2, 1], [1 + 0j, -3, 2], [1, 0, 1 + 0j], [2, -2j, 0], [0, 1j, 1, 1]],
                         ids=repr)
def test_roots_complex_coefficients(p):
    check_roots(np.array(p, np.complex128))


@pytest.mark.parametrize("p", [[1.0, 0.0, 1.0], [1, 1, 1], [1.0, 0.0, 0.0, 1.0]], ids=repr)
def test_roots_real_coefficients_complex_roots_raise(p):
    # A documented numjit restriction, as for np.linalg.eigvals in compiled code: real input cannot give a
    # complex result, so real coefficients with complex roots raise ValueError (NumPy returns complex roots).
    assert np.iscomplexobj(np.roots(p))
    with pytest.raises(ValueError):
        roots(np.array(p))


@pytest.mark.parametrize("x", [0, 3, 0.0, 1.5, -1.5, 8.0, 8, -9.5, 20.0, 100.0, 700.0, True], ids=repr)
def test_i0_scalar(x):
    got = i0(x)
    assert np.asarray(got).dtype == np.float64  # NumPy returns a 0-d float64 array, numjit a float
    np.testing.assert_allclose(got, np.i0(x), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_i0_array(dtype, layout):
    # NumPy keeps float32 for float32 input (700 would overflow it).
    x = np.array([-20, -9, -8, -1, 0, 1, 5, 8, 9, 50] + ([] if dtype == np.float32 else [700, -700])).astype(dtype)
    for a in [x, x[:0], x[:1], x[:10].reshape(2, 5)]:
        check(i0, laid_out(a, layout), rtol=1e-5 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("M", [0, 1, 2, 5, 12])
@pytest.mark.parametrize("beta", [0, 0.0, 5.0, 14, 100.0])
def test_kaiser(M, beta):
    check(kaiser, M, beta)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("values", [[1, 2, 3, 4], [np.nan, 1, np.nan, 5, 2], [3, 1, 2, np.nan, 10, 4], [7],
                                    [np.nan], [np.nan, np.nan, np.nan]], ids=repr)
@pytest.mark.parametrize("q", [0.0, 0.3, 0.5, 1.0, np.array([0.1, 0.9]), np.array([])], ids=repr)
def test_nanquantile_nanpercentile(dtype, values, q):
    a = np.array(values, dtype)  # all-NaN: NaN for every q
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    for x in [a, laid_out(a, "strided"), np.asfortranarray(np.stack((a, a[::-1])))]:
        if dtype == np.float32 and isinstance(q, np.ndarray) and np.isnan(a).all():
            # NumPy's dtype depends on the data here (float32 NaNs for an all-NaN
            # float32 input, float64 otherwise); compiled code gives the float64 of
            # the usual case, so only the NaNs and the shape are compared.
            got, want = nanquantiles(x, q), nanquantiles.py_func(x, q)
            for mine, theirs in zip(got, want):
                assert mine.shape == theirs.shape and np.isnan(mine).all() and np.isnan(theirs).all()
            continue
        check(nanquantiles, x, q, rtol=rtol)


@pytest.mark.parametrize("dtype", [np.int32, np.int64], ids=dtype_id)
def test_nanquantile_of_integers(dtype):
    for q in [0.25, np.array([0.0, 0.5, 1.0])]:
        check(nanquantiles, np.array([3, 1, 2, 10, 4], dtype), q)


@pytest.mark.parametrize("a", [np.arange(4, dtype=np.int32), np.arange(6.0).reshape(2, 3).T, np.zeros(0),
                               np.array([1 + 2j]), np.array([True]), np.arange(8.0, dtype=np.float32)[::2]],
                         ids=lambda a: f"{a.dtype}{a.shape}")
def test_asarray_chkfinite(a):
    check(asarray_chkfinite, a)


@pytest.mark.parametrize("x", [1, -2.5, 1j, True, np.float32(1), np.int32(3), np.complex64(1), np.zeros(()),
                               np.zeros(3), np.zeros((2, 0)), np.arange(4.0)[::2]], ids=repr)
def test_isscalar(x):
    assert isscalar(x) is np.isscalar(x)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (3, 4)])
def test_clip_nonzero_take(dtype, layout, shape):
    a = make_array(shape, dtype, layout) - 3
    n = a.size
    for idx in [np.array([0, n - 1, -1, -n]), np.array([[0, 1], [n - 1, -1]]) % n, 0, -1] if n else [np.array([], int)]:
        check(clip_nonzero_take, a, -1, 2, idx)
        check(clip_nonzero_take, a, 1.5, 2.5, idx)
        check(clip_nonzero_take, a, 3, 1, idx)  # lo > hi: NumPy gives hi everywhere


@pytest.mark.parametrize("x", [np.array([0j, 1j, 2, 0]), np.array([[True, False], [False, True]]).T,
                               np.zeros((2, 0, 3)), np.arange(24).reshape(2, 3, 4)[:, ::2] % 3], ids=str)
def test_nonzero_other_dtypes(x):
    check(nonzero, x)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64, np.float64, np.float32, np.int64, np.bool_],
                         ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (5,), (2, 3)])
def test_conj(dtype, layout, shape):
    check(conj, make_array(shape, dtype, layout))


def test_longlong_names_int64():
    # np.longlong is a class of its own, with int64's dtype (test_c_named_scalar_types.py has the rest).
    assert make_longlong() == make_longlong.py_func() == 3


@pytest.mark.parametrize("f, args, name", [(zeros_float16, (3,), "float16"), (astype_half, (np.ones(2),), "half")],
                         ids=["float16", "half"])
def test_unsupported_scalar_classes_are_a_compile_error(f, args, name):
    f.py_func(*args)  # fine in NumPy
    with pytest.raises(TypingError) as info:  # UnsupportedError is a TypingError, and is no AttributeError
        f(*args)
    assert isinstance(info.value, UnsupportedError) and not isinstance(info.value, AttributeError)
    assert f"np.{name}" in str(info.value)


A = np.arange(12.0).reshape(3, 4)
#: NumPy's answer (an exception, mostly) for forms outside the main tests, which numjit must give too.
LIKE_NUMPY = {
    "delete-index-past-end": (delete, (np.arange(5.0), 5)),
    "delete-index-before-start": (delete, (np.arange(5.0), -6)),
    "delete-array-past-end": (delete, (np.arange(5.0), np.array([0, 5]))),
    "delete-array-before-start": (delete, (A, np.array([-13, 1]))),
    "insert-past-end": (insert, (np.arange(6), 7, 1)),
    "insert-before-start": (insert, (A, -13, 1.0)),
    "dsplit-unequal-sections": (dsplit, (np.zeros((2, 3, 4)), 3)),
    "dsplit-2d": (dsplit, (np.zeros((2, 3)), 1)),
    "dsplit-1d": (dsplit, (np.zeros(4), 1)),
    "take_along_axis-ranks-differ": (take_along_axis, (A, np.array([0, 1]), 0)),
    "take_along_axis-1d-2d": (take_along_axis, (A.ravel(), np.zeros((1, 1), np.int64), 0)),
    "tril_indices_from-1d": (tri_indices_from, (np.zeros(3), 0)),
    "tril_indices_from-3d": (tri_indices_from, (np.zeros((2, 2, 2)), 0)),
    "geomspace-zero-start": (geomspace, (0, 10, 5, True)),
    "geomspace-zero-stop": (geomspace, (1.0, 0.0, 5, True)),
    "unwrap-axis-1": (unwrap_axis1, (np.zeros(3),)),
    "nanquantile-q-above-1": (nanquantiles, (np.array([1.0, np.nan, 3.0]), 1.5)),
    "nanquantile-q-below-0": (nanquantiles, (np.array([1.0, np.nan, 3.0]), -0.1)),
    "take-index-past-end": (clip_nonzero_take, (A, 0, 1, np.array([12]))),
    "chkfinite-inf": (asarray_chkfinite, (np.array([1.0, np.inf]),)),
    "chkfinite-minus-inf-F": (asarray_chkfinite, (np.asfortranarray(np.array([[1, 2], [-np.inf, 3]])),)),
    "chkfinite-nan-float32-strided": (asarray_chkfinite, (np.array([1, 2, np.nan, 4, 5], np.float32)[::2],)),
    "chkfinite-complex-inf": (asarray_chkfinite, (np.array([1 + 1j, complex(1, np.inf)]),)),
    "chkfinite-complex-nan": (asarray_chkfinite, (np.array([complex(np.nan, 0)]),)),
    # Found failing (numjit bugs, see the report):
    "take-scalar-index-past-end": (clip_nonzero_take, (A, 0, 1, 12)),  # IndexError; numjit reads past the data
    "take-scalar-index-before-start": (clip_nonzero_take, (A, 0, 1, -13)),
    "delete-boolean-mask": (delete, (np.arange(5), np.array([True, False, True, False, False]))),
    "extract-condition-shorter": (extract, (np.array([1, 0, 2]), np.arange(5))),
    "row_stack-matrix-and-row": (row_stack, (np.arange(6.0).reshape(2, 3), np.arange(3.0))),
    "take_along_axis-no-broadcast": (take_along_axis, (A, np.array([[0, 1], [0, 1]]), 1)),  # IndexError
    "take_along_axis-index-past-end": (take_along_axis, (A, np.array([[0, 4]]), 1)),  # numjit reads past the data
    "take_along_axis-index-before-start": (take_along_axis, (A, np.array([[0, -5]]), 1)),
    "take_along_axis-row-past-end": (take_along_axis, (A, np.array([[3], [0]]), 0)),
    "take_along_axis-axis-2-of-2d": (take_along_axis, (A, np.array([[0, 1]]), 2)),  # AxisError
    "take_along_axis-axis-1-of-1d": (take_along_axis, (np.arange(5.0), np.array([1]), 1)),
    "nanquantile-2d-q": (nanquantiles, (np.array([1.0, np.nan, 3.0]), np.array([[0.25], [0.75]]))),
    "clip-one-sided": (clip_one_sided, (A, 2.0)),
    "isscalar-tuple": (isscalar, ((1, 2),)),
    "isscalar-none": (isscalar, (None,)),
}


@pytest.mark.parametrize("name", list(LIKE_NUMPY))
def test_like_numpy(name):
    f, args = LIKE_NUMPY[name]
    check(f, *args)


def test_asarray_chkfinite_scalar():
    assert asarray_chkfinite(3.0) == np.asarray_chkfinite(3.0)  # NumPy gives array(3.)
    with pytest.raises(ValueError):
        asarray_chkfinite(np.inf)
