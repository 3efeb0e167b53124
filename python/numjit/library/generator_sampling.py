"""np.random.Generator's sampling and rearranging methods (shuffle,
permutation, permuted, choice) and its vector distributions (dirichlet,
multinomial), written with NumPy's algorithms over the draws of
generator.py's intrinsics, so that streams equal NumPy's."""
import math

import numpy as np

from ..decorators import njit
from .generator import _doubles, _draw, _integer, _integers
from .intrinsics import generator_interval as _interval
from .registration import extends


@njit
def _shuffle_leading(generator, x):
    """Generator.shuffle's Fisher-Yates along the first axis, drawing by masked rejection."""
    n = len(x)
    if x.ndim == 1:
        for i in range(n - 1, 0, -1):
            j = _interval(generator, i)
            x[i], x[j] = x[j], x[i]
    else:
        for i in range(n - 1, 0, -1):
            j = _interval(generator, i)
            if i != j:
                row = x[i].copy()
                x[i] = x[j]
                x[j] = row


@extends("Generator.shuffle")
def generator_shuffle(generator, x, axis=0):
    if isinstance(x, np.ndarray):
        if x.size == 0:
            return None
        if x.ndim > 1 and axis != 0:
            _shuffle_leading(generator, np.swapaxes(x, 0, axis))
        else:
            _shuffle_leading(generator, x)
        return None
    if axis != 0:
        raise NotImplementedError("Axis argument is only supported on ndarray objects")
    for i in range(len(x) - 1, 0, -1):
        j = _interval(generator, i)
        x[i], x[j] = x[j], x[i]
    return None


@extends("Generator.permutation")
def generator_permutation(generator, x, axis=0):
    if isinstance(x, np.ndarray):
        if x.ndim == 1:
            out = x.copy()
            _shuffle_leading(generator, out)
            return out
        order = np.arange(x.shape[axis])
        _shuffle_leading(generator, order)
        if axis == 0:
            return x[order]
        return np.ascontiguousarray(np.swapaxes(np.swapaxes(x, 0, axis)[order], 0, axis))
    out = np.arange(x)
    _shuffle_leading(generator, out)
    return out


# The tolerance on the sum of p: the square root of its float type's epsilon.
_SQRT_EPS64 = math.sqrt(float(np.finfo(np.float64).eps))
_SQRT_EPS32 = math.sqrt(float(np.finfo(np.float32).eps))


@njit
def _kahan_sum(p):
    total = 0.0
    carry = 0.0
    for value in p:
        y = value - carry
        t = total + y
        carry = (t - total) - y
        total = t
    return total


@njit
def _checked_probabilities(p, population):
    """p as C-contiguous float64, checked as Generator.choice checks it."""
    if p.ndim != 1:
        raise ValueError("p must be 1-dimensional")
    if p.size != population:
        raise ValueError("a and p must have same size")
    probabilities = np.ascontiguousarray(p).astype(np.float64)
    tolerance = _SQRT_EPS64
    if p.dtype == np.float32:
        tolerance = _SQRT_EPS32
    total = _kahan_sum(probabilities)
    if math.isnan(total):
        raise ValueError("Probabilities contain NaN")
    if np.any(probabilities < 0):
        raise ValueError("Probabilities are not non-negative")
    if abs(total - 1.0) > tolerance:
        raise ValueError("Probabilities do not sum to 1. See Notes section of docstring for more information.")
    return probabilities


@njit
def _search_cdf(probabilities, uniforms):
    cdf = np.cumsum(probabilities)
    cdf /= cdf[-1]
    return np.searchsorted(cdf, uniforms, side="right")


