"""Mistakes in how a function is decorated are reported like compile errors:
the function, file:line:col, the decorator line and a caret under the fault."""
import importlib.util
import re

import numjit
import pytest
from numjit.errors import TypingError, UnsupportedError


def load(tmp_path, source):
    path = tmp_path / "decorated.py"
    path.write_text("import numjit\nfrom numjit import njit\n" + source)
    spec = importlib.util.spec_from_file_location("decorated", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def caret_under(text, word):
    """The caret line's carets sit under `word` in the quoted source line."""
    lines = text.splitlines()
    source = next(l for l in lines if re.match(r"^ \d+ \| ", l))
    carets = next(l for l in lines if re.match(r"^ +\| +\^", l))
    start = carets.index("^")
    return source[start:start + len(word)] == word


@pytest.mark.parametrize("decorator,cls,word", [
    ("@njit(fooopt=True)", TypingError, "fooopt=True"),
    ("@njit(cache=False, speed=3)", TypingError, "speed=3"),
    ("@njit(forceobj=True)", UnsupportedError, "forceobj=True"),
    ("@numjit.jit(nopython=False)", UnsupportedError, "nopython=False"),
    ("@njit('int64(wat)')", TypingError, "'int64(wat)'"),
    ("@njit(['float64(float64)', 'int64(int64, ???)'])", TypingError, "['float64(float64)'"),
])
def test_decoration_error_is_located(tmp_path, decorator, cls, word):
    with pytest.raises(cls) as info:
        load(tmp_path, f"\n\n{decorator}\ndef f(x):\n    return x\n")
    text = str(info.value)
    assert "decorated.py:5:" in text, text
    assert caret_under(text, word), text
    assert isinstance(info.value, TypeError)  # code that caught the old TypeError still does


def test_keyword_only_parameters_are_located(tmp_path):
    m = load(tmp_path, "@njit\ndef f(a, *, b):\n    return a + b\n")
    with pytest.raises(UnsupportedError) as info:
        m.f(1, b=2)
    assert "decorated.py:4:" in str(info.value) and "keyword-only" in str(info.value)
    assert m.f.py_func(1, b=2) == 3


def test_njit_called_on_a_function_locates_the_definition(tmp_path):
    m = load(tmp_path, "def g(x):\n    return x\n")
    with pytest.raises(TypingError) as info:
        numjit.njit(m.g, bogus=1)
    assert "decorated.py:3:" in str(info.value)


def test_good_options_still_compile(tmp_path):
    m = load(tmp_path, "@njit('float64(float64)', fastmath=True, error_model='numpy')\ndef f(x):\n    return x * 2\n")
    assert m.f(2.0) == 4.0
