from numjit import njit

ARGS = (1,)


@njit
def f(x):
    return [(lambda y: y + 1)(v) for v in range(x)]
