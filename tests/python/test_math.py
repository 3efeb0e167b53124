"""``math`` and NumPy scalar functions, constants and builtins, on float32 and
float64, one value at a time and in loops over arrays.

Transcendental results are compared with a tolerance, never exactly: loops may
run through vector math that differs from libm by an ulp.
"""
import math

import numpy as np
import pytest

from numjit import njit

from conftest import FLOAT_DTYPES, INT_DTYPES, SIZES, check, dtype_id, random_floats

FLOATS = pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=dtype_id)

REAL = [-3.7, -1.0, -0.3, 0.0, 0.5, 2.0, 10.25]
POSITIVE = [0.01, 0.5, 1.0, 2.0, 10.25, 1e5]
OPEN_UNIT = [-0.99, -0.5, 0.0, 0.3, 0.99]
AT_LEAST_ONE = [1.0, 1.5, 3.0, 100.0]
SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -2.5, 1e30]


@njit
def math_real(x):
    return (math.exp(x), math.expm1(x), math.sin(x), math.cos(x), math.tan(x), math.atan(x), math.sinh(x),
            math.cosh(x), math.tanh(x), math.asinh(x), math.erf(x), math.fabs(x), math.floor(x), math.ceil(x))


@njit
def numpy_real(x):
    return (np.exp(x), np.expm1(x), np.sin(x), np.cos(x), np.tan(x), np.arctan(x), np.sinh(x), np.cosh(x),
            np.tanh(x), np.arcsinh(x), np.fabs(x), np.abs(x), np.floor(x), np.ceil(x), np.sign(x), abs(x))


@njit
def math_positive(x):
    return math.sqrt(x), math.log(x), math.log10(x), math.log1p(x)


@njit
def numpy_positive(x):
    return np.sqrt(x), np.log(x), np.log10(x), np.log1p(x)


@njit
def inverse_trig(x):
    return math.asin(x), math.acos(x), math.atanh(x), np.arcsin(x), np.arccos(x), np.arctanh(x), math.log1p(x)


@njit
def inverse_cosh(x):
    return math.acosh(x), np.arccosh(x)


@njit
def classify(x):
    return math.isnan(x), math.isinf(x), math.isfinite(x), np.isnan(x), np.isinf(x), np.isfinite(x)


@njit
def two_argument(a, b):
    return math.atan2(a, b), np.arctan2(a, b), math.hypot(a, b), np.hypot(a, b), np.fmin(a, b), np.fmax(a, b)


@njit
def powers(a, b):
    return np.power(a, b), a ** b, math.pow(a, b)


@pytest.mark.parametrize("fn, values", [
    pytest.param(math_real, REAL, id="math_real"),
    pytest.param(numpy_real, REAL, id="numpy_real"),
    pytest.param(math_positive, POSITIVE, id="math_positive"),
    pytest.param(numpy_positive, POSITIVE, id="numpy_positive"),
    pytest.param(inverse_trig, OPEN_UNIT, id="inverse_trig"),
    pytest.param(inverse_cosh, AT_LEAST_ONE, id="inverse_cosh"),
    pytest.param(classify, SPECIAL + REAL, id="classify"),
])
@FLOATS
def test_unary_functions(fn, values, dtype):
    for value in values:
        check(fn, dtype(value))


@pytest.mark.parametrize("x", [0.1, 0.5, 3.5, 10.0, -0.5, -2.5, 170.5])
def test_gamma_and_erf(x):
    @njit
    def special(x):
        return math.gamma(x), math.erf(x), math.erf(-x)

    check(special, x)


@FLOATS
@pytest.mark.parametrize("a, b", [(1.0, 2.0), (-3.0, 4.0), (0.0, -1.0), (-0.0, -1.0), (2.5, 0.0), (1.0, np.nan),
                                  (np.inf, 1.0)])
def test_two_argument_functions(dtype, a, b):
    check(two_argument, dtype(a), dtype(b))


@FLOATS
@pytest.mark.parametrize("a, b", [(2.0, 10.0), (9.0, 0.5), (0.5, -3.0), (-2.0, 3.0), (1.5, 0.0)])
def test_power_functions(dtype, a, b):
    check(powers, dtype(a), dtype(b))


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=dtype_id)
def test_functions_of_integers(dtype):
    @njit
    def of_int(k):
        return math.sqrt(k), math.exp(k), math.floor(k), np.sign(k), abs(k), np.isnan(k)

    for value in (0, 1, 9, 100):
        check(of_int, dtype(value))


def test_sign():
    @njit
    def sign(x):
        return np.sign(x)

    for value in (-2.5, -0.0, 0.0, 3.0, np.inf, -np.inf, -7, 0, 7):
        check(sign, value)
    assert math.isnan(sign(np.nan))


def test_constants():
    @njit
    def constants():
        return np.pi, np.e, np.inf, -np.inf, math.pi, math.e, math.inf

    assert constants() == (np.pi, np.e, np.inf, -np.inf, math.pi, math.e, math.inf)

    @njit
    def nan_constants():
        return np.nan, math.nan

    assert all(math.isnan(v) for v in nan_constants())


