"""Statistics: histograms, moving windows (plain, NaN-aware, @guvectorize),
group-by sums, median and percentiles, one-pass variance, EWMA."""
import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import as_python, kernel, parallel, pick, rng

FAMILY = 'statistics'


# --- histograms ------------------------------------------------------------------

def hist_data(quick):
    return rng(20).standard_normal(pick(quick, 2_000_000, 200_000)), 100, -4.0, 4.0


def hist_numpy(x, bins, lo, hi):
    return np.histogram(x, bins, (lo, hi))[0]


HISTOGRAM = '''
@njit
def histogram(x, bins, lo, hi):
    counts = np.zeros(bins, np.int64)
    scale = bins / (hi - lo)
    for v in x:
        if lo <= v < hi:
            counts[int((v - lo) * scale)] += 1
        elif v == hi:
            counts[bins - 1] += 1
    return counts
'''

# NumPy corrects a value's bin against the bin edges, so a value within a
# rounding error of an edge may land one bin over: allow a few counts.
kernel('histogram', FAMILY, HISTOGRAM, hist_data, numpy=hist_numpy, rtol=0.0, numpy_rtol=1e-3,
       note='fixed-width bins, hand-written loop')

NP_HISTOGRAM = '''
@njit
def np_histogram(x, bins, lo, hi):
    return np.histogram(x, bins, (lo, hi))
'''

kernel('np_histogram', FAMILY, NP_HISTOGRAM, hist_data,
       numpy=lambda x, bins, lo, hi: np.histogram(x, bins, (lo, hi)), rtol=0.0, numpy_rtol=1e-3,
       note='np.histogram in compiled code (counts and edges)')


# --- moving windows ------------------------------------------------------------------

def moving_data(quick):
    return rng(21).standard_normal(pick(quick, 2_000_000, 200_000)), 50


def moving_numpy(x, w):
    return sliding_window_view(x, w).mean(-1)


MOVING_MEAN = '''
@njit
def moving_mean(x, w):
    n = x.shape[0]
    out = np.empty(n - w + 1)
    s = 0.0
    for i in range(w):
        s += x[i]
    out[0] = s / w
    for i in range(w, n):
        s += x[i] - x[i - w]
        out[i - w + 1] = s / w
    return out
'''

kernel('moving_mean', FAMILY, MOVING_MEAN, moving_data, numpy=moving_numpy, rtol=0.0,
       numpy_rtol=1e-9, note='running sum over a window of 50')


# --- running extremes written as compares ------------------------------------------

def range_data(quick):
    return (np.cumsum(rng(24).standard_normal(pick(quick, 4_000_000, 400_000))),)


SIGNAL_RANGE = '''
@njit
def signal_range(x):
    lo = x[0]
    hi = x[0]
    jump = 0.0
    for i in range(1, x.shape[0]):
        v = x[i]
        if v < lo:
            lo = v
        if v > hi:
            hi = v
        d = abs(v - x[i - 1])
        if d > jump:
            jump = d
    return lo, hi, jump
'''

kernel('signal_range', FAMILY, SIGNAL_RANGE, range_data,
       numpy=lambda x: (x.min(), x.max(), np.abs(np.diff(x)).max()), rtol=0.0,
       note='lowest, highest and largest step of a random walk, by if-compares')


PEAK_POSITIONS = '''
@njit
def peak_positions(x):
    hi = -np.inf
    lo = np.inf
    ihi = ilo = -1
    for i in range(x.shape[0]):
        v = x[i]
        if v > hi:
            hi = v
            ihi = i
        if v < lo:
            lo = v
            ilo = i
    return ihi, ilo
'''

kernel('peak_positions', FAMILY, PEAK_POSITIONS, range_data,
       numpy=lambda x: (np.argmax(x), np.argmin(x)), rtol=0.0,
       note='where a random walk is highest and lowest, by if-compares that keep the index')

NP_ARGMAX = '''
@njit
def np_argmax(x):
    return np.argmax(x), np.argmin(x)
'''

kernel('np_argmax', FAMILY, NP_ARGMAX, range_data,
       numpy=lambda x: (np.argmax(x), np.argmin(x)), rtol=0.0,
       note='np.argmax and np.argmin of a random walk')


