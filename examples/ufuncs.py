# The seed tutorial's "Ufuncs with @vectorize" section (tutorial.md), unchanged
# except for two things:
#   * `import numjit as numba` instead of `import numba`;
#   * N may be taken from the environment variable NUMJIT_EXAMPLE_NTOT
#     (default 2**27, as in the tutorial), so that the demo can run quickly.
# The tutorial's "real world use case" (log_normal_pdf) follows, also
# unchanged; after it, a short call of it with NumPy broadcasting (x a 2-D
# array, mu a row, sigma a column) against the NumPy expression, which the
# tutorial only describes.
# Run it as a script from any directory: python examples/ufuncs.py
import os
import numjit as numba
import numpy as np
from mytimeit import mytimeit

N = int(os.environ.get('NUMJIT_EXAMPLE_NTOT', 2**27))  # 2^27 * 2^3 = 1 GB
A = np.random.rand(N)

def f_numpy(A, n):
    B = np.zeros_like(A)
    for j in range(n):
        B += A**j
    return B

def f_numpy2(A, n):
    '''Avoid exponentiation; replace with telescoping sum-product.'''
    B = np.zeros_like(A)
    for j in range(n):
        B = B * A + 1.0
    return B

def f_numpy3(A, n):
    '''Avoid memory allocation; reuse existing array.'''
    B = np.zeros_like(A)
    for j in range(n):
        B *= A
        B += 1.0
    return B

@numba.vectorize
def f_numba(A, n):
    '''Avoid RAM access and let Numba vectorize this.'''
    B = 0.0
    for j in range(n):
        B = B * A + 1.0
    return B

@numba.vectorize(['float64(float64,uint64)'], target='parallel')
def f_parallel(A, n):
    '''Let Numba parallelize this as well.'''
    B = 0.0
    for j in range(n):
        B = B * A + 1.0
    return B

mytimeit('f_numpy   (A, 4)', n=1)
mytimeit('f_numpy2  (A, 4)')
mytimeit('f_numpy3  (A, 4)')
mytimeit('f_numba   (A, 4)')
mytimeit('f_parallel(A, 4)')


# Real world use case: evaluate log P of a large number of slightly different
# normal distributions.

@numba.vectorize
def log_normal_pdf(x, mu, sigma):
    '''
    Returns ln(P(x|mu,sigma)).
    The factor 1/sqrt(2pi) is omitted.
    '''
    return -0.5 * ((x - mu) / sigma)**2 - np.log(sigma)


# Not in the tutorial: call it with x a rectangular array, mu a row vector and
# sigma a column vector, and compare with the NumPy expression.
ncol = min(1024, N)
x = A[:N - N % ncol].reshape(-1, ncol)
mu = np.linspace(0.0, 1.0, ncol)[None, :]
sigma = np.linspace(0.5, 1.5, x.shape[0])[:, None]
P = log_normal_pdf(x, mu, sigma)
P_numpy = -0.5 * ((x - mu) / sigma)**2 - np.log(sigma)
err = np.max(np.abs(P - P_numpy)) / np.max(np.abs(P_numpy))
print(f'log_normal_pdf: x {x.shape}, mu {mu.shape}, sigma {sigma.shape}; '
      f'max |P - P_numpy| / max |P_numpy| = {err:.1e} '
      f'-> {"OK" if err < 1e-12 else "MISMATCH"}')
del P, P_numpy
mytimeit('log_normal_pdf(x, mu, sigma)')
mytimeit('-0.5 * ((x - mu) / sigma)**2 - np.log(sigma)')
