"""bytes values in compiled code (a read-only C-ordered uint8 array that goes
back to Python as bytes), np.frombuffer, a.tobytes(), a.ctypes.data, and
np.polynomial.Polynomial made, passed in, read, called and returned. Results
are compared with the same function run as plain Python (.py_func) or with
NumPy directly."""
import gc
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from numpy.polynomial import Polynomial

from numjit import njit
from numjit.errors import TypingError, UnsupportedError

from conftest import dtype_id

# ============================================================== bytes values

BYTES = {
    "empty": b"",
    "one": b"\x07",
    "text": b"hello, world",
    "all": bytes(range(256)),
    "reversed": bytes(range(255, -1, -1)),
    "zeros": bytes(9),
    "random": np.random.default_rng(3).integers(0, 256, 1000, dtype=np.uint8).tobytes(),
}
NONEMPTY = [name for name in BYTES if BYTES[name]]


@njit
def b_identity(b):
    return b


@njit
def b_with_one(b):
    return (b, 1)


@njit
def b_length(b):
    return len(b)


@njit
def b_reads(b, i):
    return b[i], b[-1], b[0], b[-i - 1]


@njit
def b_walk(b):
    total = 0
    odd = 0
    largest = -1
    at = -1
    position = 0
    for x in b:
        total += x
        if x % 2 == 1:
            odd += 1
        if x > largest:
            largest = x
            at = position
        position += 1
    return total, odd, largest, at


@njit
def b_hash(b):
    acc = 7
    for i in range(len(b)):
        acc = (acc * 31 + b[i]) % 1000003
    return acc


@njit
def b_sorted(b):
    return sorted(b)


@njit
def b_contains(x, b):
    return x in b, x not in b


@njit
def b_slices(b, i, j):
    return b[i:j], b[i:], b[:j]


@njit
def b_steps(b):
    return b[::2], b[::-1], b[1::3], b[-2::-2]


@njit
def b_slice_step(b, i, j, k):
    return b[i:j:k]


@njit
def b_slice_then_read(b):
    c = b[1:]
    n = len(c)
    total = 0
    for x in c:
        total += x
    return c, n, total


@njit
def b_choose(flag, a, b):
    c = a if flag else b
    return c


@njit
def b_write(b):
    b[0] = 1
    return b


@njit
def b_eq(a, b):
    return a == b


@njit
def b_ne(a, b):
    return a != b


@njit
def b_add(a, b):
    return a + b


@njit
def b_lt(a, b):
    return a < b


@njit
def b_repeat(a):
    return a * 2


@njit
def b_negate(a):
    return -a


@njit
def b_print(a):
    print(a)


def _same_bytes(got, expected):
    assert type(got) is bytes, type(got)
    assert got == expected


@pytest.mark.parametrize("name", list(BYTES))
def test_bytes_returned_unchanged_is_the_same_object(name):
    b = BYTES[name]
    got = b_identity(b)
    assert got is b
    pair = b_with_one(b)
    assert type(pair) is tuple and len(pair) == 2
    assert pair[0] is b
    assert pair[1] == 1 and type(pair[1]) is int
    assert pair == b_with_one.py_func(b)


@pytest.mark.parametrize("name", list(BYTES))
def test_bytes_len_iterate_sorted(name):
    b = BYTES[name]
    assert b_length(b) == b_length.py_func(b)
    assert b_walk(b) == b_walk.py_func(b)
    assert b_hash(b) == b_hash.py_func(b)
    got = b_sorted(b)
    assert isinstance(got, list)
    assert got == b_sorted.py_func(b)


