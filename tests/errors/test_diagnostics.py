"""Bad programs and the exact diagnostic each must produce.

Each ``cases/NAME.py`` defines a jitted ``f`` and the ``ARGS`` to call it with;
``cases/NAME.expected`` holds ``ErrorClass: message`` exactly as Python shows it,
with the cases folder written as ``<cases>``. Set NUMJIT_REGENERATE_EXPECTED=1
to rewrite the expected files after a deliberate change of wording (then
review the diff).
"""
import importlib.util
import os
import pathlib

import pytest

import numjit

CASES = pathlib.Path(__file__).parent / "cases"
NAMES = sorted(p.stem for p in CASES.glob("*.py"))


def load_case(name):
    spec = importlib.util.spec_from_file_location(f"numjit_error_case_{name}", CASES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def diagnostic(name):
    module = load_case(name)
    with pytest.raises(Exception) as info:
        module.f(*module.ARGS)
    text = f"{type(info.value).__name__}: {info.value}"
    return module, info.value, text.replace(str(CASES), "<cases>")


def test_there_are_enough_cases():
    assert len(NAMES) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_exact_diagnostic(name):
    module, error, text = diagnostic(name)
    expected_file = CASES / f"{name}.expected"
    if os.environ.get("NUMJIT_REGENERATE_EXPECTED"):
        expected_file.write_text(text + "\n")
    assert text == expected_file.read_text().rstrip("\n")
    # Numba reports all of these as TypingError, and users catch them so.
    assert isinstance(error, numjit.errors.TypingError)


@pytest.mark.parametrize("name", NAMES)
def test_dispatcher_still_works_after_error(name):
    # A failed compile must leave the dispatcher usable and raise the same error again.
    module, _, first = diagnostic(name)
    with pytest.raises(Exception) as again:
        module.f(*module.ARGS)
    assert f"{type(again.value).__name__}: {again.value}".replace(str(CASES), "<cases>") == first
