"""Case maps and case predicates of run-time strings agree with CPython's for
every code point (the tables come from tools/generate_unicode_case_tables.py),
and the committed table is what the generator writes for this Python."""
import subprocess
import sys
from pathlib import Path

import pytest

from numjit import njit

ROOT = Path(__file__).resolve().parents[2]
CODE_POINTS = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]


@njit
def case_maps(text):
    return (text.upper(), text.lower(), text.swapcase(), text.capitalize(), text.title(), text.casefold(),
            text.isupper(), text.islower(), text.istitle())


def test_the_committed_table_is_current():
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "generate_unicode_case_tables.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("joiner", ["", "a", " ", "\u03a3", "'\u03a3 "])
def test_every_code_point_in_context(joiner):
    # Whole runs of code points, so title()'s word rule and the final sigma see each character's neighbours.
    for start in range(0, len(CODE_POINTS), 4096):
        text = joiner.join(chr(c) for c in CODE_POINTS[start:start + 4096])
        assert case_maps(text) == case_maps.py_func(text), f"code points from U+{CODE_POINTS[start]:04X}"


@pytest.mark.parametrize("text", ["ŉA", "ß", "ΑΣ", "ΑΣ Β", "aΣ.", "İ", "中a", "ǆa ǅb", "ﬁx", "Straße", "ΌΣΟΣ", "ǰ",
                                  "ΐ", "Ⓐⓑ", "ªb", "a'Σ", "A\u0301Σ", "", "123", "ᾳ", "ᾼ", "ǅ", "Σ", "ΣΑ", "a\u00adΣ"])
def test_special_cases(text):
    assert case_maps(text) == case_maps.py_func(text)
