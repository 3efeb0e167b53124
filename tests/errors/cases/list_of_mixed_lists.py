from numjit import njit

ARGS = (2,)


@njit
def f(n):
    grid = [[n], ["text"]]
    return len(grid)
