"""Memory of arrays created by compiled code: every block allocated is freed
(temporaries in loops and branches, returned arrays and tuples, views of fresh
arrays, arrays passed between jitted functions, exceptions, early returns),
and arrays returned to Python are real ndarrays that keep their memory alive
until Python drops them.

The counts come from ``numjit.runtime.allocation_stats()`` (blocks allocated
and freed by compiled code since start). To validate these tests against
Numba (a shim that makes ``import numjit`` give numba), the ``stats`` fixture
falls back to Numba's NRT statistics, and only then.
"""
import gc

import numpy as np
import pytest

import numjit
from numjit import njit

from conftest import check

REPEAT = 20


def _stats_function():
    try:
        from numjit.runtime import allocation_stats
        return allocation_stats
    except ImportError:
        if not getattr(numjit.njit, "__module__", "").startswith("numba"):
            raise
    # Validation only: numjit is the Numba shim.
    from numba.core.runtime import _nrt_python, rtsys
    _nrt_python.memsys_enable_stats()
    return rtsys.get_allocation_stats


@pytest.fixture
def stats():
    fn = _stats_function()
    gc.collect()
    return fn


def measure(stats, action, repeat=REPEAT):
    """(blocks allocated, blocks freed) while ``action()`` runs ``repeat`` times,
    its results dropped and garbage collected."""
    gc.collect()
    before = stats()
    for _ in range(repeat):
        action()
    gc.collect()
    after = stats()
    return after.alloc - before.alloc, after.free - before.free


def assert_no_leak(stats, f, *args, counted=True, repeat=REPEAT):
    """Checks ``f`` against its Python version once, then that calling it
    ``repeat`` times frees every block it allocates. With ``counted`` the calls
    must have allocated at least one block each (the counts are being kept)."""
    check(f, *args)
    allocs, frees = measure(stats, lambda: f(*args), repeat)
    if counted:
        assert allocs >= repeat, f"only {allocs} blocks counted in {repeat} calls that create arrays"
    assert allocs == frees, f"{allocs} blocks allocated, {frees} freed: {allocs - frees} leaked"


def outstanding(stats, before):
    """Blocks allocated since ``before`` and not yet freed."""
    now = stats()
    return (now.alloc - before.alloc) - (now.free - before.free)


# ---- the counters ---------------------------------------------------------------

def test_allocation_stats_is_a_namedtuple(stats):
    s = stats()
    assert isinstance(s, tuple)
    assert isinstance(s.alloc, int) and isinstance(s.free, int)
    assert s.alloc >= s.free >= 0
    assert s[0] == s.alloc and s[1] == s.free


# ---- leaks ------------------------------------------------------------------------

@njit
def temporaries_in_loop(n, k):
    out = np.zeros(n)
    for i in range(n):
        t = np.zeros(k)
        for j in range(k):
            t[j] = i + j
        out[i] = t[k - 1] if k > 0 else -1.0
    return out


@njit
def reassigned_in_loop(n, k):
    a = np.zeros(n)
    for i in range(k):
        a = np.ones(n)
        if n > 0:
            a[0] = i
    return a


@njit
def temporaries_in_branches(n, flag):
    out = np.zeros(n)
    if flag > 0:
        tmp = np.ones(n)
        for i in range(n):
            out[i] = tmp[i] + i
    elif flag < 0:
        tmp2 = np.full(n, 2.0)
        for i in range(n):
            out[i] = tmp2[i] * i
    else:
        t3 = np.empty(n)
        for i in range(n):
            t3[i] = 3.0
            out[i] = t3[i]
    return out


