"""@intrinsic over numjit's builder (numjit/intrinsics.py): each operation is
compared with what NumPy computes for the same machine operation (an
intrinsic has no Python body to run as .py_func)."""
import numpy as np
import pytest

from numjit import njit, types
from numjit.core.typing import signature
from numjit.errors import TypingError
from numjit.extending import intrinsic

INTEGERS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32, np.uint64]
FLOATS = [np.float32, np.float64]


def binary_intrinsic(operation):
    @intrinsic
    def apply(typingctx, a, b):
        def codegen(context, builder, sig, args):
            return getattr(builder, operation)(args[0], args[1])

        return signature(a, a, b), codegen

    return apply


OPERATIONS = {name: binary_intrinsic(name) for name in
              ("add", "sub", "mul", "sdiv", "srem", "udiv", "urem", "and_", "or_", "xor", "fadd", "fmul", "fdiv",
               "frem")}


def run(operation, a, b):
    apply = OPERATIONS[operation]

    @njit
    def call(x, y):
        return apply(x, y)

    return call(a, b)


def c_division(a, b):
    """C's truncating division and remainder, computed exactly on Python integers."""
    q = abs(int(a)) // abs(int(b))
    q = q if (a < 0) == (b < 0) else -q
    return q, int(a) - q * int(b)


@pytest.mark.parametrize("dtype", INTEGERS, ids=lambda d: np.dtype(d).name)
def test_integer_arithmetic_wraps_and_divides_as_c(dtype):
    info = np.iinfo(dtype)
    for a, b in [(7, 2), (info.max, 3), (info.min + 1 if info.min else 9, 5), (-7 if info.min else 250, 2)]:
        x, y = dtype(a), dtype(b)
        with np.errstate(over="ignore"):
            assert run("add", x, y) == x + y and run("sub", x, y) == x - y and run("mul", x, y) == x * y
        assert (run("and_", x, y), run("or_", x, y), run("xor", x, y)) == (x & y, x | y, x ^ y)
        if info.min < 0:
            assert (run("sdiv", x, y), run("srem", x, y)) == c_division(x, y)
        else:
            assert (run("udiv", x, y), run("urem", x, y)) == (x // y, x % y)
        assert type(run("add", x, y)) in (int, type(x.item()))


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
def test_float_arithmetic(dtype):
    for a, b in [(7.5, 2.0), (-7.5, 2.0), (1e30, 3.0)]:
        x, y = dtype(a), dtype(b)
        np.testing.assert_allclose(run("fadd", x, y), x + y, rtol=1e-6)
        np.testing.assert_allclose(run("fmul", x, y), x * y, rtol=1e-6)
        np.testing.assert_allclose(run("fdiv", x, y), x / y, rtol=1e-6)
        np.testing.assert_allclose(run("frem", x, y), np.fmod(x, y), rtol=1e-6)  # C's fmod, not Python's %


@intrinsic
def logical_shift(typingctx, a, k):
    def codegen(context, builder, sig, args):
        return builder.lshr(args[0], args[1])

    return signature(a, a, k), codegen


@intrinsic
def arithmetic_shift(typingctx, a, k):
    def codegen(context, builder, sig, args):
        return builder.ashr(args[0], args[1])

    return signature(a, a, k), codegen


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64], ids=lambda d: np.dtype(d).name)
def test_shifts(dtype):
    @njit
    def shifts(x, k):
        return logical_shift(x, k), arithmetic_shift(x, k)

    unsigned = np.dtype(dtype).str.replace("i", "u")
    for value in (-100, 100):
        x = dtype(value)
        logical = (np.array(x).view(unsigned) >> 2).view(dtype)
        assert shifts(x, 2) == (logical, x >> 2)


@intrinsic
def float_bits(typingctx, x):
    target = types.int32 if x == types.float32 else types.int64

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], target)

    return signature(target, x), codegen


@intrinsic
def unordered_less(typingctx, a, b):
    def codegen(context, builder, sig, args):
        return builder.fcmp_unordered("<", args[0], args[1])

    return signature(types.boolean, a, b), codegen


@intrinsic
def clamp_to_zero(typingctx, a):
    def codegen(context, builder, sig, args):
        zero = context.get_constant(sig.args[0], 0)
        return builder.select(builder.icmp_signed("<", args[0], zero), zero, args[0])

    return signature(a, a), codegen


def test_bits_comparisons_and_select():
    @njit
    def use(f32, f64, a, b, n):
        return float_bits(f32), float_bits(f64), unordered_less(a, b), clamp_to_zero(n)

    for a, b in [(1.0, 2.0), (2.0, 1.0), (np.nan, 1.0)]:
        got = use(np.float32(1.5), 1.5, a, b, -4)
        assert got == (np.float32(1.5).view(np.int32), np.float64(1.5).view(np.int64), bool(not (a >= b)), 0)
    assert use(np.float32(0), 0.0, 1.0, 1.0, 7)[3] == 7


@intrinsic
def array_norm(typingctx, a):
    def codegen(context, builder, sig, args):
        def impl(v):
            return np.sqrt((v * v).sum())

        return context.compile_internal(builder, impl, sig, args)

    return signature(types.float64, a), codegen


@intrinsic
def swap_ends(typingctx, a):
    def codegen(context, builder, sig, args):
        first = builder.load(args[0], 0)
        last = builder.load(args[0], -1)
        builder.store(last, args[0], 0)
        builder.store(first, args[0], -1)
        return context.get_dummy_value()

    return signature(types.none, a), codegen


@intrinsic
def second_of(typingctx, t):
    def codegen(context, builder, sig, args):
        return builder.extract_value(args[0], 1)

    return signature(t[1], t), codegen


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_arrays_tuples_and_compiled_calls(dtype):
    @njit
    def use(a, t):
        swap_ends(a)
        return array_norm(a), second_of(t)

    a = np.arange(1, 6).astype(dtype)
    norm, second = use(a, (1, 2.5))
    np.testing.assert_allclose(norm, np.sqrt((np.arange(1, 6, dtype=np.float64) ** 2).sum()), rtol=1e-6)
    assert second == 2.5 and a[0] == 5 and a[-1] == 1


@intrinsic
def integers_only(typingctx, x):
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        return builder.neg(args[0])

    return signature(x, x), codegen


def test_typing_refusals_and_python_calls():
    @njit
    def negate(x):
        return integers_only(x)

    assert negate(5) == -5
    with pytest.raises(TypingError, match="integers_only"):
        negate(5.0)
    with pytest.raises(TypeError, match="only be called from compiled code"):
        integers_only(3)
