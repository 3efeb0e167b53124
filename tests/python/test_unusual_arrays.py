"""Any NumPy array Numba takes: unaligned, read-only, and views of buffers.

Dask hands some chunks to workers as views of byte buffers whose address is
not a multiple of the element size; numjit compiles a byte-aligned variant for
them. Each case runs under lazy and eager signatures and as ufunc input.
"""
import mmap

import numpy as np
import pytest

import numjit
from numjit import guvectorize, njit, prange, vectorize

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.int16, np.complex128, np.uint8]


def unaligned(values, writeable=True, offset=1):
    """A copy of values whose data starts `offset` bytes past an aligned address."""
    values = np.ascontiguousarray(values)
    raw = bytes(offset) + values.tobytes()
    buffer = bytearray(raw) if writeable else raw
    out = np.frombuffer(buffer, dtype=values.dtype, offset=offset).reshape(values.shape)
    assert out.flags.aligned == (values.dtype.alignment == 1 or offset % values.dtype.alignment == 0)
    return out


def sample(dtype, shape):
    rng = np.random.default_rng(7)
    values = rng.uniform(-50, 50, size=shape)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.uniform(-5, 5, size=shape)
    if np.dtype(dtype).kind == "u":
        values = np.abs(values)
    return values.astype(dtype)


@njit
def weighted_total(x):
    s = 0
    for i in range(x.shape[0]):
        s += x[i] * (i % 3)
    return s


@njit
def double_into(x, out):
    for i in range(x.shape[0]):
        out[i] = x[i] * 2


@njit
def grid_total(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j].real * (i + 1) - j
    return s


@njit
def whole_array(a):
    return (a * 2 + 1).sum(), a.max(), np.sort(a)[::-1].copy()


@njit(parallel=True)
def parallel_scale(a, out):
    for i in prange(a.shape[0]):
        out[i] = a[i] * 3


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", [1, 7, 64, 1001])
def test_unaligned_arrays_lazy(dtype, size):
    values = sample(dtype, size)
    u = unaligned(values)
    # The same answer as the aligned array's code, and as Python's within
    # float32 rounding (compiled code sums float32 * int64 in float64, as Numba).
    assert weighted_total(u) == weighted_total(values)
    wide = {"c": np.complex128, "f": np.float64}.get(np.dtype(dtype).kind, np.int64)
    assert weighted_total(u) == pytest.approx(weighted_total.py_func(values.astype(wide)), rel=1e-5)
    out = unaligned(np.zeros(size, dtype))
    double_into(u, out)
    np.testing.assert_array_equal(out, values * 2)
    assert out.base is not None  # written in place, through the buffer
    kinds = {str(sig[0]).startswith("unaligned") for sig in weighted_total.signatures}
    assert kinds == {True, False}  # aligned arrays keep their own code


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_whole_array_operations_on_unaligned_arrays(dtype):
    values = sample(dtype, 333)
    total, largest, ordered = whole_array(unaligned(values))
    expected = whole_array.py_func(values)
    assert total == whole_array(values)[0]  # the aligned code's summation order
    assert total == pytest.approx(expected[0], rel=1e-5) and largest == expected[1]
    np.testing.assert_array_equal(ordered, expected[2])


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.int32])
@pytest.mark.parametrize("layout", ["C", "F", "A"])
def test_unaligned_2d_arrays_in_every_layout(dtype, layout):
    values = sample(dtype, (9, 14))
    u = unaligned(values)
    view = {"C": u, "F": u.T, "A": u[::2, 1::3]}[layout]
    expected_view = {"C": values, "F": values.T, "A": values[::2, 1::3]}[layout]
    assert not view.flags.aligned
    assert grid_total(view) == pytest.approx(grid_total.py_func(expected_view), rel=1e-12)


def test_read_only_unaligned_arrays_are_read_and_not_written():
    values = sample(np.float64, 50)
    u = unaligned(values, writeable=False)
    assert not u.flags.writeable
    assert weighted_total(u) == weighted_total.py_func(values)
    from numjit.errors import TypingError

    with pytest.raises(TypingError, match="read-only"):
        double_into(values, u)


def test_the_unaligned_variant_uses_byte_alignment_and_only_for_unaligned_arrays():
    @njit
    def first(x):
        return x[0]

    values = np.arange(4.0)
    assert first(unaligned(values)) == 0.0 and first(values) == 0.0
    kinds = {str(sig[0]) for sig in first.signatures}
    assert kinds == {"unaligned array(float64, 1d, C)", "array(float64, 1d, C)"}
    llvm = first.inspect_llvm()
    by_kind = {str(sig[0]): text for sig, text in llvm.items()}
    assert "align 1" in by_kind["unaligned array(float64, 1d, C)"]
    assert not any(line.strip().startswith("%") and "load double" in line and "align 1" in line
                   for line in by_kind["array(float64, 1d, C)"].splitlines())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_unaligned_arrays_with_eager_signatures(dtype):
    name = np.dtype(dtype).name

    @njit([f"{name}({name}[:])", f"void({name}[:], {name}[:])"])
    def eager(x, out=None):
        return x.sum()

    @njit(f"void({name}[:], {name}[:])")
    def eager_double(x, out):
        for i in range(x.shape[0]):
            out[i] = x[i] * 2

    values = sample(dtype, 101)
    u = unaligned(values)
    out = unaligned(np.zeros(101, dtype))
    eager_double(u, out)
    np.testing.assert_array_equal(out, values * 2)
    assert len(eager_double.signatures) == 2  # the declared one and its byte-aligned variant
    eager_double(values, out)  # aligned input, unaligned output: the variant again
    np.testing.assert_array_equal(out, values * 2)


