"""Deciding a case: compare what numjit did with what the reference did.

Categories (only "ok" and "skipped-*" are passes):

- ok               same result (or the same exception type)
- skipped-overflow the Python reference left int64: not compared (README.md)
- skipped-float16  NumPy used a float16/float32 loop for integers (README.md)
- skipped-precision a float % or // so large that an ulp of libm decides it,
                   or copysign from a NaN (whose sign IEEE leaves unspecified)
- skipped-out-of-bounds  the reference indexed out of bounds (a wrong
                   argument's shape): undefined without boundscheck
- skipped-memory   the reference ran out of the worker's memory limit
- mismatch         different values, dtype, shape or structure
- wrong-exception  one side raised and the other did not, or another type
- rejected         numjit refused (TypingError) a program Python runs
- accepted-bad     numjit ran a program planted with an error
- unlocated-error  a TypingError without file:line:col and a caret line
- internal-error   numjit.errors.InternalCompilerError (or another NumjitError)
- leak             compiled code allocated more blocks than it freed
- crash / timeout  decided by the runner (the worker process died or hung)
- ptx-refused      a cuda case's PTX failed to compile or ptxas refused it
"""
import math
import re

import numpy as np

import numjit
from tests.fuzz.bad_programs import CARET_PATTERN, LOCATION_PATTERN
from tests.fuzz.reference import NotCompared

PASSES = ["ok", "skipped-overflow", "skipped-float16", "skipped-precision", "skipped-out-of-bounds",
          "skipped-memory"]
FAILURES = ["mismatch", "wrong-exception", "rejected", "accepted-bad", "unlocated-error", "internal-error",
            "leak", "crash", "timeout", "harness-error", "parallel-mismatch", "ptx-refused"]
RTOL_DOUBLE, RTOL_SINGLE, RTOL_HALF = 1e-12, 2e-5, 1e-3
KIND_ORDER = "bifc"
# What Python raises at run time for a program a compiler refuses when it types it.
TYPING_TIME = (TypeError, AttributeError, IndexError, NameError, ValueError)


class Outcome:
    """What one side did: a value, or an exception."""

    def __init__(self, value=None, error=None):
        self.value, self.error = value, error

    def describe(self):
        if self.error is not None:
            return f"raised {type(self.error).__name__}: {str(self.error)[:600]}"
        return f"returned {summarize(self.value)}"


def summarize(value, limit=400):
    if isinstance(value, np.ndarray):
        text = f"array({np.array2string(value, threshold=20, precision=17)}, dtype={value.dtype}, shape={value.shape})"
    elif isinstance(value, tuple):
        text = "(" + ", ".join(summarize(v, limit) for v in value) + ("," if len(value) == 1 else "") + ")"
    else:
        text = f"{value!r} ({type(value).__name__})"
    return text if len(text) <= limit else text[:limit] + "..."


def is_located(error):
    text = str(error)
    return bool(re.search(LOCATION_PATTERN, text)) and bool(re.search(CARET_PATTERN, text))


def _kind(value):
    dtype = np.asarray(value).dtype
    return "i" if dtype.kind == "u" else dtype.kind


def _single(values):
    for v in values:
        if isinstance(v, (tuple, list)):
            if _single(v):
                return True
        elif getattr(v, "dtype", None) in (np.float32, np.complex64):
            return True
    return False


def _single_arguments(case):
    """Whether an argument is float32 or complex64 (an array's dtype or a NumPy scalar's type)."""
    return any((spec.get("dtype") or spec.get("type")) in ("float32", "complex64") for spec in case.args)


def _is_time(value):
    return isinstance(value, (np.datetime64, np.timedelta64)) or \
        (isinstance(value, np.ndarray) and value.dtype.kind in "mM")


