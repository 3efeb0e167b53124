"""The Python side of a compiled function.

The object users hold is a ``numjit._dispatch.Dispatcher`` (C, vectorcall): it
calls compiled code directly when the argument types match a compiled
specialization. Everything else lands here: compiling a new specialization,
keyword arguments, converting arguments for eager signatures, and the
inspection API (``py_func``, ``signatures``, ``inspect_types`` ...), which the
C object forwards to this one.
"""
import ast
import builtins
import copy
import inspect
import linecache
import pickle
import sys
import typing
import warnings

import numpy as np

from . import (_attribute_stores, _builtin_calls, _closures, _dispatch, _function_arguments, _generators, _match,
               _objmode, _registry, config,
               decoration_errors, errors, serialize)
from . import stencil_fusion
from . import types as nt

_SCALAR_KINDS = _dispatch.scalar_kinds()
_compiler = None


def compiler():
    """The LLVM compiler module, loaded on the first compile (not at import)."""
    global _compiler
    if _compiler is None:
        from . import _compiler as module

        for name, address in _dispatch.runtime_symbols().items():
            module.define_runtime_symbol(name, address)
        _compiler = module
    return _compiler


def type_fingerprint(t):
    """The dispatcher's 32-bit code for a numjit type (see runtime/abi.h)."""
    if isinstance(t, nt.Array):
        return _dispatch.array_fingerprint(_SCALAR_KINDS[t.dtype.name], t.ndim, t.layout, t.readonly)
    if isinstance(t, nt.Tuple):
        return _dispatch.register_tuple([type_fingerprint(e) for e in t.elements],
                                        t.instance_class if isinstance(t, nt.NamedTuple) else None)
    if isinstance(t, nt.List):
        return _dispatch.register_list(type_fingerprint(t.item), isinstance(t, nt.ListType))
    if isinstance(t, nt.Set):
        return _dispatch.register_set(type_fingerprint(t.item))
    if isinstance(t, nt.DictType):
        return _dispatch.register_typed_dict(type_fingerprint(t.key), type_fingerprint(t.value))
    if isinstance(t, nt.StringLiteral):
        return _dispatch.register_string(t.text)
    if isinstance(t, nt.UnicodeType):
        return _dispatch.any_string_code
    if isinstance(t, nt.NumPyRandomGeneratorType):
        return _dispatch.fingerprint_bits["generator"]
    if isinstance(t, nt.Bytes):
        return _dispatch.fingerprint_bits["bytes"]
    return _SCALAR_KINDS[t.name]


def _read_bundle(dispatcher):
    """Called by the C++ front end to read any dispatcher's source bundle."""
    return dispatcher._impl.source_bundle()


class Overload:
    """One compiled specialization."""

    def __init__(self, arg_types, result, index):
        self.arg_types = tuple(arg_types)
        self.return_type = result["return_type"]
        self.typed_hir = result["typed_hir"]
        self.index = index
        self._keepalive = result["keepalive"]  # objects compiled code points at
        self.parallel_report = list(result["parallel_report"])


