"""@vectorize: eager ufuncs (signatures) and lazy DUFuncs, serial and parallel,
against the NumPy expression of the same kernel (or np.vectorize of it)."""
import functools
import itertools

import numpy as np
import pytest

import numjit
import numjit as numba
from numjit import njit
from numjit import types as nt

from conftest import dtype_id, make_array, random_floats


# --- The seed tutorial's kernels, verbatim ------------------------------------

@numba.vectorize
def f_numba(A, n):
    '''Avoid RAM access and let Numba vectorize this.'''
    B = 0.0
    for j in range(n):
        B = B * A + 1.0
    return B

@numba.vectorize(['float64(float64,uint64)'], target='parallel')
def f_parallel(A, n):
    '''Let Numba parallelize this as well.'''
    B = 0.0
    for j in range(n):
        B = B * A + 1.0
    return B

@numba.vectorize
def log_normal_pdf(x, mu, sigma):
    return -0.5 * ((x - mu) / sigma)**2 - np.log(sigma)


# --- Kernels of the generic tests --------------------------------------------

def mul_add(a, b): return a * b + 1
def add2(a, b): return a + b
def mul2(a, b): return a * b
def bitand(a, b): return a & b
def neg(x): return -x
def twice(x): return x + x
def div(a, b): return a / b
def floordiv(a, b): return a // b
def mod(a, b): return a % b
def bad_kernel(x): return x + "a"


DTYPES = [np.dtype(t) for t in (np.int32, np.int64, np.float32, np.float64, np.complex128)]
MUL_ADD_SIGS = [f"{d.name}({d.name},{d.name})" for d in DTYPES]
#: dtypes whose (T, T) loop of a + b returns T, so reduce/accumulate/at keep T.
REDUCE_DTYPES = [np.dtype(t) for t in (np.int64, np.float32, np.float64, np.complex128)]
ADD_SIGS = [f"{d.name}({d.name},{d.name})" for d in REDUCE_DTYPES]
#: Output dtype of a lazy loop for mul_add/add2, as Numba types the kernel
#: (integers widen to int64, float32 + an int literal gives float64).
LAZY_OUT = dict(zip(DTYPES, map(np.dtype, ["int64", "int64", "float64", "float64", "complex128"])))

MODES = [pytest.param((lazy, target), id=f"{'lazy' if lazy else 'eager'}-{target}")
         for lazy in (False, True) for target in ("cpu", "parallel")]
SIZES = [0, 1, 7, 1000, 100000]
LAYOUTS = ["C", "F", "strided", "transposed", "reversed"]


@functools.cache
def build(kernel, mode, sigs=None, **options):
    """The vectorized kernel for a (lazy, target) mode, compiled once per session."""
    lazy, target = mode
    deco = numba.vectorize(target=target, **options) if lazy else numba.vectorize(list(sigs), target=target, **options)
    return deco(kernel)


def rtol_for(*values):
    single = any(np.asarray(v).dtype in (np.float32, np.complex64) for v in values)
    return 1e-5 if single else 1e-12


def layout_array(shape, dtype, layout, seed=0):
    """make_array's layouts, and 'reversed' (negative strides on both axes)."""
    array = make_array(shape, dtype, "C" if layout == "reversed" else layout, seed)
    return array[::-1, ::-1] if layout == "reversed" else array


def numba_dtype(x):
    """The dtype a lazy DUFunc types an input by (Python scalars as Numba does)."""
    if isinstance(x, (np.ndarray, np.generic)):
        return x.dtype
    return np.dtype({int: np.int64, float: np.float64, complex: np.complex128}[type(x)])


def expected_binary(op, a, b, lazy):
    """NumPy's ``op(a, b)``; for a lazy DUFunc on inputs widened as Numba types the kernel."""
    if lazy:
        dtype = LAZY_OUT[np.promote_types(numba_dtype(a), numba_dtype(b))]
        a, b = (x.astype(dtype) if isinstance(x, np.ndarray) else dtype.type(x) for x in (a, b))
    return op(a, b)


def assert_result(got, expected, rtol=None, check_dtype=True):
    """Same container (array vs scalar), shape and dtype; integers exact, floats close."""
    assert isinstance(got, np.ndarray) == isinstance(expected, np.ndarray), (type(got), type(expected))
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape
    if check_dtype:
        assert got.dtype == expected.dtype, f"{got.dtype} != {expected.dtype}"
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=rtol or rtol_for(expected), equal_nan=True)


