"""Shared helpers for the end-to-end tests.

Every test runs a jitted function and compares it with the same function run
as plain Python (``f.py_func``), with NumPy, or with a known value. The helpers
live here as plain functions (``from conftest import check``) so each test file
stays about its own feature.
"""
import contextlib
import os

import numpy as np
import pytest

# Every compile in the tests checks its HIR between stages (hir/verify.h);
# set before numjit is imported, and inherited by the processes tests start.
os.environ.setdefault("NUMJIT_DEBUG", "verify")

BOOL_DTYPES = [np.bool_]
SIGNED_DTYPES = [np.int8, np.int16, np.int32, np.int64]
UNSIGNED_DTYPES = [np.uint8, np.uint16, np.uint32, np.uint64]
INT_DTYPES = SIGNED_DTYPES + UNSIGNED_DTYPES
FLOAT_DTYPES = [np.float32, np.float64]
COMPLEX_DTYPES = [np.complex64, np.complex128]
NUMERIC_DTYPES = INT_DTYPES + FLOAT_DTYPES + COMPLEX_DTYPES
ALL_DTYPES = BOOL_DTYPES + NUMERIC_DTYPES

SIZES = [0, 1, 7, 1000]
#: How an array argument is laid out in memory (see make_array).
LAYOUTS = ["C", "F", "strided", "transposed"]

#: Relative tolerance when single precision takes part (NumPy 2 keeps float32
#: where Numba's unification widens to float64, so results differ by rounding).
RTOL_SINGLE = 2e-5
#: Relative tolerance in double precision: libm and vector math differ by an ulp.
RTOL_DOUBLE = 1e-12


def _kind(value):
    """'b', 'i' (signed or unsigned), 'f', 'c', or 'O' (None and other objects)."""
    if value is None:
        return "O"
    kind = np.asarray(value).dtype.kind
    return "i" if kind == "u" else kind


def _is_single(value):
    if isinstance(value, (tuple, list)):
        return any(_is_single(v) for v in value)
    dtype = getattr(value, "dtype", None)
    return dtype is not None and dtype in (np.float32, np.complex64)


def default_rtol(*values):
    """RTOL_SINGLE if any value (array, scalar, tuple of them) is single precision."""
    return RTOL_SINGLE if any(_is_single(v) for v in values) else RTOL_DOUBLE


def assert_same(got, expected, rtol=RTOL_DOUBLE, atol=0.0, widen=False):
    """Asserts two results agree: same structure, same kind of number, close values.

    Integers and booleans must be equal exactly; floats and complex numbers
    within ``rtol``/``atol`` (NaNs and infinities must match). With ``widen``
    the compiled result may be of a wider kind (Numba unifies a variable
    assigned an int and a float to float, where Python keeps the int).
    """
    if isinstance(expected, tuple):
        assert isinstance(got, tuple), f"expected a tuple, got {got!r}"
        assert len(got) == len(expected), f"{got!r} != {expected!r}"
        for index, (g, e) in enumerate(zip(got, expected)):
            try:
                assert_same(g, e, rtol, atol, widen)
            except AssertionError as exc:
                raise AssertionError(f"at tuple index {index}: {exc}") from None
        return
    if expected is None or got is None:
        assert got is expected, f"{got!r} != {expected!r}"
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), f"expected an array, got {got!r}"
        assert got.shape == expected.shape
        assert got.dtype == expected.dtype, f"{got.dtype} != {expected.dtype}"
    else:
        order = "bifc"
        got_kind, expected_kind = _kind(got), _kind(expected)
        if widen:
            assert order.index(got_kind) >= order.index(expected_kind), f"{got!r} ({got_kind}) vs {expected!r}"
        else:
            assert got_kind == expected_kind, f"{got!r} is of kind {got_kind}, expected {expected!r} ({expected_kind})"
    if _kind(expected) in "bi" and _kind(got) in "bi":
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)


def _copy_for_python(value):
    if isinstance(value, np.ndarray):
        return value.copy(order="K")
    return value


def run_python(f, *args):
    """Runs ``f.py_func`` on copies of the array arguments: (result, exception, copies)."""
    copies = [_copy_for_python(a) for a in args]
    with np.errstate(all="ignore"):
        try:
            return f.py_func(*copies), None, copies
        except Exception as exc:  # compared with the compiled function's below
            return None, exc, copies


def check(f, *args, rtol=None, atol=0.0, widen=False):
    """Calls jitted ``f`` and ``f.py_func`` on the same arguments and compares.

    Compares the results (see assert_same), the raised exception's type if the
    Python version raises, and every array argument afterwards (so writes done
    by the function are checked too). Returns the compiled result.
    """
    expected, error, copies = run_python(f, *args)
    if rtol is None:
        rtol = default_rtol(*args)
    if error is not None:
        with pytest.raises(type(error)):
            f(*args)
        return None
    got = f(*args)
    assert_same(got, expected, rtol, atol, widen)
    for mine, theirs in zip(args, copies):
        if isinstance(mine, np.ndarray):
            assert_same(mine, theirs, rtol, atol)
    return got


