"""Numba's ``numba.np.ufunc``: the decorators and the classes of what they make."""
from ...guvectorize import GUFunc, guvectorize  # noqa: F401
from ...vectorize import DUFunc, vectorize  # noqa: F401
from . import dufunc, gufunc  # noqa: F401
