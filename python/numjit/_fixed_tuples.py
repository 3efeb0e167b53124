"""``to_fixed_tuple``, which Numba keeps in ``numba.np.unsafe.ndarray``
(re-exported there; here so that the library's table can name it without
importing ``numjit.np``, which imports the library)."""


def to_fixed_tuple(array, length):
    """The first ``length`` elements of a 1-D array as a tuple. In compiled
    code it is the library row numjit.to_fixed_tuple
    (src/numjit/library/fixed_tuples.cpp), whose length must be known while
    compiling; unlike Numba's, it raises IndexError for a shorter array
    rather than reading past it."""
    if getattr(array, "ndim", 1) != 1:
        raise TypeError(f"to_fixed_tuple() takes a 1-D array; this one has {array.ndim} dimensions")
    if length < 0:
        raise ValueError(f"to_fixed_tuple()'s length must be between 0 and 1024, not {length}")
    if len(array) < length:
        raise IndexError(f"to_fixed_tuple(): the array has fewer than {length} elements")
    return tuple(array[k] for k in range(length))
