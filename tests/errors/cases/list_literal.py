from numjit import njit

ARGS = (1,)


@njit
def f(x):
    values = [x, x]
    return x
