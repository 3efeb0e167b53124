"""@stencil: kernels with relative indices, applied to every interior point.

Each result is compared with tests/python/stencil_reference.py, which runs
the plain Python kernel once per point as Numba's documentation describes
stencils (its rules were checked against Numba 0.68), over several dtypes,
layouts and sizes, including arrays smaller than the neighbourhood.
"""
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import numjit
from numjit import njit, stencil
from conftest import make_array
from stencil_reference import reference_stencil

DTYPES = [np.float64, np.float32, np.int64, np.int32]


def laplace(a):
    return a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1] - 4 * a[0, 0]


def forward(a):
    return a[1] - a[0]


def box3d(a):
    return (a[-1, 0, 0] + a[1, 0, 0] + a[0, -1, 0] + a[0, 1, 0] + a[0, 0, -1] + a[0, 0, 1]) / 6


def trailing_mean(a):
    s = 0.0
    for i in range(-3, 1):
        s += a[i]
    return s / 4


def weighted(a, w):
    return w[0] * a[-1] + w[1] * a[0] + w[2] * a[1]


def two_inputs(a, b, s):
    return (a[0, 1] - b[0, -1]) * s


def branchy(a):
    if a[0] > a[-1]:
        return a[0] - a[-1]
    return 0.5 * a[1]


lap = stencil(laplace)
fwd = stencil(forward)
box = stencil(box3d)
trailing = stencil(neighborhood=((-3, 0),))(trailing_mean)
weights = stencil(standard_indexing=("w",))(weighted)
pair = stencil(cval=-1.0)(two_inputs)
branch = stencil(branchy)


def check(stencil_func, kernel, args, rtol=1e-6, **options):
    got = stencil_func(*args)
    expected = reference_stencil(kernel, args, **options)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=rtol, equal_nan=True)
    return got


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 3), (9, 7)])
def test_two_dimensional_laplacian(dtype, layout, shape):
    a = make_array(shape, dtype, layout, seed=sum(shape))
    check(lap, laplace, [a])


@pytest.mark.parametrize("dtype", DTYPES + [np.bool_])
@pytest.mark.parametrize("n", [0, 1, 2, 10])
def test_one_sided_neighbourhood(dtype, n):
    a = make_array((n,), dtype, "C", seed=n)
    check(fwd, forward, [a])


@pytest.mark.parametrize("dtype", [np.float64, np.int16])
@pytest.mark.parametrize("shape", [(2, 2, 2), (4, 5, 6)])
def test_three_dimensions(dtype, shape):
    check(box, box3d, [make_array(shape, dtype, "C", seed=3)])


@pytest.mark.parametrize("n", [1, 3, 4, 20])
def test_declared_neighbourhood_with_a_loop(n):
    a = make_array((n,), np.float64, "C", seed=n)
    check(trailing, trailing_mean, [a], neighborhood=((-3, 0),))


def test_standard_indexing_of_weights():
    a = np.linspace(0.0, 1.0, 11)
    w = np.array([0.25, 0.5, 0.25])
    check(weights, weighted, [a, w], standard_indexing=("w",))


@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_several_inputs_a_scalar_and_cval(dtype):
    a = make_array((5, 6), dtype, "F", seed=1)
    b = make_array((5, 6), dtype, "C", seed=2)
    check(pair, two_inputs, [a, b, 3], cval=-1.0)


def test_branches_and_integer_input_with_a_float_result():
    a = np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=np.int64)
    got = check(branch, branchy, [a])
    assert got.dtype == np.float64


def test_nan_cval_on_a_float_result():
    nan_border = stencil(cval=np.nan)(laplace)
    got = check(nan_border, laplace, [np.ones((4, 4))], cval=np.nan)
    assert np.isnan(got[0]).all() and (got[1:-1, 1:-1] == 0).all()


def test_out_keeps_its_border_and_cval_fills_it_when_given():
    a = np.arange(20.0).reshape(4, 5)
    out = np.full((4, 5), 7.0)
    assert lap(a, out=out) is out
    assert (out[0] == 7.0).all() and (out[:, -1] == 7.0).all()
    np.testing.assert_allclose(out[1:-1, 1:-1], lap(a)[1:-1, 1:-1])
    out2 = np.full((4, 5), 7.0)
    pair(a, a, 1.0, out=out2)
    assert (out2[:, 0] == -1.0).all() and (out2[:, -1] == -1.0).all()  # explicit cval fills out's border, as in Numba


