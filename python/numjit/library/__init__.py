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
from .. import _registry
# Still importable from the package, where they were defined before they moved.
from .registration import extends, implements  # noqa: F401
from .registration import fallbacks as _fallbacks
from .registration import implemented as _implemented


def _load_topics():
    # On first use, not with the package: `import numjit` imports this package
    # and need not build the topics' jitted functions, and a topic may only
    # run once numjit.dispatcher has registered the class they are built with.
    # In this order because a later registration for the same object wins.
    from . import (sequences, indexing, interpolation, statistics, matrices, linalg, axes, pyrandom, lists,  # noqa: F401
                   dicts, sets, strings, ufunc_methods, shapes, setops, polynomials, nprandom, builders, elementary,
                   generator, generator_sampling, fft, rearranging, numeric, legacy_distributions, stride_tricks,
                   polynomial_series)


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
    known.update(implementations())
    return known


_registry.register_library(_known_objects)
