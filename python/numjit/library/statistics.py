"""Covariance and correlation: np.cov, np.corrcoef; and np.convolve."""
import numpy as np

from ..decorators import njit
from .registration import implements


@njit
def _observations(m, rowvar):
    """m as a 2-D array of float64 (complex128 for complex m), NumPy's dtype
    for a covariance, with one variable per row."""
    x = m.astype(np.complex128) if np.iscomplexobj(m) else m.astype(np.float64)
    if m.ndim == 1:
        return x.reshape(1, m.size)
    if rowvar:
        return x
    return x.T


@implements(np.cov)
def cov(m, y=None, rowvar=True, bias=False, ddof=None):
    x = _observations(m, rowvar)
    if y is not None:
        x = np.vstack((x, _observations(y, rowvar)))
    n = x.shape[1]
    if ddof is None:
        correction = 0 if bias else 1
    else:
        correction = ddof
    centred = x - x.sum(axis=1).reshape(-1, 1) / n
    c = centred @ np.conj(centred.T) / max(n - correction, 0)
    if m.ndim == 1 and y is None:
        return c.reshape(())  # one variable: NumPy squeezes the 1x1 matrix to 0-d
    return c


@implements(np.corrcoef)
def corrcoef(x, y=None, rowvar=True):
    if x.ndim == 1 and y is None:
        # One variable correlates with itself: NumPy's 1.0 (NaN where its variance is 0 or NaN).
        spread = cov(x, y, rowvar)[()]
        return spread / spread
    c = cov(x, y, rowvar)
    d = np.sqrt(np.diag(c).real)
    out = c / np.outer(d, d)
    return np.clip(out.real, -1.0, 1.0) if not np.iscomplexobj(out) else out


@implements(np.convolve)
def convolve(a, v, mode="full"):
    """Discrete linear convolution of two 1-D arrays."""
    n = a.size
    m = v.size
    if n == 0:
        raise ValueError("a cannot be empty")
    if m == 0:
        raise ValueError("v cannot be empty")
    full = np.zeros(n + m - 1, (a[:1] * v[:1]).dtype)
    for i in range(n):
        ai = a[i]
        for j in range(m):
            full[i + j] += ai * v[j]
    longer = max(n, m)
    shorter = min(n, m)
    if mode == "full":
        return full
    if mode == "same":
        start = (shorter - 1) // 2
        return full[start:start + longer].copy()
    if mode == "valid":
        return full[shorter - 1:longer].copy()
    raise ValueError("mode must be 'full', 'same' or 'valid'")


@implements(np.isclose)
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    # Infinities are close only to themselves.
    finite = np.isfinite(a) & np.isfinite(b)
    close = (finite & (np.abs(a - b) <= atol + rtol * np.abs(b))) | (~finite & (a == b))
    if equal_nan:
        return close | (np.isnan(a) & np.isnan(b))
    return close


@implements(np.allclose)
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    close = isclose(a, b, rtol, atol, equal_nan)
    if close.ndim == 0:
        return bool(close)
    return bool(np.all(close))


@implements(np.quantile)
def quantile(a, q):
    """NumPy's default method (linear between the closest ranks), computed as
    NumPy computes it, so results match bit for bit. The ranks needed are
    selected in place (introselect, O(n)), not sorted; any NaN makes every
    quantile NaN, as in NumPy."""
    if isinstance(q, (list, tuple)):  # decided by type
        return quantile(a, np.array(q))
    flat = a.ravel()
    n = flat.size
    if n == 0:
        raise ValueError("cannot take a quantile of an empty array")
    if q.ndim == 0:  # decided while compiling
        qs = np.full(1, q * 1.0)
    else:
        qs = np.asarray(q).ravel() * 1.0
    virtual = (n - 1) * qs  # NumPy's virtual index for the linear method
    kth = np.empty(2 * qs.size + 1, np.int64)
    for i in range(qs.size):
        if not (qs[i] >= 0 and qs[i] <= 1):
            raise ValueError("Quantiles must be in the range [0, 1]")
        below = min(max(int(np.floor(virtual[i])), 0), n - 1)
        kth[2 * i] = below
        kth[2 * i + 1] = min(below + 1, n - 1)
    kth[2 * qs.size] = n - 1  # the largest, which is NaN when any is (NaNs go last)
    values = np.partition(flat, kth)
    has_nan = np.isnan(values[n - 1])
    if q.ndim == 0:  # a number: NumPy keeps a float array's own precision
        out = np.empty(1, (values[:0] * 1.0).dtype)
    else:
        out = np.empty(qs.size, (values[:0] * 1.0 + qs[:0]).dtype)  # NumPy's promotion of a and q
    # NumPy's _lerp, from the nearer end: the step high - low in the data's own
    # precision (NumPy subtracts before it promotes), the fraction and its
    # complement (computed in float64) rounded to the result's precision.
    parts = np.empty(5, out.dtype)  # low, high, step, fraction, 1 - fraction
    for i in range(qs.size):
        below = kth[2 * i]
        above = kth[2 * i + 1]
        gamma = min(max(virtual[i] - below, 0.0), 1.0) if virtual[i] < n - 1 else 0.0
        parts[0] = values[below]
        parts[1] = values[above]
        parts[2] = values[above] - values[below]
        parts[3] = gamma
        parts[4] = 1.0 - gamma
        upper = parts[1] - parts[2] * parts[4]
        lower = parts[0] + parts[2] * parts[3]
        out[i] = np.nan if has_nan else (upper if gamma >= 0.5 else lower)
    if q.ndim == 0:
        return out[0]
    return out.reshape(np.shape(q))


@implements(np.percentile)
def percentile(a, q):
    if isinstance(q, (list, tuple)):  # decided by type
        return quantile(a, np.array(q) / 100.0)
    return quantile(a, q / 100.0)


@implements(np.angle)
def angle(z, deg=False):
    radians = np.arctan2(z.imag, z.real)
    return radians * (180.0 / np.pi) if deg else radians