# --- The seed tutorial --------------------------------------------------------

@functools.cache
def horner(name):
    """f_numba's kernel in the four (eager/lazy, cpu/parallel) forms."""
    kernel = f_numba.__wrapped__
    return {"lazy-cpu": f_numba, "eager-parallel": f_parallel,
            "eager-cpu": numba.vectorize(['float64(float64,uint64)'])(kernel),
            "lazy-parallel": numba.vectorize(target='parallel')(kernel)}[name]


HORNER_FORMS = ["lazy-cpu", "eager-parallel", "eager-cpu", "lazy-parallel"]


@pytest.mark.parametrize("form", HORNER_FORMS)
@pytest.mark.parametrize("size", SIZES)
def test_seed_horner_four_terms(form, size):
    A = random_floats(size, low=-0.5, high=1.5, seed=size)  # 1 + A + A**2 + A**3 >= 0.625: no cancellation
    got = horner(form)(A, 4)
    assert_result(got, 1 + A + A**2 + A**3)


@pytest.mark.parametrize("form", HORNER_FORMS)
@pytest.mark.parametrize("n", [0, 1, 2, 9])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_seed_horner_any_n(form, n, layout):
    A = layout_array((300, 70), np.float64, layout) / 7.0
    out = np.full(A.shape, np.nan)
    got = horner(form)(A, n, out=out)
    assert got is out
    with np.errstate(all="ignore"):
        expected = f_numba.__wrapped__(A, n) * np.ones_like(A)  # the kernel run by NumPy on arrays
    assert_result(got, expected)


@pytest.mark.parametrize("form", HORNER_FORMS)
@pytest.mark.parametrize("a_shape, n_shape", [((400, 1), (1, 60)), ((400, 300), (300,)), ((7, 1), (1, 5))])
def test_seed_horner_broadcast_n(form, a_shape, n_shape):
    A = np.asfortranarray(random_floats(int(np.prod(a_shape)), seed=1).reshape(a_shape))
    N = (np.arange(np.prod(n_shape)) % 11).astype(np.uint64).reshape(n_shape)
    got = horner(form)(A, N)
    assert_result(got, np.vectorize(f_numba.__wrapped__, otypes=[np.float64])(A, N))
    np.testing.assert_array_equal(got, horner("eager-cpu")(A, N))  # parallel equals serial exactly


