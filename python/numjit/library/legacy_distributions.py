"""More of np.random's legacy (RandomState) distributions: vonmises, zipf,
logseries, hypergeometric, noncentral_chisquare, dirichlet and multinomial, each written
as NumPy's legacy C code draws it (numpy/random/src/legacy), over the same
MT19937 stream as nprandom.py, so that after np.random.seed(s) each stream
equals NumPy's."""
import math

import numpy as np

from ..decorators import njit
from .nprandom import _binomial, _chisquare, _log_gamma, _normal, _poisson, _sampled, _standard_gamma, _uniform
from .generator_sampling import _kahan_sum
from .registration import implements

# The largest C long: zipf rejects draws beyond it, as NumPy's legacy sampler does.
_LONG_MAX = 9223372036854775807.0


@njit
def _vonmises(mu, kappa):
    if math.isnan(kappa):
        return math.nan
    if kappa < 1e-8:
        return math.pi * (2 * _uniform() - 1)
    if kappa < 1e-5:
        s = 1.0 / kappa + kappa  # second order Taylor expansion around kappa = 0
    else:
        r = 1 + math.sqrt(1 + 4 * kappa * kappa)
        rho = (r - math.sqrt(2 * r)) / (2 * kappa)
        s = (1 + rho * rho) / (2 * rho)
    while True:
        z = math.cos(math.pi * _uniform())
        w = (1 + s * z) / (s + z)
        y = kappa * (s - w)
        v = _uniform()
        if y * (2 - y) - v >= 0 or math.log(y / v) + 1 - y >= 0:
            break
    result = math.acos(w)
    if _uniform() < 0.5:
        result = -result
    result += mu
    negative = result < 0
    wrapped = math.fmod(abs(result) + math.pi, 2 * math.pi) - math.pi
    return -wrapped if negative else wrapped


@njit
def _zipf(a):
    am1 = a - 1.0
    b = math.pow(2.0, am1)
    while True:
        u = 1.0 - _uniform()
        v = _uniform()
        x = math.floor(math.pow(u, -1.0 / am1))
        if x > _LONG_MAX or x < 1.0:
            continue
        t = math.pow(1.0 + 1.0 / x, am1)
        if v * x * (t - 1.0) / (b - 1.0) <= t / b:
            return int(x)


@njit
def _logseries(p):
    r = math.log(1.0 - p)
    while True:
        v = _uniform()
        if v >= p:
            return 1
        q = 1.0 - math.exp(r * _uniform())
        if v <= q * q:
            result = int(math.floor(1 + math.log(v) / math.log(q)))
            if result < 1 or v == 0.0:
                continue
            return result
        if v >= q:
            return 1
        return 2


@njit
def _hypergeometric_small(good, bad, sample):
    """The direct method, for samples of at most 10."""
    d1 = bad + good - sample
    d2 = float(min(bad, good))
    y = d2
    k = sample
    while y > 0.0:
        y -= int(math.floor(_uniform() + y / (d1 + k)))
        k -= 1
        if k == 0:
            break
    z = int(d2 - y)
    return sample - z if good > bad else z


@njit
def _hypergeometric_hrua(good, bad, sample):
    """Stadlober's ratio-of-uniforms (HRUA), with Frohne's corrections, as NumPy's legacy sampler."""
    fewer, more = min(good, bad), max(good, bad)
    total = good + bad
    m = min(sample, total - sample)
    d4 = fewer / total
    d5 = 1.0 - d4
    d6 = m * d4 + 0.5
    d7 = math.sqrt((total - m) * sample * d4 * d5 / (total - 1) + 0.5)
    d8 = 1.7155277699214135 * d7 + 0.8989161620588988  # 2 sqrt(2/e), 3 - 2 sqrt(3/e)
    d9 = int(math.floor((m + 1) * (fewer + 1) / (total + 2)))
    d10 = _log_gamma(d9 + 1) + _log_gamma(fewer - d9 + 1) + _log_gamma(m - d9 + 1) + _log_gamma(more - m + d9 + 1)
    d11 = min(min(m, fewer) + 1.0, math.floor(d6 + 16 * d7))
    while True:
        x = _uniform()
        y = _uniform()
        w = d6 + d8 * (y - 0.5) / x
        if w < 0.0 or w >= d11:
            continue
        z = int(math.floor(w))
        t = d10 - (_log_gamma(z + 1) + _log_gamma(fewer - z + 1) + _log_gamma(m - z + 1) +
                   _log_gamma(more - m + z + 1))
        if x * (4.0 - x) - 3.0 <= t:
            break
        if x * (x - t) >= 1:
            continue
        if x > 0.0 and 2.0 * math.log(x) <= t:
            break
        if x == 0.0:
            break  # log(0) is -inf: always accepted
    if good > bad:
        z = m - z
    if m < sample:
        z = good - z
    return z


