from numjit import njit

ARGS = (1.5, 2)


@njit
def f(a, b):
    return a & b
