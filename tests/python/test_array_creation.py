"""Creating arrays inside compiled code: np.empty/zeros/ones/full and their
_like forms, arange, linspace, eye, identity, copy and asarray, with dtype=
given as a NumPy type or a string, shapes as an int, a tuple or another
array's shape; arrays filled in loops and returned."""
import numpy as np
import pytest

from numjit import njit

from conftest import LAYOUTS, SIZES, check, dtype_id, make_array

#: dtype= as written in the source: NumPy types and strings.
DTYPE_FORMS = [np.float64, np.float32, np.int32, np.int64, np.complex128, np.bool_, "float32", "int64", "complex128"]
LIKE_DTYPES = [np.float64, np.int32, np.complex128, np.bool_]


def form_id(form):
    return repr(form) if isinstance(form, str) else np.dtype(form).name


def check_shape_dtype(f, *args):
    """For np.empty: only the type, shape and dtype of the result are defined."""
    got, expected = f(*args), f.py_func(*args)
    assert type(got) is np.ndarray
    assert (got.shape, got.dtype) == (expected.shape, expected.dtype)
    return got


# ---- the shape argument -----------------------------------------------------------

@njit
def empty_int(n):
    return np.empty(n)


@njit
def empty_tuple(n, m):
    return np.empty((n, m))


@njit
def empty_shape_of(a):
    return np.empty(a.shape)


@njit
def from_int(n):
    return np.zeros(n), np.zeros((n,)), np.zeros((n, 2, 3)), np.ones(n)


@njit
def from_tuple(n, m):
    return np.zeros((n, m)), np.ones((n, m))


@njit
def from_shape_of(a):
    return np.zeros(a.shape), np.ones(a.shape)


@njit
def full_int(n, value):
    return np.full(n, value)


@njit
def full_tuple(n, m, value):
    return np.full((n, m), value)


@njit
def full_shape_of(a, value):
    return np.full(a.shape, value)


@pytest.mark.parametrize("n", SIZES)
def test_shape_as_int(n):
    check_shape_dtype(empty_int, n)
    check(from_int, n)
    for value in (7, 2.5, True, 1 + 2j, np.int32(4), np.float32(1.5)):
        check(full_int, n, value)


@pytest.mark.parametrize("n, m", [(0, 0), (0, 3), (3, 0), (1, 1), (3, 5), (40, 25)])
def test_shape_as_tuple(n, m):
    check_shape_dtype(empty_tuple, n, m)
    check(from_tuple, n, m)
    check(full_tuple, n, m, -3)
    check(full_tuple, n, m, 0.25)


@pytest.mark.parametrize("shape", [(0,), (7,), (3, 5), (0, 4), (2, 3, 4)])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_shape_taken_from_another_array(shape, layout):
    a = make_array(shape, np.int32, layout if len(shape) > 1 else "C")
    check_shape_dtype(empty_shape_of, a)
    check(from_shape_of, a)
    check(full_shape_of, a, 9.5)


# ---- dtype= -------------------------------------------------------------------------

def creator(name, dtype):
    """A function creating an array with ``dtype`` (a closure constant, as
    written in the source) and whether only its shape and dtype are defined."""
    if name == "empty":
        @njit
        def f(n):
            return np.empty((n, 2), dtype=dtype)
        return f, True
    if name == "zeros":
        @njit
        def f(n):
            return np.zeros(n, dtype=dtype)
    elif name == "ones":
        @njit
        def f(n):
            return np.ones((n, 3), dtype=dtype)
    elif name == "full":
        @njit
        def f(n):
            return np.full(n, 1, dtype=dtype)
    elif name == "arange":
        @njit
        def f(n):
            return np.arange(n, dtype=dtype)
    elif name == "eye":
        @njit
        def f(n):
            return np.eye(n, dtype=dtype)
    else:
        @njit
        def f(n):
            return np.identity(n, dtype=dtype)
    return f, False


