"""The fuzzer's comparison (tests/fuzz/oracle.py): what it accepts as
agreement and what it still reports."""
import numpy as np

from tests.fuzz.oracle import RTOL_DOUBLE, compare


def test_single_precision_results_allow_an_ulp():
    # np.log of int16 data through astype(np.float32): NumPy's float32 log
    # gave 1.9459102 where the correctly rounded value is 1.9459101.
    got = np.array([1.9459101], np.float32)
    want = np.array([1.9459102], np.float32)
    assert compare(got, want, RTOL_DOUBLE, 0.0) is None
    assert compare(np.array([1.9], np.float32), want, RTOL_DOUBLE, 0.0) is not None
    # Double precision keeps its tolerance.
    assert compare(np.array([1.0 + 1e-9]), np.array([1.0]), RTOL_DOUBLE, 0.0) is not None


def test_complex_values_close_as_a_whole():
    got = np.array([1e308 - 4.677e290j, 2 + 3j])
    want = np.array([1e308 + 0j, 2 + 3j])
    assert compare(got, want, RTOL_DOUBLE, 0.0) is None
    # A part that is wrong at the value's own scale is still reported.
    assert compare(np.array([1e308 - 1e300j]), np.array([1e308 + 0j]), RTOL_DOUBLE, 0.0) is not None
    assert compare(np.array([2 - 3j]), np.array([2 + 3j]), RTOL_DOUBLE, 0.0) is not None
    # Infinities and NaNs must match part by part.
    assert compare(np.array([complex(np.inf, 0)]), np.array([complex(-np.inf, 0)]), RTOL_DOUBLE, 0.0) is not None
    assert compare(np.array([complex(np.nan, 1)]), np.array([complex(np.nan, 1)]), RTOL_DOUBLE, 0.0) is None
