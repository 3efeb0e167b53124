"""np.random.Generator's methods in compiled code.

A Generator passed in (or made by np.random.default_rng in compiled code) is
the Python object itself: every draw runs NumPy's own C function for that
distribution on the object's bit generator (runtime/generator.cpp), so
streams equal NumPy's and the object's state advances as if Python had
drawn. Each method checks its parameters with NumPy's tests and messages;
parameters are numbers or arrays of them, broadcast as NumPy does.
"""
import math

import numpy as np

from ..decorators import njit
from .intrinsics import (generator_draw as _draw, generator_fill as _fill, generator_integer as _integer,
                         generator_integers as _integers)
from .registration import extends


@njit
def _as_array(x):
    """A parameter as a float64 array that broadcasts like it (a number: one element)."""
    if isinstance(x, np.ndarray):
        return x * 1.0
    return np.full(1, x * 1.0)


def _drawer(dtype):
    """size= handling of one distribution's draws into `dtype`: one number, or an array of shape `size`;
    with array parameters, one draw per element of their broadcast shape (or of size), in C order."""

    def broadcast(generator, distribution, a, b, c, size):
        x, y, z = _as_array(a), _as_array(b), _as_array(c)
        if size is None:
            out = np.empty((x * 0.0 + y * 0.0 + z * 0.0).shape, dtype)
        else:
            out = np.empty(size, dtype)
        first = np.broadcast_to(x, out.shape)
        second = np.broadcast_to(y, out.shape)
        third = np.broadcast_to(z, out.shape)
        flat = out.reshape(-1)
        i = 0
        for index in np.ndindex(out.shape):
            flat[i] = _draw(generator, distribution, first[index], second[index], third[index])
            i += 1
        return out

    broadcast = njit(broadcast)

    def draws(generator, distribution, a, b, c, size):
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) or isinstance(c, np.ndarray):
            return broadcast(generator, distribution, a, b, c, size)
        if size is None:
            return _draw(generator, distribution, a, b, c)
        out = np.empty(size, dtype)
        _fill(generator, distribution, a, b, c, out)
        return out

    return njit(draws)


_doubles = _drawer(np.float64)
_floats = _drawer(np.float32)
_int64s = _drawer(np.int64)


def _location_scale(distribution):
    """A method drawing `distribution` with loc= and scale= (scale >= 0), as NumPy's normal, gumbel, ..."""

    def method(generator, loc=0.0, scale=1.0, size=None):
        if _negative(scale):
            raise ValueError("scale < 0")
        return _doubles(generator, distribution, loc, scale, 0.0, size)

    return method



@njit
def _any(condition):
    """A parameter check's outcome: for array parameters, whether any element fails."""
    if isinstance(condition, np.ndarray):
        return condition.any()
    return condition


@njit
def _negative(x):
    # NumPy's CONS_NON_NEGATIVE: -0.0 fails, NaN passes.
    return _any(np.signbit(x) & np.logical_not(np.isnan(x)))


@njit
def _not_positive(x):
    return _any(x <= 0)  # NaN passes, as NumPy's CONS_POSITIVE


@njit
def _outside(x, low_open, high_open):
    """Some x outside [0, 1] (NaN too), either end open: NumPy's CONS_BOUNDED_* checks."""
    below = np.logical_not(x > 0) if low_open else np.logical_not(x >= 0)
    above = np.logical_not(x < 1) if high_open else np.logical_not(x <= 1)
    return _any(below | above)


@njit
def _whole(n):
    """An integer parameter as NumPy reads it: truncated to int64."""
    if isinstance(n, np.ndarray):
        return n.astype(np.int64)
    return int(n)


@extends("Generator.random")
def generator_random(generator, size=None, dtype=np.float64):
    if dtype == np.float32:
        return _floats(generator, "random_float32", 0.0, 0.0, 0.0, size)
    if dtype != np.float64:
        raise TypeError("Unsupported dtype for random")
    return _doubles(generator, "random", 0.0, 0.0, 0.0, size)


