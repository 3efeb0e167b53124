"""@guvectorize: generalized ufuncs over array cores ("(n)->(n)", "(n),()->(n)",
"(m,n),(n)->(m)", "(n)->()"), against the NumPy expression of the same kernel
and against the kernel run by plain Python over the loop dimensions."""
import numpy as np
import pytest

from numjit import float64, guvectorize, int64

from conftest import dtype_id, make_array

DTYPES = [np.float32, np.float64, np.int64]
LAYOUTS = ["C", "F", "strided", "transposed"]


# --- Kernels -------------------------------------------------------------------

def _cumsum(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s


cumsum = guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")(_cumsum)
cumsum_parallel = guvectorize(["void(float64[:], float64[:])"], "(n)->(n)", target="parallel")(_cumsum)


def _add_scalar(a, b, out):
    for i in range(a.shape[0]):
        out[i] = a[i] + b


add_scalar = guvectorize([(float64[:], float64, float64[:])], "(n),()->(n)")(_add_scalar)
add_scalar_parallel = guvectorize([(float64[:], float64, float64[:])], "(n),()->(n)",
                                  target="parallel")(_add_scalar)


@guvectorize([(float64[:], float64[:], float64[:])], "(n),()->(n)")
def add_scalar_array(a, b, out):
    for i in range(a.shape[0]):
        out[i] = a[i] + b[0]


def _matvec(A, x, out):
    for i in range(A.shape[0]):
        s = 0.0
        for j in range(A.shape[1]):
            s += A[i, j] * x[j]
        out[i] = s


matvec = guvectorize(["void(float64[:,:], float64[:], float64[:])"], "(m,n),(n)->(m)")(_matvec)
matvec_parallel = guvectorize(["void(float64[:,:], float64[:], float64[:])"], "(m,n),(n)->(m)",
                              target="parallel")(_matvec)


@guvectorize(["void(float64[:], float64[:])"], "(n)->()")
def total(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    out[0] = s


@guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(n)->()")
def dot(a, b, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    out[0] = s


@guvectorize(["void(int64[:], int64[:])", "void(float64[:], float64[:])"], "(n)->(n)")
def double(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * 2


@guvectorize(["void(float64[:], float64[:], float64[:])"], "(n)->(n),()")
def scan_and_max(a, out, peak):
    best = a[0]
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s
        if a[i] > best:
            best = a[i]
    peak[0] = best


@guvectorize("(n)->(n)")
def reverse(a, out):
    n = a.shape[0]
    for i in range(n):
        out[i] = a[n - 1 - i]


@guvectorize("(n),()->(n)")
def scale_dynamic(a, k, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * k


# --- Python reference: the kernel looped over the loop dimensions ---------------

def reference(kernel, layout, *inputs, out_dtype=np.float64):
    """Runs the Python ``kernel`` once per element of the broadcast loop shape,
    the way a gufunc does, for a layout with one output."""
    from numjit.guvectorize import _parse_layout
    ins, outs = _parse_layout(layout)
    inputs = [np.asarray(v, dtype=np.float64) for v in inputs]
    sizes = {}
    loops = []
    for v, core in zip(inputs, ins):
        loops.append(v.shape[:v.ndim - len(core)])
        sizes.update(zip(core, v.shape[v.ndim - len(core):]))
    loop = np.broadcast_shapes(*loops)
    out = np.zeros(loop + tuple(sizes[d] for d in outs[0]), out_dtype)
    full = [np.broadcast_to(v, loop + v.shape[v.ndim - len(c):]) for v, c in zip(inputs, ins)]
    for index in np.ndindex(*loop):
        args = [f[index] if len(c) else f[index].reshape(1)[0] for f, c in zip(full, ins)]
        if outs[0]:
            kernel(*args, out[index])
        else:
            cell = np.zeros(1, out_dtype)
            kernel(*args, cell)
            out[index] = cell[0]
    return out


# --- (n)->(n) --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_cumsum_1d(dtype, n):
    a = make_array((n,), dtype)
    got = cumsum(a)
    assert got.dtype == np.float64 and got.shape == (n,)
    np.testing.assert_allclose(got, np.cumsum(a.astype(np.float64)), rtol=1e-12)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (100, 5), (4, 100)])
def test_cumsum_2d_layouts(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    got = cumsum(a)
    assert got.shape == a.shape
    np.testing.assert_allclose(got, np.cumsum(a.astype(np.float64), axis=-1), rtol=1e-12)
    np.testing.assert_allclose(got, reference(_cumsum, "(n)->(n)", a), rtol=1e-12)


def test_cumsum_3d_and_empty_loop():
    a = make_array((2, 3, 4), np.float64, "F")
    np.testing.assert_allclose(cumsum(a), np.cumsum(a, axis=-1), rtol=1e-12)
    empty = np.zeros((0, 5))
    got = cumsum(empty)
    assert got.shape == (0, 5)


# --- (n),()->(n): scalar core as a number and as an array --------------------------

@pytest.mark.parametrize("gufunc", [add_scalar, add_scalar_array], ids=["number", "array"])
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (100, 4)])
def test_scalar_core(gufunc, dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    b = make_array((shape[0],), dtype, seed=1)
    got = gufunc(a, b)
    expected = a.astype(np.float64) + b.astype(np.float64)[:, None]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    np.testing.assert_allclose(gufunc(a, 2.5), a.astype(np.float64) + 2.5, rtol=1e-12)
    np.testing.assert_allclose(gufunc(a[0], 3), a[0].astype(np.float64) + 3, rtol=1e-12)


def test_scalar_core_matches_python_kernel():
    a = make_array((5, 6), np.float64, "strided")
    b = np.linspace(-1.0, 1.0, 5)
    np.testing.assert_allclose(add_scalar(a, b), reference(_add_scalar, "(n),()->(n)", a, b), rtol=1e-12)


# --- (m,n),(n)->(m) ------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("m, n", [(1, 1), (3, 5), (100, 7), (6, 100)])
def test_matvec_2d(dtype, layout, m, n):
    A = make_array((m, n), dtype, layout)
    x = make_array((n,), dtype, seed=2)
    got = matvec(A, x)
    assert got.shape == (m,)
    np.testing.assert_allclose(got, A.astype(np.float64) @ x.astype(np.float64), rtol=1e-12)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("loop", [1, 4, 100])
def test_matvec_stacked(layout, loop):
    A = make_array((loop, 3, 5), np.float64, layout)
    x = make_array((5,), np.float64, seed=3)
    got = matvec(A, x)
    assert got.shape == (loop, 3)
    np.testing.assert_allclose(got, A @ x, rtol=1e-12)
    xs = make_array((loop, 5), np.float64, seed=4)
    np.testing.assert_allclose(matvec(A, xs), np.einsum("kmn,kn->km", A, xs), rtol=1e-12)
    np.testing.assert_allclose(matvec(A, xs), reference(_matvec, "(m,n),(n)->(m)", A, xs), rtol=1e-12)


# --- (n)->(): reductions; the result has the loop shape -------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (4, 7), (100, 3), (2, 3, 5)])
def test_reduction_to_scalar_core(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    got = total(a)
    assert got.shape == shape[:-1]
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, a.astype(np.float64).sum(axis=-1), rtol=1e-12)


def test_reduction_of_1d_gives_0d():
    a = np.arange(10.0)
    got = total(a)
    assert np.shape(got) == ()
    assert float(got) == 45.0


def test_reduction_zero_length_core():
    got = total(np.zeros((3, 0)))
    np.testing.assert_array_equal(got, np.zeros(3))


# --- Broadcasting of loop dimensions ------------------------------------------------

@pytest.mark.parametrize("a_shape, b_shape", [
    ((4, 6), (6,)),
    ((6,), (4, 6)),
    ((3, 1, 6), (1, 5, 6)),
    ((1, 6), (7, 6)),
    ((2, 3, 6), (3, 6)),
])
def test_broadcast_loop_dimensions(a_shape, b_shape):
    a = make_array(a_shape, np.float64, "F")
    b = make_array(b_shape, np.float64, "C", seed=5)
    got = dot(a, b)
    expected = (a * b).sum(axis=-1)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_broadcast_scalar_core_against_loop():
    a = make_array((3, 1, 4), np.float64)
    b = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])  # loop (3, 2)
    got = add_scalar(a, b)
    assert got.shape == (3, 2, 4)
    np.testing.assert_allclose(got, a + b[:, :, None], rtol=1e-12)


def test_broadcast_mismatch_raises():
    with pytest.raises(ValueError):
        dot(np.zeros((3, 4)), np.zeros((2, 4)))


# --- Outputs passed explicitly ---------------------------------------------------

@pytest.mark.parametrize("shape", [(1,), (7,), (5, 100)])
def test_explicit_output_written_in_place(shape):
    a = make_array(shape, np.float64, "F" if len(shape) > 1 else "C")
    out = np.full(shape, -1.0)
    result = cumsum(a, out)
    assert result is None
    np.testing.assert_allclose(out, np.cumsum(a, axis=-1), rtol=1e-12)


def test_explicit_output_non_contiguous():
    a = make_array((4, 6), np.float64)
    big = np.full((4, 12), -7.0)
    out = big[:, ::2]
    assert not out.flags.c_contiguous
    cumsum(a, out)
    np.testing.assert_allclose(big[:, ::2], np.cumsum(a, axis=-1), rtol=1e-12)
    np.testing.assert_array_equal(big[:, 1::2], -7.0)


def test_explicit_output_transposed_and_fortran():
    a = make_array((5, 3), np.float64, "strided")
    out_t = np.zeros((3, 5)).T
    cumsum(a, out_t)
    np.testing.assert_allclose(out_t, np.cumsum(a, axis=-1), rtol=1e-12)
    out_f = np.asfortranarray(np.zeros((5, 3)))
    cumsum(a, out_f)
    np.testing.assert_allclose(out_f, np.cumsum(a, axis=-1), rtol=1e-12)


def test_explicit_output_reduction_and_other_dtype():
    a = make_array((4, 5), np.float64)
    out = np.zeros(4)
    total(a, out)
    np.testing.assert_allclose(out, a.sum(axis=1), rtol=1e-12)
    out32 = np.zeros(4, np.float32)
    total(a, out32)
    np.testing.assert_allclose(out32, a.sum(axis=1).astype(np.float32), rtol=1e-6)


def test_explicit_output_bad_shape_raises():
    with pytest.raises(ValueError):
        cumsum(np.zeros((3, 4)), np.zeros((3, 5)))


def test_two_outputs():
    a = make_array((6, 9), np.float64, "F", seed=6)
    scan, peak = scan_and_max(a)
    np.testing.assert_allclose(scan, np.cumsum(a, axis=-1), rtol=1e-12)
    np.testing.assert_array_equal(peak, a.max(axis=-1))
    out1, out2 = np.zeros((6, 9)), np.zeros(6)
    assert scan_and_max(a, out1, out2) is None
    np.testing.assert_allclose(out1, scan, rtol=1e-12)
    np.testing.assert_array_equal(out2, peak)


# --- Several signatures --------------------------------------------------------

@pytest.mark.parametrize("dtype, result", [
    (np.int64, np.int64), (np.int32, np.int64), (np.int8, np.int64), (np.bool_, np.int64),
    (np.float64, np.float64), (np.float32, np.float64),
])
@pytest.mark.parametrize("shape", [(1,), (7,), (3, 100)])
def test_signature_choice(dtype, result, shape):
    a = make_array(shape, dtype, "F" if len(shape) > 1 else "C")
    got = double(a)
    assert got.dtype == result
    np.testing.assert_array_equal(got, a.astype(result) * 2)


def test_int_signature_exact_for_large_values():
    a = np.array([2**60 + 1, -(2**61) - 3], np.int64)
    got = double(a)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, a * 2)


