"""parallel=True shares slice assignments among the threads, as Numba's
parfors do (`out[:] = np.sqrt(a * a + b * b)`, `u[1:-1, 1:-1] = ...`,
`out[...] += x`), from 2**14 elements, when the value does not overlap the
target (an overlapping value is copied first, as NumPy does). When the target
and every array are C-contiguous with one shape, chunks are blocks of flat
positions starting on multiples of 512 elements; otherwise, from rank 2, they
are rows of the first axis, each row's loop the serial one. Either way every
element takes the serial loop's path, so the result is the serial function's
bit for bit, whatever the thread count. 1-D strided targets stay serial."""
import numpy as np
import pytest

from conftest import assert_same, dtype_id, num_threads
from numjit import njit

SIZES = [1, 1000, 2**14 - 1, 2**14, 2**14 + 3, 100_003, 2**18]


def whole(out, a, b):
    out[:] = a * b + 2 * a
    return out


def interior(out, a, b):
    out[1:-1] = a[2:] - a[:-2] + b[1:-1]
    return out


def ellipsis_augmented(out, a, b):
    out[...] += a * 3
    out[:] -= b
    return out


def scalar_fill(out, a, b):
    out[:] = 7
    out[: a.shape[0] // 2] = 1
    return out


def transcendental(out, a, b):
    out[:] = np.exp(-0.5 * a * a) * np.cos(b)
    return out


def overlapping(out, a, b):
    a[1:] = a[:-1] * 2 + b[1:]
    return a


def two_dimensional(out, a, b):
    m = out.reshape(2, out.shape[0] // 2)
    m[...] = a.reshape(2, a.shape[0] // 2) - b.reshape(2, b.shape[0] // 2)
    return out


FUNCTIONS = [whole, interior, ellipsis_augmented, scalar_fill, transcendental, overlapping, two_dimensional]
COMPILED = {f.__name__: (njit(f), njit(parallel=True)(f)) for f in FUNCTIONS}


def operands(n, dtype):
    rng = np.random.default_rng(n)
    kind = np.dtype(dtype).kind
    if kind == "c":
        return [(rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype) for _ in range(3)]
    if kind in "iu":
        return [rng.integers(-100, 100, n).astype(dtype) for _ in range(3)]
    return [rng.standard_normal(n).astype(dtype) for _ in range(3)]


def applicable(f, dtype, n):
    if f is transcendental and np.dtype(dtype).kind in "iu":
        return False
    if f is two_dimensional and n % 2:
        return False
    return True


CASES = [(f, d, n) for f in FUNCTIONS for d in [np.float64, np.float32, np.int64, np.int32, np.complex128]
         for n in SIZES if applicable(f, d, n)]


@pytest.mark.parametrize("f, dtype, n", CASES, ids=lambda v: getattr(v, "__name__", None) or dtype_id(v)
                         if not isinstance(v, int) else str(v))
def test_shared_assignment_is_the_serial_one_bit_for_bit(f, dtype, n):
    serial, parallel = COMPILED[f.__name__]
    out, a, b = operands(n, dtype)
    expected = serial(out.copy(), a.copy(), b.copy())
    for threads in (1, 2):
        with num_threads(threads):
            got = parallel(out.copy(), a.copy(), b.copy())
        np.testing.assert_array_equal(got, expected)
    with np.errstate(all="ignore"):
        python = f(out.copy(), a.copy(), b.copy())
    single = np.dtype(dtype) == np.float32
    assert_same(expected, python, rtol=1e-5 if single else 1e-12, atol=1e-5 if single else 1e-12)


def stencil(u, out):
    out[1:-1, 1:-1] = u[1:-1, 1:-1] + 0.1 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:]
                                              - 4 * u[1:-1, 1:-1])
    return out


def broadcast_rows(u, out):
    out[...] = np.exp(-u) * np.cos(u[0]) - u[:, :1]
    return out


def transposed_in_place(u, out):
    out.T[...] += u[::-1, ::2] * 2
    return out


ROW_FUNCTIONS = [stencil, broadcast_rows, transposed_in_place]
ROW_COMPILED = {f.__name__: (njit(f), njit(parallel=True)(f)) for f in ROW_FUNCTIONS}


@pytest.mark.parametrize("f", ROW_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(2, 3), (3, 40_000), (130, 130), (1000, 257), (40_000, 3)], ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128], ids=dtype_id)
def test_rows_of_strided_and_broadcast_operands_are_shared_bit_for_bit(f, shape, dtype):
    serial, parallel = ROW_COMPILED[f.__name__]
    rng = np.random.default_rng(shape[0])
    u = rng.standard_normal(shape).astype(dtype)
    if f is transposed_in_place:
        u = rng.standard_normal((shape[0], 2 * shape[1])).astype(dtype)
        out = np.zeros((shape[1], shape[0]), dtype)
    else:
        out = np.zeros(shape, dtype)
    expected = serial(u, out.copy())
    for threads in (1, 2):
        with num_threads(threads):
            np.testing.assert_array_equal(parallel(u, out.copy()), expected)
    single = np.dtype(dtype) == np.float32
    assert_same(expected, f(u, out.copy()), rtol=1e-5 if single else 1e-12, atol=1e-5 if single else 1e-12)


