"""Calls between jitted functions, recursion, globals and closures frozen at
compile time, a local that shadows its function's name, and tuples."""
import importlib.util

import numpy as np
import pytest

from numjit import njit

from conftest import FLOAT_DTYPES, SIZES, check, dtype_id, random_floats


@njit
def square(x):
    return x * x


@njit
def norm2(a, b):
    return square(a) + square(b)


@njit
def norm2_plus_one(a, b):
    return norm2(a, b) + 1


@njit
def dot_with_callee(x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += square(x[i] - y[i])
    return s


@njit
def fill_squares(out):
    for i in range(out.shape[0]):
        out[i] = square(i)


@njit
def fill_via_callee(out):
    fill_squares(out)
    return out.shape[0]


@njit
def min_max_of(x):
    lo = x[0]
    hi = x[0]
    for v in x:
        if v < lo:
            lo = v
        if v > hi:
            hi = v
    return lo, hi


@njit
def spread(x):
    lo, hi = min_max_of(x)
    return hi - lo


@njit
def mixed_callee_types(n):
    return square(n) + square(0.5 * n)


@pytest.mark.parametrize("a, b", [(3, 4), (1.5, -2.5), (np.float32(2), np.float32(3)), (1 + 1j, 2)])
def test_call_chain(a, b):
    check(norm2, a, b)
    check(norm2_plus_one, a, b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", SIZES)
def test_callee_in_loop(dtype, n):
    check(dot_with_callee, random_floats(n, dtype, seed=1), random_floats(n, dtype, seed=2))


@pytest.mark.parametrize("n", SIZES)
def test_callee_writes_into_caller_array(n):
    check(fill_via_callee, np.zeros(n, dtype=np.int64))


@pytest.mark.parametrize("n", [1, 7, 1000])
def test_tuple_returned_by_callee(n):
    check(spread, random_floats(n, seed=n))


def test_callee_specialized_per_argument_type():
    check(mixed_callee_types, 6)
    assert mixed_callee_types(6) == 36 + 9.0
    assert square(3) == 9 and square(1.5) == 2.25


# ---- recursion ------------------------------------------------------------------

@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@njit
def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


@njit
def halving_sum(a, lo, hi):
    if hi - lo == 0:
        return 0.0
    if hi - lo == 1:
        return a[lo] * 1.0
    mid = (lo + hi) // 2
    return halving_sum(a, lo, mid) + halving_sum(a, mid, hi)


@pytest.mark.parametrize("n", [0, 1, 2, 10, 20])
def test_fibonacci(n):
    check(fib, n)


def test_fibonacci_known_values():
    assert [fib(n) for n in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
    assert fib(30) == 832040


@pytest.mark.parametrize("n", [0, 1, 5, 20])
def test_factorial(n):
    check(factorial, n)


def test_factorial_wraps_like_int64():
    assert factorial(20) == 2432902008176640000
    assert factorial(21) == -4249290049419214848  # 21! mod 2**64, as a signed int64


@pytest.mark.parametrize("n", SIZES)
def test_recursion_over_array(n):
    a = random_floats(n, seed=n)
    check(halving_sum, a, 0, n, rtol=1e-10)


# ---- globals and closures -------------------------------------------------------

SCALE = 3.0
TABLE = np.array([1.5, -2.0, 4.25, 8.0])
INT_GLOBAL = 7


def use_globals(i):
    return SCALE * TABLE[i % TABLE.shape[0]] + INT_GLOBAL


def test_globals():
    f = njit(use_globals)
    for i in range(-4, 9):
        check(f, i)


def test_globals_are_frozen_at_compile_time():
    global SCALE, INT_GLOBAL
    f = njit(use_globals)
    before = f(2)
    saved = (SCALE, INT_GLOBAL, TABLE.copy())
    try:
        SCALE, INT_GLOBAL = -1.0, 100
        TABLE[2] = 1000.0
        assert f(2) == before == 3.0 * 4.25 + 7
        assert use_globals(2) == -1000.0 + 100  # plain Python sees the new values
    finally:
        SCALE, INT_GLOBAL = saved[0], saved[1]
        TABLE[:] = saved[2]


def make_closure(k, weights):
    offset = k // 2

    @njit
    def weighted(x):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * weights[i % weights.shape[0]] * k
        return s + offset

    return weighted


@pytest.mark.parametrize("k", [1, 4, -3])
@pytest.mark.parametrize("n", SIZES)
def test_closure_over_scalar_and_array(k, n):
    f = make_closure(k, np.array([0.5, 1.0, -2.0]))
    check(f, random_floats(n, seed=n))


def test_closures_are_frozen_and_independent():
    weights = np.array([1.0, 2.0])
    f = make_closure(2, weights)
    g = make_closure(10, weights)
    x = np.array([1.0, 1.0])
    assert f(x) == 6.0 + 1
    assert g(x) == 30.0 + 5
    weights[:] = 0.0
    assert f(x) == 7.0 and g(x) == 35.0


def test_closure_over_jitted_function():
    def make(inner):
        @njit
        def outer(x):
            return inner(x) + inner(x + 1)
        return outer

    f = make(square)
    check(f, 3)
    check(f, 2.5)


# ---- names -------------------------------------------------------------------------

@njit
def ell(x):
    ell = 0
    for i in range(x.shape[0]):
        ell += x[i] * i
    return ell


@pytest.mark.parametrize("n", SIZES)
def test_local_shadows_function_name(n):
    x = random_floats(n, seed=n)
    # ell starts as int 0 and becomes float: over an empty array Python keeps 0.
    check(ell, x, widen=True)
    assert isinstance(ell(x), float)


# ---- tuples ------------------------------------------------------------------------

@njit
def tuple_literal_and_index(a, b):
    t = (a, b, a + b)
    return t[0] * t[2] - t[-1], len(t)


@njit
def mixed_tuple(n, x):
    return n, x, n > 2, complex(x, n)


@njit
def swap(a, b):
    a, b = b, a
    return a, b


@njit
def unpack_nested(a, b):
    p = (a, b)
    q = (b, a)
    x, y = p
    u, v = q
    return x * u + y * v


@njit
def divmod_pair(a, b):
    return a // b, a % b


@njit
def use_pair(a, b):
    q, r = divmod_pair(a, b)
    return q * b + r


@pytest.mark.parametrize("a, b", [(3, 4), (2.5, -1.0), (np.int8(3), np.int8(5))])
def test_tuple_literal_and_index(a, b):
    check(tuple_literal_and_index, a, b)


@pytest.mark.parametrize("n, x", [(1, 0.5), (3, -2.0), (0, 1e10)])
def test_mixed_tuple(n, x):
    check(mixed_tuple, n, x)


@pytest.mark.parametrize("a, b", [(1, 2), (1.5, 2.5), (True, False)])
def test_swap(a, b):
    check(swap, a, b)
    check(unpack_nested, a, b)


@pytest.mark.parametrize("a, b", [(17, 5), (-17, 5), (17, -5), (0, 3)])
def test_unpack_tuple_from_callee(a, b):
    assert check(use_pair, a, b) == a


@pytest.mark.parametrize("count", [1, 63, 64, 65, 70])
def test_many_arguments(tmp_path, count):
    # More arguments than the dispatcher's stack buffers hold take a heap path.
    names = [f"a{i}" for i in range(count)]
    source = f"def many({', '.join(names)}):\n    return {' + '.join(f'{n} * {i + 1}' for i, n in enumerate(names))}\n"
    path = tmp_path / f"many_{count}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"many_{count}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    f = njit(module.many)
    args = list(range(3, 3 + count))
    assert f(*args) == module.many(*args)
    assert f(*[float(a) for a in args]) == module.many(*[float(a) for a in args])
