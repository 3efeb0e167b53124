from numjit import njit

ARGS = (2.5,)


@njit
def f(n):
    s = 0
    for i in range(n):
        s += i
    return s
