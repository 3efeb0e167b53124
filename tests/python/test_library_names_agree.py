"""The two tables of library names agree.

Python's table (numjit/_registry.py) maps the objects compiled code may call
to canonical names; the compiler's library (src/numjit/library) has one row
per name that types and lowers it. A name in one table and not the other is a
function the front end accepts and the compiler then refuses, or a row no
Python object can reach.
"""
import numpy as np

import numjit  # noqa: F401  (registers the package with the name table)
import numjit.cuda  # noqa: F401  (registers cuda.*, whose rows kernels reach once it is imported)
from numjit import _compiler, _registry

# Handled by type inference itself (iteration forms and dict()), not by a row (np.nditer outside a
# for loop is the library function registered for it with `extends`).
HANDLED_BY_INFERENCE = {"dict", "enumerate", "zip", "np.ndindex", "np.ndenumerate", "np.nditer"}
# Rows reached under another name: np.abs is np.absolute, np.conj is np.conjugate, ...
ALIASES = {"np.abs": np.absolute, "np.conj": np.conjugate, "np.mod": np.remainder, "np.true_divide": np.divide,
           "np.bitwise_not": np.invert}
# Rows only type inference calls, rewriting a call it typed (np.add(x, y, out=o) is ufunc.out(np.add(x, y), o)).
WRITTEN_BY_INFERENCE = {"ufunc.out", "numjit.array_flag", "numjit.array_address",  # (a.flags.<name>, a.ctypes.data)
                        "numjit.unwrap", "numjit.runtime_strings",  # (an optional's payload, a tuple of strings)
                        "numjit.exception_arguments"}  # (raise E("bad", n))
METHOD_PREFIXES = ("array.", "list.", "dict.", "set.", "str.", "scalar.")


def python_names():
    known = _registry.known_objects()
    return {name for name in known.values() if isinstance(name, str) and not name.startswith("module:")}


def python_fallback_names():
    """Names whose calls the Python library implements with no row (`@extends("hash")`)."""
    from numjit import library
    from numjit.library import registration

    library._load_topics()
    return set(registration.fallbacks)


def test_every_name_python_knows_has_a_compiler_row():
    rows = set(_compiler.library_names())
    missing = (python_names() - rows - HANDLED_BY_INFERENCE - set(_registry.CLASSES.values()) -
               python_fallback_names())
    assert not missing, f"names the front end accepts but no C++ row types: {sorted(missing)}"


def test_every_function_row_is_reachable_from_python():
    rows = {r for r in _compiler.library_names() if not r.startswith(METHOD_PREFIXES)}
    unreachable = rows - python_names() - set(ALIASES) - WRITTEN_BY_INFERENCE
    assert not unreachable, f"C++ rows no Python object maps to: {sorted(unreachable)}"


def test_aliased_rows_are_the_same_numpy_objects():
    known = _registry.known_objects()
    for row, obj in ALIASES.items():
        assert getattr(np, row[3:]) is obj
        assert known[obj] in _compiler.library_names()


def test_the_inference_forms_are_known_to_python():
    assert HANDLED_BY_INFERENCE <= python_names()
