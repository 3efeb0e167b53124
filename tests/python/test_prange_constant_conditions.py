"""A value a prange iteration assigns under `if True:` (or in the `else` of
`if False:`) is assigned on every path of that iteration: the loop runs in
parallel, where it was refused as a value carried from another iteration
(found by the fuzzer's prange family, seed 401 case 735). Compared with
.py_func across dtypes, layouts and sizes."""
import numpy as np
import pytest

from conftest import dtype_id, laid_out
from numjit import njit, prange
from numjit.errors import TypingError

DTYPES = [np.int32, np.int64, np.float64]
LAYOUTS = ["C", "strided", "reversed"]
SIZES = [0, 1, 9, 1000]


@njit(parallel=True)
def constant_branches(a):
    total = 0
    out = np.zeros(a.shape[0])
    for i in prange(a.shape[0]):
        if True:
            flag = a[i] > 0
        else:
            flag = False
        if False:
            pass
        else:
            scale = 2
        total |= int(flag)
        out[i] = a[i] * scale
    return total, out


@njit
def unassigned_in_dead_branch(a):
    if False:
        value = a[0]
    return value  # Python raises UnboundLocalError here


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", SIZES)
def test_constant_branches_run_in_parallel(dtype, layout, size):
    a = laid_out((np.arange(size) % 7 - 3).astype(dtype), layout)
    total, out = constant_branches(a)
    want_total, want_out = constant_branches.py_func(a)
    assert total == want_total
    np.testing.assert_array_equal(out, want_out)


def test_the_loop_is_parallel(capsys):
    constant_branches(np.arange(4))
    constant_branches.parallel_diagnostics()
    assert "prange loop runs in parallel" in capsys.readouterr().out


def test_a_dead_branch_assigns_nothing():
    with pytest.raises(UnboundLocalError):
        unassigned_in_dead_branch.py_func(np.ones(3))
    # Never assigned in code that runs, the variable has no type: a located TypingError.
    with pytest.raises(TypingError, match="used before any value is assigned"):
        unassigned_in_dead_branch(np.ones(3))