@njit
def _hypergeometric(good, bad, sample):
    if sample > 10:
        return _hypergeometric_hrua(good, bad, sample)
    if sample > 0:
        return _hypergeometric_small(good, bad, sample)
    return 0


@njit
def _noncentral_chisquare(df, nonc):
    if nonc == 0:
        return _chisquare(df)
    if 1 < df:
        chi2 = _chisquare(df - 1)
        n = _normal() + math.sqrt(nonc)
        return chi2 + n * n
    out = _chisquare(df + 2 * _poisson(nonc / 2.0))
    return math.nan if math.isnan(nonc) else out


_VONMISES = _sampled(_vonmises, np.float64)
_ZIPF = _sampled(_zipf, np.int64)
_LOGSERIES = _sampled(_logseries, np.int64)
_HYPERGEOMETRIC = _sampled(_hypergeometric, np.int64)
_NONCENTRAL_CHISQUARE = _sampled(_noncentral_chisquare, np.float64)


@implements(np.random.vonmises)
def vonmises(mu, kappa, size=None):
    if kappa < 0.0 or (kappa == 0.0 and math.copysign(1.0, kappa) < 0):
        raise ValueError("kappa < 0")
    return _VONMISES((mu * 1.0, kappa * 1.0), size)


@implements(np.random.zipf)
def zipf(a, size=None):
    if not a > 1.0:
        raise ValueError("a <= 1 or a is NaN")
    return _ZIPF((a * 1.0,), size)


@implements(np.random.logseries)
def logseries(p, size=None):
    if not p >= 0.0 or not p < 1.0:
        raise ValueError("p < 0, p >= 1 or p is NaN")
    return _LOGSERIES((p * 1.0,), size)


@implements(np.random.hypergeometric)
def hypergeometric(ngood, nbad, nsample, size=None):
    good, bad, sample = int(ngood), int(nbad), int(nsample)
    if good + bad < sample:
        raise ValueError("ngood + nbad < nsample")
    if good < 0:
        raise ValueError("ngood < 0")
    if bad < 0:
        raise ValueError("nbad < 0")
    if sample < 1:
        raise ValueError("nsample < 1")
    return _HYPERGEOMETRIC((good, bad, sample), size)


@implements(np.random.noncentral_chisquare)
def noncentral_chisquare(df, nonc, size=None):
    if not df > 0.0:
        raise ValueError("df <= 0")
    if nonc < 0.0 or (nonc == 0.0 and math.copysign(1.0, nonc) < 0):
        raise ValueError("nonc < 0")
    return _NONCENTRAL_CHISQUARE((df * 1.0, nonc * 1.0), size)


@njit
def _draws_of(size, k, dtype):
    """Zeros for draws of k values each: shape (k,), or size + (k,)."""
    if size is None:
        return np.zeros(k, dtype)
    return np.zeros(np.empty(size, np.int8).shape + (k,), dtype)


@implements(np.random.dirichlet)
def dirichlet(alpha, size=None):
    """RandomState's: normalized standard gamma draws (no stick breaking, unlike Generator.dirichlet)."""
    weights = np.ascontiguousarray(alpha).astype(np.float64)
    k = weights.size
    if np.any(weights <= 0):
        raise ValueError("alpha <= 0")
    out = _draws_of(size, k, np.float64)
    values = out.reshape(-1)
    for start in range(0, values.size, k):
        total = 0.0
        for j in range(k):
            values[start + j] = _standard_gamma(weights[j])
            total += values[start + j]
        scale = 1 / total
        for j in range(k):
            values[start + j] *= scale
    return out


@implements(np.random.multinomial)
def multinomial(n, pvals, size=None):
    """RandomState's: one binomial draw per category but the last, on what is left (random_multinomial)."""
    p = np.ascontiguousarray(pvals).astype(np.float64)
    if p.ndim != 1:
        raise ValueError("pvals must be a 1-d sequence")
    d = p.size
    if np.any(np.logical_not((p >= 0) & (p <= 1))):
        raise ValueError("pvals < 0, pvals > 1 or pvals contains NaNs")
    if d > 0 and _kahan_sum(p[:-1]) > 1.0 + 1e-12:
        raise ValueError("sum(pvals[:-1]) > 1.0")
    if n < 0:
        raise ValueError("n < 0")
    out = _draws_of(size, d, np.int64)
    values = out.reshape(-1)
    for start in range(0, values.size, max(d, 1)):
        remaining_p = 1.0
        left = n
        for j in range(d - 1):
            share = p[j] / remaining_p
            # random_binomial draws nothing for n == 0 or p == 0
            count = 0 if left == 0 or share == 0.0 else _binomial(left, share)
            values[start + j] = count
            left -= count
            if left <= 0:
                break
            remaining_p -= p[j]
        if left > 0:
            values[start + d - 1] = left
    return out
