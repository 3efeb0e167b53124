import numpy as np
from numjit import njit

ARGS = (np.arange(3.0),)


@njit
def f(X):
    s = 0.0
    for j in range(X.shape[0]):
        s += X[j] + "a"
    return s