class DispatcherImpl:
    def __init__(self, py_func, options, signatures=None, source=None):
        """source: a serialize.SourceRecord carried by a pickle (None: read the file)."""
        self.options = dict(options)
        self.eager = signatures is not None
        self._signatures = list(signatures) if signatures is not None else None
        self.overloads = {}  # tuple of arg types -> Overload
        self._bundle = None
        self._source = source
        self._uuid = None  # names this function across processes once it is pickled by value
        # Generated code (a stencil's kernel) may give its syntax tree, with
        # the positions of the user's source it came from, so errors point there.
        self.definition = None
        self._numjit_dispatcher = True  # how the front end recognises callable jitted functions
        self.public = _dispatch.Dispatcher(self)
        if py_func is not None:
            self._attach(py_func)

    def _attach(self, py_func):
        """Binds the Python function (separate from __init__ because an unpickled
        function may refer to its own dispatcher, which must exist first)."""
        self.py_func = py_func
        self._python_signature = inspect.signature(py_func)
        kinds = [p.kind for p in self._python_signature.parameters.values()]
        self._varargs_at = kinds.index(inspect.Parameter.VAR_POSITIONAL) if inspect.Parameter.VAR_POSITIONAL in kinds \
            else None
        for attr in ("__name__", "__qualname__", "__module__", "__doc__"):
            setattr(self, attr, getattr(py_func, attr, None))
        self.__wrapped__ = py_func
        for sig in self._signatures or ():
            self.compile(self._parse_declared(sig).args)

    def _parse_declared(self, sig):
        """A signature given to the decorator; one that does not parse is
        reported at the decorator, with a caret under it."""
        try:
            return nt.parse_signature(sig)
        except TypeError as exc:
            raise decoration_errors.located(self.py_func, str(exc), signature=True) from None

    # ---- compiling -------------------------------------------------------

    def source_bundle(self):
        if self._bundle is None:
            self._bundle = _make_bundle(self.py_func, self._compile_options(), self.options, self.source_record(),
                                        self.definition)
        return self._bundle

    def source_record(self):
        """The function's serialize.SourceRecord, read once (raises UnsupportedError without one)."""
        if self._source is None:
            self._source = serialize.read_source(self.py_func)
        return self._source

    def _compile_options(self):
        o = self.options
        fastmath = o.get("fastmath", False)
        result = {
            "boundscheck": bool(o.get("boundscheck") or False),
            "error_model": o.get("error_model", "python"),
            "fastmath": bool(fastmath),
            "parallel": bool(o.get("parallel", False)),
            # (Off for GPU kernels, where libmvec's vector functions do not exist: cuda/ptx.py.)
            "vector_math": config.VECTOR_MATH and o.get("_vector_math", True),
            "inline_always": o.get("inline") == "always",
            # numjit's own library may read .ndim/.size/.shape of numbers
            # (np.ndim(2.0) is 0); user code may not (a Python float has none).
            "library_code": bool(getattr(self, "_numjit_library", False)),
        }
        if isinstance(fastmath, (set, frozenset, list, tuple)):
            result["fastmath_flags"] = sorted(fastmath)
        if result["parallel"]:
            result["parallel_array_min"] = config.PARALLEL_ARRAY_MIN
        return result

    def compile(self, arg_types):
        arg_types = tuple(arg_types)
        if arg_types in self.overloads:
            return self.overloads[arg_types]
        return self._add(arg_types, self.compile_result(arg_types))

    def compile_c_entry(self, arg_types, return_type):
        """@cfunc (numba_api.CFunc): compiles one specialization that also has a C
        entry point returning `return_type`; returns the compiler's result
        dict, whose "c_entry" is that entry's address. Calls from Python use
        the same code."""
        arg_types = tuple(arg_types)
        result = compiler().compile(_read_bundle, self.public, [str(t) for t in arg_types], False, config.DUMP,
                                    cfunc_return=str(return_type))
        # Pointers reach it only from C (Python calls go through .ctypes): no overload for the dispatcher.
        if arg_types not in self.overloads and not any(isinstance(t, (nt.CPointer, nt.RawPointer)) for t in arg_types):
            self._add(arg_types, result)
        return result

    def _add(self, arg_types, result):
        overload = Overload(arg_types, result, self.public._overload_count)
        self.public._add_overload([type_fingerprint(t) for t in arg_types], result["entry"],
                                  result["return_descriptor"], bool(self.options.get("nogil", False)),
                                  any(_holds_unaligned(t) for t in arg_types))
        self.overloads[arg_types] = overload
        # (Generated code may turn them off: see cuda/kernels.py.)
        for message in result["warnings"] if self.options.get("_race_warnings", True) else ():
            warnings.warn(message, errors.NumjitParallelSafetyWarning, stacklevel=3)
        if self.options.get("parallel") and not overload.parallel_report:
            warnings.warn(f"{self.__name__}: parallel=True was given but no prange loop was found to run in "
                          f"parallel; the function runs serially", errors.NumjitPerformanceWarning, stacklevel=3)
        return overload

    def compile_result(self, arg_types, ufunc_output=""):
        """Compiles one specialization (with cache=True, loads it from the
        cache when it can, else compiles and stores it); returns the
        compiler's result dict. ufunc_output: see vectorize.py."""
        names = [str(t) for t in arg_types]
        if not self.options.get("cache"):
            return compiler().compile(_read_bundle, self.public, names, False, config.DUMP, ufunc_output=ufunc_output)
        from . import cache  # only functions with cache=True pay for importing it

        request, result = cache.load(self, arg_types, ufunc_output)
        if result is None:
            cache.count_compile()
            result = compiler().compile(_read_bundle, self.public, names, False, config.DUMP,
                                        ufunc_output=ufunc_output, relocatable=True)
            cache.store(request, result)
        return result

    # ---- the slow call path ------------------------------------------------

    def _call_slow(self, *args, **kwargs):
        try:
            bound = self._python_signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{self.__name__}() {exc}") from None
        passed = len(bound.args)
        bound.apply_defaults()  # default values are passed like any argument
        if inspect.isgeneratorfunction(self.py_func) and not bound.kwargs:
            return iter(self._collector()(*bound.args))
        if bound.kwargs:
            # The front end refuses keyword-only parameters with their source
            # location; reading the function raises that error.
            self.compile([nt.typeof(value) for value in bound.args])
            raise TypeError(f"{self.__name__}() keyword-only arguments are not supported")
        args = _registry.compiled_forms(bound.args)
        functions = {i: value for i, value in enumerate(args[:self._varargs_at or len(args)])
                     if _function_arguments.is_function_argument(value)}
        if functions:  # jitted functions passed in: a variant with them bound (see _function_arguments)
            variant = _function_arguments.bound_variant(self, functions)
            return variant(*(value for i, value in enumerate(args) if i not in functions))
        # A trailing default that is no value compiled code can take (dtype=np.float64)
        # stays out: the compiled function fills it in itself, as a compile-time value.
        while len(args) > passed and self._varargs_at is None and nt.typeof(args[-1]) is None:
            args = args[:-1]
        if self._varargs_at is not None:
            # *args reach compiled code as one tuple.
            args = tuple(args[:self._varargs_at]) + (tuple(args[self._varargs_at:]),)
        arg_types = self._runtime_strings([nt.typeof(value) for value in args])
        if None in arg_types:
            # The compiler reports the parameter with its source location.
            names = [str(t) if t is not None else f"pyobject({_describe_object(v)})" for t, v in zip(arg_types, args)]
            compiler().compile(_read_bundle, self.public, names, False, [])
        if self.eager:
            return self._call_eager(args, arg_types)
        overload = self.compile(arg_types)
        return self.public._call_overload(overload.index, tuple(args))

    def _runtime_strings(self, arg_types):
        """str arguments as run-time strings (unicode_type), as Numba types
        them, so one compile serves every text. A function that needs a text
        as a constant (a mode argument a NumPy function reads while compiling)
        fails to compile so; it then takes its str arguments as constants, one
        specialization per text, from then on."""
        if self.eager or getattr(self, "_literal_strings", False) or \
                not any(isinstance(t, nt.StringLiteral) for t in arg_types):
            return arg_types
        runtime = tuple(nt.unicode_type if isinstance(t, nt.StringLiteral) else t for t in arg_types)
        if runtime in self.overloads:
            return list(runtime)
        try:
            self.compile(runtime)
        except (errors.TypingError, errors.UnsupportedError):
            self._literal_strings = True
            return arg_types
        return list(runtime)

    def _collector(self):
        """A generator function called from Python: a jitted function that runs
        it in a compiled loop and returns the list of what it yields (so the
        generator must end), which the call iterates over."""
        if getattr(self, "_collect", None) is None:
            params = ", ".join(self._python_signature.parameters)
            name = f"collect_{self.__name__}"
            source = (f"def {name}({params}):\n    out = []\n    for value in generator({params}):\n"
                      f"        out.append(value)\n    return out\n")
            filename = f"<numjit: the values of generator {self.__qualname__}>"
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            namespace = {"generator": self.public}
            exec(compile(source, filename, "exec"), namespace)
            self._collect = DispatcherImpl(namespace[name], self.options).public
        return self._collect

    def _call_eager(self, args, arg_types):
        for overload in list(self.overloads.values()):
            converted = _convert_args(args, arg_types, overload.arg_types)
            if converted is not None:
                # Unaligned arrays run a byte-aligned variant of the declared signature.
                declared = tuple(d.copy(aligned=False) if isinstance(d, nt.Array) and not a.aligned else d
                                 for d, a in zip(overload.arg_types, arg_types))
                if declared != overload.arg_types:
                    overload = self.compile(declared)
                return self.public._call_overload(overload.index, converted)
        wanted = ", ".join(str(t) for t in arg_types)
        have = "\n".join("  " + ", ".join(str(t) for t in o.arg_types) for o in self.overloads.values())
        raise TypeError(f"No matching definition for argument type(s) {wanted}; {self.__name__} was compiled for:\n{have}")

    # ---- inspection (Numba's API) ------------------------------------------

    @property
    def signatures(self):
        return [o.arg_types for o in self.overloads.values()]

    @property
    def nopython_signatures(self):
        return [nt.Signature(o.return_type, o.arg_types) for o in self.overloads.values()]

    def inspect_types(self, file=None, signature=None, pretty=False):
        out = file or sys.stdout
        for arg_types, overload in self.overloads.items():
            if signature is None or tuple(signature) == arg_types:
                print(overload.typed_hir, file=out)

    def _inspect(self, key, signature):
        wanted = [signature] if signature is not None else list(self.overloads)
        return {tuple(sig): compiler().compile(_read_bundle, self.public, [str(t) for t in sig], True, [])[key]
                for sig in wanted}

    def inspect_llvm(self, signature=None):
        found = self._inspect("llvm_ir", signature)
        return found[tuple(signature)] if signature is not None else found

    def inspect_asm(self, signature=None):
        found = self._inspect("asm", signature)
        return found[tuple(signature)] if signature is not None else found

    def parallel_diagnostics(self, signature=None, level=1):
        """Prints which prange loops ran in parallel and the reductions found, per signature."""
        for arg_types, overload in self.overloads.items():
            if signature is not None and tuple(signature) != arg_types:
                continue
            print(f"Parallel diagnostics for {self.__name__}{arg_types}:")
            for line in overload.parallel_report or ["no loop runs in parallel"]:
                print("  " + line)

    def recompile(self):
        """Compiles every known specialization again (e.g. after globals changed)."""
        known = list(self.overloads)
        self.overloads.clear()
        self.public._clear_overloads()
        self._bundle = None
        for arg_types in known:
            self.compile(arg_types)

    def __repr__(self):
        return f"CPUDispatcher({self.py_func!r})"

    def _reduce(self):
        """How a dispatcher pickles (see serialize.py): by reference when its
        module exposes it under its qualified name, else by value with its
        source, options and signatures. The receiving process compiles on first
        call (eager signatures at once), from the source the pickle carries."""
        if serialize.importable_as(self.public, self.__module__, self.__qualname__):
            return (serialize.import_object, (self.__module__, self.__qualname__))
        key = serialize.object_uuid(self)
        serialize.remember("dispatcher", key, self.public)
        try:
            source = tuple(self.source_record())
        except errors.UnsupportedError:
            source = None  # the receiver reports the missing source if it compiles
        state = serialize.new_state(uuid=key, options=self.options, signatures=self._signatures, source=source,
                                    function=serialize.dump_function(self.public, key, self.py_func))
        return (_rebuild_dispatcher, (state,))


