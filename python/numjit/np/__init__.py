"""Numba's ``numba.np`` layout: ``numpy_support`` (dtype <-> type), ``ufunc``
(the DUFunc and GUFunc classes @vectorize and @guvectorize make) and
``linalg._LAPACK``, and ``unsafe.ndarray.to_fixed_tuple``."""
from . import linalg, numpy_support, ufunc, unsafe  # noqa: F401
