"""Exceptions raised inside compiled code reach Python with their class and
message, and the dispatcher keeps working afterwards.

PYTEST_DONT_REWRITE: pytest's assertion rewriting would also rewrite the
``assert`` statements inside the jitted functions below (changing py_func's
messages, and the bytecode Numba compiles from).
"""
import numpy as np
import pytest

from numjit import njit

from conftest import check, random_floats


class ModelError(Exception):
    pass


class NegativeInput(ValueError):
    pass


@njit
def checked_sqrt(x):
    if x < 0:
        raise ValueError("negative input")
    return x ** 0.5


@njit
def asserted_half(n):
    assert n % 2 == 0, "n must be even"
    return n // 2


@njit
def bare_assert(n):
    assert n > 0
    return n


@njit
def raise_custom(kind):
    if kind == 1:
        raise ModelError("model failed")
    if kind == 2:
        raise NegativeInput("below zero")
    if kind == 3:
        raise KeyError("missing")
    if kind == 4:
        raise IndexError
    return kind


@njit
def first_negative(x):
    for i in range(x.shape[0]):
        if x[i] < 0:
            raise ValueError("found a negative value")
    return x.shape[0]


@njit
def calls_raiser(x):
    return checked_sqrt(x) + 1.0


@pytest.mark.parametrize("x", [4.0, 0.0, -1.0, 2, -3])
def test_raise_value_error_with_message(x):
    if x < 0:
        with pytest.raises(ValueError, match="^negative input$"):
            checked_sqrt(x)
    check(checked_sqrt, x)


@pytest.mark.parametrize("n", [4, 0, 3, -7])
def test_assert_with_message(n):
    if n % 2:
        with pytest.raises(AssertionError) as info:
            asserted_half(n)
        assert str(info.value) == "n must be even"
    check(asserted_half, n)


def test_assert_without_message():
    with pytest.raises(AssertionError):
        bare_assert(0)
    assert bare_assert(5) == 5


@pytest.mark.parametrize("kind, error, message", [
    (1, ModelError, "model failed"), (2, NegativeInput, "below zero"), (3, KeyError, "'missing'"),
    (4, IndexError, ""),
])
def test_exception_classes(kind, error, message):
    with pytest.raises(error) as info:
        raise_custom(kind)
    assert type(info.value) is error
    assert str(info.value) == message
    check(raise_custom, kind)
    assert raise_custom(0) == 0


def test_custom_exception_is_catchable_as_its_base():
    with pytest.raises(ValueError):
        raise_custom(2)
    with pytest.raises(Exception):
        raise_custom(1)


@pytest.mark.parametrize("bad_at", [0, 5, 999])
def test_raise_inside_loop(bad_at):
    x = random_floats(1000, low=0.0, high=1.0)
    assert first_negative(x) == 1000
    x[bad_at] = -1.0
    with pytest.raises(ValueError, match="found a negative value"):
        first_negative(x)
    x[bad_at] = 1.0
    check(first_negative, x)


def test_exception_from_callee_propagates():
    with pytest.raises(ValueError, match="negative input"):
        calls_raiser(-2.0)
    assert calls_raiser(9.0) == 4.0


def test_dispatcher_works_after_many_exceptions():
    for _ in range(100):
        with pytest.raises(ValueError):
            checked_sqrt(-1.0)
    assert checked_sqrt(16.0) == 4.0
    assert checked_sqrt(16) == 4.0


def test_zero_division_inside_loop_then_recovery():
    @njit
    def inverse_sum(x):
        s = 0.0
        for v in x:
            s += 1.0 / v
        return s

    with pytest.raises(ZeroDivisionError):
        inverse_sum(np.array([1.0, 0.0, 2.0]))
    check(inverse_sum, np.array([1.0, 4.0, 2.0]))
    with pytest.raises(ZeroDivisionError):
        inverse_sum(np.array([0.0]))


