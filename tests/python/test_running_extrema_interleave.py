"""Float max/min reductions after the eight-way interleave of
codegen/running_extrema.cpp: one vector iteration now takes 64 doubles (128
floats), so sizes around those steps, and a NaN or an infinity in the vector
body, in its last lanes or in the scalar remainder, are compared with NumPy."""
import numpy as np
import pytest

import numjit


@numjit.njit
def whole_max(x):
    return x.max()


@numjit.njit
def whole_min(x):
    return np.min(x)


@numjit.njit
def nan_max(x):
    return np.nanmax(x)


@numjit.njit
def nan_min(x):
    return np.nanmin(x)


@numjit.njit
def running_max_loop(x):
    best = -np.inf
    for v in x:
        best = max(best, v)
    return best


REDUCTIONS = [(whole_max, np.max), (whole_min, np.min), (nan_max, np.nanmax), (nan_min, np.nanmin)]
SIZES = [1, 7, 63, 64, 65, 127, 128, 129, 200, 1000, 4099]


def same(got, want):
    return (np.isnan(got) and np.isnan(want)) or got == want


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("compiled, reference", REDUCTIONS)
def test_every_position_of_the_extreme(compiled, reference, size, dtype):
    rng = np.random.default_rng(size)
    x = rng.standard_normal(size).astype(dtype)
    for where in sorted({0, size // 2, size - 1, max(size - 64, 0)}):
        y = x.copy()
        y[where] = 1e30 if reference in (np.max, np.nanmax) else -1e30
        assert same(compiled(y), reference(y))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("compiled, reference", REDUCTIONS)
def test_a_nan_or_infinity_anywhere(compiled, reference, size, dtype):
    x = np.linspace(-3, 3, size).astype(dtype)
    for special in (np.nan, np.inf, -np.inf):
        for where in sorted({0, size // 3, size - 1}):
            y = x.copy()
            y[where] = special
            assert same(compiled(y), reference(y)), (special, where)
    all_nan = np.full(size, np.nan, dtype)
    if reference in (np.nanmax, np.nanmin):
        with pytest.warns(RuntimeWarning):
            want = reference(all_nan)
    else:
        want = reference(all_nan)
    assert same(compiled(all_nan), want)


@pytest.mark.parametrize("layout", ["C", "reversed", "strided", "F"])
def test_layouts(layout):
    base = np.random.default_rng(3).standard_normal((67, 45))
    views = {"C": base, "reversed": base[::-1, ::-1], "strided": base[::2, ::3], "F": np.asfortranarray(base)}
    x = views[layout]
    for compiled, reference in REDUCTIONS:
        assert same(compiled(x), reference(x))
    y = x.copy()
    y[5, 7] = np.nan
    for compiled, reference in REDUCTIONS:
        assert same(compiled(y), reference(y))


@pytest.mark.parametrize("size", SIZES)
def test_a_running_max_written_as_a_loop(size):
    x = np.random.default_rng(size).standard_normal(size)
    assert running_max_loop(x) == running_max_loop.py_func(x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("size", [3, 64, 129, 4099, 2**16 + 3])
@pytest.mark.parametrize("parallel", [False, True])
def test_a_nan_stays_the_result_whatever_follows_it(size, dtype, parallel):
    # np.max/np.min keep a NaN through llvm.maximum/minimum: the running value
    # is NaN from then on, and neither an infinity of the reduction's own sign
    # nor a chunk's partial merged after it may replace it (parallel=True shares
    # from 2**14 elements).
    reductions = [(whole_max, np.max), (whole_min, np.min)]
    if parallel:
        reductions = [(numjit.njit(parallel=True)(f.py_func), reference) for f, reference in reductions]
    for where in sorted({p for p in (0, 1, size // 2, size - 600, size - 2) if 0 <= p < size - 1}):
        x = np.linspace(-5, 5, size).astype(dtype)
        x[where] = np.nan
        x[where + 1:] = np.inf if where % 2 == 0 else -np.inf
        x[-1] = 1e30
        for compiled, reference in reductions:
            got, want = compiled(x), reference(x)
            assert np.isnan(want) and np.isnan(got), (compiled, where)
