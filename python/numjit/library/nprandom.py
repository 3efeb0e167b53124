"""np.random's distributions in compiled code, drawing from the same
per-thread MT19937 state as np.random.random (runtime/random.cpp), with
the algorithms of NumPy's RandomState, so that after np.random.seed(s) each
stream equals NumPy's own: `-log(1 - U)` exponentials, Marsaglia and
Tsang's gamma over the polar-method normals, Johnk's beta for small
shapes, the multiplication method and Hoermann's PTRS for Poisson, and
inversion and BTPE for the binomial.

Each distribution is one draw function of its parameters; `_sampled` adds
NumPy's size= (None for one number, else an array of that shape filled in
C order), and the public function checks the parameters as NumPy does."""
import math

import numpy as np

from ..decorators import njit
from .registration import extends, implements


def _sampled(draw, dtype):
    """The size= handling of a distribution: one draw(*params), or an array of shape `size` of them."""

    def one(params):
        # len(params) is the tuple type's: each specialization keeps one call.
        if len(params) == 0:
            return draw()
        if len(params) == 1:
            return draw(params[0])
        if len(params) == 2:
            return draw(params[0], params[1])
        return draw(params[0], params[1], params[2])

    one = njit(one)

    def sampled(params, size):
        if size is None:
            return one(params)
        out = np.empty(size, dtype)
        flat = out.reshape(-1)
        for i in range(flat.size):
            flat[i] = one(params)
        return out

    return njit(sampled)


@njit(inline="always")  # a few instructions (MT19937 inline), in every sampler's inner loop
def _uniform():
    return np.random.random()


@njit
def _normal():
    return np.random.standard_normal()  # the polar method's, with its cached second value


@njit
def _standard_exponential():
    return -math.log(1.0 - _uniform())


@njit
def _standard_gamma(shape):
    if shape == 1.0:
        return _standard_exponential()
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = _uniform()
            v = _standard_exponential()
            if u <= 1.0 - shape:
                x = u ** (1.0 / shape)
                if x <= v:
                    return x
            else:
                y = -math.log((1 - u) / shape)
                x = (1.0 - shape + shape * y) ** (1.0 / shape)
                if x <= v + y:
                    return x
    b = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9 * b)
    while True:
        x = _normal()
        v = 1.0 + c * x
        while v <= 0.0:
            x = _normal()
            v = 1.0 + c * x
        v = v * v * v
        u = _uniform()
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if math.log(u) < 0.5 * x * x + b * (1.0 - v + math.log(v)):
            return b * v


@njit
def _beta(a, b):
    if a <= 1.0 and b <= 1.0:  # Johnk's algorithm
        while True:
            u = _uniform()
            v = _uniform()
            x = u ** (1.0 / a)
            y = v ** (1.0 / b)
            if x + y <= 1.0:
                if x + y > 0:
                    return x / (x + y)
                log_x = math.log(u) / a
                log_y = math.log(v) / b
                largest = max(log_x, log_y)
                log_x -= largest
                log_y -= largest
                return math.exp(log_x - math.log(math.exp(log_x) + math.exp(log_y)))
    ga = _standard_gamma(a)
    gb = _standard_gamma(b)
    return ga / (ga + gb)


@njit
def _log_gamma(x):
    """log(Gamma(x)) by the series NumPy's samplers use (Zhang and Jin), so that rejections agree."""
    x = x * 1.0
    if x == 1.0 or x == 2.0:
        return 0.0
    shift = 0
    x0 = x
    if x <= 7.0:
        shift = int(7 - x)
        x0 = x + shift
    x2 = 1.0 / (x0 * x0)
    series = -1.39243221690590e+00
    for coefficient in (1.796443723688307e-01, -2.955065359477124e-02, 6.410256410256410e-03,
                        -1.917526917526918e-03, 8.417508417508418e-04, -5.952380952380952e-04,
                        7.936507936507937e-04, -2.777777777777778e-03, 8.333333333333333e-02):
        series = series * x2 + coefficient
    result = series / x0 + 0.5 * math.log(2 * math.pi) + (x0 - 0.5) * math.log(x0) - x0
    if x <= 7.0:
        for _ in range(shift):
            result -= math.log(x0 - 1.0)
            x0 -= 1.0
    return result


