from numjit import njit

ARGS = (1,)


@njit
def f(x):
    try:
        x += 1
    except ValueError:
        pass
    return x
