"""Python's cmath module in compiled code, compared with `.py_func` (CPython's
cmath): complex results within a few ulps (glibc's C99 complex functions and
CPython's own algorithms may differ in the last bit), exact classifications."""
import cmath
import math

import numpy as np
import pytest

from numjit import njit

VALUES = [1 + 2j, -4 + 0j, 0.3 - 0.2j, 2.5, -1, 0j, complex(1e-300, -1e-300), complex(3, -1e10), np.complex64(1 - 1j)]
FUNCTIONS = ["sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
             "asinh", "acosh", "atanh"]


def close(got, expected):
    got, expected = complex(got), complex(expected)
    for g, e in ((got.real, expected.real), (got.imag, expected.imag)):
        if math.isnan(e):
            assert math.isnan(g)
        elif math.isinf(e):
            assert g == e
        else:
            assert abs(g - e) <= 4e-16 * max(abs(e), abs(expected)) + 1e-300, (got, expected)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("z", VALUES, ids=repr)
def test_functions_return_complex_numbers_as_cpython(name, z):
    function = getattr(cmath, name)
    try:
        expected = function(complex(z))
    except (ValueError, OverflowError):
        return  # CPython raises where C returns an infinity (log(0), atanh(1)); compiled code returns it
    got = KERNELS[name](z)
    assert isinstance(got, complex)
    close(got, expected)


@njit
def k_sqrt(z):
    return cmath.sqrt(z)


@njit
def k_exp(z):
    return cmath.exp(z)


@njit
def k_log(z):
    return cmath.log(z)


@njit
def k_log10(z):
    return cmath.log10(z)


@njit
def k_sin(z):
    return cmath.sin(z)


@njit
def k_cos(z):
    return cmath.cos(z)


@njit
def k_tan(z):
    return cmath.tan(z)


@njit
def k_asin(z):
    return cmath.asin(z)


@njit
def k_acos(z):
    return cmath.acos(z)


@njit
def k_atan(z):
    return cmath.atan(z)


@njit
def k_sinh(z):
    return cmath.sinh(z)


@njit
def k_cosh(z):
    return cmath.cosh(z)


@njit
def k_tanh(z):
    return cmath.tanh(z)


@njit
def k_asinh(z):
    return cmath.asinh(z)


@njit
def k_acosh(z):
    return cmath.acosh(z)


@njit
def k_atanh(z):
    return cmath.atanh(z)


KERNELS = {name: globals()["k_" + name] for name in FUNCTIONS}


@njit
def polar_forms(z, r, phi):
    return cmath.phase(z), cmath.polar(z), cmath.rect(r, phi), cmath.log(z, 2.0), cmath.pi, cmath.e, cmath.tau


@pytest.mark.parametrize("z", [1 + 2j, -4 + 0j, -1 - 0.0j, 0.3 - 0.2j, 2.5, -3])
@pytest.mark.parametrize("r, phi", [(2.0, 0.5), (1.0, -math.pi), (0.0, 1.0)])
def test_polar_helpers(z, r, phi):
    got, expected = polar_forms(z, r, phi), polar_forms.py_func(z, r, phi)
    assert got[0] == expected[0] and got[1] == expected[1]
    close(got[2], expected[2])
    close(got[3], expected[3])
    assert got[4:] == expected[4:]


@njit
def classify(z):
    return cmath.isnan(z), cmath.isinf(z), cmath.isfinite(z)


@pytest.mark.parametrize("z", [1j, complex(math.nan, 0), complex(0, math.inf), complex(-math.inf, math.nan), 3.0,
                               complex(1e308, 1e308)], ids=repr)
def test_classifications(z):
    assert classify(z) == classify.py_func(z)
