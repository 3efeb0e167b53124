import numpy as np
from numjit import njit

ARGS = (1.0,)


@njit
def f(x):
    return np.bmat(x)
