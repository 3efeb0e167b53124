"""np.histogram's counts in compiled code equal NumPy's exactly: values on
the edges (each lands where NumPy puts it), out of the range, NaNs and
infinities (counted nowhere), every dtype and layout, lengths around the
counting loop's block of 256 values, and under fastmath the values on the
returned edges."""
import numpy as np
import pytest

from conftest import dtype_id
from numjit import njit


@njit
def histogram_in_range(a, bins, lo, hi):
    return np.histogram(a, bins, (lo, hi))


@njit
def histogram_of_data(a, bins):
    return np.histogram(a, bins)


def assert_same_histogram(got, expected):
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])
    assert got[0].dtype == expected[0].dtype and got[1].dtype == expected[1].dtype  # float32 edges for float32 data


def values_on_edges(n, bins, lo, hi, seed):
    """A mix of every edge, points just beside them, NaN, infinities and values outside."""
    rng = np.random.default_rng(seed)
    edges = np.linspace(lo, hi, bins + 1)
    pool = np.concatenate([edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf),
                           [np.nan, np.inf, -np.inf, lo - 1.0, hi + 1.0], rng.uniform(lo, hi, 64)])
    return rng.choice(pool, n)


@pytest.mark.parametrize("n", [0, 1, 255, 256, 257, 511, 1000, 5000])
@pytest.mark.parametrize("bins", [1, 3, 10, 100, 1000])
def test_values_on_every_edge(n, bins):
    a = values_on_edges(n, bins, -2.5, 7.0, seed=n + bins)
    assert_same_histogram(histogram_in_range(a, bins, -2.5, 7.0), histogram_in_range.py_func(a, bins, -2.5, 7.0))


