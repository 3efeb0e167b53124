"""np.linalg beyond solve/inv/norm (those are C++ rows): det, slogdet, eigh,
eigvalsh, eig, eigvals, svd, cholesky, qr, lstsq, pinv, matrix_power,
matrix_rank, cond.

LAPACK is column-major. `a * 1.0` is a C-ordered float copy of A, which
LAPACK reads as A transposed; `a.T * 1.0` is one LAPACK reads as A. Results
written column-major read back transposed, so the code below picks whichever
copy makes the answer come out right without a further copy. Real matrices
are supported (complex ones raise TypeError), as the work arrays differ.
"""
import numpy as np

from ..decorators import njit
from .registration import extends, implements
from .intrinsics import lapack

LinAlgError = np.linalg.LinAlgError
_EPS = np.finfo(np.float64).eps


@njit
def _square(a):
    if a.ndim != 2:
        raise LinAlgError("array must be 2-dimensional")
    if a.shape[0] != a.shape[1]:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    return a.shape[0]


@njit
def _workspace_size(work):
    return max(int(work[0].real), 1)


@implements(np.linalg.det)
def det(a):
    n = _square(a)
    lu = a * 1.0
    if n == 0:
        return lu.sum() + 1
    pivots = np.empty(n, np.int32)
    info = lapack("getrf", n, n, lu, n, pivots)
    result = lu[0, 0] * 0 + 1
    if info > 0:
        return result * 0
    for i in range(n):
        result *= lu[i, i]
        if pivots[i] != i + 1:
            result = -result
    return result


@implements(np.linalg.slogdet)
def slogdet(a):
    n = _square(a)
    lu = a * 1.0
    pivots = np.empty(max(n, 1), np.int32)
    info = lapack("getrf", n, n, lu, max(n, 1), pivots)
    one = lu.ravel()[:1].sum() * 0 + 1  # 1 in the matrix's type: a complex sign for complex matrices
    if info > 0:
        return one * 0, -np.inf
    sign = one
    log_total = 0.0
    for i in range(n):
        d = lu[i, i]
        sign = sign * (d / abs(d))
        log_total += np.log(abs(d))
        if pivots[i] != i + 1:
            sign = -sign
    return sign, log_total


@njit
def _symmetric_eigen(a, uplo, jobz):
    n = _square(a)
    if uplo != "L" and uplo != "U":
        raise ValueError("UPLO argument must be 'L' or 'U'")
    v = a * 1.0  # A transposed to LAPACK: its lower triangle is A's upper one
    w = np.empty(n, v.real.dtype)
    work = np.empty(1, v.dtype)
    triangle = "U" if uplo == "L" else "L"
    if np.iscomplexobj(v):
        # LAPACK sees A's transpose, which for a Hermitian A is conj(A): same
        # eigenvalues, eigenvectors conjugated (undone below).
        rwork = np.empty(max(3 * n - 2, 1), v.real.dtype)
        lapack("syev/heev", jobz, triangle, n, v, max(n, 1), w, work, -1, rwork)
        work = np.empty(_workspace_size(work), v.dtype)
        info = lapack("syev/heev", jobz, triangle, n, v, max(n, 1), w, work, work.size, rwork)
    else:
        lapack("syev", jobz, triangle, n, v, max(n, 1), w, work, -1)
        work = np.empty(_workspace_size(work), v.dtype)
        info = lapack("syev", jobz, triangle, n, v, max(n, 1), w, work, work.size)
    if info > 0:
        raise LinAlgError("Eigenvalues did not converge")
    return w, np.conj(v.T)


@implements(np.linalg.eigh)
def eigh(a, UPLO="L"):
    return _symmetric_eigen(a, UPLO, "V")


@implements(np.linalg.eigvalsh)
def eigvalsh(a, UPLO="L"):
    return _symmetric_eigen(a, UPLO, "N")[0]


