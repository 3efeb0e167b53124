"""Finance: Black-Scholes (loop and @vectorize), Monte Carlo (pi, an Asian
option), implied volatility by Newton's method, maximum drawdown."""
import math

import numpy as np

from . import kernel, parallel, pick, rng

FAMILY = 'finance'

RISKFREE = 0.02
VOLATILITY = 0.30


# --- Black-Scholes, the classic loop with a polynomial normal CDF ----------------

def bs_data(quick):
    n = pick(quick, 1_000_000, 100_000)
    r = rng(10)
    return (r.uniform(5.0, 30.0, n), r.uniform(1.0, 100.0, n), r.uniform(0.25, 10.0, n),
            RISKFREE, VOLATILITY)


A1, A2, A3, A4, A5 = 0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429
RSQRT2PI = 0.39894228040143267794


def _cnd_numpy(d):
    k = 1.0 / (1.0 + 0.2316419 * np.abs(d))
    v = RSQRT2PI * np.exp(-0.5 * d * d) * (k * (A1 + k * (A2 + k * (A3 + k * (A4 + k * A5)))))
    return np.where(d > 0, 1.0 - v, v)


def bs_numpy(S, X, T, R, V):
    sqrtT = np.sqrt(T)
    d1 = (np.log(S / X) + (R + 0.5 * V * V) * T) / (V * sqrtT)
    d2 = d1 - V * sqrtT
    c1, c2 = _cnd_numpy(d1), _cnd_numpy(d2)
    expRT = np.exp(-R * T)
    return S * c1 - X * expRT * c2, X * expRT * (1.0 - c2) - S * (1.0 - c1)


BLACK_SCHOLES = '''
A1 = 0.31938153
A2 = -0.356563782
A3 = 1.781477937
A4 = -1.821255978
A5 = 1.330274429
RSQRT2PI = 0.39894228040143267794


@njit
def cnd(d):
    k = 1.0 / (1.0 + 0.2316419 * abs(d))
    value = RSQRT2PI * math.exp(-0.5 * d * d) * (k * (A1 + k * (A2 + k * (A3 + k * (A4 + k * A5)))))
    if d > 0:
        value = 1.0 - value
    return value


@njit
def black_scholes(S, X, T, R, V):
    n = S.shape[0]
    call = np.empty(n)
    put = np.empty(n)
    for i in range(n):
        sqrtT = math.sqrt(T[i])
        d1 = (math.log(S[i] / X[i]) + (R + 0.5 * V * V) * T[i]) / (V * sqrtT)
        d2 = d1 - V * sqrtT
        c1 = cnd(d1)
        c2 = cnd(d2)
        expRT = math.exp(-R * T[i])
        call[i] = S[i] * c1 - X[i] * expRT * c2
        put[i] = X[i] * expRT * (1.0 - c2) - S[i] * (1.0 - c1)
    return call, put
'''

bs = kernel('black_scholes', FAMILY, BLACK_SCHOLES, bs_data, numpy=bs_numpy, rtol=1e-12,
            numpy_rtol=1e-10, note='European call and put, 1e6 options')

parallel(bs, BLACK_SCHOLES.replace('@njit\ndef black_scholes', '@njit(parallel=True)\ndef black_scholes_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'))


# --- Black-Scholes as a @vectorize ufunc with math.erf ----------------------------

def bs_vec_data(quick):
    S, X, T, R, V = bs_data(quick)
    return S, X, T, R, V


def bs_vec_numpy(S, X, T, R, V):
    from scipy.special import erf
    sqrtT = np.sqrt(T)
    d1 = (np.log(S / X) + (R + 0.5 * V * V) * T) / (V * sqrtT)
    d2 = d1 - V * sqrtT
    return (S * 0.5 * (1.0 + erf(d1 / math.sqrt(2.0)))
            - X * np.exp(-R * T) * 0.5 * (1.0 + erf(d2 / math.sqrt(2.0))))


