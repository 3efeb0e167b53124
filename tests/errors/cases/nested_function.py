from numjit import njit

ARGS = (1,)


@njit
def f(x):
    total = 0

    def add(y):
        nonlocal total
        total += y

    add(x)
    return total