# ---- builtins ---------------------------------------------------------------

@njit
def conversions(x):
    return int(x), float(x), complex(x), round(x), bool(x)


@njit
def rounding(x):
    return round(x), round(x, 2), round(x, 0), round(x, -1)


@njit
def min_max(a, b, c):
    return min(a, b), max(a, b), min(a, b, c), max(c, b, a), abs(a - c)


@njit
def complex_parts(a, b):
    z = complex(a, b)
    return z, abs(z), z.real, z.imag, z.conjugate()


@pytest.mark.parametrize("x", [0, 7, -7, 0.0, 2.75, -2.75, 1e10])
def test_conversions(x):
    check(conversions, x)


@njit
def complex_of_complex(z, w, x):
    return complex(z), complex(z, w), complex(x, z), complex(z, x), complex(w, -0.0)


@pytest.mark.parametrize("z, w", [(1 + 2j, 3 - 1j), (-0.0 + 0j, 0j), (complex(np.inf, 1), 2j), (np.complex64(1.5j), 1)])
@pytest.mark.parametrize("x", [0.5, -3, np.float32(2.0)])
def test_complex_of_complex_numbers_as_python(z, w, x):
    got, expected = complex_of_complex(z, w, x), complex_of_complex.py_func(complex(z), w, x)
    for g, e in zip(got, expected):
        assert isinstance(g, complex)
        np.testing.assert_equal([g.real, g.imag], [e.real, e.imag])
        assert (math.copysign(1, g.real), math.copysign(1, g.imag)) == (math.copysign(1, e.real), math.copysign(1, e.imag))


@FLOATS
@pytest.mark.parametrize("x", [0.0, 2.5, 3.5, -2.5, 1.23456, -7.891, 149.0, 0.1])
def test_round(dtype, x):
    check(rounding, dtype(x))


@pytest.mark.parametrize("a, b, c", [(1, 2, 3), (3, 2, 1), (-5, 9, -5), (1.5, -2.5, 0.25), (2.0, 2.0, 2.0)])
def test_min_max_abs(a, b, c):
    check(min_max, a, b, c)


@pytest.mark.parametrize("dtype", INT_DTYPES + FLOAT_DTYPES, ids=dtype_id)
def test_min_max_dtypes(dtype):
    check(min_max, dtype(7), dtype(3), dtype(5))


@pytest.mark.parametrize("a, b", [(1.0, 2.0), (-3.0, 4.0), (3, 0)])
def test_complex_builtin(a, b):
    check(complex_parts, a, b)


@pytest.mark.parametrize("n", [-2, 0, 1, 10, 11])
def test_len_of_range_and_array(n):
    @njit
    def lengths(n, x):
        return len(range(n)), len(range(2, n, 3)), len(range(n, 0, -2)), len(x)

    check(lengths, n, np.zeros(max(n, 0)))


# ---- loops over arrays --------------------------------------------------------

@njit
def arctan_sum(X):
    s = 0.0
    n = X.shape[0]
    for i in range(n):
        for j in range(min(n, 8)):
            s += np.arctan(X[j] * i * j)
    return s


@njit
def positive_sums(X):
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    s4 = 0.0
    s5 = 0.0
    for j in range(X.shape[0]):
        s1 += np.sqrt(X[j])
        s2 += math.exp(-X[j])
        s3 += np.log1p(X[j])
        s4 += np.cos(X[j]) + np.tanh(X[j])
        s5 += np.power(X[j], 1.5) + math.atan2(X[j], 2.0)
    return s1, s2, s3, s4, s5


@njit
def elementwise(out, X):
    for j in range(X.shape[0]):
        out[j, 0] = np.sin(X[j])
        out[j, 1] = np.exp(X[j])
        out[j, 2] = np.log(X[j] + 3.0)
        out[j, 3] = np.arctan(X[j] * j)
        out[j, 4] = math.sqrt(abs(X[j]))
        out[j, 5] = np.hypot(X[j], 1.0)


@FLOATS
@pytest.mark.parametrize("n", SIZES)
def test_arctan_sum_over_array(dtype, n):
    # Single precision: Python accumulates float32 products, compiled code float64.
    check(arctan_sum, random_floats(n, dtype, 0.0, 1.0, seed=n), rtol=1e-4 if dtype == np.float32 else 1e-12)


@FLOATS
@pytest.mark.parametrize("n", SIZES)
def test_sums_of_positive_terms(dtype, n):
    check(positive_sums, random_floats(n, dtype, 0.0, 1.0, seed=n), rtol=1e-4 if dtype == np.float32 else 1e-12)


@FLOATS
@pytest.mark.parametrize("n", SIZES)
def test_elementwise_into_output_array(dtype, n):
    X = random_floats(n, dtype, -1.0, 1.0, seed=n)
    out = np.zeros((n, 6), dtype=dtype)
    check(elementwise, out, X)