BS_VECTORIZE = '''
@vectorize(["float64(float64, float64, float64, float64, float64)"])
def black_scholes_ufunc(S, X, T, R, V):
    sqrtT = math.sqrt(T)
    d1 = (math.log(S / X) + (R + 0.5 * V * V) * T) / (V * sqrtT)
    d2 = d1 - V * sqrtT
    n1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    n2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    return S * n1 - X * math.exp(-R * T) * n2
'''

kernel('black_scholes_ufunc', FAMILY, BS_VECTORIZE, bs_vec_data, numpy=bs_vec_numpy,
       rtol=1e-12, numpy_rtol=1e-10, note='@vectorize call price with math.erf (reference: SciPy erf)')


# --- Monte Carlo estimate of pi, np.random inside ------------------------------------

def pi_data(quick):
    return pick(quick, 2_000_000, 200_000), 42


def pi_numpy(n, seed):
    np.random.seed(seed)
    xy = np.random.random((n, 2))
    return 4.0 * np.count_nonzero((xy * xy).sum(1) < 1.0) / n


def near_pi(a, b, args):
    # independent streams per thread: both must be within 6 standard errors
    # of pi (4 sqrt(p (1 - p) / n), p = pi / 4; 1.2e-3 at 2e6 draws)
    tol = 6 * 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4) / args[0])
    for v in (a, b):
        if abs(v - math.pi) > tol:
            return f'estimate {v} is not within {tol:.2g} of pi'
    return None


MC_PI = '''
@njit
def monte_carlo_pi(n, seed):
    np.random.seed(seed)
    inside = 0
    for i in range(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y < 1.0:
            inside += 1
    return 4.0 * inside / n
'''

mcpi = kernel('monte_carlo_pi', FAMILY, MC_PI, pi_data, numpy=pi_numpy, rtol=0.0,
              note='np.random.random() in the loop; seeded, so all three streams are equal')

parallel(mcpi, MC_PI.replace('@njit', '@njit(parallel=True)')
         .replace('def monte_carlo_pi', 'def monte_carlo_pi_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'), compare=near_pi,
         note='prange: each thread draws from its own stream; checked against pi')


# --- Monte Carlo price of an arithmetic Asian option -------------------------------

def asian_data(quick):
    return 100.0, 100.0, RISKFREE, 0.2, 1.0, 50, pick(quick, 20000, 2000), 7


def asian_numpy(S0, K, r, sigma, T, steps, paths, seed):
    np.random.seed(seed)
    dt = T / steps
    z = np.random.standard_normal((paths, steps))
    s = S0 * np.cumprod(np.exp((r - 0.5 * sigma * sigma) * dt + sigma * math.sqrt(dt) * z), axis=1)
    return math.exp(-r * T) * np.maximum(s.mean(1) - K, 0.0).mean()


def near_price(a, b, args):
    # the standard error of the price is about 1.3 / sqrt(paths) of it (0.9 %
    # at 2e4 paths); allow 6 standard errors of a difference
    tol = 6 * math.sqrt(2) * 1.3 / math.sqrt(args[6])
    if abs(a - b) > tol * abs(b):
        return f'prices {a} and {b} differ by more than {100 * tol:.2g} %'
    return None


ASIAN = '''
@njit
def asian_option(S0, K, r, sigma, T, steps, paths, seed):
    np.random.seed(seed)
    dt = T / steps
    drift = (r - 0.5 * sigma * sigma) * dt
    vol = sigma * math.sqrt(dt)
    total = 0.0
    for p in range(paths):
        s = S0
        average = 0.0
        for t in range(steps):
            s *= math.exp(drift + vol * np.random.standard_normal())
            average += s
        average /= steps
        total += max(average - K, 0.0)
    return math.exp(-r * T) * total / paths
'''

asian = kernel('asian_option', FAMILY, ASIAN, asian_data, numpy=asian_numpy, rtol=1e-12,
               numpy_rtol=1e-9, note='1e6 normal draws along 2e4 paths of 50 steps; seeded')