def with_nans(x, fraction, seed):
    x = x.copy()
    x[rng(seed).random(x.shape) < fraction] = np.nan
    return x


def nan_1d_data(quick):
    return with_nans(rng(22).standard_normal(pick(quick, 200_000, 20_000)), 0.2, 23), 20


def nan_moving_numpy(x, w):
    """NaN-aware trailing mean along the last axis; NaN where the window is
    short (the first w - 1) or all NaN."""
    out = np.full(x.shape, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        out[..., w - 1:] = np.nanmean(sliding_window_view(x, w, axis=-1), axis=-1)
    return out


NAN_MOVING_1D = '''
@njit
def nan_moving_mean_1d(x, w):
    n = x.shape[0]
    out = np.full(n, np.nan)
    for i in range(w - 1, n):
        s = 0.0
        c = 0
        for j in range(i - w + 1, i + 1):
            v = x[j]
            if not np.isnan(v):
                s += v
                c += 1
        if c > 0:
            out[i] = s / c
    return out
'''

kernel('nan_moving_mean_1d', FAMILY, NAN_MOVING_1D, nan_1d_data, numpy=nan_moving_numpy,
       rtol=0.0, numpy_rtol=1e-12, note='trailing window of 20 skipping NaNs (20 % NaN)')


def nan_2d_data(quick):
    x = rng(24).standard_normal((pick(quick, 200, 20), 2000))
    return with_nans(x, 0.2, 25), 20


NAN_MOVING_2D = '''
@njit
def nan_moving_mean_2d(x, w):
    m, n = x.shape
    out = np.full((m, n), np.nan)
    for k in range(m):
        for i in range(w - 1, n):
            s = 0.0
            c = 0
            for j in range(i - w + 1, i + 1):
                v = x[k, j]
                if not np.isnan(v):
                    s += v
                    c += 1
            if c > 0:
                out[k, i] = s / c
    return out
'''

nan2d = kernel('nan_moving_mean_2d', FAMILY, NAN_MOVING_2D, nan_2d_data, numpy=nan_moving_numpy,
               rtol=0.0, numpy_rtol=1e-12, note='the same along each row of a 2-D array (20 % NaN)')

parallel(nan2d, NAN_MOVING_2D.replace('@njit', '@njit(parallel=True)')
         .replace('def nan_moving_mean_2d', 'def nan_moving_mean_2d_parallel')
         .replace('for k in range(m)', 'for k in prange(m)'))

NANMEAN_WINDOWS = '''
@njit
def nanmean_windows_2d(x, w):
    m, n = x.shape
    out = np.full((m, n), np.nan)
    for k in range(m):
        for i in range(w - 1, n):
            window = x[k, i - w + 1:i + 1]
            if not np.all(np.isnan(window)):
                out[k, i] = np.nanmean(window)
    return out
'''

kernel('nanmean_windows_2d', FAMILY, NANMEAN_WINDOWS, nan_2d_data, numpy=nan_moving_numpy,
       rtol=0.0, numpy_rtol=1e-12, note='np.nanmean of each window slice along the rows')

NAN_MOVING_GUFUNC = '''
@guvectorize(["void(float64[:], int64, float64[:])"], "(n),()->(n)")
def nan_moving_mean_gufunc(x, w, out):
    n = x.shape[0]
    for i in range(n):
        out[i] = np.nan
    for i in range(w - 1, n):
        s = 0.0
        c = 0
        for j in range(i - w + 1, i + 1):
            if not np.isnan(x[j]):
                s += x[j]
                c += 1
        if c > 0:
            out[i] = s / c
'''

kernel('nan_moving_mean_gufunc', FAMILY, NAN_MOVING_GUFUNC, nan_2d_data, numpy=nan_moving_numpy,
       rtol=0.0, numpy_rtol=1e-12, note='@guvectorize (n),()->(n) over the rows of a 2-D array')

MOVING_GUFUNC = '''
@guvectorize(["void(float64[:], intp[:], float64[:])"], "(n),()->(n)")
def move_mean(a, window_arr, out):
    window_width = window_arr[0]
    asum = 0.0
    count = 0
    for i in range(window_width):
        asum += a[i]
        count += 1
        out[i] = asum / count
    for i in range(window_width, len(a)):
        asum += a[i] - a[i - window_width]
        out[i] = asum / count
'''


def move_mean_data(quick):
    return rng(26).standard_normal((pick(quick, 1000, 100), 2000)), 20


def move_mean_numpy(a, w):
    c = np.cumsum(a, axis=-1)
    out = np.empty_like(a)
    out[:, :w] = c[:, :w] / np.arange(1, w + 1)
    out[:, w:] = (c[:, w:] - c[:, :-w]) / w
    return out


kernel('move_mean_gufunc', FAMILY, MOVING_GUFUNC, move_mean_data, func='move_mean',
       numpy=move_mean_numpy, rtol=0.0, numpy_rtol=1e-9,
       note="Numba's documented @guvectorize moving mean, 1000 rows")


# --- group-by sums -----------------------------------------------------------------

def group_data(quick):
    n, groups = pick(quick, 2_000_000, 200_000), 1000
    r = rng(27)
    return r.integers(0, groups, n), r.standard_normal(n), groups


GROUP_SUMS = '''
@njit
def group_sums(keys, values, ngroups):
    out = np.zeros(ngroups)
    for i in range(keys.shape[0]):
        out[keys[i]] += values[i]
    return out
'''

kernel('group_sums', FAMILY, GROUP_SUMS, group_data,
       numpy=lambda keys, values, ngroups: np.bincount(keys, values, ngroups), rtol=0.0,
       note='sum of values per integer key (NumPy: bincount)')


# --- order statistics ------------------------------------------------------------------

def median_data(quick):
    return (rng(28).standard_normal(pick(quick, 1_000_001, 100_001)),)


MEDIAN = '''
@njit
def median(x):
    return np.median(x)
'''

kernel('median', FAMILY, MEDIAN, median_data, numpy=np.median, rtol=0.0,
       note='np.median of a random array')

PERCENTILES = '''
@njit
def percentiles(x):
    return np.percentile(x, np.array([1.0, 5.0, 25.0, 50.0, 75.0, 95.0, 99.0]))
'''

kernel('percentiles', FAMILY, PERCENTILES, median_data,
       numpy=lambda x: np.percentile(x, np.array([1.0, 5.0, 25.0, 50.0, 75.0, 95.0, 99.0])),
       rtol=0.0, numpy_rtol=1e-12, note='np.percentile at seven levels')


# --- one-pass statistics ------------------------------------------------------------------

def welford_data(quick):
    return (3.0 + rng(29).standard_normal(pick(quick, 2_000_000, 200_000)),)


WELFORD = '''
@njit
def welford(x):
    n = 0
    mean = 0.0
    m2 = 0.0
    for v in x:
        n += 1
        delta = v - mean
        mean += delta / n
        m2 += delta * (v - mean)
    return mean, m2 / (n - 1)
'''

kernel('welford', FAMILY, WELFORD, welford_data,
       numpy=lambda x: (x.mean(), x.var(ddof=1)), rtol=0.0, numpy_rtol=1e-9,
       note="Welford's one-pass mean and variance")

EWMA = '''
@njit
def ewma(x, alpha):
    out = np.empty_like(x)
    s = x[0]
    for i in range(x.shape[0]):
        s = alpha * x[i] + (1.0 - alpha) * s
        out[i] = s
    return out
'''

kernel('ewma', FAMILY, EWMA, lambda quick: (welford_data(quick)[0], 0.05), rtol=0.0,
       note='exponentially weighted moving average (a recurrence; no NumPy form)')


# --- whole-array likelihoods: reductions and slice assignments -------------------

def likelihood_data(quick):
    r = rng(27)
    n = pick(quick, 4_000_000, 400_000)
    return r.standard_normal(n) * 1.5 + 0.3, r.standard_normal(n) * 0.1, 0.25, 1.4


GAUSS_LOGLIKE = '''
@njit
def gauss_loglike(x, offset, mu, sigma):
    z = (x - offset - mu) / sigma
    return -0.5 * np.sum(z * z) - x.size * np.log(sigma * np.sqrt(2 * np.pi)), np.max(np.abs(z))
'''

loglike = kernel('gauss_loglike', FAMILY, GAUSS_LOGLIKE, likelihood_data, numpy=as_python(GAUSS_LOGLIKE, 'gauss_loglike'), rtol=1e-9,
                 note='a Gaussian log-likelihood as array expressions and whole-array reductions')
parallel(loglike, GAUSS_LOGLIKE.replace('@njit', '@njit(parallel=True)')
         .replace('def gauss_loglike', 'def gauss_loglike_parallel'),
         note='the same; parallel=True shares the expression and the reductions')

STANDARDIZE = '''
@njit
def standardize(x, offset, mu, sigma):
    out = np.empty_like(x)
    out[:] = (x - offset - np.mean(x)) / np.std(x)
    out[out.size // 2:] *= sigma
    return out
'''

stdz = kernel('standardize', FAMILY, STANDARDIZE, likelihood_data, numpy=as_python(STANDARDIZE, 'standardize'), rtol=1e-9,
              note='mean, std and slice assignments of an array expression')
parallel(stdz, STANDARDIZE.replace('@njit', '@njit(parallel=True)').replace('def standardize', 'def standardize_parallel'),
         note='the same; parallel=True shares the reductions and slice assignments')


# --- a likelihood and its gradient: a prange array reduction ---------------------

def logistic_data(quick):
    r = rng(29)
    n, d = pick(quick, 400_000, 40_000), 16
    X = r.standard_normal((n, d))
    w = r.standard_normal(d) * 0.3
    y = (r.random(n) < 1.0 / (1.0 + np.exp(-X @ w))).astype(np.float64)
    return X, y, w * 0.5


def logistic_numpy(X, y, w):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    loss = -np.sum(y * np.log(p + 1e-12) + (1.0 - y) * np.log(1.0 - p + 1e-12))
    return loss, X.T @ (p - y)


LOGISTIC = '''
@njit
def logistic_loss_grad(X, y, w):
    n, d = X.shape
    grad = np.zeros(d)
    loss = 0.0
    for i in range(n):
        z = 0.0
        for j in range(d):
            z += X[i, j] * w[j]
        p = 1.0 / (1.0 + np.exp(-z))
        loss -= y[i] * np.log(p + 1e-12) + (1.0 - y[i]) * np.log(1.0 - p + 1e-12)
        grad += (p - y[i]) * X[i]
    return loss, grad
'''

logistic = kernel('logistic_loss_grad', FAMILY, LOGISTIC, logistic_data, numpy=logistic_numpy, rtol=1e-9,
                  note='logistic-regression loss and gradient, 16 features (the gradient an array accumulator)')
parallel(logistic, LOGISTIC.replace('@njit', '@njit(parallel=True)')
         .replace('def logistic_loss_grad', 'def logistic_loss_grad_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'),
         note='the same in prange: `grad += ...` is an array reduction')


# --- a log-ratio with the zero divisors caught: try/except in the loop -----------

def guarded_data(quick):
    r = rng(30)
    n = pick(quick, 2_000_000, 200_000)
    y = r.random(n) + 0.5
    y[r.random(n) < 0.01] = 0.0  # one divisor in a hundred is zero
    return r.random(n) + 0.5, y


def guarded_numpy(x, y):
    safe = np.where(y == 0.0, 1.0, y)
    return np.where(y == 0.0, 0.0, np.log(x / safe))


GUARDED = '''
@njit
def guarded_log_ratio(x, y):
    out = np.empty(x.size)
    for i in range(x.size):
        try:
            out[i] = math.log(x[i] / y[i])
        except Exception:  # (Numba catches only Exception or everything)
            out[i] = 0.0
    return out
'''

kernel('guarded_log_ratio', FAMILY, GUARDED, guarded_data, numpy=guarded_numpy, rtol=1e-12,
       note='log(x / y) with the zero divisors\' ZeroDivisionError caught in the loop (try/except)')
