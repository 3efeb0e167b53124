from numjit import njit

ARGS = ({"a": 1.0},)


@njit
def f(x):
    return x