parallel(asian, ASIAN.replace('@njit', '@njit(parallel=True)')
         .replace('def asian_option', 'def asian_option_parallel')
         .replace('for p in range(paths)', 'for p in prange(paths)'), compare=near_price,
         note='prange over paths, a stream per thread; prices compared loosely')


# --- implied volatility by Newton's method ------------------------------------------

def iv_data(quick):
    S, X, T, R, _ = bs_data(quick)
    n = pick(quick, 40_000, 4000)
    S, X, T = S[:n], X[:n], T[:n]
    sigma = rng(11).uniform(0.1, 0.6, n)
    sqrtT = np.sqrt(T)
    d1 = (np.log(S / X) + (R + 0.5 * sigma * sigma) * T) / (sigma * sqrtT)
    from scipy.special import ndtr
    price = S * ndtr(d1) - X * np.exp(-R * T) * ndtr(d1 - sigma * sqrtT)
    return price, S, X, T, R


def iv_numpy(price, S, X, T, R):
    from scipy.special import ndtr
    sigma = np.full(price.shape, 0.3)
    sqrtT = np.sqrt(T)
    for _ in range(20):
        d1 = (np.log(S / X) + (R + 0.5 * sigma * sigma) * T) / (sigma * sqrtT)
        d2 = d1 - sigma * sqrtT
        diff = S * ndtr(d1) - X * np.exp(-R * T) * ndtr(d2) - price
        vega = S * sqrtT * np.exp(-0.5 * d1 * d1) / math.sqrt(2.0 * math.pi)
        ok = vega > 1e-8
        sigma = np.where(ok, np.clip(sigma - diff / np.where(ok, vega, 1.0), 1e-3, 5.0), sigma)
    return sigma


IMPLIED_VOL = '''
@njit
def norm_cdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


@njit
def implied_volatility(price, S, X, T, R):
    n = price.shape[0]
    out = np.empty(n)
    for i in range(n):
        sigma = 0.3
        sqrtT = math.sqrt(T[i])
        for _ in range(20):
            d1 = (math.log(S[i] / X[i]) + (R + 0.5 * sigma * sigma) * T[i]) / (sigma * sqrtT)
            d2 = d1 - sigma * sqrtT
            diff = S[i] * norm_cdf(d1) - X[i] * math.exp(-R * T[i]) * norm_cdf(d2) - price[i]
            vega = S[i] * sqrtT * math.exp(-0.5 * d1 * d1) / math.sqrt(2.0 * math.pi)
            if vega > 1e-8:
                sigma = min(max(sigma - diff / vega, 1e-3), 5.0)
        out[i] = sigma
    return out
'''

iv = kernel('implied_volatility', FAMILY, IMPLIED_VOL, iv_data, numpy=iv_numpy, rtol=1e-12,
            numpy_rtol=1e-6, note='20 Newton steps per option, math.erfc')

parallel(iv, IMPLIED_VOL.replace('@njit\ndef implied_volatility', '@njit(parallel=True)\ndef implied_volatility_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'))


# --- maximum drawdown of price paths --------------------------------------------------

def drawdown_data(quick):
    steps = np.exp(0.01 * rng(12).standard_normal((pick(quick, 200, 20), 10_000)))
    return (100.0 * np.cumprod(steps, axis=1),)


def drawdown_numpy(prices):
    peak = np.maximum.accumulate(prices, axis=1)
    return (1.0 - prices / peak).max(1)


DRAWDOWN = '''
@njit
def max_drawdown(prices):
    m, n = prices.shape
    out = np.empty(m)
    for k in range(m):
        peak = prices[k, 0]
        worst = 0.0
        for t in range(n):
            p = prices[k, t]
            if p > peak:
                peak = p
            dd = 1.0 - p / peak
            if dd > worst:
                worst = dd
        out[k] = worst
    return out
'''

kernel('max_drawdown', FAMILY, DRAWDOWN, drawdown_data, numpy=drawdown_numpy, rtol=0.0,
       note='running peak along each of 200 paths')
