"""np.einsum(subscripts, a[, b]) in compiled code (library/numpy_einsum.cpp).

Every compiled function is compared with its own ``py_func`` (NumPy): same
dtype, same shape, equal values for integers, close values for floats (numjit
sums in one loop nest, in another order than NumPy). Scalar results (an
output without subscripts) come back as scalars. Errors: a shared subscript
with different extents is a ValueError at run time; a malformed subscripts
string is a TypingError at compile time, an ellipsis an UnsupportedError.
"""
import numpy as np
import pytest

import numjit
from numjit.errors import TypingError, UnsupportedError

RNG = np.random.default_rng(20240612)


# ---- the compiled functions ------------------------------------------------

@numjit.njit
def matmul(a, b): return np.einsum("ij,jk->ik", a, b)
@numjit.njit
def batched(a, b): return np.einsum("bij,bjk->bik", a, b)
@numjit.njit
def bilinear(a, b): return np.einsum("bi,bi->b", a, b)
@numjit.njit
def dot(a, b): return np.einsum("i,i", a, b)
@numjit.njit
def outer(a, b): return np.einsum("i,j->ij", a, b)
@numjit.njit
def rowdot(a, b): return np.einsum("ij,ij->i", a, b)
@numjit.njit
def matvec(a, b): return np.einsum("ij,j->i", a, b)
@numjit.njit
def diag_times(a, b): return np.einsum("ii,i->i", a, b)
@numjit.njit
def matmul_implicit(a, b): return np.einsum("ij,jk", a, b)
@numjit.njit
def transposed_product(a, b): return np.einsum("ba,ab", a, b)
@numjit.njit
def trace_of_product(a, b): return np.einsum("ij,ji->", a, b)
@numjit.njit
def frobenius(a, b): return np.einsum("ij,ij", a, b)
@numjit.njit
def spaced(a, b): return np.einsum(" ij , jk -> ik ", a, b)
@numjit.njit
def mixed_case(a, b): return np.einsum("aB,Bc", a, b)
@numjit.njit
def output_order(a, b): return np.einsum("ij,jk->ki", a, b)
@numjit.njit
def outer4(a, b): return np.einsum("ij,kl->ljki", a, b)
@numjit.njit
def both_diagonals(a, b): return np.einsum("ii,ii->i", a, b)

@numjit.njit
def trace(a): return np.einsum("ii", a)
@numjit.njit
def diagonal(a): return np.einsum("ii->i", a)
@numjit.njit
def transpose(a): return np.einsum("ij->ji", a)
@numjit.njit
def reverse3(a): return np.einsum("ijk->kji", a)
@numjit.njit
def total(a): return np.einsum("ij->", a)
@numjit.njit
def row_sums(a): return np.einsum("ij->i", a)
@numjit.njit
def col_sums(a): return np.einsum("ij->j", a)
@numjit.njit
def identity(a): return np.einsum("ij", a)
@numjit.njit
def upper_implicit(a): return np.einsum("Ba", a)
@numjit.njit
def vector_sum(a): return np.einsum("i->", a)
@numjit.njit
def diag3(a): return np.einsum("iij->ji", a)
@numjit.njit
def spaced_one(a): return np.einsum("i j -> j", a)
@numjit.njit
def cube_trace(a): return np.einsum("iii", a)

# (function, shape of a, shape of b): shapes where every layout below applies.
BINARY = [
    (matmul, (3, 4), (4, 5)), (batched, (2, 3, 4), (2, 4, 3)), (bilinear, (3, 4), (3, 4)),
    (dot, (7,), (7,)), (outer, (4,), (3,)), (rowdot, (4, 3), (4, 3)), (matvec, (3, 5), (5,)),
    (diag_times, (4, 4), (4,)), (matmul_implicit, (2, 3), (3, 4)),
    (transposed_product, (3, 4), (4, 3)), (trace_of_product, (3, 4), (4, 3)),
    (frobenius, (3, 5), (3, 5)), (spaced, (3, 2), (2, 4)), (mixed_case, (3, 4), (4, 2)),
    (output_order, (2, 3), (3, 4)), (outer4, (2, 3), (2, 2)), (both_diagonals, (3, 3), (3, 3)),
]
UNARY = [
    (trace, (4, 4)), (diagonal, (5, 5)), (transpose, (3, 5)), (reverse3, (2, 3, 4)),
    (total, (4, 3)), (row_sums, (4, 3)), (col_sums, (4, 3)), (identity, (3, 4)),
    (upper_implicit, (3, 2)), (vector_sum, (9,)), (diag3, (3, 3, 2)), (spaced_one, (3, 4)),
    (cube_trace, (3, 3, 3)),
]
DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128]
LAYOUTS = ["C", "F", "step", "T", "cols", "reversed"]