@njit
def _general_eigen(a, jobvr):
    n = _square(a)
    if np.iscomplexobj(a):
        return _complex_eigen(a, n, jobvr)
    m = a.T * 1.0
    wr = np.empty(n, m.dtype)
    wi = np.empty(n, m.dtype)
    vr = np.empty((n, n), m.dtype)
    vl = np.empty(1, m.dtype)
    work = np.empty(1, m.dtype)
    lapack("geev", "N", jobvr, n, m, max(n, 1), wr, wi, vl, 1, vr, max(n, 1), work, -1)
    work = np.empty(_workspace_size(work), m.dtype)
    info = lapack("geev", "N", jobvr, n, m, max(n, 1), wr, wi, vl, 1, vr, max(n, 1), work, work.size)
    if info > 0:
        raise LinAlgError("Eigenvalues did not converge")
    for i in range(n):
        if wi[i] != 0:
            raise ValueError("eig() argument must not cause a domain change (the matrix has complex eigenvalues)")
    return wr, vr.T


@njit
def _complex_eigen(a, n, jobvr):
    m = a.T.copy()  # column-major A, as LAPACK reads it
    w = np.empty(n, m.dtype)
    vr = np.empty((n, n), m.dtype)
    vl = np.empty(1, m.dtype)
    work = np.empty(1, m.dtype)
    rwork = np.empty(max(2 * n, 1), m.real.dtype)
    lapack("geev", "N", jobvr, n, m, max(n, 1), w, vl, 1, vr, max(n, 1), work, -1, rwork)
    work = np.empty(_workspace_size(work), m.dtype)
    info = lapack("geev", "N", jobvr, n, m, max(n, 1), w, vl, 1, vr, max(n, 1), work, work.size, rwork)
    if info > 0:
        raise LinAlgError("Eigenvalues did not converge")
    return w, vr.T


@implements(np.linalg.eig)
def eig(a):
    return _general_eigen(a, "V")


@implements(np.linalg.eigvals)
def eigvals(a):
    return _general_eigen(a, "N")[0]


@njit
def _svd(a, jobz):
    """jobz: "A" full U and Vt, "S" reduced ones, "N" singular values only."""
    if a.ndim != 2:
        raise LinAlgError("array must be 2-dimensional")
    rows, cols = a.shape
    k = min(rows, cols)
    b = a * 1.0  # A transposed to LAPACK: B = A^T, cols x rows
    s = np.empty(k, b.real.dtype)
    u_rows = 1 if jobz == "N" else cols if jobz == "A" else k
    vt_rows = 1 if jobz == "N" else rows
    # B's left vectors (cols x ucols) read back as A's right ones, and the reverse.
    ub = np.empty((u_rows, cols), b.dtype)
    vtb = np.empty((vt_rows, vt_rows if jobz == "A" else k), b.dtype)
    iwork = np.empty(8 * max(k, 1), np.int32)
    work = np.empty(1, b.dtype)
    if np.iscomplexobj(b):
        # B = Ub S Vb^H gives A = B^T = conj(Vb) S Ub^T: read in C order, vtb
        # holds conj(Vb) = U and ub holds Ub^T = Vh, as for real matrices.
        big = max(rows, cols)
        rwork = np.empty(max(5 * k * k + 7 * k, 2 * big * k + 2 * k * k + k, 1), b.real.dtype)
        lapack("gesdd", jobz, cols, rows, b, max(cols, 1), s, ub, max(cols, 1), vtb, max(vtb.shape[1], 1), work, -1,
               rwork, iwork)
        work = np.empty(_workspace_size(work), b.dtype)
        info = lapack("gesdd", jobz, cols, rows, b, max(cols, 1), s, ub, max(cols, 1), vtb, max(vtb.shape[1], 1), work,
                      work.size, rwork, iwork)
    else:
        lapack("gesdd", jobz, cols, rows, b, max(cols, 1), s, ub, max(cols, 1), vtb, max(vtb.shape[1], 1), work, -1,
               iwork)
        work = np.empty(_workspace_size(work), b.dtype)
        info = lapack("gesdd", jobz, cols, rows, b, max(cols, 1), s, ub, max(cols, 1), vtb, max(vtb.shape[1], 1), work,
                      work.size, iwork)
    if info > 0:
        raise LinAlgError("SVD did not converge")
    return vtb, s, ub


