from numjit import njit

ARGS = (1.0,)


@njit
def inner(x):
    return x + "s"


@njit
def f(x):
    return inner(x) * 2