@njit
def laplace_into(a, out):
    lap(a, out=out)
    return out


@njit
def pair_into_then_scaled(a, b, out):
    result = pair(a, b, 1.0, out=out)
    return result * 2.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_out_given_in_compiled_code_writes_the_interior_as_from_python(dtype, layout):
    base = (np.arange(42) % 7).astype(dtype).reshape(6, 7)
    a = {"C": base, "F": np.asfortranarray(base), "strided": np.arange(84.0).astype(dtype).reshape(6, 14)[:, ::2]}[layout]
    out, expected = np.full(a.shape, 9, dtype), np.full(a.shape, 9, dtype)
    assert laplace_into(a, out) is not None
    lap(a, out=expected)
    np.testing.assert_array_equal(out, expected)
    out2, expected2 = np.full(a.shape, 5.0), np.full(a.shape, 5.0)
    got = pair_into_then_scaled(a, a, out2)
    pair(a, a, 1.0, out=expected2)
    np.testing.assert_array_equal(out2, expected2)
    np.testing.assert_array_equal(got, expected2 * 2.0)


def test_called_from_njit_in_an_array_expression():
    @njit
    def step(u, dt):
        return lap(u) * dt + u

    @njit
    def both(x):
        return fwd(x), trailing(x)

    u = np.random.default_rng(0).random((6, 8))
    np.testing.assert_allclose(step(u, 0.1), lap(u) * 0.1 + u)
    x = np.arange(10.0)
    d, m = both(x)
    np.testing.assert_allclose(d, fwd(x))
    np.testing.assert_allclose(m, trailing(x))


def test_called_from_a_parallel_function():
    @njit(parallel=True)
    def smooth(u):
        s = 0.0
        for k in numjit.prange(3):
            s += lap(u).sum() * k
        return s

    u = np.arange(30.0).reshape(5, 6)
    assert smooth(u) == pytest.approx(smooth.py_func(u))


PARALLEL_CASES = [
    (lap, laplace, [(9, 7)], np.float64, {}),
    (fwd, forward, [(11,)], np.int64, {}),
    (box, box3d, [(5, 6, 4)], np.float32, {}),
    (trailing, trailing_mean, [(12,)], np.float64, {"neighborhood": ((-3, 0),)}),
    (branch, branchy, [(10,)], np.float64, {}),
    (pair, two_inputs, [(6, 8), (6, 8)], np.float64, {"cval": -1.0}),
]


@pytest.mark.parametrize("case", range(len(PARALLEL_CASES)))
def test_every_kernel_shape_in_a_parallel_caller(case):
    """The parallel form (outer loop a prange, border written inside it) of
    each kind of kernel: one return, returns in branches, loops, several inputs."""
    stencil_func, kernel, shapes, dtype, options = PARALLEL_CASES[case]
    args = [make_array(shape, dtype, "C", seed=k) for k, shape in enumerate(shapes)]
    if kernel is two_inputs:
        args.append(1.5)
        run = njit(parallel=True)(lambda a, b, s: stencil_func(a, b, s))
    else:
        run = njit(parallel=True)(lambda a: stencil_func(a))
    got = run(*args)
    expected = reference_stencil(kernel, args, **options)
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    np.testing.assert_array_equal(got, stencil_func(*args))


def test_compiled_once_per_argument_types():
    fresh = stencil(laplace)
    a = np.random.default_rng(1).random((20, 20))
    for _ in range(5):
        fresh(a)
    fresh(a.astype(np.float32))
    apply = fresh._generate()[0]
    assert len(apply.signatures) == 2  # Numba compiles again on every call from Python


def test_a_variable_index_without_neighbourhood_is_a_located_typing_error():
    with pytest.raises(numjit.errors.TypingError) as info:
        @stencil
        def bad(a):
            s = 0.0
            for i in range(-1, 2):
                s += a[i]
            return s
    message = str(info.value)
    assert "test_stencil.py:" in message and "s += a[i]" in message and "^" in message
    assert "neighborhood" in message


def rescales(a, s, k):
    s *= 2.0
    if a[0] > 0:
        k %= 3
        return s + a[1] + k
    s += a[-1]
    return s - k