@njit
def one_array(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i * 0.5
    return a


@njit
def two_d_array(n, m):
    return np.zeros((n, m))


@njit
def pair_of_arrays(n):
    return np.zeros(n), np.ones(n + 1)


@njit
def mixed_tuple(n):
    a = np.arange(n)
    return a, n, np.ones((2, n))


@njit
def view_of_fresh_slice():
    v = np.zeros(10)[2:5]
    v[0] = 1.0
    return v


@njit
def view_of_fresh_step(n):
    return np.arange(n)[::2]


@njit
def row_and_column_of_fresh(n):
    a = np.zeros((n, n + 1))
    for i in range(n):
        for j in range(n + 1):
            a[i, j] = i * 10 + j
    return a[1], a[:, 0]


@njit
def view_used_inside(n):
    v = np.ones(n + 2)[1:-1]
    s = 0.0
    for i in range(v.shape[0]):
        s += v[i]
    return s, np.zeros(1)


@njit
def passthrough(a):
    return a


@njit
def tail(a):
    return a[1:]


@njit
def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


@njit
def chain(n):
    a = one_array(n)
    b = passthrough(a)
    c = tail(b)
    one_array(n)  # result dropped
    d = one_array(n + 3)  # never used
    return c


@njit
def temporary_argument(n):
    s = total(one_array(n)) + total(tail(one_array(n + 1)))
    x, y = pair_of_arrays(n)  # y is dropped
    return s + total(x)


@njit
def raises_after_allocating(n):
    keep = np.zeros(n)
    for i in range(n):
        t = np.ones(3)
        keep[i] = t[0]
        if i == n - 2:
            raise ValueError("raised with arrays alive")
    return keep


@njit
def raises_in_callee(n):
    a = np.ones(n)
    b = raises_after_allocating(n)
    return a, b


@njit
def early_return_in_loop(n, stop):
    for i in range(n):
        t = np.zeros(4)
        t[0] = i
        if i == stop:
            return t
    return np.ones(1)


@njit
def break_out_of_while(n):
    i = 0
    last = np.zeros(1)
    while True:
        last = np.full(3, float(i))
        if i >= n:
            break
        i += 1
    return last


@pytest.mark.parametrize("n, k", [(0, 3), (1, 0), (7, 1), (7, 7), (50, 1000)])
def test_temporaries_in_loops(stats, n, k):
    assert_no_leak(stats, temporaries_in_loop, n, k, counted=n > 0)
    assert_no_leak(stats, reassigned_in_loop, n, k, counted=n > 0)


@pytest.mark.parametrize("flag", [-1, 0, 1])
@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_temporaries_in_branches(stats, n, flag):
    assert_no_leak(stats, temporaries_in_branches, n, flag, counted=n > 0)


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_returned_arrays_and_tuples(stats, n):
    # Whether a zero-size array takes a block is the implementation's choice.
    assert_no_leak(stats, one_array, n, counted=n > 0)
    assert_no_leak(stats, two_d_array, n, 3, counted=n > 0)
    assert_no_leak(stats, pair_of_arrays, n)
    assert_no_leak(stats, mixed_tuple, n)
    assert_no_leak(stats, view_used_inside, n)


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_views_of_fresh_arrays(stats, n):
    assert_no_leak(stats, view_of_fresh_slice)
    assert_no_leak(stats, view_of_fresh_step, n, counted=n > 0)
    if n >= 2:
        assert_no_leak(stats, row_and_column_of_fresh, n)


@pytest.mark.parametrize("n", [1, 7, 1000])
def test_arrays_passed_between_jitted_functions(stats, n):
    assert_no_leak(stats, chain, n)
    assert_no_leak(stats, temporary_argument, n)


# Numba leaks the caller's arrays when the exception comes from a callee
# (raises_in_callee: one block per call); numjit must not.
@pytest.mark.parametrize("f", [raises_after_allocating, raises_in_callee], ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", [2, 7, 1000])
def test_raise_after_allocating(stats, f, n):
    check(f, n)  # raises ValueError as the Python version does

    def call():
        with pytest.raises(ValueError, match="arrays alive"):
            f(n)
    allocs, frees = measure(stats, call)
    assert allocs >= REPEAT
    assert allocs == frees, f"{allocs - frees} blocks leaked by the exception"


@pytest.mark.parametrize("n, stop", [(10, 0), (10, 3), (10, 9), (10, 50), (0, 0)])
def test_early_returns_inside_loops(stats, n, stop):
    assert_no_leak(stats, early_return_in_loop, n, stop)
    assert_no_leak(stats, break_out_of_while, n)


def test_large_blocks(stats):
    # 8 MB blocks: large enough for the mapped (huge-page) path.
    assert_no_leak(stats, two_d_array, 1000, 1000, repeat=5)
    assert_no_leak(stats, reassigned_in_loop, 1_000_000, 3, repeat=3)


def test_argument_passed_through_is_not_freed(stats):
    x = np.arange(10.0)
    r = check(passthrough, x)
    assert np.shares_memory(r, x)
    allocs, frees = measure(stats, lambda: passthrough(x))
    assert allocs == frees
    del r
    gc.collect()
    one_array(100)
    np.testing.assert_array_equal(x, np.arange(10.0))
    v = check(tail, x)
    assert np.shares_memory(v, x)


# ---- arrays returned to Python ------------------------------------------------------

def _is_valid_array(a):
    assert type(a) is np.ndarray
    assert a.flags.writeable
    assert a.flags.owndata or a.base is not None


def _churn():
    """Allocates and frees blocks of other contents, to expose freed memory still in use."""
    for _ in range(10):
        reassigned_in_loop(1000, 2)
        temporaries_in_branches(2000, -1)
        pair_of_arrays(7)
    gc.collect()


def _make_factory():
    @njit
    def make(n):
        a = np.empty((n, 2))
        for i in range(n):
            a[i, 0] = i
            a[i, 1] = -i
        return a
    return make


@pytest.mark.parametrize("n", [1, 7, 1000])
def test_returned_array_stays_valid(n):
    make = _make_factory()
    a = check(make, n)
    expected = make.py_func(n)
    del make
    gc.collect()
    _churn()
    _is_valid_array(a)
    np.testing.assert_array_equal(a, expected)
    a[0, 0] = 1
    a[-1] = 42
    expected[0, 0] = 1
    expected[-1] = 42
    np.testing.assert_array_equal(a, expected)
    assert np.sum(a) == np.sum(expected)


def test_returned_view_of_fresh_array():
    v = check(view_of_fresh_step, 10)
    expected = np.arange(10)[::2]
    _churn()
    _is_valid_array(v)
    assert v.strides == expected.strides
    np.testing.assert_array_equal(v, expected)
    v[1] = -5
    np.testing.assert_array_equal(v, [0, -5, 4, 6, 8])


def test_returned_tuple_members_are_independent(stats):
    gc.collect()
    before = stats()
    a, b = pair_of_arrays(1000)
    assert outstanding(stats, before) >= 1
    del a
    gc.collect()
    _churn()
    _is_valid_array(b)
    np.testing.assert_array_equal(b, np.ones(1001))
    del b
    gc.collect()
    assert outstanding(stats, before) == 0


def test_memory_freed_when_python_drops_the_array(stats):
    gc.collect()
    before = stats()
    a = one_array(1000)
    assert outstanding(stats, before) >= 1, "the returned array's memory was freed while in use"
    del a
    gc.collect()
    assert outstanding(stats, before) == 0
    # A view taken in Python keeps the block alive after the array goes.
    a = one_array(1000)
    v = a[10:20]
    w = view_of_fresh_step(100)[1:]
    del a
    gc.collect()
    assert outstanding(stats, before) >= 2
    _churn()
    np.testing.assert_array_equal(v, np.arange(10, 20) * 0.5)
    np.testing.assert_array_equal(w, np.arange(100)[::2][1:])
    del v, w
    gc.collect()
    assert outstanding(stats, before) == 0


def test_many_live_arrays(stats):
    gc.collect()
    before = stats()
    arrays = [one_array(i) for i in range(1, 50)]
    assert outstanding(stats, before) >= len(arrays)
    _churn()
    for i, a in enumerate(arrays, start=1):
        np.testing.assert_array_equal(a, np.arange(i) * 0.5)
    del arrays, a
    gc.collect()
    assert outstanding(stats, before) == 0


# ---- type of result ---------------------------------------------------------------

@pytest.mark.parametrize("n", [0, 3])
def test_result_types_match_numpy(n):
    for f, args in ((one_array, (n,)), (two_d_array, (n, 2)), (mixed_tuple, (n,)), (view_of_fresh_step, (n,))):
        got, expected = f(*args), f.py_func(*args)
        got = got if isinstance(got, tuple) else (got,)
        expected = expected if isinstance(expected, tuple) else (expected,)
        for g, e in zip(got, expected):
            if isinstance(e, np.ndarray):
                assert (type(g), g.dtype, g.shape) == (np.ndarray, e.dtype, e.shape)


def test_negative_size_raises_and_does_not_leak(stats):
    # NumPy: ValueError: negative dimensions are not allowed
    check(two_d_array, -1, 3)

    def call():
        with pytest.raises(ValueError):
            two_d_array(3, -2)
    allocs, frees = measure(stats, call)
    assert allocs == frees