@njit
def _poisson(lam):
    if lam >= 10:  # Hoermann's transformed rejection (PTRS)
        root = math.sqrt(lam)
        log_lam = math.log(lam)
        b = 0.931 + 2.53 * root
        a = -0.059 + 0.02483 * b
        inverse_alpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = _uniform() - 0.5
            v = _uniform()
            us = 0.5 - abs(u)
            k = int(math.floor((2 * a / us + b) * u + lam + 0.43))
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(inverse_alpha) - math.log(a / (us * us) + b)
                    <= -lam + k * log_lam - _log_gamma(k + 1)):
                return k
    if lam == 0:
        return 0
    limit = math.exp(-lam)  # multiplication of uniforms
    count = 0
    product = 1.0
    while True:
        product *= _uniform()
        if product > limit:
            count += 1
        else:
            return count


@njit
def _binomial_inversion(n, p):
    q = 1.0 - p
    qn = math.exp(n * math.log(q))
    mean = n * p
    bound = int(min(n, mean + 10.0 * math.sqrt(mean * q + 1)))
    x = 0
    px = qn
    u = _uniform()
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = _uniform()
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@njit
def _stirling_tail(x, x2):
    return (13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / x2) / x2) / x2) / x2) / x / 166320.0


@njit
def _binomial_btpe(n, p):
    """Kachitvichyanukul and Schmeiser's BTPE, p <= 0.5, as NumPy steps through it."""
    r = min(p, 1.0 - p)
    q = 1.0 - r
    fm = n * r + r
    m = int(math.floor(fm))
    p1 = math.floor(2.195 * math.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl = xm - p1
    xr = xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    lam_l = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lam_r = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / lam_l
    p4 = p3 + c / lam_r
    nrq = n * r * q
    while True:
        u = _uniform() * p4
        v = _uniform()
        if u <= p1:  # the triangle: accepted at once
            y = int(math.floor(xm - p1 * v + u))
            break
        if u <= p2:  # the parallelograms
            x = xl + (u - p1) / c
            v = v * c + 1.0 - abs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = int(math.floor(x))
        elif u <= p3:  # the left exponential tail
            y = int(math.floor(xl + math.log(v) / lam_l)) if v > 0.0 else -1
            if y < 0 or v == 0.0:
                continue
            v = v * (u - p2) * lam_l
        else:  # the right exponential tail
            y = int(math.floor(xr - math.log(v) / lam_r)) if v > 0.0 else n + 1
            if y > n or v == 0.0:
                continue
            v = v * (u - p3) * lam_r
        k = abs(y - m)
        if k <= 20 or k >= nrq / 2.0 - 1:
            s = r / q
            a = s * (n + 1)
            f = 1.0
            if m < y:
                for i in range(m + 1, y + 1):
                    f *= a / i - s
            elif m > y:
                for i in range(y + 1, m + 1):
                    f /= a / i - s
            if v > f:
                continue
            break
        rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)
        t = -k * k / (2 * nrq)
        log_v = math.log(v) if v > 0.0 else -math.inf
        if log_v < t - rho:
            break
        if log_v > t + rho:
            continue
        x1 = y + 1.0
        f1 = m + 1.0
        z = n + 1.0 - m
        w = n - y + 1.0
        bound = (xm * math.log(f1 / x1) + (n - m + 0.5) * math.log(z / w) + (y - m) * math.log(w * r / (x1 * q))
                 + _stirling_tail(f1, f1 * f1) + _stirling_tail(z, z * z) + _stirling_tail(x1, x1 * x1)
                 + _stirling_tail(w, w * w))
        if log_v > bound:
            continue
        break
    if p > 0.5:
        y = n - y
    return y


@njit
def _binomial(n, p):
    if p <= 0.5:
        return _binomial_inversion(n, p) if p * n <= 30.0 else _binomial_btpe(n, p)
    q = 1.0 - p
    return n - (_binomial_inversion(n, q) if q * n <= 30.0 else _binomial_btpe(n, q))


@njit
def _geometric(p):
    if p >= 0.333333333333333333333333:  # search
        x = 1
        total = p
        product = p
        q = 1.0 - p
        u = _uniform()
        while u > total:
            product *= q
            total += product
            x += 1
        return x
    return int(math.ceil(math.log(1.0 - _uniform()) / math.log(1.0 - p)))


