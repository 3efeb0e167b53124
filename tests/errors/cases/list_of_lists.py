from numjit import njit

ARGS = (2,)


@njit
def f(n):
    grid = [[n], [n]]
    return len(grid)
