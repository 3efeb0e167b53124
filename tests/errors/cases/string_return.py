from numjit import njit

ARGS = ("text",)


@njit
def f(x):
    return x
