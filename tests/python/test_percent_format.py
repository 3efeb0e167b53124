"""printf-style `%` formatting of a constant template in compiled code:
rewritten to the f-string it equals. Each result is compared with `.py_func`."""
import numpy as np
import pytest

from numjit import errors, njit


@njit
def numbers(x, n):
    return ("x=%.3f n=%d" % (x, n), "%5d|%-5d|%05d|%+d|% d" % (n, n, n, n, n),
            "%x %X %#x %o %#o" % (abs(n), abs(n), abs(n), abs(n), abs(n)),
            "%e %E %g %G %10.2f|%-10.2f|%+.1e" % (x, x, x, x, x, x, x), "%i %u %d" % (n, n, True), "100%% %s" % x)


@pytest.mark.parametrize("x, n", [(3.14159, 42), (-0.5, -7), (1e10, 0), (2.5e-8, 123456789), (np.float32(1.5), np.int32(-3)),
                                  (float("inf"), 1), (float("nan"), 2), (-0.0, 5)])
def test_number_conversions(x, n):
    assert numbers(x, n) == numbers.py_func(x, n)


@njit
def texts(name, x):
    return "%10s|%-10s|%.2s|%s|%r|%a" % (name, name, name, name, name, name), "%s and %s" % (x, name), "[%s]" % name


@pytest.mark.parametrize("name", ["bob", "", "héllo wörld", "it's"])
@pytest.mark.parametrize("x", [1.5, 7])
def test_string_conversions(name, x):
    assert texts(name, x) == texts.py_func(name, x)


@njit
def single(value):
    return "<%s>" % value


@pytest.mark.parametrize("value", [3, 2.5, (4,), (1.5,), "s"])
def test_a_single_operand_or_a_tuple_of_one(value):
    assert single(value) == single.py_func(value)


def test_what_the_rewrite_cannot_say_stays_a_located_error():
    @njit
    def named(x):
        return "%(x)s" % x

    with pytest.raises(errors.UnsupportedError, match="'%' formatting"):
        named(1)


@njit
def truncated(x):
    return "%d|%i" % (x, -x)


@pytest.mark.parametrize("x", [3.7, -2.5, 0.0, 1e15])
def test_integer_conversions_of_floats_truncate(x):
    assert truncated(x) == truncated.py_func(x)
