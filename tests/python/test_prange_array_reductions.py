"""Array reductions in prange loops, as Numba documents them: a variable bound
to an array before the loop and updated as `acc += e` (in place, into that
array) or `acc = acc + e` (a new array; the old one is left as it was), with
+, -, *, / and, beyond Numba, &, |, ^. Each chunk folds into its own array
from the identity and the chunks' arrays fold into the variable in chunk
order. Compared with .py_func across dtypes, accumulator ranks and layouts,
loop sizes and thread counts."""
import numpy as np
import pytest

from conftest import dtype_id, laid_out, measure_blocks, num_threads
from numjit import njit, prange
from numjit.errors import UnsupportedError

SIZES = [0, 1, 3, 8, 100, 10_007]
FLOATS = [np.float64, np.float32]
INTS = [np.int64, np.int32, np.int8]


@njit(parallel=True)
def column_sums(m):
    acc = np.zeros(m.shape[1], m.dtype)
    for i in prange(m.shape[0]):
        acc += m[i]
    return acc


@njit(parallel=True)
def column_differences(m):
    acc = np.zeros(m.shape[1], m.dtype)
    for i in prange(m.shape[0]):
        acc -= m[i]
    return acc


@njit(parallel=True)
def column_sums_rebound(m):
    acc = np.zeros(m.shape[1], m.dtype)
    for i in prange(m.shape[0]):
        acc = acc + m[i]
    return acc


@njit(parallel=True)
def column_sums_rebound_reversed(m):
    acc = np.zeros(m.shape[1], m.dtype)
    for i in prange(m.shape[0]):
        acc = m[i] + acc
    return acc


@njit(parallel=True)
def column_products(m):
    acc = np.ones(m.shape[1], m.dtype)
    for i in prange(m.shape[0]):
        acc *= m[i]
    return acc


@njit(parallel=True)
def column_quotients(m):
    acc = np.full(m.shape[1], 1e3, m.dtype)
    for i in prange(m.shape[0]):
        acc /= m[i]
    return acc


@njit(parallel=True)
def into_argument(acc, m):
    for i in prange(m.shape[0]):
        acc += m[i]
    return acc


@njit(parallel=True)
def rebinding_argument(acc, m):
    for i in prange(m.shape[0]):
        acc = acc - m[i]
    return acc


@njit(parallel=True)
def outer_products(x):
    acc = np.zeros((x.shape[1], x.shape[1]), x.dtype)
    for i in prange(x.shape[0]):
        acc += np.outer(x[i], x[i])
    return acc


@njit(parallel=True)
def scaled_rows_and_total(m, w):
    acc = np.zeros(m.shape[1], m.dtype)
    total = 0.0
    for i in prange(m.shape[0]):
        if w[i] > 0:
            acc += w[i] * m[i]
            total += w[i]
    return acc, total


@njit(parallel=True)
def histogram(x, bins):
    counts = np.zeros(bins, np.int64)
    for i in prange(x.shape[0]):
        one = np.zeros(bins, np.int64)
        one[min(int(x[i] * bins), bins - 1)] = 1
        counts += one
    return counts


@njit(parallel=True)
def scalar_into_array(n, k):
    acc = np.zeros(k)
    for i in prange(n):
        acc += i * 0.5
    return acc


@njit(parallel=True)
def row_into_matrix(m, rows):
    acc = np.zeros((rows, m.shape[1]), m.dtype)
    for i in prange(m.shape[0]):
        acc += m[i]  # broadcast along the first axis
    return acc


@njit(parallel=True)
def fortran_accumulator(m):
    acc = np.zeros((2, m.shape[1]), m.dtype).T.copy().T  # F-ordered
    for i in prange(m.shape[0]):
        acc += m[i]
    return acc


@njit(parallel=True)
def zero_dimensional(a):
    acc = np.zeros((), a.dtype)
    for i in prange(a.shape[0]):
        acc += a[i]
    return acc


@njit(parallel=True)
def inner_loop(m):
    acc = np.zeros(m.shape[1], m.dtype)
    for i in prange(m.shape[0]):
        for j in range(m.shape[1]):
            if m[i, j] > 0:
                acc += m[i, j]
    return acc


@njit(parallel=True)
def bit_masks(m):
    anded = np.full(m.shape[1], -1, m.dtype)
    ored = np.zeros(m.shape[1], m.dtype)
    xored = np.zeros(m.shape[1], m.dtype)
    for i in prange(m.shape[0]):
        anded &= m[i]
        ored |= m[i]
        xored = xored ^ m[i]
    return anded, ored, xored