@pytest.mark.parametrize("target", ["cpu", "parallel"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("rows, cols", [(1, 1), (7, 5), (300, 400)])
def test_seed_log_normal_pdf(target, dtype, rows, cols):
    f = log_normal_pdf if target == "cpu" else build(log_normal_pdf.__wrapped__, (True, "parallel"))
    rng = np.random.default_rng(rows)
    x = rng.normal(size=(rows, cols)).astype(dtype)
    mu = rng.normal(size=cols).astype(dtype)
    sigma = rng.uniform(1.1, 2.0, size=(rows, 1)).astype(dtype)  # result <= -log(1.1): no cancellation
    expected = -0.5 * ((x - mu) / sigma)**2 - np.log(sigma)
    # Numba types -0.5 * float32 as float64, so float32 inputs give float64 here.
    got = f(x, mu, sigma)
    assert got.dtype == np.float64
    assert_result(got, expected, rtol=rtol_for(x), check_dtype=False)


def test_attributes():
    assert isinstance(f_parallel, np.ufunc) and isinstance(f_numba, numjit.DUFunc)
    assert f_parallel.__name__ == "f_parallel" and f_numba.__name__ == "f_numba"
    assert f_parallel.__doc__.endswith('Let Numba parallelize this as well.')  # NumPy prepends the call signature
    assert f_numba.__doc__ == 'Avoid RAM access and let Numba vectorize this.'
    assert (f_parallel.nin, f_parallel.nout) == (2, 1) == (f_numba.nin, f_numba.nout)
    assert f_parallel.types == [np.dtype(np.float64).char + np.dtype(np.uint64).char + "->d"]


@pytest.mark.parametrize("target", ["cpu", "parallel"])
def test_eager_types_are_the_declared_ones(target):
    assert build(mul_add, (False, target), tuple(MUL_ADD_SIGS)).types == [d.char * 2 + "->" + d.char for d in DTYPES]


# --- a * b + 1 across dtypes, shapes and layouts ------------------------------

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("size", SIZES)
def test_mul_add_1d(mode, dtype, size):
    f = build(mul_add, mode, tuple(MUL_ADD_SIGS))
    A, B = make_array((size,), dtype, seed=0), make_array((size,), dtype, seed=1)
    assert_result(f(A, B), expected_binary(mul_add, A, B, mode[0]))


def operand(spec, dtype, n, m, seed):
    if spec == "py":
        return dtype.type(seed + 2).item()
    if spec == "scalar":
        return dtype.type(seed + 2)
    if spec == "0d":
        return np.array(seed + 2, dtype=dtype)
    shape = {"n": (n,), "n1": (n, 1), "1m": (1, m), "nm": (n, m), "m": (m,)}[spec]
    return make_array(shape, dtype, "C", seed)


BROADCASTS = [("n1", "1m"), ("nm", "m"), ("n", "scalar"), ("py", "n"), ("0d", "nm"), ("nm", "py"),
              ("0d", "0d"), ("scalar", "0d"), ("scalar", "scalar")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("specs", BROADCASTS, ids=["x".join(s) for s in BROADCASTS])
@pytest.mark.parametrize("n, m", [(7, 5), (400, 300)])
def test_mul_add_broadcast(mode, dtype, specs, n, m):
    f = build(mul_add, mode, tuple(MUL_ADD_SIGS))
    A, B = (operand(spec, dtype, n, m, seed) for seed, spec in enumerate(specs))
    assert_result(f(A, B), expected_binary(mul_add, A, B, mode[0]))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("layout_a, layout_b", list(itertools.product(LAYOUTS, repeat=2)))
@pytest.mark.parametrize("dtype", [np.dtype(np.float64), np.dtype(np.complex128)], ids=dtype_id)
@pytest.mark.parametrize("shape", [(7, 5), (400, 300)])
def test_mul_add_layouts(mode, layout_a, layout_b, dtype, shape):
    f = build(mul_add, mode, tuple(MUL_ADD_SIGS))
    A, B = layout_array(shape, dtype, layout_a, 0), layout_array(shape, dtype, layout_b, 1)
    a_before = A.copy()
    assert_result(f(A, B), A * B + 1)
    np.testing.assert_array_equal(A, a_before)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.complex128)], ids=dtype_id)
@pytest.mark.parametrize("n", [7, 400])
def test_out_and_where(mode, dtype, n):
    f = build(mul_add, mode, tuple(MUL_ADD_SIGS))
    A, B = make_array((n, 300), dtype, "F", 0), make_array((300,), dtype, "C", 1)
    out = np.full((n, 300), -9, dtype=dtype)
    mask = A.real > 3
    got = f(A, B, out=out, where=mask)
    assert got is out
    assert_result(out, np.where(mask, A * B + 1, -9).astype(dtype))
    strided_out = np.zeros((n, 600), dtype=dtype)[:, ::2]
    f(A, B, out=strided_out)
    assert_result(strided_out, A * B + 1)


# --- Eager signatures: forms, declared types, loop selection -------------------

SIG_FORMS = {"list-of-str": ['float64(float64,float64)'], "str": 'float64(float64,float64)',
             "abbreviated": ['f8(f8,f8)'], "signature": nt.float64(nt.float64, nt.float64),
             "list-of-signature": [nt.float64(nt.float64, nt.float64)]}


@pytest.mark.parametrize("form", list(SIG_FORMS))
@pytest.mark.parametrize("target", ["cpu", "parallel"])
def test_signature_forms(form, target):
    f = numba.vectorize(SIG_FORMS[form], target=target)(add2)
    assert isinstance(f, np.ufunc) and f.types == ["dd->d"]
    assert (f.nin, f.nout, f.__name__) == (2, 1, "add2")
    A, B = random_floats(1000, seed=2), random_floats(1000, seed=3)
    assert_result(f(A, B), A + B)


@pytest.mark.parametrize("sig, arg_dtype", [("float64(int64)", np.int64), ("int64(float64)", np.float64),
                                            ("float32(float32)", np.float32), ("int32(int32)", np.int32),
                                            ("float32(float64)", np.float64)])
def test_eager_output_converted_to_declared_type(sig, arg_dtype):
    f = numba.vectorize([sig])(twice)
    out_dtype = np.dtype(nt.parse_signature(sig).return_type.dtype)
    A = np.arange(1, 2000, dtype=arg_dtype)
    assert f.types == [np.dtype(arg_dtype).char + "->" + out_dtype.char]
    assert_result(f(A), (A + A).astype(out_dtype))


