from numjit import njit

ARGS = (1,)


@njit
def f(x):
    return x + y_not_defined
