"""np.random's distributions in compiled code (python/numjit/library/nprandom.py):
after np.random.seed(s) in a jitted function, each draw equals NumPy's
RandomState's for the same seed, number for number, for scalars and arrays of
several shapes, across the parameter ranges where the algorithms branch
(gamma shapes below, at and above 1; Poisson below and above 10; binomial
inversion and BTPE on both sides of p = 0.5); np.random.choice without
replacement and with weights; and NumPy's errors for bad parameters."""
import importlib.util
import pathlib
import tempfile

import numpy as np
import pytest

from numjit import njit

# name -> parameter sets; each is drawn as a scalar, then as arrays.
CASES = {
    "exponential": [(2.0,), (0.0,)],
    "standard_exponential": [()],
    "gamma": [(0.5, 2.0), (1.0, 1.0), (3.0, 0.5), (0.0, 1.0), (25.0, 2.0)],
    "standard_gamma": [(0.3,), (3.5,)],
    "beta": [(0.5, 0.7), (2.0, 3.0), (0.2, 5.0)],
    "chisquare": [(3.0,), (0.5,)],
    "f": [(3.0, 5.0)],
    "standard_t": [(4.0,), (0.7,)],
    "lognormal": [(0.5, 1.5)],
    "standard_cauchy": [()],
    "pareto": [(2.0,)],
    "weibull": [(1.5,), (0.0,)],
    "power": [(2.0,)],
    "wald": [(1.0, 2.0)],
    "laplace": [(1.0, 2.0)],
    "gumbel": [(1.0, 2.0)],
    "logistic": [(1.0, 2.0)],
    "rayleigh": [(2.0,)],
    "triangular": [(0.0, 1.0, 3.0), (0.0, 0.0, 1.0)],
    "poisson": [(3.0,), (0.0,), (50.0,), (1e4,)],
    "binomial": [(20, 0.3), (1000, 0.3), (1000, 0.7), (10, 0.9), (0, 0.5), (50, 0.0), (100000, 0.45)],
    "geometric": [(0.2,), (0.6,), (1.0,)],
    "negative_binomial": [(5, 0.4), (0.5, 0.9)],
    # library/legacy_distributions.py
    "vonmises": [(0.5, 2.0), (1.0, 1e-6), (0.0, 1e-9), (-2.0, 1e3)],
    "zipf": [(2.0,), (1.3,), (5.0,)],
    "logseries": [(0.6,), (0.99,), (0.0,)],
    "hypergeometric": [(10, 5, 3), (100, 200, 50), (5, 100, 80), (7, 3, 10), (0, 5, 2)],
    "noncentral_chisquare": [(3.0, 2.0), (0.5, 2.0), (2.0, 0.0)],
}


def _reference(name, seed, params):
    state = np.random.RandomState(seed)
    method = getattr(state, name)
    return method(*params), method(*params, size=7), method(*params, size=(3, 4)), method(*params, size=0)


DRAWERS = {}


def drawer(name, arity):
    """A jitted function drawing `name` as a scalar and as arrays of three
    shapes after seeding, written to a module file so numjit reads its source."""
    if (name, arity) not in DRAWERS:
        params = ", ".join(f"p{k}" for k in range(arity))
        lead = params + ", " if params else ""
        path = pathlib.Path(tempfile.mkdtemp(prefix="numjit_random_")) / f"draw_{name}_{arity}.py"
        path.write_text("import numpy as np\n\n\n"
                        f"def draw(seed{', ' if params else ''}{params}):\n"
                        f"    np.random.seed(seed)\n"
                        f"    return (np.random.{name}({params}), np.random.{name}({lead}size=7),\n"
                        f"            np.random.{name}({lead}size=(3, 4)), np.random.{name}({lead}size=0))\n")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        DRAWERS[name, arity] = njit(module.draw)
    return DRAWERS[name, arity]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("seed", [0, 5, 12345])
