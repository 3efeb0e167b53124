"""The seed tutorial's two functions, exactly as the tutorial writes them,
against plain Python on small data (CSR-like rows, some of them empty)."""
import math

import numpy as np
import pytest

import numjit as nb
import numjit as numba
from numjit import njit

from conftest import check, csr_offsets


@numba.njit
def sum_numba(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in range(N):
        for j in range(jind[i], jind[i+1]):
            s += np.arctan(X[j] * i * j)
    return s


@njit
def ell(X, Nt, jind, I, I0):
    mu = X[0:Nt]
    c0, c1 = X[Nt:Nt+2]
    ell = 0
    for i in nb.prange(Nt):
        for j in range(jind[i], jind[i+1]):
            n = I[j] - mu[i] * I0[j]
            s = c0 * (mu[i] * I0[j])**c1
            ell += np.log(s) + 0.5 * n**2 / s**2
    return ell


def model_data(Nt, per_row, seed=0, jind_dtype=np.int64, empty_every=3):
    """X = [mu_0..mu_{Nt-1}, c0, c1], jind, I, I0 with every term of ell finite."""
    rng = np.random.default_rng(seed)
    jind = csr_offsets(Nt, per_row, seed, empty_every).astype(jind_dtype)
    total = int(jind[-1])
    mu = 1.0 + rng.random(Nt)
    c0, c1 = 0.05 + rng.random(), 0.25 + rng.random()
    I0 = 0.5 + rng.random(total)
    I = 2.0 * rng.random(total)
    return np.concatenate([mu, [c0, c1]]), Nt, jind, I, I0


ROWS = [0, 1, 5, 40, 300]


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("per_row", [1, 4, 25])
@pytest.mark.parametrize("jind_dtype", [np.int64, np.int32], ids=["int64", "int32"])
def test_sum_numba(rows, per_row, jind_dtype):
    jind = csr_offsets(rows, per_row, seed=rows, empty_every=3).astype(jind_dtype)
    X = np.random.default_rng(rows).random(int(jind[-1]))
    # s = 0 becomes a float on the first +=; with no terms Python returns int 0.
    got = check(sum_numba, X, jind, rtol=1e-12, widen=True)
    assert isinstance(got, float)


def test_sum_numba_known_value():
    X = np.ones(3)
    jind = np.array([0, 1, 3], dtype=np.int64)
    # i=0: j=0 -> atan(0); i=1: j=1 -> atan(1), j=2 -> atan(2)
    np.testing.assert_allclose(sum_numba(X, jind), math.pi / 4 + math.atan(2.0), rtol=1e-15)
    assert sum_numba(np.zeros(0), np.zeros(1, dtype=np.int64)) == 0.0


def test_sum_numba_all_rows_empty():
    jind = np.zeros(11, dtype=np.int64)
    got = sum_numba(np.zeros(0), jind)
    assert got == 0.0 and isinstance(got, float)


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("per_row", [1, 4, 25])
@pytest.mark.parametrize("jind_dtype", [np.int64, np.int32], ids=["int64", "int32"])
def test_ell(rows, per_row, jind_dtype):
    X, Nt, jind, I, I0 = model_data(rows, per_row, seed=rows + per_row, jind_dtype=jind_dtype)
    # Terms of both signs: an absolute tolerance covers sums that cancel to near zero.
    got = check(ell, X, Nt, jind, I, I0, rtol=1e-12, atol=1e-12 * max(1, int(jind[-1])), widen=True)
    assert isinstance(got, float)


@pytest.mark.parametrize("empty_every", [0, 1, 2])
def test_ell_row_patterns(empty_every):
    X, Nt, jind, I, I0 = model_data(9, 6, seed=3, empty_every=empty_every)
    check(ell, X, Nt, jind, I, I0, rtol=1e-12, atol=1e-12 * max(1, int(jind[-1])), widen=True)


def test_ell_known_value():
    # One row, one element: mu = 2, c0 = 0.5, c1 = 1, I0 = 1, I = 3
    # n = 3 - 2 = 1, s = 0.5 * 2 = 1, ell = log(1) + 0.5 = 0.5
    X = np.array([2.0, 0.5, 1.0])
    got = ell(X, 1, np.array([0, 1], dtype=np.int64), np.array([3.0]), np.array([1.0]))
    assert got == 0.5


def test_ell_does_not_modify_inputs():
    data = model_data(20, 8, seed=7)
    copies = [np.copy(d) for d in data]
    ell(*data)
    for before, after in zip(copies, data):
        np.testing.assert_array_equal(before, after)


def test_ell_parallel_matches_serial():
    ell_parallel = njit(parallel=True)(ell.py_func)
    X, Nt, jind, I, I0 = model_data(200, 30, seed=11)
    np.testing.assert_allclose(ell_parallel(X, Nt, jind, I, I0), ell.py_func(X, Nt, jind, I, I0), rtol=1e-10)
    np.testing.assert_allclose(ell_parallel(X, Nt, jind, I, I0), ell(X, Nt, jind, I, I0), rtol=1e-10)


def test_ell_wrong_number_of_parameters_raises_value_error():
    X = np.array([2.0, 0.5])  # Nt = 1 leaves one element for c0, c1
    with pytest.raises(ValueError):
        ell(X, 1, np.array([0, 1], dtype=np.int64), np.array([3.0]), np.array([1.0]))
