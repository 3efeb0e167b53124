"""np.random.Generator in compiled code (python/numjit/library/generator.py):
each method's draws equal NumPy's for a Generator of the same seed, number for
number, for scalars and arrays (same dtype, shape and kind of scalar), and the
generator passed in advances exactly as NumPy's would; shuffle, permutation
and choice (every branch of choice without replacement); np.random.default_rng
in compiled code, Generators returned to Python and passed between jitted
functions; NumPy's errors for bad parameters; dtypes passed between jitted
functions; and no leaked blocks or references."""
import gc
import importlib.util
import pathlib
import re
import sys
import tempfile

import numpy as np
import pytest

from numjit import njit, runtime

SEEDS = [0, 7, 2**40 + 3]
SIZES = [None, 5, (2, 3)]

# method -> parameter sets; each is drawn with size None, 5 and (2, 3).
METHODS = {
    "random": [()], "standard_normal": [()], "standard_exponential": [()], "standard_cauchy": [()],
    "standard_gamma": [(0.5,), (1.0,), (3.5,), (0.0,)], "normal": [(1.0, 2.0), (-3.0, 0.0), (1, 2)],
    "exponential": [(2.0,), (0.0,)], "gamma": [(0.5, 2.0), (1.0, 1.0), (3.0, 0.5)],
    "uniform": [(-1.0, 3.0), (2.0, 2.0), (0, 10)],
    "beta": [(0.5, 0.7), (2.0, 3.0), (0.2, 5.0)],
    "binomial": [(20, 0.3), (1000, 0.3), (1000, 0.7), (10, 0.9), (0, 0.5), (50, 0.0), (100000, 0.45)],
    "chisquare": [(3.0,), (0.5,)], "f": [(3.0, 5.0)], "geometric": [(0.2,), (0.6,), (1.0,)], "gumbel": [(1.0, 2.0)],
    "hypergeometric": [(5, 3, 4), (100, 200, 50), (600, 400, 990), (10, 10, 0)],
    "laplace": [(1.0, 2.0)], "logistic": [(1.0, 2.0)], "lognormal": [(0.5, 1.5)],
    "logseries": [(0.6,), (0.99,), (0.0,)],
    "negative_binomial": [(5, 0.4), (0.5, 0.9), (3.0, 1.0)],
    "noncentral_chisquare": [(3.0, 2.0), (0.5, 1.0), (3.0, 0.0)], "noncentral_f": [(3.0, 5.0, 2.0), (3.0, 5.0, 0.0)],
    "pareto": [(2.0,)], "poisson": [(3.0,), (0.0,), (50.0,), (1e4,), (7,)], "power": [(2.0,)], "rayleigh": [(2.0,)],
    "standard_t": [(4.0,), (0.7,)], "triangular": [(0.0, 1.0, 3.0), (0.0, 0.0, 1.0), (0.0, 1.0, 1.0), (-1, 0, 2)],
    "vonmises": [(0.5, 2.0), (1.0, 1e-9), (-1.0, 1e6), (0.0, 0.0)], "wald": [(1.0, 2.0)], "weibull": [(1.5,), (0.0,)],
    "zipf": [(2.0,), (1.2,)],
}
CASES = [(name, params) for name in sorted(METHODS) for params in METHODS[name]]
INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool_"]


def _generated_module():
    """Jitted drawers written to a module file (numjit reads their source):
    draw_<method>_<arity>(rng, p0.., size) and integers_<dtype>(rng, low, high, size, endpoint)."""
    lines = ["import numpy as np\n"]
    for name, arity in sorted({(name, len(p)) for name, p in CASES} | {(name, len(p)) for name, p, _ in BAD_CASES}):
        lead = "".join(f"p{k}, " for k in range(arity))
        lines.append(f"def draw_{name}_{arity}(rng, {lead}size):\n    return rng.{name}({lead}size=size)\n")
    for dtype in INT_DTYPES:
        lines.append(f"def integers_{dtype}(rng, low, high, size, endpoint):\n"
                     f"    return rng.integers(low, high, size, np.{dtype}, endpoint)\n")
    path = pathlib.Path(tempfile.mkdtemp(prefix="numjit_generator_")) / "generator_drawers.py"
    path.write_text("\n\n".join(lines))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: njit(f) for name, f in vars(module).items() if callable(f) and name[0] != "_" and name != "np"}


