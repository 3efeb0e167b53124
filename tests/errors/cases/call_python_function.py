from numjit import njit

ARGS = (1.0,)


def helper(x):
    return x * 2


@njit
def f(x):
    return helper(x)