@implements(np.linalg.svd)
def svd(a, full_matrices=True):
    if full_matrices:
        return _svd(a, "A")
    return _svd(a, "S")


@implements(np.linalg.cholesky)
def cholesky(a):
    n = _square(a)
    # LAPACK sees A's transpose: A itself when symmetric, conj(A) when
    # Hermitian; its upper factor U (conj(A) = U^H U) reads back as NumPy's
    # lower L, since A = U^T conj(U) = L L^H.
    c = a * 1.0
    info = lapack("potrf", "U", n, c, max(n, 1))
    if info > 0:
        raise LinAlgError("Matrix is not positive definite")
    for i in range(n):
        for j in range(i + 1, n):
            c[i, j] = 0
    return c


@implements(np.linalg.qr)
def qr(a, mode="reduced"):
    if a.ndim != 2:
        raise LinAlgError("array must be 2-dimensional")
    if mode != "reduced" and mode != "r":
        raise ValueError("np.linalg.qr in compiled code supports mode='reduced' and mode='r'")
    rows, cols = a.shape
    k = min(rows, cols)
    f = a.T * 1.0  # A column-major
    tau = np.empty(max(k, 1), f.dtype)
    work = np.empty(1, f.dtype)
    lapack("geqrf", rows, cols, f, max(rows, 1), tau, work, -1)
    work = np.empty(_workspace_size(work), f.dtype)
    info = lapack("geqrf", rows, cols, f, max(rows, 1), tau, work, work.size)
    r = np.zeros((k, cols), f.dtype)
    for i in range(k):
        for j in range(i, cols):
            r[i, j] = f[j, i]
    if mode == "r":
        return r
    q = f[:k, :].copy()  # Q's k columns, column-major
    lapack("orgqr/ungqr", rows, k, k, q, max(rows, 1), tau, work, -1)
    work = np.empty(_workspace_size(work), f.dtype)
    info = lapack("orgqr/ungqr", rows, k, k, q, max(rows, 1), tau, work, work.size)
    if info != 0:
        raise LinAlgError("QR decomposition failed")
    return q.T, r


@implements(np.linalg.lstsq)
def lstsq(a, b, rcond=None):
    """Least squares by SVD (LAPACK gelsd): (x, residuals, rank, singular values)."""
    if a.ndim != 2:
        raise LinAlgError("array must be 2-dimensional")
    rows, cols = a.shape
    if b.shape[0] != rows:
        raise LinAlgError("Incompatible dimensions")
    rhs = 1 if b.ndim == 1 else b.shape[b.ndim - 1]
    ldb = max(rows, cols, 1)
    if np.iscomplexobj(b) and not np.iscomplexobj(a):  # decided by types: complex when b is
        f = a.T * (1.0 + 0.0j)
    else:
        f = a.T * 1.0
    # Right-hand sides column-major, padded to ldb rows: row r of `x` is column r.
    x = np.zeros((max(rhs, 1), ldb), f.dtype)
    if b.ndim == 1:
        x[0, :rows] = b
    else:
        x[:, :rows] = b.T
    k = min(rows, cols)
    s = np.empty(max(k, 1), f.real.dtype)
    rank = np.zeros(1, np.int32)
    cutoff = _EPS * max(rows, cols) if rcond is None else rcond
    work = np.empty(1, f.dtype)
    iwork = np.empty(1, np.int32)
    if np.iscomplexobj(f):
        rwork = np.empty(1, f.real.dtype)
        lapack("gelsd", rows, cols, rhs, f, max(rows, 1), x, ldb, s, float(cutoff), rank, work, -1, rwork, iwork)
        work = np.empty(_workspace_size(work), f.dtype)
        rwork = np.empty(max(int(rwork[0]), 1), f.real.dtype)
        iwork = np.empty(max(int(iwork[0]), 1), np.int32)
        info = lapack("gelsd", rows, cols, rhs, f, max(rows, 1), x, ldb, s, float(cutoff), rank, work, work.size,
                      rwork, iwork)
    else:
        lapack("gelsd", rows, cols, rhs, f, max(rows, 1), x, ldb, s, float(cutoff), rank, work, -1, iwork)
        work = np.empty(_workspace_size(work), f.dtype)
        iwork = np.empty(max(int(iwork[0]), 1), np.int32)
        info = lapack("gelsd", rows, cols, rhs, f, max(rows, 1), x, ldb, s, float(cutoff), rank, work, work.size,
                      iwork)
    if info > 0:
        raise LinAlgError("SVD did not converge in Linear Least Squares")
    full_rank = rank[0] == cols and rows > cols
    residuals = np.zeros(rhs if full_rank else 0, f.real.dtype)
    if full_rank:
        for r in range(rhs):
            for i in range(cols, rows):
                residuals[r] += (x[r, i] * np.conj(x[r, i])).real
    if b.ndim == 1:
        return x[0, :cols].copy(), residuals, int(rank[0]), s[:k].copy()
    return x[:, :cols].T.copy(), residuals, int(rank[0]), s[:k].copy()


