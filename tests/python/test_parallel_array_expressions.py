"""parallel=True shares whole-array expressions among the threads (as
Numba's parfors do) from 2**14 elements: in blocks of flat positions when
every array is C-contiguous with the result's shape, by rows of the first
axis otherwise from rank 2 (1-D strided operands stay serial). The
result does not depend on the thread count, bit for bit (chunks start on
multiples of 512 elements, so each element takes the same vector or scalar
path whatever the partition); it is the serial function's within two units
in the last place (a vector loop's scalar tail calls libm where its body
calls libmvec) and NumPy's within rounding; for every dtype, size, layout,
and for elements that raise."""
import numpy as np
import pytest

from conftest import assert_same, check_threads, dtype_id, num_threads
from numjit import njit, prange

SIZES = [1, 1000, 2**14 - 1, 2**14, 2**14 + 1, 100_003, 2**18]


def assert_within_ulps(got, expected, ulps=2):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if got.dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected)
        return
    parts = (lambda a: (a.real, a.imag)) if got.dtype.kind == "c" else (lambda a: (a,))
    for g, e in zip(parts(got), parts(expected)):
        np.testing.assert_array_max_ulp(g, e, maxulp=ulps)


def serial_and_parallel(source_function):
    return njit(source_function), njit(parallel=True)(source_function)


def transcendental(a, b, c):
    return np.exp(-0.5 * a * a) * np.cos(b) + np.sqrt(np.abs(c)) / (1.0 + a * a)


def arithmetic(a, b, c):
    return a * b - c // 3 + (a > b) * 2


def mixed_scalars(a, b, c):
    s = 2.5
    return (a + s) * (b - 1) + c * s


def comparison(a, b, c):
    return (a > b) & (c <= a)


def stored_then_returned(a, b, c):
    out = a * a + b * b
    out2 = np.sqrt(out) - c
    return out2


FUNCTIONS = [transcendental, arithmetic, mixed_scalars, comparison, stored_then_returned]
SERIAL = {f.__name__: serial_and_parallel(f) for f in FUNCTIONS}


def operands(n, dtype, seed=0):
    rng = np.random.default_rng(seed + n)
    if np.dtype(dtype).kind == "c":
        return [(rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype) for _ in range(3)]
    if np.dtype(dtype).kind in "iu":
        return [rng.integers(1, 1000, n).astype(dtype) for _ in range(3)]
    return [rng.standard_normal(n).astype(dtype) for _ in range(3)]


def applicable(f, dtype):
    kind = np.dtype(dtype).kind
    if f is arithmetic:
        return kind in "iuf"
    if f is comparison:
        return kind in "iuf"
    if f is transcendental:
        return kind in "fc" or kind == "i"
    return True


CASES = [(f, d) for f in FUNCTIONS for d in [np.float64, np.float32, np.int64, np.int32, np.complex128]
         if applicable(f, d)]


@pytest.mark.parametrize("f, dtype", CASES, ids=lambda v: getattr(v, "__name__", None) or dtype_id(v))
@pytest.mark.parametrize("n", SIZES)
def test_parallel_result_is_the_serial_result_whatever_the_thread_count(f, dtype, n):
    serial, parallel = SERIAL[f.__name__]
    args = operands(n, dtype)
    expected = serial(*args)
    with num_threads(1):
        alone = parallel(*args)
    with num_threads(2):
        shared = parallel(*args)
    np.testing.assert_array_equal(shared, alone)  # bit for bit, NaN included
    assert_within_ulps(shared, expected)
    single = dtype == np.float32
    with np.errstate(all="ignore"):  # (cancellation near 0 needs an absolute tolerance in float32)
        assert_same(expected, f(*args), rtol=1e-5 if single else 1e-12, atol=1e-5 if single else 1e-13)


