"""cache=True: compiled code on disk, reused by every later process.

An entry is a shared library linked from the object code LLVM emitted for one
specialization, plus an index beside it (a Python literal). A later process opens the
library with dlopen, so a cached function runs without importing LLVM
(``numjit._compiler``) at all. The code holds no address of the process that
made it: runtime functions are resolved from ``numjit._dispatch`` when the
library loads, and the Python objects it names (exception classes, frozen
arrays) go through pointer slots that the loader fills.

The key covers everything the code depends on (see ``Dependencies``): the
bytecode of the function and of every jitted function it calls, transitively;
the values of the globals and closure variables they read (arrays by content);
options, argument types, the numjit build, Python and NumPy versions, and the
host CPU. Entries live in ``__pycache__`` beside the source file, else in a
per-user folder; ``NUMJIT_CACHE_DIR`` (or ``NUMBA_CACHE_DIR``) overrides both.

Writes are atomic (a temporary file renamed into place) and a library is named
by its own content hash, so processes starting together never read half an
entry. A damaged or foreign entry is ignored and rewritten, with one warning.
``python -m numjit.cache`` lists the entries; ``--clear`` removes them.
"""
import ast
import builtins
import hashlib
import os
import sys
import types as pytypes
import warnings

import numpy as np

from . import _dispatch, _registry, config, errors

FORMAT = 1
# Kinds of pointer slots (compiler.h CompileResult::Import): 0 an exception
# class, 1 a frozen array, 2 its data, FUNCTION a BLAS/LAPACK function by name.
FUNCTION = 3
SUFFIX = ".nji"  # the index: a Python literal (ast.literal_eval reads it safely; json costs an import)

_stats = {"hits": 0, "misses": 0, "compiles": 0, "writes": 0}
_warned = set()


def stats():
    """Counts for this process: entries loaded (hits), looked for and not
    usable (misses), cache=True compiles, and entries written."""
    return dict(_stats)


def count_compile():
    _stats["compiles"] += 1


def _debug(message):
    if config.DEBUG_CACHE:
        print(f"numjit cache: {message}", file=sys.stderr)


def _warn_once(key, message):
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, errors.NumjitWarning, stacklevel=5)


# ---- what an entry depends on ------------------------------------------------

def _constant_bytes(value):
    """A stable text for a constant (sets sorted: their order follows string hashing)."""
    if isinstance(value, (frozenset, set)):
        return "set(" + ",".join(sorted(_constant_bytes(v) for v in value)) + ")"
    if isinstance(value, tuple):
        return "(" + ",".join(_constant_bytes(v) for v in value) + ")"
    return type(value).__name__ + ":" + repr(value)


def _digest_code(code, h):
    h.update(code.co_code)
    h.update(repr((code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount, code.co_flags,
                   code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars)).encode())
    for const in code.co_consts:
        if isinstance(const, pytypes.CodeType):
            _digest_code(const, h)
        else:
            h.update(_constant_bytes(const).encode())


def _names(code, out):
    out.update(code.co_names)
    for const in code.co_consts:
        if isinstance(const, pytypes.CodeType):
            _names(const, out)
    return out


def _impl_of(value):
    """The DispatcherImpl of a jitted function (or of a @vectorize ufunc's kernel), else None."""
    if getattr(value, "_numjit_dispatcher", False) and hasattr(value, "_impl"):
        return value._impl
    kernel = _registry.vectorized_kernel(value)
    return kernel._impl if kernel is not None else None


