"""parallel=True shares whole-array reductions among the threads, as Numba's
parfors do: np.sum/prod/mean/var/std/min/max, their np.nan* forms,
np.argmin/argmax (the first extreme's position, as NumPy) and np.any/all, of an
array or of an array expression (`np.sum(a * b)`), when every array is
C-contiguous with the expression's shape (blocks of flat positions), or by
rows of the first axis for strided and broadcast operands of rank 2 and up,
from 2**14 elements. Each chunk of the region folds a partial of its own and the
partials merge in chunk order, so for one thread count the bits repeat from
call to call. Compared with NumPy and with the serial function, for every
dtype, size and layout, NaNs anywhere, empty arrays and elements that raise."""
import numpy as np
import pytest

from conftest import assert_same, check_threads, dtype_id, num_threads
import numjit.config
from numjit import njit, prange

SIZES = [0, 1, 1000, 2**14 - 1, 2**14, 100_003, 2**18]
DTYPES = [np.float64, np.float32, np.int64, np.int32, np.complex128, np.bool_]


def reduce_sum(a, b):
    return np.sum(a * b)


def reduce_prod(a, b):
    return np.prod(a)


def reduce_mean(a, b):
    return np.mean(a + b)


def reduce_var(a, b):
    return np.var(a - b)


def reduce_std(a, b):
    return (a * b).std()


def reduce_max(a, b):
    return np.max(a - b)


def reduce_min(a, b):
    return a.min()


def reduce_nansum(a, b):
    return np.nansum(a * b)


def reduce_nanmean(a, b):
    return np.nanmean(a)


def reduce_nanvar(a, b):
    return np.nanvar(a)


def reduce_nanmax(a, b):
    return np.nanmax(a)


def reduce_nanmin(a, b):
    return np.nanmin(b - a)


def reduce_argmin(a, b):
    return np.argmin(a * b)


def reduce_argmax(a, b):
    return a.argmax()


def reduce_any_all(a, b):
    return np.any(a * b), np.all(a), (a * b).any()


def several_in_one_function(a, b):
    return np.sum(a), np.max(b), np.mean(a * b), np.std(a)


FUNCTIONS = [reduce_sum, reduce_prod, reduce_mean, reduce_var, reduce_std, reduce_max, reduce_min, reduce_nansum,
             reduce_nanmean, reduce_nanvar, reduce_nanmax, reduce_nanmin, reduce_argmin, reduce_argmax, reduce_any_all,
             several_in_one_function]
COMPILED = {f.__name__: (njit(f), njit(parallel=True)(f)) for f in FUNCTIONS}
NEEDS_ELEMENTS = {reduce_max, reduce_min, reduce_nanmax, reduce_nanmin, reduce_argmin, reduce_argmax,
                  several_in_one_function}
NO_COMPLEX_ORDER = {reduce_max, reduce_min, reduce_nanmax, reduce_nanmin, several_in_one_function}


def operands(n, dtype, seed=0):
    rng = np.random.default_rng(seed + n)
    kind = np.dtype(dtype).kind
    if kind == "c":
        return [(rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype) for _ in range(2)]
    if kind == "b":
        return [rng.random(n) < 0.5 for _ in range(2)]
    if kind in "iu":
        return [rng.integers(-50, 50, n).astype(dtype) for _ in range(2)]
    return [rng.standard_normal(n).astype(dtype) for _ in range(2)]


def applicable(f, dtype, n):
    kind = np.dtype(dtype).kind
    if n == 0 and f in NEEDS_ELEMENTS:
        return False
    if kind == "c" and f in NO_COMPLEX_ORDER:
        return False
    if kind == "b" and f in (reduce_var, reduce_mean, reduce_max, reduce_nanmin, several_in_one_function):
        return False  # NumPy refuses bool - bool; mean/var of a bool sum are covered by the other dtypes
    return True


def tolerance(f, dtype, n):
    if f is reduce_prod and np.dtype(dtype).kind in "fc":
        return 1e-10 if np.dtype(dtype) != np.float32 else 2e-3  # NumPy rounds each float32 product
    return 1e-5 if np.dtype(dtype) == np.float32 else 1e-9


def prepared(f, dtype, n):
    a, b = operands(n, dtype)
    if f is reduce_prod and np.dtype(dtype).kind in "iu":
        a = np.where(np.arange(n) % 97 == 0, -1, 1).astype(dtype)  # a product that neither wraps nor vanishes
    elif f is reduce_prod:
        a = (1 + 1e-6 * a).astype(dtype)
    return a, b