@pytest.mark.parametrize("sigs", [['f4(f4)', 'f8(f8)'], ['f8(f8)', 'f4(f4)']], ids=["f4-first", "f8-first"])
@pytest.mark.parametrize("arg_dtype", [np.int16, np.int32, np.float32, np.float64], ids=dtype_id)
def test_loop_selection_in_signature_order(sigs, arg_dtype):
    f = numba.vectorize(sigs)(twice)
    assert f.types == ["f->f", "d->d"] if sigs[0] == "f4(f4)" else ["d->d", "f->f"]
    A = np.arange(-20, 20, dtype=arg_dtype)
    # NumPy takes the loop matching the input exactly, else the first it casts to safely.
    loops = [np.dtype(s[:2]) for s in sigs]
    chosen = arg_dtype if arg_dtype in loops else next(t for t in loops if np.can_cast(arg_dtype, t))
    assert_result(f(A), (A + A).astype(chosen))
    assert_result(f(A, dtype=np.float64), (A + A).astype(np.float64))


def test_no_matching_loop_raises_like_numpy():
    with pytest.raises(TypeError, match="not supported for the input types"):
        f_parallel(np.ones(3), np.ones(3, dtype=np.int64))


# --- reduce, accumulate, outer, at, identity ----------------------------------

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", REDUCE_DTYPES, ids=dtype_id)
def test_reduce_accumulate(mode, dtype):
    f = build(add2, mode, tuple(ADD_SIGS), identity=0)
    A = make_array((7, 5), dtype, "F")
    for got, expected in [(f.reduce(A), np.add.reduce(A)), (f.reduce(A, axis=1), np.add.reduce(A, axis=1)),
                          (f.reduce(A, axis=None), np.add.reduce(A, axis=None)),
                          (f.reduce(np.zeros(0, dtype)), dtype.type(0)),
                          (f.accumulate(A), np.add.accumulate(A)), (f.accumulate(A, axis=1), np.cumsum(A, axis=1))]:
        assert_result(got, expected)
    big = make_array((200000,), dtype, "C", 1)
    for _ in range(3):  # large enough for the parallel target to split; exact sums of small integers
        assert_result(f.reduce(big), big.sum())
        assert_result(f.accumulate(big[::2]), np.cumsum(big[::2]))


IDENTITIES = [(add2, 0, np.add), (mul2, 1, np.multiply), (bitand, -1, np.bitwise_and),
              (add2, None, np.add), (add2, "reorderable", np.add)]


@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy"])
@pytest.mark.parametrize("kernel, identity, np_ufunc", IDENTITIES, ids=[str(i[1]) for i in IDENTITIES])
def test_identity(lazy, kernel, identity, np_ufunc):
    f = build(kernel, (lazy, "cpu"), ("int64(int64,int64)",), identity=identity)
    A = make_array((3, 4), np.int64) * 3 - 5
    assert_result(f.reduce(A, axis=1), np_ufunc.reduce(A, axis=1))
    if identity in (None, "reorderable"):
        with pytest.raises(ValueError):  # no identity: an empty reduction has no value
            f.reduce(np.zeros(0, np.int64))
    else:
        assert f.identity == identity
        assert_result(f.reduce(np.zeros(0, np.int64)), np.int64(identity))
    if identity is None:
        with pytest.raises(ValueError, match="reorderable"):
            f.reduce(A, axis=(0, 1))
    else:  # an identity, or 'reorderable', allows reducing several axes at once
        assert_result(f.reduce(A, axis=(0, 1)), np_ufunc.reduce(A, axis=(0, 1)))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_outer(mode, dtype):
    f = build(mul_add, mode, tuple(MUL_ADD_SIGS))
    a, b = make_array((7,), dtype, seed=0), make_array((5, 2), dtype, "F", seed=1)
    assert_result(f.outer(a, b), expected_binary(np.multiply.outer, a, b, mode[0]) + 1)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.complex128)], ids=dtype_id)
def test_at(mode, dtype):
    f = build(mul_add, mode, tuple(MUL_ADD_SIGS))
    A = make_array((6,), dtype)
    idx, values = np.array([0, 2, 2, 5, 2]), make_array((5,), dtype, seed=1)
    expected = A.copy()
    for i, v in zip(idx, values):
        expected[i] = expected[i] * v + 1
    f.at(A, idx, values)
    assert_result(A, expected)
    g = build(neg, mode, ("float64(float64)", "complex128(complex128)"))
    C, expected = make_array((6,), np.float64), make_array((6,), np.float64)
    g.at(C, [0, 3, 3, 4])
    np.negative.at(expected, [0, 3, 3, 4])
    assert_result(C, expected)


