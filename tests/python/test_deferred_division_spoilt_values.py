"""A loop whose ZeroDivisionError checks are deferred goes on after a zero
divisor with its inf or NaN until the loop ends, and raises then. Nothing that
value reaches may matter first: not an index, a loop's bound, the branch
that guards an index, the array a helper is given, nor another exception
Python would not have reached. Each kernel here is one such case; each must
raise ZeroDivisionError (as Numba and Python floats do) with a zero divisor,
and give Python's result without one. Without the rules, several of them
wrote or read far outside an array (a crash) or ran for ever."""
import numpy as np
import pytest

from numjit import njit


@njit
def index_set_under_a_nan_test(x, y):
    out = np.zeros(x.shape[0])
    k = 0
    for i in range(x.shape[0]):
        r = x[i] / y[i]
        if r != r:  # NaN: only 0 / 0 with finite data
            k = 50_000_000
        out[k] = r
    return out[0]


@njit
def bound_set_under_a_nan_test(x, y):
    s = 0.0
    m = 1
    for i in range(x.shape[0]):
        r = x[i] / y[i]
        if r != r:
            m = 4_000_000_000_000_000_000
        for j in range(m):
            s += r * j * 1e-9
    return s


@njit
def read_under_a_quotient_test(x, y, a):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] / y[i] > 1e300:  # never true without a zero divisor
            s += a[50_000_000]
    return s


@njit
def nan_index_in_helper(x, y, a):
    k = 0
    if x / y != x / y:
        k = 50_000_000
    return a[k]


@njit
def calls_nan_index_in_helper(x, y, a):
    s = 0.0
    for i in range(x.shape[0]):
        s += nan_index_in_helper(x[i], y[i], a)
    return s


@njit
def extent_of_a_picked_array(x, y, a, b):
    out = np.zeros(3)
    s = 0.0
    for i in range(x.shape[0]):
        v = a if x[i] / y[i] < 1e300 else b
        out[v.shape[0] - 1] = 7.0
        s += out[0]
    return s


@njit
def last_of(p, q):
    return q[p.shape[0] - 1]


@njit
def passes_a_picked_array(x, y, a, b):
    s = 0.0
    for i in range(x.shape[0]):
        s += last_of(a if x[i] / y[i] < 1e300 else b, a)
    return s


@njit
def adds_into_an_argument(acc, x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] / y[i]
        acc += 1.0
    return s


@njit
def doubles_an_argument(acc, x, y):
    acc *= 2.0
    return x / y


@njit
def calls_doubles_an_argument(acc, x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += doubles_an_argument(acc, x[i], y[i])
    return s


@njit
def shifted(x, y, k):
    z = x / y
    return z + (1 << k)


@njit
def calls_shifted(x, y, k):
    s = 0.0
    for i in range(x.shape[0]):
        s += shifted(x[i], y[i], k[i])
    return s


@njit
def tuple_at_loop_index(x, y):
    t = (1.0, 2.0, 3.0)
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] / y[i] + t[i]
    return s


@njit
def maybe_unbound(x, y):
    if x / y > 0.0:
        r = 1.0
    return r


@njit
def calls_maybe_unbound(x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += maybe_unbound(x[i], y[i])
    return s


@njit
def maybe_none(x, y):
    if x / y > 0.0:
        return x
    return None


@njit
def calls_maybe_none(x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += maybe_none(x[i], y[i])
    return s


def as_python(args):
    """The dividend and divisor (the first two) as object arrays of Python
    floats, so that py_func divides as Python does (NumPy's scalars give inf)."""
    return [a.astype(object) for a in args[:2]] + list(args[2:])


CASES = {
    # name: (kernel, arguments with a zero divisor at element 1, the same without)
    "index_set_under_a_nan_test": (index_set_under_a_nan_test, lambda z: (np.array([1.0, 0.0, 1.0]),
                                                                          np.array([1.0, z, 1.0]))),
    "bound_set_under_a_nan_test": (bound_set_under_a_nan_test, lambda z: (np.array([1.0, 0.0, 1.0]),
                                                                          np.array([1.0, z, 1.0]))),
    "read_under_a_quotient_test": (read_under_a_quotient_test, lambda z: (np.array([1.0, 1.0, 1.0]),
                                                                          np.array([1.0, z, 1.0]), np.zeros(3))),
    "nan_index_in_helper": (calls_nan_index_in_helper, lambda z: (np.array([1.0, 0.0, 1.0]),
                                                                  np.array([1.0, z, 1.0]), np.arange(3.0))),
    "extent_of_a_picked_array": (extent_of_a_picked_array, lambda z: (np.ones(4), np.array([1.0, z, 1.0, 1.0]),
                                                                      np.zeros(3), np.zeros(10 ** 7))),
    "passes_a_picked_array": (passes_a_picked_array, lambda z: (np.ones(4), np.array([1.0, z, 1.0, 1.0]),
                                                                np.zeros(3), np.zeros(10 ** 7))),
    "shifted": (calls_shifted, lambda z: (np.ones(3), np.array([1.0, z, 1.0]), np.array([1, 2, -1 if z == 0 else 3]))),
    "tuple_at_loop_index": (tuple_at_loop_index, lambda z: (np.ones(4 if z == 0 else 3), np.array([1.0, z, 1.0, 1.0][:4 if z == 0 else 3]))),
    "maybe_unbound": (calls_maybe_unbound, lambda z: (np.array([1.0, 0.0, 1.0]), np.array([1.0, z, 1.0]))),
    "maybe_none": (calls_maybe_none, lambda z: (np.array([1.0, 0.0, 1.0]), np.array([1.0, z, 1.0]))),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_zero_divisor_raises_before_its_value_matters(name):
    f, make = CASES[name]
    with pytest.raises(ZeroDivisionError):
        f.py_func(*as_python(make(0.0)))
    with pytest.raises(ZeroDivisionError):
        f(*make(0.0))


@pytest.mark.parametrize("name", sorted(CASES))
def test_without_a_zero_divisor_python_and_compiled_agree(name):
    f, make = CASES[name]
    try:
        expected = f.py_func(*as_python(make(1.0)))
    except Exception as e:  # UnboundLocalError, TypeError: the compiled code raises the same
        with pytest.raises(type(e)):
            f(*make(1.0))
        return
    assert f(*make(1.0)) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("f", [adds_into_an_argument, calls_doubles_an_argument], ids=lambda f: f.__name__)
def test_an_argument_changed_in_place_holds_only_what_came_before(f):
    acc = np.zeros(3)
    x, y = np.ones(4), np.array([1.0, 0.0, 1.0, 1.0])
    with pytest.raises(ZeroDivisionError):
        f(acc, x, y)
    expected = np.zeros(3)
    with pytest.raises(ZeroDivisionError):
        f.py_func(expected, *as_python([x, y]))
    np.testing.assert_array_equal(acc, expected)
