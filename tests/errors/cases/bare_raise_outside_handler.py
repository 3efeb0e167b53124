from numjit import njit

ARGS = (1,)


@njit
def f(x):
    if x > 0:
        raise
    return x
