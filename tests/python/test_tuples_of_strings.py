"""Tuples of different strings (constants, globals, arguments from Python)
walked by for/enumerate/zip, indexed at run time and searched with `in`:
numjit reads them as tuples of run-time strings there. Compared with
`.py_func`."""
import numpy as np
import pytest

from numjit import njit

NAMES = ("one", "two", "three")


def joined():
    out = ""
    for w in ("a", "bb", "ccc"):
        out += w
    for i, w in enumerate(NAMES):
        out += str(i) + w
    return out


def name_at(i):
    return NAMES[i] + ("x", "yy")[i % 2]


def known(op):
    return op in ("add", "sub", "mul"), op not in NAMES


def lengths(words, weights):
    total = 0.0
    for w, x in zip(words, weights):
        total += len(w) * x
    return total, words[len(words) - 1]


def counts_by_name(values):
    d = {}
    for name, v in zip(NAMES, values):
        d[name] = v
    return d


def test_loops_over_tuples_of_constants():
    assert njit(joined)() == joined()


@pytest.mark.parametrize("i", [0, 1, 2, -1, -3])
def test_run_time_index(i):
    assert njit(name_at)(i) == name_at(i)


def test_run_time_index_out_of_range_raises():
    with pytest.raises(IndexError):
        njit(name_at)(3)


@pytest.mark.parametrize("op", ["add", "mul", "div", "one", ""])
def test_membership(op):
    assert njit(known)(op) == known(op)


@pytest.mark.parametrize("words", [("ab", "c"), ("x",), ("longer", "", "é字")])
@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_tuples_of_strings_from_python(words, dtype):
    weights = np.arange(1, len(words) + 1, dtype=dtype)
    assert njit(lengths)(words, weights) == lengths(words, weights)


def test_dict_keyed_by_a_tuple_of_names():
    values = np.array([1.5, 2.5, 3.5])
    assert njit(counts_by_name)(values) == counts_by_name(values)
