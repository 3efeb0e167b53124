import numpy as np
from numjit import njit

ARGS = (1, np.arange(3.0))


@njit
def f(flag, a):
    if flag:
        return 1.0
    return (1.0, 2.0)
