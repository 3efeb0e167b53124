"""Numba's ``numba.experimental.structref``: not built yet (issue 17); using it raises UnsupportedError."""
from .. import errors


def _not_built(name):
    def refuse(*args, **kwargs):
        raise errors.UnsupportedError(f"numjit.experimental.structref.{name} is not supported yet")

    return refuse


register = define_proxy = define_constructor = define_attributes = define_boxing = _not_built("register")


class StructRefProxy:
    def __new__(cls, *args, **kwargs):
        raise errors.UnsupportedError("numjit.experimental.structref.StructRefProxy is not supported yet")
