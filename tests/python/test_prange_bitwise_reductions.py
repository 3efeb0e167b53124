"""`&=`, `|=` and `^=` (and `x = x | e` written either way round) on a
variable declared before a prange loop are reductions: each thread keeps a
partial from the operation's identity (all ones, zero, zero) and the partials
combine in any order, so the result is Python's exactly. Numba refuses them.
Compared with .py_func across signed integer and bool dtypes, layouts, sizes
and thread counts; unsigned arrays with the serial compile (an int64
accumulator meeting uint64 values follows Numba's typing, not Python's
integers, and NumPy 2 refuses `-1 & np.uint8(x)`)."""
import numpy as np
import pytest

from conftest import dtype_id, laid_out, num_threads
from numjit import njit, prange, set_num_threads

SIGNED = [np.int8, np.int16, np.int32, np.int64]
UNSIGNED = [np.uint8, np.uint64]
LAYOUTS = ["C", "strided", "reversed"]
SIZES = [0, 1, 7, 1000, 100_003]


@njit(parallel=True)
def masks(a):
    both = -1
    either = 0
    odd = 0
    for i in prange(a.shape[0]):
        both &= a[i]
        either = a[i] | either
        odd ^= a[i]
    return both, either, odd


@njit(parallel=True)
def any_all(a, limit):
    some = False
    every = True
    for i in prange(a.shape[0]):
        some |= a[i] > limit
        every = every & (a[i] > -limit)
    return some, every


@njit(parallel=True)
def rows_with_bits(m):
    seen = 0
    for i in prange(m.shape[0]):
        row = 0
        for j in range(m.shape[1]):
            row |= m[i, j]
        seen ^= row
    return seen


@njit(parallel=True)
def array_or(m):
    acc = np.zeros(m.shape[1], np.int64)
    for i in prange(m.shape[0]):
        acc |= m[i]
    return acc


@njit(parallel=True)
def array_sum(m):
    acc = np.zeros(m.shape[1], np.int64)
    for i in prange(m.shape[0]):
        acc += m[i]
    return acc


def planted(size, dtype, layout, where):
    """Values that share one bit but for the element at `where`, and lack
    another but for the element at `where` too (low bits random): `&` and
    `|` over them change only if that element's partial is combined."""
    bits = np.iinfo(dtype).bits
    shared, rare = 1 << (bits - 3), 1 << (bits - 2)
    values = np.random.default_rng(size + where).integers(0, shared, size) | shared
    if size:
        values[where] = (values[where] & ~shared) | rare
    return laid_out(values.astype(dtype), layout)


@pytest.mark.parametrize("dtype", SIGNED, ids=dtype_id)
@pytest.mark.parametrize("size", [1, 7, 1000, 100_003])
@pytest.mark.parametrize("place", ["first", "middle", "last"])
def test_every_partial_is_combined(dtype, size, place):
    where = {"first": 0, "middle": size // 2, "last": size - 1}[place]
    a = planted(size, dtype, "C", where)
    both, either, odd = masks(a)
    assert (both, either, odd) == masks.py_func(a)
    shared, rare = 1 << (np.iinfo(dtype).bits - 3), 1 << (np.iinfo(dtype).bits - 2)
    assert both & shared == 0 and either & rare == rare


@pytest.mark.parametrize("kernel", [array_or, array_sum], ids=["or", "sum"])
@pytest.mark.parametrize("threads", [1, 2])
def test_array_accumulators_match_python(kernel, threads):
    # An internal compiler error once, then a located refusal; now array
    # reductions (test_prange_array_reductions.py has the rest).
    m = np.random.default_rng(3).integers(0, 1 << 40, (1001, 3))
    with num_threads(threads):
        np.testing.assert_array_equal(kernel(m), kernel.py_func(m))


def values(size, dtype, layout, seed=0):
    info = np.iinfo(dtype)
    drawn = np.random.default_rng(seed).integers(info.min, info.max, size, dtype=dtype, endpoint=True)
    return laid_out(drawn, layout)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", SIGNED, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", SIZES)
def test_and_or_xor_match_python(threads, dtype, layout, size):
    a = values(size, dtype, layout, seed=size)
    set_num_threads(threads)
    try:
        assert masks(a) == masks.py_func(a)
    finally:
        set_num_threads(2)


SERIAL_MASKS = njit(masks.py_func)
SERIAL_ROWS = njit(rows_with_bits.py_func)


@pytest.mark.parametrize("dtype", UNSIGNED, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", SIZES)
def test_unsigned_match_the_serial_compile(dtype, layout, size):
    a = values(size, dtype, layout, seed=size)
    assert masks(a) == SERIAL_MASKS(a)
    m = a.reshape(-1, 1) if size else a.reshape(0, 2)
    assert rows_with_bits(m) == SERIAL_ROWS(m)


@pytest.mark.parametrize("limit", [0.0, 0.9, 5.0])
@pytest.mark.parametrize("size", SIZES)
def test_bool_flags_match_python(limit, size):
    a = np.random.default_rng(size).uniform(-1.0, 1.0, size)
    assert any_all(a, limit) == any_all.py_func(a, limit)


@pytest.mark.parametrize("dtype", SIGNED, ids=dtype_id)
@pytest.mark.parametrize("shape", [(0, 3), (5, 0), (1, 1), (64, 9), (1001, 3)])
def test_nested_loops_match_python(dtype, shape):
    m = values(int(np.prod(shape)), dtype, "C", seed=7).reshape(shape)
    assert rows_with_bits(m) == rows_with_bits.py_func(m)
    assert rows_with_bits(np.asfortranarray(m)) == rows_with_bits.py_func(m)


def test_diagnostics_name_the_reductions(capsys):
    masks(np.arange(10))
    masks.parallel_diagnostics()
    report = capsys.readouterr().out
    for text in ("reduction & on 'both'", "reduction | on 'either'", "reduction ^ on 'odd'"):
        assert text in report
