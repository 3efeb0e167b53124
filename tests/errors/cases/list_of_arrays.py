import numpy as np
from numjit import njit

ARGS = (np.arange(3.0),)


@njit
def f(a):
    rows = [a, a]
    return len(rows)
