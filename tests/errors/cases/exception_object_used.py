from numjit import njit

ARGS = (0,)


@njit
def f(x):
    try:
        return 1 // x
    except ZeroDivisionError as err:
        print(err)
        return 0