@pytest.mark.parametrize("dtype", DTYPE_FORMS, ids=form_id)
@pytest.mark.parametrize("name", ["empty", "zeros", "ones", "full", "arange", "eye", "identity"])
def test_dtype_argument(name, dtype):
    if name == "arange" and np.dtype(dtype).kind == "b":
        dtype = np.int16  # arange of booleans is an error in NumPy
    f, only_shape = creator(name, dtype)
    for n in (0, 1, 7):
        if only_shape:
            check_shape_dtype(f, n)
        else:
            check(f, n)


@njit
def literal_dtypes(n):
    return (np.zeros(n, dtype=np.float32), np.ones(n, dtype=np.int32), np.empty(n, dtype=np.complex128).shape,
            np.full(n, 3, dtype=np.bool_), np.zeros((n, 2), dtype="float32"), np.ones(n, dtype="int64"),
            np.zeros(n, np.complex128))


@pytest.mark.parametrize("n", [0, 1, 7])
def test_dtype_written_in_source(n):
    check(literal_dtypes, n)


# ---- _like ----------------------------------------------------------------------------

@njit
def likes(a):
    return np.zeros_like(a), np.ones_like(a), np.full_like(a, 5)


def like_creators(dtype):
    @njit
    def make(a):
        return np.zeros_like(a, dtype=dtype), np.ones_like(a, dtype=dtype), np.full_like(a, 3, dtype=dtype)

    @njit
    def empty(a):
        return np.empty_like(a, dtype=dtype)
    return make, empty


@njit
def empty_like(a):
    return np.empty_like(a)


@njit
def full_like_value(a, value):
    return np.full_like(a, value)


@pytest.mark.parametrize("dtype", LIKE_DTYPES + [np.float32], ids=dtype_id)
@pytest.mark.parametrize("shape, layout", [((0,), "C"), ((7,), "C"), ((7,), "strided"), ((3, 4), "C"),
                                           ((3, 4), "F"), ((3, 4), "transposed"), ((3, 4), "strided")])
def test_like(dtype, shape, layout):
    a = make_array(shape, dtype, layout)
    check_shape_dtype(empty_like, a)
    check(likes, a)
    check(full_like_value, a, 1.75)  # converted to a's dtype, as NumPy does
    for other in DTYPE_FORMS[:6] + ["float32"]:
        make, empty = like_creators(other)
        check(make, a)
        check_shape_dtype(empty, a)


# ---- arange, linspace, eye, identity -------------------------------------------------------

@njit
def arange1(stop):
    return np.arange(stop)


@njit
def arange2(start, stop):
    return np.arange(start, stop)


@njit
def arange3(start, stop, step):
    return np.arange(start, stop, step)


@pytest.mark.parametrize("stop", [0, 1, 7, 1000, -3, 2.5, 0.5, np.int32(9)])
def test_arange_stop(stop):
    check(arange1, stop)


@pytest.mark.parametrize("start, stop", [(2, 9), (9, 2), (-5, 5), (0, 0), (1.5, 4), (2, 7.25), (-1.0, 1.0)])
def test_arange_start_stop(start, stop):
    check(arange2, start, stop)


@pytest.mark.parametrize("start, stop, step", [
    (2, 9, 3), (0, 10, 1), (9, 2, -2), (0, 10, -1), (-7, 8, 5), (0, 1000, 7),
    (0.5, 3.0, 0.25), (1, 3.0, 0.5), (1.0, 0.0, -0.1), (0.0, 1.0, 0.1), (0, 5, 1.5), (3, 3, 1),
])
def test_arange_start_stop_step(start, stop, step):
    check(arange3, start, stop, step)


@njit
def linspace(a, b, n):
    return np.linspace(a, b, n)


@pytest.mark.parametrize("n", SIZES + [2, 50])
@pytest.mark.parametrize("a, b", [(0.0, 1.0), (-3, 5), (2.5, -2.5), (1, 1), (0j, 1 + 2j)])
def test_linspace(a, b, n):
    got = check(linspace, a, b, n)
    if n >= 2:
        assert got[0] == a and got[-1] == b  # the end points are exact, as in NumPy


@njit
def eye1(n):
    return np.eye(n)


@njit
def eye2(n, m):
    return np.eye(n, m)


@njit
def identity(n):
    return np.identity(n)


