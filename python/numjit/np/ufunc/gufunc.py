"""``numba.np.ufunc.gufunc.GUFunc``: the class of what @guvectorize makes."""
from ...guvectorize import GUFunc  # noqa: F401
