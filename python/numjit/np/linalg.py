"""``numba.np.linalg._LAPACK``, the LAPACK wrappers some libraries (quantecon)
call from compiled code with arrays' ``.ctypes``, as in
``_LAPACK().numba_xgesv(a.dtype)(kind, n, nrhs, a.ctypes, n, ipiv.ctypes, b.ctypes, n)``.
In numjit an array's ``.ctypes`` in compiled code is the array itself, which
LAPACK is given by its data pointer (library/lapack.cpp); ``numba_xgesv``
is ``?getrf`` then ``?getrs``, which is what ``?gesv`` does."""
from .. import errors
from ..decorators import njit
from ..library.intrinsics import lapack


@njit
def _xgesv(kind, n, nrhs, a, lda, ipiv, b, ldb):
    """Solves a x = b in place (Fortran order): a becomes its LU factors, b the solution; returns info."""
    info = lapack("getrf", n, n, a, lda, ipiv)
    if info != 0:
        return info
    return lapack("getrs", "N", n, nrhs, a, lda, ipiv, b, ldb)


class _LAPACK:
    def numba_xgesv(self, dtype):
        return _xgesv

    def __getattr__(self, name):
        if name.startswith("numba_"):
            raise errors.UnsupportedError(f"numba.np.linalg._LAPACK().{name} is not supported by numjit yet")
        raise AttributeError(name)