@extends("Generator.standard_normal")
def generator_standard_normal(generator, size=None, dtype=np.float64):
    if dtype == np.float32:
        return _floats(generator, "standard_normal_float32", 0.0, 0.0, 0.0, size)
    if dtype != np.float64:
        raise TypeError("Unsupported dtype for standard_normal")
    return _doubles(generator, "standard_normal", 0.0, 0.0, 0.0, size)


@extends("Generator.standard_exponential")
def generator_standard_exponential(generator, size=None, dtype=np.float64, method="zig"):
    if dtype == np.float32:
        if method == "zig":
            return _floats(generator, "standard_exponential_float32", 0.0, 0.0, 0.0, size)
        return _floats(generator, "standard_exponential_inverse_float32", 0.0, 0.0, 0.0, size)
    if dtype != np.float64:
        raise TypeError("Unsupported dtype for standard_exponential")
    if method == "zig":
        return _doubles(generator, "standard_exponential", 0.0, 0.0, 0.0, size)
    return _doubles(generator, "standard_exponential_inverse", 0.0, 0.0, 0.0, size)


@extends("Generator.standard_gamma")
def generator_standard_gamma(generator, shape, size=None, dtype=np.float64):
    if _negative(shape):
        raise ValueError("shape < 0")
    if dtype == np.float32:
        return _floats(generator, "standard_gamma_float32", shape, 0.0, 0.0, size)
    if dtype != np.float64:
        raise TypeError("Unsupported dtype for standard_gamma")
    return _doubles(generator, "standard_gamma", shape, 0.0, 0.0, size)



@extends("Generator.exponential")
def generator_exponential(generator, scale=1.0, size=None):
    if _negative(scale):
        raise ValueError("scale < 0")
    return _doubles(generator, "exponential", scale, 0.0, 0.0, size)


@extends("Generator.gamma")
def generator_gamma(generator, shape, scale=1.0, size=None):
    if _negative(shape):
        raise ValueError("shape < 0")
    if _negative(scale):
        raise ValueError("scale < 0")
    return _doubles(generator, "gamma", shape, scale, 0.0, size)


@extends("Generator.uniform")
def generator_uniform(generator, low=0.0, high=1.0, size=None):
    span = (high - low) * 1.0
    if _any(np.logical_not(np.isfinite(span))):
        raise OverflowError("high - low range exceeds valid bounds")
    if _negative(span):
        raise ValueError("high - low < 0")
    return _doubles(generator, "uniform", low, span, 0.0, size)


@extends("Generator.beta")
def generator_beta(generator, a, b, size=None):
    if _not_positive(a):
        raise ValueError("a <= 0")
    if _not_positive(b):
        raise ValueError("b <= 0")
    return _doubles(generator, "beta", a, b, 0.0, size)



@extends("Generator.f")
def generator_f(generator, dfnum, dfden, size=None):
    if _not_positive(dfnum):
        raise ValueError("dfnum <= 0")
    if _not_positive(dfden):
        raise ValueError("dfden <= 0")
    return _doubles(generator, "f", dfnum, dfden, 0.0, size)





@extends("Generator.lognormal")
def generator_lognormal(generator, mean=0.0, sigma=1.0, size=None):
    if _negative(sigma):
        raise ValueError("sigma < 0")
    return _doubles(generator, "lognormal", mean, sigma, 0.0, size)


@extends("Generator.noncentral_chisquare")
def generator_noncentral_chisquare(generator, df, nonc, size=None):
    if _not_positive(df):
        raise ValueError("df <= 0")
    if _negative(nonc):
        raise ValueError("nonc < 0")
    return _doubles(generator, "noncentral_chisquare", df, nonc, 0.0, size)


@extends("Generator.noncentral_f")
def generator_noncentral_f(generator, dfnum, dfden, nonc, size=None):
    if _not_positive(dfnum):
        raise ValueError("dfnum <= 0")
    if _not_positive(dfden):
        raise ValueError("dfden <= 0")
    if _negative(nonc):
        raise ValueError("nonc < 0")
    return _doubles(generator, "noncentral_f", dfnum, dfden, nonc, size)




