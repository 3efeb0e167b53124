import numpy as np
from numjit import njit

ARGS = (np.arange(3.0),)


@njit
def f(a):
    return a.tolist()