# numjit.library builds its jitted functions with this class but cannot import
# this module: compiling reaches the library's functions (through the
# known-objects table), so that import would close a cycle.
_registry.register_dispatcher_class(DispatcherImpl)


def _rebuild_dispatcher(state):
    serialize.check_payload("jitted function", state, ("uuid", "options", "signatures", "source", "function"))
    existing = serialize.known("dispatcher", state["uuid"])
    if existing is not None:
        return existing  # unpickled before in this process, or pickled from it: compiled code is reused
    source = serialize.SourceRecord(*state["source"]) if state["source"] is not None else None
    impl = DispatcherImpl(None, state["options"], state["signatures"], source=source)
    impl._uuid = state["uuid"]
    try:
        py_func = serialize.load_function(impl.public, state["uuid"], state["function"])
    except Exception as exc:
        raise pickle.UnpicklingError(f"cannot unpickle a numjit jitted function: its Python function does not "
                                     f"load ({type(exc).__name__}: {exc})") from exc
    if not callable(py_func):
        raise pickle.UnpicklingError("cannot unpickle a numjit jitted function: the pickle holds no function")
    impl._attach(py_func)
    serialize.remember("dispatcher", state["uuid"], impl.public)
    return impl.public


def _holds_unaligned(t):
    if isinstance(t, nt.Array):
        return not t.aligned
    if isinstance(t, nt.Tuple):
        return any(_holds_unaligned(e) for e in t.elements)
    return isinstance(t, nt.List) and _holds_unaligned(t.item)


