"""Numba's ``numba.np.unsafe``: helpers libraries import from it."""
from . import ndarray  # noqa: F401