# --- target='parallel' ---------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("rows", [1, 7, 100])
def test_parallel_matches_cpu(layout, rows):
    a = make_array((rows, 13), np.float64, layout)
    np.testing.assert_allclose(cumsum_parallel(a), cumsum(a), rtol=1e-12)
    b = make_array((rows,), np.float64, seed=7)
    np.testing.assert_allclose(add_scalar_parallel(a, b), add_scalar(a, b), rtol=1e-12)
    A = make_array((rows, 4, 13), np.float64, layout)
    x = make_array((13,), np.float64, seed=8)
    np.testing.assert_allclose(matvec_parallel(A, x), matvec(A, x), rtol=1e-12)
    np.testing.assert_allclose(matvec_parallel(A, x), A @ x, rtol=1e-12)


def test_parallel_explicit_output():
    a = make_array((50, 8), np.float64, "F")
    out = np.zeros((50, 16))[:, ::2]
    cumsum_parallel(a, out)
    np.testing.assert_allclose(out, np.cumsum(a, axis=-1), rtol=1e-12)


# --- Dynamic form: types from the arguments, outputs passed -------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_dynamic_reverse(dtype, layout):
    a = make_array((5, 7), dtype, layout)
    out = np.zeros((5, 7), dtype)
    assert reverse(a, out) is None
    np.testing.assert_array_equal(out, a[:, ::-1])