def _describe_object(value):
    if isinstance(value, list):
        return "Python list whose items are not all numbers of one type or arrays of one dtype and rank"
    if isinstance(value, _dispatch.TypedContainer):  # one that has no container yet
        kind = type(value).__name__
        return (f"numjit.typed.{kind} with no item type yet (empty, and made without one: use "
                + ("typed.List.empty_list(item_type)" if kind == "List" else "typed.Dict.empty(key_type, value_type)")
                + ", or store an item first)")
    if type(value) is set:
        return "Python set whose items are not all numbers of one type, or all str" if value else "empty Python set"
    if isinstance(value, np.ndarray) and nt.overrides_ndarray(type(value)):
        return (f"{type(value).__module__}.{type(value).__qualname__}, an ndarray subclass that changes how "
                "the array behaves (compiled code would read only its data); pass np.asarray(x), or "
                "x.filled(...) for a masked array")
    if isinstance(value, np.ndarray):
        return f"NumPy array of dtype {value.dtype}" + ("" if value.dtype.isnative else " (non-native byte order)")
    return f"Python {type(value).__name__}"


def _convert_args(args, actual, declared):
    """Converts arguments to an eager signature's types, or returns None if they do not fit."""
    if len(actual) != len(declared):
        return None
    out = []
    for value, have, want in zip(args, actual, declared):
        if isinstance(want, nt.Array):
            if not isinstance(have, nt.Array) or (have.dtype, have.ndim) != (want.dtype, want.ndim):
                return None
            if want.layout not in ("A", have.layout) or (have.readonly and not want.readonly):
                return None
            out.append(value)
        elif isinstance(have, nt.Array) or want == nt.none or have == nt.none:
            if want != have:
                return None
            out.append(value)
        else:
            if np.dtype(have.dtype).kind == "c" and np.dtype(want.dtype).kind != "c":
                return None
            out.append(want.dtype.type(value))
    return tuple(out)


