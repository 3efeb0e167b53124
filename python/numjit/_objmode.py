"""`with objmode(y='float64[:]'):` blocks in compiled code.

Before the front end reads a function, each such block is cut out into a
plain Python function of its own: its parameters are the function's
variables the block reads, and it returns the declared variables, each
converted to its declared type (a number to that NumPy scalar type; an array
checked for its dtype, dimensions and layout). The block is replaced by
`(y,) = <that function>(x, ...)`. Compiled code calls it through the
runtime (`numjit_rt_call_python`): the arguments are boxed as a result
would be, the function runs in the interpreter with the GIL held, and its
tuple is unboxed with the declared types (lower/lower_objmode.cpp,
bindings/call_python.cpp). An exception it raises reaches the caller of the
compiled function as that same exception.

As in Numba, a variable the block assigns that the function uses elsewhere
must be declared, and the block may not return, break or continue.
"""
import ast
import types as pytypes

import numpy as np

from . import errors
from . import types as nt

_FUNCTION = "__numjit_objmode_{}"


def _is_objmode(node, lookup):
    """Whether a with-item's context expression is a call of numjit.objmode."""
    if not isinstance(node, ast.Call):
        return False
    callee = node.func
    if isinstance(callee, ast.Name):
        target = lookup(callee.id)
    elif isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name):
        target = getattr(lookup(callee.value.id), callee.attr, None)
    else:
        return False
    return getattr(target, "_numjit_objmode", False)


def _declared_type(name, value, where):
    if isinstance(value, str):
        try:
            parsed = nt.parse_signature(value)
        except TypeError as exc:
            raise errors.TypingError(f"{where}: objmode's type for {name!r} is not a type: {exc}") from None
        if len(parsed.args) != 1:
            raise errors.TypingError(f"{where}: objmode's type for {name!r} must be one type, not {value!r}")
        value = parsed.args[0]
    if not isinstance(value, nt.Type):
        raise errors.TypingError(f"{where}: objmode's type for {name!r} must be a type or its name, not {value!r}")
    _converter(value, name, where)  # refuses types that cannot come back
    return value


def _converter(t, name, where):
    """A function giving the Python value of declared type `t` exactly the
    representation unboxing it expects, or raising TypeError."""
    if isinstance(t, nt.Scalar):
        return np.dtype(t.dtype).type
    if isinstance(t, nt.UnicodeType):
        return str
    if isinstance(t, nt.Array):
        dtype, ndim, layout = t.dtype.dtype, t.ndim, t.layout

        def check_array(value):
            ok = isinstance(value, np.ndarray) and value.dtype == dtype and value.ndim == ndim
            ok = ok and value.flags.aligned and value.dtype.isnative and (t.readonly or value.flags.writeable)
            ok = ok and (layout == "A" or value.flags.c_contiguous if layout == "C" else
                         layout == "A" or value.flags.f_contiguous)
            if not ok:
                raise TypeError(f"objmode: {name!r} is declared {t} but the block gave "
                                f"{getattr(value, 'dtype', type(value).__name__)!s}"
                                f"{' array of %d dimensions' % value.ndim if isinstance(value, np.ndarray) else ''}")
            return value

        return check_array
    if isinstance(t, nt.Tuple) and not isinstance(t, nt.NamedTuple):
        parts = [_converter(e, name, where) for e in t.elements]

        def convert_tuple(value):
            if not isinstance(value, tuple) or len(value) != len(parts):
                raise TypeError(f"objmode: {name!r} is declared {t} but the block gave {value!r}")
            return tuple(convert(v) for convert, v in zip(parts, value))

        return convert_tuple
    raise errors.UnsupportedError(f"{where}: objmode cannot return {name!r} of type {t} yet (numbers, strings, "
                                  f"arrays and tuples of those can)")


def _assigned(nodes):
    names = set()
    for node in nodes:
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                names.add(n.id)
    return names


