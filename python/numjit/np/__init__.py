"""Numba's ``numba.np`` layout: ``numpy_support`` (dtype <-> type) and ``ufunc``
(the DUFunc and GUFunc classes @vectorize and @guvectorize make)."""
from . import numpy_support, ufunc  # noqa: F401
