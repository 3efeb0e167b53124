"""Interpolation and integration over samples: np.interp, np.trapz."""
import numpy as np

from ..decorators import njit
from .registration import implements


def _register_trapezoid():
    names = [n for n in ("trapezoid", "trapz") if hasattr(np, n)]
    return [getattr(np, n) for n in names]


@implements(np.interp)
def interp(x, xp, fp, left=None, right=None):
    """Piecewise-linear interpolation of (xp, fp) at x; xp must increase."""
    n = xp.size
    if fp.size != n:
        raise ValueError("fp and xp are not of the same length.")
    if n == 0:
        raise ValueError("array of sample points is empty")
    below = float(fp[0]) if left is None else float(left)
    above = float(fp[n - 1]) if right is None else float(right)
    if x.ndim == 0:
        return _interp_one(float(x), xp, fp, below, above)
    values = np.asarray(x).ravel()
    out = np.empty(values.size, np.float64)
    for i in range(values.size):
        out[i] = _interp_one(float(values[i]), xp, fp, below, above)
    return out.reshape(x.shape)


@njit
def _interp_one(v, xp, fp, below, above):
    n = xp.size
    if v < xp[0]:
        return below
    if v > xp[n - 1]:
        return above
    if v == xp[n - 1]:
        return float(fp[n - 1])
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if xp[mid] <= v:
            lo = mid
        else:
            hi = mid
    if v == xp[lo]:
        return float(fp[lo])
    slope = (fp[hi] - fp[lo]) / (xp[hi] - xp[lo])
    return float(slope * (v - xp[lo]) + fp[lo])


@implements(*_register_trapezoid())
def trapezoid(y, x=None, dx=1.0):
    """The trapezoidal rule along the last axis of a 1-D y."""
    total = 0.0
    if x is None:
        for i in range(1, y.size):
            total += (y[i] + y[i - 1]) * 0.5
        return total * dx
    for i in range(1, y.size):
        total += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) * 0.5
    return total