CASES = [(f, d, n) for f in FUNCTIONS for d in DTYPES for n in SIZES if applicable(f, d, n)]


@pytest.mark.parametrize("f, dtype, n", CASES, ids=lambda v: getattr(v, "__name__", None) or dtype_id(v)
                         if not isinstance(v, int) else str(v))
def test_parallel_reduction_agrees_with_numpy_and_the_serial_function(f, dtype, n):
    serial, parallel = COMPILED[f.__name__]
    a, b = prepared(f, dtype, n)
    with np.errstate(all="ignore"):
        expected = f(a, b)
    rtol = tolerance(f, dtype, n)
    with num_threads(2):
        shared = parallel(a, b)
        again = parallel(a, b)
    with num_threads(1):
        alone = parallel(a, b)
    assert_same(shared, expected, rtol=rtol, atol=rtol)
    assert_same(alone, expected, rtol=rtol, atol=rtol)
    assert_same(shared, serial(a, b), rtol=rtol, atol=rtol)
    # For one thread count the chunks, and so the bits, repeat from call to call.
    assert np.array_equal(np.asarray(shared), np.asarray(again), equal_nan=True)


@pytest.mark.parametrize("layout", ["2-D C", "F", "strided", "reversed", "broadcast row", "3-D C"])
@pytest.mark.parametrize("f", [reduce_sum, reduce_var, reduce_max, reduce_nanmean, several_in_one_function],
                         ids=lambda f: f.__name__)
def test_every_layout_gives_numpys_answer(f, layout):
    rng = np.random.default_rng(5)
    m = rng.standard_normal((300, 200))
    a, b = {
        "2-D C": lambda: (m, m * 2),
        "F": lambda: (np.asfortranarray(m), np.asfortranarray(m - 1)),
        "strided": lambda: (m.ravel()[::2], m.ravel()[1::2]),
        "reversed": lambda: (m.ravel()[::-1], m.ravel()),
        "broadcast row": lambda: (m, m[0]),
        "3-D C": lambda: (m.reshape(30, 10, 200), m.reshape(30, 10, 200) + 1),
    }[layout]()
    _, parallel = COMPILED[f.__name__]
    for threads in (1, 2):
        with num_threads(threads):
            assert_same(parallel(a, b), f(a, b), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("where", [0, 511, 512, 2**14 - 1, 50_000, 2**18 - 1])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
def test_a_nan_anywhere_reaches_the_result(where, dtype):
    a, b = operands(2**18, dtype)
    a[where] = np.nan
    for f in (reduce_max, reduce_min, reduce_nanmax, reduce_nanmean, reduce_nansum, reduce_sum, reduce_var,
              reduce_argmin, reduce_argmax):
        _, parallel = COMPILED[f.__name__]
        with num_threads(2):
            assert_same(parallel(a, b), f(a, b), rtol=1e-5, atol=1e-5)


def test_all_nan_and_infinities():
    a = np.full(2**16, np.nan)
    b = np.zeros(2**16)
    _, nanmax = COMPILED["reduce_nanmax"]
    _, nanmean = COMPILED["reduce_nanmean"]
    with pytest.warns(RuntimeWarning):
        assert np.isnan(np.nanmax(a))
    assert np.isnan(nanmax(a, b))
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        assert np.isnan(np.nanmean(a))
    assert np.isnan(nanmean(a, b))
    a = np.linspace(-1, 1, 2**16)
    a[100] = -np.inf
    a[60_000] = np.inf
    for name in ("reduce_max", "reduce_min", "reduce_sum"):
        _, parallel = COMPILED[name]
        f = parallel.py_func
        with np.errstate(all="ignore"):
            assert_same(parallel(a, np.ones_like(a)), f(a, np.ones_like(a)))


@pytest.mark.parametrize("name", ["reduce_max", "reduce_min", "reduce_nanmax", "reduce_nanmin", "reduce_argmin",
                                  "reduce_argmax"])
def test_an_empty_array_raises_numpys_error(name):
    _, parallel = COMPILED[name]
    a = np.zeros(0)
    with pytest.raises(ValueError) as expected:
        parallel.py_func(a, a)
    with pytest.raises(ValueError) as got:
        parallel(a, a)
    assert str(got.value) == str(expected.value)


@njit(parallel=True)
def sum_of_integer_powers(a, b):
    return np.sum(a ** b)


def test_an_element_that_raises_raises_from_the_pool():
    a = np.full(2**16, 3, np.int64)
    b = np.ones(2**16, np.int64)
    b[40_000] = -1
    with pytest.raises(ValueError):
        sum_of_integer_powers.py_func(a, b)
    with pytest.raises(ValueError, match="negative"):
        sum_of_integer_powers(a, b)
    b[40_000] = 2
    assert sum_of_integer_powers(a, b) == np.sum(a ** b)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8], ids=dtype_id)
