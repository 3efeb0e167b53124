"""np.nditer in for loops: one array, or a tuple of arrays broadcast together,
visited in NumPy's order='K' (runtime/iteration_order.cpp) without copying.
Each test compares the sequence of visited elements with NumPy's own
np.nditer (the compiled function's .py_func)."""
import numpy as np
import pytest

from conftest import dtype_id, make_array
from numjit import njit


@njit
def pairs(a, b):
    out = []
    for x, y in np.nditer((a, b)):
        out.append((x.item(), y.item()))
    return out


@njit
def triples(a, b, c):
    out = []
    for t in np.nditer((a, b, c)):
        out.append(t[0] * 100 + t[1] * 10 + t[2])
    return out


@njit
def singles(a):
    out = []
    for x in np.nditer(a):
        out.append(x.item())
    return out


@njit
def one_operand_tuple(a):
    out = []
    for x in np.nditer((a,)):  # one operand: its element, not a 1-tuple
        out.append(x.item())
    return out


@njit
def zipped_with_range_walk(a, b):
    out = []
    for k, (x, y) in enumerate(np.nditer((a, b))):
        if k % 3 == 1:
            continue
        out.append((k, x.item() + y.item()))
    return out


def layouts(shape, dtype, seed=0):
    yield "C", make_array(shape, dtype, "C", seed)
    if len(shape) >= 2:
        yield "F", make_array(shape, dtype, "F", seed)
        yield "transposed", make_array(shape, dtype, "transposed", seed)
    if shape and shape[-1] > 0:
        yield "strided", make_array(shape, dtype, "strided", seed)
        yield "reversed", make_array(shape, dtype, "C", seed)[..., ::-1]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.complex128, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4), (1, 1)], ids=str)
def test_one_array_in_memory_order(dtype, shape):
    for name, a in layouts(shape, dtype):
        assert singles(a) == singles.py_func(a), name
        assert one_operand_tuple(a) == one_operand_tuple.py_func(a), name


@pytest.mark.parametrize("dtype", [np.float64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("shapes", [((3, 4), (4,)), ((3, 4), (3, 1)), ((4,), (2, 3, 4)), ((2, 1, 4), (3, 1)),
                                    ((3, 4), ()), ((1,), (5,))], ids=str)
def test_pairs_broadcast_in_numpys_order(dtype, shapes):
    for first_name, a in layouts(shapes[0], dtype):
        for second_name, b in layouts(shapes[1], np.float64, seed=1):
            want = pairs.py_func(a, b)
            assert pairs(a, b) == want, (first_name, second_name)


def test_three_operands_and_mixed_dtypes():
    a = np.asfortranarray(np.arange(6, dtype=np.int16).reshape(2, 3))
    b = np.arange(3, dtype=np.float32)
    c = np.arange(4, dtype=np.uint8).reshape(4, 1, 1)
    assert triples(a, b, c) == triples.py_func(a, b, c)
    assert triples(a.T.copy().T[::-1], b[::-1], c) == triples.py_func(a.T.copy().T[::-1], b[::-1], c)


def test_inside_enumerate_with_continue():
    a = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    b = np.arange(4.0)
    assert zipped_with_range_walk(a, b) == zipped_with_range_walk.py_func(a, b)


def test_zero_dimensional_operands():
    a, b = np.array(2.5), np.array(3)
    assert pairs(a, b) == pairs.py_func(a, b)
    assert singles(a) == singles.py_func(a)


@pytest.mark.parametrize("shapes", [((0, 4), (4,)), ((3, 0), (3, 1))], ids=str)
def test_empty_operands_raise_as_numpy(shapes):
    a, b = np.ones(shapes[0]), np.ones(shapes[1])
    for f, args in ((pairs, (a, b)), (singles, (a,))):
        with pytest.raises(ValueError, match="zero-sized operands") as want:
            f.py_func(*args)
        with pytest.raises(ValueError) as got:
            f(*args)
        assert str(got.value) == str(want.value)


def test_shapes_that_do_not_broadcast_raise_numpys_error():
    with pytest.raises(ValueError, match="could not be broadcast"):
        pairs(np.ones((2, 3)), np.ones(4))
    with pytest.raises(ValueError):
        pairs.py_func(np.ones((2, 3)), np.ones(4))


@njit
def nditer_of_numbers(a):
    for x in np.nditer((a, 1.0)):
        pass


def test_non_array_operands_are_a_located_error():
    from numjit.errors import TypingError

    with pytest.raises(TypingError, match="np.nditer\\(\\) takes arrays") as info:
        nditer_of_numbers(np.ones(3))
    assert "test_nditer_operands.py" in str(info.value)


@njit
def nditer_held_in_a_variable(a):
    it = np.nditer(a)  # not a for loop's iterable: the library's np.nditer
    s = 0.0
    for x in it:
        s = s * 2 + x
    return s


@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
def test_nditer_held_in_a_variable(layout):
    a = make_array((3, 4), np.float64, layout)
    assert nditer_held_in_a_variable(a) == nditer_held_in_a_variable.py_func(a)
