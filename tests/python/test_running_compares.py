"""A running maximum or minimum kept by a Python compare (`if v > best: best = v`,
`best = max(best, v)`, their min forms), which codegen/exact_running_extrema.cpp
vectorizes: the first copy of the loop keeps llvm.maximum, and a second copy runs
the original loop again where the extreme is a zero. Every answer must be
Python's to the bit: a NaN element is skipped, a NaN start stays, and of two
equal zeros the first one met stays. A position set beside the extreme
(`if v > best: best = v; k = i`) is found by a third copy, which looks for the
first element equal to the extreme; it must be Python's position too."""
import math

import numpy as np
import pytest

import numjit


def if_greater(x):
    best = -np.inf
    for v in x:
        if v > best:
            best = v
    return best


def builtin_max(x):
    best = -np.inf
    for v in x:
        best = max(best, v)
    return best


def builtin_min(x):
    best = np.inf
    for v in x:
        best = min(best, v)
    return best


def from_the_first(x):
    lo = x[0]
    hi = x[0]
    for i in range(1, len(x)):
        if x[i] < lo:
            lo = x[i]
        if x[i] > hi:
            hi = x[i]
    return lo, hi


def largest_difference(x):
    best = 0.0
    for i in range(len(x) - 1):
        d = abs(x[i + 1] - x[i])
        if d > best:
            best = d
    return best


def argmax_from_the_first(x):
    best = x[0]
    k = 0
    for i in range(1, len(x)):
        if x[i] > best:
            best = x[i]
            k = i
    return k


def argmin_with_value(x):
    best = np.inf
    k = -1
    for i in range(len(x)):
        v = x[i]
        if v < best:
            best = v
            k = i
    return k, best


def enumerate_argmax(x):
    best = -np.inf
    where = -1
    for i, v in enumerate(x):
        if v > best:
            best = v
            where = i
    return where


def last_to_first(x):
    # The position falls: the first element met is the last one.
    best = -np.inf
    k = -1
    for i in range(len(x) - 1, -1, -1):
        if x[i] > best:
            best = x[i]
            k = i
    return k, best


def both_positions(x):
    lo, hi = np.inf, -np.inf
    ilo = ihi = -1
    for i in range(len(x)):
        if x[i] < lo:
            lo = x[i]
            ilo = i
        if x[i] > hi:
            hi = x[i]
            ihi = i
    return ilo, ihi, lo, hi


def position_after(x):
    best = -np.inf
    k = 0
    for i in range(len(x)):
        if x[i] > best:
            best = x[i]
            k = i + 1
    return k


def records(x):
    # A count of new maxima is not a position: the loop stays as written.
    best = -np.inf
    k = count = 0
    for i in range(len(x)):
        if x[i] > best:
            best = x[i]
            k = i
            count += 1
    return k, count


FUNCTIONS = [if_greater, builtin_max, builtin_min, from_the_first, largest_difference, argmax_from_the_first,
             argmin_with_value, enumerate_argmax, last_to_first, both_positions, position_after, records]
MINIMA = {builtin_min, argmin_with_value}
COMPILED = {f.__name__: numjit.njit(f) for f in FUNCTIONS}
SIZES = [1, 2, 7, 63, 64, 65, 129, 1000, 4099]


def bits(result):
    """A result as comparable bits: NaN as NaN, each zero with its sign."""
    values = result if isinstance(result, tuple) else (result,)
    return tuple("nan" if np.isnan(v) else (float(v), bool(np.signbit(v))) for v in values)


def check(f, x):
    assert bits(COMPILED[f.__name__](x)) == bits(f(x)), (f.__name__, x.dtype, x[:10])