def _compare_times(got, expected, path):
    """Datetimes and timedeltas agree exactly: the same dtype, unit included,
    and the same counts (so NaT where NumPy has NaT, and NaT equals NaT)."""
    if not (_is_time(got) and _is_time(expected)):
        return f"{path}: expected {summarize(expected)}, got {summarize(got)}"
    g, e = np.asarray(got), np.asarray(expected)
    if e.ndim and not isinstance(got, np.ndarray):
        return f"{path}: expected an array, got {summarize(got)}"
    if g.shape != e.shape:
        return f"{path}: shape {g.shape} != expected {e.shape}"
    if g.dtype != e.dtype:
        return f"{path}: dtype {g.dtype} != expected {e.dtype}"
    if np.array_equal(g.view(np.int64), e.view(np.int64)):
        return None
    return f"{path}: {summarize(got)} != expected {summarize(expected)}"


def compare(got, expected, rtol, atol, path="result"):
    """None if they agree, else a sentence saying where and how they differ."""
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return f"{path}: expected a tuple of {len(expected)}, got {summarize(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = compare(g, e, rtol, atol, f"{path}[{i}]")
            if problem:
                return problem
        return None
    if isinstance(expected, numjit.typed.Dict) or isinstance(got, numjit.typed.Dict):
        if not isinstance(got, type(expected)) or dict(got) != dict(expected):
            return f"{path}: expected {summarize(expected)}, got {summarize(got)}"
        return None
    sequences = (list, numjit.typed.List)  # a typed.List's + and slices give lists in compiled code
    if isinstance(expected, sequences) or isinstance(got, sequences):
        if not isinstance(got, sequences) or not isinstance(expected, sequences) or len(got) != len(expected):
            return f"{path}: expected {summarize(expected)}, got {summarize(got)}"
        return compare(tuple(got), tuple(expected), rtol, atol, path)
    if expected is None or got is None:
        return None if got is expected else f"{path}: expected {expected!r}, got {summarize(got)}"
    if _is_time(got) or _is_time(expected):
        return _compare_times(got, expected, path)
    array = isinstance(expected, np.ndarray) and expected.ndim > 0
    if array:
        if not isinstance(got, np.ndarray):
            return f"{path}: expected an array, got {summarize(got)}"
        if got.shape != expected.shape:
            return f"{path}: shape {got.shape} != expected {expected.shape}"
        if got.dtype != expected.dtype and not (expected.dtype == np.float16 and got.dtype.kind == "f"):
            return f"{path}: dtype {got.dtype} != expected {expected.dtype}"
        if expected.dtype == np.float16:
            rtol = max(rtol, RTOL_HALF)
        elif expected.dtype in (np.float32, np.complex64):
            # A single-precision result of double-precision inputs (int16 data
            # through astype(np.float32)): NumPy's float32 log is not always
            # correctly rounded, so one ulp apart is agreement.
            rtol = max(rtol, RTOL_SINGLE)
    else:
        # NumPy turns 0-d results into scalars where numjit (like Numba) keeps 0-d arrays.
        if isinstance(got, np.ndarray) and got.ndim > 0:
            return f"{path}: expected a scalar, got {summarize(got)}"
        gk, ek = _kind(got), _kind(expected)
        if gk not in KIND_ORDER or ek not in KIND_ORDER:
            return None if got == expected else f"{path}: expected {expected!r}, got {got!r}"
        # Numba unifies int and float branches to float, and uint64 with int64 to float64.
        if KIND_ORDER.index(gk) < KIND_ORDER.index(ek):
            return f"{path}: {summarize(got)} is of kind {gk}, expected kind {ek} ({expected!r})"
    g, e = np.asarray(got), np.asarray(expected)
    if g.dtype.kind in "biu" and e.dtype.kind in "biu":
        if g.shape == e.shape and np.array_equal(g.astype(object), e.astype(object)):
            return None
        return f"{path}: {summarize(got)} != expected {summarize(expected)}"
    with np.errstate(all="ignore"):
        g, e = g.astype(np.complex128), e.astype(np.complex128)
        # A complex value whose parts are each close, or which is close as a
        # whole: the rounding of a product's tiny part scales with the other
        # part (NumPy's einsum and its multiply ufunc round (1e308 + 0j)
        # differently, 0 against 4.7e290 in the imaginary part).
        finite = np.isfinite(g) & np.isfinite(e)
        whole = finite & (np.abs(g - e) <= atol + rtol * np.abs(e))
        ok = True
        for gp, ep in ((g.real, e.real), (g.imag, e.imag)):
            same_special = (np.isnan(gp) & np.isnan(ep)) | ((gp == ep) & np.isinf(ep))
            close = np.abs(gp - ep) <= atol + rtol * np.abs(ep)
            ok = ok and bool(np.all(same_special | (close & np.isfinite(ep) & np.isfinite(gp)) | whole))
    return None if ok else f"{path}: {summarize(got)} != expected {summarize(expected)} (rtol {rtol:g}, atol {atol:g})"


