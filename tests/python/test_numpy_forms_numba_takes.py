"""NumPy call forms Numba compiles that numjit refused (the survey of
Numba's supported NumPy features): type codes as dtypes, np.trace(offset=),
cumsum/cumprod(dtype=), np.dot(out=), np.linalg.cond(x, p),
np.linalg.norm(x, 'fro'/'nuc'), percentile/quantile of a list of q,
np.clip with None, np.angle(deg=True), np.sign and np.log2 of complex
numbers. Compared with NumPy."""
import numpy as np
import pytest

from conftest import make_array
from numjit import njit


@njit
def as_codes(a):
    return (a.astype("i1"), a.astype("i2"), a.astype("i4"), a.astype("i8"), a.astype("u1"), a.astype("u2"),
            a.astype("u4"), a.astype("u8"), a.astype("f4"), a.astype("f8"), a.astype("c8"), a.astype("c16"),
            a.astype("b1"), a.astype("?"), a.astype("b"), a.astype("B"), a.astype("h"), a.astype("H"),
            a.astype("i"), a.astype("I"), a.astype("l"), a.astype("L"), a.astype("q"), a.astype("Q"),
            a.astype("f"), a.astype("d"), a.astype("F"), a.astype("D"), a.astype("<f8"), a.astype("|b1"))


CODES = ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f4", "f8", "c8", "c16", "b1", "?", "b", "B", "h", "H", "i",
         "I", "l", "L", "q", "Q", "f", "d", "F", "D", "<f8", "|b1"]


@pytest.mark.parametrize("values", [[0.0, 1.5, -2.0, 3.0], [7.0]])
def test_numpy_type_codes_name_dtypes(values):
    a = np.array(values)
    for code, got in zip(CODES, as_codes(a)):
        want = a.astype(code)
        assert got.dtype == want.dtype, code
        np.testing.assert_array_equal(got, want)


def test_an_unknown_type_code_is_refused():
    from numjit.errors import TypingError

    with pytest.raises(TypingError, match="data type not understood"):
        njit(lambda a: a.astype("x9"))(np.zeros(2))


@njit
def trace_at(a, offset):
    return np.trace(a, offset=offset)


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (4, 2)])
@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.float32, np.complex128])
def test_trace_with_an_offset(shape, dtype):
    a = make_array(shape, dtype)
    for offset in range(-4, 5):
        got, want = trace_at(a, offset), np.trace(a, offset=offset)
        assert got == pytest.approx(want, rel=1e-6)


@njit
def scans_in(a, axis):
    return np.cumsum(a, axis=axis, dtype=np.int64), np.cumprod(a, dtype=np.float64)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.uint8])
def test_scans_accumulate_in_the_dtype_given(dtype):
    a = (np.arange(1, 13).reshape(3, 4) * 30).astype(dtype)
    for axis in (None, 0, 1):
        got = scans_in(a, axis)
        want = (np.cumsum(a, axis=axis, dtype=np.int64), np.cumprod(a, dtype=np.float64))
        for g, w in zip(got, want):
            assert g.dtype == w.dtype
            np.testing.assert_array_equal(g, w)


@njit
def dot_into(a, b, out):
    r = np.dot(a, b, out=out)
    return r


def test_dot_writes_into_out():
    a, b = make_array((3, 4), np.float64), make_array((4, 2), np.float64, seed=1)
    out = np.zeros((3, 2))
    got = dot_into(a, b, out)
    np.testing.assert_allclose(out, a @ b, rtol=1e-12)
    np.testing.assert_allclose(got, a @ b, rtol=1e-12)


@njit
def condition_numbers(x, p):
    return np.linalg.cond(x, p), np.linalg.norm(x, p)


@pytest.mark.parametrize("p", [1, -1, 2, -2, np.inf, -np.inf, "fro"])
def test_condition_numbers_and_norms_by_order(p):
    x = make_array((4, 4), np.float64) + 3 * np.eye(4)
    got = condition_numbers(x, p)
    np.testing.assert_allclose(got, (np.linalg.cond(x, p), np.linalg.norm(x, p)), rtol=1e-9)


def test_nuclear_norm():
    x = make_array((3, 5), np.float64)
    assert njit(lambda x: np.linalg.norm(x, "nuc"))(x) == pytest.approx(np.linalg.norm(x, "nuc"), rel=1e-12)


@njit
def quantiles_of_lists(a):
    return np.percentile(a, [25.0, 50.0, 90.0]), np.quantile(a, (0.1, 0.75)), np.percentile(a, 40.0)


@pytest.mark.parametrize("size", [1, 7, 100])
@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_percentiles_of_a_list(size, dtype):
    a = make_array((size,), dtype, seed=size)
    got = quantiles_of_lists(a)
    want = (np.percentile(a, [25.0, 50.0, 90.0]), np.quantile(a, (0.1, 0.75)), np.percentile(a, 40.0))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)


@njit
def one_sided_clips(a):
    return np.clip(a, None, 3), np.clip(a, 2, None), a.clip(None, 1)


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.float32])
def test_clip_with_none_on_one_side(dtype):
    a = make_array((9,), dtype)
    for g, w in zip(one_sided_clips(a), (np.clip(a, None, 3), np.clip(a, 2, None), a.clip(None, 1))):
        np.testing.assert_array_equal(g, w)


@njit
def complex_functions(z):
    return np.sign(z), np.log2(z), np.angle(z, deg=True), np.angle(z)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_sign_log2_and_angle_of_complex_numbers(dtype):
    z = np.array([3 + 4j, -1j, 2.5, -0.5 + 0.25j, 1e-3j], dtype=dtype)
    got = complex_functions(z)
    want = (np.sign(z), np.log2(z), np.angle(z, deg=True), np.angle(z))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6 if dtype == np.complex64 else 1e-12)
    assert njit(lambda v: np.sign(v))(0j) == 0j


@njit
def narrow_scans(a, axis):
    return np.cumsum(a, axis=axis, dtype=np.int8), np.cumprod(a, axis=axis, dtype=np.int16)


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_scans_wrap_in_a_narrow_dtype(axis):
    a = np.array([[100, 100, 100], [7, 60, 90]])
    for g, w in zip(narrow_scans(a, axis), (np.cumsum(a, axis=axis, dtype=np.int8),
                                            np.cumprod(a, axis=axis, dtype=np.int16))):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_log2_of_zero_and_dtype_kept(dtype):
    z = np.array([0j, 8 + 0j, -1j], dtype=dtype)
    got = njit(lambda v: np.log2(v))(z)
    with np.errstate(divide="ignore"):
        want = np.log2(z)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("code", ["i0", "u0", "i99999999999", "f2x"])
def test_type_codes_numpy_rejects_are_refused(code):
    from numjit.errors import TypingError

    def zeros_of(n):
        return np.zeros(n, dtype=code)

    with pytest.raises(TypingError, match="data type not understood"):
        njit(zeros_of)(2)