def test_parallel_diagnostics_say_rows(capsys):
    parallel = njit(parallel=True)(stencil)
    u = np.random.default_rng(0).standard_normal((300, 300))
    parallel(u, np.zeros_like(u))
    parallel.parallel_diagnostics()
    assert "array expression runs in parallel by rows" in capsys.readouterr().out


@pytest.mark.parametrize("layout", ["strided target", "strided value", "F", "broadcast value"])
def test_other_layouts_agree_with_the_serial_loop_bit_for_bit(layout):
    rng = np.random.default_rng(9)
    n = 2**16

    def assign(out, a):
        out[...] = a * 2.0 + 1.0
        return out

    serial, parallel = njit(assign), njit(parallel=True)(assign)
    out, a = {
        "strided target": lambda: (np.zeros(2 * n)[::2], rng.standard_normal(n)),
        "strided value": lambda: (np.zeros(n), rng.standard_normal(2 * n)[::2]),
        "F": lambda: (np.zeros((256, 256), order="F"), np.asfortranarray(rng.standard_normal((256, 256)))),
        "broadcast value": lambda: (np.zeros((256, 256)), rng.standard_normal(256)),
    }[layout]()
    expected = assign(out.copy(), a)
    with num_threads(2):
        np.testing.assert_array_equal(parallel(out.copy(), a), expected)
    np.testing.assert_array_equal(serial(out.copy(), a), expected)


@njit(parallel=True)
def assign_integer_powers(out, a, b):
    out[:] = a ** b
    return out


def test_an_element_that_raises_raises_from_the_pool():
    a = np.full(2**16, 3, np.int64)
    b = np.ones(2**16, np.int64)
    b[50_000] = -1
    out = np.zeros_like(a)
    with pytest.raises(ValueError):
        assign_integer_powers.py_func(out, a, b)
    with pytest.raises(ValueError, match="negative"):
        assign_integer_powers(out, a, b)


def test_a_shape_mismatch_raises_numpys_error():
    _, parallel = COMPILED["whole"]
    out, a, b = operands(2**15, np.float64)
    with pytest.raises(ValueError):
        parallel.py_func(out, a, b[:-1])
    with pytest.raises(ValueError):
        parallel(out, a, b[:-1])


def test_parallel_diagnostics_name_the_shared_assignment(capsys):
    parallel = njit(parallel=True)(interior)  # one overload only
    parallel(*operands(2**15, np.float64))
    parallel.parallel_diagnostics()
    report = capsys.readouterr().out
    assert "array expression runs in parallel" in report
    lines = [line for line in report.splitlines() if "runs in parallel" in line]
    assert len(lines) == len(set(lines))
