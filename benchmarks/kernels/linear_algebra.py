"""Linear algebra by hand: Gaussian elimination, a triple-loop matrix
product, Cholesky, the Thomas algorithm, a covariance matrix; and power
iteration with np.dot."""
import numpy as np

from . import kernel, parallel, pick, rng

FAMILY = 'linear_algebra'


def system_data(quick):
    n = pick(quick, 300, 80)
    r = rng(70)
    A = r.standard_normal((n, n)) + n * np.eye(n) * 0.1
    return A, r.standard_normal(n)


GAUSS = '''
@njit
def gauss_solve(A0, b0):
    A = A0.copy()
    b = b0.copy()
    n = A.shape[0]
    for k in range(n):
        p = k + np.argmax(np.abs(A[k:, k]))
        if p != k:
            for j in range(n):
                t = A[k, j]
                A[k, j] = A[p, j]
                A[p, j] = t
            t = b[k]
            b[k] = b[p]
            b[p] = t
        for i in range(k + 1, n):
            f = A[i, k] / A[k, k]
            for j in range(k, n):
                A[i, j] -= f * A[k, j]
            b[i] -= f * b[k]
    x = np.empty(n)
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s -= A[i, j] * x[j]
        x[i] = s / A[i, i]
    return x
'''

gauss = kernel('gauss_solve', FAMILY, GAUSS, system_data, numpy=np.linalg.solve, rtol=1e-12,
               numpy_rtol=1e-9, note='elimination with partial pivoting, 300 x 300')

parallel(gauss, GAUSS.replace('@njit', '@njit(parallel=True)')
         .replace('def gauss_solve', 'def gauss_solve_parallel')
         .replace('for i in range(k + 1, n)', 'for i in prange(k + 1, n)'),
         note='the row updates of each step in prange')


def matmul_data(quick):
    n = pick(quick, 256, 64)
    r = rng(71)
    return r.standard_normal((n, n)), r.standard_normal((n, n))


MATMUL = '''
@njit
def matmul(a, b):
    n, m = a.shape
    p = b.shape[1]
    c = np.zeros((n, p))
    for i in range(n):
        for k in range(m):
            aik = a[i, k]
            for j in range(p):
                c[i, j] += aik * b[k, j]
    return c
'''

mm = kernel('matmul', FAMILY, MATMUL, matmul_data, numpy=np.matmul, rtol=0.0, numpy_rtol=1e-12,
            note='i-k-j loops, 256 x 256 (NumPy: BLAS)')

parallel(mm, MATMUL.replace('@njit', '@njit(parallel=True)')
         .replace('def matmul', 'def matmul_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'))


def spd_data(quick):
    n = pick(quick, 400, 100)
    g = rng(72).standard_normal((n, n))
    return (g @ g.T + n * np.eye(n),)


CHOLESKY = '''
@njit
def cholesky(A):
    n = A.shape[0]
    L = np.zeros_like(A)
    for j in range(n):
        s = A[j, j]
        for k in range(j):
            s -= L[j, k] * L[j, k]
        L[j, j] = math.sqrt(s)
        for i in range(j + 1, n):
            s = A[i, j]
            for k in range(j):
                s -= L[i, k] * L[j, k]
            L[i, j] = s / L[j, j]
    return L
'''

kernel('cholesky', FAMILY, CHOLESKY, spd_data, numpy=np.linalg.cholesky, rtol=0.0,
       numpy_rtol=1e-10, note='Cholesky-Crout, 400 x 400')


def tridiag_data(quick):
    n = pick(quick, 1_000_000, 100_000)
    r = rng(73)
    a = r.uniform(-1, 1, n)
    c = r.uniform(-1, 1, n)
    b = 4.0 + r.uniform(0, 1, n)
    return a, b, c, r.standard_normal(n)


def tridiag_numpy(a, b, c, d):
    from scipy.linalg import solve_banded
    n = b.shape[0]
    ab = np.zeros((3, n))
    ab[0, 1:] = c[:-1]
    ab[1] = b
    ab[2, :-1] = a[1:]
    return solve_banded((1, 1), ab, d)


THOMAS = '''
@njit
def thomas(a, b, c, d):
    n = b.shape[0]
    cp = np.empty(n)
    dp = np.empty(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.empty(n)
    x[n - 1] = dp[n - 1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x
'''

kernel('thomas', FAMILY, THOMAS, tridiag_data, numpy=tridiag_numpy, rtol=0.0, numpy_rtol=1e-10,
       note='tridiagonal solve, 1e6 unknowns (reference: SciPy solve_banded)')


def cov_data(quick):
    return (rng(74).standard_normal((pick(quick, 5000, 500), 40)),)


COVARIANCE = '''
@njit
def covariance(X):
    n, p = X.shape
    means = np.zeros(p)
    for i in range(n):
        for j in range(p):
            means[j] += X[i, j]
    means /= n
    C = np.zeros((p, p))
    for i in range(n):
        for j in range(p):
            dj = X[i, j] - means[j]
            for k in range(j, p):
                C[j, k] += dj * (X[i, k] - means[k])
    for j in range(p):
        for k in range(j, p):
            C[j, k] /= n - 1
            C[k, j] = C[j, k]
    return C
'''

kernel('covariance', FAMILY, COVARIANCE, cov_data, numpy=lambda X: np.cov(X, rowvar=False),
       rtol=0.0, numpy_rtol=1e-10, note='sample covariance of 40 columns')


def power_data(quick):
    g = rng(75).standard_normal((pick(quick, 1000, 200),) * 2)
    return g + g.T, 25


def power_numpy(A, iterations):
    v = np.ones(A.shape[0]) / np.sqrt(A.shape[0])
    lam = 0.0
    for _ in range(iterations):
        w = np.dot(A, v)
        lam = np.dot(v, w)
        v = w / np.linalg.norm(w)
    return lam, v


POWER = '''
@njit
def power_iteration(A, iterations):
    v = np.ones(A.shape[0]) / np.sqrt(A.shape[0])
    lam = 0.0
    for _ in range(iterations):
        w = np.dot(A, v)
        lam = np.dot(v, w)
        v = w / np.linalg.norm(w)
    return lam, v
'''

kernel('power_iteration', FAMILY, POWER, power_data, numpy=power_numpy, rtol=1e-9,
       note='25 matrix-vector products with np.dot (BLAS in all three)')
