"""``numba.np.ufunc.dufunc.DUFunc``: the class of what @vectorize makes without signatures."""
from ...vectorize import DUFunc  # noqa: F401