def tolerances(case, values):
    from tests.fuzz.arguments import magnitude
    if case.family == "times":
        return 0.0, 0.0   # its floats are one IEEE operation on the same counts (td / td, astype)
    rtol = RTOL_SINGLE if _single(values) else RTOL_DOUBLE
    scale, int_scale, size = magnitude(case.args)
    return rtol, rtol * size * (scale * scale + int_scale)


def same_as_serial(case, parallel, serial):
    """None when the parallel=True compile's outcome is the serial compile's
    (values within the case's tolerances, NaN as NaN; or the same exception
    type), else why not. Not bit for bit: a serial loop's scalar tail calls
    libm where its vector body calls libmvec, so which elements a vector loop
    covers may change the last bit (the parallel result does not depend on
    the thread count: tests/python/test_parallel_array_expressions.py)."""
    if serial.error is not None or parallel.error is not None:
        if type(serial.error) is type(parallel.error):
            return None
        return f"parallel=True {parallel.describe()}; serial {serial.describe()}"
    rtol, atol = tolerances(case, [serial.value])
    if _single_arguments(case):
        # A float32 computed in another order or lane (a prange chunk's
        # vector loop where the serial loop had a scalar tail) may differ by
        # a float32 ulp even where the result is stored as float64.
        # Relative only: a float32 ulp is relative, and a wider absolute
        # tolerance would hide a partial counted twice.
        rtol = RTOL_SINGLE
    problem = compare(parallel.value, serial.value, rtol, atol)
    return None if problem is None else "parallel=True differs from serial: " + problem


def _exception_matches(got, expected):
    if isinstance(got, type(expected)):
        return True
    # A compiler finds at typing time what Python finds when the line runs.
    return isinstance(got, numjit.errors.TypingError) and isinstance(expected, TYPING_TIME)