@njit(parallel=True)
def any_and_all(m):
    some = np.zeros(m.shape[1], np.bool_)
    every = np.ones(m.shape[1], np.bool_)
    for i in prange(m.shape[0]):
        some |= m[i] > 1.0
        every &= m[i] > -2.0
    return some, every


def matrix(rows, cols, dtype, layout="C", seed=0):
    rng = np.random.default_rng(seed + rows)
    if np.dtype(dtype).kind == "f":
        values = rng.standard_normal((rows, cols))
    elif np.dtype(dtype).kind == "c":
        values = rng.standard_normal((rows, cols)) + 1j * rng.standard_normal((rows, cols))
    else:
        info = np.iinfo(dtype)
        values = rng.integers(max(info.min, -100), min(info.max, 100), (rows, cols))
    return laid_out(values.astype(dtype), layout)


def close(got, expected, dtype):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if np.dtype(dtype).kind in "fc":
        rtol = 2e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-10
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol * max(1.0, np.abs(expected).max(initial=0)))
    else:
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("kernel", [column_sums, column_differences, column_sums_rebound,
                                    column_sums_rebound_reversed])
@pytest.mark.parametrize("dtype", FLOATS + INTS + [np.complex128], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize("threads", [1, 2])
def test_sums_match_python(kernel, dtype, layout, rows, threads):
    m = matrix(rows, 5, dtype, layout)
    with num_threads(threads):
        close(kernel(m), kernel.py_func(m), dtype)


@pytest.mark.parametrize("kernel", [column_products, column_quotients])
@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize("threads", [1, 2])
def test_products_and_quotients_match_python(kernel, dtype, rows, threads):
    m = (1.0 + 0.01 * matrix(rows, 4, np.float64)).astype(dtype)  # near 1: no overflow over 10**4 rows
    with num_threads(threads):
        close(kernel(m), kernel.py_func(m), dtype)


@pytest.mark.parametrize("dtype", INTS, ids=dtype_id)
@pytest.mark.parametrize("rows", SIZES)
def test_integer_products_wrap_as_numpy_does(dtype, rows):
    m = matrix(rows, 3, dtype) | 1  # odd: the product does not become 0 early
    with num_threads(2):
        np.testing.assert_array_equal(column_products(m), column_products.py_func(m))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16, np.int8], ids=dtype_id)
@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize("threads", [1, 2])
def test_bitwise_match_python(dtype, rows, threads):
    info = np.iinfo(dtype)
    m = np.random.default_rng(rows).integers(info.min, info.max, (rows, 6), dtype=dtype, endpoint=True)
    with num_threads(threads):
        got, expected = bit_masks(m), bit_masks.py_func(m)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)
        assert g.dtype == e.dtype


@pytest.mark.parametrize("rows", SIZES)
def test_boolean_any_and_all(rows):
    m = matrix(rows, 7, np.float64)
    with num_threads(2):
        got, expected = any_and_all(m), any_and_all.py_func(m)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)
        assert g.dtype == np.bool_


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize("threads", [1, 2])
def test_in_place_updates_the_array_passed(rows, threads):
    m = matrix(rows, 4, np.float64)
    acc = np.arange(4.0)
    expected = into_argument.py_func(acc.copy(), m)
    with num_threads(threads):
        got = into_argument(acc, m)
    np.testing.assert_allclose(acc, expected, rtol=1e-10, atol=1e-10)  # the caller's array holds the sums
    assert np.shares_memory(got, acc)


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize("threads", [1, 2])
def test_rebinding_leaves_the_array_passed_alone(rows, threads):
    m = matrix(rows, 4, np.float64)
    acc = np.arange(4.0)
    expected = rebinding_argument.py_func(acc.copy(), m)
    with num_threads(threads):
        got = rebinding_argument(acc, m)
    np.testing.assert_array_equal(acc, np.arange(4.0))
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
    assert np.shares_memory(got, acc) == (rows == 0)  # no iteration: the same array, as in Python


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
@pytest.mark.parametrize("rows", [0, 1, 5, 2000])
def test_outer_products_into_a_matrix(dtype, rows):
    x = matrix(rows, 6, dtype)
    with num_threads(2):
        close(outer_products(x), outer_products.py_func(x), dtype)


