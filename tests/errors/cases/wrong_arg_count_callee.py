from numjit import njit

ARGS = (1,)


@njit
def inner(a, b):
    return a + b


@njit
def f(x):
    return inner(x)
