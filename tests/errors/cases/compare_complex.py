from numjit import njit

ARGS = (1j, 2j)


@njit
def f(a, b):
    return a < b