@pytest.mark.parametrize("n", [0, 1, 4, 50])
def test_eye_and_identity(n):
    check(eye1, n)
    check(identity, n)
    for m in (0, 1, n, n + 3, max(n - 2, 0)):
        check(eye2, n, m)


# ---- copy and asarray -------------------------------------------------------------------

@njit
def np_copy(a):
    return np.copy(a)


@njit
def method_copy(a):
    return a.copy()


@njit
def copy_is_independent(a):
    b = a.copy()
    c = np.copy(a)
    for i in range(b.shape[0]):
        b[i, 0] = 100
        c[i, -1] = -100
    return b, c


@njit
def asarray(a):
    return np.asarray(a)


@njit
def asarray_writes_through(a):
    b = np.asarray(a)
    b[0] = 42
    return b


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64, np.complex128, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0, 3), (1, 1), (3, 5), (40, 25)])
def test_copy(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    check(np_copy, a)
    check(method_copy, a)
    check(copy_is_independent, a)  # check() also verifies that a is unchanged
    check(np_copy, a[:, 0])
    check(asarray, a)


@pytest.mark.parametrize("layout", ["C", "strided"])
def test_asarray_of_an_array_is_the_same_array(layout):
    a = make_array((7,), np.float64, layout)
    check(asarray_writes_through, a)
    assert np.shares_memory(asarray(a), a)


# ---- filled in loops and returned -----------------------------------------------------------

@njit
def table(n, m):
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = i * m + j
    return out


@njit
def doubled(a):
    out = np.empty(a.shape, dtype=np.float64)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[i, j] = a[i, j] * 2
    return out


@njit
def counts(a, k):
    c = np.zeros(k, dtype=np.int64)
    for i in range(a.shape[0]):
        c[a[i] % k] += 1
    return c


@njit
def running_sum(a):
    out = np.empty_like(a)
    acc = 0
    for i in range(a.shape[0]):
        acc += a[i]
        out[i] = acc
    return out


@njit
def outer_from_aranges(n):
    x = np.arange(n)
    y = np.linspace(0.0, 1.0, n)
    out = np.full((n, n), -1.0)
    for i in range(n):
        for j in range(n):
            out[i, j] = x[i] * y[j]
    return out, x, y


@pytest.mark.parametrize("n", SIZES)
def test_created_arrays_filled_in_loops(n):
    check(table, n, 3)
    check(doubled, make_array((n, 4), np.int32, "F"))
    check(counts, make_array((n,), np.int64), 5)
    check(running_sum, make_array((n,), np.int32))
    check(running_sum, make_array((n,), np.float64, "strided"))
    if n <= 100:
        check(outer_from_aranges, n)


# ---- result types and errors -----------------------------------------------------------------

@njit
def layouts_of_results(a):
    return np.zeros((3, 4)), np.copy(a), a.copy(), np.empty_like(a), np.arange(6)


@pytest.mark.parametrize("layout", ["C", "F"])
def test_result_types_and_layouts_match_numpy(layout):
    a = make_array((4, 5), np.float32, layout)
    got, expected = layouts_of_results(a), layouts_of_results.py_func(a)
    for g, e in zip(got, expected):
        assert (type(g), g.dtype, g.shape) == (np.ndarray, e.dtype, e.shape)
        assert (g.flags.c_contiguous, g.flags.f_contiguous) == (e.flags.c_contiguous, e.flags.f_contiguous)
        assert g.flags.writeable


def test_creation_errors():
    # NumPy: ValueError: negative dimensions are not allowed
    check(from_int, -1)
    check(from_tuple, 3, -2)
    check(full_tuple, -1, 2, 1.0)
    for f, args in ((from_int, (-5,)), (empty_tuple, (-1, -1)), (empty_int, (-2,))):
        with pytest.raises(ValueError):
            f(*args)
    # NumPy: ValueError: Number of samples, -1, must be non-negative.
    check(linspace, 0.0, 1.0, -1)


def test_arange_zero_step_raises():
    # NumPy raises ZeroDivisionError ("division by zero"); Numba raises
    # ValueError ("Maximum allowed size exceeded"). NumPy is the reference.
    check(arange3, 1, 3, 0)
    check(arange3, 1.0, 3.0, 0.0)
