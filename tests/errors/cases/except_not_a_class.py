import numpy as np

from numjit import njit

ARGS = (1,)


@njit
def f(x):
    try:
        return 1 // x
    except np.float64:
        return 0
