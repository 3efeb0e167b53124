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


# The rest of Numba's exception and warning classes (numba.core.errors), so
# that code catching or raising them by name runs; numjit raises the ones above.
class NumbaValueError(TypingError, ValueError): pass  # noqa: E701
class NumbaTypeError(TypingError): pass  # noqa: E701
class NumbaIndexError(TypingError, IndexError): pass  # noqa: E701
class NumbaKeyError(TypingError, KeyError): pass  # noqa: E701
class NumbaAttributeError(TypingError, AttributeError): pass  # noqa: E701
class NumbaNotImplementedError(NumjitError, NotImplementedError): pass  # noqa: E701
class NumbaAssertionError(NumjitError, AssertionError): pass  # noqa: E701
class NumbaRuntimeError(NumjitError, RuntimeError): pass  # noqa: E701
class LiteralTypingError(TypingError): pass  # noqa: E701
class UntypedAttributeError(TypingError): pass  # noqa: E701
class RequireLiteralValue(TypingError): pass  # noqa: E701
class ForceLiteralArg(NumjitError): pass  # noqa: E701
class CompilerError(NumjitError): pass  # noqa: E701
class ConstantInferenceError(NumjitError): pass  # noqa: E701
class InternalError(NumjitError): pass  # noqa: E701
class InternalTargetMismatchError(InternalError): pass  # noqa: E701
class NonexistentTargetError(InternalError): pass  # noqa: E701
class IRError(NumjitError): pass  # noqa: E701
class LoweringError(NumjitError): pass  # noqa: E701
class VerificationError(IRError): pass  # noqa: E701
class RedefinedError(IRError): pass  # noqa: E701
class NotDefinedError(IRError): pass  # noqa: E701
class ForbiddenConstruct(UnsupportedError): pass  # noqa: E701
class ByteCodeSupportError(NumjitError): pass  # noqa: E701
class UnsupportedBytecodeError(UnsupportedError): pass  # noqa: E701
class UnsupportedParforsError(UnsupportedError): pass  # noqa: E701
class UnsupportedRewriteError(UnsupportedError): pass  # noqa: E701
class DeprecationError(NumjitError): pass  # noqa: E701
class NumbaDeprecationWarning(NumjitWarning, DeprecationWarning): pass  # noqa: E701
class NumbaPendingDeprecationWarning(NumjitWarning, PendingDeprecationWarning): pass  # noqa: E701
class NumbaDebugInfoWarning(NumjitWarning): pass  # noqa: E701
class NumbaExperimentalFeatureWarning(NumjitWarning): pass  # noqa: E701
class NumbaIRAssumptionWarning(NumjitWarning): pass  # noqa: E701
class NumbaInvalidConfigWarning(NumjitWarning): pass  # noqa: E701
class NumbaPedanticWarning(NumjitWarning): pass  # noqa: E701
class NumbaSystemWarning(NumjitWarning): pass  # noqa: E701
class NumbaTypeSafetyWarning(NumjitWarning): pass  # noqa: E701


#: What ``from numjit.errors import *`` (and numjit's top level, as Numba's) exports.
__all__ = [name for name, value in list(globals().items())
           if isinstance(value, type) and issubclass(value, (Exception, Warning)) and not name.startswith("_")]
