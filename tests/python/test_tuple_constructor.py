"""tuple(...) in compiled code where the length is known while compiling:
tuple(), a tuple, a list display, a string constant, an array's shape.
Each result is compared with `.py_func`."""
import numpy as np
import pytest

from numjit import errors, njit


@njit
def rebuild(t, a, x):
    return tuple(t), tuple(), tuple(a.shape), tuple("héllo"), tuple([x, x * 2, x * 3]), tuple((x, t))


@pytest.mark.parametrize("t", [(1, 2.5), (3,), (True, 1j, "s")])
@pytest.mark.parametrize("shape", [(0,), (2, 3), (1, 2, 3, 4)])
@pytest.mark.parametrize("x", [2, 1.5])
def test_tuple_of_known_length(t, shape, x):
    a = np.zeros(shape)
    assert rebuild(t, a, x) == rebuild.py_func(t, a, x)


def test_tuple_of_a_list_is_a_located_error():
    @njit
    def from_list(items):
        return tuple(items)

    with pytest.raises(errors.TypingError, match="known only at run time"):
        from_list([1, 2, 3])