def test_integer_sums_wrap_and_extremes_are_exact(dtype):
    info = np.iinfo(dtype)
    a = np.full(2**17, info.max, dtype)
    a[77_777] = info.min
    _, total = COMPILED["reduce_nansum"]
    _, smallest = COMPILED["reduce_min"]
    ones = np.ones_like(a)
    with np.errstate(all="ignore"):
        assert total(a, ones) == np.nansum(a * ones)
    assert smallest(a, ones) == info.min


@njit(parallel=True)
def row_sums_in_prange(rows):
    out = np.empty(rows.shape[0])
    for i in prange(rows.shape[0]):
        out[i] = np.sum(rows[i] * 2.0) + rows[i].max()
    return out


def test_a_reduction_inside_prange_stays_in_its_thread():
    rows = np.random.default_rng(2).standard_normal((6, 2**15))
    check_threads(row_sums_in_prange, rows, rtol=1e-12)


def test_parallel_diagnostics_name_the_shared_reduction(capsys):
    _, parallel = COMPILED["reduce_sum"]
    parallel(*operands(2**15, np.float64))
    parallel.parallel_diagnostics()
    assert "reduction runs in parallel" in capsys.readouterr().out


def test_parallel_diagnostics_say_rows_for_strided_operands(capsys):
    parallel = njit(parallel=True)(reduce_var)
    m = np.random.default_rng(4).standard_normal((400, 300))
    assert_same(parallel(m[:, ::2], m[:, 1::2]), reduce_var(m[:, ::2], m[:, 1::2]), rtol=1e-10, atol=1e-10)
    parallel.parallel_diagnostics()
    assert "reduction runs in parallel by rows" in capsys.readouterr().out


@pytest.mark.parametrize("where", [[0], [2**17 - 1], [5, 60_000], [70_000, 3]], ids=str)
def test_ties_give_the_first_position(where):
    a = np.zeros(2**17)
    for w in where:
        a[w] = 5.0
    _, argmax = COMPILED["reduce_argmax"]
    for threads in (1, 2):
        with num_threads(threads):
            assert argmax(a, a) == np.argmax(a)
    a = np.full(2**17, 3, np.int32)
    _, argmin = COMPILED["reduce_argmin"]
    with num_threads(2):
        assert argmin(a, np.ones_like(a)) == 0


GLOBAL_WEIGHTS = np.linspace(0.0, 2.0, 2**16)
GLOBAL_GRID = np.arange(400 * 300, dtype=np.float64).reshape(400, 300) % 17


def weighted_with_a_global(a, b):
    return np.sum(a * GLOBAL_WEIGHTS), np.max(b.T - GLOBAL_GRID), np.argmin(GLOBAL_GRID * b.T)


def test_global_arrays_in_shared_reductions():
    parallel = njit(parallel=True)(weighted_with_a_global)
    rng = np.random.default_rng(12)
    a, b = rng.standard_normal(2**16), rng.standard_normal((300, 400))
    for threads in (1, 2):
        with num_threads(threads):
            assert_same(parallel(a, b), weighted_with_a_global(a, b), rtol=1e-10, atol=1e-10)


def complex_product(a):
    return (a + 1e308).prod()


def complex_sum(a):
    return np.sum(a * 1e308)


@pytest.mark.parametrize("f", [complex_product, complex_sum], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("n", [1, 2, 511])
def test_a_partial_without_elements_is_left_out_of_the_merge(monkeypatch, f, dtype, n):
    # Sharing from one element, an array of n <= 512 is one chunk: its partial,
    # merged with the identity each slot starts from, must stay the serial
    # answer. Multiplying (1+0j) in turned the product of one (inf+nanj) into
    # nan+nanj (fuzz seed 18181).
    monkeypatch.setattr(numjit.config, "PARALLEL_ARRAY_MIN", 1)
    rng = np.random.default_rng(n)
    a = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
    a[0] = complex(np.inf, np.nan) if n == 1 else a[0]
    a[n // 2] = complex(-np.inf, 1.0)
    with np.errstate(all="ignore"):
        serial, shared = njit(f)(a), njit(parallel=True)(f)(a)
        assert_same(shared, serial)
        if n == 1:
            assert_same(shared, f(a))
