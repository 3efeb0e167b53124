"""Polynomials and sliding products: np.polyval (Horner's rule), np.polyfit
(least squares on the scaled Vandermonde matrix, as NumPy solves it),
np.correlate and np.convolve with the modes 'valid', 'same' and 'full'."""
import numpy as np

from ..decorators import njit
from .registration import implements


@implements(np.polyval)
def polyval(p, x):
    # NumPy's own loop: each coefficient, a NumPy scalar, promotes with the
    # running result (int32 stays int32). The result starts as zeros of that
    # promoted dtype, so its type does not change in the loop.
    coefficients = np.asarray(p).ravel()
    result = x * 0 + np.zeros(1, coefficients.dtype)[0]
    for k in range(coefficients.size):
        result = result * x + coefficients[k]
    return result


@implements(np.polyfit)
def polyfit(x, y, deg):
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if x.ndim != 1:
        raise TypeError("expected 1D vector for x")
    if x.size == 0:
        raise TypeError("expected non-empty vector for x")
    if y.ndim != 1:
        raise TypeError("expected 1D vector for y")
    if x.shape[0] != y.shape[0]:
        raise TypeError("expected x and y to have same length")
    order = deg + 1
    rcond = x.size * 2.220446049250313e-16  # NumPy's default: len(x) * eps
    lhs = np.empty((x.size, order))
    for i in range(x.size):
        power = 1.0
        for j in range(order - 1, -1, -1):
            lhs[i, j] = power
            power *= x[i]
    scale = np.sqrt((lhs * lhs).sum(axis=0))
    lhs = lhs / scale
    coefficients = np.linalg.lstsq(lhs, y * 1.0, rcond)[0]
    return coefficients / scale


@njit
def _slide(a, v, mode):
    """out[i] = sum_j a[i - left + j] * v[j] over the j in range, NumPy's
    _pyarray_correlate with len(a) >= len(v): `left` lags before the start."""
    n, m = a.size, v.size
    if mode == "valid":
        left, length = 0, n - m + 1
    elif mode == "same":
        left, length = m // 2, n
    elif mode == "full":
        left, length = m - 1, n + m - 1
    else:
        raise ValueError("mode must be one of 'valid', 'same', or 'full'")
    out = np.zeros(length, (a[:1] * v[:1]).dtype)
    # Blocks of outputs, each taking one tap at a time: the inner loop runs
    # over contiguous outputs and inputs, so it vectorizes, and a block's
    # outputs stay in cache across the taps. It indexes views from 0, so no
    # index can be negative and wrap: `a[i - left + j]` kept it scalar (3x slower).
    for block in range(0, length, 1024):
        stop = min(block + 1024, length)
        for j in range(m):
            tap = v[j]
            first = max(block, left - j)  # the outputs whose input a[i - left + j] exists
            last = min(stop, n + left - j)
            if first >= last:
                continue
            inputs = a[first - left + j:last - left + j]
            outputs = out[first:last]
            for i in range(outputs.size):
                outputs[i] += inputs[i] * tap
    return out


@njit
def _correlate(a, v, mode, conjugate):
    a = np.asarray(a).ravel()
    v = np.asarray(v).ravel()
    if a.size == 0:
        raise ValueError("a cannot be empty")
    if v.size == 0:
        raise ValueError("v cannot be empty")
    if conjugate and np.iscomplexobj(v):
        v = np.conj(v)
    if a.size >= v.size:
        return _slide(a, v, mode)
    # NumPy slides the shorter over the longer and reverses the result.
    return _slide(v, a, mode)[::-1].copy()


@implements(np.correlate)
def correlate(a, v, mode="valid"):
    return _correlate(a, v, mode, True)


@implements(np.convolve)
def convolve(a, v, mode="full"):
    a = np.asarray(a).ravel()
    v = np.asarray(v).ravel()
    if a.size < v.size:  # NumPy slides the shorter over the longer
        return _correlate(v, a[::-1], mode, False)
    return _correlate(a, v[::-1], mode, False)


# np.polyadd, np.polysub, np.polymul, np.polyder, np.polyint and np.polydiv:
# numpy.lib's forms, highest degree first, written as NumPy writes them.

@njit
def _padded_pair(a1, a2):
    """Both coefficient arrays 1-D, the shorter one zero-padded in front."""
    a, b = np.atleast_1d(a1), np.atleast_1d(a2)
    if a.size < b.size:
        return np.concatenate((np.zeros(b.size - a.size, a.dtype), a)), b
    if b.size < a.size:
        return a, np.concatenate((np.zeros(a.size - b.size, b.dtype), b))
    return a, b


@implements(np.polyadd)
def polyadd(a1, a2):
    a, b = _padded_pair(a1, a2)
    return a + b


@implements(np.polysub)
def polysub(a1, a2):
    a, b = _padded_pair(a1, a2)
    return a - b


@njit
def _as_poly1d(p):
    """The coefficients np.poly1d keeps: leading zeros dropped, [0] when all are zero."""
    a = np.atleast_1d(p)
    for i in range(a.size):
        if a[i] != 0:
            return a[i:]
    return np.zeros(1, a.dtype)


@implements(np.polymul)
def polymul(a1, a2):
    return np.convolve(_as_poly1d(a1), _as_poly1d(a2))


@implements(np.polyder)
def polyder(p, m=1):
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    result = np.atleast_1d(p) * 1
    for _ in range(m):
        n = result.size - 1
        result = result[:-1] * np.arange(n, 0, -1)
    return result


@implements(np.polyint)
def polyint(p, m=1, k=0.0):
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    result = np.atleast_1d(p) * 1.0
    for _ in range(m):
        integral = np.empty(result.size + 1, result.dtype)
        integral[:-1] = result / np.arange(result.size, 0, -1)
        integral[-1] = k
        result = integral
    return result


@implements(np.polydiv)
def polydiv(u, v):
    numerator, divisor = np.atleast_1d(u) + 0.0, np.atleast_1d(v) + 0.0
    m, n = numerator.size - 1, divisor.size - 1
    scale = 1.0 / divisor[0]
    quotient = np.zeros(max(m - n + 1, 1), (numerator[:1] + divisor[:1]).dtype)
    remainder = numerator.astype(quotient.dtype)
    for k in range(0, m - n + 1):
        d = scale * remainder[k]
        quotient[k] = d
        remainder[k:k + n + 1] -= d * divisor
    # NumPy drops leading terms while np.allclose(r[0], 0, rtol=1e-14): |r[0]| <= atol = 1e-8.
    while remainder.size > 1 and abs(remainder[0]) <= 1e-8:
        remainder = remainder[1:]
    return quotient, remainder
