"""Python's random module in compiled code.

After random.seed(s) in compiled code every draw equals CPython's after the
same seed (each function is compared with `.py_func`, which runs CPython's
random module): the same numbers bit for bit, over several seeds, argument
types and lengths. Errors are Python's; states are per thread and apart from
np.random's.
"""
import random
from random import random as bare_random

import numpy as np
import pytest

import numjit
from numjit import njit, prange

SEEDS = [0, 1, 42, -7, 2**32, 2**40 + 3, 2**63 - 1, True]


@njit
def every_distribution(seed, n):
    random.seed(seed)
    out = np.empty((n, 17))
    for i in range(n):
        out[i, 0] = random.random()
        out[i, 1] = random.randint(1, 6)
        out[i, 2] = random.randrange(10, 100, 7)
        out[i, 3] = random.randrange(50, -20, -3)
        out[i, 4] = random.uniform(-2.0, 3.0)
        out[i, 5] = random.gauss(1.0, 2.0)
        out[i, 6] = random.normalvariate(0.0, 1.0)
        out[i, 7] = random.expovariate(1.5)
        out[i, 8] = random.gammavariate(0.5, 2.0)
        out[i, 9] = random.gammavariate(3.0, 1.0) + random.gammavariate(1.0, 2.0)
        out[i, 10] = random.betavariate(2.0, 3.0)
        out[i, 11] = random.paretovariate(2.5)
        out[i, 12] = random.weibullvariate(1.0, 1.5)
        out[i, 13] = random.vonmisesvariate(1.0, 4.0) + random.vonmisesvariate(0.5, 0.0)
        out[i, 14] = random.triangular(0.0, 1.0, 0.3) + random.triangular()
        out[i, 15] = random.getrandbits(40) + random.getrandbits(7) + random.getrandbits(63) + random.getrandbits(0)
        out[i, 16] = random.lognormvariate(0.0, 0.5) + random.randrange(1000)
    return out


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", [1, 7, 300])
def test_seeded_streams_equal_cpython(seed, n):
    got = every_distribution(seed, n)
    expected = every_distribution.py_func(seed, n)
    np.testing.assert_array_equal(got, expected)


@njit
def gauss_pairs(seed, n):
    """gauss() caches its second value; seeding drops it."""
    random.seed(seed)
    first = random.gauss()
    random.seed(seed)
    out = [random.gauss() for _ in range(n)]
    return first, out


@pytest.mark.parametrize("seed", [3, 99])
def test_gauss_keeps_its_second_value_until_reseeded(seed):
    assert gauss_pairs(seed, 5) == gauss_pairs.py_func(seed, 5)


@njit
def imported_names(seed):
    random.seed(seed)
    return bare_random(), bare_random()


def test_a_function_imported_from_random():
    assert imported_names(5) == imported_names.py_func(5)


@njit
def shuffled_list(seed, n):
    random.seed(seed)
    items = [i * 1.5 for i in range(n)]
    random.shuffle(items)
    picks = [random.choice(items) for _ in range(n)]
    return items, picks


@njit
def shuffled_array(seed, a):
    random.seed(seed)
    random.shuffle(a)
    return a, random.choice(a)


@pytest.mark.parametrize("n", [1, 2, 10, 101])
@pytest.mark.parametrize("seed", [0, 17])
def test_shuffle_and_choice_of_lists_and_arrays(n, seed):
    assert shuffled_list(seed, n) == shuffled_list.py_func(seed, n)
    for dtype in (np.float64, np.int32, np.int64):
        a = np.arange(n, dtype=dtype)
        got_array, got_pick = shuffled_array(seed, a.copy())
        expected_array, expected_pick = shuffled_array.py_func(seed, a.copy())
        np.testing.assert_array_equal(got_array, expected_array)
        assert got_pick == expected_pick


@njit
def unseeded_draws(n):
    random.seed()
    total = 0.0
    for _ in range(n):
        total += random.random()
    random.seed(None)
    return total / n, random.randint(0, 10)


def test_seeding_from_the_os_draws_in_range():
    mean, k = unseeded_draws(20000)
    assert 0.47 < mean < 0.53 and 0 <= k <= 10
    assert unseeded_draws(5)[0] != unseeded_draws(5)[0]  # different seeds each time


@njit
def both_generators(seed):
    np.random.seed(seed)
    random.seed(seed)
    return np.random.random(), random.random(), np.random.random(), random.random()


def test_random_and_np_random_have_separate_states():
    got = both_generators(11)
    expected = both_generators.py_func(11)
    assert got == expected


@njit(parallel=True)
def per_thread_streams(n):
    out = np.empty(n)
    for i in prange(n):
        out[i] = random.random()
    return out


def test_each_thread_draws_from_its_own_state():
    values = per_thread_streams(10000)
    assert ((0.0 <= values) & (values < 1.0)).all()
    assert len(np.unique(values)) == len(values)


@njit
def call(which, a, b):
    if which == 0:
        return random.randint(a, b)
    if which == 1:
        return random.randrange(a, b, 0)
    if which == 2:
        return random.randrange(a)
    if which == 3:
        return random.getrandbits(a)
    items = [a]
    if b == 0:
        items.pop()
    return random.choice(items)


@pytest.mark.parametrize("which, a, b, error, message", [
    (0, 5, 1, ValueError, "empty range for randrange"),
    (1, 0, 10, ValueError, "zero step for randrange"),
    (2, 0, 0, ValueError, "empty range for randrange"),
    (3, -1, 0, ValueError, "number of bits must be non-negative"),
    (3, 64, 0, ValueError, "at most 63"),
    (4, 1, 0, IndexError, "Cannot choose from an empty sequence"),
])
def test_errors_are_pythons(which, a, b, error, message):
    with pytest.raises(error, match=message):
        call(which, a, b)
    if which == 3 and a == 64:
        return  # CPython draws 64 bits; a 64-bit signed result cannot hold them
    with pytest.raises(error):
        call.py_func(which, a, b)


def test_a_seed_that_is_not_an_integer_is_a_typing_error():
    @njit
    def float_seed():
        random.seed(1.5)

    with pytest.raises(numjit.errors.TypingError, match="random.seed"):
        float_seed()
