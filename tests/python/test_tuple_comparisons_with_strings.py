"""Tuples holding strings compare as Python's do: element by element, then
by length; strings by the runtime's order (code points), a string against a
number unequal, and ordering a string against a number refused (Python's
TypeError) with a located TypingError. Compared with .py_func."""
import itertools

import pytest

import numjit
from numjit.errors import TypingError


@numjit.njit
def all_orders(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b


@numjit.njit
def sort_words(words):
    keys = [(len(w), w) for w in words]
    keys.sort()
    return keys


@numjit.njit
def sorted_by_length_then_text(words):
    return sorted(words, key=lambda w: (len(w), w))


@numjit.njit
def with_constants(w):
    return (w, 1) < ("m", 1), ("b", 2) == ("b", 2), ("a",) < ("a", "b")


@numjit.njit
def mixed_equality(a, b):
    return a == b, a != b


@numjit.njit
def mixed_order(a, b):
    return a < b


WORDS = ["pear", "fig", "apple", "kiwi", "date", "Äpfel", "", "fig", "zebra", "ab"]
TUPLES = [(1, "ab"), (1, "b"), (2, "a"), (1, "ab"), (0, ""), (1, "Äb")]


@pytest.mark.parametrize("a, b", list(itertools.product(TUPLES, repeat=2)))
def test_every_order_of_pairs(a, b):
    assert all_orders(a, b) == all_orders.py_func(a, b)


def test_nested_tuples_and_three_elements():
    pairs = [(("a", 1), 2.5), (("a", 1), 2.0), (("b", 0), 0.0)]
    for a, b in itertools.product(pairs, repeat=2):
        assert all_orders(a, b) == all_orders.py_func(a, b)
    triples = [("x", 1, "y"), ("x", 1, "z"), ("x", 0, "z")]
    for a, b in itertools.product(triples, repeat=2):
        assert all_orders(a, b) == all_orders.py_func(a, b)


def test_sorting_by_length_then_text():
    assert sort_words(WORDS) == sort_words.py_func(WORDS)
    assert sorted_by_length_then_text(WORDS) == sorted_by_length_then_text.py_func(WORDS)


def test_constants():
    for w in ("a", "m", "z"):
        assert with_constants(w) == with_constants.py_func(w)


def test_a_string_never_equals_a_number():
    assert mixed_equality((1, "a"), (1, 2)) == mixed_equality.py_func((1, "a"), (1, 2))


def test_ordering_a_string_against_a_number_is_refused():
    with pytest.raises(TypeError):
        mixed_order.py_func((1, "a"), (1, 2))
    with pytest.raises(TypingError) as info:
        mixed_order((1, "a"), (1, 2))
    assert "cannot be ordered" in str(info.value)