@extends("Generator.rayleigh")
def generator_rayleigh(generator, scale=1.0, size=None):
    if _negative(scale):
        raise ValueError("scale < 0")
    return _doubles(generator, "rayleigh", scale, 0.0, 0.0, size)


@extends("Generator.standard_cauchy")
def generator_standard_cauchy(generator, size=None):
    return _doubles(generator, "standard_cauchy", 0.0, 0.0, 0.0, size)



@extends("Generator.triangular")
def generator_triangular(generator, left, mode, right, size=None):
    if _any(left > mode):
        raise ValueError("left > mode")
    if _any(mode > right):
        raise ValueError("mode > right")
    if _any(left == right):
        raise ValueError("left == right")
    return _doubles(generator, "triangular", left, mode, right, size)


@extends("Generator.vonmises")
def generator_vonmises(generator, mu, kappa, size=None):
    if _negative(kappa):
        raise ValueError("kappa < 0")
    return _doubles(generator, "vonmises", mu, kappa, 0.0, size)


@extends("Generator.wald")
def generator_wald(generator, mean, scale, size=None):
    if _not_positive(mean):
        raise ValueError("mean <= 0")
    if _not_positive(scale):
        raise ValueError("scale <= 0")
    return _doubles(generator, "wald", mean, scale, 0.0, size)


@extends("Generator.weibull")
def generator_weibull(generator, a, size=None):
    if _negative(a):
        raise ValueError("a < 0")
    return _doubles(generator, "weibull", a, 0.0, 0.0, size)


# NumPy's largest Poisson mean: int64's maximum less ten of its square roots.
_POISSON_LAM_MAX = float(np.iinfo(np.int64).max) - math.sqrt(float(np.iinfo(np.int64).max)) * 10


@extends("Generator.binomial")
def generator_binomial(generator, n, p, size=None):
    if _outside(p, False, False):
        raise ValueError("p < 0, p > 1 or p is NaN")
    trials = _whole(n)
    if _any(trials < 0):
        raise ValueError("n < 0")
    return _int64s(generator, "binomial", trials, p, 0.0, size)


@extends("Generator.geometric")
def generator_geometric(generator, p, size=None):
    if _outside(p, True, False):
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    return _int64s(generator, "geometric", p, 0.0, 0.0, size)


@extends("Generator.hypergeometric")
def generator_hypergeometric(generator, ngood, nbad, nsample, size=None):
    good, bad, sample = _whole(ngood), _whole(nbad), _whole(nsample)
    if _any(good >= 1000000000) or _any(bad >= 1000000000):
        raise ValueError("both ngood and nbad must be less than 1000000000")
    if _any(good + bad < sample):
        raise ValueError("ngood + nbad < nsample")
    if _any(good < 0):
        raise ValueError("ngood < 0")
    if _any(bad < 0):
        raise ValueError("nbad < 0")
    if _any(sample < 0):
        raise ValueError("nsample < 0")
    return _int64s(generator, "hypergeometric", good, bad, sample, size)


@extends("Generator.logseries")
def generator_logseries(generator, p, size=None):
    if _outside(p, False, True):
        raise ValueError("p < 0, p >= 1 or p is NaN")
    return _int64s(generator, "logseries", p, 0.0, 0.0, size)


@extends("Generator.negative_binomial")
def generator_negative_binomial(generator, n, p, size=None):
    if _any(np.isnan(n)):
        raise ValueError("n must not be NaN")
    if _not_positive(n):
        raise ValueError("n <= 0")
    if _outside(p, True, False):
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    if _any((1 - p) / p * (n + 10 * np.sqrt(n)) > _POISSON_LAM_MAX):
        raise ValueError("n too large or p too small, see Generator.negative_binomial Notes")
    return _int64s(generator, "negative_binomial", n, p, 0.0, size)


@extends("Generator.poisson")
def generator_poisson(generator, lam=1.0, size=None):
    if _any(np.logical_not(lam >= 0)):
        raise ValueError("lam < 0 or lam is NaN")
    if _any(np.logical_not(lam <= _POISSON_LAM_MAX)):
        raise ValueError("lam value too large")
    return _int64s(generator, "poisson", lam, 0.0, 0.0, size)