@pytest.mark.parametrize("n", [1, 7, 100])
def test_dynamic_1d_and_scalar_input(n):
    a = make_array((n,), np.float64)
    out = np.empty(n)
    reverse(a, out)
    np.testing.assert_array_equal(out, a[::-1])
    out2 = np.empty((3, n))
    scale_dynamic(np.broadcast_to(a, (3, n)), -2.5, out2)
    np.testing.assert_allclose(out2, np.broadcast_to(a * -2.5, (3, n)), rtol=1e-12)


def test_dynamic_without_output_raises():
    with pytest.raises(TypeError):
        reverse(np.arange(4.0))


# --- Errors ------------------------------------------------------------------

def test_wrong_argument_count():
    with pytest.raises(TypeError):
        cumsum()
    with pytest.raises(TypeError):
        cumsum(np.zeros(3), np.zeros(3), np.zeros(3))
    with pytest.raises(TypeError):
        matvec(np.zeros((2, 2)))
    with pytest.raises(TypeError):
        add_scalar(np.zeros(3), 1.0, np.zeros(3), np.zeros(3))


def test_mismatched_core_sizes():
    with pytest.raises(ValueError):
        matvec(np.zeros((3, 4)), np.zeros(5))
    with pytest.raises(ValueError):
        dot(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError):
        matvec(np.zeros(4), np.zeros(4))  # too few dimensions for the (m,n) core


def test_no_matching_signature():
    with pytest.raises(TypeError):
        double(np.zeros(3, np.complex128))
    with pytest.raises(TypeError):
        cumsum(np.zeros(3, np.complex128))


def test_bad_declarations():
    with pytest.raises(TypeError):
        guvectorize(["void(float64[:], float64[:], float64[:])"], "(n)->(n)")(_cumsum)
    with pytest.raises(ValueError):
        guvectorize(["void(float64[:], float64[:])"], "(n)(n)")(_cumsum)
    with pytest.raises(ValueError):
        guvectorize(["void(float64[:], float64[:])"], "(n)->(n)", target="cuda")(_cumsum)
