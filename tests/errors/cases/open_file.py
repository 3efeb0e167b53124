from numjit import njit


@njit
def f(path):
    with_handle = open(path)
    return with_handle


ARGS = ("data.txt",)