@pytest.mark.parametrize("caller", ["python", "njit", "parallel"])
@pytest.mark.parametrize("n", [1, 3, 10])
def test_a_kernel_assigning_its_parameters_starts_from_the_arguments_at_each_point(caller, n):
    """Each point's kernel sees the arguments as given (the fuzzer found a
    kernel body inlined into the loop carrying `s *= 2.0` from point to point)."""
    st = stencil(rescales)
    a = make_array((n,), np.float64, "C", seed=n) - 1.0
    def apply(a, s, k):
        return st(a, s, k)

    run = st if caller == "python" else njit(parallel=caller == "parallel")(apply)
    got = run(a, 1.5, 7)
    np.testing.assert_array_equal(got, reference_stencil(rescales, [a, 1.5, 7]))


@stencil
def adds_text(a):
    x = a[0, 1] + "text"
    return x


@njit
def steps_with_text(a):
    return adds_text(a) * 0.5 + a


@pytest.mark.parametrize("how", ["python", "njit", "fused"])
def test_a_typing_error_in_a_kernel_points_at_its_line(how):
    """At the kernel's own line in this file, with a caret: not at the code
    numjit generates from it."""
    a = np.ones((4, 4))
    call = {"python": lambda: adds_text(a), "njit": lambda: njit(lambda u: adds_text(u))(a),
            "fused": lambda: steps_with_text(a)}[how]
    with pytest.raises(numjit.errors.TypingError) as info:
        call()
    message = str(info.value)
    line = adds_text.kernel.__code__.co_firstlineno + 2  # the decorator, def, then the line
    assert f"in adds_text (" in message and f"test_stencil.py:{line}:9)" in message
    assert 'x = a[0, 1] + "text"' in message and "^^^^" in message and "cannot add" in message


def test_an_index_outside_the_declared_neighbourhood_raises():
    @stencil(neighborhood=((-1, 1),))
    def too_far(a, k):
        return a[k]

    a = np.arange(10.0)
    np.testing.assert_allclose(too_far(a, 1), np.r_[0.0, a[2:], 0.0])
    with pytest.raises(IndexError, match="outside the stencil neighborhood"):
        too_far(a, 2)


def test_arrays_of_different_shapes_raise():
    with pytest.raises(ValueError, match="same shape"):
        pair(np.ones((4, 4)), np.ones((4, 5)), 1.0)
    with pytest.raises(ValueError, match="shape"):
        lap(np.ones((4, 4)), out=np.ones((3, 4)))


def test_bad_arguments_and_options():
    with pytest.raises(TypeError, match="2-D array"):
        lap(np.ones(5))
    with pytest.raises(TypeError, match="2-D array"):
        lap(3.0)
    with pytest.raises(ValueError, match="not supported"):
        stencil("reflect")(laplace)
    with pytest.raises(TypeError, match="unknown stencil option"):
        stencil(neighbourhood=((-1, 1),))
    with pytest.raises(numjit.errors.TypingError, match="cannot assign"):
        @stencil
        def writes(a):
            a[0] = 1.0
            return a[0]


def test_nothing_is_read_outside_small_arrays():
    far = stencil(lambda_far)
    for n in range(0, 6):
        a = np.arange(float(n))
        got = far(a)
        assert got.shape == (n,)
        assert (got == 0).all() if n <= 4 else got[2] == a[0] + a[4]


def lambda_far(a):
    return a[-2] + a[2]


def far_ahead(a):
    return a[0] + a[5]


@pytest.mark.parametrize("n", [0, 1, 3, 5, 6, 9])
def test_a_one_sided_neighbourhood_wider_than_the_array(n):
    ahead = stencil(far_ahead)
    a = np.arange(1.0, n + 1.0)
    check(ahead, far_ahead, [a])


def test_works_in_a_fresh_process_with_numba_names(tmp_path):
    script = tmp_path / "heat.py"
    script.write_text(textwrap.dedent("""
        import numpy as np
        import numjit as numba

        @numba.stencil
        def kernel(u):
            return 0.25 * (u[-1, 0] + u[1, 0] + u[0, -1] + u[0, 1])

        @numba.njit
        def run(u, steps):
            for _ in range(steps):
                u = kernel(u)
            return u

        u = np.zeros((8, 8)); u[4, 4] = 1.0
        expected = u.copy()
        for _ in range(3):
            nxt = np.zeros_like(expected)
            nxt[1:-1, 1:-1] = 0.25 * (expected[:-2, 1:-1] + expected[2:, 1:-1] + expected[1:-1, :-2] + expected[1:-1, 2:])
            expected = nxt
        print(abs(run(u, 3) - expected).max())
    """))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 1e-15