def test_exception_leaves_earlier_writes_in_place():
    @njit
    def fill_until_negative(out, x):
        for i in range(x.shape[0]):
            if x[i] < 0:
                raise ValueError("negative")
            out[i] = 2 * x[i]

    x = np.array([1.0, 2.0, -1.0, 4.0])
    out = np.zeros(4)
    with pytest.raises(ValueError):
        fill_until_negative(out, x)
    np.testing.assert_array_equal(out, [2.0, 4.0, 0.0, 0.0])
    check(fill_until_negative, np.zeros(4), x)


@njit
def raise_with_arguments(kind):
    if kind == 0:
        raise ValueError("bad row", -3)
    if kind == 1:
        raise IndexError(7)
    if kind == 2:
        raise ModelError(2.5, True, None, "it's \\ done\n")
    if kind == 3:
        raise KeyError("a", 1)
    if kind == 4:
        raise NegativeInput(-1e300, 2j)
    if kind == 5:
        raise ValueError("\x01 starts with the byte numjit marks argument tuples with")
    return kind


@pytest.mark.parametrize("kind", [0, 1, 2, 3, 4, 5, 6])
def test_exception_arguments_are_pythons(kind):
    # Numbers and several arguments keep their values and types (not one
    # message text): the same exception as the Python function raises.
    try:
        raise_with_arguments.py_func(kind)
    except Exception as exc:
        expected = exc
    else:
        assert raise_with_arguments(kind) == kind
        return
    with pytest.raises(type(expected)) as info:
        raise_with_arguments(kind)
    assert info.value.args == expected.args
    assert [type(a) for a in info.value.args] == [type(a) for a in expected.args]
    assert str(info.value) == str(expected)


class AppError(Exception):
    pass


def raise_with_values(n, x, word):
    if n > 0:
        raise AppError("bad", n, x, word, None, n > 1)
    raise ValueError(x)


@pytest.mark.parametrize("n", [1, 3, 0])
@pytest.mark.parametrize("x", [2.5, float("nan"), float("inf"), -0.0, 1e300])
@pytest.mark.parametrize("word", ["w", "it's \"quoted\"", ""])
def test_run_time_exception_arguments_keep_their_types(n, x, word):
    with pytest.raises(Exception) as compiled:
        njit(raise_with_values)(n, x, word)
    with pytest.raises(Exception) as python:
        raise_with_values(n, x, word)
    assert type(compiled.value) is type(python.value)
    assert repr(compiled.value.args) == repr(python.value.args)


def lookups(first, k, how):
    d = {first: 1}
    if how == 0:
        return d[k]
    return d.pop(k)


@pytest.mark.parametrize("first, missing", [(1, 5), (1.5, 0.25), ("a", "zz"), (True, False), (np.float32(1.5), 2.0)])
@pytest.mark.parametrize("how", [0, 1])
def test_key_error_names_the_key(first, missing, how):
    with pytest.raises(KeyError) as compiled:
        njit(lookups)(first, missing, how)
    with pytest.raises(KeyError) as python:
        lookups(first, missing, how)
    assert compiled.value.args == python.value.args


def caught_key(k):
    d = {1: 2}
    try:
        return d[k]
    except KeyError as e:
        return -1


@pytest.mark.parametrize("k", [1, 3])
def test_a_key_error_caught_in_compiled_code(k):
    assert njit(caught_key)(k) == caught_key(k)


def checked_positive(x, scale):
    assert x > 0, f"x was {x} at scale {scale}"
    assert x < 100, x * scale
    return x


@pytest.mark.parametrize("x", [5, -2, 0, 150])
@pytest.mark.parametrize("scale", [1, 2.5])
def test_assert_messages_made_at_run_time(x, scale):
    compiled = njit(checked_positive)
    if 0 < x < 100:
        assert compiled(x, scale) == checked_positive(x, scale)
        return
    with pytest.raises(AssertionError) as got:
        compiled(x, scale)
    with pytest.raises(AssertionError) as want:
        checked_positive(x, scale)
    assert str(got.value) == str(want.value)


def assert_caught(x):
    try:
        assert x > 0, f"bad {x}"
    except AssertionError:
        return -1
    return x


@pytest.mark.parametrize("x", [3, -3])
def test_assert_with_a_made_message_caught_in_compiled_code(x):
    assert njit(assert_caught)(x) == assert_caught(x)
