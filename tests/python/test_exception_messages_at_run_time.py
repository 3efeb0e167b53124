"""Exceptions whose arguments are known only at run time, as Numba raises
them: `raise ValueError(f"x must be >= 0, got {x}")`, `raise IndexError("n
too large:", n)`, `raise KeyError(name)`. The message is the text Python's
str() of the exception shows (for several arguments, the text of their
tuple); compared with .py_func for strings, ints, floats of both widths,
bools and None, from plain functions, prange bodies and callees."""
import numpy as np
import pytest

from numjit import njit, prange


class CustomError(Exception):
    pass


@njit
def formatted(x):
    if x < 0:
        raise ValueError(f"x must be >= 0, got {x}")
    return x


@njit
def with_value(n):
    raise IndexError("n too large:", n)


@njit
def key(name):
    raise KeyError(name)


@njit
def mixed(i, x, flag):
    raise ValueError("row", i, x, flag, None, 2.5)


@njit
def concatenated(s):
    raise RuntimeError(s + "!")


@njit
def number_alone(x):
    raise ValueError(x)


@njit
def custom(x):
    raise CustomError(f"custom {x:.3f}")


@njit(parallel=True)
def in_prange(a):
    for i in prange(a.shape[0]):
        if a[i] < 0:
            raise ValueError(f"negative at {i}: {a[i]}")
    return a.sum()


@njit
def callee(x):
    if x > 2:
        raise ValueError("too big", x)
    return x


@njit
def typed_late(n):
    k = 0
    for i in range(n):
        if i > 3:
            raise ValueError("late", k)  # k's type is settled after the raise is first met
        k = k + 1
    return k


@njit
def caller(x):
    return callee(x) + 1


def raised(f, *args):
    with pytest.raises(Exception) as info:
        f(*args)
    return type(info.value), str(info.value)


CASES = [
    (formatted, (-1,)), (formatted, (-2.5,)), (formatted, (-1e-300,)),
    (with_value, (7,)), (with_value, (-(2**62),)), (with_value, (0.1,)),
    (key, ("alpha",)), (key, ("",)), (key, ("it's \"quoted\"\n",)), (key, ("ünïcode ✓",)),
    (mixed, (2, 1.5, True)), (mixed, (-1, float("inf"), False)),
    (concatenated, ("boom",)),
    (number_alone, (3.25,)), (number_alone, (7,)), (number_alone, (True,)), (number_alone, (1e300,)),
    (custom, (1.23456,)),
    (caller, (5,)),
    (typed_late, (10,)),
]


@pytest.mark.parametrize("f,args", CASES, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(CASES)])
def test_the_exception_and_its_text_match_python(f, args):
    assert raised(f, *args) == raised(f.py_func, *args)


@pytest.mark.parametrize("size", [1, 10, 100_000])
def test_from_a_prange_body(size):
    a = np.ones(size)
    a[size // 2] = -3.0
    assert raised(in_prange, a) == raised(in_prange.py_func, a)
    a[size // 2] = 1.0
    assert in_prange(a) == in_prange.py_func(a)


def test_a_text_starting_like_an_argument_literal_is_kept_as_text():
    text = "\x01(1, 2)"
    assert raised(key, text) == raised(key.py_func, text)


def test_no_exception_where_the_condition_is_false():
    assert formatted(3) == 3 and formatted(0.5) == 0.5


@pytest.mark.parametrize("value", [3, -7, 0, 2**62, -(2**63)])
@pytest.mark.parametrize("f", [key, number_alone], ids=lambda f: f.__name__)
def test_an_integer_argument_stays_an_integer(f, value):
    # KeyError(3) shows 3 and keeps the int in .args, as Python's does (its
    # text would show '3')
    with pytest.raises(Exception) as compiled:
        f(value)
    with pytest.raises(Exception) as python:
        f.py_func(value)
    assert type(compiled.value) is type(python.value)
    assert compiled.value.args == python.value.args and str(compiled.value) == str(python.value)


@pytest.mark.parametrize("value", [np.int32(-5), np.uint64(2**63 + 5), np.uint8(200)], ids=repr)
def test_a_numpy_integer_argument_is_its_value(value):
    # Python keeps the NumPy scalar itself (its text shows np.int32(-5));
    # compiled code keeps no NumPy scalar type at run time: the int's value
    with pytest.raises(KeyError) as compiled:
        key(value)
    assert compiled.value.args == (int(value),) and type(compiled.value.args[0]) is int
