"""Numba's ``numba.experimental``: ``jitclass`` and ``structref``.

Not built yet (issue 17). ``@jitclass`` leaves the class a Python class, with
a warning, so that modules defining one still import and Python code using
it still runs; compiled code that receives an instance refuses it with a
located TypingError.
"""
import warnings

from .. import errors
from . import structref  # noqa: F401


def jitclass(cls_or_spec=None, spec=None):
    def apply(cls):
        warnings.warn(f"numjit.experimental.jitclass is not supported yet: {cls.__name__} stays a Python class, "
                      f"which compiled code cannot use", errors.NumjitWarning, stacklevel=3)
        return cls

    if isinstance(cls_or_spec, type):
        return apply(cls_or_spec)
    return apply
