"""Numba's ``numba.core`` layout over numjit's own modules: ``numjit.core.types``
is ``numjit.types``, ``numjit.core.errors`` is ``numjit.errors`` and
``numjit.core.config`` is ``numjit.config`` (the same module objects, so a type
or exception class is one object under both names). Numba's type submodules
(``types.misc``, ``types.containers``, ...) name the same module too."""
import sys as _sys

from .. import config, errors, extending, types

_TYPE_SUBMODULES = ("abstract", "common", "containers", "functions", "function_type", "iterators", "misc",
                    "npytypes", "scalars")

for _name, _module in (("types", types), ("errors", errors), ("config", config), ("extending", extending)):
    _sys.modules[f"{__name__}.{_name}"] = _module
types.__path__ = []  # `import numba.core.types.misc` needs its parent to look like a package
for _name in _TYPE_SUBMODULES:
    setattr(types, _name, types)
    _sys.modules[f"{__name__}.types.{_name}"] = types


def __getattr__(name):
    """``numba.core.typing`` (``signature``, for @intrinsic) is imported on first use."""
    if name == "typing":
        from . import typing
        return typing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
