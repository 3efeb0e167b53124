"""How compiled objects travel to other processes (Dask, multiprocessing, MPI).

numjit compiles from source, so a jitted function that travels must carry its
source: a worker started on its own (``dask worker``, a batch job) has no copy
of the script that defined it, and cloudpickle gives functions it carries by
value a code object whose file name (``<dynamic-code>``) names no file.

Every pickled object takes one of two forms:

* **by reference** (module + qualified name) when its module is importable and
  exposes it under that name, as pickle does for plain functions;
* **by value** otherwise (``__main__``, closures, notebook cells): the
  ``SourceRecord`` (file name, first line, source lines), the options and the
  eager signatures travel as plain data beside the Python function, and the
  function itself goes through cloudpickle, whichever pickler is outside (so
  ``pickle``, mpi4py and multiprocessing work as well as Dask).

A function that refers to itself, or to a jitted function that refers back to
it, would make that nested cloudpickle recurse; the dispatchers being pickled
on this thread are written as persistent ids and resolved against the
dispatchers being rebuilt. Every rebuilt object is remembered by a uuid, so
unpickling the same function twice in a process (Dask sends it with every
task) gives the same object and compiles once.
"""
import importlib
import io
import pickle
import sys
import threading
import uuid as uuid_module
import weakref
from typing import NamedTuple

from . import errors

_FORMAT = 1  # bumped when what a by-value pickle holds changes
_thread = threading.local()
_live = weakref.WeakValueDictionary()  # (kind, uuid) -> object rebuilt or pickled in this process
_live_strong = {}  # the same for objects without weak references (numpy.ufunc)


class SourceRecord(NamedTuple):
    """What the front end reads instead of the file: the function's own lines."""
    filename: str
    first_line: int
    lines: tuple


def read_source(py_func):
    """The SourceRecord of a function: from a record it carries (it was
    unpickled), else from its file or linecache (IPython and Jupyter keep cells
    there)."""
    carried = getattr(py_func, "__numjit_source__", None)
    if carried is not None:
        return carried
    quick = _source_by_code_positions(py_func)
    if quick is not None:
        return quick
    import inspect

    try:
        lines, first_line = inspect.getsourcelines(py_func)
    except (OSError, TypeError) as exc:
        raise errors.UnsupportedError(
            f"cannot read the source of {py_func.__qualname__}: numjit compiles from source "
            f"(functions typed at an interactive prompt or made by exec have none): {exc}") from None
    filename = inspect.getsourcefile(py_func) or py_func.__code__.co_filename
    return SourceRecord(filename, max(first_line, 1), tuple(lines))


def _source_by_code_positions(py_func):
    """The SourceRecord of a plain function without inspect's tokenizer (whose
    first use in a process costs several milliseconds of regular expression
    compiling, a tenth of a first compile): its lines run from the first
    decorator (co_firstlineno) to the last line any of its instructions, or
    those of functions inside it, covers. None where that is not surely the
    whole definition (lambdas, a text that does not parse as one function
    ending there), for inspect to find."""
    import ast
    import linecache

    code = getattr(py_func, "__code__", None)
    if code is None or py_func.__name__ == "<lambda>" or code.co_filename.startswith("<"):
        return None
    lines = linecache.getlines(code.co_filename, py_func.__globals__)
    start = code.co_firstlineno - 1
    if not lines or start >= len(lines):
        return None
    last, pending = code.co_firstlineno, [code]
    while pending:
        current = pending.pop()
        last = max([last] + [end for _, end, _, _ in current.co_positions() if end is not None])
        pending.extend(c for c in current.co_consts if hasattr(c, "co_positions"))
    block = lines[start:last]
    indent = len(block[0]) - len(block[0].lstrip())
    try:
        tree = ast.parse("".join(line[indent:] if line[:indent].strip() == "" else line.lstrip() for line in block))
    except SyntaxError:
        return None
    if len(tree.body) != 1 or getattr(tree.body[0], "name", None) != py_func.__name__ or \
            tree.body[0].end_lineno != len(block):
        return None
    return SourceRecord(code.co_filename, code.co_firstlineno, tuple(block))


def importable_as(obj, module, qualname):
    """True when `module.qualname` imports to obj itself (so it pickles by reference)."""
    if not module or not qualname or module == "__main__" or "<locals>" in qualname:
        return False
    found = sys.modules.get(module)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    return found is obj


def import_object(module, qualname):
    found = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


# ---- by value ----------------------------------------------------------------

def _in_progress():
    if not hasattr(_thread, "pickling"):
        _thread.pickling, _thread.loading = {}, {}
    return _thread.pickling


def _loading():
    _in_progress()
    return _thread.loading


def object_uuid(holder):
    """The uuid that names holder's compiled object across processes (assigned on first pickle)."""
    if getattr(holder, "_uuid", None) is None:
        holder._uuid = uuid_module.uuid4().hex
    return holder._uuid


def remember(kind, key, obj):
    try:
        _live[kind, key] = obj
    except TypeError:
        _live_strong[kind, key] = obj


def known(kind, key):
    return _live.get((kind, key)) or _live_strong.get((kind, key))


def dump_function(public, key, py_func):
    """py_func pickled by value with cloudpickle; `public` (the dispatcher
    being pickled) and any dispatcher enclosing it become persistent ids."""
    import cloudpickle

    pickling = _in_progress()

    class FunctionPickler(cloudpickle.Pickler):
        def persistent_id(self, obj):
            found = pickling.get(id(obj))
            return ("numjit.dispatcher", found[0]) if found is not None and found[1] is obj else None

    pickling[id(public)] = (key, public)
    try:
        buffer = io.BytesIO()
        FunctionPickler(buffer, protocol=pickle.DEFAULT_PROTOCOL).dump(py_func)
        return buffer.getvalue()
    finally:
        del pickling[id(public)]


def load_function(public, key, payload):
    """The inverse of dump_function: `public` is the dispatcher being rebuilt."""
    loading = _loading()

    class FunctionUnpickler(pickle.Unpickler):
        def persistent_load(self, pid):
            if isinstance(pid, tuple) and len(pid) == 2 and pid[0] == "numjit.dispatcher":
                found = loading.get(pid[1]) or known("dispatcher", pid[1])
                if found is not None:
                    return found
            raise pickle.UnpicklingError(f"a numjit pickle refers to a jitted function it does not hold ({pid!r})")

    loading[key] = public
    try:
        return FunctionUnpickler(io.BytesIO(payload)).load()
    finally:
        del loading[key]


def check_payload(kind, state, required):
    """A clear error for pickles that are damaged, truncated or from another numjit."""
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        found = state.get("format") if isinstance(state, dict) else type(state).__name__
        raise pickle.UnpicklingError(
            f"cannot unpickle a numjit {kind}: it was written in format {found!r}, this numjit reads "
            f"format {_FORMAT} (pickle and unpickle with the same numjit version)")
    missing = [name for name in required if name not in state]
    if missing:
        raise pickle.UnpicklingError(f"cannot unpickle a numjit {kind}: the pickle is incomplete "
                                     f"(missing {', '.join(missing)})")
    source = state.get("source")
    if source is not None:
        ok = (isinstance(source, tuple) and len(source) == 3 and isinstance(source[0], str)
              and isinstance(source[1], int) and all(isinstance(line, str) for line in source[2]))
        if not ok:
            raise pickle.UnpicklingError(f"cannot unpickle a numjit {kind}: its source record is damaged")


def new_state(**fields):
    return {"format": _FORMAT, **fields}