def _find_function(tree, py_func, first_line=1, indent=0):
    """The FunctionDef of py_func in its source; a lambda becomes `def <lambda>(...): return body`.
    Of several lambdas with its parameters (`f, g = njit(lambda x: x + 1), njit(lambda x: x * 2)`),
    the one whose body holds the code's own source positions."""
    if tree is not None:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        params = list(py_func.__code__.co_varnames[:py_func.__code__.co_argcount])
        lambdas = [node for node in ast.walk(tree)
                   if isinstance(node, ast.Lambda) and [a.arg for a in node.args.args] == params]
        if len(lambdas) > 1:
            lambdas = [_lambda_holding(lambdas, py_func, first_line, indent)]
        for node in lambdas:
            body = ast.Return(value=node.body)
            ast.copy_location(body, node.body)
            function_def = ast.FunctionDef(name="<lambda>", args=node.args, body=[body], decorator_list=[],
                                           returns=None, type_params=[])
            return ast.copy_location(function_def, node)
    raise errors.UnsupportedError(
        f"cannot find the source of {py_func.__qualname__}: numjit compiles from source, and a lambda "
        f"must stand on lines that parse on their own (e.g. `f = njit(lambda x: x + 1)`)")


def _lambda_holding(lambdas, py_func, first_line, indent):
    """The lambda whose body's span holds the source positions of py_func's
    instructions (file lines and columns); refused when none or several do."""
    positions = [(line, column) for line, _, column, end_column in py_func.__code__.co_positions()
                 if line is not None and column is not None and end_column is not None and end_column > column]

    def holds(node):
        start = (node.body.lineno + first_line - 1, node.body.col_offset + indent)
        end = (node.body.end_lineno + first_line - 1, node.body.end_col_offset + indent)
        return bool(positions) and all(start <= p <= end for p in positions)

    holding = [node for node in lambdas if holds(node)]
    if len(holding) != 1:
        raise errors.UnsupportedError(
            f"cannot tell which of {len(lambdas)} lambdas on these lines is {py_func.__qualname__}: "
            f"give each its own line")
    return holding[0]