class Dependencies:
    """Walks a jitted function and everything it reads: the fingerprint that
    keys its cache entries, and the objects its compiled code may point at,
    each named so that another process can find it again."""

    def __init__(self):
        # name (a string) -> object. Every builtin exception class is one: code
        # reached through a library fallback (a structured array's indexing)
        # raises them without a name in any function's globals.
        self.objects = {f"builtins:{name}": value for name, value in vars(builtins).items()
                        if isinstance(value, type) and issubclass(value, BaseException)}
        self._fingerprints = {}

    def fingerprint(self, impl):
        py_func = impl.py_func
        owner = f"{py_func.__module__}:{py_func.__qualname__}"
        if owner in self._fingerprints:
            return self._fingerprints[owner]  # recursion: already on the way
        self._fingerprints[owner] = "recursive:" + owner
        h = hashlib.sha256(owner.encode())
        _digest_code(py_func.__code__, h)
        h.update(_constant_bytes(py_func.__defaults__).encode())
        h.update(repr(sorted(impl._compile_options().items())).encode())
        names = _names(py_func.__code__, set())
        module_globals = py_func.__globals__
        for name in sorted(names):
            if name in module_globals:
                self._value(h, f"{owner}:global:{name}", module_globals[name], names)
            else:
                builtin = getattr(builtins, name, None)
                if isinstance(builtin, type) and issubclass(builtin, BaseException):
                    self.objects[f"builtins:{name}"] = builtin  # raise ValueError(...)
        for name, cell in zip(py_func.__code__.co_freevars, py_func.__closure__ or ()):
            try:
                value = cell.cell_contents
            except ValueError:
                value = "<unbound>"
            self._value(h, f"{owner}:closure:{name}", value, names)
        digest = h.hexdigest()
        self._fingerprints[owner] = digest
        return digest

    def _value(self, h, where, value, names):
        h.update(where.encode())
        impl = _impl_of(value)
        if impl is not None:
            h.update(b"jit:" + self.fingerprint(impl).encode())
        elif isinstance(value, np.ndarray):
            self.objects[where] = value
            h.update(repr((value.dtype.str, value.shape)).encode())
            h.update(hashlib.sha256(np.ascontiguousarray(value).tobytes()).digest())
        elif isinstance(value, pytypes.ModuleType):
            h.update(b"module:" + value.__name__.encode())
            # module.attribute: the attributes this function may read.
            for attribute in sorted(names):
                member = getattr(value, attribute, None)
                if member is not None and not isinstance(member, pytypes.ModuleType):
                    self._value(h, f"{where}.{attribute}", member, ())
        elif isinstance(value, type):
            h.update(f"class:{value.__module__}:{value.__qualname__}".encode())
            if issubclass(value, BaseException):
                self.objects[where] = value
        elif isinstance(value, (bool, int, float, complex, str, bytes, tuple, type(None), np.generic)):
            h.update(_constant_bytes(value).encode())
        else:
            h.update(b"object:" + type(value).__qualname__.encode())


def _build_id():
    """numjit's compiled modules and Python files as built: a rebuild changes it."""
    package = os.path.dirname(os.path.abspath(__file__))
    parts = [getattr(sys.modules.get("numjit"), "__version__", "?"), sys.version, np.__version__]
    for path in [_dispatch.__file__, _compiler_path()] + sorted(
            os.path.join(folder, f) for folder in (package, os.path.join(package, "library"))
            for f in os.listdir(folder) if f.endswith(".py")):
        try:
            st = os.stat(path)
            parts.append(f"{os.path.basename(path)}:{st.st_size}:{st.st_mtime_ns}")
        except (OSError, TypeError):
            parts.append(f"{path}:missing")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _compiler_path():
    import importlib.util  # already imported by Python's own start-up

    spec = importlib.util.find_spec("numjit._compiler")
    return spec.origin if spec is not None else None


def _host_cpu():
    """The CPU's model and features: code compiled for one runs only on the same."""
    try:
        with open("/proc/cpuinfo") as f:
            lines = [line for line in f.read(65536).splitlines()
                     if line.startswith(("model name", "flags", "Features", "CPU part"))]
        return hashlib.sha256("\n".join(sorted(set(lines))).encode()).hexdigest()
    except OSError:
        import platform

        return platform.machine() + ":" + platform.processor()


_process_key = None


def _process_part():
    global _process_key
    if _process_key is None:
        _process_key = {"build": _build_id(), "cpu": _host_cpu(), "format": FORMAT}
    return _process_key


# ---- where entries live ----------------------------------------------------------

def _source_file(py_func):
    filename = py_func.__code__.co_filename
    if not filename or filename.startswith("<") or not os.path.isfile(filename):
        return None
    return os.path.abspath(filename)


def _user_cache_root():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "numjit")


def _mangled(folder):
    return folder.strip(os.sep).replace(os.sep, "_").replace(":", "_") or "root"


