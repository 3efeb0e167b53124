"""Numerical helpers NumPy writes in Python, written here the same way:
np.geomspace, np.unwrap, np.roots, np.i0 and np.kaiser, np.nanquantile /
np.nanpercentile, np.asarray_chkfinite, np.isscalar; and the array methods
a.clip, a.conj / a.conjugate, a.nonzero and a.take."""
import math

import numpy as np

from ..decorators import njit

_AxisError = np.exceptions.AxisError
from .registration import extends, implements


@implements(np.geomspace)
def geomspace(start, stop, num=50, endpoint=True):
    """NumPy's: log-spaced between |start| and |stop| with their common sign, the ends exact."""
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    sign = 1.0
    first, last = start * 1.0, stop * 1.0
    if first < 0:
        sign = -1.0
        first, last = -first, -last
    out = np.power(10.0, np.linspace(np.log10(first), np.log10(last), num, endpoint))
    if num > 0:
        out[0] = first
        if num > 1 and endpoint:
            out[-1] = last
    return out * sign


@njit
def _unwrapped(p, limit, high, period, ambiguous, out):
    """NumPy's steps: each difference wrapped into [-high, high) (high itself for an
    ambiguous positive jump), corrections summed where a jump reaches `limit`."""
    correction = out[0] - out[0]
    for i in range(1, p.size):
        step = p[i] - p[i - 1]
        wrapped = np.mod(step + high, period) - high
        if ambiguous and wrapped == -high and step > 0:
            wrapped = high
        if abs(step) >= limit:
            correction += wrapped - step
        out[i] = p[i] + correction
    return out


@implements(np.unwrap)
def unwrap(p, discont=None, axis=-1, period=6.283185307179586):  # 2 pi
    """NumPy's unwrap of a 1-D array; integers with an integer period stay integers, as in NumPy."""
    if p.ndim != 1:
        raise NotImplementedError("np.unwrap in compiled code takes a 1-D array")
    if axis != -1 and axis != 0:
        raise _AxisError("axis out of bounds for a 1-D array")
    if isinstance(period, int) and (p.dtype == np.int64 or p.dtype == np.int32 or p.dtype == np.int16 or
                                    p.dtype == np.int8 or p.dtype == np.uint64 or p.dtype == np.uint32 or
                                    p.dtype == np.uint16 or p.dtype == np.uint8):  # decided at compile time
        high = period // 2
        limit = high if discont is None else discont
        return _unwrapped(p, limit, high, period, period % 2 == 0, p.copy())
    limit = period / 2 if discont is None else discont
    return _unwrapped(p, limit, period / 2, period, True, p * 1.0)


@implements(np.roots)
def roots(p):
    """The eigenvalues of the companion matrix of p (leading and trailing zeros dropped, the latter as roots 0).
    As np.linalg.eigvals in compiled code, real coefficients give real roots or a ValueError."""
    coefficients = np.asarray(p).ravel() * 1.0
    nonzero = np.nonzero(coefficients)[0]
    if nonzero.size == 0:
        return np.zeros(0, coefficients.dtype)
    trailing = coefficients.size - nonzero[-1] - 1
    kept = coefficients[nonzero[0]:nonzero[-1] + 1]
    n = kept.size
    if n > 1:
        companion = np.zeros((n - 1, n - 1), kept.dtype)
        for i in range(1, n - 1):
            companion[i, i - 1] = 1.0
        companion[0, :] = -kept[1:] / kept[0]
        found = np.linalg.eigvals(companion)
    else:
        found = np.zeros(0, kept.dtype)
    return np.concatenate((found, np.zeros(trailing, found.dtype)))


# Cephes' Chebyshev coefficients for I0 on [0, 8] and (8, inf), as NumPy's np.i0 uses them.
_I0_SMALL = np.array([
    -4.41534164647933937950E-18, 3.33079451882223809783E-17, -2.43127984654795469359E-16,
    1.71539128555513303061E-15, -1.16853328779934516808E-14, 7.67618549860493561688E-14,
    -4.85644678311192946090E-13, 2.95505266312963983461E-12, -1.72682629144155570723E-11,
    9.67580903537323691224E-11, -5.18979560163526290666E-10, 2.65982372468238665035E-9,
    -1.30002500998624804212E-8, 6.04699502254191894932E-8, -2.67079385394061173391E-7,
    1.11738753912010371815E-6, -4.41673835845875056359E-6, 1.64484480707288970893E-5,
    -5.75419501008210370398E-5, 1.88502885095841655729E-4, -5.76375574538582365885E-4,
    1.63947561694133579842E-3, -4.32430999505057594430E-3, 1.05464603945949983183E-2,
    -2.37374148058994688156E-2, 4.93052842396707084878E-2, -9.49010970480476444210E-2,
    1.71620901522208775349E-1, -3.04682672343198398683E-1, 6.76795274409476084995E-1])