@extends("Generator.zipf")
def generator_zipf(generator, a, size=None):
    if _any(np.logical_not(a > 1)):
        raise ValueError("a <= 1 or a is NaN")
    return _int64s(generator, "zipf", a, 0.0, 0.0, size)


@njit
def _integer_bounds(dtype):
    """The smallest and largest value of an integer or bool dtype (uint64's largest as int64's)."""
    if dtype == np.bool_:
        return 0, 1
    if dtype == np.int8:
        return -128, 127
    if dtype == np.int16:
        return -32768, 32767
    if dtype == np.int32:
        return -2147483648, 2147483647
    if dtype == np.uint8:
        return 0, 255
    if dtype == np.uint16:
        return 0, 65535
    if dtype == np.uint32:
        return 0, 4294967295
    if dtype == np.uint64:
        return 0, 9223372036854775807
    return -9223372036854775808, 9223372036854775807


@njit
def _uint64_integers(generator, low, high, size, endpoint):
    """Generator.integers(dtype=np.uint64), in uint64 arithmetic: its bounds reach 2**64 - 1."""
    if high is None:
        lowest, highest = 0, low
    else:
        lowest, highest = low, high
    if lowest < 0:
        raise ValueError("low is out of bounds for the dtype")
    if highest < 0 or (highest == 0 and not endpoint):
        if endpoint:
            raise ValueError("high < 0")
        raise ValueError("high <= 0")
    first = np.uint64(lowest)
    last = np.uint64(highest) - np.uint64(0 if endpoint else 1)
    if first > last:
        if endpoint:
            raise ValueError("low > high")
        raise ValueError("low >= high")
    if size is None:
        return _integer(generator, first, last - first, np.uint64)
    out = np.empty(size, np.uint64)
    if out.size > 0:
        _integers(generator, first, last - first, out)
    return out


@extends("Generator.integers")
def generator_integers(generator, low, high=None, size=None, dtype=np.int64, endpoint=False):
    if dtype == np.uint64:
        return _uint64_integers(generator, low, high, size, endpoint)
    if high is None:
        lowest = 0
        highest = int(low)
    else:
        lowest = int(low)
        highest = int(high)
    if size is not None:
        out = np.empty(size, dtype)
        if out.size == 0:
            return out  # NumPy checks nothing when it draws nothing
    if not endpoint:
        highest -= 1  # the draws are on the closed interval
    smallest, largest = _integer_bounds(dtype)
    if lowest < smallest:
        raise ValueError("low is out of bounds for the dtype")
    if highest > largest:
        raise ValueError("high is out of bounds for the dtype")
    if lowest > highest:
        if lowest == 0:
            if endpoint:
                raise ValueError("high < 0")
            raise ValueError("high <= 0")
        if endpoint:
            raise ValueError("low > high")
        raise ValueError("low >= high")
    if size is None:
        return _integer(generator, lowest, highest - lowest, dtype)
    _integers(generator, lowest, highest - lowest, out)
    return out


for _name in ("normal", "gumbel", "laplace", "logistic"):
    extends("Generator." + _name)(_location_scale(_name))


@extends("Generator.chisquare")
def generator_chisquare(generator, df, size=None):
    if _not_positive(df):
        raise ValueError("df <= 0")
    return _doubles(generator, "chisquare", df, 0.0, 0.0, size)


@extends("Generator.pareto")
def generator_pareto(generator, a, size=None):
    if _not_positive(a):
        raise ValueError("a <= 0")
    return _doubles(generator, "pareto", a, 0.0, 0.0, size)


@extends("Generator.power")
def generator_power(generator, a, size=None):
    if _not_positive(a):
        raise ValueError("a <= 0")
    return _doubles(generator, "power", a, 0.0, 0.0, size)


@extends("Generator.standard_t")
def generator_standard_t(generator, df, size=None):
    if _not_positive(df):
        raise ValueError("df <= 0")
    return _doubles(generator, "standard_t", df, 0.0, 0.0, size)
