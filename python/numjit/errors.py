"""Exceptions numjit raises at compile time.

User errors carry the function name, ``file:line:col``, the source line and a
caret under the offending span. ``InternalCompilerError`` means a bug in numjit.
"""


class NumjitError(Exception):
    """Base class of every numjit compile-time error."""


class TypingError(NumjitError, TypeError):
    """The code uses a type or operation numjit cannot type (Numba's TypingError)."""


class UnsupportedError(TypingError):
    """The code uses a Python construct or object numjit does not compile.

    A TypingError, so that ``except TypingError`` catches everything Numba
    reports as one (Numba refuses `open(...)` or an unknown global with a
    TypingError)."""


class InternalCompilerError(NumjitError):
    """A bug in numjit: please report it with the code that triggered it."""


class NumjitWarning(UserWarning):
    """Base class of numjit's warnings."""


class NumjitPerformanceWarning(NumjitWarning):
    """Code that compiled but will not run as fast as asked (e.g. parallel=True with nothing to parallelise)."""


class NumjitParallelSafetyWarning(NumjitWarning):
    """A prange body the compiler can see racing (e.g. every iteration writes out[0])."""


# Numba's names, so `from numba.core.errors import ...` style code ports directly.
NumbaError = NumjitError
NumbaWarning = NumjitWarning
NumbaPerformanceWarning = NumjitPerformanceWarning
NumbaParallelSafetyWarning = NumjitParallelSafetyWarning