def assert_same_draws(got, want):
    """Equal exactly: arrays of the same dtype and shape, or scalars of the same kind."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            assert_same_draws(g, w)
        return
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"expected an array, got {got!r}"
        assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape, want.dtype, want.shape)
        np.testing.assert_array_equal(got, want)
        return
    assert not isinstance(got, np.ndarray), f"expected a scalar, got {got!r}"
    if want is None:
        assert got is None
    elif isinstance(want, (bool, np.bool_)):
        assert isinstance(got, (bool, np.bool_)), type(got)
    elif isinstance(want, (int, np.integer)):
        assert isinstance(got, (int, np.integer)) and not isinstance(got, (bool, np.bool_)), type(got)
    else:
        assert isinstance(got, (float, np.floating)), type(got)
    assert got == want, (got, want)


def assert_same_state(a, b):
    np.testing.assert_equal(a.bit_generator.state, b.bit_generator.state)
    assert a.random() == b.random()


def compare(f, seed, *args):
    """f(rng, *args) compiled and f.py_func on a second generator of the same
    seed: equal results, and both generators continue alike. Returns the result."""
    a, b = np.random.default_rng(seed), np.random.default_rng(seed)
    got, want = f(a, *args), f.py_func(b, *args)
    assert_same_draws(got, want)
    assert_same_state(a, b)
    return got


NAN = float("nan")
# NumPy's message -> the (method, parameters) that raise it; an OverflowError for the last, ValueError for the others.
BAD = {
    "shape < 0": [("standard_gamma", (-1.0,)), ("gamma", (-1.0, 1.0))],
    "scale < 0": [("normal", (0.0, -1.0)), ("normal", (0.0, -0.0)), ("exponential", (-1.0,)), ("gamma", (1.0, -1.0)),
                  ("gumbel", (0.0, -1.0)), ("laplace", (0.0, -1.0)), ("logistic", (0.0, -1.0)), ("rayleigh", (-1.0,))],
    "high - low < 0": [("uniform", (2.0, 1.0))], "sigma < 0": [("lognormal", (0.0, -1.0))],
    "a <= 0": [("beta", (0.0, 1.0)), ("pareto", (0.0,)), ("power", (0.0,))], "b <= 0": [("beta", (1.0, 0.0))],
    "df <= 0": [("chisquare", (0.0,)), ("noncentral_chisquare", (0.0, 1.0)), ("standard_t", (0.0,))],
    "dfnum <= 0": [("f", (0.0, 1.0)), ("noncentral_f", (0.0, 1.0, 1.0))],
    "dfden <= 0": [("f", (1.0, 0.0)), ("noncentral_f", (1.0, 0.0, 1.0))],
    "nonc < 0": [("noncentral_chisquare", (1.0, -1.0)), ("noncentral_f", (1.0, 1.0, -1.0))],
    "left > mode": [("triangular", (2.0, 1.0, 3.0))], "mode > right": [("triangular", (0.0, 2.0, 1.0))],
    "left == right": [("triangular", (1.0, 1.0, 1.0))], "kappa < 0": [("vonmises", (0.0, -1.0))],
    "mean <= 0": [("wald", (0.0, 1.0))], "scale <= 0": [("wald", (1.0, 0.0))], "a < 0": [("weibull", (-1.0,))],
    "p < 0, p > 1 or p is NaN": [("binomial", (10, 1.5)), ("binomial", (10, NAN)), ("binomial", (10, -0.1))],
    "n < 0": [("binomial", (-1, 0.5))],
    "p <= 0, p > 1 or p contains NaNs": [("geometric", (0.0,)), ("geometric", (1.5,)), ("geometric", (NAN,)),
                                         ("negative_binomial", (1.0, 0.0)), ("negative_binomial", (1.0, 1.5))],
    "both ngood and nbad must be less than 1000000000": [("hypergeometric", (10**9, 1, 1)),
                                                         ("hypergeometric", (1, 10**9, 1))],
    "ngood + nbad < nsample": [("hypergeometric", (2, 2, 5))], "ngood < 0": [("hypergeometric", (-1, 5, 1))],
    "nbad < 0": [("hypergeometric", (5, -1, 1))], "nsample < 0": [("hypergeometric", (5, 5, -1))],
    "p < 0, p >= 1 or p is NaN": [("logseries", (1.0,)), ("logseries", (-0.1,)), ("logseries", (NAN,))],
    "n must not be NaN": [("negative_binomial", (NAN, 0.5))], "n <= 0": [("negative_binomial", (0.0, 0.5))],
    "n too large or p too small, see Generator.negative_binomial Notes": [("negative_binomial", (1e18, 1e-5))],
    "lam < 0 or lam is NaN": [("poisson", (-1.0,)), ("poisson", (NAN,))], "lam value too large": [("poisson", (1e19,))],
    "a <= 1 or a is NaN": [("zipf", (1.0,)), ("zipf", (NAN,))],
    "high - low range exceeds valid bounds": [("uniform", (-1e308, 1e308))],
}
BAD_CASES = [(name, params, message) for message, cases in BAD.items() for name, params in cases]
DRAWERS = _generated_module()


def draw(name, arity):
    return DRAWERS[f"draw_{name}_{arity}"]


# ---- every method's draws ---------------------------------------------------------

@pytest.mark.parametrize("size", SIZES, ids=str)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}{p}" for n, p in CASES])
def test_method_draws_equal_numpys(name, params, seed, size):
    got = compare(draw(name, len(params)), seed, *params, size)
    assert isinstance(got, np.ndarray) == (size is not None)
    reference = getattr(np.random.default_rng(seed), name)(*params, size=size)  # NumPy itself, not py_func
    assert_same_draws(got, reference)


@njit
def float_draws(rng, size):
    return (rng.random(size, np.float32), rng.random(size, dtype=np.float64), rng.standard_normal(size, np.float32),
            rng.standard_exponential(size, np.float32), rng.standard_exponential(size, method="inv"),
            rng.standard_exponential(size, np.float32, "inv"), rng.standard_exponential(size, method="zig"),
            rng.standard_gamma(2.5, size, np.float32), rng.standard_gamma(0.5, size, dtype=np.float32))


@pytest.mark.parametrize("size", SIZES, ids=str)
@pytest.mark.parametrize("seed", SEEDS)
def test_float32_and_inverse_method_draws(seed, size):
    got = compare(float_draws, seed, size)
    if size is not None:
        assert [x.dtype for x in got] == [np.float32, np.float64, np.float32, np.float32, np.float64, np.float32,
                                          np.float64, np.float32, np.float32]


@njit
def mixed_draws(rng):
    return (rng.binomial(1000, 0.3), rng.binomial(10, 0.3, 3), rng.binomial(1000, 0.7, 4), rng.binomial(1000, 0.3, 3),
            rng.binomial(500, 0.6), rng.poisson(100.0, 3), rng.integers(0, 10, 3), rng.standard_normal(), rng.random())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.PCG64DXSM, np.random.MT19937,
                                           np.random.Philox, np.random.SFC64])
def test_alternating_parameters_and_bit_generators(seed, bit_generator):
    a, b = np.random.Generator(bit_generator(seed)), np.random.Generator(bit_generator(seed))
    assert_same_draws(mixed_draws(a), mixed_draws.py_func(b))
    assert_same_state(a, b)


@njit
def inline_drawn(rng, n):
    # The draws runtime/generator.cpp makes itself (PCG64 stepped inline when
    # the bit generator is NumPy's PCG64), as arrays (state kept in registers)
    # and one at a time (stepped in place), around draws through NumPy's C.
    return (rng.random(n), rng.standard_normal(), rng.normal(1.5, 2.0, n), rng.gamma(2.0, 1.0, 2),
            rng.uniform(-1.0, 3.0, n), rng.normal(), rng.uniform(), rng.standard_normal(n), rng.random())


@pytest.mark.parametrize("n", [0, 1, 2, 1000, 5000])
@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.PCG64DXSM, np.random.MT19937,
                                           np.random.Philox, np.random.SFC64])
def test_inline_draws_follow_every_bit_generator(bit_generator, n):
    a, b = np.random.Generator(bit_generator(n + 11)), np.random.Generator(bit_generator(n + 11))
    for _ in range(2):  # the state each call leaves is the next call's start, in both
        assert_same_draws(inline_drawn(a, n), inline_drawn.py_func(b, n))
        assert_same_draws(a.random(3), b.random(3))
    assert_same_state(a, b)


# ---- integers -------------------------------------------------------------------

def _integer_cases(dtype):
    info = np.iinfo(np.int8 if dtype == "bool_" else dtype)
    if dtype == "bool_":
        return [(2, None, False), (1, None, True), (0, 2, False), (0, 1, True), (1, 1, True), (0, 1, False)]
    top = min(int(info.max), 2**63 - 1)
    cases = [(10, None, False), (100, None, True), (3, 17, False), (3, 17, True), (5, 5, True),
             (int(info.min), top, True), (int(info.min), top, False), (0, 1, False)]
    if dtype[0] == "i":
        cases += [(-5, 100, False), (int(info.min), -100, True)]
    if dtype == "int64":
        cases += [(0, 2**33, False), (-2**40, 2**41, True), (-2**62, 2**62, False)]
    return cases


INTEGER_CASES = [(d, *c) for d in INT_DTYPES for c in _integer_cases(d)]


@pytest.mark.parametrize("size", SIZES + [0, (0, 3)], ids=str)
@pytest.mark.parametrize("dtype,low,high,endpoint", INTEGER_CASES, ids=[str(c) for c in INTEGER_CASES])
def test_integers_equal_numpys(dtype, low, high, endpoint, size):
    got = compare(DRAWERS[f"integers_{dtype}"], 3, low, high, size, endpoint)
    if size is not None:
        assert got.dtype == np.dtype(getattr(np, dtype))


@pytest.mark.parametrize("low,high,endpoint", [(0, 2**64 - 1, True), (2**63, 2**64 - 1, False), (0, 2**63, False)])
def test_integers_in_uint64s_upper_half(low, high, endpoint):
    for size in (None, 4):
        compare(DRAWERS["integers_uint64"], 1, low, high, size, endpoint)


@pytest.mark.parametrize("dtype,low,high,endpoint,message", [
    ("int64", 0, None, False, "high <= 0"), ("int64", -1, None, True, "high < 0"),
    ("int64", 5, 3, False, "low >= high"), ("int64", 5, 5, False, "low >= high"), ("int64", 5, 4, True, "low > high"),
    ("int8", -200, 5, False, "low is out of bounds for "), ("int8", 0, 300, False, "high is out of bounds for "),
    ("uint8", -1, 5, False, "low is out of bounds for "), ("bool_", 0, 3, False, "high is out of bounds for "),
    ("int16", 0, 32768, True, "high is out of bounds for "),
    ("uint32", 0, 2**32 + 1, False, "high is out of bounds for "),
])
def test_integers_errors(dtype, low, high, endpoint, message):
    f = DRAWERS[f"integers_{dtype}"]
    compiled = message + "the dtype" if message.endswith("for ") else message
    for size in (None, 3):
        with pytest.raises(ValueError, match="^" + re.escape(compiled) + "$"):
            f(np.random.default_rng(0), low, high, size, endpoint)
        with pytest.raises(ValueError, match="^" + re.escape(message)):
            f.py_func(np.random.default_rng(0), low, high, size, endpoint)
    # NumPy checks nothing when it draws nothing.
    assert_same_draws(f(np.random.default_rng(0), low, high, 0, endpoint),
                      f.py_func(np.random.default_rng(0), low, high, 0, endpoint))


# ---- errors --------------------------------------------------------------------

@pytest.mark.parametrize("name,params,message", BAD_CASES, ids=[f"{n}{p}" for n, p, _ in BAD_CASES])
def test_bad_parameters_raise_numpys_errors(name, params, message):
    f = draw(name, len(params))
    error = OverflowError if "exceeds" in message else ValueError
    for size in (None, 3):
        for g in (f.py_func, f):
            with pytest.raises(error, match="^" + re.escape(message) + "$"):
                g(np.random.default_rng(0), *params, size)


@njit
def unsupported_float_dtype(rng, which):
    if which == 0:
        return rng.random(dtype=np.int32)
    return rng.standard_normal(dtype=np.int32) if which == 1 else rng.standard_exponential(dtype=np.int32)


@pytest.mark.parametrize("which", range(3))
def test_unsupported_float_dtypes_raise_type_error(which):
    for f in (unsupported_float_dtype, unsupported_float_dtype.py_func):
        with pytest.raises(TypeError, match="Unsupported dtype"):
            f(np.random.default_rng(0), which)


# ---- shuffle and permutation -----------------------------------------------------------

@njit
def shuffle(rng, x, axis=0):
    rng.shuffle(x, axis=axis)


@njit
def shuffle_every_other(rng, x):
    rng.shuffle(x[::2])


@njit
def permutation(rng, x, axis=0):
    return rng.permutation(x, axis)


def _shuffled(f, seed, x, *args, view=lambda v: v):
    """Runs f (which shuffles view(x) in place) compiled and as Python on copies of x; checks they agree."""
    mine, theirs = x.copy(), x.copy()
    a, b = np.random.default_rng(seed), np.random.default_rng(seed)
    assert f(a, view(mine), *args) is None and f.py_func(b, view(theirs), *args) is None
    assert_same_state(a, b)
    if isinstance(x, np.ndarray):
        assert_same_draws(mine, theirs)
    else:
        assert mine == theirs and sorted(mine) == sorted(x)
    return mine


ARRAYS = [np.arange(10.0), np.arange(17, dtype=np.int32), np.array([True, False, True]), np.arange(1.0), np.arange(0.0)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("x", ARRAYS, ids=lambda x: f"{x.dtype}{x.shape}")
def test_shuffle_and_permutation_of_1d_arrays(seed, x):
    shuffled = _shuffled(shuffle, seed, x)
    assert sorted(shuffled.tolist()) == sorted(x.tolist())
    before = x.copy()
    compare(permutation, seed, x)
    compare(permutation, seed, x, 0)
    assert_same_draws(x, before)  # permutation copies


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("axis", [0, 1])
def test_shuffle_and_permutation_of_2d_arrays(seed, axis):
    x = np.arange(24.0).reshape(4, 6)
    _shuffled(shuffle, seed, x, axis)
    _shuffled(shuffle, seed, x)
    _shuffled(shuffle, seed, np.arange(24).reshape(2, 3, 4), axis)
    compare(permutation, seed, x, axis)
    compare(permutation, seed, np.asfortranarray(x), axis)
    compare(permutation, seed, x)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("axis", [0, 1])
def test_shuffle_of_views_and_lists(seed, axis):
    _shuffled(shuffle_every_other, seed, np.arange(20.0))  # a view made in compiled code
    for view in (lambda v: v[::2], lambda v: v[:, 1], lambda v: v.T, lambda v: v[1:, ::2], lambda v: v[::-1, 1:]):
        shuffled = _shuffled(shuffle, seed, np.arange(20.0).reshape(4, 5), 0 if view(np.empty((4, 5))).ndim == 1
                             else axis, view=view)
        assert sorted(shuffled.ravel().tolist()) == list(range(20))
    _shuffled(shuffle, seed, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    _shuffled(shuffle, seed, list(range(9)))


def test_shuffle_of_a_list_along_another_axis_is_not_implemented():
    for f in (shuffle, shuffle.py_func):
        x = [1.0, 2.0, 3.0]
        with pytest.raises(NotImplementedError, match="Axis argument is only supported on ndarray objects"):
            f(np.random.default_rng(0), x, 1)
        assert x == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", [0, 1, 2, 10, 1000])
def test_permutation_of_an_integer(seed, n):
    got = compare(permutation, seed, n)
    assert got.dtype == np.int64 and sorted(got.tolist()) == list(range(n))


# ---- choice ----------------------------------------------------------------------

@njit
def choice(rng, a, size, replace, shuffle=True, axis=0):
    return rng.choice(a, size, replace, axis=axis, shuffle=shuffle)


@njit
def choice_p(rng, a, size, replace, p):
    return rng.choice(a, size, replace, p)


POPULATIONS = [10, np.arange(10.0) * 1.5, np.arange(10, 20, dtype=np.int32), np.arange(30).reshape(10, 3)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("a", POPULATIONS, ids=lambda a: str(getattr(a, "shape", a)))
@pytest.mark.parametrize("size", SIZES + [0], ids=str)
@pytest.mark.parametrize("replace,shuffle", [(True, True), (False, True), (False, False)])
def test_choice_equals_numpys(seed, a, size, replace, shuffle):
    got = compare(choice, seed, a, size, replace, shuffle)
    if not replace and size is not None:
        flat = got.reshape(-1, 3) if getattr(a, "ndim", 1) == 2 else got.reshape(-1)
        assert len({str(v) for v in flat.tolist()}) == len(flat)  # no repeats


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", [5, 400, 401, 999, 1000, 1001, 19999, 20000])
@pytest.mark.parametrize("shuffle", [True, False])
def test_choice_without_replacement_from_a_large_population(seed, size, shuffle):
    got = compare(choice, seed, 20000, size, False, shuffle)
    assert len(set(got.tolist())) == size


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("a", [5, np.array([10.0, 20.0, 30.0, 40.0, 50.0])], ids=["int", "array"])
@pytest.mark.parametrize("size", [None, 3, (2, 2)], ids=str)
@pytest.mark.parametrize("replace", [True, False])
@pytest.mark.parametrize("p", [np.array([0.1, 0.0, 0.3, 0.2, 0.4]), np.array([0.1, 0.2, 0.3, 0.2, 0.2], np.float32)],
                         ids=["float64", "float32"])
def test_choice_with_probabilities(seed, a, size, replace, p):
    compare(choice_p, seed, a, size, replace, p)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("replace", [True, False])
def test_choice_along_axis_1(seed, replace):
    compare(choice, seed, np.arange(24.0).reshape(4, 6), 3, replace, True, 1)


@pytest.mark.parametrize("f,args,message", [
    (choice, (0, None, True, True), "a must be a positive integer unless no samples are taken"),
    (choice, (-2, 3, True, True), "a must be a positive integer unless no samples are taken"),
    (choice, (np.arange(0.0), None, True, True), "a cannot be empty unless no samples are taken"),
    (choice, (3, 4, False, True), "Cannot take a larger sample than population when replace is False"),
    (choice_p, (3, None, True, np.ones((1, 3)) / 3), "p must be 1-dimensional"),
    (choice_p, (3, None, True, np.ones(4) / 4), "a and p must have same size"),
    (choice_p, (3, None, True, np.array([np.nan, 0.5, 0.5])), "Probabilities contain NaN"),
    (choice_p, (3, None, True, np.array([-0.5, 1.0, 0.5])), "Probabilities are not non-negative"),
    (choice_p, (3, 2, False, np.array([0.5, 0.6, 0.5])), "Probabilities do not sum to 1"),
    (choice_p, (3, 3, False, np.array([0.5, 0.0, 0.5])), "Fewer non-zero entries in p than size"),
])
def test_choice_errors(f, args, message):
    for g in (f.py_func, f):
        with pytest.raises(ValueError, match="^" + re.escape(message)):
            g(np.random.default_rng(0), *args)


def test_choice_of_nothing_from_nothing():
    assert_same_draws(compare(choice, 0, 0, 0, True, True), np.empty(0, np.int64))
    assert_same_draws(compare(choice, 0, np.arange(0.0), (0, 2), False, True), np.empty((0, 2)))


# ---- default_rng, returning and passing generators ------------------------------------

@njit
def seeded_draws(seed, n):
    rng = np.random.default_rng(seed)
    return rng.random(n), rng.integers(0, 100, n), rng.normal(), rng.choice(n, 2, replace=False)


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**62])
def test_default_rng_with_a_seed_equals_numpys(seed):
    got = seeded_draws(seed, 6)
    assert_same_draws(got, seeded_draws.py_func(seed, 6))
    rng = np.random.default_rng(seed)
    assert_same_draws(got, (rng.random(6), rng.integers(0, 100, 6), rng.normal(), rng.choice(6, 2, replace=False)))
    for f in (make_only, make_only.py_func):
        with pytest.raises(ValueError, match="expected non-negative integer"):
            f(-1 - seed)


@njit
def unseeded(which):
    rng = np.random.default_rng() if which == 0 else np.random.default_rng(None)
    return rng.random(), rng.random(4), rng


@pytest.mark.parametrize("which", [0, 1])
def test_default_rng_without_a_seed(which):
    x, xs, rng = unseeded(which)
    assert type(rng) is np.random.Generator
    assert isinstance(x, float) and 0.0 <= x < 1.0
    assert xs.dtype == np.float64 and xs.shape == (4,) and np.all((xs >= 0.0) & (xs < 1.0))
    y = rng.random()
    assert isinstance(y, float) and 0.0 <= y < 1.0


@njit
def make(seed):
    rng = np.random.default_rng(seed)
    x = rng.random(3)
    return x, rng


@njit
def make_only(seed):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_generator_made_in_compiled_code_continues_in_python(seed):
    x, rng = make(seed)
    reference = np.random.default_rng(seed)
    assert_same_draws(x, reference.random(3))
    assert type(rng) is np.random.Generator
    assert_same_state(rng, reference)
    assert_same_draws(rng.normal(size=4), reference.normal(size=4))
    assert sys.getrefcount(rng) == sys.getrefcount(reference)  # no reference left behind
    fresh = make_only(seed)
    assert_same_state(fresh, np.random.default_rng(seed))
    assert make_only(seed) is not fresh


@njit
def helper(rng, n):
    return rng.standard_normal(n)


@njit
def through_helper(rng, n):
    g = rng  # a local
    x = helper(g, n)
    y = helper(rng, n)
    return x, y, g.random(), rng


@njit
def returned_as_is(rng):
    rng.random()
    return rng


@njit
def made_and_passed(seed, n):
    rng = np.random.default_rng(seed)
    return helper(rng, n), returned_as_is(rng).integers(5), rng


@pytest.mark.parametrize("seed", SEEDS)
def test_generators_passed_to_helpers_and_returned(seed):
    a, b = np.random.default_rng(seed), np.random.default_rng(seed)
    got, want = through_helper(a, 4), through_helper.py_func(b, 4)
    assert got[3] is a and want[3] is b
    assert_same_draws(got[:3], want[:3])
    assert_same_state(a, b)
    assert returned_as_is(a) is a
    returned_as_is.py_func(b)
    assert_same_state(a, b)
    got, want = made_and_passed(seed, 3), made_and_passed.py_func(seed, 3)
    assert_same_draws(got[:2], want[:2])
    assert_same_state(got[2], want[2])


def test_references_to_a_passed_generator_are_balanced():
    rng = np.random.default_rng(5)
    through_helper(rng, 2)
    returned_as_is(rng)
    before = sys.getrefcount(rng)
    for _ in range(50):
        through_helper(rng, 2)
        returned_as_is(rng)
        make(1)
    gc.collect()
    assert sys.getrefcount(rng) == before


@njit
def generators_in_a_loop(n):
    total = 0.0
    for i in range(n):
        rng = np.random.default_rng(i)
        total += rng.random(10).sum() + rng.normal(size=(2, 3)).sum() + rng.choice(50, 5, replace=False).sum()
        rng.shuffle(np.arange(4.0))
    return total


def _live_generators():
    gc.collect()
    return sum(type(o) is np.random.Generator for o in gc.get_objects())


def test_generators_made_in_loops_do_not_leak():
    assert generators_in_a_loop(5) == pytest.approx(generators_in_a_loop.py_func(5), rel=1e-12)
    rng = np.random.default_rng(0)
    helper(rng, 3)
    live = _live_generators()
    before = runtime.allocation_stats()
    for _ in range(10):
        generators_in_a_loop(20)
        helper(rng, 3)
        make(2)
    gc.collect()
    after = runtime.allocation_stats()
    allocs, frees = after.alloc - before.alloc, after.free - before.free
    assert allocs >= 200, f"only {allocs} blocks counted"
    assert allocs == frees, f"{allocs} blocks allocated, {frees} freed"
    assert _live_generators() == live  # the Python Generators made by default_rng are freed too


# ---- dtypes passed between jitted functions -------------------------------------------

@njit
def zeros_of(n, dtype=np.float64):
    return np.zeros(n, dtype)


@njit
def is_single(dtype):
    return dtype == np.float32


@njit
def random_as(rng, n, dtype):
    return rng.random(n, dtype)


@njit
def dtype_arguments(rng, n):
    a = np.ones(2, np.int16)
    b = np.ones(2, np.float32)
    return (zeros_of(n, np.int32), zeros_of(n, np.float32), zeros_of(n, np.bool_), zeros_of(n, a.dtype),
            zeros_of(n, float), zeros_of(n), zeros_of(n, dtype=np.uint8), is_single(np.float32),
            is_single(np.float64), is_single(a.dtype), is_single(b.dtype), random_as(rng, n, np.float32),
            random_as(rng, n, b.dtype), random_as(rng, n, float))


@pytest.mark.parametrize("n", [0, 3])
def test_dtypes_passed_between_jitted_functions(n):
    # dtype_arguments.py_func would call the jitted helpers from Python with dtypes, which is not allowed:
    # the reference is written out.
    a, b = np.random.default_rng(4), np.random.default_rng(4)
    got = dtype_arguments(a, n)
    want = tuple(np.zeros(n, d) for d in (np.int32, np.float32, np.bool_, np.int16, np.float64, np.float64, np.uint8))
    want += (True, False, False, True, b.random(n, np.float32), b.random(n, np.float32), b.random(n, np.float64))
    assert_same_draws(got, want)
    assert_same_state(a, b)


def test_dtypes_cannot_be_passed_from_python():
    for dtype in (np.int32, np.float32):
        with pytest.raises(TypeError, match="is a Python type"):
            zeros_of(2, dtype)


def test_a_jitted_function_with_a_dtype_default_called_from_python():
    assert_same_draws(zeros_of(2), np.zeros(2))  # nothing passed: the default is the function's own


# ---- dirichlet, multinomial, permuted ---------------------------------------

@njit
def dirichlet(rng, alpha, size):
    return rng.dirichlet(alpha, size)


@njit
def multinomial(rng, n, pvals, size):
    return rng.multinomial(n, pvals, size)


@njit
def permuted(rng, x, axis):
    return rng.permuted(x, axis=axis)


@njit
def permuted_into(rng, x, out):
    return rng.permuted(x, out=out)


@pytest.mark.parametrize("seed", [0, 11])
@pytest.mark.parametrize("size", [None, 4, (2, 3)], ids=str)
@pytest.mark.parametrize("alpha", [[1.0, 2.0, 0.5], [0.05, 0.02, 0.01], [3.0], [0.0, 0.0], [0.05, 0.0, 0.05]], ids=str)
def test_dirichlet_equals_numpys(alpha, size, seed):
    compare(dirichlet, seed, np.array(alpha), size)


def test_dirichlet_checks_alpha():
    with pytest.raises(ValueError, match="alpha < 0"):
        dirichlet(np.random.default_rng(0), np.array([1.0, -1.0]), None)


@pytest.mark.parametrize("seed", [0, 5])
@pytest.mark.parametrize("size", [None, 3, (2, 2)], ids=str)
@pytest.mark.parametrize("n, pvals", [(20, [0.2, 0.3, 0.5]), (1000, [0.1] * 10), (0, [0.5, 0.5]), (7, [1.0]),
                                      (50, [0.0, 1.0, 0.0])], ids=str)
def test_multinomial_equals_numpys(n, pvals, size, seed):
    got = compare(multinomial, seed, n, np.array(pvals), size)
    assert (got.sum(axis=-1) == n).all()


@pytest.mark.parametrize("n, pvals, message", [(5, [0.6, 0.6, 0.0], r"sum\(pvals\[:-1\]\) > 1.0"),
                                               (5, [1.5, -0.5], "pvals < 0, pvals > 1 or pvals contains NaNs"),
                                               (-1, [0.5, 0.5], "n < 0")])
def test_multinomial_errors(n, pvals, message):
    for f in (multinomial, multinomial.py_func):
        with pytest.raises(ValueError, match=message):
            f(np.random.default_rng(0), n, np.array(pvals), None)


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("make", [lambda: np.arange(12.0).reshape(3, 4), lambda: np.arange(12).reshape(4, 3),
                                  lambda: np.asfortranarray(np.arange(20.0).reshape(4, 5)),
                                  lambda: np.arange(30.0).reshape(5, 6)[:, ::2],
                                  lambda: np.arange(24).reshape(2, 3, 4)],
                         ids=["c", "int", "fortran", "strided", "3d"])
def test_permuted_equals_numpys_and_leaves_x_alone(make, axis):
    x = make()
    before = x.copy()
    got = compare(permuted, 3, x, axis)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(np.sort(got, axis=None), np.sort(before, axis=None))


def test_permuted_into_out_and_one_dimensional():
    x = np.arange(10.0)
    out_a, out_b = np.empty(10), np.empty(10)
    a, b = np.random.default_rng(4), np.random.default_rng(4)
    got, want = permuted_into(a, x, out_a), permuted_into.py_func(b, x, out_b)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(out_a, out_b)
    assert_same_state(a, b)
    with pytest.raises(ValueError, match="out must have the same shape as x"):
        permuted_into(np.random.default_rng(0), x, np.empty(9))


# ---- array parameters, broadcast as NumPy broadcasts them ------------------

@njit
def array_parameters(rng, mu, sig, n, p, lam):
    return (rng.normal(mu, sig), rng.normal(mu, 2.0, (3, 4)), rng.normal(0.0, sig), rng.binomial(n, p),
            rng.binomial(n, 0.3), rng.poisson(lam), rng.uniform(mu, mu + 1.0), rng.gamma(sig, 2.0),
            rng.exponential(sig, (2, 4)), rng.beta(sig, sig[::-1]), rng.hypergeometric(n, n, n),
            rng.triangular(mu, mu + 1.0, mu + 2.0), rng.negative_binomial(sig, p), rng.zipf(sig + 1.5),
            rng.standard_gamma(sig), rng.geometric(p), rng.logseries(p * 0.5), rng.noncentral_f(sig, sig, mu))


@pytest.mark.parametrize("seed", [0, 9, 123])
def test_array_parameters_broadcast_as_numpys(seed):
    mu, sig = np.arange(4.0), np.array([0.5, 1.0, 2.0, 3.0])
    n, p = np.array([[5], [10], [20]]), np.array([0.1, 0.5, 0.9, 0.3])
    lam = np.array([[1.0, 2.0], [30.0, 100.0]])
    got = compare(array_parameters, seed, mu, sig, n, p, lam)
    assert got[0].shape == (4,) and got[3].shape == (3, 4) and got[5].shape == (2, 2)


@njit
def normal_of(rng, loc, scale, size):
    return rng.normal(loc, scale, size)


@pytest.mark.parametrize("loc, scale, size", [(np.arange(3.0), 1.0, None), (np.arange(3.0), 1.0, (2, 3)),
                                               (np.ones((2, 1)), np.arange(1.0, 4.0), None),
                                               (np.arange(6.0).reshape(2, 3)[:, ::2], 1.0, None),
                                               (np.asfortranarray(np.ones((2, 3))), np.arange(1, 4), None),
                                               (np.zeros(0), 1.0, None)], ids=str)
def test_array_parameters_layouts_and_sizes(loc, scale, size):
    compare(normal_of, 1, loc, scale, size)


def test_array_parameter_checks():
    for f in (normal_of, normal_of.py_func):
        with pytest.raises(ValueError, match="scale < 0"):
            f(np.random.default_rng(0), 0.0, np.array([1.0, -1.0]), None)
        with pytest.raises(ValueError):  # the parameters do not broadcast to size
            f(np.random.default_rng(0), np.arange(3.0), 1.0, (2, 4))
