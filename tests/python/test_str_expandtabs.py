"""str.expandtabs (Numba has it): tabs become spaces up to the next multiple
of tabsize, columns restart after a newline or carriage return, a tabsize of
0 or less removes tabs; compared with Python's str.expandtabs."""
import pytest

from numjit import njit


@njit
def expand(s):
    return s.expandtabs()


@njit
def expand_by(s, size):
    return s.expandtabs(size)


TEXTS = ["", "\t", "a\tb", "abcdefgh\tx", "ab\t\tc\n\td\r\te", "no tabs", "é\tü\tß", "\t\t\t", "x" * 20 + "\ty"]


@pytest.mark.parametrize("text", TEXTS)
def test_default_tab_size(text):
    assert expand(text) == text.expandtabs()


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("size", [-1, 0, 1, 3, 4, 16])
def test_given_tab_size(text, size):
    assert expand_by(text, size) == text.expandtabs(size)