@njit
def _sample_without_replacement(generator, population, count, shuffle):
    """Generator.choice(replace=False) without p: a shuffled tail, or Floyd's algorithm."""
    cutoff = 50 if shuffle else 20
    if population > 10000 and count > population // cutoff:
        order = np.arange(population)
        for i in range(population - 1, max(population - count, 1) - 1, -1):
            j = _integer(generator, 0, i, np.int64)
            order[i], order[j] = order[j], order[i]
        return order[population - count:].copy()
    out = np.empty(count, np.int64)
    seen = set()
    for j in range(population - count, population):
        v = _integer(generator, 0, j, np.int64)
        if v in seen:
            v = j
        seen.add(v)
        out[j - population + count] = v
    if shuffle:
        for i in range(count - 1, 0, -1):
            j = _integer(generator, 0, i, np.int64)
            out[i], out[j] = out[j], out[i]
    return out


@njit
def _sample_weighted_without_replacement(generator, probabilities, count):
    """Generator.choice(replace=False, p=): draws in rounds, zeroing what was found, keeping first occurrences."""
    if np.count_nonzero(probabilities > 0) < count:
        raise ValueError("Fewer non-zero entries in p than size")
    weights = probabilities.copy()
    found = np.zeros(count, np.int64)
    n = 0
    while n < count:
        uniforms = _doubles(generator, "random", 0.0, 0.0, 0.0, count - n)
        for k in range(n):
            weights[found[k]] = 0.0
        drawn = _search_cdf(weights, uniforms)
        fresh = set()
        for value in drawn:
            if value not in fresh:
                fresh.add(value)
                found[n] = value
                n += 1
    return found


@njit
def _population(a, axis):
    if isinstance(a, np.ndarray):
        return a.shape[axis]
    return a


@extends("Generator.choice")
def generator_choice(generator, a, size=None, replace=True, p=None, axis=0, shuffle=True):
    if p is not None:
        if p.ndim != 1:  # decided at compile time: what follows is then not typed for a 2-D p
            raise ValueError("p must be 1-dimensional")
    population = _population(a, axis)
    count = 1 if size is None else np.empty(size, np.int8).size
    if population <= 0 and count != 0:
        if isinstance(a, np.ndarray):
            raise ValueError("a cannot be empty unless no samples are taken")
        raise ValueError("a must be a positive integer unless no samples are taken")
    shape = 1 if size is None else size
    if replace:
        if p is None:
            picked = np.empty(shape, np.int64)
            if count > 0:
                _integers(generator, 0, population - 1, picked)
        else:
            probabilities = _checked_probabilities(p, population)
            picked = _search_cdf(probabilities, _doubles(generator, "random", 0.0, 0.0, 0.0, shape))
    else:
        if count > population:
            raise ValueError("Cannot take a larger sample than population when replace is False")
        if p is None:
            flat = _sample_without_replacement(generator, population, count, shuffle)
        else:
            flat = _sample_weighted_without_replacement(generator, _checked_probabilities(p, population), count)
        picked = flat.reshape(shape)
    if not isinstance(a, np.ndarray):
        if size is None:
            return picked.reshape(-1)[0]
        return picked
    if axis != 0:
        if size is None or picked.ndim != 1:
            raise NotImplementedError("Generator.choice along an axis other than 0 takes an integer size")
        return np.ascontiguousarray(np.swapaxes(np.swapaxes(a, 0, axis)[picked], 0, axis))
    if size is None:
        return a[picked.reshape(-1)[0]]
    if picked.ndim == 1:
        return a[picked]
    return a[picked.ravel()].reshape(picked.shape + a.shape[1:])


@extends("Generator.dirichlet")
def generator_dirichlet(generator, alpha, size=None):
    weights = np.ascontiguousarray(np.asarray(alpha)).astype(np.float64)
    if weights.ndim != 1:
        raise ValueError("object too deep for desired array")
    k = weights.size
    if np.any(weights < 0):
        raise ValueError("alpha < 0")
    if size is None:
        out = np.zeros(k, np.float64)
    else:
        out = np.zeros(np.empty(size, np.int8).shape + (k,), np.float64)
    values = out.reshape(-1)
    if k > 0 and weights.max() < 0.1:
        # NumPy's stick breaking with beta draws, which avoids the 0/0 that
        # normalizing tiny gamma draws can give.
        tail = np.empty(k, np.float64)
        total = 0.0
        for j in range(k - 1, -1, -1):
            total += weights[j]
            tail[j] = total
        if total > 0:
            for start in range(0, values.size, k):
                remaining = 1.0
                for j in range(k - 1):
                    v = _draw(generator, "beta", weights[j], tail[j + 1], 0.0)
                    values[start + j] = remaining * v
                    remaining *= 1.0 - v
                    if tail[j + 1] == 0:
                        break
                values[start + k - 1] = remaining
    else:
        for start in range(0, values.size, k):
            total = 0.0
            for j in range(k):
                values[start + j] = _draw(generator, "standard_gamma", weights[j], 0.0, 0.0)
                total += values[start + j]
            scale = 1.0 / total
            for j in range(k):
                values[start + j] *= scale
    return out


