"""The methods of NumPy's ufuncs in compiled code, and the ufuncs with two results.

np.add.reduce(a, axis=0) and the other reductions are the NumPy reductions
they equal (np.sum, np.prod, np.max, np.min, np.all, np.any along an axis);
np.add.accumulate and np.multiply.accumulate are np.cumsum and np.cumprod,
and the other .accumulate methods keep the ufunc's own result type (a
running `or` of bools for np.logical_or); .outer(a, b) applies
the ufunc to every pair, shaped a.shape + b.shape. The front end reads
np.add.reduce as the name "np.add.reduce" (frontend/ast_reader.cpp), which
these functions extend. np.frexp and np.modf pair two elementwise rows
(library/numpy_ufuncs.cpp); np.divmod pairs floor_divide and remainder.
"""
import math

import numpy as np

from .axes import _check_axis, _from_moved, _kept_shape, _lanes, _moved_copy
from .intrinsics import frexp_exponent, frexp_mantissa, modf_fraction, modf_whole
from .registration import extends, implements

_REDUCTIONS = {"add": np.sum, "multiply": np.prod, "maximum": np.max, "minimum": np.min, "logical_and": np.all,
               "logical_or": np.any}
# np.add.accumulate widens small integers as np.cumsum does; the others keep the ufunc's type.
_SCANS = {"add": np.cumsum, "multiply": np.cumprod}
_SCANNED = ("maximum", "minimum", "logical_and", "logical_or", "bitwise_and", "bitwise_or", "bitwise_xor")
_PAIRED = ("add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "remainder", "mod", "power",
           "maximum", "minimum", "fmax", "fmin", "equal", "not_equal", "less", "less_equal", "greater",
           "greater_equal", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor",
           "arctan2", "hypot", "copysign", "fmod", "logaddexp", "logaddexp2", "float_power", "gcd", "lcm",
           "left_shift", "right_shift", "nextafter")


def _reduce_with(reduction):
    def reduce(a, axis=0):
        if axis is None:
            return reduction(a)
        if a.ndim == 1:
            _check_axis(a, axis)
            return reduction(a)
        # The reduced axis last, where the row takes it as a constant.
        return reduction(_lanes(a, axis), axis=1).reshape(_kept_shape(a, axis))

    return reduce


def _accumulate_with(ufunc):
    def accumulate(a, axis=0):
        axis = _check_axis(a, axis)
        # The ufunc of the array with itself has the result's type and shape.
        out = ufunc(a, a)
        if a.ndim == 1:
            if a.size:
                out[0] = a[0]
            for i in range(1, a.shape[0]):
                out[i] = ufunc(out[i - 1], a[i])
            return out
        if a.ndim > 2:  # along the rows of a copy with the axis last, then moved back
            moved, lanes = _moved_copy(a, axis)
            scanned = ufunc(lanes, lanes)
            for i in range(lanes.shape[0]):
                if lanes.shape[1]:
                    scanned[i, 0] = lanes[i, 0]
                for j in range(1, lanes.shape[1]):
                    scanned[i, j] = ufunc(scanned[i, j - 1], lanes[i, j])
            return _from_moved(scanned.reshape(moved.shape), a, axis)
        rows, cols = a.shape
        if axis == 0:
            for j in range(cols):
                if rows:
                    out[0, j] = a[0, j]
                for i in range(1, rows):
                    out[i, j] = ufunc(out[i - 1, j], a[i, j])
        else:
            for i in range(rows):
                if cols:
                    out[i, 0] = a[i, 0]
                for j in range(1, cols):
                    out[i, j] = ufunc(out[i, j - 1], a[i, j])
        return out

    return accumulate


def _scan_with(scan):
    def accumulate(a, axis=0):
        return scan(a, axis=axis)

    return accumulate


def _outer_with(ufunc):
    def outer(a, b):
        left = a.ravel()
        right = b.ravel()
        pairs = ufunc(left.reshape((left.size, 1)), right.reshape((1, right.size)))
        return pairs.reshape(a.shape + b.shape)

    return outer


for _name, _reduction in _REDUCTIONS.items():
    extends(f"np.{_name}.reduce")(_reduce_with(_reduction))
for _name, _scan in _SCANS.items():
    extends(f"np.{_name}.accumulate")(_scan_with(_scan))
for _name in _SCANNED:
    extends(f"np.{_name}.accumulate")(_accumulate_with(getattr(np, _name)))
for _name in _PAIRED:
    extends(f"np.{_name}.outer")(_outer_with(getattr(np, _name)))


@implements(np.frexp)
def frexp(x):
    return frexp_mantissa(x), frexp_exponent(x)


@implements(math.frexp)
def math_frexp(x):
    return frexp_mantissa(x), int(frexp_exponent(x))


@implements(np.modf)
def modf(x):
    return modf_fraction(x), modf_whole(x)


@implements(np.divmod)
def divmod_(x, y):
    return np.floor_divide(x, y), np.remainder(x, y)