@njit
def _exponential(scale):
    return scale * _standard_exponential()


@njit
def _gamma(shape, scale):
    return scale * _standard_gamma(shape)


@njit
def _chisquare(df):
    return 2.0 * _standard_gamma(df / 2.0)


@njit
def _f(dfnum, dfden):
    return (_chisquare(dfnum) * dfden) / (_chisquare(dfden) * dfnum)


@njit
def _standard_t(df):
    numerator = _normal()
    denominator = _standard_gamma(df / 2)
    return math.sqrt(df / 2) * numerator / math.sqrt(denominator)


@njit
def _lognormal(mean, sigma):
    return math.exp(mean + sigma * _normal())


@njit
def _standard_cauchy():
    return _normal() / _normal()


@njit
def _pareto(a):
    return math.exp(_standard_exponential() / a) - 1


@njit
def _weibull(a):
    if a == 0.0:
        return 0.0
    return _standard_exponential() ** (1.0 / a)


@njit
def _power(a):
    return (1 - math.exp(-_standard_exponential())) ** (1.0 / a)


@njit
def _wald(mean, scale):
    half = mean / (2 * scale)
    y = _normal()
    y = mean * y * y
    x = mean + half * (y - math.sqrt(4 * scale * y + y * y))
    if _uniform() <= mean / (mean + x):
        return x
    return mean * mean / x


@njit
def _laplace(loc, scale):
    while True:
        u = _uniform()
        if u >= 0.5:
            return loc - scale * math.log(2.0 - u - u)
        if u > 0.0:
            return loc + scale * math.log(u + u)


@njit
def _gumbel(loc, scale):
    while True:
        u = 1.0 - _uniform()
        if u < 1.0:
            return loc - scale * math.log(-math.log(u))


@njit
def _logistic(loc, scale):
    while True:
        u = _uniform()
        if u > 0.0:
            return loc + scale * math.log(u / (1.0 - u))


@njit
def _rayleigh(scale):
    return scale * math.sqrt(-2.0 * math.log1p(-_uniform()))  # RandomState's rayleigh: log1p, not log(1 - U)


@njit
def _triangular(left, mode, right):
    base = right - left
    left_base = mode - left
    ratio = left_base / base
    u = _uniform()
    if u <= ratio:
        return left + math.sqrt(u * left_base * base)
    return right - math.sqrt((1.0 - u) * (right - mode) * base)


@njit
def _negative_binomial(n, p):
    return _poisson(_gamma(n, (1 - p) / p))


_F64, _I64 = np.float64, np.int64
_EXPONENTIAL = _sampled(_exponential, _F64)
_STANDARD_EXPONENTIAL = _sampled(_standard_exponential, _F64)
_GAMMA = _sampled(_gamma, _F64)
_STANDARD_GAMMA = _sampled(_standard_gamma, _F64)
_BETA = _sampled(_beta, _F64)
_CHISQUARE = _sampled(_chisquare, _F64)
_F_DISTRIBUTION = _sampled(_f, _F64)
_STANDARD_T = _sampled(_standard_t, _F64)
_LOGNORMAL = _sampled(_lognormal, _F64)
_STANDARD_CAUCHY = _sampled(_standard_cauchy, _F64)
_PARETO = _sampled(_pareto, _F64)
_WEIBULL = _sampled(_weibull, _F64)
_POWER = _sampled(_power, _F64)
_WALD = _sampled(_wald, _F64)
_LAPLACE = _sampled(_laplace, _F64)
_GUMBEL = _sampled(_gumbel, _F64)
_LOGISTIC = _sampled(_logistic, _F64)
_RAYLEIGH = _sampled(_rayleigh, _F64)
_TRIANGULAR = _sampled(_triangular, _F64)
_POISSON = _sampled(_poisson, _I64)
_BINOMIAL = _sampled(_binomial, _I64)
_GEOMETRIC = _sampled(_geometric, _I64)
_NEGATIVE_BINOMIAL = _sampled(_negative_binomial, _I64)


@implements(np.random.exponential)
def exponential(scale=1.0, size=None):
    if scale < 0.0:  # NaN passes, as in NumPy
        raise ValueError("scale < 0")
    return _EXPONENTIAL((scale,), size)


@implements(np.random.standard_exponential)
def standard_exponential(size=None):
    return _STANDARD_EXPONENTIAL((), size)