_I0_LARGE = np.array([
    -7.23318048787475395456E-18, -4.83050448594418207126E-18, 4.46562142029675999901E-17,
    3.46122286769746109310E-17, -2.82762398051658348494E-16, -3.42548561967721913462E-16,
    1.77256013305652638360E-15, 3.81168066935262242075E-15, -9.55484669882830764870E-15,
    -4.15056934728722208663E-14, 1.54008621752140982691E-14, 3.85277838274214270114E-13,
    7.18012445138366623367E-13, -1.79417853150680611778E-12, -1.32158118404477131188E-11,
    -3.14991652796324136454E-11, 1.18891471078464383424E-11, 4.94060238822496958910E-10,
    3.39623202570838634515E-9, 2.26666899049817806459E-8, 2.04891858946906374183E-7,
    2.89137052083475648297E-6, 6.88975834691682398426E-5, 3.36911647825569408990E-3,
    8.04490411014108831608E-1])


@njit
def _chebyshev(x, coefficients):
    b0 = coefficients[0]
    b1 = 0.0
    b2 = 0.0
    for i in range(1, coefficients.size):
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + coefficients[i]
    return 0.5 * (b0 - b2)


@njit
def _i0(x):
    x = abs(x)
    if x <= 8.0:
        return math.exp(x) * _chebyshev(x / 2.0 - 2, _I0_SMALL)
    return math.exp(x) * _chebyshev(32.0 / x - 2.0, _I0_LARGE) / math.sqrt(x)


@implements(np.i0)
def i0(x):
    if isinstance(x, np.ndarray):
        if x.dtype == np.float32:  # NumPy keeps float32
            out = np.empty(x.shape, np.float32)
        else:
            out = np.empty(x.shape, np.float64)
        flat, values = out.reshape(-1), x.ravel()
        for i in range(values.size):
            flat[i] = _i0(values[i] * 1.0)
        return out
    return _i0(x * 1.0)


@implements(np.kaiser)
def kaiser(M, beta):
    if M == 1:
        return np.ones(1)
    n = np.arange(0, M) * 1.0
    alpha = (M - 1) / 2.0
    return i0(beta * np.sqrt(1 - ((n - alpha) / alpha) ** 2.0)) / i0(beta * 1.0)


@njit
def _without_nans(a):
    values = a.ravel() * 1.0
    kept = values[values == values]
    if kept.size == 0:
        return np.full(1, np.nan).astype(values.dtype)  # an all-NaN slice: NaN for every q, as NumPy (which warns)
    return kept


@implements(np.nanquantile)
def nanquantile(a, q):
    return np.quantile(_without_nans(a), q)


@implements(np.nanpercentile)
def nanpercentile(a, q):
    return np.percentile(_without_nans(a), q)


@implements(np.asarray_chkfinite)
def asarray_chkfinite(a):
    if not isinstance(a, np.ndarray):
        if not np.isfinite(a):
            raise ValueError("array must not contain infs or NaNs")
        return a
    if not np.all(np.isfinite(a)):
        raise ValueError("array must not contain infs or NaNs")
    return a


@implements(np.isscalar)
def isscalar(element):
    return isinstance(element, (bool, int, float, complex, str, np.bool_, np.int8, np.int16, np.int32, np.int64,
                                np.uint8, np.uint16, np.uint32, np.uint64, np.float32, np.float64, np.complex64,
                                np.complex128))


@extends("array.clip", "np.clip")
def array_clip(a, a_min=None, a_max=None):
    if a_min is None:
        if a_max is None:
            raise ValueError("One of max or min must be given")
        return np.minimum(a, a_max)
    if a_max is None:
        return np.maximum(a, a_min)
    return np.clip(a, a_min, a_max)


@extends("array.conj", "array.conjugate")
def array_conjugate(a):
    if a.dtype == np.bool_:
        return a.copy()
    return np.conjugate(a)


@extends("array.nonzero")
def array_nonzero(a):
    return np.nonzero(a)


@extends("array.take")
def array_take(a, indices):
    return np.take(a, indices)

