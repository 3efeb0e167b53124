"""np.quantile / np.percentile select the ranks they need rather than sort:
results equal NumPy's bit for bit (NumPy's _lerp), any NaN makes every
quantile NaN, and the dtypes follow NumPy's promotion of a and q."""
import numpy as np
import pytest

from numjit import njit


@njit
def quantile(x, q):
    return np.quantile(x, q)


@njit
def percentile(x, q):
    return np.percentile(x, q)


def _data(kind, n, seed):
    rng = np.random.default_rng(seed)
    if kind == "normal":
        return rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4)
    if kind == "ties":
        return rng.integers(0, 4, n).astype(np.float64)
    if kind == "int64":
        return rng.integers(-1000, 1000, n)
    if kind == "float32":
        return rng.standard_normal(n).astype(np.float32)
    if kind == "sorted":
        return np.sort(rng.standard_normal(n))
    return rng.standard_normal(n)[::-1].copy()


@pytest.mark.parametrize("kind", ["normal", "ties", "int64", "float32", "sorted", "reversed"])
@pytest.mark.parametrize("n", [1, 2, 3, 10, 101, 1000])
@pytest.mark.parametrize("seed", [0, 1])
def test_quantiles_equal_numpy_bit_for_bit(kind, n, seed):
    x = _data(kind, n, seed)
    qs = np.random.default_rng(seed + 7).random(5)
    np.testing.assert_array_equal(quantile(x, qs), np.quantile(x, qs))
    assert quantile(x, qs).dtype == np.quantile(x, qs).dtype
    for q in (0.0, 0.5, 1.0, float(qs[0])):
        assert quantile(x, q) == np.quantile(x, q)
    np.testing.assert_array_equal(percentile(x, qs * 100), np.percentile(x, qs * 100))


@pytest.mark.parametrize("where", [0, 3, -1])
def test_a_nan_makes_every_quantile_nan(where):
    x = np.arange(8.0)
    x[where] = np.nan
    assert np.isnan(percentile(x, 50.0)) and np.isnan(np.percentile(x, 50.0))
    r = quantile(x, np.array([0.0, 0.3, 1.0]))
    assert np.isnan(r).all() and np.isnan(np.quantile(x, np.array([0.0, 0.3, 1.0]))).all()


def test_two_dimensional_data_and_q():
    x = np.random.default_rng(3).standard_normal((6, 7))
    q = np.array([[0.1, 0.9], [0.25, 0.75]])
    np.testing.assert_array_equal(quantile(x, q), np.quantile(x, q))
    np.testing.assert_array_equal(quantile(np.asfortranarray(x), q), np.quantile(x, q))
    np.testing.assert_array_equal(quantile(x[:, ::2], q), np.quantile(x[:, ::2], q))


def test_input_is_left_unchanged():
    x = np.random.default_rng(4).standard_normal(50)
    before = x.copy()
    quantile(x, np.array([0.1, 0.5]))
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("q", [-0.1, 1.5, np.nan])
def test_out_of_range_quantiles_raise(q):
    with pytest.raises(ValueError, match="range"):
        quantile(np.arange(5.0), np.array([0.5, q]))


def test_empty_raises():
    with pytest.raises(ValueError):
        quantile(np.zeros(0), 0.5)
