"""Set operations (np.isin, intersect1d, union1d, setdiff1d, setxor1d), selection
(np.partition, np.argpartition, np.nanmedian) and polynomials and sliding products
(np.polyval, np.polyfit, np.correlate, np.convolve) in compiled code, against NumPy."""
import numpy as np
import pytest

from conftest import check, dtype_id, make_array
from numjit import njit
from numjit.errors import TypingError

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_]
#: The dtypes that sort (complex numbers get tests of their own below).
ORDERED_DTYPES = [np.int32, np.int64, np.float32, np.float64, np.bool_]
LAYOUTS = ["C", "F", "strided"]


def with_nans(a, seed=0):
    """``a`` (any layout) with about a quarter of its elements set to NaN when it is of a float kind."""
    if a.dtype.kind == "f" and a.size:
        picked = np.random.default_rng(seed).permutation(a.size)[: max(1, a.size // 4)]
        a[np.unravel_index(picked, a.shape)] = np.nan
    return a


def sample(shape, dtype, layout="C", seed=0, nans=True):
    a = make_array(shape, dtype, layout, seed)
    return with_nans(a, seed) if nans else a


def check_raises(error, f, *args):
    """NumPy (through ``f.py_func``) and the compiled ``f`` both raise ``error``."""
    with pytest.raises(error), np.errstate(all="ignore"):
        f.py_func(*args)
    with pytest.raises(error):
        f(*args)


# ---------------------------------------------------------------- set operations

@njit
def isin_both(a, b):
    return np.isin(a, b), np.isin(a, b, invert=True)


@njit
def set_ops(a, b):
    return np.intersect1d(a, b), np.union1d(a, b), np.setdiff1d(a, b), np.setxor1d(a, b)


@pytest.mark.parametrize("dtype", ORDERED_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape_a", [(0,), (1,), (7,), (3, 4)], ids=str)
@pytest.mark.parametrize("shape_b", [(0,), (1,), (5,), (2, 3)], ids=str)
def test_isin_and_set_operations(dtype, layout, shape_a, shape_b):
    a = sample(shape_a, dtype, layout, seed=1)
    b = sample(shape_b, dtype, "C", seed=2)
    check(isin_both, a, b)
    check(set_ops, a, b)


@pytest.mark.parametrize("dtype_a, dtype_b", [(np.int64, np.float64), (np.int32, np.int64),
                                              (np.float32, np.float64), (np.bool_, np.int64)], ids=dtype_id)
def test_set_operations_mixed_dtypes(dtype_a, dtype_b):
    a = sample((9,), dtype_a, "strided", seed=3)
    b = sample((6,), dtype_b, "C", seed=4)
    check(isin_both, a, b)
    check(set_ops, a, b)


@pytest.mark.parametrize("shape_a, shape_b", [((7,), (5,)), ((3, 4), (2, 3)), ((0,), (5,)), ((4,), (0,))], ids=str)
def test_isin_and_set_operations_of_complex_numbers_are_refused_clearly(shape_a, shape_b):
    # Not supported yet: compiled code sorts complex numbers but does not search them yet.
    a = make_array(shape_a, np.complex128, "strided", seed=1)
    b = make_array(shape_b, np.complex128, "C", seed=2)
    isin_both.py_func(a, b)  # NumPy runs them
    with pytest.raises(TypingError, match=r"np\.searchsorted\(\) does not accept \(array\(complex128"):
        isin_both(a, b)


def test_isin_scalar_element():
    b = np.array([1, 5, 9], np.int64)
    check(isin_both, 5, b)
    check(isin_both, 4, b)


# ---------------------------------------------------------------- partition

@njit
def partitions(a, kth):
    return np.partition(a, kth), np.argpartition(a, kth)


@njit
def partitions_axis0(a, kth):
    return np.partition(a, kth, axis=0), np.argpartition(a, kth, axis=0)


@njit
def partitions_literal_kth(a):
    return np.partition(a, (0, 2)), np.argpartition(a, (0, 2))


def assert_partitioned(a, part, kths, axis):
    """``part`` is ``a`` partitioned along ``axis`` about every k in ``kths``.

    For each row with s = np.sort(row): part[k] == s[k], and what comes before it
    sorts to s[:k] and what comes after to s[k+1:]. That is: nothing before k is
    greater, nothing after it is smaller (NaNs last, as np.sort orders them), and
    the row is a permutation of the input's.
    """
    assert part.shape == a.shape and part.dtype == a.dtype
    n = a.shape[axis]
    rows = np.moveaxis(a, axis, -1).reshape(-1, n)
    parted = np.moveaxis(part, axis, -1).reshape(-1, n)
    for row, prow in zip(rows, parted):
        s = np.sort(row)
        np.testing.assert_array_equal(np.sort(prow), s)
        for k in kths:
            k = k % n
            np.testing.assert_array_equal(prow[k], s[k])
            np.testing.assert_array_equal(np.sort(prow[:k]), s[:k])
            np.testing.assert_array_equal(np.sort(prow[k + 1:]), s[k + 1:])


def assert_argpartitioned(a, idx, kths, axis):
    """``idx`` holds a permutation of 0..n-1 along ``axis`` and ``a`` taken at it is partitioned."""
    assert idx.shape == a.shape and idx.dtype == np.intp
    n = a.shape[axis]
    for row in np.moveaxis(idx, axis, -1).reshape(-1, n):
        np.testing.assert_array_equal(np.sort(row), np.arange(n))
    assert_partitioned(a, np.take_along_axis(a, idx, axis), kths, axis)


def partition_input(shape, dtype, layout, seed=0):
    """Values with many ties (0..4), NaNs for floats, an imaginary part for complex."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 5, shape)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.integers(0, 3, shape)
    if np.dtype(dtype).kind == "b":
        values = values % 2
    c = values.astype(dtype)
    a = {"C": c, "F": np.asfortranarray(c)}.get(layout)
    if a is None:  # strided: every other column of a wider array
        a = np.repeat(c, 2, axis=-1)[..., ::2]
    return with_nans(a, seed)


def run_partition(f, a, kth, kths, axis):
    before = a.copy()
    part, idx = f(a, kth)
    np.testing.assert_array_equal(a, before)  # the input is left alone
    assert_partitioned(a, part, kths, axis)
    assert_argpartitioned(a, idx, kths, axis)


@pytest.mark.parametrize("dtype", ORDERED_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1,), (7,), (40,), (300,), (5, 40), (40, 3), (0, 4)], ids=str)
def test_partition_last_axis(dtype, layout, shape):
    a = partition_input(shape, dtype, layout)
    n = shape[-1]
    for kth in [0, n // 2, n - 1, -1, -n]:
        run_partition(partitions, a, kth, [kth], -1)
    for kths in [(0, n // 2, n - 1), (n - 1, 0)]:
        run_partition(partitions, a, kths, kths, -1)
        run_partition(partitions, a, np.array(kths, np.int64), kths, -1)


@pytest.mark.parametrize("dtype", [np.int64, np.float64], ids=dtype_id)
@pytest.mark.parametrize("n", [7, 40, 300])
def test_partition_negative_kth_in_sequence(dtype, n):
    a = partition_input((3, n), dtype, "C", seed=n)
    for kths in [(0, n // 2, -1), (-1, 0), (1, -2, n // 2)]:
        run_partition(partitions, a, kths, kths, -1)
        run_partition(partitions, a, np.array(kths, np.int64), kths, -1)
        run_partition(partitions_axis0, np.ascontiguousarray(a.T), kths, kths, 0)


@pytest.mark.parametrize("shape", [(7,), (40,), (4, 9)], ids=str)
def test_partition_of_complex_numbers_is_refused_clearly(shape):
    a = partition_input(shape, np.complex128, "C", seed=2)
    with pytest.raises(TypingError, match="complex numbers cannot be ordered"):
        partitions(a, 0)


@pytest.mark.parametrize("dtype", ORDERED_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 3), (7, 2), (40, 5), (3, 0)], ids=str)
def test_partition_axis0(dtype, layout, shape):
    a = partition_input(shape, dtype, layout, seed=5)
    n = shape[0]
    for kth in [0, n // 2, -1]:
        run_partition(partitions_axis0, a, kth, [kth], 0)
    run_partition(partitions_axis0, a, (0, n - 1), (0, n - 1), 0)


@pytest.mark.parametrize("dtype", [np.int64, np.float64], ids=dtype_id)
def test_partition_literal_kth(dtype):
    a = partition_input((4, 9), dtype, "C", seed=7)
    part, idx = partitions_literal_kth(a)
    assert_partitioned(a, part, (0, 2), -1)
    assert_argpartitioned(a, idx, (0, 2), -1)


@pytest.mark.parametrize("dtype", [np.int64, np.float64], ids=dtype_id)
def test_partition_kth_out_of_range(dtype):
    a = partition_input((6,), dtype, "C")
    for kth in [6, -7, 100]:
        check_raises(ValueError, partitions, a, kth)
    check_raises(ValueError, partitions, a, (0, 6))
    check_raises(ValueError, partitions, partition_input((3, 4), dtype, "C"), 4)
    check_raises(ValueError, partitions_axis0, partition_input((3, 4), dtype, "F"), 3)


@pytest.mark.parametrize("kth", [0, 1, -1])
def test_partition_empty_axis(kth):
    # NumPy checks no kth against an empty axis: the result is empty too.
    check(partitions, np.zeros(0), kth)
    check(partitions, np.zeros((3, 0), np.int64), kth)
    check(partitions_axis0, np.zeros((0, 4)), kth)


# ---------------------------------------------------------------- nanmedian

@njit
def nanmedian(a):
    return np.nanmedian(a)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (8,), (3, 4), (6, 5)], ids=str)
def test_nanmedian(dtype, layout, shape):
    check(nanmedian, sample(shape, dtype, layout, seed=2))
    check(nanmedian, sample(shape, dtype, layout, seed=2, nans=False))


def test_nanmedian_all_nan():
    check(nanmedian, np.full(5, np.nan))
    check(nanmedian, np.full((2, 3), np.nan, np.float32))


def test_nanmedian_of_complex_numbers_is_refused_clearly():
    with pytest.raises(TypingError, match="complex numbers cannot be ordered"):
        nanmedian(make_array((7,), np.complex128, "strided"))


# ---------------------------------------------------------------- polyval

@njit
def polyval(p, x):
    return np.polyval(p, x)


@pytest.mark.parametrize("p_dtype, x_dtype", [(d, d) for d in DTYPES[:5]]
                         + [(np.int64, np.float64), (np.float64, np.int32), (np.float32, np.float64),
                            (np.int32, np.complex128)], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("x_shape", [(0,), (1,), (7,), (3, 4)], ids=str)
@pytest.mark.parametrize("p_size", [1, 4])
def test_polyval(p_dtype, x_dtype, layout, x_shape, p_size):
    p = make_array((p_size,), p_dtype, "strided", seed=1)
    check(polyval, p, make_array(x_shape, x_dtype, layout, seed=2))


def test_polyval_scalars_nans_and_empty_p():
    p = np.array([1.5, -2.0, 0.25])
    check(polyval, p, 2.5)
    check(polyval, np.array([3, -1, 2]), 4)
    check(polyval, p, with_nans(np.linspace(-2, 2, 8)))
    check(polyval, np.array([np.nan, 1.0]), np.arange(3.0))
    check(polyval, np.zeros(0), np.arange(3.0))
    check(polyval, np.zeros(0, np.int64), np.arange(3))


# ---------------------------------------------------------------- polyfit

@njit
def polyfit(x, y, deg):
    return np.polyfit(x, y, deg)


def fit_input(n, dtype, layout, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iu":
        values = rng.integers(-20, 20, n)
    else:
        values = rng.uniform(-3, 3, n)
        if np.dtype(dtype).kind == "c":
            values = values + 1j * rng.uniform(-3, 3, n)
    values = values.astype(dtype)
    return np.repeat(values, 2)[::2] if layout == "strided" else values


@pytest.mark.parametrize("x_dtype, y_dtype", [(np.float64, np.float64), (np.int64, np.float64),
                                              (np.int32, np.int32), (np.float32, np.float32)], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n, deg", [(1, 0), (5, 0), (5, 1), (6, 3), (40, 2), (40, 5)])
def test_polyfit(x_dtype, y_dtype, layout, n, deg):
    x = fit_input(n, x_dtype, layout, seed=n)
    y = fit_input(n, y_dtype, layout, seed=n + 1)
    single = np.float32 in (x_dtype, y_dtype)
    check(polyfit, x, y, deg, rtol=2e-4 if single else 1e-7, atol=1e-12)


@pytest.mark.parametrize("n, deg", [(5, 1), (40, 3)])
def test_polyfit_complex_y(n, deg):
    x = fit_input(n, np.float64, "C", seed=n)
    check(polyfit, x, fit_input(n, np.complex128, "C", seed=n + 1), deg, rtol=1e-7, atol=1e-12)


def test_polyfit_errors():
    x, y = np.arange(5.0), np.arange(5.0) ** 2
    check_raises(ValueError, polyfit, x, y, -1)
    check_raises(TypeError, polyfit, np.zeros(0), np.zeros(0), 1)
    check_raises(TypeError, polyfit, x, y[:4], 1)


# ---------------------------------------------------------------- correlate and convolve

@njit
def sliding(a, v, mode):
    return np.correlate(a, v, mode), np.convolve(a, v, mode)


@njit
def sliding_defaults(a, v):
    return np.correlate(a, v), np.convolve(a, v)


@njit
def sliding_literal_modes(a, v):
    return (np.correlate(a, v, "same"), np.correlate(a, v, mode="full"),
            np.convolve(a, v, "valid"), np.convolve(a, v, mode="same"))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("na, nv", [(1, 1), (7, 1), (1, 6), (5, 3), (3, 5), (6, 4), (4, 6), (8, 8)], ids=str)
def test_correlate_convolve(dtype, layout, na, nv):
    a = make_array((na,), dtype, layout, seed=1)
    v = make_array((nv,), dtype, "strided", seed=2)
    for mode in ["valid", "same", "full"]:
        check(sliding, a, v, mode)
    check(sliding_defaults, a, v)
    check(sliding_literal_modes, a, v)


@pytest.mark.parametrize("dtype_a, dtype_v", [(np.int64, np.complex128), (np.complex128, np.float64),
                                              (np.int32, np.float32), (np.float32, np.float64),
                                              (np.bool_, np.int64)], ids=dtype_id)
def test_correlate_convolve_mixed_and_nan(dtype_a, dtype_v):
    a = sample((9,), dtype_a, "C", seed=3, nans=False)
    v = sample((4,), dtype_v, "C", seed=4, nans=False)
    for mode in ["valid", "same", "full"]:
        check(sliding, a, v, mode)
        check(sliding, v, a, mode)
    check(sliding, with_nans(np.linspace(0, 1, 10), seed=1), np.array([1.0, -2.0, 0.5]), "full")


def test_correlate_convolve_errors():
    ones = np.ones(3)
    for mode in ["valid", "same", "full"]:
        check_raises(ValueError, sliding, np.zeros(0), ones, mode)
        check_raises(ValueError, sliding, ones, np.zeros(0), mode)
    check_raises(ValueError, sliding, ones, np.ones(2), "bogus")
    check_raises(ValueError, sliding_defaults, np.zeros(0, np.int64), np.ones(2, np.int64))


# Large arrays take the runtime's wide selection (AVX-512 partitioning from
# 4096 elements on CPUs that have it), which alternates between the output
# and a scratch buffer; these check it on the data that stresses it.
def large_input(kind, n, dtype, seed):
    rng = np.random.default_rng(seed)
    if kind == "random":
        values = rng.integers(0, 10**6, n)
    elif kind == "few values":
        values = rng.integers(0, 3, n)
    elif kind == "sorted":
        values = np.arange(n)
    elif kind == "reversed":
        values = np.arange(n)[::-1]
    else:  # all equal
        values = np.full(n, 7)
    a = values.astype(dtype)
    if np.dtype(dtype).kind == "f" and kind != "sorted":
        a[rng.random(n) < 0.01] = np.nan
    return a


@njit
def large_selections(a, k):
    return np.partition(a, k), np.median(a), np.nanmedian(a)


@pytest.mark.parametrize("dtype", [np.int32, np.uint32, np.int64, np.uint64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("kind", ["random", "few values", "sorted", "reversed", "all equal"])
@pytest.mark.parametrize("n", [4097, 50001, 300000])
def test_large_partitions_and_medians(n, kind, dtype):
    a = large_input(kind, n, dtype, seed=n)
    before = a.copy()
    for k in [0, n // 3, n // 2, n - 1]:
        part, median, nanmedian = large_selections(a, k)
        np.testing.assert_array_equal(a, before)
        s = np.sort(a)
        np.testing.assert_array_equal(part[k], s[k])
        assert not (part[:k] > part[k]).any() and not (part[k + 1:] < part[k]).any()
        np.testing.assert_array_equal(np.sort(part), s)
        np.testing.assert_array_equal(median, np.median(a))
        np.testing.assert_array_equal(nanmedian, np.nanmedian(a))
    part = np.partition(a, (n // 4, n // 2))
    mine = large_selections(a, np.array([n // 4, n // 2]))[0]
    np.testing.assert_array_equal(mine[[n // 4, n // 2]], part[[n // 4, n // 2]])


@njit
def partition_at(a, kth):
    return np.partition(a, kth)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("n", [4097, 50001])
@pytest.mark.parametrize("kth", [[0, 1, 2], [-1, 0, -2], [3, 3, 1], [0.5, 0.25, 0.75, 0.5]], ids=str)
def test_several_kths_each_in_sorted_place(dtype, n, kth):
    # Each selection after the first works past the previous kth, so that it
    # cannot move an element already in place (the AVX-512 step reorders its
    # whole range); repeated kths are skipped.
    a = large_input("random", n, dtype, seed=3)
    kth = np.array([int(k * n) if isinstance(k, float) else k for k in kth])
    got = partition_at(a, kth)
    s = np.sort(a)
    for k in kth:
        np.testing.assert_array_equal(got[k], s[k])
        assert not (got[:k % n] > got[k]).any() and not (got[k % n + 1:] < got[k]).any()
    np.testing.assert_array_equal(np.sort(got), s)
