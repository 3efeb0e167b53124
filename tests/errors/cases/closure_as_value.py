from numjit import njit

ARGS = ([1.0, 2.0], 3.0)


@njit
def f(a, k):
    scaled = lambda v: v * k
    return list(map(scaled, a))
