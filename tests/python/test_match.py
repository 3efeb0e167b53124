"""`match` statements (beyond Numba): literal, capture, wildcard, value,
or, as, sequence (with *rest) and mapping patterns, with guards. Each
compiled result is compared with `.py_func`."""
import math

import numpy as np
import pytest

from numjit import errors, njit, typed, types


@njit
def classify(x):
    match x:
        case 0 | 1:
            return 10
        case 2 if x > 5:
            return -1
        case 7:
            return 70
        case n if n < 0:
            return n * 2
        case _:
            return 0


@pytest.mark.parametrize("x", list(range(-3, 9)) + [np.int32(7), np.int8(-2), 7.0, -0.5])
def test_literal_or_capture_and_guard_patterns(x):
    assert classify(x) == classify.py_func(x)


@njit
def pairs(t):
    match t:
        case (a, b):
            return a + b
        case (a, b, c) as whole:
            return a * b * c + len(whole)
        case (first, *_, last):
            return first - last
        case _:
            return -1.0


@pytest.mark.parametrize("t", [(1.0, 2.0), (2.0, 3.0, 4.0), (1.0,), (5, 1, 1, 2), (1.5, 2.5, 3.5, 4.5, 5.5)])
def test_sequence_patterns_on_tuples_are_decided_by_length(t):
    assert pairs(t) == pairs.py_func(t)


@njit
def head_and_rest(items):
    match items:
        case [x]:
            return x, 0
        case [first, *rest] if first > 0:
            return first, len(rest)
        case [a, b, *_]:
            return a + b, -1
    return 0, -2


@pytest.mark.parametrize("items", [[3], [1, 2, 3], [-4, 5], [-1, -2, -3, -4], [2.5, 1.0]])
def test_sequence_patterns_on_lists(items):
    assert head_and_rest(items) == head_and_rest.py_func(list(items))


def test_sequence_patterns_on_an_empty_typed_list():
    empty = typed.List.empty_list(types.int64)
    assert head_and_rest(empty) == head_and_rest.py_func([])


@njit
def command(word):
    match word:
        case "go":
            return 1
        case "stop" | "halt":
            return 2
        case other:
            return len(other) + 100


@pytest.mark.parametrize("word", ["go", "halt", "stop", "", "xyzw", "gö"])
def test_string_literal_patterns(word):
    assert command(word) == command.py_func(word)


@njit
def lookup(n):
    d = {"a": n, "b": n * 2}
    if n > 2:
        d.pop("a")
    match d:
        case {"a": 1, "b": v}:
            return v
        case {"a": v}:
            return v * 10
        case {"b": v} if v > 100:
            return -v
    return -1


@pytest.mark.parametrize("n", [1, 2, 3, 60])
def test_mapping_patterns(n):
    assert lookup(n) == lookup.py_func(n)


@njit
def value_patterns(x):
    match x:
        case math.pi:
            return 1
        case 3.0:
            return 2
        case None:
            return 3
    return 0


@pytest.mark.parametrize("x", [math.pi, 3.0, 2.0, -0.0])
def test_value_patterns(x):
    assert value_patterns(x) == value_patterns.py_func(x)


@njit
def in_a_loop(values):
    total = 0
    for v in values:
        match v:
            case 0:
                continue
            case 99:
                break
            case _:
                total += v
    return total


@pytest.mark.parametrize("values", [np.array([1, 0, 2, 99, 5]), np.array([0, 0]), np.arange(10)])
def test_break_and_continue_inside_cases(values):
    assert in_a_loop(values) == in_a_loop.py_func(values)


class Point:
    def __init__(self, x):
        self.x = x


def test_class_patterns_are_a_located_error():
    @njit
    def uses_a_class(p):
        match p:
            case 1:
                return 0
            case Point(x=0):
                return 1
        return 2

    with pytest.raises(errors.UnsupportedError, match=r"class patterns") as info:
        uses_a_class(1)
    message = str(info.value)
    assert "case Point(x=0)" in message and "^^^^" in message and "test_match.py:" in message