def arrays(size, dtype, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(size).astype(dtype)
    yield x
    yield -np.abs(x)  # the maximum is at most zero
    for special in (np.nan, np.inf, -np.inf, 0.0, -0.0):
        for where in sorted({0, size // 3, size - 1}):
            y = -np.abs(x)
            y[where] = special
            yield y
    yield np.full(size, np.nan, dtype)
    yield np.zeros(size, dtype)
    yield -np.zeros(size, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_the_answer_is_pythons_to_the_bit(f, size, dtype):
    for x in arrays(size, dtype, seed=size):
        check(f, x)


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("first, second", [(-0.0, 0.0), (0.0, -0.0)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_of_two_zeros_the_first_one_met_stays(f, first, second, dtype):
    # The vectorized copy cannot tell the zeros' order apart; the second copy can.
    for size in (5, 300):
        for gap in (1, 70):
            x = np.full(size, 3.0 if f in MINIMA else -3.0, dtype)
            a = size // 4
            b = min(a + gap, size - 1)
            x[a], x[b] = first, second
            check(f, x)


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_a_nan_start_stays_and_nan_elements_are_skipped(f):
    x = np.linspace(-2, 2, 301)
    x[0] = np.nan  # from_the_first starts from it; the others skip it
    check(f, x)
    x[150:160] = np.nan
    check(f, x)


@pytest.mark.parametrize("layout", ["reversed", "strided", "column", "readonly"])
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_layouts(f, layout):
    base = np.random.default_rng(5).standard_normal((130, 7))
    views = {"reversed": base[::-1, 0], "strided": base[::3, 1], "column": base[:, 2],
             "readonly": np.array(base[:, 3])}
    x = views[layout]
    if layout == "readonly":
        x.setflags(write=False)
    check(f, x)
    y = -np.abs(x.copy())
    y[4], y[9] = -0.0, 0.0
    check(f, y)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
@pytest.mark.parametrize("f", [if_greater, builtin_max, from_the_first, argmax_from_the_first, both_positions],
                         ids=lambda f: f.__name__)
def test_integers_take_the_vectorizers_own_path(f, dtype):
    x = np.random.default_rng(2).integers(0, 100, 1001).astype(dtype)
    assert COMPILED[f.__name__](x) == f(x)


def test_a_loop_with_a_store_is_not_run_twice():
    # Side effects keep a loop as it is: it must store each element once.
    @numjit.njit
    def running_max_and_count(x, out):
        best = -np.inf
        for i in range(len(x)):
            out[0] += 1.0
            if x[i] > best:
                best = x[i]
        return best

    x = -np.abs(np.random.default_rng(3).standard_normal(500))
    x[7] = -0.0
    x[9] = 0.0
    out = np.zeros(1)
    got = running_max_and_count(x, out)
    assert bits(got) == bits(running_max_and_count.py_func(x, np.zeros(1)))
    assert out[0] == 500.0


def row_maxima(a):
    out = np.empty(a.shape[0])
    for i in numjit.prange(a.shape[0]):
        best = -np.inf
        for j in range(a.shape[1]):
            if a[i, j] > best:
                best = a[i, j]
        out[i] = best
    return out


def column_maxima(a):
    out = np.empty(a.shape[1])
    for j in range(a.shape[1]):
        best = -np.inf
        for i in range(a.shape[0]):
            best = max(best, a[i, j])
        out[j] = best
    return out


@pytest.mark.parametrize("f, parallel", [(row_maxima, True), (row_maxima, False), (column_maxima, False)],
                         ids=["rows_prange", "rows", "columns"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rows_and_columns_of_a_matrix(f, parallel, dtype):
    a = -np.abs(np.random.default_rng(4).standard_normal((300, 130))).astype(dtype)
    a[5, 3], a[5, 100] = -0.0, 0.0  # row 5: -0.0 first
    a[6, 3], a[6, 100] = 0.0, -0.0  # row 6: +0.0 first
    a[7, 0] = np.nan
    a[9, :] = np.nan
    compiled = numjit.njit(parallel=parallel)(f)
    got, want = compiled(a), f(a)
    assert [bits(v) for v in got] == [bits(v) for v in want]


def int_argmin_from_the_first(x):
    best = x[0]
    k = 0
    for i in range(1, len(x)):
        if x[i] < best:
            best = x[i]
            k = i
    return k, best


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.uint32, np.int64, np.uint64])
@pytest.mark.parametrize("order", ["random", "rising", "falling", "equal", "limits"])
def test_integer_positions_taken_by_a_branch(dtype, order):
    # Integer argmax loops run as a branch (codegen/predicted_running_compares.h);
    # rising data take every element, equal data none.
    info = np.iinfo(dtype)
    rng = np.random.default_rng(8)
    n = 1001
    x = {"random": rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True),
         "rising": np.linspace(info.min // 2, info.max // 2, n).astype(dtype),
         "falling": np.linspace(info.max // 2, info.min // 2, n).astype(dtype),
         "equal": np.full(n, 3, dtype),
         "limits": np.resize(np.array([info.min, info.max, 0, info.max, info.min], dtype), n)}[order]
    for f in (argmax_from_the_first, int_argmin_from_the_first):
        compiled = numjit.njit(f)
        for view in (x, x[::-1], x[::3], x[:7]):
            assert compiled(view) == f(view), (f.__name__, view[:8])


def argmax_of_sines(x):
    best = -np.inf
    k = -1
    for i in range(len(x)):
        v = math.sin(x[i])
        if v > best:
            best = v
            k = i
    return k, best


@pytest.mark.parametrize("n", [7, 64, 1001])
def test_a_position_beside_a_math_function(n):
    # Equal inputs tie; sin's vectorized and scalar roundings must not make a
    # second copy miss the extreme the first found (such loops stay scalar).
    x = np.random.default_rng(n).integers(-20, 20, n).astype(np.float64)
    compiled = numjit.njit(argmax_of_sines)
    assert compiled(x) == argmax_of_sines(x)
