"""np.random in compiled code: after np.random.seed(s) inside a jitted
function the draws equal np.random.RandomState(s)'s, element for element."""
import numpy as np
import pytest

from numjit import njit


@njit
def draws(seed):
    np.random.seed(seed)
    a = np.random.random()
    b = np.random.rand(2, 3)
    c = np.random.randn(4)
    d = np.random.normal(1.0, 2.0, 3)
    e = np.random.uniform(-1, 1, (2, 2))
    g = np.random.randint(0, 100, 5)
    h = np.random.randint(7)
    x = np.arange(10.0)
    np.random.shuffle(x)
    k = np.random.choice(x, 3)
    p = np.random.permutation(6)
    return a, b, c, d, e, g, h, x, k, p


def reference(seed):
    r = np.random.RandomState(seed)
    a = r.random_sample()
    b = r.rand(2, 3)
    c = r.randn(4)
    d = r.normal(1.0, 2.0, 3)
    e = r.uniform(-1, 1, (2, 2))
    g = r.randint(0, 100, 5)
    h = r.randint(7)
    x = np.arange(10.0)
    r.shuffle(x)
    k = r.choice(x, 3)
    p = r.permutation(6)
    return a, b, c, d, e, g, h, x, k, p


@pytest.mark.parametrize("seed", [0, 1, 42, 12345, 2**32 - 1])
def test_streams_equal_random_state(seed):
    for index, (got, expected) in enumerate(zip(draws(seed), reference(seed))):
        assert np.shape(got) == np.shape(expected), index
        np.testing.assert_array_equal(got, expected, err_msg=f"draw {index}")


@njit
def sized(seed, n, low, high):
    np.random.seed(seed)
    return np.random.standard_normal(n), np.random.randint(low, high, (n, 2)), np.random.random_sample(n)


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
@pytest.mark.parametrize("low, high", [(0, 2), (-50, 50), (0, 2**40), (-(2**62), 2**62)])
def test_sizes_and_integer_ranges(n, low, high):
    r = np.random.RandomState(3)
    expected = (r.standard_normal(n), r.randint(low, high, (n, 2)), r.random_sample(n))
    for got, want in zip(sized(3, n, low, high), expected):
        np.testing.assert_array_equal(got, want)


@njit
def choice_of_int(seed, n, k):
    np.random.seed(seed)
    return np.random.choice(n, k)


def test_choice_of_an_integer():
    np.testing.assert_array_equal(choice_of_int(5, 10, 20), np.random.RandomState(5).choice(10, 20))


@njit
def bad_randint(low, high):
    return np.random.randint(low, high)


def test_empty_range_raises_value_error():
    with pytest.raises(ValueError):
        np.random.RandomState(0).randint(5, 5)
    with pytest.raises(ValueError):
        bad_randint(5, 5)


@njit
def unseeded(n):
    return np.random.random(n)


def test_unseeded_draws_are_uniform_and_differ():
    a, b = unseeded(1000), unseeded(1000)
    assert 0.0 <= a.min() and a.max() < 1.0
    assert not np.array_equal(a, b)
    assert abs(a.mean() - 0.5) < 0.1


@njit
def rows_shuffled_and_permuted(seed, x):
    np.random.seed(seed)
    y = x.copy()
    np.random.shuffle(y)
    p = np.random.permutation(x)
    return y, p, np.random.random()


@pytest.mark.parametrize("seed", [0, 7, 2**32 - 1])
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4), (1, 5), (0, 2), (9, 1)])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.bool_])
def test_shuffle_and_permutation_of_nd_arrays_move_rows_as_random_state(seed, shape, dtype):
    x = (np.arange(int(np.prod(shape))) % 7).astype(dtype).reshape(shape)
    for view in (x, x[::-1]):
        r = np.random.RandomState(seed)
        y = view.copy()
        r.shuffle(y)
        expected = (y, r.permutation(view), r.random_sample())
        for got, want in zip(rows_shuffled_and_permuted(seed, view), expected):
            assert np.shape(got) == np.shape(want)
            np.testing.assert_array_equal(got, want)


def test_shuffle_of_an_empty_nd_array_draws_nothing():
    @njit
    def next_after_shuffle(a, s):
        np.random.seed(s)
        np.random.shuffle(a)
        return np.random.random()

    r = np.random.RandomState(7)
    r.shuffle(np.zeros((3, 0)))
    assert next_after_shuffle(np.zeros((3, 0)), 7) == r.random_sample()
