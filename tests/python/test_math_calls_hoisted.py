"""math calls may run where the source did not ask for them (they are pure
and never trap): a loop-invariant call inside a loop that can raise
ZeroDivisionError moves out of the loop, and a call under an `if` may be
computed for every lane of a vector. Results and exceptions must stay those
of Python: compared with .py_func across dtypes, sizes and layouts, with
divisors of zero at the first, a middle and the last element."""
import math
import re

import numpy as np
import pytest

from conftest import dtype_id, laid_out
from numjit import njit

DTYPES = [np.float64, np.float32]
SIZES = [1, 2, 7, 64, 1000]


@njit
def damped(x):
    return x * (1.0 + math.exp(-x))


@njit
def newton_rates(price, spot, strike, steps):
    # The shape of an implied-volatility solver: log(spot / strike) is the
    # same in every step, after a division that may raise. The jitted helper
    # keeps the loop's checks where they are (they are not deferred).
    out = np.empty(price.shape[0])
    for i in range(price.shape[0]):
        s, k, p = spot[i], strike[i], price[i]
        rate = 0.1
        for _ in range(steps):
            scaled = p / rate  # a check on each step, before the call
            value = math.log(s / k) + damped(rate) - scaled
            slope = 2.0 + rate * rate + math.exp(-rate)
            rate = min(max(rate - value / slope, -5.0), 5.0)
        out[i] = rate
    return out


@njit
def logs_where_positive(x, out):
    for i in range(x.shape[0]):
        if x[i] > 0:
            out[i] = math.log(x[i]) + math.sqrt(x[i])
        else:
            out[i] = -1.0


@njit
def exps_under_a_rare_condition(x, limit):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > limit:
            s += math.exp(-x[i]) / x[i]
    return s


def arrays(n, dtype, seed):
    rng = np.random.default_rng(seed)
    spot = rng.uniform(5.0, 30.0, n).astype(dtype)
    strike = rng.uniform(1.0, 100.0, n).astype(dtype)
    price = rng.uniform(-1.0, 1.0, n).astype(dtype)
    return price, spot, strike


def close(got, expected, dtype=np.float64):
    # A vectorized loop calls libmvec, within a few ulps of libm; float32
    # data take float32's math functions, where Python computes in float64.
    rtol = 2e-13 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol)


# float32 data would differ from Python's float32 arithmetic by more than
# a Newton iteration's conditioning allows (and integer prices of 0 drive
# the rate to 0): float64 here; float32 in the tests below.
@pytest.mark.parametrize("kind", ["C", "strided", "reversed"])
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", [np.float64], ids=dtype_id)
def test_invariant_call_after_a_division_check(dtype, n, kind):
    price, spot, strike = (laid_out(a, kind) for a in arrays(n, dtype, n))
    close(newton_rates(price, spot, strike, 12), newton_rates.py_func(price, spot, strike, 12), dtype)


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=dtype_id)
def test_a_zero_divisor_still_raises(dtype, where):
    price, spot, strike = arrays(9, dtype, 3)
    strike[{"first": 0, "middle": 4, "last": 8}[where]] = 0
    # Python's own floats raise here (NumPy's scalars warn and give inf); compiled code raises as Numba does.
    with pytest.raises(ZeroDivisionError):
        newton_rates.py_func(price, spot.tolist(), strike.tolist(), 5)
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        newton_rates(price, spot, strike, 5)


def test_no_steps_calls_nothing():
    price, spot, strike = arrays(5, np.float64, 4)
    strike[:] = 0  # never divided by: the inner loop does not run
    np.testing.assert_array_equal(newton_rates(price, spot, strike, 0), newton_rates.py_func(price, spot, strike, 0))


def control_flow(function_ir):
    """({block: its lines}, {block: its successors}) of one function's IR."""
    blocks, successors, name = {}, {}, "entry"
    for line in function_ir.splitlines()[1:]:
        label = re.match(r"^([\w.]+):", line)
        if label:
            name = label.group(1)
            continue
        blocks.setdefault(name, []).append(line)
        if line.strip().startswith(("br ", "switch ")):
            successors.setdefault(name, []).extend(re.findall(r"label %([\w.]+)", line))
    return blocks, successors


def on_a_cycle_avoiding(successors, block, avoided):
    """Whether control can leave `block` and come back without passing any
    block of `avoided`."""
    seen, stack = set(), [block]
    while stack:
        for s in successors.get(stack.pop(), []):
            if s == block:
                return True
            if s not in seen and s not in avoided:
                seen.add(s)
                stack.append(s)
    return False


def test_the_invariant_log_is_outside_the_inner_loop():
    price, spot, strike = arrays(16, np.float64, 5)
    close(newton_rates(price, spot, strike, 12), newton_rates.py_func(price, spot, strike, 12))
    ir = "\n".join(newton_rates.inspect_llvm().values())
    functions = [f for f in re.findall(r"^define [^\n]*\{\n.*?^\}$", ir, re.S | re.M) if "@log(" in f]
    assert functions, "no compiled function calls log"
    for function in functions:
        blocks, successors = control_flow(function)
        # Every cycle through the call must pass the store of out[i]: the call
        # is in the outer loop's body, not on the inner loop's cycle.
        stores = {b for b, lines in blocks.items() if any(l.strip().startswith("store double") for l in lines)}
        calling = [b for b, lines in blocks.items() if any("call" in l and "@log(" in l for l in lines)]
        assert stores and calling
        for block in calling:
            assert not on_a_cycle_avoiding(successors, block, stores), f"log is called inside the inner loop ({block})"


@pytest.mark.parametrize("kind", ["C", "strided", "reversed"])
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_calls_under_an_if(dtype, n, kind):
    rng = np.random.default_rng(n)
    x = laid_out(rng.uniform(-2.0, 3.0, n).astype(dtype), kind)
    x[::3] = 0 if n > 2 else x[::3]
    got, expected = np.empty(n), np.empty(n)
    logs_where_positive(x, got)
    logs_where_positive.py_func(x, expected)
    close(got, expected, dtype)
    for limit in (0.0, 0.5, 2.9, 10.0):  # x > limit >= 0: never divided by zero
        close(exps_under_a_rare_condition(x, limit), exps_under_a_rare_condition.py_func(x, limit), dtype)
