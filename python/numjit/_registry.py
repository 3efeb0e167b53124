"""The tables several stages of numjit share, in a module that imports none of them.

The compiler's front end needs one table above all: the Python objects
compiled code may call, mapped to numjit's canonical names. It is keyed by
the objects themselves, so aliases (``from numpy import arctan as at``)
resolve; the compiler's library (src/numjit/library) types and lowers each
name. Building it touches the package object (``numjit.prange``), the
dispatcher (library functions are jitted functions) and the Python library
(``numjit.library``), each of which also needs the table or the dispatcher.
Importing them from here would close a cycle, so this module imports only the
standard library and NumPy, and those modules register themselves instead:

* ``numjit/__init__.py`` registers the package (``register_package``) and
  imports ``numjit.library``, which registers its objects (``register_library``);
* ``dispatcher.py`` registers ``DispatcherImpl`` (``register_dispatcher_class``)
  for the library's ``@implements`` to build jitted functions with.

Everything is read lazily, on the first compile, when all of them have run.
"""
import builtins
import types
import heapq
import cmath
import math
import random
import sys

import numpy as np

# The modules whose functions the compiler's rows (src/numjit/library) are
# named after: the row "np.linalg.solve" is numpy.linalg.solve. The rows are
# the one list of what compiled code may call; this table is built from them.
ROW_MODULES = {"np": np, "math": math, "cmath": cmath, "random": random}
# NumPy functions type inference handles itself, with no row.
NUMPY_INFERENCE_FORMS = ("ndindex", "ndenumerate", "nditer")
DTYPES = """bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 complex64 complex128""".split()
C_NAMED_SCALARS = "byte ubyte short ushort intc uintc int_ uint long ulong longlong ulonglong intp uintp single double csingle cdouble".split()
BUILTINS = "range len abs min max int float complex bool round print enumerate zip dict isinstance format repr ascii ord chr hash".split()
# Classes compiled code names only as isinstance's second argument.
CLASSES = {tuple: "tuple", str: "str", np.ndarray: "np.ndarray"}
# Functions of the package itself that compiled code calls by these names.
PACKAGE_FUNCTIONS = ("prange", "get_thread_id", "get_num_threads")

_package = None
_dispatcher_class = None
_library_sources = []  # callables returning {object: canonical name or jitted function}
_known = None


def register_package(module):
    """Called by numjit/__init__.py once the package's names exist."""
    global _package
    _package = module


def register_dispatcher_class(cls):
    """Called by dispatcher.py: the class behind every jitted function."""
    global _dispatcher_class
    _dispatcher_class = cls


def dispatcher_class():
    if _dispatcher_class is None:
        raise RuntimeError("numjit.dispatcher has not been imported: import numjit first")
    return _dispatcher_class


# Python classes whose instances compiled code takes in another form: the
# class's __qualname__ -> function(value) giving that form, or None when the
# value is some other class of that name (library/__init__.py registers
# np.polynomial.Polynomial, whose form is a namedtuple of its arrays).
argument_forms = {}

# Rewrites of a function's syntax tree, run before the front end reads it, that
# modules made of jitted functions register themselves (the dispatcher cannot
# import them): rewrite(function_def, lookup, local, options, error_at) gives
# the names its code added, for the closure (records.py, _pndindex.py).
source_rewrites = []


def compiled_forms(values):
    """The arguments as compiled code takes them (see argument_forms)."""
    if not any(type(v).__qualname__ in argument_forms for v in values):
        return values
    forms = []
    for value in values:
        convert = argument_forms.get(type(value).__qualname__)
        converted = convert(value) if convert else None
        forms.append(value if converted is None else converted)
    return tuple(forms)


def register_row_module(head, module):
    """A module whose objects rows are named after (numjit.cuda.intrinsics for
    `cuda.atomic.add`), registered by the module itself when imported (this
    module imports nothing of numjit's)."""
    ROW_MODULES[head] = module
    if _known is not None:
        for target, name in _row_objects():
            _known.setdefault(target, name)


def register_library(source):
    """source(): {object: canonical name or jitted function}, read when the
    table is first built (the Python library compiles nothing until then)."""
    _library_sources.append(source)
    if _known is not None:  # registered late (a reloaded module): the table must still see it
        _known.update(source())


def known_objects():
    """dict: object -> canonical name ("np.arctan", "module:numpy", ...)."""
    global _known
    if _known is None:
        if _package is None:
            raise RuntimeError("the numjit package has not registered itself: import numjit first")
        _known = _build(_package)
    # Code written for Numba may still say numba.prange after `import numba`.
    numba = sys.modules.get("numba")
    if numba is not None and numba not in _known and hasattr(numba, "prange"):
        _known[numba] = "module:numba"
        _known[numba.prange] = "prange"
        for name in ("get_thread_id", "get_num_threads"):
            if hasattr(numba, name):
                _known[getattr(numba, name)] = name
    return _known


