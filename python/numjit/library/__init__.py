"""NumPy functions written in Python and compiled by numjit like user code.

The C++ library (src/numjit/library) types and lowers what needs code
generation of its own: ufuncs, fused expressions, reductions, creation.
Functions whose work is ordinary loops and calls (np.interp, np.nonzero,
np.linalg.svd) are clearer and safer as Python, so they live here: each is an
@njit function registered for the NumPy object it implements, and compiled
code that calls np.interp calls it (python/numjit/_registry.py maps the
objects; src/numjit/frontend/globals.cpp freezes them as jitted callees).

They compile only when first used, so importing them costs no LLVM work.
"""
import importlib
import sys

from .. import _registry
# Still importable from the package, where they were defined before they moved.
from .registration import extends, implements  # noqa: F401
from .registration import fallbacks as _fallbacks
from .registration import gives_numpy_scalars, implemented as _implemented


def _load_topics():
    # On first use, not with the package: `import numjit` imports this package
    # and need not build the topics' jitted functions, and a topic may only
    # run once numjit.dispatcher has registered the class they are built with.
    # In this order because a later registration for the same object wins.
    from . import (sequences, indexing, interpolation, statistics, matrices, linalg, axes, pyrandom, lists,  # noqa: F401
                   dicts, sets, strings, ufunc_methods, shapes, setops, polynomials, nprandom, builders, elementary,
                   generator, generator_sampling, fft, rearranging, numeric, legacy_distributions, stride_tricks,
                   polynomial_series, polynomial_class, heaps, counting, hashing, sequence_comparisons)


def fallback(name):
    """The implementation registered with `extends` for `name`, or None (the
    C++ type checker calls this; see bindings/compiler_module.cpp)."""
    _load_topics()
    return _fallbacks.get(name)


def implementations():
    """dict: NumPy (or builtin) object -> the dispatcher implementing it."""
    _load_topics()
    return _implemented


def _known_objects():
    from . import intrinsics

    known = {intrinsics.lapack: "numjit.lapack", intrinsics.getrandbits: "random._getrandbits",
             intrinsics.randbelow: "random._randbelow", intrinsics.gauss: "random._gauss",
             intrinsics.frexp_mantissa: "np._frexp_mantissa", intrinsics.frexp_exponent: "np._frexp_exponent",
             intrinsics.modf_fraction: "np._modf_fraction", intrinsics.modf_whole: "np._modf_whole",
             intrinsics.generator_draw: "numjit.generator_draw", intrinsics.generator_fill: "numjit.generator_fill",
             intrinsics.generator_integers: "numjit.generator_integers",
             intrinsics.generator_integer: "numjit.generator_integer",
             intrinsics.generator_interval: "numjit.generator_interval", intrinsics.select: "numjit.select",
             intrinsics.fft_row: "numjit.fft"}
    from .. import c_arrays

    known.update({c_arrays.carray: "numjit.carray", c_arrays.farray: "numjit.farray"})
    from .._fixed_tuples import to_fixed_tuple

    known[to_fixed_tuple] = "numjit.to_fixed_tuple"
    # Each target stands for its implementation by a _Deferred until compiled code calls it, so the
    # first compile imports only the topics it needs (the index is generated: tools/generate_numpy_table.py).
    from ._topic_index import EAGER_TOPICS, TOPICS

    for topic in EAGER_TOPICS:
        importlib.import_module(topic)
    for module_name, name, topic, implementation_name in TOPICS:
        if _registry._unimported(module_name):
            continue  # a lazy NumPy submodule: _registry.add_lazy_modules adds it once imported
        target = getattr(sys.modules.get(module_name) or importlib.import_module(module_name), name, None)
        if target is not None:
            known[target] = _implemented.get(target) or _Deferred(target, topic, implementation_name)
    known.update(_implemented)  # what the imported topics registered (EAGER_TOPICS' targets among it)
    return known


class _Deferred:
    """A library function whose topic module is not imported yet. The front end
    freezes it as a jitted callee; when inference meets a call of it, the
    compiler asks it which dispatcher to compile (as an @overload is asked):
    it imports the topic then and answers with the implementation."""

    _numjit_dispatcher = True  # the front end treats it as a jitted function
    _numjit_library = True     # called as a function, not mapped over arrays

    def __init__(self, target, topic, implementation_name):
        # Named as the implementation is: the front end names the callee (and isinstance its class) by it.
        self._target, self._topic, self.__name__ = target, topic, implementation_name
        if gives_numpy_scalars(target):
            self._numjit_numpy_scalar_result = True

    def _numjit_select_overload(self, type_names, keyword_names):
        importlib.import_module(self._topic)
        implementation = _implemented[self._target]
        choose = getattr(implementation, "_numjit_select_overload", None)
        return choose(type_names, keyword_names) if choose else implementation

    def __repr__(self):
        return f"<numjit library function {self.__name__} (in {self._topic}, not imported yet)>"


_registry.register_library(_known_objects)


def _polynomial_fields(value):
    # The topic (and numpy.polynomial) load only when a Polynomial is passed.
    if type(value).__module__ != "numpy.polynomial.polynomial":
        return None
    from .polynomial_class import as_fields

    return as_fields(value)


_registry.argument_forms["Polynomial"] = _polynomial_fields
