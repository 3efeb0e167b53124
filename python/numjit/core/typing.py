"""Numba's ``numba.core.typing``: ``signature(return_type, *arg_types)``, as
@intrinsic typing functions build their signatures (numjit/intrinsics.py)."""
from ..intrinsics import signature  # noqa: F401
from ..types import Signature  # noqa: F401