def _loaded(nodes):
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def extract_objmode_blocks(function_def, lookup, local, free_names, module_globals, filename, type_fingerprint):
    """Rewrites `function_def` in place (see the module's docstring); returns the
    names of the functions made, for the closure. `type_fingerprint` gives the
    dispatcher's code of a type (how the results are unboxed)."""
    made = {}

    class Blocks(ast.NodeTransformer):
        def __init__(self):
            self.loops = []

        def visit_For(self, node):
            self.loops.append(node)
            self.generic_visit(node)
            self.loops.pop()
            return node

        def visit_With(self, node):
            if len(node.items) != 1 or not _is_objmode(node.items[0].context_expr, lookup):
                self.generic_visit(node)
                return node
            where = f"{filename}:{node.lineno}"
            for loop in self.loops:
                iterable = loop.iter
                if isinstance(iterable, ast.Call) and "prange" in ast.unparse(iterable.func):
                    raise errors.UnsupportedError(f"{where}: objmode blocks cannot run inside a prange loop "
                                                  f"(the interpreter runs one thread at a time)")
            call = node.items[0].context_expr
            if call.args:
                raise errors.TypingError(f"{where}: objmode takes the declared variables as keywords, "
                                         f"objmode(y='float64[:]')")
            return _extract(node, call, where)

    def _extract(node, call, where):
        for n in ast.walk(ast.Module(body=node.body, type_ignores=[])):
            if isinstance(n, (ast.Return, ast.Break, ast.Continue, ast.Yield)):
                raise errors.UnsupportedError(f"{filename}:{n.lineno}: an objmode block cannot "
                                              f"{type(n).__name__.lower()}")
        declared = {}
        for keyword in call.keywords:
            value = ast.literal_eval(keyword.value) if isinstance(keyword.value, ast.Constant) else \
                _evaluate(keyword.value, lookup)
            declared[keyword.arg] = _declared_type(keyword.arg, value, where)
        assigned = _assigned(node.body)
        outside = _names_outside(function_def, node)
        for name in sorted(assigned - set(declared)):
            if name in outside:
                raise errors.TypingError(f"{where}: the objmode block assigns {name!r}, which the function uses "
                                         f"elsewhere: declare its type, objmode({name}='float64')")
        # What the block reads that the function holds: its locals bound outside the block (the block's
        # own new variables are not yet bound), and the closure's.
        bound_outside = _names_outside(function_def, node, stores_only=True)
        inputs = sorted(n for n in _loaded(node.body)
                        if (n in local and (n not in assigned or n in bound_outside)) or n in free_names)
        name = _FUNCTION.format(len(made))
        outputs = list(declared)
        # The converters are parameters with defaults, so the block's globals stay its module's own.
        converters = {f"__numjit_convert_{k}": _converter(declared[k], k, where) for k in outputs}
        returned = ast.Tuple([ast.Call(ast.Name(c, ast.Load()), [ast.Name(k, ast.Load())], [])
                              for c, k in zip(converters, outputs)], ast.Load())
        parameters = ast.arguments(posonlyargs=[], args=[ast.arg(a) for a in [*inputs, *converters]], kwonlyargs=[],
                                   kw_defaults=[], defaults=[ast.Name(c, ast.Load()) for c in converters])
        definition = ast.FunctionDef(name=name, args=parameters,
                                     body=list(node.body) + ([ast.Return(returned)] if outputs else []),
                                     decorator_list=[], returns=None, type_params=[])
        ast.copy_location(definition, node)
        module = ast.fix_missing_locations(ast.Module(body=[definition], type_ignores=[]))
        namespace = {}
        exec(compile(module, filename, "exec"), {"__builtins__": module_globals.get("__builtins__"), **converters},
             namespace)
        made_here = namespace[name]
        block = pytypes.FunctionType(made_here.__code__, module_globals, name, made_here.__defaults__)
        result = nt.Tuple(*(declared[k] for k in outputs)) if outputs else nt.none
        block._numjit_objmode_result = str(result)
        block._numjit_objmode_code = type_fingerprint(result) if outputs else 0
        made[name] = block
        invoke = ast.Call(ast.Name(name, ast.Load()), [ast.Name(a, ast.Load()) for a in inputs], [])
        if outputs:
            target = ast.Tuple([ast.Name(k, ast.Store()) for k in outputs], ast.Store())
            replacement = ast.Assign(targets=[target], value=invoke)
        else:
            replacement = ast.Expr(invoke)
        return ast.fix_missing_locations(ast.copy_location(replacement, node))

    Blocks().visit(function_def)
    return made


def _names_outside(function_def, block, stores_only=False):
    """The names the function reads or assigns (or only assigns, parameters
    included) anywhere but in `block`."""
    names = {a.arg for a in ast.walk(function_def.args) if isinstance(a, ast.arg)} if stores_only else set()
    pending = [function_def]
    while pending:
        node = pending.pop()
        if node is block:
            continue
        if isinstance(node, ast.Name) and (not stores_only or isinstance(node.ctx, ast.Store)):
            names.add(node.id)
        pending.extend(ast.iter_child_nodes(node))
    return names


def _evaluate(node, lookup):
    """The value of a type expression in an objmode keyword (types.float64[:], a name)."""
    names = {n.id: lookup(n.id) for n in ast.walk(node) if isinstance(n, ast.Name)}
    return eval(compile(ast.Expression(node), "<objmode type>", "eval"), {"__builtins__": {}}, names)


class objmode:
    """``with objmode(x='float64'):`` runs its body in the interpreter, the
    declared variables coming back to compiled code with those types
    (python/numjit/_objmode.py). In Python (``.py_func``, NUMBA_DISABLE_JIT)
    the block simply runs."""

    _numjit_objmode = True  # how _objmode recognises the context manager

    def __init__(self, *args, **annotations):
        self.annotations = annotations

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