@extends("Generator.multinomial")
def generator_multinomial(generator, n, pvals, size=None):
    p = np.ascontiguousarray(np.asarray(pvals)).astype(np.float64)
    if p.ndim != 1:
        raise NotImplementedError("Generator.multinomial in compiled code takes one vector of pvals")
    d = p.size
    if d == 0:
        raise ValueError("pvals must have at least 1 dimension and the last dimension of pvals must be greater than 0.")
    for j in range(d):
        if not (p[j] >= 0) or not (p[j] <= 1):
            raise ValueError("pvals < 0, pvals > 1 or pvals contains NaNs")
    if _kahan_sum(p[:d - 1]) > 1.0 + 1e-12:
        raise ValueError("sum(pvals[:-1]) > 1.0")
    trials = int(n)
    if trials < 0:
        raise ValueError("n < 0")
    if size is None:
        out = np.zeros(d, np.int64)
    else:
        out = np.zeros(np.empty(size, np.int8).shape + (d,), np.int64)
    counts = out.reshape(-1)
    for start in range(0, counts.size, d):
        # NumPy's random_multinomial: a binomial draw per category of what is left.
        left = trials
        remaining = 1.0
        for j in range(d - 1):
            counts[start + j] = _draw(generator, "binomial", left, p[j] / remaining, 0.0)
            left -= counts[start + j]
            if left <= 0:
                break
            remaining -= p[j]
        if left > 0:
            counts[start + d - 1] = left
    return out


@njit
def _shuffle_lines(generator, out, axis):
    """Generator.permuted along an axis: each line shuffled in turn, the lines in C order of the other axes."""
    lines = np.moveaxis(out, axis, -1)
    length = lines.shape[-1]
    for index in np.ndindex(lines.shape[:-1]):
        line = lines[index]
        for i in range(length - 1, 0, -1):
            j = _interval(generator, i)
            line[i], line[j] = line[j], line[i]


@njit
def _fortran_only(a):
    """F-contiguous and not C-contiguous: what copy(order='K') keeps in F order."""
    if a.ndim < 2:
        return False
    step = a.itemsize
    fortran = True
    for k in range(a.ndim):
        if a.shape[k] != 1 and a.strides[k] != step:
            fortran = False
        step *= a.shape[k]
    step = a.itemsize
    c_order = True
    for k in range(a.ndim - 1, -1, -1):
        if a.shape[k] != 1 and a.strides[k] != step:
            c_order = False
        step *= a.shape[k]
    return fortran and not c_order


@extends("Generator.permuted")
def generator_permuted(generator, x, axis=None, out=None):
    values = np.asarray(x)
    if out is None:
        result = values.copy()
    else:
        if out.shape != values.shape:
            raise ValueError("out must have the same shape as x")
        result = out
        result[...] = values
    if axis is None:
        if out is None and _fortran_only(values):
            # NumPy copies keeping the layout and shuffles in memory order: F order here.
            transposed = values.T.copy()  # C order of the transpose is the F order of x
            _shuffle_leading(generator, transposed.reshape(-1))
            return transposed.T
        if result.size > 0:
            _shuffle_leading(generator, result.reshape(-1))  # memory order: C, as the copy is
        return result
    if result.size > 0:
        _shuffle_lines(generator, result, axis)
    return result
