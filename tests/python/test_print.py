"""print() in compiled code writes what plain Python prints, in order with Python's own output."""
import numpy as np
import pytest

from numjit import njit


def show(x, n, flag):
    print("x =", x, "n =", n, flag, None, x * 1j + n)
    print()
    print(n)
    return n + 1


@pytest.mark.parametrize("x, n, flag", [(2.5, 3, True), (-0.1, -7, False), (1e300, 0, True), (np.inf, 2**62, False)])
def test_print_matches_python(capsys, x, n, flag):
    f = njit(show)
    f.py_func(x, n, flag)
    expected = capsys.readouterr().out
    print("before")
    assert f(x, n, flag) == n + 1
    print("after")
    assert capsys.readouterr().out == "before\n" + expected + "after\n"


def print_in_loop(a):
    total = 0.0
    for i in range(a.shape[0]):
        print(i, a[i])
        total += a[i]
    return total


@pytest.mark.parametrize("n", [0, 1, 5])
def test_print_in_loop(capsys, n):
    a = np.linspace(0.0, 1.0, n)
    f = njit(print_in_loop)
    f.py_func(a)
    expected = capsys.readouterr().out
    f(a)
    assert capsys.readouterr().out == expected
