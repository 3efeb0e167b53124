"""numpy.polynomial.polynomial (and polyutils.trimseq), numpy.lib's poly*
functions, np.broadcast_shapes, np.broadcast_arrays and the legacy
np.random.multinomial inside @njit functions, checked against .py_func / NumPy."""
import numpy as np
import pytest
from numpy.polynomial import polynomial as P

from numjit import njit

# ---------------------------------------------------------------- jitted code


@njit
def p_add(a, b):
    return P.polyadd(a, b)


@njit
def p_sub(a, b):
    return P.polysub(a, b)


@njit
def p_mul(a, b):
    return P.polymul(a, b)


@njit
def p_div(a, b):
    return P.polydiv(a, b)


@njit
def p_val(x, c):
    return P.polyval(x, c)


@njit
def p_der(c, m):
    return P.polyder(c, m)


@njit
def p_int(c, m, k):
    return P.polyint(c, m, k)


@njit
def p_int_default(c, m):
    return P.polyint(c, m)


@njit
def p_trim(a):
    return np.polynomial.polyutils.trimseq(a)


@njit
def p_attribute_path(a, b):
    return (np.polynomial.polynomial.polyadd(a, b), np.polynomial.polynomial.polysub(a, b),
            np.polynomial.polynomial.polymul(a, b))


@njit
def p_scalar_args(c):
    return P.polyadd(c, 2.0), P.polysub(3.0, c), P.polymul(c, 0.5), P.polyval(1.5, c)


@njit
def lib_binary(a, b):
    return np.polyadd(a, b), np.polysub(a, b), np.polymul(a, b)


@njit
def lib_der(p, m):
    return np.polyder(p, m)


@njit
def lib_int(p, m, k):
    return np.polyint(p, m, k)


@njit
def lib_div(u, v):
    return np.polydiv(u, v)


@njit
def shapes1(a):
    return np.broadcast_shapes(a)


@njit
def shapes2(a, b):
    return np.broadcast_shapes(a, b)


@njit
def shapes3(a, b, c):
    return np.broadcast_shapes(a, b, c)


@njit
def shapes_literal():
    return np.broadcast_shapes((2, 1), (3,), 1), np.broadcast_shapes((5, 1, 4), (3, 1)), np.broadcast_shapes(0, 1)


@njit
def arrays2(x, y):
    return np.broadcast_arrays(x, y)


@njit
def arrays3(x, y, z):
    return np.broadcast_arrays(x, y, z)


@njit
def broadcast_sum(x, y, z):
    a, b, c = np.broadcast_arrays(x, y, z)
    return a + b * c, a.sum() + b.sum() + c.sum()


@njit
def multinomial_draw(seed, n, pvals):
    np.random.seed(seed)
    draw = np.random.multinomial(n, pvals)
    return draw, np.random.random()


@njit
def multinomial_sized(seed, n, pvals, size):
    np.random.seed(seed)
    draw = np.random.multinomial(n, pvals, size)
    return draw, np.random.random()


@njit
def multinomial_size_kw(seed, n, pvals):
    np.random.seed(seed)
    draw = np.random.multinomial(n, pvals, size=(2, 3))
    return draw, np.random.random()


# ---------------------------------------------------------------- helpers


def _rtol(dtype):
    return 1e-5 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-12


