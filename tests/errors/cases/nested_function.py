from numjit import njit

ARGS = (1,)


@njit
def f(x):
    def g(y):
        return y
    return g(x)