# NumPy's submodules that `import numpy` leaves unimported (NumPy 2 loads them
# on first attribute access). The table leaves their objects out until the
# program imports them itself: importing them for the table cost a first
# compile about 3 ms. The front end asks again (add_lazy_modules) when an
# object it meets is not in the table.
LAZY_NUMPY_MODULES = ("numpy.polynomial", "numpy.fft")
_lazy_pending = set(LAZY_NUMPY_MODULES)


def _unimported(module_name):
    # (The prefix test first: the table asks this of some 600 names on a first compile.)
    if not module_name.startswith(LAZY_NUMPY_MODULES):
        return False
    return any(module_name == lazy or module_name.startswith(lazy + ".") for lazy in _lazy_pending) and \
        module_name not in sys.modules


def add_lazy_modules():
    """Adds the table's entries for lazy NumPy submodules imported since it was built; True if any."""
    if _known is None:
        return False
    arrived = {m for m in _lazy_pending if m in sys.modules}
    if not arrived:
        return False
    _lazy_pending.difference_update(arrived)
    _known.update(_module_entries())
    for target, name in _row_objects():
        if name.startswith(tuple(f"np.{m.split('.', 1)[1]}." for m in arrived)):
            _known.setdefault(target, name)
    for source in _library_sources:
        for target, value in source().items():
            _known.setdefault(target, value)
    return True


def _module_entries():
    modules = {math: "module:math", np: "module:numpy", random: "module:random", cmath: "module:cmath",
               np.linalg: "module:numpy.linalg", np.random: "module:numpy.random", np.lib: "module:numpy.lib",
               np.lib.stride_tricks: "module:numpy.lib.stride_tricks", heapq: "module:heapq"}
    for name in ("numpy.fft", "numpy.polynomial", "numpy.polynomial.polynomial", "numpy.polynomial.polyutils"):
        if name in sys.modules:  # imported by the program (they are lazy in NumPy 2)
            modules[sys.modules[name]] = "module:" + name
    return modules


def _row_objects():
    """(object, row name) for each row named after a module's function."""
    # The rows' names as tools/generate_numpy_table.py wrote them from the
    # compiler's library: reading them here keeps the compiler (and LLVM)
    # unloaded in a process that runs only cached code.
    from . import _library_names

    for name in _library_names.ROWS:
        head, _, path = name.partition(".")
        target = ROW_MODULES.get(head)
        if target is None or not path or any(part.startswith("_") for part in path.split(".")):
            continue  # a method ("array.sum"), a builtin ("len") or the library's own ("np._frexp_mantissa")
        for part in path.split("."):
            if isinstance(target, types.ModuleType) and _unimported(f"{target.__name__}.{part}"):
                target = None  # a lazy NumPy submodule: added when the program imports it
                break
            target = getattr(target, part, None)
        if target is not None:
            yield target, name


def _build(package):
    _lazy_pending.difference_update(m for m in LAZY_NUMPY_MODULES if m in sys.modules)
    known = _module_entries()
    known[package] = "module:numjit"
    for target, name in _row_objects():
        # Aliases (np.mod is np.remainder) keep the object's own name.
        if target in known and name.rpartition(".")[2] != getattr(target, "__name__", None):
            continue
        known[target] = name
    for name in NUMPY_INFERENCE_FORMS:
        known[getattr(np, name)] = "np." + name
    # C-named scalar types that are classes of their own though their dtype is
    # a sized one (np.longlong is int64 on Linux, but not np.int64 itself).
    for name in C_NAMED_SCALARS:
        scalar = getattr(np, name, None)
        sized = np.dtype(scalar).name if scalar is not None else None
        if sized in DTYPES and scalar not in known:
            known[scalar] = "np." + sized
    for name in BUILTINS:
        known[getattr(builtins, name)] = name
    known.update(CLASSES)
    # Numba's type objects convert when called in compiled code: float64(x).
    for name in DTYPES:
        scalar = getattr(package.types, "boolean" if name == "bool_" else name, None)
        if scalar is not None:
            known[scalar] = "np." + name
    for name in PACKAGE_FUNCTIONS:
        known[getattr(package, name)] = name
    known[package.typed._as_typed] = "typed.container"
    for source in _library_sources:
        known.update(source())
    return known


_vectorized_kernels = {}  # id(ufunc) -> (ufunc, kernel dispatcher), read by the cache without building known_objects


def register_vectorized(ufunc, kernel_dispatcher):
    """Lets compiled code call a ufunc made by @vectorize: it maps to the kernel's dispatcher."""
    known_objects()[ufunc] = kernel_dispatcher
    _vectorized_kernels[id(ufunc)] = (ufunc, kernel_dispatcher)


def unregister_vectorized(ufunc):
    known_objects().pop(ufunc, None)
    _vectorized_kernels.pop(id(ufunc), None)


def vectorized_kernel(ufunc):
    """The kernel dispatcher of a ufunc made by @vectorize, else None."""
    entry = _vectorized_kernels.get(id(ufunc))
    return entry[1] if entry is not None and entry[0] is ufunc else None
