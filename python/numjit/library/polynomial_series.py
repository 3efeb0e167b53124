"""numpy.polynomial.polynomial's functions on coefficient series (lowest
degree first), and polyutils.trimseq / as_series, following NumPy's code:
inputs become 1-D copies of their common type (integers: float64) with
trailing zeros trimmed, and results are trimmed the same way."""
import numpy as np

from ..decorators import njit
from .registration import implements

P = np.polynomial.polynomial
pu = np.polynomial.polyutils


@implements(pu.trimseq)
def trimseq(seq):
    if len(seq) == 0 or seq[-1] != 0:
        return seq
    last = 0
    for i in range(len(seq) - 1, -1, -1):
        last = i
        if seq[i] != 0:
            break
    return seq[:last + 1]


@njit
def _as_1d(c):
    """A coefficient argument (array, number, or tuple or list of numbers) as an array of at least one dimension."""
    if isinstance(c, (tuple, list)):
        return np.atleast_1d(np.asarray(c))
    return np.atleast_1d(c)


@njit
def _rank(a):
    # Through a call, so that the test below is made at run time: written
    # inline, a.ndim != 1 would be decided while typing, and a function that
    # always raises would have no result type for its caller to use.
    return a.ndim


@njit
def _coefficients(c):
    """as_series' checks: a 1-D, non-empty array."""
    a = _as_1d(c)
    flat = a.ravel()  # what the callers are typed with; other ranks raise here
    if a.size == 0:  # checked first, as NumPy's as_series does
        raise ValueError("Coefficient array is empty")
    if _rank(a) != 1:
        raise ValueError("Coefficient array is not 1-d")
    return flat


@njit
def _one_dimensional(c):
    """polyval's, polyder's and polyint's coefficients: NumPy also takes more dimensions, which numjit does not yet."""
    a = _as_1d(c)
    flat = a.ravel()
    if _rank(a) != 1:
        raise NotImplementedError("coefficient arrays of more than one dimension are not supported in compiled code")
    return flat


@njit
def _series_pair(c1, c2):
    """as_series([c1, c2]): trimmed copies in the common type (np.common_type: integers become float64)."""
    a, b = _coefficients(c1), _coefficients(c2)
    common = a[:1] + b[:1] + 0.0
    return trimseq(a).astype(common.dtype), trimseq(b).astype(common.dtype)


@implements(pu.as_series)
def as_series(alist, trim=True):
    # The list form NumPy takes is a tuple or a list of two series here.
    if len(alist) != 2:
        raise ValueError("as_series in compiled code takes two series")
    a, b = _series_pair(alist[0], alist[1])
    if trim:
        return a, b
    return a.copy(), b.copy()


@implements(P.polyadd)
def polyadd(c1, c2):
    a, b = _series_pair(c1, c2)
    if a.size > b.size:
        a[:b.size] += b
        return trimseq(a)
    b[:a.size] += a
    return trimseq(b)


@implements(P.polysub)
def polysub(c1, c2):
    a, b = _series_pair(c1, c2)
    if a.size > b.size:
        a[:b.size] -= b
        return trimseq(a)
    b = -b
    b[:a.size] += a
    return trimseq(b)


@implements(P.polymul)
def polymul(c1, c2):
    a, b = _series_pair(c1, c2)
    return trimseq(np.convolve(a, b))


@implements(P.polydiv)
def polydiv(c1, c2):
    a, b = _series_pair(c1, c2)
    if b[-1] == 0:
        raise ZeroDivisionError("polynomial division by zero")
    if a.size < b.size:
        return a[:1] * 0, a
    if b.size == 1:
        return a / b[-1], a[:1] * 0
    scale = b[-1]
    divisor = b[:-1] / scale
    i, j = a.size - b.size, a.size - 1
    while i >= 0:
        a[i:j] -= divisor * a[j]
        i -= 1
        j -= 1
    return a[j + 1:] / scale, trimseq(a[:j + 1])


@implements(P.polyval)
def polyval(x, c, tensor=True):
    given = _one_dimensional(c)
    coefficients = given.astype((given[:1] + 0.0).dtype)  # integers and bools become float64, as NumPy's
    if coefficients.size == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    result = coefficients[-1] + x * 0
    for i in range(2, coefficients.size + 1):
        result = coefficients[-i] + result * x
    return result


@njit
def _float_series(c):
    """c as a 1-D float (or complex) copy: polyder's and polyint's working array."""
    a = _one_dimensional(c)
    return a.astype((a[:1] + 0.0).dtype)


@implements(P.polyder)
def polyder(c, m=1, scl=1):
    if m < 0:
        raise ValueError("The order of derivation must be non-negative")
    a = _float_series(c)
    n = a.size
    if m >= n:
        return a[:1] * 0
    for _ in range(m):
        n -= 1
        a = a * scl
        derivative = np.empty(n, a.dtype)
        for j in range(n, 0, -1):
            derivative[j - 1] = j * a[j]
        a = derivative
    return a


@implements(P.polyint)
def polyint(c, m=1, k=None, lbnd=0, scl=1):
    if m < 0:
        raise ValueError("The order of integration must be non-negative")
    if k is not None and m == 0:
        raise ValueError("Too many integration constants")
    a = _float_series(c)
    for step in range(m):
        # NumPy: a scalar k is the first integration's constant, the others are 0.
        constant = 0.0
        if k is not None and step == 0:
            constant = k
        n = a.size
        if n == 0:
            raise IndexError("index 0 is out of bounds for axis 0 with size 0")
        a = a * scl
        if n == 1 and a[0] == 0:
            a[0] += constant
            continue
        integral = np.empty(n + 1, a.dtype)
        integral[0] = a[0] * 0
        integral[1] = a[0]
        for j in range(1, n):
            integral[j + 1] = a[j] / (j + 1)
        integral[0] += constant - polyval(lbnd, integral)
        a = integral
    return a