def folders(source):
    """Where entries of functions in `source` may be, in the order they are tried."""
    parent = os.path.dirname(source)
    if config.CACHE_DIR:
        return [os.path.join(os.path.abspath(config.CACHE_DIR), _mangled(parent))]
    return [os.path.join(parent, "__pycache__"), os.path.join(_user_cache_root(), _mangled(parent))]


def _stem(qualname, source):
    name = qualname.replace("<", "_").replace(">", "_")
    return f"{os.path.splitext(os.path.basename(source))[0]}.{name}"


class Request:
    """One specialization asked of the cache."""

    def __init__(self, impl, arg_types, ufunc_output=""):
        self.impl = impl
        # A generated function (a gufunc's driver) names the file and function its entries go with.
        source = getattr(impl, "cache_source", None)
        self.source = os.path.abspath(source) if source and os.path.isfile(source) else _source_file(impl.py_func)
        self.dependencies = Dependencies()
        self.fingerprint = self.dependencies.fingerprint(impl)
        key = {"function": self.fingerprint, "args": [str(t) for t in arg_types], "ufunc": ufunc_output,
               **_process_part()}
        self.key = hashlib.sha256(repr(sorted(key.items())).encode()).hexdigest()
        self.stem = _stem(getattr(impl, "cache_name", None) or impl.py_func.__qualname__, self.source) \
            if self.source else None

    def index_name(self):
        return f"{self.stem}.{self.key[:20]}{SUFFIX}"


def _read_index(path):
    with open(path, "rb") as f:
        meta = ast.literal_eval(f.read(1 << 20).decode())
    if not isinstance(meta, dict):
        raise ValueError("not an index")
    return meta


def load(impl, arg_types, ufunc_output=""):
    """The compile result of a cached entry, or None (then the caller compiles and stores)."""
    request = Request(impl, arg_types, ufunc_output)
    if request.source is None:
        _warn_once(("nosource", impl.py_func.__qualname__),
                   f"cache=True: {impl.py_func.__qualname__} has no source file, so it is compiled in every process")
        return request, None
    for folder in folders(request.source):
        index = os.path.join(folder, request.index_name())
        if not os.path.exists(index):
            continue
        try:
            result = _load_entry(request, folder, index)
        except FileNotFoundError:
            result = None  # another process replaced the entry meanwhile: compile as for a miss
        except Exception as exc:  # a damaged entry must never stop the program
            _warn_once(("damaged", index), f"cache=True: ignoring the damaged cache entry {index} ({exc}); "
                                           f"it is compiled again and rewritten")
            _remove(index)
            continue
        if result is not None:
            _stats["hits"] += 1
            _debug(f"hit {impl.py_func.__qualname__}({', '.join(map(str, arg_types))}) from {index}")
            return request, result
    _stats["misses"] += 1
    if config.DEBUG_CACHE:  # finding what changed reads every index of the function
        _debug(f"miss {impl.py_func.__qualname__}({', '.join(map(str, arg_types))}): {_why_missed(request)}")
    return request, None


