"""NumPy dtypes and numjit's scalar and array types, both ways (Numba's numba.np.numpy_support)."""
import numpy as np

from .. import errors, types


def from_dtype(dtype):
    """The numjit type of a NumPy dtype (or scalar class): ``from_dtype(np.float32)`` is ``float32``."""
    found = types._from_dtype(np.dtype(dtype))
    if found is None:
        raise errors.UnsupportedError(f"numjit has no type for the dtype {np.dtype(dtype)}")
    return found


def as_dtype(numjit_type):
    """The NumPy dtype of a numjit scalar type (an array type gives its element dtype's)."""
    if isinstance(numjit_type, types.Array):
        numjit_type = numjit_type.dtype
    if isinstance(numjit_type, types.Scalar):
        return numjit_type.dtype
    raise errors.UnsupportedError(f"{numjit_type} has no NumPy dtype")
