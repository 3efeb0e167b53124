from numjit import njit

ARGS = ("value %d", 3)


@njit
def f(template, n):
    return template % n
