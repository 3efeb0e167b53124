"""np.reciprocal of complex values follows NumPy's own loop, which is not its
division: 1/0j is nan+nanj and 1/(inf+0j) is 0-0j there. Compared with NumPy
part by part, the sign of zero included, for complex64 and complex128, as
arrays (C, strided), scalars and `z ** -1` (which NumPy sends to reciprocal)."""
import warnings

import numpy as np
import pytest

import numjit

SPECIALS = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, 1e300, 3.0, -2.5, 1e-40, 1e38, -7e-20]


@numjit.njit
def reciprocal_of(z):
    return np.reciprocal(z)


@numjit.njit
def power_minus_one(z):
    return z ** -1


@numjit.njit
def reciprocal_in_a_loop(z):
    out = np.empty_like(z)
    for i in range(z.size):
        out[i] = np.reciprocal(z[i])
    return out


def values(dtype):
    rng = np.random.default_rng(11)
    pairs = [complex(a, b) for a in SPECIALS for b in SPECIALS]
    scale = 10.0 ** rng.integers(-40, 40, (2, 500))
    randoms = rng.standard_normal(500) * scale[0] + 1j * rng.standard_normal(500) * scale[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.concatenate([np.array(pairs, dtype), randoms.astype(dtype)])


def assert_same_parts(got, want):
    for part in ("real", "imag"):
        g, w = getattr(got, part), getattr(want, part)
        assert np.array_equal(np.isnan(g), np.isnan(w))
        keep = ~np.isnan(w)
        assert np.array_equal(g[keep], w[keep])
        assert np.array_equal(np.signbit(g[keep]), np.signbit(w[keep]))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
@pytest.mark.parametrize("compiled", [reciprocal_of, power_minus_one, reciprocal_in_a_loop])
def test_matches_numpy_part_by_part(compiled, layout, dtype):
    z = values(dtype)
    z = {"C": z, "strided": z[::3], "reversed": z[::-1]}[layout]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.reciprocal(z)
        got = compiled(z if compiled is not reciprocal_in_a_loop else np.ascontiguousarray(z))
    assert got.dtype == want.dtype
    assert_same_parts(np.asarray(got), want)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_scalars(dtype):
    for z in values(dtype)[::7]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = np.reciprocal(z)
            got = reciprocal_of(z)
        assert_same_parts(np.array([got], dtype), np.array([want], dtype))
