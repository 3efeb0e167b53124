"""Keyword arguments between jitted functions, compile-time branch pruning
(``x is None``, ``a.ndim``, string constants, np.iscomplexobj), run-time tuple
indexing, scalar array attributes, and the top-level type exports."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import numjit
from conftest import check, dtype_id, make_array
from numjit import boolean, float32, float64, int32, int64, njit, prange, void
from numjit.errors import TypingError

DTYPES = [np.float32, np.float64, np.int64]
LAYOUTS = ["C", "F", "strided", "transposed"]


# ---- keyword arguments between jitted functions --------------------------------------------

@njit
def digits(a, b=2.0, c=3.0, d=4.0):
    return a * 1000 + b * 100 + c * 10 + d


@njit
def keywords_reordered(x):
    return digits(x, d=1.0, c=2.0, b=5.0), digits(d=1.0, c=2.0, b=3.0, a=x), digits(c=9.0, a=x, d=8.0, b=7.0)


@njit
def keyword_skips_default(x):
    return digits(x, c=7.0), digits(x, d=6.0), digits(a=x), digits(x, b=1.0, d=0.0)


@njit
def positional_keyword_default_mix(x, y):
    return digits(x, 9.0, d=8.0), digits(x, y, c=y), digits(x, y, 1.0, d=y), digits(x, y)


@njit
def scale_shift(a, scale=1.0, offset=0, out=None):
    if out is None:
        return a * scale + offset
    out[:] = a * scale + offset
    return out


@njit
def array_keywords(a):
    buffer = np.empty_like(a * 1.0)
    return (scale_shift(a, offset=3), scale_shift(offset=1, a=a, scale=2.0), scale_shift(a, 0.5),
            scale_shift(a, out=buffer, scale=-1.0))


@pytest.mark.parametrize("x", [1.0, 2, np.float32(0.5), True])
def test_keyword_arguments(x):
    check(keywords_reordered, x)
    check(keyword_skips_default, x)
    check(positional_keyword_default_mix, x, 3.5)
    check(positional_keyword_default_mix, x, 3)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_keyword_arguments_with_arrays(dtype, layout, n):
    check(array_keywords, make_array((n,), dtype, layout))


def test_keyword_arguments_from_python():
    assert digits(1.0, d=5.0) == digits.py_func(1.0, d=5.0) == 1235.0
    assert digits(d=1.0, a=2.0, c=0.0) == 2201.0


def test_unknown_keyword_is_a_typing_error():
    @njit
    def unknown(x):
        return digits(x, bogus_name=1.0)

    with pytest.raises(TypingError, match="bogus_name"):
        unknown(1.0)


def test_duplicate_argument_is_a_typing_error():
    @njit
    def twice(x):
        return digits(x, 2.0, b=1.0)

    with pytest.raises(TypingError, match="'b'"):
        twice(1.0)

    @njit
    def twice_first(x):
        return digits(x, a=x)

    with pytest.raises(TypingError, match="'a'"):
        twice_first(1.0)


def test_missing_argument_is_a_typing_error():
    @njit
    def missing(x):
        return digits(b=x)

    with pytest.raises(TypingError, match="'a'"):
        missing(1.0)


# ---- branch pruning on None -------------------------------------------------------------

@njit
def weighted_sum(x, w=None):
    if w is None:
        return x.sum()
    return (x * w).sum()


@njit
def weighted_sum_callers(x):
    return weighted_sum(x), weighted_sum(x, x), weighted_sum(x, w=x), weighted_sum(x, w=None), weighted_sum(x, None)


@njit
def pick_conditional(x, w=None):
    v = x if w is None else w
    return v.sum()


@njit
def not_is_none(x, w=None):
    if not (w is None):
        return (x * w).sum()
    return x.sum()


@njit
def is_not_none(x, w=None):
    if w is not None:
        return (x * w).sum()
    return -x.sum()


@njit
def both_none(x, w=None, v=None):
    if w is None and v is None:
        return x.sum()
    if w is None or v is None:
        return -1.0
    return (x * w * v).sum()


@njit
def none_or_ndim(x, w=None):
    if w is None or x.ndim == 1:
        return x.sum()
    return (x * w).sum()


@njit
def not_none_and_ndim(x, w=None):
    if w is not None and x.ndim == 2:
        return (x * w).sum()
    return x.sum()


@njit
def returns_none_or_array(x, w=None):
    if w is None:
        return x
    return x * w


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_none_branches(dtype, layout, n):
    x = make_array((n,), dtype, layout)
    w = make_array((n,), dtype, layout, seed=1)
    for f in (weighted_sum, pick_conditional, not_is_none, is_not_none, returns_none_or_array):
        check(f, x)
        check(f, x, w)
        check(f, x, None)
    check(weighted_sum_callers, x)
    check(both_none, x)
    check(both_none, x, w)
    check(both_none, x, None, w)
    check(both_none, x, w, w)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_none_and_ndim_combinations(dtype, layout):
    m = make_array((3, 4), dtype, layout)
    v = make_array((5,), dtype, layout)
    for f in (none_or_ndim, not_none_and_ndim):
        check(f, m)
        check(f, m, m)
        check(f, v, v)
        check(f, v)


# ---- branch pruning on ndim -------------------------------------------------------------

@njit
def first_element(a):
    if a.ndim == 1:
        return a[0]
    return a[0, 0]


@njit
def first_element_else(a):
    if a.ndim == 1:
        return a[0]
    else:
        return a[0, 0]


@njit
def first_element_by_rank(a):
    if a.ndim == 1:
        return a[0]
    elif a.ndim == 2:
        return a[0, 0]
    elif a.ndim == 3:
        return a[0, 0, 0]
    else:
        return a.ravel()[0]


@njit
def as_matrix(a):
    return a.reshape(1, a.size) if a.ndim == 1 else a


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1,), (7,), (100,), (1, 1), (3, 4), (2, 3, 4), (2, 1, 2, 2)], ids=str)
def test_ndim_branches(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    if a.ndim <= 2:
        check(first_element, a)
        check(first_element_else, a)
        got = as_matrix(a)
        assert_array_equal(got, as_matrix.py_func(a))
        assert got.ndim == 2
    check(first_element_by_rank, a)


# ---- string constants -------------------------------------------------------------------

@njit
def by_mode(x, mode="full"):
    if mode == "full":
        return x.sum()
    elif mode == "same":
        return x[0] * 1.0
    elif mode == "valid":
        return -1.0
    return 100.0


@njit
def by_mode_typed(x, mode="full"):
    if mode == "full":
        return x
    return x[0]


@njit
def not_equal_mode(x, mode):
    if mode != "skip":
        return x * 2
    return x


@njit
def call_by_mode(x):
    return (by_mode(x), by_mode(x, "same"), by_mode(x, mode="valid"), by_mode(x, mode="full"), by_mode(x, "other"),
            by_mode(mode="same", x=x))


@njit
def call_by_mode_typed(x):
    return by_mode_typed(x), by_mode_typed(x, "same"), by_mode_typed(x, mode="first")


@njit
def call_not_equal_mode(x):
    return not_equal_mode(x, "skip"), not_equal_mode(x, "double"), not_equal_mode(x, mode="skip")


@njit
def string_in_local(x):
    mode = "same"
    return by_mode(x, mode)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n", [1, 7, 100])
def test_string_constant_arguments(dtype, layout, n):
    # The callers' py_funcs would pass Python strings to the jitted callees, so
    # the expected values are spelled out from the callees' plain Python versions.
    x = make_array((n,), dtype, layout)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    got = call_by_mode(x)
    expected = tuple(by_mode.py_func(x, m) for m in ("full", "same", "valid", "full", "other", "same"))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert_allclose(g, e, rtol=rtol)
    full, same, first = call_by_mode_typed(x)
    assert_array_equal(full, x)
    assert full.dtype == x.dtype
    assert same == x[0] and first == x[0]
    skipped, doubled, skipped_keyword = call_not_equal_mode(x)
    assert_array_equal(skipped, x)
    assert_array_equal(doubled, x * 2)
    assert_array_equal(skipped_keyword, x)
    assert_allclose(string_in_local(x), x[0])


# ---- np.iscomplexobj / np.isrealobj --------------------------------------------------------

@njit
def complexness(a):
    return np.iscomplexobj(a), np.isrealobj(a)


@njit
def energy(a):
    if np.iscomplexobj(a):
        return (a.real * a.real + a.imag * a.imag).sum()
    return a


@pytest.mark.parametrize("value", [
    np.ones(3), np.ones((2, 2), np.float32), np.arange(4), np.ones(3, np.complex128), np.ones(2, np.complex64),
    np.ones((2, 3), np.complex128).T, np.array([True]), 1.0, 3, True, 1 + 2j, np.float32(2), np.int32(3),
    np.complex64(1j), np.complex128(2 - 1j)], ids=repr)
def test_iscomplexobj_isrealobj(value):
    check(complexness, value)


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.complex128, np.complex64], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_iscomplexobj_prunes(dtype, layout):
    a = make_array((7,), dtype, layout)
    got = energy(a)
    expected = energy.py_func(a)
    if np.iscomplexobj(a):
        assert_allclose(got, expected, rtol=1e-6)
    else:
        assert_array_equal(got, expected)
        assert got.dtype == a.dtype


# ---- dtype comparisons, decided by types ---------------------------------------------------

@njit
def dtype_facts(a, b):
    return (a.dtype == np.float64, a.dtype != np.float32, a.dtype == b.dtype, a.dtype != b.dtype,
            np.float64 == a.dtype, a.dtype == "int64", a.dtype == float)


@njit
def halve_floats(a):
    if a.dtype == np.float32 or a.dtype == np.float64:
        return a / 2  # an integer array would become float64 here
    return a // 2


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.complex128, np.bool_],
                         ids=dtype_id)
@pytest.mark.parametrize("other", [np.float64, np.int64, np.float32], ids=dtype_id)
def test_dtype_comparisons(dtype, other):
    a, b = make_array((3,), dtype), make_array((2, 2), other, "F")
    assert dtype_facts(a, b) == dtype_facts.py_func(a, b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int16], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_dtype_comparison_prunes_the_branch_not_taken(dtype, layout):
    a = make_array((6,), dtype, layout)
    got, expected = halve_floats(a), halve_floats.py_func(a)
    assert got.dtype == expected.dtype
    assert_array_equal(got, expected)


# ---- reading a variable before it is assigned ----------------------------------------------
# Python raises UnboundLocalError where a path reaches a read unassigned; the
# compiled code raises the same there (and nowhere else).

@njit
def assigned_in_one_branch(x):
    if x > 0:
        v = x * 2.0
    return v


@njit
def loop_variable_after_loop(n):
    for i in range(n):
        pass
    return i


@njit
def flag_read_before_set(x, n):
    total = 0.0
    for i in range(n):
        if i > 0 and seen:
            total += x
        seen = x > 0
    return total


@njit
def assigned_on_every_path(x):
    if x > 0:
        v = 1.0
    elif x < 0:
        v = -1.0
    else:
        v = 0.0
    while True:
        w = v * 2
        break
    return v + w


@njit(parallel=True)
def private_after_prange(x, n):
    for i in prange(n):
        k = i * x
    return k


@pytest.mark.parametrize("function, args", [
    (assigned_in_one_branch, (1.5,)), (assigned_in_one_branch, (-1.5,)), (loop_variable_after_loop, (3,)),
    (loop_variable_after_loop, (0,)), (flag_read_before_set, (2.0, 4)), (flag_read_before_set, (-2.0, 4)),
    (flag_read_before_set, (2.0, 0)), (assigned_on_every_path, (0.0,)), (assigned_on_every_path, (-3.0,)),
    (private_after_prange, (2.0, 5)), (private_after_prange, (2.0, 0))], ids=lambda v: getattr(v, "__name__", repr(v)))
def test_unbound_locals_raise_as_python(function, args):
    try:
        expected = function.py_func(*args)
    except UnboundLocalError as exc:
        with pytest.raises(UnboundLocalError, match=str(exc).split("'")[1]):
            function(*args)
    else:
        assert function(*args) == expected


# ---- the walrus operator ----------------------------------------------------------------------

@njit
def walrus_forms(x, n):
    total = 0.0
    if (y := x * 2) > 3:
        total += y
    i = 0
    while (step := i * i) < n:
        total += step
        i += 1
    values = [(z := v * 0.5) + z for v in range(3)]
    both = x > 0 and (w := x + 1) > 0
    return total, y, step, values, both, (q := 7) + q


@pytest.mark.parametrize("x, n", [(2.0, 10), (1.0, 0), (-3.5, 30)])
def test_walrus_as_python(x, n):
    assert walrus_forms(x, n) == walrus_forms.py_func(x, n)


@njit
def walrus_maybe_unassigned(x):
    ok = x > 0 and (w := x * 2) > 1
    return w


def test_a_walrus_that_may_not_run_leaves_its_variable_unassigned():
    assert walrus_maybe_unassigned(3.0) == walrus_maybe_unassigned.py_func(3.0)
    with pytest.raises(UnboundLocalError):
        walrus_maybe_unassigned.py_func(-1.0)
    with pytest.raises(UnboundLocalError):
        walrus_maybe_unassigned(-1.0)


@njit(parallel=True)
def walrus_in_prange(a):
    out = np.empty_like(a)
    for i in prange(a.shape[0]):
        out[i] = (t := a[i] * 2.0) + t
        if (u := a[i] - 50.0) > 0:
            out[i] += u
    return out


def test_walrus_inside_a_prange_body_is_private():
    a = np.arange(100.0)
    np.testing.assert_array_equal(walrus_in_prange(a), walrus_in_prange.py_func(a))


@njit
def walrus_changes_loop_variable(n):
    total = 0
    for i in range(n):
        total += (i := i - 5)
    return total


def test_a_walrus_on_a_loop_variable():
    assert walrus_changes_loop_variable(4) == walrus_changes_loop_variable.py_func(4)


# ---- literal_unroll ------------------------------------------------------------------------------

@njit
def unrolled_sum(t):
    total = 0.0
    count = 0
    for x in numjit.literal_unroll(t):
        total += x * 2
        count += 1
    return total, count


@njit
def unrolled_arrays(a, b, scale):
    out = 0.0
    for arr in numjit.literal_unroll((a, b)):
        for i in range(arr.shape[0]):
            out += arr[i] * scale
    return out


@pytest.mark.parametrize("t", [(1, 2.5, True, np.float32(1.5)), (3,), (), (1j, 2), tuple(range(32))], ids=repr)
def test_literal_unroll_over_mixed_tuples(t):
    assert unrolled_sum(t) == unrolled_sum.py_func(t)


@pytest.mark.parametrize("dtypes", [(np.float64, np.int32), (np.int64, np.float32)])
def test_literal_unroll_over_arrays_of_different_types(dtypes):
    a, b = np.arange(4, dtype=dtypes[0]), np.ones(3, dtype=dtypes[1])
    assert unrolled_arrays(a, b, 0.5) == unrolled_arrays.py_func(a, b, 0.5)


def test_literal_unroll_of_too_long_a_tuple_raises():
    with pytest.raises(ValueError, match="at most 32"):
        unrolled_sum(tuple(range(33)))


# ---- isinstance, decided by types -------------------------------------------------------------

@njit
def kinds_of(x):
    out = 0
    if isinstance(x, int):
        out += 1
    if isinstance(x, float):
        out += 10
    if isinstance(x, (complex, np.ndarray)):
        out += 100
    if isinstance(x, tuple):
        out += 1000
    if isinstance(x, bool):
        out += 10000
    if isinstance(x, np.float32):
        out += 100000
    if isinstance(x, (str, list, dict)):
        out += 1000000
    return out


@njit
def branch_types_only_when_taken(x):
    if isinstance(x, np.ndarray):
        return x.sum()  # a number has no .sum(): this branch types only for arrays
    return x * 2.0


@pytest.mark.parametrize("value", [1, -7, 2.5, 1j, np.zeros(2), np.ones((2, 2), np.int32), (1, 2.5), True,
                                   np.float32(1.5), np.int32(3), "text", [1, 2]], ids=repr)
def test_isinstance_as_python(value):
    assert kinds_of(value) == kinds_of.py_func(value)


@pytest.mark.parametrize("value", [3.0, 4, np.arange(5.0)], ids=repr)
def test_isinstance_prunes_the_branch_not_taken(value):
    assert branch_types_only_when_taken(value) == branch_types_only_when_taken.py_func(value)


# ---- tuples indexed at run time ------------------------------------------------------------

@njit
def all_dims(a):
    out = np.empty(a.ndim, np.int64)
    for d in range(a.ndim):
        out[d] = a.shape[d]
    return out


@njit
def all_dims_backwards(a):
    out = np.empty(a.ndim, np.int64)
    for d in range(1, a.ndim + 1):
        out[d - 1] = a.shape[-d]
    return out


@njit
def dim(a, d):
    return a.shape[d]


@njit
def stride(a, d):
    return a.strides[d]


@njit
def item(t, i):
    return t[i]


@njit
def sum_by_index(t):
    s = 0
    for i in range(len(t)):
        s += t[i] * (i + 1)
    return s


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (100,), (3, 0), (3, 4), (2, 3, 4), (2, 1, 3, 2)], ids=str)
def test_shape_indexed_at_run_time(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    check(all_dims, a)
    check(all_dims_backwards, a)
    for d in range(-a.ndim, a.ndim):
        check(dim, a, d)
        assert stride(a, d) == a.strides[d]  # (check() would copy a, changing its strides)
    for d in (a.ndim, a.ndim + 3, -a.ndim - 1):
        with pytest.raises(IndexError):
            dim.py_func(a, d)
        with pytest.raises(IndexError):
            dim(a, d)


@pytest.mark.parametrize("t", [(1, 2, 3), (1.5, 2.5, 3.5, -1.0), (7,), (np.int32(4), np.int32(5))], ids=repr)
def test_tuple_indexed_at_run_time(t):
    for i in range(-len(t), len(t)):
        check(item, t, i)
    check(sum_by_index, t)
    for i in (len(t), -len(t) - 1, 100):
        with pytest.raises(IndexError):
            item(t, i)


# ---- scalar .ndim / .size / .shape ---------------------------------------------------------
# A Python float has no .size (np.float64 has); numbers share one type in
# compiled code, so both are refused, as Numba does, rather than guessed.

@njit
def scalar_attributes(x):
    return x.ndim, x.size, x.shape


@njit
def element_attributes(a):
    v = a[0]
    return v.ndim


@pytest.mark.parametrize("value", [1.5, 3, True, 1 + 2j, np.float32(2), np.float64(-1), np.int32(3), np.int64(4),
                                   np.uint8(5), np.complex64(1j), np.bool_(False)], ids=repr)
def test_scalar_attributes_are_refused(value):
    with pytest.raises(numjit.errors.TypingError, match="has no attribute 'ndim'"):
        scalar_attributes(value)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_element_attributes_are_refused(dtype):
    with pytest.raises(numjit.errors.TypingError, match="np.ndim"):
        element_attributes(make_array((3,), dtype, "strided"))


# ---- top-level type exports -----------------------------------------------------------------

def test_type_exports_are_the_types_module_objects():
    for name in ("float64", "int64", "int32", "float32", "boolean", "void"):
        assert getattr(numjit, name) is getattr(numjit.types, name)


def test_type_exports_in_signatures():
    doubled = njit(float64(float64[:], int64))(lambda a, i: a[i] * 2)
    a = np.arange(5.0)
    assert doubled(a, 3) == 6.0
    assert doubled(a[::2], -1) == 8.0
    assert len(doubled.signatures) == 1
    with pytest.raises(TypeError):
        doubled(np.arange(5), 1)

    add = njit(int32(int32, int32))(lambda x, y: x + y)
    assert add(3, 4) == 7

    total = njit(float32(float32[:, :]))(lambda m: m.sum())
    result = total(np.ones((2, 3), np.float32))
    assert result == 6.0

    positive = njit(boolean(float64))(lambda x: x > 0)
    assert positive(1.0) is True
    assert positive(-1.0) is False

    def fill(out, value):
        out[:] = value

    filler = njit(void(float64[:], float64))(fill)
    out = np.zeros(4)
    assert filler(out, 2.5) is None
    assert_array_equal(out, 2.5)


def test_type_exports_in_signature_lists():
    total = njit([int64(int64[:]), float64(float64[:]), float32(float32[:])])(lambda a: a.sum())
    assert total(np.arange(4)) == 6
    assert total(np.arange(4.0)) == 6.0
    assert_allclose(total(np.arange(4, dtype=np.float32)), 6.0)
    assert len(total.signatures) == 3



# ---- conditions of folded constants ----------------------------------------------------
# CPython folds `False ^ True` to True and drops the code after an `if` it
# rules out, so the source numjit reads may end inside the `if` (found by the
# fuzzer's stencil family: the function was typed as returning an Optional).

@njit
def xor_of_constants(x):
    if (False ^ True):
        return float(x)
    return 2.0


@njit
def arithmetic_of_constants(x):
    if (1 + 1) * 3 - 6:
        return x * 10
    return x - 1


@njit
def and_of_constants_never(x):
    if True & False:
        return "never"  # another type: typed only were the branch live
    return x + 0.5


@pytest.mark.parametrize("x", [3, -2, 0])
def test_conditions_of_folded_constants_prune_as_cpython_does(x):
    for compiled in (xor_of_constants, arithmetic_of_constants, and_of_constants_never):
        got, want = compiled(x), compiled.py_func(x)
        assert got == want and type(got) is type(want)
    assert str(xor_of_constants.nopython_signatures[0].return_type) == "float64"  # not an Optional


def test_a_stencil_whose_kernel_ends_in_a_folded_condition():
    @numjit.stencil(neighborhood=((-1, 0),), cval=-2.0)
    def kernel(a):
        if (False ^ True):
            return a[0] - a[-1]
        return 0.0

    @njit
    def apply(a):
        return kernel(a)

    for a in (np.arange(6.0), np.zeros(0), np.array([1.5])):
        assert_array_equal(apply(a), kernel(a))


def swap_names(a, b):
    a, b = b, a
    (x, (y, z)) = (b, (a, 2.5))
    return a, b, x, y, z


@pytest.mark.parametrize("a, b", [(1, 2.5), (2**60 + 1, 0.5), (True, 3), (-7, 2**62 + 3)])
def test_unpacking_gives_each_name_a_new_version(a, b):
    # Each name keeps the type of what it now holds: int stays int, exactly.
    got, want = njit(swap_names)(a, b), swap_names(a, b)
    assert got == want
    assert [type(v) for v in got] == [type(v) for v in want]