def values(shape, dtype):
    if np.dtype(dtype).kind in "iu":
        return RNG.integers(-9, 10, size=shape).astype(dtype)
    if np.dtype(dtype).kind == "c":
        return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)
    return RNG.standard_normal(shape).astype(dtype)


def make(shape, dtype, layout="C"):
    """An array of `shape` and `dtype` laid out as `layout` says."""
    if layout == "C":
        return values(shape, dtype)
    if layout == "F":
        return np.asfortranarray(values(shape, dtype))
    if layout == "step":  # a[::2]
        return values((2 * shape[0],) + shape[1:], dtype)[::2]
    if layout == "T":  # a.T
        return values(shape[::-1], dtype).T
    if layout == "cols":  # a[:, ::2] (a[::2] in one dimension)
        return values(shape[:-1] + (2 * shape[-1],), dtype)[..., ::2]
    if layout == "reversed":  # a negative stride on the first axis
        return values(shape, dtype)[::-1]
    raise AssertionError(layout)


def check(f, *args):
    """The compiled result equals NumPy's: dtype, shape, scalar-ness, values."""
    got, want = f(*args), f.py_func(*args)
    want_dtype = np.asarray(want).dtype
    if np.ndim(want) == 0:
        assert not isinstance(got, np.ndarray) and np.isscalar(got), type(got)
        assert np.asarray(got).dtype.kind == want_dtype.kind
    else:
        assert isinstance(got, np.ndarray)
        assert got.dtype == want_dtype and got.shape == want.shape
    if want_dtype.kind in "iu":
        np.testing.assert_array_equal(got, want)
    else:
        rtol = 1e-5 if want_dtype in (np.float32, np.complex64) else 1e-12
        # sum of |products| bounds the rounding of any summation order
        scale = np.max(f.py_func(*[np.abs(a) for a in args]), initial=0.0)
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale)
    return got


def _id(case):  # a test id from the compiled function's name
    return case.py_func.__name__ if hasattr(case, "py_func") else None


# ---- values, dtypes and layouts ---------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("f,sa,sb", BINARY, ids=_id)
def test_two_operands(f, sa, sb, dtype, layout):
    check(f, make(sa, dtype, layout), make(sb, dtype, layout))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("f,shape", UNARY, ids=_id)
def test_one_operand(f, shape, dtype, layout):
    check(f, make(shape, dtype, layout))


@pytest.mark.parametrize("la,lb", [("C", "F"), ("T", "step"), ("reversed", "cols")])
@pytest.mark.parametrize("f,sa,sb", BINARY, ids=_id)
def test_operands_in_different_layouts(f, sa, sb, la, lb):
    check(f, make(sa, np.float64, la), make(sb, np.float64, lb))


MIXED = [
    (np.int32, np.float64, np.float64), (np.float64, np.int32, np.float64),
    (np.float32, np.float64, np.float64), (np.int32, np.int64, np.int64),
    (np.int64, np.int32, np.int64), (np.float64, np.complex128, np.complex128),
    (np.int16, np.float32, np.float32), (np.uint64, np.int64, np.float64),
]


@pytest.mark.parametrize("ta,tb,result", MIXED, ids=lambda t: np.dtype(t).name)
@pytest.mark.parametrize("f,sa,sb", [c for c in BINARY if c[0] in (matmul, dot, outer, rowdot, matvec)],
                         ids=_id)
def test_mixed_dtypes_promote(f, sa, sb, ta, tb, result):
    got = check(f, make(sa, ta), make(sb, tb))
    assert np.asarray(got).dtype.kind == np.dtype(result).kind
    if isinstance(got, np.ndarray):
        assert got.dtype == result


def test_integer_sums_wrap_like_numpy():
    a = (np.arange(12, dtype=np.int8).reshape(3, 4) * 23).astype(np.int8)
    assert total(a) == total.py_func(a)
    np.testing.assert_array_equal(row_sums(a), row_sums.py_func(a))
    assert row_sums(a).dtype == np.int8


def test_scalar_results_are_scalars():
    a = np.arange(6.0)
    r = dot(a, a)
    assert isinstance(r, float) and r == 55.0
    r = trace(np.arange(9, dtype=np.int64).reshape(3, 3))
    assert isinstance(r, (int, np.integer)) and r == 12
    r = vector_sum(np.array([1 + 2j, 3 - 1j]))
    assert isinstance(r, complex) and r == 4 + 1j


# ---- sizes: empty and one-element arrays -----------------------------------

SIZED = [
    (matmul, (0, 4), (4, 5)), (matmul, (3, 0), (0, 5)), (matmul, (3, 4), (4, 0)),
    (matmul, (1, 1), (1, 1)), (batched, (0, 2, 3), (0, 3, 2)), (batched, (1, 1, 1), (1, 1, 1)),
    (dot, (0,), (0,)), (dot, (1,), (1,)), (outer, (0,), (3,)), (outer, (1,), (1,)),
    (rowdot, (0, 3), (0, 3)), (rowdot, (3, 0), (3, 0)), (matvec, (2, 0), (0,)),
    (diag_times, (0, 0), (0,)), (trace_of_product, (0, 2), (2, 0)), (frobenius, (1, 1), (1, 1)),
]


