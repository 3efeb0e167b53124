"""Compiled functions travel to other processes (Dask, multiprocessing, MPI)."""
import multiprocessing
import pickle

import cloudpickle
import numpy as np
import pytest

from numjit import njit, prange


@njit
def total(x):
    s = 0.0
    for v in x:
        s += v
    return s


@njit(parallel=True)
def parallel_total(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i]
    return s


@njit("float64(float64)")
def eager_twice(x):
    return 2.0 * x


def make_scaled(k):
    @njit
    def scaled(x):
        return x * k
    return scaled


@pytest.mark.parametrize("f", [total, parallel_total])
def test_module_level_functions_pickle_by_reference(f):
    g = pickle.loads(pickle.dumps(f))
    assert g is f
    x = np.linspace(0.0, 1.0, 101)
    assert g(x) == pytest.approx(f.py_func(x), rel=1e-12)


def test_eager_signatures_survive_pickling_by_value():
    g = cloudpickle.loads(cloudpickle.dumps(make_scaled(3)))
    assert g(2.5) == 7.5 == g.py_func(2.5)
    h = pickle.loads(pickle.dumps(eager_twice))
    assert h is eager_twice and h(4) == 8.0 and h.signatures == eager_twice.signatures


@pytest.mark.parametrize("k", [2, -0.5])
def test_closures_pickle_by_value_with_cloudpickle(k):
    f = make_scaled(k)
    g = cloudpickle.loads(cloudpickle.dumps(f))
    assert g is not f
    for x in (1.0, -3.25, 7):
        assert g(x) == f(x) == f.py_func(x)


def _sum_in_worker(n):
    return total(np.arange(float(n)))


def test_spawned_workers_compile_and_run():
    # 'spawn' starts fresh interpreters: each compiles on its first call.
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        assert pool.map(_sum_in_worker, [0, 3, 10]) == [0.0, 3.0, 45.0]
        assert pool.map(total, [np.arange(4.0), np.ones(6)]) == [6.0, 6.0]
