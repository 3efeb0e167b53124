"""numpy.lib.stride_tricks.sliding_window_view over the as_strided row
(library/numpy_views.cpp): every window of window_shape along the given
axes, as a read-only view, as NumPy
makes it (writeable=True is refused: as_strided makes writable views). One
to three axes, so that the view's rank is known."""
import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view as _numpy_sliding_window_view

from ..decorators import njit
from .registration import implements

_AxisError = np.exceptions.AxisError


@njit
def _checked(extent, window):
    if window < 0:
        raise ValueError("`window_shape` cannot contain negative values")
    if extent < window:
        raise ValueError("window shape cannot be larger than input array shape")
    return extent - window + 1


@njit
def _view(x, shape, strides, writeable):
    # writeable is a run-time value here, and a view's read-only flag is part of its type.
    if writeable:
        raise NotImplementedError("sliding_window_view(writeable=True) is not supported in compiled code; "
                                  "use as_strided")
    return as_strided(x, shape, strides, writeable=False)


@implements(_numpy_sliding_window_view)
def sliding_window_view(x, window_shape, axis=None, subok=False, writeable=False):
    if isinstance(window_shape, int):
        if axis is None:
            if x.ndim != 1:
                raise ValueError("Since axis is `None`, must provide window_shape for all dimensions of `x`")
            return _view(x, (_checked(x.shape[0], window_shape), window_shape), (x.strides[0], x.strides[0]),
                         writeable)
        along = axis + x.ndim if axis < 0 else axis
        if along < 0 or along >= x.ndim:
            raise _AxisError("axis out of bounds")
        if x.ndim == 1:
            return _view(x, (_checked(x.shape[0], window_shape), window_shape), (x.strides[0], x.strides[0]),
                         writeable)
        if x.ndim != 2:
            raise NotImplementedError("sliding_window_view in compiled code takes 1-D and 2-D arrays with an axis")
        if along == 0:
            return _view(x, (_checked(x.shape[0], window_shape), x.shape[1], window_shape),
                         (x.strides[0], x.strides[1], x.strides[0]), writeable)
        return _view(x, (x.shape[0], _checked(x.shape[1], window_shape), window_shape),
                     (x.strides[0], x.strides[1], x.strides[1]), writeable)
    if axis is not None:
        raise NotImplementedError("sliding_window_view in compiled code takes a tuple window_shape without axis=")
    if len(window_shape) != x.ndim:
        raise ValueError("Since axis is `None`, must provide window_shape for all dimensions of `x`")
    if x.ndim == 1:
        return _view(x, (_checked(x.shape[0], window_shape[0]), window_shape[0]), (x.strides[0], x.strides[0]),
                     writeable)
    if x.ndim == 2:
        return _view(x, (_checked(x.shape[0], window_shape[0]), _checked(x.shape[1], window_shape[1]),
                         window_shape[0], window_shape[1]),
                     (x.strides[0], x.strides[1], x.strides[0], x.strides[1]), writeable)
    if x.ndim != 3:
        raise NotImplementedError("sliding_window_view in compiled code takes arrays of one to three dimensions")
    return _view(x, (_checked(x.shape[0], window_shape[0]), _checked(x.shape[1], window_shape[1]),
                     _checked(x.shape[2], window_shape[2]), window_shape[0], window_shape[1], window_shape[2]),
                 (x.strides[0], x.strides[1], x.strides[2], x.strides[0], x.strides[1], x.strides[2]), writeable)
