"""hash() in compiled code gives CPython's hash, and Numba's
numba.np.unsafe.ndarray.to_fixed_tuple and numba.version_info exist."""
import numpy as np
import pytest

import numjit
import numjit.errors
from numjit import njit
from numjit.np.unsafe.ndarray import to_fixed_tuple


@njit
def hash_of(x):
    return hash(x)


@njit
def hashes_of_array(a):
    out = np.empty(a.size, dtype=np.int64)
    for i in range(a.size):
        out[i] = hash(a[i])
    return out


@njit
def hash_of_pair(x, y):
    return hash((x, y))


INTEGERS = [0, 1, -1, -2, 7, 2**61 - 2, 2**61 - 1, 2**61, 2**62 + 3, -(2**61) + 1, -(2**61), -(2**61) - 1,
            2**63 - 1, -(2**63), True, False]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -2.5, 2.0**61, 2.0**62, 2.0**64 + 2.0**20, 1e300, -1e300, 1e-300, 5e-324,
          np.pi, 1 / 3, 123456789.125, float("inf"), float("-inf"), -1.0000000000000002]
COMPLEX = [0j, 1 + 2j, -1.5 - 0.25j, complex(float("inf"), 1), 1j, -1 + 0j, complex(2.0**61, -3)]


@pytest.mark.parametrize("value", INTEGERS + FLOATS + COMPLEX, ids=repr)
def test_hash_of_a_python_number_is_the_interpreters(value):
    assert hash_of(value) == hash(value)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                                   np.float32, np.float64, np.complex64, np.complex128, np.bool_])
def test_hash_of_array_elements_is_the_interpreters(dtype):
    rng = np.random.default_rng(3)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        values = np.concatenate([rng.integers(info.min, info.max, size=200, dtype=dtype, endpoint=True),
                                 np.array([info.min, info.max, 0, 1], dtype=dtype)])
        if info.min < 0:
            values = np.concatenate([values, np.array([-1, -2], dtype=dtype)])
    elif np.dtype(dtype).kind == "b":
        values = np.array([True, False, True])
    else:
        raw = rng.standard_normal(200) * 10.0 ** rng.integers(-30, 30, size=200)
        values = (raw + 1j * raw[::-1]).astype(dtype) if np.dtype(dtype).kind == "c" else raw.astype(dtype)
        values = np.concatenate([values, np.array([0, 1, -1, 2.0**40, np.inf, -np.inf], dtype=dtype)])
    for layout in (values, values[::-1], values[::3]):
        expected = np.array([hash(v) for v in layout], dtype=np.int64)
        np.testing.assert_array_equal(hashes_of_array(layout), expected)


@pytest.mark.parametrize("value", [(), (1,), (1, 2), (-1,), (1.5, -1), ((1, 2), 3.0), (True, 2.0, 3 + 1j),
                                   (2**63 - 1, -(2**63)), ((), ()), ("a", 1), ("text",)], ids=repr)
def test_hash_of_a_tuple_is_the_interpreters(value):
    assert hash_of(value) == hash(value)


def test_hash_of_a_tuple_built_in_compiled_code():
    for x, y in [(1, 2), (-1, -1), (0.5, 3), (2**40, -7.25)]:
        assert hash_of_pair(x, y) == hash((x, y)) == hash_of_pair.py_func(x, y)


@pytest.mark.parametrize("text", ["", "a", "abc", "é", "日本語", "emoji 🙂", "x" * 1000])
def test_hash_of_a_string_is_the_interpreters(text):
    assert hash_of(text) == hash(text)


def test_an_integral_float_hashes_as_its_integer():
    for n in [0, 1, -1, 12345, -(2**52), 2**53]:
        assert hash_of(float(n)) == hash_of(n) == hash(n)


def test_hash_of_an_array_raises_the_interpreters_type_error():
    with pytest.raises(TypeError, match="unhashable"):
        hash_of(np.zeros(3))


def test_hash_of_a_nan_is_numbas_zero():
    # CPython 3.10+ hashes a NaN by the object's address; compiled code has no object
    assert hash_of(float("nan")) == 0


@njit
def first_three(a):
    return to_fixed_tuple(a, 3)


N = 4


@njit
def first_n_global(a):
    return to_fixed_tuple(a, N)


@njit
def zeros_of_shape_held_in_array(m):
    shape = np.array(m.shape)
    return np.zeros(to_fixed_tuple(shape, m.ndim))


@njit
def reshape_to_the_shape_of(a, b):
    return a.reshape(to_fixed_tuple(np.array(b.shape), b.ndim))


@njit
def length_given_at_run_time(a, n):
    return to_fixed_tuple(a, n)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8, np.complex128, np.bool_])
@pytest.mark.parametrize("layout", ["C", "reversed", "strided"])
def test_to_fixed_tuple_matches_the_python_version(dtype, layout):
    a = (np.arange(12) % 5 - 2).astype(dtype)
    a = {"C": a, "reversed": a[::-1], "strided": a[::3]}[layout]
    for f in (first_three, first_n_global):
        got, expected = f(a), f.py_func(a)
        assert isinstance(got, tuple) and len(got) == len(expected)
        assert got == expected


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 1, 4), (0, 5)])
def test_to_fixed_tuple_turns_a_shape_array_back_into_a_shape(shape):
    m = np.ones(shape)
    assert zeros_of_shape_held_in_array(m).shape == shape
    a = np.arange(m.size, dtype=np.float32)
    np.testing.assert_array_equal(reshape_to_the_shape_of(a, m), reshape_to_the_shape_of.py_func(a, m))


def test_to_fixed_tuple_of_a_short_array_raises_index_error():
    with pytest.raises(IndexError, match="fewer than 3"):
        first_three(np.arange(2.0))
    with pytest.raises(IndexError, match="fewer than 3"):
        first_three.py_func(np.arange(2.0))


def test_to_fixed_tuple_needs_a_length_known_while_compiling():
    with pytest.raises(numjit.errors.UnsupportedError, match="known while compiling"):
        length_given_at_run_time(np.arange(3.0), 2)


def test_to_fixed_tuple_refuses_a_2d_array():
    with pytest.raises(numjit.errors.TypingError, match="1-D array"):
        first_three(np.ones((2, 3)))


def test_version_info_is_numbas_shape_for_the_api_numjit_follows():
    info = numjit.version_info
    assert info.string == numjit.NUMBA_API_VERSION
    assert info.short == info[:2] == (info.major, info.minor)
    assert info.full == (info.major, info.minor, info.patch)
    assert info.tuple == tuple(info.string.split("."))
    assert info >= (0, 57)


@njit
def zeros_of_literal_length(n, fill):
    return np.zeros(numjit.literally(n)) + fill


@njit
def item_of_heterogeneous_tuple(t):
    return t[numjit.literally(1)]


def test_literally_is_its_argument():
    np.testing.assert_array_equal(zeros_of_literal_length(3, 1.5), zeros_of_literal_length.py_func(3, 1.5))
    assert item_of_heterogeneous_tuple((1, 2.5, "x")) == 2.5
    assert numjit.literally("text") == "text"


def test_to_fixed_tuple_in_python_refuses_a_negative_length():
    with pytest.raises(ValueError, match="between 0 and 1024"):
        to_fixed_tuple(np.arange(3.0), -1)