def _indexes(folder, stem=None):
    """(path, metadata or None when unreadable) of each index in `folder`,
    only one function's when `stem` is given."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.endswith(SUFFIX) and (stem is None or name.startswith(stem + ".")):
            path = os.path.join(folder, name)
            try:
                yield path, _read_index(path)
            except Exception:
                yield path, None


def _why_missed(request):
    """For NUMJIT_DEBUG_CACHE: which dependency differs from the entries on disk."""
    for folder in folders(request.source):
        found = [(path, meta) for path, meta in _indexes(folder, request.stem) if meta is not None]
        for path, meta in found:
            name = os.path.basename(path)
            if meta.get("fingerprint") != request.fingerprint:
                return "the function, a function it calls, or a global it reads changed since " + name
            if meta.get("process") != _process_part():
                return "numjit was rebuilt, or the CPU differs, since " + name
        if found:
            return "no entry for these argument types"
    return "no entry yet"


def _load_entry(request, folder, index):
    meta = _read_index(index)
    if meta.get("format") != FORMAT or meta.get("key") != request.key:
        raise ValueError("an entry of another numjit version or key")
    library = os.path.join(folder, meta["library"])
    with open(library, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != meta["library_sha256"]:
            raise ValueError("the library does not match its index")
    objects = []
    copies = {}
    for slot, kind, name in meta["imports"]:
        if kind == FUNCTION:
            from . import _blas  # SciPy's BLAS and LAPACK, only for code that calls them

            address = _blas.blas_symbols().get(name)
            if not address:
                return None
            objects.append((slot, kind, address))
            continue
        obj = request.dependencies.objects.get(name)
        if obj is None:
            return None  # the object it points at is gone: compile again
        if kind != 0:
            # Compiled code reads a C-contiguous copy of a global array, frozen
            # when it was compiled (frontend/globals.cpp); the key holds its bytes.
            obj = copies.setdefault(name, obj.copy())
        objects.append((slot, kind, obj))
    handle = _dispatch.load_library(library)
    for slot, kind, obj in objects:
        address = _dispatch.library_symbol(handle, slot)
        if not address:
            raise ValueError(f"the library has no slot {slot}")
        _dispatch.fill_slot(address, obj if kind == FUNCTION else obj.ctypes.data if kind == 2 else id(obj))
    entry = _dispatch.library_symbol(handle, meta["entry_symbol"])
    ufunc = _dispatch.library_symbol(handle, meta["ufunc_symbol"]) if meta["ufunc_symbol"] else 0
    if not entry or (meta["ufunc_symbol"] and not ufunc):
        raise ValueError("the library lacks its entry")
    return {"entry": entry, "ufunc_loop": ufunc, "return_type": meta["return_type"],
            "return_descriptor": bytes.fromhex(meta["return_descriptor"]), "typed_hir": meta["typed_hir"],
            "keepalive": [obj for _, kind, obj in objects if kind != FUNCTION],
            "parallel_report": meta["parallel_report"],
            "warnings": meta["warnings"], "from_cache": index}


# ---- writing ----------------------------------------------------------------------

def store(request, result):
    """Writes a compile result made with relocatable=True; never raises."""
    if request.source is None:
        return
    imports = []
    classes = {id(obj): name for name, obj in request.dependencies.objects.items() if not isinstance(obj, np.ndarray)}
    frozen = {}  # (kind, address) -> the frozen copy of a global array the code reads
    for obj in result["keepalive"]:
        if isinstance(obj, np.ndarray):
            frozen[(1, id(obj))] = frozen[(2, obj.ctypes.data)] = obj
    for slot, kind, address, function in result["imports"]:
        if kind == FUNCTION:
            imports.append([slot, kind, function])  # found again by name (numjit._blas)
            continue
        name = classes.get(address) if kind == 0 else _array_named(request.dependencies, frozen.get((kind, address)))
        if name is None:
            _debug(f"not cached: {request.impl.py_func.__qualname__} points at an object it cannot name again")
            return
        imports.append([slot, kind, name])
    for folder in folders(request.source):
        try:
            _write_entry(request, result, imports, folder)
            _stats["writes"] += 1
            return
        except OSError as exc:
            _debug(f"cannot write in {folder}: {exc}")
        except _LinkError as exc:
            _warn_once("link", f"cache=True: linking the cached code failed ({exc}); "
                               "functions are compiled in every process")
            return
    _warn_once(("unwritable", request.source), f"cache=True: no cache folder for {request.source} can be written "
                                               f"(tried {', '.join(folders(request.source))}); set NUMJIT_CACHE_DIR")


class _LinkError(Exception):
    pass


def _array_named(dependencies, copy):
    """The name of the global array `copy` was frozen from (equal bytes: the key holds them)."""
    if copy is None:
        return None
    for name, obj in dependencies.objects.items():
        if (isinstance(obj, np.ndarray) and obj.dtype == copy.dtype and obj.shape == copy.shape
                and np.ascontiguousarray(obj).tobytes() == copy.tobytes()):
            return name
    return None


def _linker():
    import shutil

    return shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def _write_entry(request, result, imports, folder):
    import subprocess
    import tempfile

    os.makedirs(folder, exist_ok=True)
    linker = _linker()
    if linker is None:
        raise _LinkError("no C compiler (cc) to link with")
    with tempfile.TemporaryDirectory(dir=folder, prefix=".numjit-") as work:
        obj = os.path.join(work, "code.o")
        with open(obj, "wb") as f:
            f.write(result["object_code"])
        so = os.path.join(work, "code.so")
        # The runtime functions come from numjit._dispatch, already loaded when
        # the library is; libmvec holds the vector math.
        linked = subprocess.run([linker, "-shared", "-o", so, obj, os.path.abspath(_dispatch.__file__),
                                 "-l:libmvec.so.1", "-lm"], capture_output=True, text=True)
        if linked.returncode != 0:
            raise _LinkError(linked.stderr.strip()[:300])
        with open(so, "rb") as f:
            library_sha = hashlib.sha256(f.read()).hexdigest()
        library = f"{request.stem}.{request.key[:20]}.{library_sha[:12]}.so"
        os.replace(so, os.path.join(folder, library))
        meta = {"format": FORMAT, "key": request.key, "fingerprint": request.fingerprint,
                "process": _process_part(), "source": request.source,
                "function": getattr(request.impl, "cache_name", None) or request.impl.py_func.__qualname__,
                "library": library, "library_sha256": library_sha,
                "entry_symbol": result["entry_symbol"], "ufunc_symbol": result["ufunc_symbol"],
                "imports": imports, "return_type": result["return_type"],
                "return_descriptor": bytes(result["return_descriptor"]).hex(), "typed_hir": result["typed_hir"],
                "parallel_report": list(result["parallel_report"]), "warnings": list(result["warnings"])}
        index = os.path.join(work, "index")
        with open(index, "w") as f:
            f.write(repr(meta))
        os.replace(index, os.path.join(folder, request.index_name()))
    _prune(request, folder)


def _prune(request, folder):
    """Removes entries of this function made from an older version of it by
    this build on this CPU (a cache folder shared by nodes of several kinds
    keeps each kind's entries), and old libraries no index refers to."""
    referenced = set()
    for path, meta in _indexes(folder, request.stem):
        if meta is None:
            continue
        if meta.get("fingerprint") != request.fingerprint and meta.get("process") == _process_part():
            _remove(path)
            if meta.get("library"):
                _remove(os.path.join(folder, meta["library"]))
        else:
            referenced.add(meta.get("library"))
    try:
        libraries = [n for n in os.listdir(folder) if n.startswith(request.stem + ".") and n.endswith(".so")]
    except OSError:
        return
    for name in libraries:
        path = os.path.join(folder, name)
        # A library no index names yet may be a racing writer's, whose index
        # comes next: only leftovers older than a minute go.
        if name not in referenced and _age(path) > 60:
            _remove(path)


def _age(path):
    import time

    try:
        return time.time() - os.path.getmtime(path)
    except OSError:
        return 0.0


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


# ---- python -m numjit.cache -----------------------------------------------------

def entries(roots):
    """(index path, metadata or None, bytes on disk) for every entry under `roots`."""
    found = []
    for root in roots:
        for folder, _, _ in os.walk(root):
            for path, meta in _indexes(folder):
                try:
                    size = os.path.getsize(path) + os.path.getsize(os.path.join(folder, meta["library"]))
                except Exception:
                    meta, size = None, os.path.getsize(path)
                found.append((path, meta, size))
    return found


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m numjit.cache", description="List or clear numjit's cache entries.")
    parser.add_argument("folders", nargs="*", help="folders to search (default: the current folder, "
                        "NUMJIT_CACHE_DIR and the per-user cache)")
    parser.add_argument("--clear", action="store_true", help="remove the entries found")
    args = parser.parse_args(argv)
    roots = args.folders or [r for r in (os.getcwd(), config.CACHE_DIR, _user_cache_root()) if r and os.path.isdir(r)]
    found = entries(roots)
    for path, meta, size in found:
        what = f"{meta['function']} ({meta['source']})" if meta else "damaged entry"
        print(f"{size:>10}  {what}  {path}")
        if args.clear:
            if meta:
                _remove(os.path.join(os.path.dirname(path), meta["library"]))
            _remove(path)
    print(f"{len(found)} entr{'y' if len(found) == 1 else 'ies'}" + (", removed" if args.clear else ""))


if __name__ == "__main__":
    main()