@implements(np.random.gamma)
def gamma(shape, scale=1.0, size=None):
    if shape < 0.0:  # NaN passes, as in NumPy
        raise ValueError("shape < 0")
    if scale < 0.0:  # NaN passes, as in NumPy
        raise ValueError("scale < 0")
    return _GAMMA((shape, scale), size)


@implements(np.random.standard_gamma)
def standard_gamma(shape, size=None):
    if shape < 0.0:  # NaN passes, as in NumPy
        raise ValueError("shape < 0")
    return _STANDARD_GAMMA((shape,), size)


@implements(np.random.beta)
def beta(a, b, size=None):
    if not a > 0.0:
        raise ValueError("a <= 0")
    if not b > 0.0:
        raise ValueError("b <= 0")
    return _BETA((a, b), size)


@implements(np.random.chisquare)
def chisquare(df, size=None):
    if not df > 0.0:
        raise ValueError("df <= 0")
    return _CHISQUARE((df,), size)


@implements(np.random.f)
def f(dfnum, dfden, size=None):
    if not dfnum > 0.0:
        raise ValueError("dfnum <= 0")
    if not dfden > 0.0:
        raise ValueError("dfden <= 0")
    return _F_DISTRIBUTION((dfnum, dfden), size)


@implements(np.random.standard_t)
def standard_t(df, size=None):
    if not df > 0.0:
        raise ValueError("df <= 0")
    return _STANDARD_T((df,), size)


@implements(np.random.lognormal)
def lognormal(mean=0.0, sigma=1.0, size=None):
    if sigma < 0.0:  # NaN passes, as in NumPy
        raise ValueError("sigma < 0")
    return _LOGNORMAL((mean, sigma), size)


@implements(np.random.standard_cauchy)
def standard_cauchy(size=None):
    return _STANDARD_CAUCHY((), size)


@implements(np.random.pareto)
def pareto(a, size=None):
    if not a > 0.0:
        raise ValueError("a <= 0")
    return _PARETO((a,), size)


@implements(np.random.weibull)
def weibull(a, size=None):
    if a < 0.0:  # NaN passes, as in NumPy
        raise ValueError("a < 0")
    return _WEIBULL((a,), size)


@implements(np.random.power)
def power(a, size=None):
    if not a > 0.0:
        raise ValueError("a <= 0")
    return _POWER((a,), size)


@implements(np.random.wald)
def wald(mean, scale, size=None):
    if not mean > 0.0:
        raise ValueError("mean <= 0")
    if not scale > 0.0:
        raise ValueError("scale <= 0")
    return _WALD((mean, scale), size)


@implements(np.random.laplace)
def laplace(loc=0.0, scale=1.0, size=None):
    if scale < 0.0:  # NaN passes, as in NumPy
        raise ValueError("scale < 0")
    return _LAPLACE((loc, scale), size)


@implements(np.random.gumbel)
def gumbel(loc=0.0, scale=1.0, size=None):
    if scale < 0.0:  # NaN passes, as in NumPy
        raise ValueError("scale < 0")
    return _GUMBEL((loc, scale), size)


@implements(np.random.logistic)
def logistic(loc=0.0, scale=1.0, size=None):
    if scale < 0.0:  # NaN passes, as in NumPy
        raise ValueError("scale < 0")
    return _LOGISTIC((loc, scale), size)


@implements(np.random.rayleigh)
def rayleigh(scale=1.0, size=None):
    if scale < 0.0:  # NaN passes, as in NumPy
        raise ValueError("scale < 0")
    return _RAYLEIGH((scale,), size)


@implements(np.random.triangular)
def triangular(left, mode, right, size=None):
    if left > mode:
        raise ValueError("left > mode")
    if mode > right:
        raise ValueError("mode > right")
    if left == right:
        raise ValueError("left == right")
    return _TRIANGULAR((left, mode, right), size)


@implements(np.random.poisson)
def poisson(lam=1.0, size=None):
    if not lam >= 0.0:
        raise ValueError("lam < 0 or lam is NaN")
    if lam > 9.223372006484771e18:  # NumPy's bound: larger would not fit its integers
        raise ValueError("lam value too large")
    return _POISSON((lam,), size)


