"""np.finfo and np.iinfo in compiled code (library/numpy_limits.cpp,
types/infer_limits.cpp): every attribute equals NumPy's, with NumPy's type,
whether the dtype is named, taken from an array or a number, or the info
object is kept in a local first."""
import numpy as np
import pytest

from numjit import njit
from numjit.errors import TypingError

FLOAT_ATTRIBUTES = ["eps", "epsneg", "max", "min", "tiny", "smallest_normal", "smallest_subnormal", "resolution",
                    "precision", "bits", "maxexp", "minexp", "nmant", "nexp", "iexp", "machep", "negep"]


@njit
def float64_facts():
    info = np.finfo(np.float64)
    return (info.eps, info.epsneg, info.max, info.min, info.tiny, info.smallest_normal, info.smallest_subnormal,
            info.resolution, info.precision, info.bits, info.maxexp, info.minexp, info.nmant, info.nexp, info.iexp,
            info.machep, info.negep)


@njit
def float32_facts(a):
    info = np.finfo(a.dtype)
    return (info.eps, info.epsneg, info.max, info.min, info.tiny, info.smallest_normal, info.smallest_subnormal,
            info.resolution, info.precision, info.bits, info.maxexp, info.minexp, info.nmant, info.nexp, info.iexp,
            info.machep, info.negep)


def check_facts(got, dtype):
    info = np.finfo(dtype)
    for name, value in zip(FLOAT_ATTRIBUTES, got):
        want = getattr(info, name)
        assert value == want, (name, value, want)
        if isinstance(want, np.floating):
            assert np.asarray(value).dtype == want.dtype or isinstance(value, float), name


def test_finfo_of_float64_named():
    check_facts(float64_facts(), np.float64)


def test_finfo_of_an_arrays_dtype():
    check_facts(float32_facts(np.zeros(3, np.float32)), np.float32)
    check_facts(float32_facts(np.zeros((2, 2))), np.float64)


@njit
def eps_forms(x, z):
    return np.finfo(x).eps, np.finfo(z).eps, np.finfo(np.float32).max, np.finfo("float64").tiny


def test_finfo_of_numbers_complex_and_strings():
    got = eps_forms(1.5, np.complex64(1 + 1j))
    assert got == (np.finfo(np.float64).eps, np.finfo(np.float32).eps, np.finfo(np.float32).max,
                   np.finfo(np.float64).tiny)


@njit
def relative_tolerance(a):
    return np.abs(a - 1.0) < 10 * np.finfo(a.dtype).eps


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_eps_in_an_expression(dtype):
    a = np.array([1.0, 1.0 + 1e-9, 1.1], dtype)
    np.testing.assert_array_equal(relative_tolerance(a), relative_tolerance.py_func(a))


@njit
def integer_facts(a):
    info = np.iinfo(a.dtype)
    return info.min, info.max, info.bits


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64])
def test_iinfo(dtype):
    info = np.iinfo(dtype)
    assert integer_facts(np.zeros(2, dtype)) == (info.min, info.max, info.bits)


@njit
def iinfo_named():
    return np.iinfo(np.int32).max, np.iinfo(np.uint64).max, np.iinfo(np.int64).min


def test_iinfo_named_and_uint64_max():
    assert iinfo_named() == (2**31 - 1, 2**64 - 1, -(2**63))


@njit
def finfo_of_int():
    return np.finfo(np.int32).eps


@njit
def iinfo_of_float():
    return np.iinfo(np.float64).max


@njit
def unknown_attribute():
    return np.finfo(np.float64).huge


@pytest.mark.parametrize("f, message", [(finfo_of_int, "floating point dtype"), (iinfo_of_float, "integer dtype"),
                                        (unknown_attribute, "no attribute 'huge'")])
def test_bad_uses_are_located_typing_errors(f, message):
    with pytest.raises(TypingError, match=message):
        f()