class SourceBundle(typing.NamedTuple):
    """What the front end reads a function from (src/numjit/frontend/frontend.h)."""
    function_def: ast.FunctionDef  # the function's syntax tree, line numbers of the file
    filename: str
    first_line: int
    lines: list                    # the function's source lines, as in the file
    indent: int                    # columns its lines were dedented by before parsing
    globals: dict
    closure: dict                  # free variables' values (and lifted inner functions)
    known_objects: dict            # _registry.known_objects()
    builtins: dict
    options: dict                  # compile options (see _compile_options)
    defaults: tuple = ()           # the values of the parameters' defaults (__defaults__)


def _definition_of(py_func, source=None):
    """The FunctionDef of a function, read from its source, with the line numbers of its file."""
    source = source or serialize.read_source(py_func)
    lines = list(source.lines)
    indent = len(lines[0]) - len(lines[0].lstrip())
    stripped = [line[indent:] if line[:indent].strip() == "" else line.lstrip() for line in lines]
    try:
        tree = ast.parse("".join(stripped))
    except SyntaxError:
        tree = None  # a lambda inside a larger expression: its lines alone do not parse
    function_def = _find_function(tree, py_func, source.first_line, indent)
    ast.increment_lineno(function_def, source.first_line - 1)
    return function_def


