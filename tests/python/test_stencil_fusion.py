"""A stencil fused with the arithmetic around its call in compiled code
(python/numjit/stencil_fusion.py): `lap(u) * dt + u` runs as one loop nest.

Every result is compared with the same function run as plain Python
(`.py_func`: the stencil from Python, then NumPy's arithmetic) and with the
unfused form (the stencil's result in a variable first), bit for bit,
including the sign of zeros at the border. Types and shapes the fused loop
does not take (float32, integer arrays, operands that broadcast) must give
the same answers through the expression as written.
"""
import numpy as np
import pytest

from numjit import njit, stencil
from conftest import make_array


@stencil
def lap(u):
    return u[-1, 0] + u[1, 0] + u[0, -1] + u[0, 1] - 4.0 * u[0, 0]


@stencil
def diff1(u):
    return u[1] - u[-1]


@stencil
def lap3(u):
    return u[-1, 0, 0] + u[1, 0, 0] + u[0, -1, 0] + u[0, 1, 0] + u[0, 0, -1] + u[0, 0, 1] - 6.0 * u[0, 0, 0]


@stencil(neighborhood=((-2, 2), (-2, 2)), cval=1.5)
def blur(u):
    s = 0.0
    for i in range(-2, 3):
        for j in range(-2, 3):
            s += u[i, j]
    return s / 25.0


@stencil
def upwind(u, c):
    if c > 0:
        return c * (u[0] - u[-1])
    return c * (u[1] - u[0])


@stencil
def counts(u):
    return u[-1] + u[1]


def step(u, dt):
    return lap(u) * dt + u


def step_unfused(u, dt):
    t = lap(u)
    return t * dt + u


def negated(u):
    return -lap(u)


def scaled_difference(u, v, a, b):
    return a * diff1(u) - b * v + 2


def with_scalar_argument(u, c, dt):
    return u - dt * upwind(u, c)


def blurred(u, w):
    return w * blur(u) + (1 - w) * u


def three_d(u, dt):
    return u + dt * lap3(u)


def divided(u, h):
    return lap(u) / (h * h) + u


def integer_counts(u):
    return counts(u) * 3 - u


def fused_calls(function):
    """The fused functions the compiler substituted into `function`."""
    bundle = function._impl.source_bundle()
    return [name for name in bundle.closure if name.startswith("__numjit_fused_")]


def same(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    def parts(x):
        return (x.real, x.imag) if np.iscomplexobj(x) else (x,)

    for part, expected_part in zip(parts(got), parts(expected)):  # -0.0 at the border stays -0.0
        if part.dtype.kind == "f":
            assert np.array_equal(np.signbit(part), np.signbit(expected_part))


LAYOUTS = ["C", "F", "strided", "transposed"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 3), (7, 5), (33, 64)])
def test_expression_matches_python_and_the_unfused_form(shape, layout):
    u = make_array(shape, np.float64, layout)
    compiled, unfused = njit(step), njit(step_unfused)
    same(compiled(u, 0.1), step(u, 0.1))
    same(compiled(u, 0.1), unfused(u, 0.1))
    assert fused_calls(compiled) and not fused_calls(unfused)


@pytest.mark.parametrize("parallel", [False, True])
def test_parallel_caller_runs_the_fused_loop(parallel):
    u = make_array((65, 40), np.float64, "C", seed=3)
    compiled = njit(parallel=parallel)(step)
    same(compiled(u, 0.25), step(u, 0.25))
    same(compiled(u, -2), step(u, -2))  # an int operand


@pytest.mark.parametrize("shape", [(1, 1), (4, 6), (20, 17)])
def test_negation_keeps_negative_zero_at_the_border(shape):
    u = make_array(shape, np.float64, "C", seed=1)
    compiled = njit(negated)
    same(compiled(u), negated(u))
    assert fused_calls(compiled)


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int32])
def test_other_dtypes_give_the_expression_as_written(dtype):
    u = make_array((9, 8), dtype, "C", seed=2)
    for dt in (0.5, 3, np.float32(0.5)):
        same(njit(step)(u, dt), step(u, dt))
        same(njit(step)(u, dt), njit(step_unfused)(u, dt))


@pytest.mark.parametrize("n", [1, 2, 3, 10, 257])
@pytest.mark.parametrize("v_dtype", [np.float64, np.float32, np.int64])
def test_array_and_scalar_operands(n, v_dtype):
    u = make_array((n,), np.float64, "C", seed=4)
    v = make_array((n,), v_dtype, "C", seed=5)
    compiled = njit(scaled_difference)
    for a, b in ((0.5, 2.0), (3, -1), (1j, 2.0)):
        same(compiled(u, v, a, b), scaled_difference(u, v, a, b))
    assert fused_calls(compiled)


def test_operands_that_broadcast_give_the_expression_as_written():
    u = make_array((6, 5), np.float64, "C", seed=6)
    compiled = njit(step)
    for dt in (make_array((5,), np.float64, "C"), make_array((1, 5), np.float64, "C"),
               make_array((6, 1), np.float64, "F"), make_array((6, 5), np.float32, "C")):
        same(compiled(u, dt), step(u, dt))


def test_an_operand_of_another_shape_raises_as_numpy_does():
    u = make_array((6, 5), np.float64, "C")
    with pytest.raises(ValueError):
        step(u, np.ones((4, 5)))
    with pytest.raises(ValueError):
        njit(step)(u, np.ones((4, 5)))


@pytest.mark.parametrize("c", [0.75, -0.5])
@pytest.mark.parametrize("n", [2, 5, 100])
def test_stencil_with_a_scalar_argument_and_branches(n, c):
    u = make_array((n,), np.float64, "C", seed=7)
    compiled = njit(with_scalar_argument)
    same(compiled(u, c, 0.1), with_scalar_argument(u, c, 0.1))
    assert fused_calls(compiled)


@pytest.mark.parametrize("shape", [(3, 3), (5, 9), (30, 31)])
@pytest.mark.parametrize("layout", ["C", "F"])
def test_neighbourhood_loops_and_cval(shape, layout):
    u = make_array(shape, np.float64, layout, seed=8)
    for parallel in (False, True):
        compiled = njit(parallel=parallel)(blurred)
        same(compiled(u, 0.3), blurred(u, 0.3))


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 4, 5), (12, 9, 10)])
def test_three_dimensions(shape):
    u = make_array(shape, np.float64, "C", seed=9)
    for parallel in (False, True):
        same(njit(parallel=parallel)(three_d)(u, 0.05), three_d(u, 0.05))


def test_division_is_not_fused_but_the_rest_is():
    u = make_array((8, 8), np.float64, "C", seed=10)
    compiled = njit(divided)
    same(compiled(u, 0.5), divided(u, 0.5))
    assert not fused_calls(compiled)  # lap(u) / (h * h) keeps NumPy's inf at a zero divisor
    with np.errstate(divide="ignore", invalid="ignore"):
        same(compiled(u, 0.0), divided(u, 0.0))


@pytest.mark.parametrize("dtype", [np.int64, np.float64])
def test_integer_stencil_results_are_not_fused_loops(dtype):
    u = make_array((12,), dtype, "C", seed=11)
    same(njit(integer_counts)(u), integer_counts(u))


def test_a_name_the_function_assigns_is_not_a_stencil_call():
    def shadowing(u, dt):
        lap = 2.0
        return u * lap + dt

    compiled = njit(shadowing)
    u = make_array((4, 4), np.float64, "C")
    same(compiled(u, 1.0), shadowing(u, 1.0))
    assert not fused_calls(compiled)
