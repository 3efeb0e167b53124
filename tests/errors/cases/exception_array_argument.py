import numpy as np

from numjit import njit

ARGS = (np.arange(3.0),)


@njit
def f(a):
    if a[0] < 1.0:
        raise ValueError("bad rows:", a)
    return a
