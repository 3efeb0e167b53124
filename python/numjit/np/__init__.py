"""Numba's ``numba.np`` layout: ``numpy_support`` (dtype <-> type), ``ufunc``
(the DUFunc and GUFunc classes @vectorize and @guvectorize make) and
``linalg._LAPACK``."""
from . import linalg, numpy_support, ufunc  # noqa: F401
