"""Runs fuzz cases in this process: ``python -m tests.fuzz.worker CASES RESULTS``.

CASES is a pickled list of cases.Case; for each case a "start" line, then a
"done" line with the verdict, is appended to the JSON-lines file RESULTS as
it happens, so the runner knows which case was running if this process
crashes or hangs. Each kernel is written to a real .py file (numjit reads a
function's source, which functions made by exec of a string do not have)
and imported from there.
"""
import faulthandler
import gc
import importlib.util
import itertools
import json
import os
import sys
import tempfile
import warnings

import numpy as np

# Array expressions of any size run on the thread pool under parallel=True, so
# the array family's small arrays exercise it (judge's parallel check below).
os.environ.setdefault("NUMJIT_PARALLEL_ARRAY_MIN", "1")

import numjit  # noqa: E402
from numjit.runtime import allocation_stats  # noqa: E402
from tests.fuzz import arguments, cuda_family, oracle, reference  # noqa: E402
from tests.fuzz.cases import render_source  # noqa: E402

_modules = itertools.count()


def load_module(path):
    name = f"numjit_fuzz_kernel_{next(_modules)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # SyntaxWarnings of planted errors such as 1.5[0]
        spec.loader.exec_module(module)
    return module


def _call(function, args):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return oracle.Outcome(value=function(*args))
        except Exception as exc:   # every exception is an outcome to compare
            return oracle.Outcome(error=exc)


def run_reference(source, path, specs):
    """(outcome, reference arguments afterwards, const_overflow)."""
    def once():
        args = [arguments.copy_for_reference(arguments.build(s)) for s in specs]
        namespace = reference.load(source, path)
        return _call(namespace["kernel"], args), args

    outcome, args = once()
    if isinstance(outcome.error, reference.ConstOverflow):
        reference.Settings.const_checks = False
        try:
            outcome, args = once()
        finally:
            reference.Settings.const_checks = True
        return outcome, args, True
    return outcome, args, False


def judge(case, path=None):
    """The verdict on one case: {"category", "detail", "leak"}. ``path``: an
    existing file holding the kernel (a reproducer) instead of rendering it."""
    if path is None:
        path = os.path.join(_tmpdir(), f"kernel_{case.name}_{next(_modules)}.py")
        with open(path, "w") as f:
            f.write(render_source(case))
    with open(path) as f:
        source = f.read()
    try:
        module = load_module(path)
    except numjit.errors.NumjitError as exc:   # refused when decorated
        module, compiled_at_import = None, oracle.Outcome(error=exc)
    except Exception as exc:
        return {"category": "harness-error", "detail": f"kernel module failed to import: {exc!r}", "leak": 0}
    if case.family == "cuda":
        return cuda_family.judge(case, path, module, None if module is not None else compiled_at_import)
    try:
        args = [arguments.build(s) for s in case.args]
    except Exception as exc:
        return {"category": "harness-error", "detail": f"argument failed to build: {exc!r}", "leak": 0}
    if case.expect == "typing-error" or module is None:
        ref, ref_args, const_overflow = oracle.Outcome(), [], False
    else:
        ref, ref_args, const_overflow = run_reference(source, path, case.args)
    gc.collect()
    before = allocation_stats()
    compiled = compiled_at_import if module is None else _call(module.kernel, args)
    category, detail = oracle.classify(case, compiled, ref, args, ref_args, const_overflow)
    if category == "mismatch" or category == "wrong-exception":
        detail += "\nreference source: kernel.py_func with the hooks of tests/fuzz/reference.py"
    if category in oracle.PASSES and case.family in ("array", "prange") and module is not None:
        problem = _parallel_differs(case, source, path, compiled)
        if problem:
            category, detail = "parallel-mismatch", problem
    del compiled
    gc.collect()
    after = allocation_stats()
    leak = (after.alloc - before.alloc) - (after.free - before.free)
    if leak and category in oracle.PASSES:
        category, detail = "leak", f"{leak} block(s) allocated by compiled code were never freed"
    return {"category": category, "detail": detail, "leak": leak}


def _parallel_differs(case, source, path, serial):
    """The same kernel under parallel=True, on fresh arguments: its outcome
    must be the serial compile's (whole-array expressions run on the thread
    pool there). None when it is, else why not."""
    parallel_path = path[:-3] + "_parallel.py"
    with open(parallel_path, "w") as f:
        f.write(source.replace("@njit\ndef kernel(", "@njit(parallel=True)\ndef kernel(", 1))
    try:
        module = load_module(parallel_path)
        args = [arguments.build(s) for s in case.args]
    except Exception as exc:
        return f"parallel=True kernel failed to compile or import: {exc!r}"
    return oracle.same_as_serial(case, _call(module.kernel, args), serial)


_TMP = []


def _tmpdir():
    """Where kernels are written: inside the runner's temporary folder when
    main() set one, else a folder removed when this process exits."""
    if not _TMP:
        import atexit
        import shutil

        folder = tempfile.mkdtemp(prefix="numjit-fuzz-")
        atexit.register(shutil.rmtree, folder, True)
        _TMP.append(folder)
    return _TMP[0]


def _emit(fd, record):
    os.write(fd, (json.dumps(record) + "\n").encode())


def limit_memory():
    """Caps this worker's data (RLIMIT_DATA, NUMJIT_FUZZ_MEMORY_GB GiB): a case
    that builds huge arrays raises MemoryError instead of growing the worker
    until the machine swaps (a shrink once took one to 19 GB)."""
    import resource
    limit = int(float(os.environ.get("NUMJIT_FUZZ_MEMORY_GB", "4")) * 2**30)
    hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
    resource.setrlimit(resource.RLIMIT_DATA, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def main(cases_path, results_path):
    import pickle
    faulthandler.enable()
    limit_memory()
    sys.setrecursionlimit(1000)
    with open(cases_path, "rb") as f:
        cases = pickle.load(f)
    # The runner removes its folder, kernels included, when the batch ends.
    kernels = os.path.join(os.path.dirname(os.path.abspath(cases_path)), "kernels")
    os.makedirs(kernels, exist_ok=True)
    _TMP[:] = [kernels]
    fd = os.open(results_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    for position, case in enumerate(cases):
        _emit(fd, {"event": "start", "position": position})
        try:
            verdict = judge(case)
        except Exception as exc:   # a bug in the fuzzer, reported as such
            verdict = {"category": "harness-error", "detail": f"{type(exc).__name__}: {exc}", "leak": 0}
        _emit(fd, {"event": "done", "position": position, **verdict})
        if verdict["category"] == "skipped-out-of-bounds":
            # Compiled code wrote out of bounds (undefined, as without Numba's
            # boundscheck) and may have damaged this process's heap: the rest
            # of the batch runs in a fresh worker (runner.run_batch).
            break
    os.close(fd)


def serve():
    """Judges cases sent one at a time on stdin (a length, then a pickle),
    answering a JSON line each on stdout: the shrinker's worker."""
    import pickle
    import struct
    faulthandler.enable()
    limit_memory()
    source, sink = sys.stdin.buffer, sys.stdout
    while True:
        head = source.read(8)
        if len(head) < 8:
            return
        case = pickle.loads(source.read(struct.unpack("<Q", head)[0]))
        try:
            verdict = judge(case)
        except Exception as exc:
            verdict = {"category": "harness-error", "detail": f"{type(exc).__name__}: {exc}", "leak": 0}
        sink.write(json.dumps(verdict) + "\n")
        sink.flush()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        main(sys.argv[1], sys.argv[2])
