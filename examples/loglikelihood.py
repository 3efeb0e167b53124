# The seed tutorial's "real world use case" for @njit (tutorial.md, "Real world
# use case"): the log-likelihood l of a model with free variables mu_i, c0, c1,
#
#     mu_ij = mu_i * I0_ij,   sigma_ij = c0 * mu_ij ** c1,   P = normal
#
# `ell` is character-for-character the tutorial's (it uses `nb.prange` inside a
# serial @njit, where prange acts like range).  Added here:
#   * synthetic data (I0 > 0, mu > 0, c0 > 0, so that s > 0 everywhere);
#   * `ell_grad`, the analytic gradient of ell with respect to X, written in the
#     same loop style, and the tutorial's tip applied: a comparison with
#     central finite differences on a small input;
#   * `ell_parallel`, the same body under @njit(parallel=True), and likewise
#     `ell_grad_parallel`: ell_grad's own function (`.py_func`, the same body)
#     compiled again with parallel=True, so the text is not written twice.
# Note that ell as written is sum(log s + n**2 / (2 s**2)), i.e. minus the
# log-likelihood up to a constant: the quantity one minimises.
#
# Size: NUMJIT_EXAMPLE_NTOT elements in total (default 2**27, as in the
# tutorial's first example).  Run as: python examples/loglikelihood.py
import os
import numjit as nb
import numpy as np
from numjit import njit
from mytimeit import mytimeit


@njit
def ell(X, Nt, jind, I, I0):
    '''
    X[0:Nt] -> mu_i
    X[Nt:Nt+2] -> c0, c1
    i -> 0..Nt-1
    '''
    mu = X[0:Nt]
    c0, c1 = X[Nt:Nt+2]
    ell = 0
    for i in nb.prange(Nt):
        for j in range(jind[i], jind[i+1]):
            n = I[j] - mu[i] * I0[j]
            s = c0 * (mu[i] * I0[j])**c1
            ell += np.log(s) + 0.5 * n**2 / s**2
    return ell


@njit(parallel=True)
def ell_parallel(X, Nt, jind, I, I0):
    '''
    X[0:Nt] -> mu_i
    X[Nt:Nt+2] -> c0, c1
    i -> 0..Nt-1
    '''
    mu = X[0:Nt]
    c0, c1 = X[Nt:Nt+2]
    ell = 0
    for i in nb.prange(Nt):
        for j in range(jind[i], jind[i+1]):
            n = I[j] - mu[i] * I0[j]
            s = c0 * (mu[i] * I0[j])**c1
            ell += np.log(s) + 0.5 * n**2 / s**2
    return ell


@njit
def ell_grad(X, Nt, jind, I, I0, out):
    '''
    Gradient of ell with respect to X, written into out[0:Nt+2].
    With m = mu_i * I0_j, n = I_j - m, s = c0 * m**c1 and q = 1 - n**2 / s**2,
    each term log(s) + 0.5 * n**2 / s**2 contributes
        d/dmu_i: c1 * q / mu_i - n * I0_j / s**2
        d/dc0:   q / c0
        d/dc1:   q * log(m)
    '''
    mu = X[0:Nt]
    c0, c1 = X[Nt:Nt+2]
    g0 = 0.0
    g1 = 0.0
    for i in nb.prange(Nt):
        gi = 0.0
        for j in range(jind[i], jind[i+1]):
            m = mu[i] * I0[j]
            n = I[j] - m
            s = c0 * m**c1
            q = 1.0 - n**2 / s**2
            gi += c1 * q / mu[i] - n * I0[j] / s**2
            g0 += q / c0
            g1 += q * np.log(m)
        out[i] = gi
    out[Nt] = g0
    out[Nt+1] = g1
    return out


ell_grad_parallel = njit(parallel=True)(ell_grad.py_func)