def _make_bundle(py_func, options, raw_options, source, definition=None):
    """The front end's view of a Python function (see src/numjit/frontend/frontend.h).
    `definition`: its syntax tree, given rather than read from `source` (whose
    lines it still points into)."""
    lines, first_line, filename = list(source.lines), source.first_line, source.filename
    indent = len(lines[0]) - len(lines[0].lstrip())
    if definition is not None:
        function_def = copy.deepcopy(definition)
        ast.increment_lineno(function_def, first_line - 1)
    else:
        function_def = _definition_of(py_func, source)
    closure = {}
    for name, cell in zip(py_func.__code__.co_freevars, py_func.__closure__ or ()):
        try:
            closure[name] = cell.cell_contents
        except ValueError:
            pass  # not yet assigned: the front end reports the name if it is used

    def bundle_for(definition, defaults=()):
        return SourceBundle(definition, filename, first_line, lines, indent, py_func.__globals__, closure,
                            _registry.known_objects(), builtins.__dict__, options, defaults)

    def make_dispatcher(definition):
        """A jitted function for an inner function lifted out of this one."""
        namespace = {}
        stub = ast.Module(body=[ast.FunctionDef(name=definition.name, args=definition.args,
                                                body=[ast.Pass()], decorator_list=[], returns=None, type_params=[])],
                          type_ignores=[])
        exec(compile(ast.fix_missing_locations(stub), filename, "exec"), namespace)
        impl = DispatcherImpl(namespace[definition.name], {k: v for k, v in raw_options.items() if k != "_cuda_thread"})
        impl.__qualname__ = f"{py_func.__qualname__}.<locals>.{definition.name}"
        inner = _closures.lift_inner_functions(definition, make_dispatcher)
        impl._bundle = bundle_for(definition)
        if inner:
            impl._bundle.closure.update(inner)
        return impl.public

    def lookup(name):
        return closure[name] if name in closure else py_func.__globals__.get(name)

    # match statements become if statements (see _match).
    _match.rewrite_match_statements(function_def)
    _attribute_stores.rewrite_attribute_stores(function_def)
    if "_cuda_thread" in raw_options:  # a CUDA kernel or device function, run as one thread (cuda/rewrite.py)
        _rewrite_cuda_thread(function_def, lookup, raw_options["_cuda_thread"], closure, source, indent,
                             py_func.__name__)
    # objmode blocks become Python functions of their own, before any rewrite reads their bodies.
    closure.update(_objmode.extract_objmode_blocks(function_def, lookup, _closures.local_names(function_def),
                                                   set(py_func.__code__.co_freevars), py_func.__globals__,
                                                   filename, type_fingerprint))
    # Generators are inlined into the loops that consume them (see _generators).
    _generators.generator_expressions_as_lists(function_def)
    closure.update(_generators.inline_generators(function_def, lookup, _closures.local_names(function_def),
                                                 _definition_of))
    local = _closures.local_names(function_def)
    # A stencil and the arithmetic around its call run as one loop.
    closure.update(stencil_fusion.fuse_stencils(function_def, lookup, local))

    def error_at(node, message):
        return located_error(py_func.__name__, source, indent, node, message, errors.UnsupportedError)

    # The rewrites modules built on jitted functions register (they import this module, so it cannot
    # import them): pndindex loops, allocations of structured arrays.
    for rewrite in _registry.source_rewrites:
        closure.update(rewrite(function_def, lookup, local, raw_options, error_at))
    closure.update(_builtin_calls.rewrite_builtin_calls(function_def, lookup, local))
    # Inner functions and named lambdas become jitted functions of their own.

    closure.update(_closures.lift_inner_functions(function_def, make_dispatcher, error_at))
    return bundle_for(function_def, py_func.__defaults__ or ())


def located_error(name, source, indent, node, message, cls=errors.TypingError):
    """`cls` pointing at `node` of a function's tree as _make_bundle holds it
    (lines of the file, columns of the dedented text)."""
    relative = copy.copy(node)  # at_node reads positions within the function's own lines
    relative.lineno = node.lineno - source.first_line + 1
    relative.end_lineno = getattr(node, "end_lineno", node.lineno) - source.first_line + 1
    return decoration_errors.at_node(name, source, relative, indent, message, cls)


def _rewrite_cuda_thread(function_def, lookup, thread, closure, source, indent, name):
    from .cuda import inline_barriers, rewrite

    def error_at(node, message, cls=errors.TypingError):
        return located_error(name, source, indent, node, message, cls)

    closure["__numjit_numpy"] = np
    if not thread.device and not thread.gpu:  # barriers.py cuts the kernel at barriers of its own only
        closure.update(inline_barriers.inline_device_barriers(function_def, lookup, _definition_of, error_at))
    closure.update(rewrite.rewrite_thread_function(function_def, lookup, _closures.local_names(function_def), error_at,
                                                   thread))