@implements(np.random.binomial)
def binomial(n, p, size=None):
    if n < 0:
        raise ValueError("n < 0")
    if not p >= 0.0:  # NaN fails too
        raise ValueError("p < 0, p > 1 or p is NaN")
    if p > 1.0:
        raise ValueError("p < 0, p > 1 or p is NaN")
    return _BINOMIAL((n, p), size)


@implements(np.random.geometric)
def geometric(p, size=None):
    if not (p > 0.0 and p <= 1.0):
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    return _GEOMETRIC((p,), size)


@implements(np.random.negative_binomial)
def negative_binomial(n, p, size=None):
    if not n > 0:
        raise ValueError("n <= 0")
    if not (p > 0.0 and p <= 1.0):
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    return _NEGATIVE_BINOMIAL((n, p), size)


@njit
def _population(a):
    """The population of np.random.choice: a itself, or arange(a) for an int."""
    if isinstance(a, int):
        if a <= 0:
            raise ValueError("a must be greater than 0 unless no samples are taken")
        return np.arange(a)
    if a.ndim != 1:
        raise ValueError("a must be 1-dimensional")
    if a.size == 0:
        raise ValueError("a cannot be empty unless no samples are taken")
    return a


@njit
def _checked_probabilities(p, n):
    if p.ndim != 1:
        raise ValueError("p must be 1-dimensional")
    if p.size != n:
        raise ValueError("a and p must have same size")
    probabilities = p * 1.0
    if (probabilities < 0).any():
        raise ValueError("probabilities are not non-negative")
    if abs(probabilities.sum() - 1.0) > 1.4901161193847656e-08:  # NumPy's tolerance: sqrt(eps)
        raise ValueError("probabilities do not sum to 1")
    return probabilities


@njit
def _weighted_indices(probabilities, count):
    """`count` indices drawn with these weights, with replacement, as RandomState draws them."""
    cdf = np.cumsum(probabilities)
    cdf /= cdf[-1]
    return np.searchsorted(cdf, np.random.random_sample(count), side="right")


@njit
def _distinct_weighted_indices(probabilities, count):
    """`count` distinct indices with these weights: RandomState's rounds of draws, each zeroing the found ones."""
    if np.count_nonzero(probabilities > 0) < count:
        raise ValueError("Fewer non-zero entries in p than size")
    weights = probabilities.copy()
    found = np.zeros(count, np.int64)
    done = 0
    while done < count:
        for k in range(done):
            weights[found[k]] = 0
        fresh = _weighted_indices(weights, count - done)
        seen = set()
        for index in fresh:  # the first of each, in draw order (np.unique's return_index, sorted)
            if index not in seen:
                seen.add(index)
                found[done] = index
                done += 1
    return found


@extends("np.random.choice")
def choice(a, size=None, replace=True, p=None):
    population = _population(a)
    n = population.size
    count = 1 if size is None else np.empty(size, np.int8).size
    if not replace and count > n:
        raise ValueError("Cannot take a larger sample than population when 'replace=False'")
    if p is None:
        indices = np.random.randint(0, n, count) if replace else np.random.permutation(n)[:count]
    else:
        probabilities = _checked_probabilities(p, n)
        if replace:
            indices = _weighted_indices(probabilities, count)
        else:
            indices = _distinct_weighted_indices(probabilities, count)
    if size is None:
        return population[indices[0]]
    return population[indices].reshape(size)


@extends("np.random.shuffle")
def shuffle_rows(x):
    """np.random.shuffle of an N-D array: its rows, by the draws the 1-D
    shuffle of their positions makes (NumPy's legacy shuffle swaps rows with
    those draws, so the arrangement and the stream after it are NumPy's)."""
    if x.ndim == 0:
        raise TypeError("object of type 'numpy.ndarray' has no len()")
    if x.size == 0:
        return  # NumPy's shuffle draws nothing for an empty array, rows or not
    order = np.arange(x.shape[0])
    np.random.shuffle(order)
    x[...] = x[order]


@extends("np.random.permutation")
def permutation_rows(x):
    """np.random.permutation of an N-D array: rows picked by a shuffled arange, as NumPy's."""
    if x.ndim == 0:
        raise IndexError("x must be an integer or at least 1-dimensional")
    order = np.arange(x.shape[0])
    np.random.shuffle(order)
    return x[order]