def test_unaligned_arrays_in_parallel_loops():
    values = sample(np.float64, 10_000)
    out = unaligned(np.zeros(10_000))
    parallel_scale(unaligned(values), out)
    np.testing.assert_array_equal(out, values * 3)


@vectorize(["float64(float64, float64)", "float32(float32, float32)", "int64(int64, int64)"])
def eager_mix(a, b):
    return a * 2 - b


@vectorize
def lazy_mix(a, b):
    return a * 2 - b


@vectorize(["float64(float64, float64)"], target="parallel")
def parallel_mix(a, b):
    return a * 2 - b


@guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
def running_total(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s


@pytest.mark.parametrize("ufunc", [eager_mix, lazy_mix, parallel_mix])
@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_ufuncs_take_unaligned_inputs_and_outputs(ufunc, dtype):
    if ufunc is parallel_mix and dtype is np.int64:
        dtype = np.float64
    a, b = sample(dtype, 257), sample(dtype, 257)
    expected = a * 2 - b
    np.testing.assert_array_equal(ufunc(unaligned(a), unaligned(b, offset=3)), expected)
    out = unaligned(np.zeros(257, dtype))
    ufunc(unaligned(a), b, out=out)
    np.testing.assert_array_equal(out, expected)


def test_gufuncs_take_unaligned_inputs_and_outputs():
    values = sample(np.float64, (5, 12))
    np.testing.assert_allclose(running_total(unaligned(values)), np.cumsum(values, axis=1), rtol=1e-12)
    out = unaligned(np.zeros((5, 12)))
    running_total(unaligned(values), out)
    np.testing.assert_allclose(out, np.cumsum(values, axis=1), rtol=1e-12)


def test_views_of_buffers_memoryviews_and_mmaps(tmp_path):
    values = sample(np.float64, 100)
    from_memoryview = np.asarray(memoryview(bytearray(values.tobytes())).cast("d"))
    assert weighted_total(from_memoryview) == weighted_total.py_func(values)
    path = tmp_path / "data.bin"
    path.write_bytes(b"\0" * 3 + values.tobytes())
    with open(path, "r+b") as f, mmap.mmap(f.fileno(), 0) as mapped:
        view = np.frombuffer(mapped, dtype=np.float64, offset=3)
        assert not view.flags.aligned
        assert weighted_total(view) == weighted_total.py_func(values)
        out = np.frombuffer(mapped, dtype=np.float64, offset=3)
        double_into(view.copy(), out)
        np.testing.assert_array_equal(out, values * 2)
        del view, out
    read_only = values.copy()
    read_only.flags.writeable = False
    assert weighted_total(read_only) == weighted_total.py_func(values)


@njit
def tuple_total(pair):
    return pair[0].sum() + 2 * pair[1].sum()


@pytest.mark.parametrize("first_unaligned", [True, False])
def test_tuples_holding_unaligned_arrays(first_unaligned):
    a, b = sample(np.float64, 31), sample(np.float64, 12)
    pair = (unaligned(a) if first_unaligned else a, unaligned(b, offset=5))
    assert tuple_total(pair) == pytest.approx(tuple_total.py_func((a, b)), rel=1e-12)
    assert tuple_total((a, b)) == pytest.approx(tuple_total.py_func((a, b)), rel=1e-12)


def test_lists_of_unaligned_arrays_are_refused_cleanly():
    # Reflected lists unbox item by item against the compiled item code; an
    # unaligned item is refused with a TypeError rather than read misaligned.
    u = unaligned(sample(np.float64, 8))
    with pytest.raises(TypeError, match="list item 0"):
        lists_total([u, u])
    assert lists_total([np.ones(3), np.ones(2)]) == 5.0  # the function stays usable


@njit
def lists_total(arrays):
    s = 0.0
    for x in arrays:
        s += x.sum()
    return s


@njit
def _square_raveled_in_place(a):
    flat = a.ravel()
    np.multiply(flat, flat, flat)
    return flat


@pytest.mark.parametrize("n", [0, 3])
def test_ravel_of_a_read_only_array_is_read_only(n):
    # A view of read-only memory: writing through it is refused while typing
    # (NumPy refuses at run time), never done silently.
    a = np.arange(n, dtype=np.int16)
    a.setflags(write=False)
    with pytest.raises(ValueError):
        _square_raveled_in_place.py_func(a)
    with pytest.raises(numjit.errors.TypingError):
        _square_raveled_in_place(a)
    np.testing.assert_array_equal(a, np.arange(n, dtype=np.int16))