def make_data(Ntot, Mmin=100, Mavg=10000, c0=0.05, c1=0.5, seed=0):
    '''Synthetic data drawn from the model itself: returns X, Nt, jind, I, I0.'''
    rng = np.random.default_rng(seed)
    Nt = max(Ntot // Mavg, 1)
    M = (Mmin + 2 * (Mavg - Mmin) * rng.random(Nt)).astype(int)
    jind = np.insert(np.cumsum(M), 0, 0)
    Ntot = jind[-1]
    mu = 1.0 + rng.random(Nt)                  # mu_i in [1, 2)
    I0 = 0.5 + rng.random(Ntot)                # I0_ij in [0.5, 1.5)
    row = np.repeat(np.arange(Nt), M)          # row index i of element j
    m = mu[row] * I0
    I = m + c0 * m**c1 * rng.standard_normal(Ntot)
    X = np.concatenate([mu, [c0, c1]])
    return X, Nt, jind, I, I0


def finite_difference_check():
    '''The tutorial's tip: compare the analytic gradient with numerical
    derivatives (central differences) for a small input.'''
    X, Nt, jind, I, I0 = make_data(50, Mmin=3, Mavg=10, seed=1)
    X = X * (1.0 + 0.1 * np.random.default_rng(2).standard_normal(X.shape))  # away from the optimum
    g = ell_grad(X, Nt, jind, I, I0, np.empty(Nt + 2))
    fd = np.empty_like(g)
    for k in range(Nt + 2):
        h = 1e-6 * max(1.0, abs(X[k]))
        Xp = X.copy()
        Xp[k] += h
        Xm = X.copy()
        Xm[k] -= h
        fd[k] = (ell(Xp, Nt, jind, I, I0) - ell(Xm, Nt, jind, I, I0)) / (2 * h)
    names = [f'mu[{k}]' for k in range(Nt)] + ['c0', 'c1']
    print(f'Gradient check on {Nt} rows, {jind[-1]} elements:')
    print(f'  {"":>6} {"analytic":>16} {"finite diff.":>16} {"rel. diff":>10}')
    for name, a, b in zip(names, g, fd):
        print(f'  {name:>6} {a:16.8e} {b:16.8e} {abs(a - b) / max(abs(b), 1e-300):10.2e}')
    err = np.max(np.abs(g - fd)) / np.max(np.abs(fd))
    print(f'  max |analytic - finite diff.| / max |finite diff.| = {err:.2e}'
          f' -> {"OK" if err < 1e-6 else "MISMATCH"}')
    return err


if __name__ == '__main__':
    finite_difference_check()

    Ntot = int(os.environ.get('NUMJIT_EXAMPLE_NTOT', 2**27))
    X, Nt, jind, I, I0 = make_data(Ntot)
    print(f'We have {Nt} rows, {jind[-1]} elements')
    l_serial = ell(X, Nt, jind, I, I0)
    l_parallel = ell_parallel(X, Nt, jind, I, I0)
    print(f'ell          = {l_serial!r}')
    print(f'ell_parallel = {l_parallel!r}'
          f'  (rel. diff {abs(l_parallel - l_serial) / abs(l_serial):.1e})')
    out = np.empty(Nt + 2)
    mytimeit('ell         (X, Nt, jind, I, I0)')
    mytimeit('ell_parallel(X, Nt, jind, I, I0)')
    mytimeit('ell_grad    (X, Nt, jind, I, I0, out)')
    g_serial = ell_grad(X, Nt, jind, I, I0, np.empty(Nt + 2))
    g_parallel = ell_grad_parallel(X, Nt, jind, I, I0, np.empty(Nt + 2))
    print(f'ell_grad_parallel vs ell_grad: max |diff| / max |ell_grad| = '
          f'{np.max(np.abs(g_parallel - g_serial)) / np.max(np.abs(g_serial)):.1e}')
    mytimeit('ell_grad_parallel(X, Nt, jind, I, I0, out)')