def classify(case, compiled, reference, args_after, reference_args_after, const_overflow=False):
    """(category, detail) for one case. ``const_overflow``: two literals
    overflowed int64 in Python (``reference`` is then the exact run), so
    refusing the constant with a located TypingError is right too."""
    error = compiled.error
    if isinstance(error, numjit.errors.NumjitError) and not isinstance(error, numjit.errors.TypingError):
        return "internal-error", f"{type(error).__name__}: {error}"
    if isinstance(error, numjit.errors.TypingError) and not is_located(error):
        return "unlocated-error", f"{type(error).__name__} without location or caret: {error}"
    if case.expect == "typing-error":
        if isinstance(error, numjit.errors.TypingError):
            return "ok", ""
        if error is None:
            return "accepted-bad", f"planted error ({case.note}) not reported; {compiled.describe()}"
        return "wrong-exception", f"planted error ({case.note}): expected TypingError, {compiled.describe()}"
    if isinstance(error, numjit.errors.TypingError) and case.expect == "run-or-typing-error":
        return "ok", ""
    ref_error = reference.error
    if const_overflow and isinstance(error, numjit.errors.TypingError):
        return "ok", ""
    # Writing to a read-only array is refused when compiling, even where the
    # write would never run (Numba does the same).
    if isinstance(error, numjit.errors.TypingError) and "read-only" in str(error) and any(
            isinstance(a, np.ndarray) and not a.flags.writeable for a in args_after):
        return "ok", ""
    if isinstance(ref_error, NotCompared):
        return ref_error.category, ""
    if isinstance(ref_error, MemoryError):
        return "skipped-memory", ""   # past the worker's limit (worker.limit_memory)
    # (bytes say "index out of range": compiled code reads them as an array, unchecked too)
    if isinstance(ref_error, IndexError) and ("out of bounds" in str(ref_error) or str(ref_error) == "index out of range"):
        return "skipped-out-of-bounds", ""   # undefined without boundscheck, as in Numba
    # numjit refuses to drop imaginary parts when storing complex into a
    # real array; NumPy only warns.
    if isinstance(error, numjit.errors.TypingError) and re.search(r"cannot store \S*complex", str(error)):
        return "ok", ""
    # An integer constant beyond 64 bits is refused when compiling, even in
    # code that never runs.
    if isinstance(error, numjit.errors.TypingError) and "does not fit in 64 bits" in str(error):
        return "ok", ""
    if isinstance(error, numjit.errors.TypingError):
        if ref_error is None:
            return "rejected", f"numjit: {compiled.describe()}\nPython: {reference.describe()}"
        if _exception_matches(error, ref_error):
            return "ok", ""
        return "wrong-exception", f"numjit {compiled.describe()}\nPython {reference.describe()}"
    if error is not None or ref_error is not None:
        if error is not None and ref_error is not None and _exception_matches(error, ref_error):
            return "ok", ""
        return "wrong-exception", f"numjit {compiled.describe()}\nPython {reference.describe()}"
    rtol, atol = tolerances(case, args_after)
    problem = compare(compiled.value, reference.value, rtol, atol)
    if problem is None:
        for k, (mine, theirs) in enumerate(zip(args_after, reference_args_after)):
            if isinstance(mine, np.ndarray):
                problem = compare(mine, theirs, rtol, atol, f"argument {case.params[k]} afterwards")
                if problem:
                    break
    if problem:
        return "mismatch", problem
    return "ok", ""


def signature(category, detail):
    """A short key that groups failures of one kind (for counting classes)."""
    lines = detail.splitlines() if detail else [""]
    number = r"-?\d+(\.\d+)?(e[-+]?\d+)?"
    if category in ("rejected", "unlocated-error") or "raised TypingError" in lines[0]:
        carets = [re.sub(r".*\^+ ", "", l) for l in lines if re.search(r"\|\s*\^", l)]
        text = "TypingError: " + (carets[0] if carets else lines[0])
        if category == "wrong-exception":
            text += " / Python " + " ".join(re.findall(r"Python (raised \w+|returned)", detail))
    elif category == "wrong-exception":
        sides = re.findall(r"(numjit|Python) (raised \w+|returned)", detail)
        text = " / ".join(" ".join(s) for s in sides) or lines[0]
    elif category == "mismatch":
        first = lines[0]
        kinds = re.search(r"kind \w, expected kind \w", first)
        if kinds:
            text = kinds.group(0)
        elif "dtype" in first or "shape" in first or "expected a" in first:
            text = re.sub(r"\(.*", "", re.sub(r"^[^:]*: ", "", first))
        else:
            text = "values differ" + (" (argument afterwards)" if "afterwards" in first else "")
    else:
        text = lines[0]
    text = re.sub(r"\(.+?\.py:\d+:\d+\)", "(LOC)", text)
    text = re.sub(r"(readonly )?array\([^)]*\)", "array(...)", text)
    return f"{category}: {re.sub(number, 'N', text)[:110]}"


__all__ = ["Outcome", "classify", "compare", "signature", "summarize", "FAILURES", "math"]