# --- Lazy DUFunc bookkeeping ----------------------------------------------------

@pytest.mark.parametrize("target", ["cpu", "parallel"])
def test_dufunc_compiles_per_dtype_combination(target):
    f = numba.vectorize(target=target)(mul_add)
    assert isinstance(f, numjit.DUFunc) and f.ufunc is None and f.types == []
    assert (f.nin, f.nout, f.__name__) == (2, 1, "mul_add")
    # (NumPy picks the first loop a weak Python scalar casts to, so complex comes last.)
    calls = [((2, 3), "ll->l"), ((2.0, 3), "dl->d"), ((np.arange(3, dtype=np.int32), 2.5), "id->d"),
             ((np.float32(1.5), np.int32(2)), "fi->d"), ((np.array(2.0), np.arange(4.0)), "dd->d"),
             ((1j, 2j), "DD->D"), ((2, 3), "ll->l")]
    seen = []
    for args, loop in calls:
        assert_result(f(*args), expected_binary(mul_add, *args, lazy=True))
        if loop not in seen:
            seen.append(loop)
        assert f.types == seen
        assert isinstance(f.ufunc, np.ufunc)


# --- Kernel semantics ----------------------------------------------------------

DIVISIONS = [(div, np.float64, np.true_divide), (div, np.int64, np.true_divide),
             (floordiv, np.int64, np.floor_divide), (mod, np.int64, np.remainder)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kernel, dtype, np_ufunc", DIVISIONS,
                         ids=[f"{k.__name__}-{np.dtype(d).name}" for k, d, _ in DIVISIONS])
def test_division_by_zero_follows_numpy(mode, kernel, dtype, np_ufunc):
    A = np.tile(np.array([1, -1, 0, 5, -7, 3], dtype=dtype), 5000)
    B = np.tile(np.array([0, 0, 0, 2, 2, -2], dtype=dtype), 5000)
    with np.errstate(all="ignore"):
        expected = np_ufunc(A, B)
        sig = f"{expected.dtype.name}({np.dtype(dtype).name},{np.dtype(dtype).name})"
        got = build(kernel, mode, (sig,))(A, B)
    assert_result(got, expected)


EAGER_MUL_ADD = numba.vectorize(['int64(int64,int64)', 'float64(float64,float64)',
                                 'complex128(complex128,complex128)'])(mul_add)
LAZY_MUL_ADD = numba.vectorize(mul_add)


@njit
def call_eager(x, y):
    return EAGER_MUL_ADD(x, y) * 2


@njit
def call_lazy(x, y):
    return LAZY_MUL_ADD(x, y) * 2


@njit
def call_seed(a, n):
    return f_numba(a, n) + log_normal_pdf(a, 0.5, 2.0)


@pytest.mark.parametrize("caller", [call_eager, call_lazy], ids=["eager", "lazy"])
@pytest.mark.parametrize("x, y", [(2, 3), (-4, 7), (2.5, -1.5), (1 + 2j, 3 - 1j), (np.float64(0.25), 2)])
def test_callable_from_njit(caller, x, y):
    got = caller(x, y)
    expected = mul_add(x, y) * 2
    assert_result(np.asarray(got), np.asarray(expected))


@pytest.mark.parametrize("a, n", [(0.5, 4), (-1.25, 0), (0.75, 9)])
def test_seed_kernels_callable_from_njit(a, n):
    expected = f_numba.__wrapped__(a, n) + (-0.5 * ((a - 0.5) / 2.0)**2 - np.log(2.0))
    np.testing.assert_allclose(call_seed(a, n), expected, rtol=1e-12)


# --- Errors and options ---------------------------------------------------------

@pytest.mark.parametrize("target", ["cpu", "parallel"])
def test_typing_error_with_location(target):
    location = r"test_vectorize\.py:\d+:\d+"
    with pytest.raises(numjit.errors.TypingError, match=location):  # eager: compiled at decoration
        numba.vectorize(['f8(f8)'], target=target)(bad_kernel)
    f = numba.vectorize(target=target)(bad_kernel)
    for _ in range(2):  # lazy: at the first call, and again (a failed compile leaves no loop)
        with pytest.raises(numjit.errors.TypingError, match=location):
            f(np.ones(3))
    assert f.types == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("options", [{"nopython": True}, {"fastmath": True}, {"nopython": True, "fastmath": True}],
                         ids=["nopython", "fastmath", "both"])
