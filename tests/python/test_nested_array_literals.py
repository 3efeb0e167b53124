"""np.array of nested displays (`np.array([[1.0, 2.0], [3.0, x]])`, nested
tuples, `np.asarray`): rectangular shapes known while compiling, NumPy's
dtype promotion and the dtype= argument, compared with `.py_func`."""
import numpy as np
import pytest

from numjit import njit


@njit
def small_matrices(x, k):
    a = np.array([[1.0, 2.0], [3.0, x]])
    b = np.array([[1, 2, 3], [4, 5, k]])
    c = np.array(((1, 2.5), (True, k)))
    d = np.array([[[1, 2], [3, 4]], [[5, 6], [7, k]]])
    e = np.asarray([(x, 0.0), (0.0, x)])
    f = np.array([[1, 2], [3, k]], dtype=np.float32)
    g = np.array([[1j, x], [0, 1]])
    return a, b, c, d, e, f, g


@pytest.mark.parametrize("x, k", [(4.0, 6), (-0.5, -1), (np.float32(2.5), np.int32(3))])
def test_nested_displays_as_numpy(x, k):
    for got, expected in zip(small_matrices(x, k), small_matrices.py_func(x, k)):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
        assert got.flags.c_contiguous


@njit
def rotation(theta):
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]]) @ np.array([1.0, 0.0])


def test_a_rotation_matrix():
    np.testing.assert_allclose(rotation(0.3), rotation.py_func(0.3), rtol=1e-15)


def test_ragged_displays_are_typing_errors():
    from numjit import errors

    @njit
    def ragged(x):
        return np.array([[1.0, 2.0], [x]])

    with pytest.raises(errors.TypingError):
        ragged(1.0)
