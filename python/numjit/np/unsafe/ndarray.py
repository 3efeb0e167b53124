"""Numba's ``numba.np.unsafe.ndarray``."""
from ..._fixed_tuples import to_fixed_tuple  # noqa: F401
