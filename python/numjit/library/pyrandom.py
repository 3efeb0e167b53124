"""Python's random module in compiled code, with CPython's algorithms.

The state lives in the runtime (src/numjit/runtime/random.cpp: one per
thread, seeded as CPython seeds). The compiler's rows draw from it
(random.seed, random.random, and the intrinsics in intrinsics.py); every
other function is written here as CPython 3.11's random.py computes it, call
for call, so that after random.seed(s) the values equal CPython's.
"""
import math
import random

from .intrinsics import gauss as _gauss_z, getrandbits as _getrandbits, randbelow as _randbelow
from .registration import implements

_TWO_PI = 2.0 * math.pi
_NV_MAGICCONST = 4 * math.exp(-0.5) / math.sqrt(2.0)
_LOG4 = math.log(4.0)
_SG_MAGICCONST = 1.0 + math.log(4.5)


@implements(random.getrandbits)
def getrandbits(k):
    if k < 0:
        raise ValueError("number of bits must be non-negative")
    if k > 63:
        raise ValueError("getrandbits(k) in compiled code returns a 64-bit integer: k must be at most 63")
    if k == 0:
        return 0  # CPython draws nothing for it
    return _getrandbits(k)


@implements(random.randrange)
def randrange(start, stop=None, step=1):
    if stop is None:
        if step != 1:
            raise TypeError("Missing a non-None stop argument")
        if start > 0:
            return _randbelow(start)
        raise ValueError("empty range for randrange()")
    width = stop - start
    if step == 1:
        if width > 0:
            return start + _randbelow(width)
        raise ValueError("empty range for randrange()")
    if step > 0:
        n = (width + step - 1) // step
    elif step < 0:
        n = (width + step + 1) // step
    else:
        raise ValueError("zero step for randrange()")
    if n <= 0:
        raise ValueError("empty range for randrange()")
    return start + step * _randbelow(n)


@implements(random.randint)
def randint(a, b):
    return randrange(a, b + 1)


@implements(random.choice)
def choice(seq):
    if not len(seq):
        raise IndexError("Cannot choose from an empty sequence")
    return seq[_randbelow(len(seq))]


@implements(random.shuffle)
def shuffle(x):
    for i in range(len(x) - 1, 0, -1):
        j = _randbelow(i + 1)
        x[i], x[j] = x[j], x[i]


@implements(random.uniform)
def uniform(a, b):
    return a + (b - a) * random.random()


@implements(random.triangular)
def triangular(low=0.0, high=1.0, mode=None):
    u = random.random()
    if high == low:
        return low + 0.0  # CPython: (mode - low) / (high - low) divides by zero
    c = 0.5 if mode is None else (mode - low) / (high - low)
    if u > c:
        u = 1.0 - u
        c = 1.0 - c
        low, high = high, low
    return low + (high - low) * math.sqrt(u * c)


@implements(random.gauss)
def gauss(mu=0.0, sigma=1.0):
    return mu + _gauss_z() * sigma


@implements(random.normalvariate)
def normalvariate(mu=0.0, sigma=1.0):
    while True:
        u1 = random.random()
        u2 = 1.0 - random.random()
        z = _NV_MAGICCONST * (u1 - 0.5) / u2
        zz = z * z / 4.0
        if zz <= -math.log(u2):
            break
    return mu + z * sigma


@implements(random.lognormvariate)
def lognormvariate(mu, sigma):
    return math.exp(normalvariate(mu, sigma))


@implements(random.expovariate)
def expovariate(lambd):
    return -math.log(1.0 - random.random()) / lambd


@implements(random.vonmisesvariate)
def vonmisesvariate(mu, kappa):
    if kappa <= 1e-6:
        return _TWO_PI * random.random()
    s = 0.5 / kappa
    r = s + math.sqrt(1.0 + s * s)
    while True:
        u1 = random.random()
        z = math.cos(math.pi * u1)
        d = z / (r + z)
        u2 = random.random()
        if u2 < 1.0 - d * d or u2 <= (1.0 - d) * math.exp(d):
            break
    q = 1.0 / r
    f = (q + z) / (1.0 + q * z)
    u3 = random.random()
    if u3 > 0.5:
        return (mu + math.acos(f)) % _TWO_PI
    return (mu - math.acos(f)) % _TWO_PI


@implements(random.gammavariate)
def gammavariate(alpha, beta):
    if alpha <= 0.0 or beta <= 0.0:
        raise ValueError("gammavariate: alpha and beta must be > 0.0")
    if alpha > 1.0:
        ainv = math.sqrt(2.0 * alpha - 1.0)
        bbb = alpha - _LOG4
        ccc = alpha + ainv
        while True:
            u1 = random.random()
            if not 1e-7 < u1 < 0.9999999:
                continue
            u2 = 1.0 - random.random()
            v = math.log(u1 / (1.0 - u1)) / ainv
            x = alpha * math.exp(v)
            z = u1 * u1 * u2
            r = bbb + ccc * v - x
            if r + _SG_MAGICCONST - 4.5 * z >= 0.0 or r >= math.log(z):
                return x * beta
    if alpha == 1.0:
        return -math.log(1.0 - random.random()) * beta
    while True:
        u = random.random()
        b = (math.e + alpha) / math.e
        p = b * u
        if p <= 1.0:
            x = p ** (1.0 / alpha)
        else:
            x = -math.log((b - p) / alpha)
        u1 = random.random()
        if p > 1.0:
            if u1 <= x ** (alpha - 1.0):
                break
        elif u1 <= math.exp(-x):
            break
    return x * beta


@implements(random.betavariate)
def betavariate(alpha, beta):
    y = gammavariate(alpha, 1.0)
    if y:
        return y / (y + gammavariate(beta, 1.0))
    return 0.0


@implements(random.paretovariate)
def paretovariate(alpha):
    u = 1.0 - random.random()
    return u ** (-1.0 / alpha)


@implements(random.weibullvariate)
def weibullvariate(alpha, beta):
    u = 1.0 - random.random()
    return alpha * (-math.log(u)) ** (1.0 / beta)
