"""Process-wide settings read from the environment once, at import.

``NUMJIT_*`` variables are read first; Numba's ``NUMBA_*`` names are honoured
too so job scripts written for Numba keep working.
"""
import os

from . import _dispatch


def _env(name, default=None):
    return os.environ.get("NUMJIT_" + name, os.environ.get("NUMBA_" + name, default))


def _flag(name, default=False):
    value = _env(name)
    return default if value is None else value.strip().lower() not in ("", "0", "false", "no", "off")


DISABLE_JIT = _flag("DISABLE_JIT")
#: Checks while compiling (NUMJIT_DEBUG=verify: the HIR after each stage); the
#: test suite turns them on.
DEBUG = [s.strip() for s in (_env("DEBUG") or "").split(",") if s.strip()]
#: Stages printed to stderr while compiling: comma-separated from hir, types, plans, llvm, llvm-unoptimized, asm.
#: The compiler receives the checks of DEBUG in the same list.
DUMP = [s.strip() for s in (_env("DUMP") or "").split(",") if s.strip()] + [c for c in DEBUG if c == "verify"]
#: cache=True entries go here instead of __pycache__ beside the source (NUMBA_CACHE_DIR too).
CACHE_DIR = _env("CACHE_DIR")
#: Print each cache hit and miss (and for a miss, what changed) to stderr.
DEBUG_CACHE = _flag("DEBUG_CACHE")
#: libmvec vector math in loops; off gives results bit-identical to scalar libm.
VECTOR_MATH = _flag("VECTOR_MATH", True)
# parallel=True: whole-array expressions of at least this many elements run
# on the thread pool (smaller ones stay serial: the pool's start costs more).
PARALLEL_ARRAY_MIN = int(_env("PARALLEL_ARRAY_MIN") or 16384)
#: The size of the thread pool, as the runtime read it from NUMJIT_NUM_THREADS /
#: NUMBA_NUM_THREADS (invalid or non-positive values mean 1), else the core count.
NUMBA_NUM_THREADS = _dispatch.max_threads()
NUMJIT_NUM_THREADS = NUMBA_NUM_THREADS
NUMBA_DEFAULT_NUM_THREADS = os.cpu_count() or 1
