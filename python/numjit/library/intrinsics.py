"""Operations the library's Python code asks the compiler for directly.

Each maps to a C++ row (python/numjit/library/__init__.py names them); calling one
from Python is a mistake, so the Python bodies only raise.
"""


def lapack(routine, *args):
    """Calls LAPACK's `routine` (src/numjit/library/lapack.cpp): arrays by data
    pointer, integers, one-letter strings and floats by address; returns info."""
    raise RuntimeError("numjit.library.intrinsics.lapack can only be called from compiled code")