def sample_values(dtype, n, seed=0):
    """``n`` values of ``dtype`` that are exact in every dtype (small integers),
    so sums and products of a few of them are exact too; complex values get an
    imaginary part, booleans alternate."""
    dtype = np.dtype(dtype)
    base = np.arange(n) % 7 + 1
    rng = np.random.default_rng(seed)
    base = rng.permutation(base) if n else base
    if dtype.kind == "b":
        return (base % 2).astype(dtype)
    if dtype.kind == "c":
        return (base + 1j * (base % 3)).astype(dtype)
    return base.astype(dtype)


def make_array(shape, dtype, layout="C", seed=0):
    """An array of ``shape`` and ``dtype`` (sample_values) laid out as asked:

    'C' C-contiguous, 'F' Fortran order, 'strided' every other element along
    the last axis (not contiguous), 'transposed' the transpose of a C array,
    'readonly' C-contiguous with writing disabled.
    """
    shape = tuple(shape)
    size = int(np.prod(shape))
    if layout == "strided":
        wide = shape[:-1] + (2 * shape[-1],) if shape else shape
        out = sample_values(dtype, int(np.prod(wide)), seed).reshape(wide)
        return out[..., ::2]
    values = sample_values(dtype, size, seed)
    if layout == "C":
        return values.reshape(shape)
    if layout == "F":
        return np.asfortranarray(values.reshape(shape))
    if layout == "transposed":
        return values.reshape(shape[::-1]).T
    if layout == "readonly":
        out = values.reshape(shape)
        out.setflags(write=False)
        return out
    raise ValueError(layout)


def random_floats(n, dtype=np.float64, low=-1.0, high=1.0, seed=0):
    """``n`` uniform random numbers in [low, high) of a float dtype."""
    return np.random.default_rng(seed).uniform(low, high, n).astype(dtype)


def csr_offsets(rows, nnz_per_row_max, seed=0, empty_every=3):
    """A CSR-style offsets array (int64, length rows+1), every ``empty_every``-th row empty."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, nnz_per_row_max + 1, rows)
    if empty_every:
        counts[::empty_every] = 0
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def dtype_id(dtype):
    """Readable parametrize ids for dtypes."""
    return np.dtype(dtype).name


@contextlib.contextmanager
def num_threads(n):
    """Runs the block with ``numjit.set_num_threads(n)``; restores the old count."""
    import numjit
    old = numjit.get_num_threads()
    numjit.set_num_threads(n)
    try:
        yield
    finally:
        numjit.set_num_threads(old)


def check_threads(f, *args, rtol=1e-10, widen=False):
    """Runs ``f.py_func`` once, then the parallel ``f`` under every thread count
    1..NUMBA_NUM_THREADS on fresh copies of the arguments; compares the results
    and the arrays written (see assert_same). Returns the expected result."""
    import numjit
    expected, error, after = run_python(f, *args)
    assert error is None, f"the Python version raised {error!r}"
    for n in range(1, numjit.config.NUMBA_NUM_THREADS + 1):
        mine = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        with num_threads(n):
            got = f(*mine)
        assert_same(got, expected, rtol, widen=widen)
        for m, e in zip(mine, after):
            if isinstance(m, np.ndarray):
                assert_same(m, e, rtol)
    return expected


def laid_out(m, layout):
    """``m``'s values in the memory layout asked for (the layouts of make_array, and 'reversed')."""
    m = np.asarray(m)
    if layout == "C":
        return np.ascontiguousarray(m)
    if layout == "F":
        return np.asfortranarray(m)
    if layout == "strided":
        wide = np.repeat(m, 2, axis=-1)
        return wide[..., ::2]
    if layout == "transposed":
        return np.ascontiguousarray(m.T).T
    if layout == "reversed":  # a negative stride along the first axis
        return np.ascontiguousarray(m[::-1])[::-1]
    raise ValueError(layout)


def tolerance(dtype):
    """assert_allclose's rtol and atol for results computed in ``dtype`` (loose for float32)."""
    return dict(rtol=2e-4, atol=2e-4) if np.dtype(dtype) == np.float32 else dict(rtol=1e-9, atol=1e-10)


def random_matrix(shape, dtype, seed=0):
    """Random values of ``shape``: small integers for an integer dtype, standard normal otherwise."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "i":
        return rng.integers(-5, 6, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def measure_blocks(f, *args, repeat=20):
    """(blocks allocated, blocks freed) by compiled code over ``repeat`` calls of
    ``f(*args)``, after one untimed call (numjit.runtime.allocation_stats)."""
    import gc

    from numjit.runtime import allocation_stats

    f(*args)
    gc.collect()
    before = allocation_stats()
    for _ in range(repeat):
        f(*args)
    gc.collect()
    after = allocation_stats()
    return after.alloc - before.alloc, after.free - before.free