def test_options(mode, options):
    f = build(mul_add, mode, ("float64(float64,float64)",), **options)
    A, B = random_floats(100000, low=0.0, high=2.0, seed=4), random_floats(100000, low=0.0, high=2.0, seed=5)
    assert_result(f(A, B), A * B + 1)


@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy"])
@pytest.mark.parametrize("options", [{"target": "cuda"}, {"identity": 2}], ids=["target", "identity"])
def test_invalid_options_raise_at_decoration(lazy, options):
    with pytest.raises(ValueError):
        (numba.vectorize(**options) if lazy else numba.vectorize(['f8(f8,f8)'], **options))(mul_add)


@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy"])
def test_lambda_kernel(lazy):
    deco = numba.vectorize if lazy else numba.vectorize(['f8(f8)'])
    f = deco(lambda x: x * 2.0 + 1.0)
    A = random_floats(1000)
    assert_result(f(A), A * 2.0 + 1.0)


def lane_kernel(x, n, scale):
    # Straight-line code around a loop whose bounds every element shares: the
    # ufunc loop runs such kernels 8 elements at a time (plus a remainder).
    acc = x * 0.5
    t = 1.0
    for j in range(1, n, 2):
        t = t * x + j
        acc += t * scale
    acc = acc - x
    return acc


@pytest.mark.parametrize("size", [1, 7, 8, 9, 16, 17, 1003])
@pytest.mark.parametrize("n", [0, 1, 6])
def test_lane_blocked_kernel_matches_elementwise(size, n):
    f = numba.vectorize(["float64(float64, int64, float64)"])(lane_kernel)
    x = np.linspace(-1.5, 2.0, size)
    expected = np.array([lane_kernel(v, n, 0.25) for v in x])
    np.testing.assert_allclose(f(x, n, 0.25), expected, rtol=1e-12)
    # Varying `n` per element: the loop is no longer uniform and runs element by element.
    ns = np.arange(size) % 5
    expected_varying = np.array([lane_kernel(v, k, 0.25) for v, k in zip(x, ns)])
    np.testing.assert_allclose(f(x, ns, 0.25), expected_varying, rtol=1e-12)
    # Strided input: the generic loop.
    np.testing.assert_allclose(f(np.repeat(x, 2)[::2], n, 0.25), expected, rtol=1e-12)


def scaled(a, b):
    return a * b


@pytest.mark.parametrize("array_dtype, scalar, expected_dtype", [
    (np.float32, 2.5, np.float32), (np.float64, 2.5, np.float64), (np.int32, 2.5, np.float64),
    (np.complex64, 2.5, np.complex64), (np.float32, 1.5 + 2j, np.complex64)])
def test_lazy_python_scalars_follow_numpy_weak_promotion(array_dtype, scalar, expected_dtype):
    # NumPy 2: a Python float beside a float32 array computes in float32.
    f = numba.vectorize(scaled)
    a = (np.arange(1, 6) * 0.75).astype(array_dtype)
    got = f(a, scalar)
    expected = a * scalar
    assert got.dtype == np.dtype(expected_dtype) == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.parametrize("caller", [call_eager, call_lazy], ids=["eager", "lazy"])
@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("x_shape, y_shape", [((7,), (7,)), ((3, 4), (4,)), ((3, 1), (1, 5)), ((0,), ())])
def test_callable_from_njit_on_arrays(caller, dtype, x_shape, y_shape):
    # Inside compiled code the kernel runs element by element in the fused loop.
    x = make_array(x_shape, dtype) if x_shape else dtype(3)
    y = make_array(y_shape, dtype, seed=1) if y_shape else dtype(3)
    expected = mul_add(x, y) * 2
    got = caller(x, y)
    assert isinstance(got, np.ndarray) and got.shape == np.broadcast_shapes(np.shape(x), np.shape(y))
    assert_result(got, np.asarray(expected))


@pytest.mark.parametrize("layout", ["C", "strided", "transposed"])
def test_seed_kernels_on_arrays_from_njit(layout):
    a = make_array((6, 5), np.float64, layout) / 7.0
    expected = f_numba(a, 4) + log_normal_pdf(a, 0.5, 2.0)
    np.testing.assert_allclose(call_seed(a, 4), expected, rtol=1e-12)
