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


def print_containers(a, k):
    print("a =", a, "row", a[0], "sum", a.sum())
    print((k, a[:2]), [k, k + 1], {k: 1.5})
    print(a * 2, a[::-1], k)


LAYOUTS = {
    "C": lambda a: a,
    "F": np.asfortranarray,
    "strided": lambda a: a[:, ::2] if a.ndim == 2 else a[::2],
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8, np.bool_, np.complex128])
@pytest.mark.parametrize("shape", [(3,), (2, 3), (4, 4)])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_print_of_arrays_and_containers_matches_python(capsys, dtype, shape, layout):
    # arrays, tuples, lists and dicts are boxed and Python formats them
    a = LAYOUTS[layout](np.arange(int(np.prod(shape))).reshape(shape).astype(dtype))
    f = njit(print_containers)
    f.py_func(a, 7)
    expected = capsys.readouterr().out
    f(a, 7)
    assert capsys.readouterr().out == expected


def test_print_of_a_large_array_is_summarized_as_numpy_does(capsys):
    a = np.arange(5000.0)
    f = njit(print_containers)
    f.py_func(a, 1)
    expected = capsys.readouterr().out
    f(a, 1)
    assert capsys.readouterr().out == expected and "..." in expected


def print_mixed(x, n):
    print((1, "a", x))
    print(("nested", (n, "b")), "and", (x,))


@pytest.mark.parametrize("x", [2.5, -1.0])
@pytest.mark.parametrize("n", [0, 7])
def test_print_of_tuples_holding_string_constants(x, n, capfd):
    njit(print_mixed)(x, n)
    got = capfd.readouterr().out
    print_mixed(x, n)
    assert got == capfd.readouterr().out