def test_streams_equal_numpys_randomstate(name, seed):
    for params in CASES[name]:
        got = drawer(name, len(params))(seed, *params)
        want = _reference(name, seed, params)
        assert got[0] == want[0], (params, got[0], want[0])
        for mine, theirs in zip(got[1:], want[1:]):
            assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
            np.testing.assert_array_equal(mine, theirs)


@njit
def bad_parameters(which):
    if which == 0:
        return np.random.exponential(-1.0)
    if which == 1:
        return np.random.gamma(-1.0, 1.0)
    if which == 2:
        return float(np.random.poisson(-2.0))
    if which == 3:
        return float(np.random.binomial(10, 1.5))
    if which == 4:
        return np.random.beta(0.0, 1.0)
    if which == 5:
        return float(np.random.geometric(0.0))
    if which == 6:
        return np.random.triangular(2.0, 1.0, 3.0)
    if which == 7:
        return float(np.random.poisson(np.nan))
    return np.random.laplace(0.0, -1.0)


@pytest.mark.parametrize("which", range(9))
def test_bad_parameters_raise_numpys_value_error(which):
    with pytest.raises(ValueError):
        bad_parameters.py_func(which)
    with pytest.raises(ValueError):
        bad_parameters(which)


@njit
def choices(seed, a, p):
    np.random.seed(seed)
    return (np.random.choice(a, 3, replace=False), np.random.choice(a, 4, p=p), np.random.choice(a, 3, False, p),
            np.random.choice(a, (2, 2), replace=False, p=p), np.random.choice(a, p=p), np.random.choice(a, 2))


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_choice_without_replacement_and_with_weights_equals_numpy(seed):
    weights = np.array([0.1, 0.0, 0.3, 0.2, 0.4])
    for a in (5, np.array([10.0, 20.0, 30.0, 40.0, 50.0]), np.arange(5, dtype=np.int32)):
        got = choices(seed, a, weights)
        want = choices.py_func(seed, a, weights)
        for mine, theirs in zip(got, want):
            np.testing.assert_array_equal(mine, theirs)


@njit
def bad_choice(which):
    weights = np.array([0.5, 0.0, 0.5])
    if which == 0:
        return np.random.choice(3, 4, replace=False)
    if which == 1:
        return np.random.choice(3, 3, replace=False, p=weights)
    if which == 2:
        return np.random.choice(3, 2, p=weights * 2)
    if which == 3:
        return np.random.choice(3, 2, p=np.array([0.5, 0.5]))
    return np.random.choice(3, 2, p=np.array([1.5, -0.5, 0.0]))


@pytest.mark.parametrize("which", range(5))
def test_bad_choices_raise_numpys_value_error(which):
    with pytest.raises(ValueError):
        bad_choice.py_func(which)
    with pytest.raises(ValueError):
        bad_choice(which)


@njit
def nan_parameters(seed):
    np.random.seed(seed)
    return np.random.laplace(0.0, np.nan), np.random.gamma(np.nan, 1.0), np.random.exponential(np.nan, 3)


def test_nan_parameters_pass_where_numpy_lets_them():
    got = nan_parameters(3)
    want = nan_parameters.py_func(3)
    for mine, theirs in zip(got, want):
        np.testing.assert_array_equal(mine, theirs)


@njit
def dirichlet_draws(seed, alpha):
    np.random.seed(seed)
    return np.random.dirichlet(alpha), np.random.dirichlet(alpha, 3), np.random.dirichlet(alpha, (2, 2))


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("alpha", [[1.0, 2.0, 0.5], [0.05, 0.02], [4.0]], ids=str)
def test_dirichlet_equals_randomstates(alpha, seed):
    for mine, theirs in zip(dirichlet_draws(seed, np.array(alpha)), dirichlet_draws.py_func(seed, np.array(alpha))):
        assert mine.shape == theirs.shape
        np.testing.assert_array_equal(mine, theirs)
    with pytest.raises(ValueError, match="alpha <= 0"):
        dirichlet_draws(seed, np.array([1.0, 0.0]))
