from numjit import njit

ARGS = (1,)


@njit
def f(x):
    g = lambda y: y + 1
    return g(x)