def check(got, expected):
    """Same structure, dtype and values (rtol by dtype; a tiny atol for cancellation)."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(expected)
        for g, e in zip(got, expected):
            check(g, e)
        return
    g, e = np.asarray(got), np.asarray(expected)
    assert g.dtype == e.dtype, (g.dtype, e.dtype)
    assert g.shape == e.shape, (g.shape, e.shape)
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    np.testing.assert_allclose(g, e, rtol=_rtol(e.dtype), atol=_rtol(e.dtype) * scale * 1e-3)


POLY_DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128]


def series(dtype, size, trailing_zeros=0, seed=0):
    rng = np.random.default_rng(seed + 17 * size + trailing_zeros)
    if np.issubdtype(dtype, np.integer):
        a = rng.integers(1, 9, size) * rng.choice([-1, 1], size)
    else:
        a = rng.uniform(-2, 2, size) + 0.25
        if np.issubdtype(dtype, np.complexfloating):
            a = a + 1j * rng.uniform(-2, 2, size)
    a = np.concatenate([a, np.zeros(trailing_zeros)]).astype(dtype)
    return a


SERIES_CASES = [(size, zeros) for size in (1, 2, 5) for zeros in (0, 2)]

# ---------------------------------------------------------------- numpy.polynomial.polynomial


@pytest.mark.parametrize("dtype", POLY_DTYPES)
@pytest.mark.parametrize("size,zeros", SERIES_CASES)
@pytest.mark.parametrize("other_size", [1, 2, 5])
@pytest.mark.parametrize("f", [p_add, p_sub, p_mul, p_div], ids=["add", "sub", "mul", "div"])
def test_polynomial_binary(f, dtype, size, zeros, other_size):
    a = series(dtype, size, zeros)
    b = series(dtype, other_size, 0, seed=5)
    check(f(a, b), f.py_func(a, b))
    check(f(b, a), f.py_func(b, a))


@pytest.mark.parametrize("dtype", POLY_DTYPES)
def test_polynomial_mixed_dtypes_and_attribute_path(dtype):
    a = series(dtype, 5, 1)
    b = series(np.float64, 2)
    check(p_attribute_path(a, b), p_attribute_path.py_func(a, b))
    check(p_attribute_path(b, a), p_attribute_path.py_func(b, a))
    check(p_div(a, b), P.polydiv(a, b))


@pytest.mark.parametrize("dtype", POLY_DTYPES)
@pytest.mark.parametrize("size,zeros", SERIES_CASES)
def test_polyval(dtype, size, zeros):
    c = series(dtype, size, zeros)
    x = np.linspace(-1.5, 2.0, 7)
    check(p_val(x, c), P.polyval(x, c))
    check(p_val(np.float64(0.75), c), p_val.py_func(np.float64(0.75), c))
    x2 = x.reshape(7, 1) * np.ones(3)
    check(p_val(x2, c), P.polyval(x2, c))


# float32 coefficients with a Python number x: NumPy 2 keeps float32, while
# numjit's scalar arithmetic follows Numba (a float32 scalar with a Python
# number gives float64), so that case is left to test_polyval's arrays.
@pytest.mark.parametrize("dtype", [d for d in POLY_DTYPES if d != np.float32])
@pytest.mark.parametrize("x", [0.75, 3], ids=["float", "int"])
def test_polyval_python_scalar(dtype, x):
    # NumPy: integer coefficients become float64.
    c = series(dtype, 5, 1)
    check(p_val(x, c), p_val.py_func(x, c))


@pytest.mark.parametrize("dtype", POLY_DTYPES)
@pytest.mark.parametrize("size,zeros", SERIES_CASES)
@pytest.mark.parametrize("m", [0, 1, 2, 6])
def test_polyder_polyint(dtype, size, zeros, m):
    c = series(dtype, size, zeros)
    check(p_der(c, m), P.polyder(c, m))
    check(p_int_default(c, m), P.polyint(c, m))
    if m > 0:  # NumPy: a scalar k with m == 0 is "Too many integration constants" (see the error tests)
        check(p_int(c, m, 0.0), P.polyint(c, m, 0.0))
        check(p_int(c, m, 2.5), P.polyint(c, m, 2.5))


@pytest.mark.parametrize("dtype", POLY_DTYPES)
@pytest.mark.parametrize("values", [[1, 2, 3], [1, 0, 0], [0, 0], [0], [0, 1, 0, 2, 0, 0], [3]])
def test_trimseq(dtype, values):
    a = np.array(values, dtype=dtype)
    check(p_trim(a), np.polynomial.polyutils.trimseq(a))


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.complex128])
def test_polynomial_scalar_arguments(dtype):
    c = series(dtype, 3, 1)
    check(p_scalar_args(c), p_scalar_args.py_func(c))


@pytest.mark.parametrize("f,args,exc", [
    (p_add, (np.empty(0), np.ones(2)), ValueError),
    (p_mul, (np.ones(2), np.empty(0)), ValueError),
    (p_div, (np.empty(0), np.ones(2)), ValueError),
    (p_val, (1.0, np.empty(0)), IndexError),
    (p_add, (np.ones((2, 2)), np.ones(2)), ValueError),
    (p_sub, (np.ones(2), np.ones((1, 3))), ValueError),
    (p_mul, (np.ones((3, 1)), np.ones((3, 1))), ValueError),
    (p_div, (np.ones(3), np.array([0.0])), ZeroDivisionError),
    (p_div, (np.ones(3), np.array([0.0, 0.0])), ZeroDivisionError),
    (p_der, (np.ones(3), -1), ValueError),
    (p_int, (np.ones(3), -1, 0.0), ValueError),
    (p_int, (np.ones(3), 0, 1.0), ValueError),
    (p_int, (np.empty(0), 1, 0.0), IndexError),
], ids=["add-empty", "mul-empty", "div-empty", "val-empty", "add-2d", "sub-2d", "mul-2d", "div-zero", "div-zeros",
        "der-negative", "int-negative", "int-m0-scalar-k", "int-empty"])
def test_polynomial_errors(f, args, exc):
    with pytest.raises(exc):
        f.py_func(*args)
    with pytest.raises(exc):
        f(*args)


def test_polyder_empty_like_numpy():
    # NumPy's polyder does not go through as_series: an empty series differentiates to an empty array.
    c = np.empty(0)
    check(p_der(c, 1), p_der.py_func(c, 1))


# ---------------------------------------------------------------- numpy.lib polynomials (highest first)

LIB_PAIRS = [([1, 2, 3], [4, 5]), ([0, 1, 2], [3, 0, 1, 7]), ([2], [1, -1, 0, 5]), ([5, 0, -1, 2, 4], [1, 3])]


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.complex128])
@pytest.mark.parametrize("u,v", LIB_PAIRS)
def test_lib_binary(dtype, u, v):
    a = np.array(u, dtype=dtype) * (1 + 0.5j if dtype == np.complex128 else 1)
    b = np.array(v, dtype=dtype)
    check(lib_binary(a, b), lib_binary.py_func(a, b))
    check(lib_binary(b, a), lib_binary.py_func(b, a))


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.complex128])
@pytest.mark.parametrize("u,v", LIB_PAIRS)
def test_lib_polydiv(dtype, u, v):
    a = np.array(u, dtype=dtype)
    b = np.array(v, dtype=dtype)
    if v[0] != 0:
        check(lib_div(a, b), np.polydiv(a, b))
    if u[0] != 0:
        check(lib_div(b, a), np.polydiv(b, a))


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.complex128])
@pytest.mark.parametrize("p", [[3], [1, 2], [4, -1, 0, 2, 7]])
@pytest.mark.parametrize("m", [0, 1, 2, 5])
def test_lib_polyder_polyint(dtype, p, m):
    a = np.array(p, dtype=dtype)
    check(lib_der(a, m), np.polyder(a, m))
    if m == 0 and dtype == np.int64:
        # NumPy hands an integer p back unchanged when m == 0; compiled code
        # has one result type, so numjit returns it as float64 (the same values).
        np.testing.assert_array_equal(lib_int(a, m, 0.0), np.polyint(a, m, 0.0))
        return
    check(lib_int(a, m, 0.0), np.polyint(a, m, 0.0))
    check(lib_int(a, m, 1.5), np.polyint(a, m, 1.5))


@pytest.mark.parametrize("f,args,exc", [(lib_der, (np.ones(3), -1), ValueError),
                                        (lib_int, (np.ones(3), -1, 0.0), ValueError)],
                         ids=["der-negative", "int-negative"])
def test_lib_errors(f, args, exc):
    with pytest.raises(exc):
        f.py_func(*args)
    with pytest.raises(exc):
        f(*args)


# ---------------------------------------------------------------- broadcast_shapes


@pytest.mark.parametrize("shapes", [
    ((2, 1), (3,), 1), ((5, 1, 4), (3, 1)), ((),), (0, 1), ((3,), (3,)), ((1, 4), (6, 1)),
    ((), (2, 3)), ((2, 0), (1,)), (7,), ((1, 1, 1), 5, (2, 1, 1)),
])
def test_broadcast_shapes(shapes):
    f = {1: shapes1, 2: shapes2, 3: shapes3}[len(shapes)]
    expected = np.broadcast_shapes(*shapes)
    got = f(*shapes)
    assert isinstance(got, tuple)
    assert all(isinstance(n, int) for n in got)
    assert got == expected
    assert f.py_func(*shapes) == expected


def test_broadcast_shapes_literal():
    assert shapes_literal() == shapes_literal.py_func()


@pytest.mark.parametrize("shapes", [((2,), (3,)), ((2, 3), (3, 2)), ((4, 1), (5, 2), 1)])
def test_broadcast_shapes_errors(shapes):
    f = {2: shapes2, 3: shapes3}[len(shapes)]
    with pytest.raises(ValueError):
        f.py_func(*shapes)
    with pytest.raises(ValueError):
        f(*shapes)


# ---------------------------------------------------------------- broadcast_arrays


def _check_arrays(got, expected):
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == e.shape
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


BASE = np.arange(24.0).reshape(4, 6)
ARRAY_PAIRS = {
    "1d-2d": (np.arange(6, dtype=np.int64), BASE),
    "col-row": (np.arange(4.0).reshape(4, 1), np.arange(3, dtype=np.int32).reshape(1, 3)),
    "F": (np.asfortranarray(BASE), np.arange(6.0)),
    "strided": (BASE[::2], np.arange(12, dtype=np.int64)[::2]),
    "strided-col": (BASE[:, ::3], np.arange(8.0)[::2].reshape(4, 1)),
    "0d": (np.array(2.5), np.arange(5, dtype=np.int64)),
    "0-size": (np.empty((0, 3)), np.arange(3.0)),
    "0-size-1": (np.empty((2, 0)), np.ones((2, 1), np.complex128)),
    "3d": (np.arange(2.0).reshape(2, 1, 1), np.arange(12.0).reshape(3, 4)),
}


@pytest.mark.parametrize("name", list(ARRAY_PAIRS))
def test_broadcast_arrays_two(name):
    x, y = ARRAY_PAIRS[name]
    _check_arrays(arrays2(x, y), np.broadcast_arrays(x, y))
    _check_arrays(arrays2(y, x), np.broadcast_arrays(y, x))


ARRAY_TRIPLES = {
    "mixed": (np.arange(3.0), np.arange(2, dtype=np.int64).reshape(2, 1), np.ones((4, 1, 1), np.float32)),
    "F-strided": (np.asfortranarray(BASE[:, :3]), BASE[:, ::2], np.arange(3.0)),
    "same": (BASE, BASE, BASE),
    "0-size": (np.empty((0, 1)), np.arange(4.0), np.ones((1, 4))),
}


@pytest.mark.parametrize("name", list(ARRAY_TRIPLES))
def test_broadcast_arrays_three(name):
    x, y, z = ARRAY_TRIPLES[name]
    _check_arrays(arrays3(x, y, z), np.broadcast_arrays(x, y, z))
    check(broadcast_sum(x, y, z), broadcast_sum.py_func(x, y, z))


@pytest.mark.parametrize("x,y", [(np.ones(2), np.ones(3)), (np.ones((2, 3)), np.ones((3, 2))),
                                 (np.ones((4, 1)), np.ones((5, 2)))])
def test_broadcast_arrays_errors(x, y):
    with pytest.raises(ValueError):
        arrays2.py_func(x, y)
    with pytest.raises(ValueError):
        arrays2(x, y)


# ---------------------------------------------------------------- multinomial (legacy RandomState)

PVALS = {
    "uniform": np.full(4, 0.25),
    "zero-inside": np.array([0.3, 0.0, 0.5, 0.2]),
    "zero-first": np.array([0.0, 0.6, 0.4]),
    "zero-last": np.array([0.2, 0.3, 0.5, 0.0]),
    "one": np.array([1.0]),
    "skewed": np.array([0.01, 0.09, 0.4, 0.05, 0.45]),
    "float32": np.array([0.125, 0.25, 0.625], np.float32),
}


def _check_draw(got, expected):
    g_draw, g_next = got
    e_draw, e_next = expected
    assert g_draw.dtype == e_draw.dtype
    assert g_draw.shape == e_draw.shape
    np.testing.assert_array_equal(g_draw, e_draw)
    assert g_next == e_next


@pytest.mark.parametrize("seed", [0, 12345])
@pytest.mark.parametrize("n", [0, 1, 10, 1000])
@pytest.mark.parametrize("name", list(PVALS))
def test_multinomial(seed, n, name):
    pvals = PVALS[name]
    _check_draw(multinomial_draw(seed, n, pvals), multinomial_draw.py_func(seed, n, pvals))
    for size in (None, 3, (2, 3)):
        _check_draw(multinomial_sized(seed, n, pvals, size), multinomial_sized.py_func(seed, n, pvals, size))
    _check_draw(multinomial_size_kw(seed, n, pvals), multinomial_size_kw.py_func(seed, n, pvals))


@pytest.mark.parametrize("n,pvals", [
    (10, np.array([-0.1, 0.6, 0.5])),
    (10, np.array([0.2, -0.2, 1.0])),
    (10, np.array([0.7, 0.7, 0.0])),
    (10, np.array([0.5, 0.6, 0.1])),
    (-1, np.array([0.5, 0.5])),
], ids=["negative-first", "negative-inside", "sum-over-one", "sum-over-one-2", "negative-n"])
def test_multinomial_errors(n, pvals):
    with pytest.raises(ValueError):
        multinomial_draw.py_func(1, n, pvals)
    with pytest.raises(ValueError):
        multinomial_draw(1, n, pvals)