@pytest.mark.parametrize("rows", SIZES)
def test_conditional_updates_with_a_scalar_reduction(rows):
    m = matrix(rows, 3, np.float64)
    w = np.random.default_rng(rows).standard_normal(rows)
    with num_threads(2):
        acc, total = scaled_rows_and_total(m, w)
    expected_acc, expected_total = scaled_rows_and_total.py_func(m, w)
    np.testing.assert_allclose(acc, expected_acc, rtol=1e-10, atol=1e-10)
    assert total == pytest.approx(expected_total, rel=1e-10, abs=1e-10)


@pytest.mark.parametrize("size", [0, 1, 999, 100_000])
@pytest.mark.parametrize("bins", [1, 10, 257])
def test_histogram_counts_match_numpy(size, bins):
    x = np.random.default_rng(size).random(size)
    with num_threads(2):
        got = histogram(x, bins)
    np.testing.assert_array_equal(got, np.histogram(x, bins, (0.0, 1.0))[0])
    np.testing.assert_array_equal(got, histogram.py_func(x, bins))


@pytest.mark.parametrize("n", SIZES)
def test_scalar_broadcast_into_the_array(n):
    with num_threads(2):
        np.testing.assert_allclose(scalar_into_array(n, 3), scalar_into_array.py_func(n, 3), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("rows", SIZES)
def test_rows_broadcast_into_a_matrix(dtype, rows):
    m = matrix(rows, 4, dtype)
    with num_threads(2):
        close(row_into_matrix(m, 3), row_into_matrix.py_func(m, 3), dtype)


@pytest.mark.parametrize("rows", SIZES)
def test_fortran_ordered_accumulator(rows):
    m = matrix(rows, 2, np.float64)
    with num_threads(2):
        got = fortran_accumulator(m)
    np.testing.assert_allclose(got, fortran_accumulator.py_func(m), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("dtype", [np.float64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("size", SIZES)
def test_zero_dimensional_accumulator(dtype, size):
    a = matrix(size, 1, dtype)[:, 0].copy()
    with num_threads(2):
        close(zero_dimensional(a), zero_dimensional.py_func(a), dtype)


@pytest.mark.parametrize("rows", SIZES)
def test_updates_inside_an_inner_loop(rows):
    m = matrix(rows, 5, np.float64)
    with num_threads(2):
        np.testing.assert_allclose(inner_loop(m), inner_loop.py_func(m), rtol=1e-10, atol=1e-10)


def test_float_sums_have_the_same_bits_on_every_run():
    # Chunk order, not thread timing, decides the rounding.
    m = matrix(100_003, 8, np.float32)
    with num_threads(2):
        first = column_sums(m)
        for _ in range(20):
            np.testing.assert_array_equal(column_sums(m), first)


@pytest.mark.parametrize("rows", [0, 1, 10_007])
def test_private_arrays_are_freed(rows):
    m = matrix(rows, 16, np.float64)
    with num_threads(2):
        for kernel in (column_sums, column_sums_rebound, outer_products):
            allocated, freed = measure_blocks(kernel, m)
            assert allocated == freed, f"{kernel.__name__}: {allocated - freed} blocks leaked"


@njit(parallel=True)
def raises_midway(m, bad):
    acc = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        if i == bad:
            raise ValueError("bad row")
        acc += m[i]
    return acc


@njit(parallel=True)
def raises_midway_rebinding(m, bad):
    acc = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        if i == bad:
            raise ValueError("bad row")
        acc = acc + m[i]
    return acc


@pytest.mark.parametrize("kernel", [raises_midway, raises_midway_rebinding], ids=["in-place", "rebinding"])
@pytest.mark.parametrize("bad", [0, 500, 9_999])
def test_an_exception_in_a_chunk_reaches_python_and_frees_the_arrays(kernel, bad):
    m = matrix(10_000, 4, np.float64)
    from numjit.runtime import allocation_stats
    with num_threads(2):
        with pytest.raises(ValueError, match="bad row"):
            kernel(m, bad)
        before = allocation_stats()
        for _ in range(5):
            with pytest.raises(ValueError, match="bad row"):
                kernel(m, bad)
        after = allocation_stats()
    assert after[0] - before[0] == after[1] - before[1]  # every block allocated was freed


@njit(parallel=True)
def growing(m):
    acc = np.zeros((1, m.shape[1]))
    for i in prange(m.shape[0]):
        acc = acc + np.ones((2, m.shape[1])) * m[i]  # (1, n) + (2, n) is (2, n)
    return acc


def test_a_rebinding_that_changes_the_shape_is_a_clear_error():
    m = matrix(10, 3, np.float64)
    with pytest.raises(ValueError, match="changed its shape"):
        growing(m)


@njit(parallel=True)
def mixed_forms(m):
    acc = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        if i % 2:
            acc += m[i]
        else:
            acc = acc + m[i]
    return acc


def test_mixing_in_place_and_rebinding_updates_is_a_located_error():
    m = matrix(10, 3, np.float64)
    with pytest.raises(UnsupportedError, match="both in place") as info:
        mixed_forms(m)
    assert "test_prange_array_reductions.py" in str(info.value) and "^" in str(info.value)


@njit(parallel=True)
def read_inside(m):
    acc = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        acc += m[i] * acc[0]
    return acc


def test_reading_the_accumulator_elsewhere_is_a_located_error():
    # Not a reduction (a partial would be read), and not a private either.
    m = np.zeros((50, 3))
    with pytest.raises(UnsupportedError, match="read here before this prange iteration") as info:
        read_inside(m)
    assert "test_prange_array_reductions.py" in str(info.value) and "^" in str(info.value)


def test_diagnostics_name_array_reductions(capsys):
    m = matrix(10, 3, np.float64)
    column_sums(m)
    column_sums.parallel_diagnostics(level=1)
    out = capsys.readouterr().out
    assert "reduction + on 'acc'" in out


# ---- from a review: bool sums, unassigned accumulators, the cost model, views ----

@njit(parallel=True)
def bool_sums(m):
    summed = np.zeros(m.shape[1], np.bool_)
    rebound = np.zeros(m.shape[1], np.bool_)
    multiplied = np.ones(m.shape[1], np.bool_)
    for i in prange(m.shape[0]):
        summed += m[i]
        rebound = rebound + m[i]
        multiplied *= m[i]
    return summed, rebound, multiplied


@pytest.mark.parametrize("rows", SIZES + [37])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("density", [0.02, 0.5, 0.98])
def test_bool_sums_are_logical_or_as_numpy(rows, threads, density):
    # Folding two chunks' `True`s must give True (an i1 add gave False).
    m = np.random.default_rng(rows).random((rows, 9)) < density
    with num_threads(threads):
        got = bool_sums(m)
    for g, e in zip(got, bool_sums.py_func(m)):
        np.testing.assert_array_equal(g, e)
        assert g.dtype == np.bool_


@njit(parallel=True)
def maybe_bound(m, bind):
    if bind:
        acc = np.zeros(3)
    for i in prange(m.shape[0]):
        acc += m[i]
    return 1


@pytest.mark.parametrize("bind", [True, False])
@pytest.mark.parametrize("rows", [0, 5])
def test_an_unbound_accumulator_raises_only_when_an_iteration_runs(bind, rows):
    m = np.ones((rows, 3))
    try:
        expected = maybe_bound.py_func(m, bind)
    except UnboundLocalError:
        with pytest.raises(UnboundLocalError, match="acc"):
            maybe_bound(m, bind)
        return
    assert maybe_bound(m, bind) == expected


@njit(parallel=True)
def rebinding_zero_or_more(a, n):
    b = a
    for i in prange(n):
        a = a + 1.0
    b[0] = 99.0
    return a


@pytest.mark.parametrize("n", [0, 1, 100])
def test_rebinding_keeps_the_old_array_where_no_iteration_ran(n):
    got = rebinding_zero_or_more(np.zeros(3), n)
    np.testing.assert_array_equal(got, rebinding_zero_or_more.py_func(np.zeros(3), n))


@njit(parallel=True)
def records_threads(ids, work):
    acc = np.zeros(2)
    for i in prange(ids.shape[0]):
        s = 0.0
        for k in range(work):
            s += np.sin(k + i * 1.0)
        acc += s
        ids[i] = numba_get_thread_id()
    return acc


from numjit import get_thread_id as numba_get_thread_id  # noqa: E402  (read by records_threads)


def test_a_large_call_after_small_ones_still_shares_the_work():
    # The runtime's cost model sees iterations, not the chunks' units: small
    # calls did not make every later call run on the caller alone.
    seen = set()
    with num_threads(2):
        for _ in range(5):  # on a busy machine a worker may miss one run
            for _ in range(5):
                records_threads(np.zeros(4, np.int64), 10)
            ids = np.full(2000, -1, np.int64)
            records_threads(ids, 2000)
            assert (ids >= 0).all()
            seen |= set(ids.tolist())
    assert seen == {0, 1}


@njit(parallel=True)
def into_view(acc, m):
    for i in prange(m.shape[0]):
        acc += m[i]


@njit(parallel=True)
def rebind_view(acc, m):
    for i in prange(m.shape[0]):
        acc = acc + m[i]
    return acc


VIEWS = {  # each a (2, 3) view of a (4, 6) base
    "strided": lambda base: base[::2, ::2],
    "transposed": lambda base: base[:3, :2].T,
    "reversed": lambda base: base[::-2, ::-2],
    "block": lambda base: base[1:3, 2:5],
}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("rows", [0, 1, 999])
def test_accumulators_that_are_views(view, rows):
    m = matrix(rows, 6, np.float64).reshape(rows, 2, 3)
    base, expected_base = np.arange(24.0).reshape(4, 6), np.arange(24.0).reshape(4, 6)
    into_view.py_func(VIEWS[view](expected_base), m)
    with num_threads(2):
        into_view(VIEWS[view](base), m)
    np.testing.assert_allclose(base, expected_base, rtol=1e-10, atol=1e-10)  # the view updated, the rest not
    base = np.arange(24.0).reshape(4, 6)
    with num_threads(2):
        got = rebind_view(VIEWS[view](base), m)
    expected = rebind_view.py_func(VIEWS[view](np.arange(24.0).reshape(4, 6)), m)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(base, np.arange(24.0).reshape(4, 6))  # rebinding leaves the base as it was


@njit(parallel=True)
def with_private_after(m, start, step):
    acc = np.zeros(m.shape[1])
    last = -1
    for i in prange(start, m.shape[0], step):
        last = i
        acc += m[i]
    return acc, last


@pytest.mark.parametrize("rows", [0, 1, 2, 7, 100, 10_007])
@pytest.mark.parametrize("start,step", [(0, 1), (1, 3), (5, 7)])
def test_privates_after_the_loop_and_ranges_with_steps(rows, start, step):
    m = matrix(rows, 3, np.float64)
    with num_threads(2):
        acc, last = with_private_after(m, start, step)
    expected_acc, expected_last = with_private_after.py_func(m, start, step)
    np.testing.assert_allclose(acc, expected_acc, rtol=1e-10, atol=1e-10)
    assert last == expected_last


@njit(parallel=True)
def repeated(m, times):
    acc = np.zeros(m.shape[1])
    for t in range(times):
        for i in prange(m.shape[0]):
            acc += m[i] * (t + 1)
    return acc


@njit(parallel=True)
def inner_sums(m):
    acc = np.zeros(m.shape[1])
    for i in prange(m.shape[0]):
        acc += m[i]
    return acc


@njit(parallel=True)
def outer_of_inner(blocks):
    acc = np.zeros(blocks.shape[2])
    for b in prange(blocks.shape[0]):
        acc += inner_sums(blocks[b])
    return acc


@pytest.mark.parametrize("rows", [0, 1, 1001])
def test_a_prange_inside_a_serial_loop_and_a_nested_one(rows):
    m = matrix(rows, 4, np.float64)
    with num_threads(2):
        np.testing.assert_allclose(repeated(m, 3), repeated.py_func(m, 3), rtol=1e-10, atol=1e-10)
        blocks = matrix(6 * rows, 4, np.float64).reshape(6, rows, 4)
        np.testing.assert_allclose(outer_of_inner(blocks), outer_of_inner.py_func(blocks), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("kernel", [column_products, column_quotients, column_sums])
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64], ids=dtype_id)
@pytest.mark.parametrize("rows", [0, 1, 999])
def test_complex_products_and_quotients(kernel, dtype, rows):
    m = (1.0 + 0.01 * matrix(rows, 3, np.complex128)).astype(dtype)
    with num_threads(2):
        close(kernel(m), kernel.py_func(m), dtype)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint32, np.uint64], ids=dtype_id)
@pytest.mark.parametrize("rows", [0, 1, 999])
def test_unsigned_sums_and_products_wrap(dtype, rows):
    m = np.random.default_rng(rows).integers(0, 250, (rows, 4)).astype(dtype)
    with num_threads(2):
        for kernel in (column_sums, column_products, column_differences):
            np.testing.assert_array_equal(kernel(m), kernel.py_func(m))


@pytest.mark.parametrize("rows", [0, 1, 3, 1001])
def test_large_accumulators_take_one_unit_per_thread(rows):
    # Past 1 MiB of accumulators a loop makes one private array per thread.
    m = matrix(rows, 200_000, np.float64) if rows < 1000 else np.random.default_rng(0).standard_normal((rows, 200_000))
    with num_threads(2):
        got = column_sums(m)
    np.testing.assert_allclose(got, m.sum(0), rtol=1e-9, atol=1e-9)
    allocated, freed = measure_blocks(column_sums, m, repeat=2)
    assert allocated == freed
