"""Each argument is evaluated exactly once, as in Python: a reduction that
loops over its argument twice (np.var's mean, then its squares), a row that
reads an argument's shape and elements, a loop over an array a call returns.
`fresh` counts its calls in a one-element array; each case must call it as
often as its Python version does, and give the same result.
"""
import warnings

import numpy as np
import pytest
from numjit import njit

@njit
def fresh(counter, n):
    counter[0] += 1
    return np.arange(n) * 0.5 - 1.0

CASES = {}
def case(f):
    CASES[f.__name__] = njit(f)
    return f

@case
def sum_(c, n): return np.sum(fresh(c, n))
@case
def mean(c, n): return fresh(c, n).mean()
@case
def var(c, n): return np.var(fresh(c, n))
@case
def std(c, n): return fresh(c, n).std()
@case
def nanvar(c, n): return np.nanvar(fresh(c, n))
@case
def nanstd(c, n): return np.nanstd(fresh(c, n))
@case
def nanmean(c, n): return np.nanmean(fresh(c, n))
@case
def max_(c, n): return fresh(c, n).max()
@case
def argmax(c, n): return np.argmax(fresh(c, n))
@case
def ptp(c, n): return np.max(fresh(c, n)) - np.min(fresh(c, n))
@case
def median(c, n): return np.median(fresh(c, n))
@case
def percentile(c, n): return np.percentile(fresh(c, n), 30.0)
@case
def norm(c, n): return np.linalg.norm(fresh(c, n))
@case
def dot(c, n): return np.dot(fresh(c, n), fresh(c, n))
@case
def any_all(c, n): return int(np.any(fresh(c, n) > 0)) + int(np.all(fresh(c, n) < 10))
@case
def cumsum(c, n): return np.cumsum(fresh(c, n))
@case
def sort(c, n): return np.sort(fresh(c, n))
@case
def where(c, n): return np.where(fresh(c, n) > 0, fresh(c, n), 0.0)
@case
def clip(c, n): return np.clip(fresh(c, n), -0.5, 0.5)
@case
def expr(c, n): return (fresh(c, n) * 2.0 + 1.0).var()
@case
def average(c, n): return np.average(fresh(c, n))
@case
def count_nonzero(c, n): return np.count_nonzero(fresh(c, n))
@case
def unique(c, n): return np.unique(fresh(c, n))
@case
def histogram(c, n): return np.histogram(fresh(c, n), 4)[0]
@case
def diff(c, n): return np.diff(fresh(c, n))
@case
def astype(c, n): return fresh(c, n).astype(np.float32)
@case
def copy(c, n): return fresh(c, n).copy()
@case
def reshape(c, n): return fresh(c, n).reshape(n, 1).sum(axis=0)
@case
def sum_axis(c, n): return fresh(c, n).reshape(1, n).sum(axis=1)
@case
def var_axis(c, n): return fresh(c, n).reshape(1, n).var(axis=1)
@case
def std_axis(c, n): return np.std(fresh(c, n).reshape(1, n), axis=0)
@case
def prod(c, n): return np.prod(fresh(c, n))
@case
def cov(c, n): return np.cov(fresh(c, n))
@case
def corrcoef(c, n): return np.corrcoef(fresh(c, n), fresh(c, n) * 2.0)
@case
def allclose(c, n): return np.allclose(fresh(c, n), fresh(c, n))
@case
def nonzero(c, n): return np.nonzero(fresh(c, n))[0]
@case
def isin(c, n): return np.isin(fresh(c, n), fresh(c, n))
@case
def quantile(c, n): return np.quantile(fresh(c, n), 0.5)
@case
def trapz(c, n): return np.trapezoid(fresh(c, n))
@case
def interp(c, n): return np.interp(0.3, fresh(c, n), fresh(c, n))
@case
def outer(c, n): return np.outer(fresh(c, n), fresh(c, n))
@case
def vdot(c, n): return np.vdot(fresh(c, n), fresh(c, n))
@case
def fft(c, n): return np.fft.rfft(fresh(c, n))
@case
def einsum(c, n): return np.einsum('i,i', fresh(c, n), fresh(c, n))
@case
def len_(c, n): return len(fresh(c, n))
@case
def shape(c, n): return fresh(c, n).shape[0]
@case
def item(c, n): return fresh(c, n)[n - 1]
@case
def sliced(c, n): return fresh(c, n)[1:].sum()
@case
def iterate(c, n):
    s = 0.0
    for x in fresh(c, n):
        s += x
    return s
@case
def enumerate_(c, n):
    s = 0.0
    for i, x in enumerate(fresh(c, n)):
        s += i * x
    return s
@case
def argsort(c, n): return np.argsort(fresh(c, n))
@case
def searchsorted(c, n): return np.searchsorted(fresh(c, n), 0.3)
@case
def round_(c, n): return np.round(fresh(c, n), 1)
@case
def logical(c, n): return np.logical_and(fresh(c, n) > 0, fresh(c, n) < 2)
@case
def minimum(c, n): return np.minimum(fresh(c, n), 0.5)
@case
def cross(c, n): return np.cross(fresh(c, 3), fresh(c, 3))
@case
def partition(c, n): return np.partition(fresh(c, n), n // 2)[n // 2]  # the rest's order is NumPy's choice
@case
def nanmedian(c, n): return np.nanmedian(fresh(c, n))
@case
def add_reduce(c, n): return np.add.reduce(fresh(c, n))
@case
def nansum(c, n): return np.nansum(fresh(c, n))
@case
def nanmax(c, n): return np.nanmax(fresh(c, n))


@pytest.mark.parametrize("n", [1, 5, 64])
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_argument_is_evaluated_once(name, n):
    f = CASES[name]
    counted, expected = np.zeros(1, np.int64), np.zeros(1, np.int64)
    got = f(counted, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = f.py_func(expected, n)
    assert counted[0] == expected[0], f"called {counted[0]} times, Python calls it {expected[0]} times"
    np.testing.assert_allclose(np.asarray(got, dtype=np.complex128), np.asarray(want, dtype=np.complex128),
                               rtol=2e-6, atol=1e-12, equal_nan=True)