@pytest.mark.parametrize("layout", ["F", "strided", "2-D C", "broadcast row", "reversed"])
def test_other_layouts_give_numpys_answer(layout):
    _, parallel = SERIAL["transcendental"]
    rng = np.random.default_rng(3)
    m = rng.standard_normal((300, 200))
    a, b, c = {
        "F": lambda: (np.asfortranarray(m), np.asfortranarray(m * 2), np.asfortranarray(m - 1)),
        "strided": lambda: (m.ravel()[::2], m.ravel()[1::2], m.ravel()[::2]),
        "2-D C": lambda: (m, m * 2, m - 1),
        "broadcast row": lambda: (m, m[0], m - 1),
        "reversed": lambda: (m.ravel()[::-1], m.ravel(), m.ravel()[::-1]),
    }[layout]()
    serial, _ = SERIAL["transcendental"]
    expected = serial(a, b, c)
    with num_threads(1):
        alone = parallel(a, b, c)
    with num_threads(2):
        shared = parallel(a, b, c)
    np.testing.assert_array_equal(shared, alone)
    assert_within_ulps(shared, expected)
    assert_same(expected, transcendental(a, b, c), rtol=1e-12, atol=1e-13)


@njit(parallel=True)
def integer_power(a, b):
    return a ** b


def test_an_element_that_raises_raises_from_the_pool():
    a = np.full(2**16, 3, np.int64)
    b = np.ones(2**16, np.int64)
    b[40_000] = -1
    with pytest.raises(ValueError):
        integer_power.py_func(a, b)
    with pytest.raises(ValueError, match="negative"):
        integer_power(a, b)
    b[40_000] = 2
    np.testing.assert_array_equal(integer_power(a, b), a ** b)


@njit(parallel=True)
def expression_inside_prange(rows):
    out = np.empty_like(rows)
    for i in prange(rows.shape[0]):
        out[i] = np.sin(rows[i]) * 2.0 + rows[i]
    return out


def test_an_expression_inside_prange_stays_in_its_thread():
    rows = np.random.default_rng(1).standard_normal((8, 2**15))
    check_threads(expression_inside_prange, rows, rtol=1e-12)


def test_parallel_diagnostics_name_the_shared_expression(capsys):
    _, parallel = SERIAL["transcendental"]
    parallel(*operands(2**15, np.float64))
    parallel.parallel_diagnostics()
    assert "array expression runs in parallel" in capsys.readouterr().out


# Global arrays are compile-time constants (as in Numba): their headers are
# LLVM constants, whose elements the chunks must still read.
GLOBAL_ROW = np.linspace(-1.0, 1.0, 2**15)
GLOBAL_GRID = np.arange(300 * 200, dtype=np.float64).reshape(300, 200) / 7.0


def with_global_row(a):
    return np.exp(a) * GLOBAL_ROW + 1.0


def with_global_grid(m):
    return m.T * 2.0 - GLOBAL_GRID


@pytest.mark.parametrize("f, shape", [(with_global_row, (2**15,)), (with_global_grid, (200, 300))],
                         ids=["flat", "rows"])
def test_global_arrays_in_a_shared_expression(f, shape):
    serial, parallel = serial_and_parallel(f)
    a = np.random.default_rng(8).standard_normal(shape)
    expected = serial(a)
    for threads in (1, 2):
        with num_threads(threads):
            np.testing.assert_array_equal(parallel(a), expected)
    assert_same(expected, f(a), rtol=1e-12, atol=1e-12)


def outer_product(x, y):
    return np.exp(x[:, None]) * y[None, :] - x.reshape(x.size, 1)


@pytest.mark.parametrize("n, m", [(1, 40_000), (2, 3), (300, 200), (1000, 77)])
def test_c_contiguous_operands_that_broadcast_at_run_time_are_shared_by_rows(n, m, capsys):
    serial, parallel = serial_and_parallel(outer_product)
    rng = np.random.default_rng(n)
    x, y = rng.standard_normal(n), rng.standard_normal(m)
    expected = serial(x, y)
    for threads in (1, 2):
        with num_threads(threads):
            np.testing.assert_array_equal(parallel(x, y), expected)
    assert_same(expected, outer_product(x, y), rtol=1e-12, atol=1e-12)
    parallel.parallel_diagnostics()
    assert "runs in parallel by rows" in capsys.readouterr().out
