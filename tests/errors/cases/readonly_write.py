import numpy as np
from numjit import njit

_data = np.arange(3.0)
_data.setflags(write=False)
ARGS = (_data,)


@njit
def f(a):
    a[0] = 1.0
    return a[0]
