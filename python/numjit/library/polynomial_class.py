"""np.polynomial.Polynomial in compiled code, as Numba supports it: made with
Polynomial(coef) or Polynomial(coef, domain, window[, symbol]), its coef,
domain, window and symbol read, passed in from Python and returned to it. Calling it evaluates
the series (p(x)), which Numba lacks.

In compiled code an instance is a namedtuple of its three arrays
(PolynomialFields). A Polynomial argument takes that form on the way in
(library/__init__.py registers `as_fields` for the dispatcher's slow path), and
a result goes back as a Polynomial: boxing calls the namedtuple class, whose
__new__ builds the Polynomial.
"""
import collections

import numpy as np

from ..decorators import njit
from .polynomial_series import _coefficients
from .registration import extends, implements

Polynomial = np.polynomial.polynomial.Polynomial


class PolynomialFields(collections.namedtuple("Polynomial", ["coef", "domain", "window", "symbol"])):
    """A Polynomial's arrays and symbol; compiled code builds this tuple, Python gets the Polynomial."""

    __slots__ = ()

    def __new__(cls, coef, domain, window, symbol):
        return Polynomial(coef, domain, window, symbol)


def as_fields(p):
    """A Polynomial argument as compiled code takes it (its arrays keep their dtypes)."""
    return tuple.__new__(PolynomialFields, (np.asarray(p.coef), np.asarray(p.domain), np.asarray(p.window),
                                            str(p.symbol)))


@njit
def _interval(values, name):
    # NumPy's as_series of a domain or window, which must then hold two numbers.
    interval = _coefficients(values) * 1.0
    if interval.size != 2:
        if name == "Domain":
            raise ValueError("Domain has wrong number of elements.")
        raise ValueError("Window has wrong number of elements.")
    return interval


@implements(Polynomial)
def polynomial(coef, domain=None, window=None, symbol="x"):
    series = _coefficients(coef) * 1.0  # a copy, as floats (complex stays complex)
    lower = np.array([-1.0, 1.0]) if domain is None else _interval(domain, "Domain")
    upper = np.array([-1.0, 1.0]) if window is None else _interval(window, "Window")
    return PolynomialFields(series, lower, upper, str(symbol))


@extends(f"{__name__}.PolynomialFields.__call__")
def polynomial_call(p, x):
    # NumPy's __call__: the series at x mapped from the domain to the window.
    span = p.domain[1] - p.domain[0]
    scale = (p.window[1] - p.window[0]) / span
    offset = (p.domain[1] * p.window[0] - p.domain[0] * p.window[1]) / span
    mapped = offset + scale * x
    result = mapped * 0 + p.coef[-1]
    for k in range(p.coef.size - 2, -1, -1):
        result = result * mapped + p.coef[k]
    return result