@implements(np.linalg.pinv)
def pinv(a, rcond=1e-15):
    u, s, vt = _svd(a, "S")
    cutoff = rcond * (s.max() if s.size > 0 else 0.0)
    inverse = np.zeros(s.size, s.dtype)
    for i in range(s.size):
        if s[i] > cutoff:
            inverse[i] = 1.0 / s[i]
    return (np.conj(vt).T * inverse) @ np.conj(u).T


@implements(np.linalg.matrix_power)
def matrix_power(a, n):
    size = _square(a)
    if n < 0:
        return matrix_power(np.linalg.inv(a), -n)
    result = np.eye(size, dtype=a.dtype)
    base = a.copy()
    power = n
    while power > 0:
        if power & 1:
            result = result @ base
        base = base @ base
        power >>= 1
    return result


@implements(np.linalg.matrix_rank)
def matrix_rank(a, tol=None):
    if a.ndim < 2:
        return 0 if np.all(a == 0) else 1
    s = _svd(a, "N")[1]
    limit = s.max() * max(a.shape[0], a.shape[1]) * _EPS if tol is None else tol
    return int(np.sum(s > limit))


@implements(np.linalg.cond)
def cond(x, p=None):
    """The 2-norm condition number by singular values (p None, 2, -2); other p
    (1, -1, inf, -inf, 'fro') as norm(x, p) * norm(inv(x), p), as NumPy."""
    if p is None or p == 2 or p == -2:
        s = _svd(x, "N")[1]
        return s[s.size - 1] / s[0] if p == -2 else s[0] / s[s.size - 1]
    return norm(x, p) * norm(np.linalg.inv(x), p)


@extends("np.linalg.norm")
def norm(x, ord=None):
    """np.linalg.norm with ord=: vectors (inf, -inf, 0, 1, 2, p), matrices
    ('fro', 'nuc', 1, -1, inf, -inf, 2, -2)."""
    if ord is None:
        return np.linalg.norm(x)
    if isinstance(ord, str):  # decided by type
        if x.ndim != 2:
            raise ValueError("Invalid norm order for vectors.")
        if ord == "fro":
            return np.linalg.norm(x)
        if ord == "nuc":
            return _svd(x, "N")[1].sum() * 1.0
        raise ValueError("Invalid norm order for matrices.")
    a = np.abs(x)
    if x.ndim == 1:
        if ord == np.inf:
            return a.max() * 1.0
        if ord == -np.inf:
            return a.min() * 1.0
        if ord == 0:
            return float(np.count_nonzero(a))
        if ord == 1:
            return a.sum() * 1.0
        if ord == 2:
            return np.sqrt((a * a).sum() * 1.0)
        return ((a ** ord).sum() * 1.0) ** (1.0 / ord)
    if ord == 1 or ord == -1:
        columns = a.sum(axis=0)
        return columns.max() * 1.0 if ord == 1 else columns.min() * 1.0
    if ord == np.inf or ord == -np.inf:
        rows = a.sum(axis=1)
        return rows.max() * 1.0 if ord == np.inf else rows.min() * 1.0
    if ord == 2 or ord == -2:
        s = _svd(x, "N")[1]
        return s[0] * 1.0 if ord == 2 else s[s.size - 1] * 1.0
    raise ValueError("Invalid norm order for matrices.")