@pytest.mark.parametrize("name", NONEMPTY)
def test_bytes_indexing(name):
    b = BYTES[name]
    for i in sorted({0, len(b) // 2, len(b) - 1}):
        got = b_reads(b, i)
        expected = b_reads.py_func(b, i)
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert g == e  # numpy uint8 in compiled code, int in Python


@pytest.mark.parametrize("name", list(BYTES))
@pytest.mark.parametrize("x", [0, 1, 7, 104, 128, 255])
def test_bytes_contains(name, x):
    b = BYTES[name]
    assert b_contains(x, b) == b_contains.py_func(x, b)


SLICE_BOUNDS = [(0, 0), (0, 5), (2, 9), (-4, 1000), (5, 2), (-1000, 3), (3, -3), (100, 300)]


@pytest.mark.parametrize("name", list(BYTES))
@pytest.mark.parametrize("i,j", SLICE_BOUNDS)
def test_bytes_slices(name, i, j):
    b = BYTES[name]
    got, expected = b_slices(b, i, j), b_slices.py_func(b, i, j)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        _same_bytes(g, e)


@pytest.mark.parametrize("name", list(BYTES))
def test_bytes_step_slices(name):
    b = BYTES[name]
    got, expected = b_steps(b), b_steps.py_func(b)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        _same_bytes(g, e)


@pytest.mark.parametrize("name", list(BYTES))
@pytest.mark.parametrize("i,j,k", [(0, 5, 1), (1, 100, 2), (-3, 1000, 1), (10, 2, -3), (5, 2, 1), (-1, -1000, -1),
                                   (3, 200, 7)])
def test_bytes_slice_with_step(name, i, j, k):
    b = BYTES[name]
    _same_bytes(b_slice_step(b, i, j, k), b_slice_step.py_func(b, i, j, k))


@pytest.mark.parametrize("name", NONEMPTY)
def test_bytes_slice_is_bytes_inside_compiled_code(name):
    b = BYTES[name]
    got, expected = b_slice_then_read(b), b_slice_then_read.py_func(b)
    _same_bytes(got[0], expected[0])
    assert got[1:] == expected[1:]


def test_bytes_slice_outlives_its_source():
    def fresh():
        return bytes(range(40, 104))

    got = b_slices(fresh(), 3, 50)
    gc.collect()
    junk = [bytes([9]) * 64 for _ in range(1000)]
    assert len(junk) == 1000
    expected = b_slices.py_func(fresh(), 3, 50)
    for g, e in zip(got, expected):
        _same_bytes(g, e)


@pytest.mark.parametrize("flag", [True, False])
def test_bytes_through_a_conditional(flag):
    a, b = b"first", b"second one"
    got = b_choose(flag, a, b)
    assert got is b_choose.py_func(flag, a, b)


def test_bytes_are_read_only():
    with pytest.raises(TypeError):
        b_write.py_func(b"ab")
    with pytest.raises(TypingError, match="read-only"):
        b_write(b"ab")


@pytest.mark.parametrize("f,args", [
    (b_eq, (b"ab", b"ab")), (b_eq, (b"ab", b"cd")), (b_ne, (b"ab", b"ab")), (b_add, (b"ab", b"cd")),
    (b_lt, (b"ab", b"b")), (b_repeat, (b"ab",)), (b_negate, (b"ab",)), (b_eq, (b"ab", 1)),
], ids=["eq-same", "eq-other", "ne", "add", "lt", "repeat", "negate", "eq-int"])
def test_bytes_operators_refused(f, args):
    with pytest.raises(UnsupportedError, match="bytes"):
        f(*args)


@pytest.mark.parametrize("b", [b"ab", b"", b"\x00\xff'q"])
def test_print_bytes_as_python(b, capsys):
    b_print(b)
    compiled = capsys.readouterr().out
    b_print.py_func(b)
    assert compiled == capsys.readouterr().out


# `x in b` where Python raises (a number outside range(256), a float) or looks
# for a subsequence (x bytes): compiled code must agree with Python or refuse;
# it must not answer differently.
@pytest.mark.parametrize("x,b", [(256, b"abc"), (-1, b"abc"), (97.0, b"abc"), (b"aX", b"ab"), (b"ab", b"cabd"),
                                 (b"", b"ab")],
                         ids=["256", "negative", "float", "bytes-not-sub", "bytes-sub", "empty-sub"])
def test_bytes_contains_like_python_or_refused(x, b):
    try:
        expected = b_contains.py_func(x, b)
    except (ValueError, TypeError) as exc:
        with pytest.raises((type(exc), TypingError)):
            b_contains(x, b)
        return
    try:
        got = b_contains(x, b)
    except TypingError:  # refusing at compile time is fine
        return
    assert got == expected


def test_tuple_holding_bytes_as_argument(tmp_path):
    # Run in a process of its own: this crashed the interpreter (SIGSEGV).
    script = textwrap.dedent("""
        from numjit import njit

        @njit
        def first_length(t):
            return len(t[0])

        print(first_length((b"ab", 1.0)))
    """)
    (tmp_path / "tuple_bytes.py").write_text(script)
    done = subprocess.run([sys.executable, "tuple_bytes.py"], capture_output=True, text=True, cwd=str(tmp_path),
                          env=dict(os.environ), timeout=300)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split() == ["2"]


# ============================================================== np.frombuffer

BUFFER_DTYPES = [np.uint8, np.int16, np.int32, np.int64, np.float32, np.float64, np.complex128]


def _frombuffer_functions(dt):
    """np.frombuffer with the dtype written in the jitted code (a closure constant)."""

    @njit
    def positional(buf):
        return np.frombuffer(buf, dt)

    @njit
    def keyword(buf):
        return np.frombuffer(buf, dtype=dt)

    @njit
    def all_positional(buf, count, offset):
        return np.frombuffer(buf, dt, count, offset)

    @njit
    def all_keywords(buf, count, offset):
        return np.frombuffer(buf, dtype=dt, count=count, offset=offset)

    @njit
    def count_only(buf, count):
        return np.frombuffer(buf, dt, count=count)

    @njit
    def offset_only(buf, offset):
        return np.frombuffer(buf, dtype=dt, offset=offset)

    @njit
    def poke(buf, i, value):
        view = np.frombuffer(buf, dt)
        view[i] = value
        return view

    @njit
    def poke_at(buf, offset, value):
        view = np.frombuffer(buf, dt, offset=offset)
        view[0] = value
        return view.size

    @njit
    def round_trip(a):
        return np.frombuffer(a.tobytes(), dt)

    return dict(positional=positional, keyword=keyword, all_positional=all_positional, all_keywords=all_keywords,
                count_only=count_only, offset_only=offset_only, poke=poke, poke_at=poke_at, round_trip=round_trip)


FROMBUFFER = {np.dtype(dt): _frombuffer_functions(dt) for dt in BUFFER_DTYPES + [np.bool_]}


@njit
def fb_default(buf):
    return np.frombuffer(buf)


@njit
def fb_default_keywords(buf, count, offset):
    return np.frombuffer(buf, count=count, offset=offset)


@njit
def fb_write_bytes(b):
    view = np.frombuffer(b, np.uint8)
    view[0] = 1
    return view


@njit
def fb_address_offset(a, offset):
    return np.frombuffer(a, np.uint8, offset=offset).ctypes.data - a.ctypes.data


@njit
def fb_bytes_address(b):
    return np.frombuffer(b, np.uint8).ctypes.data


def _check_array(got, expected):
    assert isinstance(got, np.ndarray)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)


def _same_outcome(compiled, reference):
    """compiled() agrees with reference() (NumPy): the same array, or a
    ValueError whose message starts NumPy's (NumPy appends the length)."""
    try:
        expected = reference()
    except ValueError as exc:
        with pytest.raises(ValueError) as info:
            compiled()
        assert str(info.value), "empty message"
        assert str(exc).startswith(str(info.value)), (str(info.value), str(exc))
        return
    _check_array(compiled(), expected)


def _raw(nbytes, seed=0):
    return np.random.default_rng(seed + nbytes).integers(0, 256, nbytes, dtype=np.uint8).tobytes()


BYTE_SIZES = [0, 16, 48, 256]


# Empty bytes as complex128 is left to test_frombuffer_complex_alignment_like_numpy:
# CPython's one empty bytes object has its data 8 bytes past a 16-byte boundary.
BYTES_CASES = [(dt, n) for dt in BUFFER_DTYPES for n in BYTE_SIZES if not (n == 0 and dt == np.complex128)]


@pytest.mark.parametrize("dt,nbytes", BYTES_CASES, ids=[f"{np.dtype(d).name}-{n}" for d, n in BYTES_CASES])
def test_frombuffer_bytes_whole(dt, nbytes):
    raw = _raw(nbytes)
    f = FROMBUFFER[np.dtype(dt)]
    expected = np.frombuffer(raw, dt)
    for name in ("positional", "keyword"):
        got = f[name](raw)
        _check_array(got, expected)
        assert got.flags.writeable is False and expected.flags.writeable is False
        assert got.flags.c_contiguous


@pytest.mark.parametrize("dt,nbytes", BYTES_CASES, ids=[f"{np.dtype(d).name}-{n}" for d, n in BYTES_CASES])
@pytest.mark.parametrize("count", [-1, 0, 1, 3, 100])
@pytest.mark.parametrize("items_in", [0, 1, 2, 16])
def test_frombuffer_bytes_count_offset(dt, nbytes, count, items_in):
    raw = _raw(nbytes)
    offset = items_in * np.dtype(dt).itemsize
    f = FROMBUFFER[np.dtype(dt)]
    _same_outcome(lambda: f["all_positional"](raw, count, offset), lambda: np.frombuffer(raw, dt, count, offset))
    _same_outcome(lambda: f["all_keywords"](raw, count, offset),
                  lambda: np.frombuffer(raw, dtype=dt, count=count, offset=offset))
    _same_outcome(lambda: f["count_only"](raw, count), lambda: np.frombuffer(raw, dt, count=count))
    _same_outcome(lambda: f["offset_only"](raw, offset), lambda: np.frombuffer(raw, dt, offset=offset))


SOURCE_ARRAYS = {
    "uint8-0": np.zeros(0, np.uint8),
    "uint8-48": np.arange(48, dtype=np.uint8),
    "int32-12": np.arange(-6, 6, dtype=np.int32) * 1000003,
    "int64-2d": np.arange(12, dtype=np.int64).reshape(3, 4) - 5,
    "float64-8": np.linspace(-3.5, 7.25, 8),
    "float64-0": np.zeros(0),
    "complex128-5": np.arange(5) * (1.5 - 2j),
    "float32-3d": np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 3,
    "bool-32": np.arange(32) % 3 == 0,
    "float64-0d": np.array(2.75),
    "int16-slice": np.arange(40, dtype=np.int16)[8:],
}


@pytest.mark.parametrize("dt", BUFFER_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("source", list(SOURCE_ARRAYS))
def test_frombuffer_array(dt, source):
    a = SOURCE_ARRAYS[source]
    f = FROMBUFFER[np.dtype(dt)]
    _same_outcome(lambda: f["positional"](a), lambda: np.frombuffer(a, dt))
    _same_outcome(lambda: f["keyword"](a), lambda: np.frombuffer(a, dtype=dt))
    itemsize = np.dtype(dt).itemsize
    for count in (-1, 0, 1, 2):
        for items_in in (0, 1, 3):
            offset = items_in * itemsize
            _same_outcome(lambda: f["all_positional"](a, count, offset), lambda: np.frombuffer(a, dt, count, offset))
            _same_outcome(lambda: f["all_keywords"](a, count, offset),
                          lambda: np.frombuffer(a, dtype=dt, count=count, offset=offset))


@pytest.mark.parametrize("dt", BUFFER_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("source", ["uint8-48", "int64-2d", "float64-8", "complex128-5", "float32-3d"])
def test_frombuffer_array_is_writable_and_shares_memory(dt, source):
    a = SOURCE_ARRAYS[source].copy()
    f = FROMBUFFER[np.dtype(dt)]
    try:
        expected_view = np.frombuffer(a, dt)
    except ValueError:  # the buffer is not a whole number of these items
        with pytest.raises(ValueError):
            f["positional"](a)
        return
    got = f["positional"](a)
    assert got.flags.writeable is True and expected_view.flags.writeable is True
    assert np.shares_memory(got, a)
    assert got.ctypes.data == a.ctypes.data
    # Writing through the view changes the source, as with NumPy.
    mine, theirs = a.copy(), a.copy()
    last = expected_view.size - 1
    out = f["poke"](mine, last, 7)
    f["poke"].py_func(theirs, last, 7)
    assert mine.tobytes() == theirs.tobytes()
    assert mine.tobytes() != a.tobytes()
    assert out[last] == 7
    out[0] = 5  # the returned view is still mine's memory
    theirs_view = np.frombuffer(theirs, dt)
    theirs_view[0] = 5
    assert mine.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("dt", BUFFER_DTYPES, ids=dtype_id)
def test_frombuffer_write_at_offset(dt):
    a = np.arange(64, dtype=np.uint8)
    itemsize = np.dtype(dt).itemsize
    for items_in in range(0, 64 // itemsize):
        mine, theirs = a.copy(), a.copy()
        f = FROMBUFFER[np.dtype(dt)]["poke_at"]
        assert f(mine, items_in * itemsize, 3) == f.py_func(theirs, items_in * itemsize, 3)
        np.testing.assert_array_equal(mine, theirs)


def test_frombuffer_read_only_sources():
    with pytest.raises(ValueError):
        fb_write_bytes.py_func(b"abc")
    with pytest.raises(TypingError, match="read-only"):
        fb_write_bytes(b"abc")
    a = np.arange(6.0)
    a.flags.writeable = False
    for dt in BUFFER_DTYPES:
        got = FROMBUFFER[np.dtype(dt)]["positional"](a)
        expected = np.frombuffer(a, dt)
        _check_array(got, expected)
        assert got.flags.writeable is expected.flags.writeable is False


@pytest.mark.parametrize("buf", [_raw(0), _raw(64), np.arange(5.0), np.arange(12, dtype=np.int32),
                                 np.arange(6.0).reshape(2, 3)], ids=["bytes-0", "bytes-64", "float64", "int32", "2d"])
def test_frombuffer_default_dtype_is_float(buf):
    _check_array(fb_default(buf), np.frombuffer(buf))
    for count, offset in [(-1, 0), (1, 8), (2, 0), (-1, 16)]:
        _same_outcome(lambda: fb_default_keywords(buf, count, offset),
                      lambda: np.frombuffer(buf, count=count, offset=offset))


def test_frombuffer_keeps_bytes_alive():
    def fresh():
        return bytes(range(64))

    f = FROMBUFFER[np.dtype(np.int32)]["positional"]
    got = f(fresh())
    gc.collect()
    junk = [bytes([7]) * 64 for _ in range(1000)]
    assert len(junk) == 1000
    _check_array(got, np.frombuffer(fresh(), np.int32))


def test_frombuffer_views_the_bytes_memory():
    b = _raw(32)
    assert fb_bytes_address(b) == np.frombuffer(b, np.uint8).ctypes.data
    a = np.arange(10.0)
    for offset in (0, 8, 24, 80):
        assert fb_address_offset(a, offset) == offset


@pytest.mark.parametrize("dt", BUFFER_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("buf,count,offset", [
    (_raw(16), -1, -1), (_raw(16), -1, 17), (_raw(16), 1, -8), (_raw(0), -1, 1), (_raw(16), 100, 0),
    (_raw(16), 1, 16), (_raw(17), -1, 0), (_raw(34), -1, 0), (np.arange(3.0), 4, 0), (np.arange(3.0), -1, 32),
    (np.arange(5, dtype=np.int16), -1, 0),
], ids=["offset-negative", "offset-past-end", "offset-negative-count", "offset-past-empty", "count-too-big",
        "count-at-end", "not-multiple-17", "not-multiple-34", "array-count", "array-offset", "array-not-multiple"])
def test_frombuffer_errors_like_numpy(dt, buf, count, offset):
    # Every case either raises in NumPy or (for uint8 and the like) matches it.
    f = FROMBUFFER[np.dtype(dt)]
    _same_outcome(lambda: f["all_positional"](buf, count, offset), lambda: np.frombuffer(buf, dt, count, offset))
    _same_outcome(lambda: f["all_keywords"](buf, count, offset),
                  lambda: np.frombuffer(buf, dtype=dt, count=count, offset=offset))


def test_frombuffer_error_cases_do_raise_in_numpy():
    # The cases above are errors in NumPy for float64 (so the test compares errors, not just arrays).
    for buf, count, offset, message in [
        (_raw(16), -1, -1, "offset must be non-negative and no greater than buffer length"),
        (_raw(16), -1, 17, "offset must be non-negative and no greater than buffer length"),
        (_raw(17), -1, 0, "buffer size must be a multiple of element size"),
        (_raw(16), 3, 0, "buffer is smaller than requested size"),
    ]:
        with pytest.raises(ValueError, match=message):
            np.frombuffer(buf, np.float64, count, offset)
        with pytest.raises(ValueError, match=message):
            FROMBUFFER[np.dtype(np.float64)]["all_positional"](buf, count, offset)


@pytest.mark.parametrize("dt,offset", [(np.float64, 1), (np.float64, 4), (np.int32, 2), (np.int16, 1),
                                       (np.int64, 4), (np.float32, 3), (np.complex128, 1)],
                         ids=["float64-1", "float64-4", "int32-2", "int16-1", "int64-4", "float32-3", "complex-1"])
@pytest.mark.parametrize("source", ["bytes", "array"])
def test_frombuffer_misaligned_offset(dt, offset, source):
    # 64 bytes after the offset: a whole number of items of every dtype.
    buf = _raw(64 + offset) if source == "bytes" else np.arange(64 + offset, dtype=np.uint8)
    count = 2
    reference = np.frombuffer(buf, dt, count, offset)  # NumPy makes an unaligned view
    assert reference.size == count and not reference.flags.aligned
    assert np.frombuffer(buf, dt, offset=offset).size == 64 // np.dtype(dt).itemsize
    f = FROMBUFFER[np.dtype(dt)]
    with pytest.raises(ValueError, match="aligned"):
        f["all_positional"](buf, count, offset)
    with pytest.raises(ValueError, match="aligned"):
        f["offset_only"](buf, offset)
    # The same buffer at an aligned offset is fine.
    aligned = np.dtype(dt).itemsize
    _check_array(f["all_positional"](buf, count, aligned), np.frombuffer(buf, dt, count, aligned))


# complex128's alignment in NumPy is 8 bytes (np.dtype(np.complex128).alignment):
# data 8 bytes past a 16-byte boundary is aligned for it, and an empty view
# needs no alignment at all.
def _eight_past_sixteen(n):
    """n float64s whose data starts 8 bytes past a 16-byte boundary."""
    base = np.arange(n + 2, dtype=np.float64)
    start = 1 if base.ctypes.data % 16 == 0 else 0
    out = base[start:start + n]
    assert out.ctypes.data % 16 == 8
    return out


@pytest.mark.parametrize("make", [lambda: b"", lambda: _eight_past_sixteen(4),
                                  lambda: np.frombuffer(_eight_past_sixteen(4), np.float64, 0)],
                         ids=["empty-bytes", "array-8-bytes-in", "empty-array-8-bytes-in"])
def test_frombuffer_complex_alignment_like_numpy(make):
    buf = make()
    assert np.frombuffer(buf, np.uint8).ctypes.data % 16 == 8
    expected = np.frombuffer(buf, np.complex128)
    assert expected.flags.aligned
    _check_array(FROMBUFFER[np.dtype(np.complex128)]["positional"](buf), expected)


@pytest.mark.parametrize("buf", [np.arange(8.0)[::2], np.asfortranarray(np.arange(6.0).reshape(2, 3)),
                                 np.arange(6.0).reshape(2, 3).T, np.arange(12, dtype=np.uint8).reshape(3, 4)[:, 1:]],
                         ids=["strided", "F", "transposed", "2d-columns"])
def test_frombuffer_non_contiguous_refused(buf):
    with pytest.raises(TypingError, match="C-contiguous"):
        FROMBUFFER[np.dtype(np.uint8)]["positional"](buf)


# ============================================================== a.tobytes()

TOBYTES_DTYPES = [np.bool_] + BUFFER_DTYPES


@njit
def to_bytes(a):
    return a.tobytes()


@njit
def to_bytes_length(a):
    b = a.tobytes()
    return len(b), b[0:3]


def _tobytes_arrays(dt):
    base = (np.arange(60) * 7 % 11 - 3).astype(dt)
    if np.dtype(dt).kind == "c":
        base = base + 1j * base[::-1]
    grid = base.reshape(6, 10)
    return {
        "0d": np.array(base[5]),
        "1d": base,
        "2d-C": grid,
        "2d-F": np.asfortranarray(grid),
        "every-3rd": base[::3],
        "transposed": grid.T,
        "2d-strided": grid[1::2, ::3],
        "reversed": base[::-1],
        "3d": base.reshape(3, 4, 5),
        "3d-F": np.asfortranarray(base.reshape(3, 4, 5)),
        "empty": base[:0],
        "empty-2d": grid[:, :0],
        "empty-rows": grid[:0],
    }


LAYOUT_NAMES = list(_tobytes_arrays(np.float64))


@pytest.mark.parametrize("dt", TOBYTES_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_tobytes_like_numpy(dt, layout):
    a = _tobytes_arrays(dt)[layout]
    got = to_bytes(a)
    assert type(got) is bytes
    assert got == a.tobytes()
    assert to_bytes_length(a) == to_bytes_length.py_func(a)


@pytest.mark.parametrize("dt", TOBYTES_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_tobytes_frombuffer_round_trip(dt, layout):
    a = _tobytes_arrays(dt)[layout]
    got = FROMBUFFER[np.dtype(dt)]["round_trip"](a)
    _check_array(got, a.ravel())
    assert got.flags.writeable is False  # a view of bytes, as NumPy's


def test_tobytes_of_reversed_and_transposed_blocks():
    a = np.arange(24.0).reshape(4, 6)

    assert to_bytes(a[1:, ::2].T) == a[1:, ::2].T.tobytes()
    assert to_bytes(a[::-1, ::-1]) == a[::-1, ::-1].tobytes()


# ============================================================== a.ctypes.data


@njit
def address(a):
    return a.ctypes.data


@njit
def address_of_tail(a):
    return a[2:].ctypes.data


CTYPES_ARRAYS = {
    "1d": np.arange(10.0),
    "2d": np.arange(20.0).reshape(4, 5),
    "F": np.asfortranarray(np.arange(20, dtype=np.int32).reshape(4, 5)),
    "column": np.arange(20.0).reshape(4, 5)[:, 1],
    "transposed": np.arange(20.0).reshape(4, 5).T,
    "block": np.arange(20.0).reshape(4, 5)[1:, 2:],
    "reversed": np.arange(10, dtype=np.int16)[::-1],
    "0d": np.array(1.5),
    "complex": np.arange(6) * (1 + 1j),
    "bool": np.ones(7, np.bool_),
}


@pytest.mark.parametrize("name", list(CTYPES_ARRAYS))
def test_ctypes_data(name):
    a = CTYPES_ARRAYS[name]
    got = address(a)
    assert got == a.ctypes.data
    assert got == address.py_func(a)


@pytest.mark.parametrize("name", ["1d", "2d", "F", "transposed", "complex", "bool"])
def test_ctypes_data_of_a_view(name):
    a = CTYPES_ARRAYS[name]
    assert address_of_tail(a) == a[2:].ctypes.data
    assert address_of_tail(a) == address_of_tail.py_func(a)
    assert address(a[2:]) == a[2:].ctypes.data


# ============================================================== np.polynomial.Polynomial


@njit
def poly_make(c):
    return Polynomial(c)


@njit
def poly_make3(c, domain, window):
    return Polynomial(c, domain, window)


@njit
def poly_make_by_path(c, domain, window):
    return np.polynomial.polynomial.Polynomial(c, domain, window), np.polynomial.Polynomial(c)


@njit
def poly_literal_tuple():
    return Polynomial((1, 2.5, -3))


@njit
def poly_literal_domain(c):
    return Polynomial(c, (0, 2), (1, 3.5))


@njit
def poly_fields(p):
    return p.coef, p.domain, p.window


@njit
def poly_call(p, x):
    return p(x)


@njit
def poly_make_and_call(c, domain, window, x):
    p = Polynomial(c, domain, window)
    return p(x), p.coef, p.domain, p.window


@njit
def poly_identity(p):
    return p


@njit
def poly_list_literal():
    return Polynomial([1.0, 2.5, -3.0])


def _same_polynomial(got, expected):
    assert type(got) is type(expected) is Polynomial
    for field in ("coef", "domain", "window"):
        g, e = getattr(got, field), getattr(expected, field)
        assert g.dtype == e.dtype, (field, g.dtype, e.dtype)
        np.testing.assert_array_equal(g, e)
    assert got == expected


COEFS = {
    "int64": np.array([3, -1, 0, 2]),
    "int32": np.array([1, 2], np.int32),
    "float64": np.array([0.5, -1.25, 2.0, 0.0, 4.5]),
    "float32": np.array([0.5, 1.5, -2.0], np.float32),
    "complex128": np.array([1 + 2j, -0.5j, 3.0]),
    "one": np.array([7.0]),
    "trailing-zeros": np.array([1.0, 0.0, 0.0]),
    "0d": np.array(2.5),
    "tuple-int": (1, 2, 3),
    "tuple-float": (1.0, -2.5),
    "tuple-complex": (1 + 2j, 3j),
    "tuple-one": (4,),
    "scalar": 5.0,
}

INTERVALS = {
    "default": (np.array([-1.0, 1.0]), np.array([-1.0, 1.0])),
    "float-arrays": (np.array([0.0, 4.0]), np.array([-2.0, 1.0])),
    "int-arrays": (np.array([1, 3]), np.array([0, 1])),
    "tuples": ((0, 2), (1.5, 3.0)),
    "mixed": (np.array([-5.0, 5.0]), (0, 1)),
    "reversed": (np.array([2.0, -1.0]), np.array([1.0, -1.0])),
}


@pytest.mark.parametrize("name", list(COEFS))
def test_polynomial_from_coef(name):
    c = COEFS[name]
    _same_polynomial(poly_make(c), Polynomial(c))
    _same_polynomial(poly_make(c), poly_make.py_func(c))


@pytest.mark.parametrize("coef", ["int64", "float64", "float32", "complex128", "tuple-int", "tuple-complex"])
@pytest.mark.parametrize("interval", list(INTERVALS))
def test_polynomial_with_domain_and_window(coef, interval):
    c = COEFS[coef]
    domain, window = INTERVALS[interval]
    _same_polynomial(poly_make3(c, domain, window), Polynomial(c, domain, window))
    got, plain = poly_make_by_path(c, domain, window)
    _same_polynomial(got, Polynomial(c, domain, window))
    _same_polynomial(plain, Polynomial(c))


def test_polynomial_literals_in_compiled_code():
    _same_polynomial(poly_literal_tuple(), poly_literal_tuple.py_func())
    for c in (COEFS["float64"], COEFS["int64"], COEFS["complex128"]):
        _same_polynomial(poly_literal_domain(c), poly_literal_domain.py_func(c))


def test_polynomial_coef_is_a_copy():
    c = np.array([1.0, 2.0, 3.0])
    p = poly_make(c)
    c[0] = 99.0
    assert p.coef[0] == 1.0
    assert not np.shares_memory(p.coef, c)


PASSED_IN = {
    "default": Polynomial([1.0, -2.0, 3.0]),
    "int": Polynomial([1, 2, 3]),
    "domain": Polynomial([0.5, 1.5], domain=[0, 4]),
    "domain-window": Polynomial([1.0, -2.0, 0.5, 0.25], domain=[0, 4], window=[-2, 1]),
    "complex": Polynomial([1 + 2j, -1j, 0.5], domain=[2, 5], window=[0, 1]),
    "constant": Polynomial([3.0], domain=[-10, 10], window=[0, 1]),
    "float32": Polynomial(np.array([1.0, 0.5], np.float32)),
    "reversed-domain": Polynomial([2.0, 1.0, -1.0], domain=[3, -1], window=[-1, 1]),
}


@pytest.mark.parametrize("name", list(PASSED_IN))
def test_polynomial_fields_read_in_compiled_code(name):
    p = PASSED_IN[name]
    got = poly_fields(p)
    expected = (p.coef, p.domain, p.window)
    assert len(got) == 3
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype, (g.dtype, e.dtype)
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("name", list(PASSED_IN))
def test_polynomial_passed_in_and_returned(name):
    p = PASSED_IN[name]
    got = poly_identity(p)
    assert type(got) is Polynomial
    assert got == p
    np.testing.assert_array_equal(got.coef, p.coef)


X_VALUES = {
    "float": 1.5,
    "negative": -2.75,
    "numpy-float": np.float64(0.3),
    "array": np.linspace(-3.0, 5.0, 17),
    "2d": np.linspace(-1.0, 2.0, 12).reshape(3, 4),
    "empty": np.zeros(0),
}


@pytest.mark.parametrize("name", list(PASSED_IN))
@pytest.mark.parametrize("x", list(X_VALUES))
def test_polynomial_call(name, x):
    p = PASSED_IN[name]
    value = X_VALUES[x]
    got, expected = poly_call(p, value), p(value)
    assert np.shape(got) == np.shape(expected)
    assert np.iscomplexobj(got) == np.iscomplexobj(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("coef", ["int64", "float64", "complex128", "one", "tuple-float"])
@pytest.mark.parametrize("interval", list(INTERVALS))
@pytest.mark.parametrize("x", ["float", "array", "2d"])
def test_polynomial_made_and_called(coef, interval, x):
    c = COEFS[coef]
    domain, window = INTERVALS[interval]
    value = X_VALUES[x]
    got = poly_make_and_call(c, domain, window, value)
    expected = poly_make_and_call.py_func(c, domain, window, value)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-12)
    assert np.shape(got[0]) == np.shape(expected[0])
    for g, e in zip(got[1:], expected[1:]):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("f,args", [
    (poly_make, (np.ones((2, 2)),)),
    (poly_make, (np.ones((2, 1)),)),
    (poly_make, (np.empty(0),)),
    (poly_make, ((),)),
    (poly_make3, (np.ones((3, 2)), np.array([0.0, 1.0]), np.array([0.0, 1.0]))),
    (poly_make3, (np.empty(0), np.array([0.0, 1.0]), np.array([0.0, 1.0]))),
    (poly_make3, (np.ones(2), np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0]))),
    (poly_make3, (np.ones(2), np.array([0.0]), np.array([0.0, 1.0]))),
    (poly_make3, (np.ones(2), (0.0, 1.0, 2.0), (0.0, 1.0))),
    (poly_make3, (np.ones(2), np.array([0.0, 1.0]), np.array([0.0, 1.0, 2.0]))),
    (poly_make3, (np.ones(2), (0.0, 1.0), (0,))),
], ids=["coef-2d", "coef-column", "coef-empty", "coef-empty-tuple", "coef-2d-with-domain", "coef-empty-with-domain",
        "domain-3", "domain-1", "domain-tuple-3", "window-3", "window-tuple-1"])
def test_polynomial_errors(f, args):
    with pytest.raises(ValueError) as expected:
        Polynomial(*args)
    with pytest.raises(ValueError) as got:
        f(*args)
    assert str(got.value) == str(expected.value)


def test_polynomial_error_messages():
    for args, message in [((np.ones((2, 2)),), "Coefficient array is not 1-d"),
                          ((np.empty(0),), "Coefficient array is empty"),
                          ((np.ones(2), np.arange(3.0), np.arange(2.0)), "Domain has wrong number of elements."),
                          ((np.ones(2), np.arange(2.0), np.arange(3.0)), "Window has wrong number of elements.")]:
        f = poly_make if len(args) == 1 else poly_make3
        with pytest.raises(ValueError) as info:
            f(*args)
        assert str(info.value) == message


# ---- cases where numjit disagreed with NumPy when these tests were written


@pytest.mark.parametrize("c", [[1.0, 2.0], [1, 2, 3], [1 + 2j, 3j]], ids=["float", "int", "complex"])
def test_polynomial_from_list_argument(c):
    _same_polynomial(poly_make(c), Polynomial(c))


def test_polynomial_from_list_literal():
    _same_polynomial(poly_list_literal(), poly_list_literal.py_func())


@pytest.mark.parametrize("args", [(np.ones((1, 0)),), (np.ones(2), np.zeros(0), np.array([0.0, 1.0])),
                                  (np.ones(2), np.array([0.0, 1.0]), np.zeros(0))],
                         ids=["coef-1x0", "domain-empty", "window-empty"])
def test_polynomial_empty_checked_first(args):
    # NumPy's as_series checks for an empty array before the rank and the length.
    with pytest.raises(ValueError, match="Coefficient array is empty"):
        Polynomial(*args)
    with pytest.raises(ValueError, match="Coefficient array is empty"):
        (poly_make if len(args) == 1 else poly_make3)(*args)


def test_polynomial_2d_domain_refused():
    domain = np.ones((2, 1))
    with pytest.raises(ValueError):
        Polynomial(np.ones(2), domain, np.array([0.0, 1.0]))
    with pytest.raises(ValueError):
        poly_make3(np.ones(2), domain, np.array([0.0, 1.0]))


def test_polynomial_complex_domain_not_truncated():
    # NumPy keeps a complex domain; compiled code may refuse it, but not drop its imaginary parts.
    domain, window = np.array([1 + 1j, 2.0]), np.array([0.0, 1.0])
    expected = Polynomial(np.ones(2), domain, window)
    try:
        got = poly_make3(np.ones(2), domain, window)
    except (TypingError, ValueError, TypeError):
        return
    np.testing.assert_array_equal(got.domain, expected.domain)


def test_polynomial_symbol_kept():
    p = Polynomial([1.0, 2.0, 3.0], symbol="t")
    got = poly_identity(p)
    assert got.symbol == p.symbol
    assert got == p


# ---- bytes are Python's bytes to user code: no array attributes, no NumPy functions ----

@njit
def _bytes_shape(b):
    return b.shape


@njit
def _bytes_np_sum(b):
    return np.sum(b)


@njit
def _bytes_np_median(b):
    return np.median(b)


@njit
def _bytes_builtins(b):
    return sum(b), min(b), max(b), sorted(b), list(b), any(b), all(b), len(b), 120 in b


@pytest.mark.parametrize("f", [_bytes_shape, _bytes_np_sum, _bytes_np_median], ids=["shape", "np.sum", "np.median"])
def test_array_attributes_and_numpy_functions_refuse_bytes(f):
    with pytest.raises(Exception):  # Python: AttributeError or NumPy's TypeError on a string
        f.py_func(b"xyz")
    with pytest.raises((TypingError, UnsupportedError), match="bytes"):
        f(b"xyz")


@pytest.mark.parametrize("data", [b"xyz", b"\x00\xff\x10", bytes(range(1, 256))])
def test_builtins_that_iterate_read_bytes_as_python(data):
    assert _bytes_builtins(data) == _bytes_builtins.py_func(data)