@njit(fastmath=True)
def fast_histogram_in_range(a, bins, lo, hi):
    return np.histogram(a, bins, (lo, hi))


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("bins", [3, 10, 100, 1000])
def test_under_fastmath_values_on_edges_land_by_the_returned_edges(dtype, bins):
    # fastmath may round the edges differently from NumPy, but each value must
    # still be counted by the edges the call returns (the binning computes them
    # as the edges array was made).
    a = values_on_edges(20_000, bins, -2.5, 7.0, seed=bins)
    a = a[np.isfinite(a)].astype(dtype)
    edges_of_a = np.linspace(-2.5, 7.0, bins + 1).astype(dtype)
    a = np.concatenate([a, edges_of_a])
    counts, edges = fast_histogram_in_range(a, bins, -2.5, 7.0)
    inside = a[(a >= edges[0]) & (a <= edges[-1])]
    np.testing.assert_array_equal(counts, np.histogram(inside, edges)[0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.uint8], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided", "reversed", "2-D F"])
@pytest.mark.parametrize("n", [7, 300, 4000])
def test_dtypes_and_layouts(dtype, layout, n):
    rng = np.random.default_rng(n)
    a = (rng.standard_normal(n * 2) * 40).astype(dtype) if np.dtype(dtype).kind != "u" else rng.integers(0, 255, n * 2).astype(dtype)
    a = {"C": a[:n], "strided": a[::2], "reversed": a[::-1][:n], "2-D F": np.asfortranarray(a[: (n // 2) * 2].reshape(-1, 2))}[layout]
    for bins in (5, 64):
        assert_same_histogram(histogram_of_data(a, bins), histogram_of_data.py_func(a, bins))
        assert_same_histogram(histogram_in_range(a, bins, -50, 60), histogram_in_range.py_func(a, bins, -50, 60))


@pytest.mark.parametrize("values", [[np.nan] * 300, [np.inf, -np.inf] * 200, [3.0] * 1000, [1e308, -1e308] * 150])
def test_nothing_or_everything_in_range(values):
    a = np.array(values)
    assert_same_histogram(histogram_in_range(a, 8, -1.0, 4.0), histogram_in_range.py_func(a, 8, -1.0, 4.0))


@pytest.mark.parametrize("f, args, message", [
    (histogram_in_range, (np.ones(4), 3, 2.0, 1.0), "max must be larger than min"),
    (histogram_in_range, (np.ones(4), 3, 0.0, np.inf), "not finite"),
    (histogram_of_data, (np.array([1.0, np.inf]), 3), "not finite"),
    (histogram_of_data, (np.array([np.nan, 1.0]), 3), "not finite"),
    (histogram_of_data, (np.ones(4), 0), "must be positive"),
])
def test_bad_ranges_raise_numpys_value_error(f, args, message):
    with pytest.raises(ValueError):
        f.py_func(*args)
    with pytest.raises(ValueError, match=message):
        f(*args)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
def test_one_value_widens_the_range_by_a_half_each_way(dtype):
    a = np.full(300, 2.5, dtype)
    assert_same_histogram(histogram_of_data(a, 4), histogram_of_data.py_func(a, 4))
    assert_same_histogram(histogram_in_range(a, 4, 2.5, 2.5), histogram_in_range.py_func(a, 4, 2.5, 2.5))


def test_a_narrow_range_far_from_zero():
    # Bin widths a few hundred float spacings wide: the scaled estimate is corrected against the edges.
    lo, hi = 1e9, 1e9 + 1e-3
    a = np.linspace(lo, hi, 3001)
    assert_same_histogram(histogram_in_range(a, 97, lo, hi), histogram_in_range.py_func(a, 97, lo, hi))


def test_more_bins_than_the_range_holds_floats_is_numpys_value_error():
    lo, hi = 1e9, 1e9 + 1e-6  # about eight float64 spacings
    with pytest.raises(ValueError, match="Too many bins"):
        histogram_in_range.py_func(np.ones(3), 97, lo, hi)
    with pytest.raises(ValueError, match="Too many bins"):
        histogram_in_range(np.ones(3), 97, lo, hi)


def values_near_edges(edges, dtype, seed, n):
    """Values 0 to 2**20 spacings (of `dtype`) either side of random edges:
    where the binning's estimate is within a rounding or two of an edge."""
    rng = np.random.default_rng(seed)
    at = edges.astype(dtype)[rng.integers(0, edges.size, n)]
    steps = rng.choice(np.concatenate([np.arange(0, 40), 2 ** np.arange(6, 21)]), n).astype(np.int64)
    direction = np.where(rng.random(n) < 0.5, -np.inf, np.inf).astype(dtype)
    out = at.copy()
    for _ in range(int(steps.max()) if steps.max() < 40 else 40):  # the small steps one spacing at a time
        move = steps > 0
        out[move] = np.nextafter(out[move], direction[move])
        steps[move] -= 1
    big = steps > 0  # the large steps by a multiple of the spacing
    out[big] = (out[big] + direction[big].clip(-1, 1) * steps[big] * np.spacing(np.abs(out[big]))).astype(dtype)
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("lo, hi", [(0.0, 1.0), (-7.25, 1e4), (1e6, 1e6 + 3.0), (-1e-3, 5e-4), (-4.0, 4.0)])
@pytest.mark.parametrize("bins", [1, 7, 100, 997])
def test_values_spacings_from_the_edges_land_as_in_numpy(dtype, lo, hi, bins):
    # The counting skips the edge corrections where the estimate's fraction
    # is clear of 0 and 1 by a rounding margin; values just inside and just
    # outside that margin, in blocks with and without a value near an edge,
    # and enough of them (8 per bin and more) for the second histogram.
    edges = np.linspace(lo, hi, bins + 1)
    n = max(20_000, 9 * (bins + 1))
    a = values_near_edges(edges, dtype, seed=bins, n=n)
    if dtype == np.float32 and lo == 1e6 and bins >= 100:  # float32 edges 0.0625 apart cannot make these bins
        with pytest.raises(ValueError, match="Too many bins"):
            np.histogram(a, bins, (lo, hi))
        with pytest.raises(ValueError, match="Too many bins"):
            histogram_in_range(a, bins, lo, hi)
        return
    got = histogram_in_range(a, bins, lo, hi)
    expected = np.histogram(a, bins, (lo, hi))
    assert_same_histogram(got, expected)
    assert got[0].sum() == expected[0].sum() > n // 20  # most values lie inside the range


@pytest.mark.parametrize("n", [8 * 11 - 1, 8 * 11, 8 * 11 + 1, 3001])
def test_one_or_two_histograms_count_every_value(n):
    # From 8 values per bin (bins + 1 counts), the values at odd places count
    # in a second histogram that is added in at the end.
    a = np.random.default_rng(n).uniform(-1.0, 11.0, n)
    assert_same_histogram(histogram_in_range(a, 10, 0.0, 10.0), histogram_in_range.py_func(a, 10, 0.0, 10.0))
    assert_same_histogram(histogram_of_data(a, 10), histogram_of_data.py_func(a, 10))


# Ranges whose bins are many spacings of the dtype wide (float32 has no room
# for 997 bins in 2**-20 at 3.0).
OFF_EDGE_RANGES = [(dtype, lo, hi) for dtype in (np.float64, np.float32)
                   for lo, hi in [(0.0, 1.0), (-7.25, 1e4), (-1e-3, 5e-4), (-4.0, 4.0), (3.0, 3.0 + 2 ** -20)]
                   if not (dtype == np.float32 and hi - lo < 1e-3)]


@pytest.mark.parametrize("dtype, lo, hi", OFF_EDGE_RANGES, ids=lambda v: dtype_id(v) if isinstance(v, type) else str(v))
@pytest.mark.parametrize("bins", [7, 100, 997])
def test_whole_blocks_just_off_the_edges_land_as_in_numpy(dtype, lo, hi, bins):
    # Every value 1 to 39 spacings beside an inner edge, none on an edge or
    # out of the range: whole blocks of 256 where each estimate is within a
    # few roundings of an edge, and only the rounding margin keeps the
    # corrections. (In the test above, each block has a value the margin
    # sends to the exact path anyway.)
    edges = np.linspace(lo, hi, bins + 1).astype(dtype)
    rng = np.random.default_rng(bins)
    at = edges[rng.integers(1, bins, 4096)]
    steps = rng.integers(1, 40, at.size)
    toward = np.where(rng.random(at.size) < 0.5, -np.inf, np.inf).astype(dtype)
    a = at.copy()
    for k in range(1, 40):
        move = steps >= k
        a[move] = np.nextafter(a[move], toward[move])
    assert np.all((a > edges[0]) & (a < edges[-1])) and not np.isin(a, edges).any()
    assert_same_histogram(histogram_in_range(a, bins, lo, hi), np.histogram(a, bins, (lo, hi)))


@pytest.mark.parametrize("data", [np.linspace(1e-35, 1.1e-35, 100).astype(np.float32), np.linspace(0, 1e-306, 100),
                                  np.linspace(-1e308, 1e308, 100), np.linspace(5e-324, 1e-322, 50)],
                         ids=["float32-tiny", "subnormal-width", "huge-width", "subnormal-values"])
@pytest.mark.parametrize("bins", [1, 10, 1000])
def test_widths_whose_reciprocal_overflows_bin_as_numpy(data, bins):
    # bins / width overflows (or width itself does): NumPy divides before it
    # multiplies, and so do the corrections here.
    try:
        expected = np.histogram(data, bins)
    except ValueError:
        with pytest.raises(ValueError):
            histogram_of_data(data, bins)
        return
    assert_same_histogram(histogram_of_data(data, bins), expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("bins", [1, 3, 10, 255, 1000])
def test_no_data_gives_numpys_unit_edges(dtype, bins):
    # NumPy's edges of empty data are np.linspace(0, 1) in float64, then
    # rounded to the data's float type.
    a = np.zeros(0, dtype)
    assert_same_histogram(histogram_of_data(a, bins), np.histogram(a, bins))