@pytest.mark.parametrize("dtype", [np.int64, np.float64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("f,sa,sb", SIZED, ids=_id)
def test_two_operands_empty_and_single(f, sa, sb, dtype):
    check(f, make(sa, dtype), make(sb, dtype))


@pytest.mark.parametrize("dtype", [np.int32, np.float64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("f,shape", [
    (trace, (0, 0)), (trace, (1, 1)), (diagonal, (0, 0)), (diagonal, (1, 1)), (transpose, (0, 3)),
    (reverse3, (2, 0, 1)), (total, (0, 4)), (total, (1, 1)), (row_sums, (3, 0)), (row_sums, (0, 3)),
    (col_sums, (3, 0)), (vector_sum, (0,)), (vector_sum, (1,)), (identity, (0, 0)), (diag3, (0, 0, 2)),
], ids=_id)
def test_one_operand_empty_and_single(f, shape, dtype):
    check(f, make(shape, dtype))


# ---- errors -----------------------------------------------------------------

@pytest.mark.parametrize("f,a,b", [
    (matmul, np.ones((2, 3)), np.ones((4, 2))),
    (dot, np.ones(3), np.ones(4)),
    (rowdot, np.ones((2, 3)), np.ones((3, 3))),
    (diag_times, np.ones((3, 3)), np.ones(2)),
    (batched, np.ones((2, 3, 4)), np.ones((3, 4, 3))),
], ids=_id)
def test_extent_mismatch_is_value_error(f, a, b):
    with pytest.raises(ValueError):
        f.py_func(a, b)
    with pytest.raises(ValueError, match="einsum") as info:
        f(a, b)
    assert not isinstance(info.value, numjit.errors.NumjitError)


@pytest.mark.parametrize("f", [diagonal, trace], ids=_id)
def test_non_square_diagonal_is_value_error(f):
    with pytest.raises(ValueError):
        f.py_func(np.ones((2, 3)))
    with pytest.raises(ValueError, match="einsum"):
        f(np.ones((2, 3)))


@numjit.njit
def too_many_subscripts(a): return np.einsum("ijk->i", a)
@numjit.njit
def too_few_subscripts(a, b): return np.einsum("i,jk->k", a, b)
@numjit.njit
def two_operands_named(a): return np.einsum("ij,jk->ik", a)
@numjit.njit
def one_operand_named(a, b): return np.einsum("ij->i", a, b)
@numjit.njit
def unknown_output(a, b): return np.einsum("ij,jk->iz", a, b)
@numjit.njit
def repeated_output(a): return np.einsum("ij->jj", a)
@numjit.njit
def not_a_letter(a): return np.einsum("i1->i", a)
@numjit.njit
def three_operands(a, b, c): return np.einsum("i,i,i", a, b, c)
@numjit.njit
def booleans(a, b): return np.einsum("i,i", a, b)
@numjit.njit
def with_ellipsis(a): return np.einsum("...i->...", a)
@numjit.njit
def with_ellipsis_two(a, b): return np.einsum("i...,i...", a, b)
@numjit.njit
def with_optimize(a, b): return np.einsum("ij,jk->ik", a, b, optimize=True)

M, V = np.ones((3, 3)), np.ones(3)


@pytest.mark.parametrize("f,args", [
    (too_many_subscripts, (M,)), (too_few_subscripts, (M, M)), (two_operands_named, (M,)),
    (one_operand_named, (M, M)), (unknown_output, (M, M)), (repeated_output, (M,)),
    (not_a_letter, (M,)),
], ids=_id)
def test_bad_subscripts_are_typing_errors(f, args):
    with pytest.raises(Exception):  # NumPy refuses these as well
        f.py_func(*args)
    with pytest.raises(TypingError, match="einsum"):
        f(*args)


@pytest.mark.parametrize("f,args", [
    (with_ellipsis, (M,)), (with_ellipsis_two, (M, M)), (with_optimize, (M, M)),
], ids=_id)
def test_unsupported_forms(f, args):
    assert np.ndim(f.py_func(*args)) >= 0  # NumPy accepts them
    with pytest.raises(UnsupportedError, match="einsum"):
        f(*args)


@pytest.mark.parametrize("f,args", [
    (three_operands, (V, V, V)), (booleans, (V > 0, V > 0)),
], ids=_id)
def test_unsupported_operands_are_typing_errors(f, args):
    assert np.ndim(f.py_func(*args)) == 0  # NumPy accepts them
    with pytest.raises(TypingError, match="einsum"):
        f(*args)
