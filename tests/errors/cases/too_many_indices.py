import numpy as np
from numjit import njit

ARGS = (np.arange(4.0),)


@njit
def f(a):
    return a[0, 1]
