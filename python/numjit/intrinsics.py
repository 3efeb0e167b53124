"""``@intrinsic``: functions whose body is built while compiling.

Numba's intrinsics receive llvmlite's IR builder. numjit does not build code
with llvmlite, and exposing its own LLVM module to Python would tie user code
to LLVM's C++ API, which changes with every release. Its builder builds
numjit's own IR instead: each operation returns a `Value` standing for a
typed expression over the intrinsic's arguments, and the value the codegen
function returns becomes the body of a small jitted function, which the
compiler types, inlines and optimizes like any other. The operations keep
the machine semantics their names promise (`sdiv` truncates toward zero as
C does, `lshr` shifts in zeros, `trunc` wraps), so an intrinsic written for
bits and overflow behaves as written.

    @intrinsic
    def add_one(typingctx, x):
        def codegen(context, builder, signature, args):
            return builder.add(args[0], context.get_constant(signature.args[0], 1))
        return signature_of(x, x), codegen      # or x(x), as in Numba

`context.compile_internal(builder, function, signature, args)` calls a
Python function compiled by numjit, the way most Numba intrinsics reach
for NumPy or math. What the builder offers is listed on `Builder`; there are
no pointers, allocas or raw LLVM types (numjit's arrays and tuples are
reached through `load`/`store` by index and `extract_value`).
"""
import ast
import itertools

import numpy as np

from . import errors
from . import types as nt

_names = itertools.count()


def signature(return_type, *args):
    """Numba's ``numba.core.typing.signature(return_type, *arg_types)``."""
    return nt.Signature(return_type, args)


class Value:
    """An expression the builder made (or an argument), and its type when known."""

    def __init__(self, node, type_=None):
        self.node, self.type = node, type_

    def __repr__(self):
        return f"<intrinsic value {ast.unparse(self.node)}: {self.type}>"


class _Body:
    """The statements and names a codegen function's operations need."""

    def __init__(self):
        self.statements = []
        self.namespace = {"_np": np}

    def emit(self, node, type_=None):
        """Each operation's value is computed where the operation stands (as an
        IR builder's are), so a load before a store reads the old value."""
        name = f"_v{next(_names)}"
        self.statements.append(ast.Assign([ast.Name(name, ast.Store())], node))
        return Value(ast.Name(name, ast.Load()), type_)

    def name_of(self, obj, prefix):
        name = f"_{prefix}{next(_names)}"
        self.namespace[name] = obj
        return ast.Name(name, ast.Load())


def _node(value):
    if isinstance(value, Value):
        return value.node
    return ast.Constant(value)


def _call(function_node, *values):
    return ast.Call(function_node, [_node(v) for v in values], [])


def _numpy(name):
    return ast.Attribute(ast.Name("_np", ast.Load()), name, ast.Load())


def _scalar_name(t):
    return "bool_" if str(t) == "bool" else str(t)


class Context:
    """Numba's target context, as far as intrinsics use it."""

    def __init__(self, body):
        self._body = body

    def get_constant(self, type_, value):
        """A constant of a numjit type (a number, or a tuple of numbers)."""
        if isinstance(type_, nt.Scalar):
            return Value(_call(_numpy(_scalar_name(type_)), value), type_)
        return Value(ast.Constant(value), type_)

    def get_dummy_value(self):
        return Value(ast.Constant(None), nt.none)

    def cast(self, builder, value, from_type, to_type):
        """`value` converted to `to_type`, as an assignment in compiled code converts."""
        if not isinstance(to_type, nt.Scalar):
            return value
        return Value(_call(_numpy(_scalar_name(to_type)), value), to_type)

    def compile_internal(self, builder, function, sig, args, locals=None):
        """A call of the Python function `function`, compiled by numjit, with `args`."""
        from .decorators import njit

        callee = self._body.name_of(njit(function), "call")
        return self._body.emit(_call(callee, *args), sig.return_type if isinstance(sig, nt.Signature) else None)


# Integer operations with C's meaning, where Python's differs: compiled once, on first use.
def _c_sdiv(a, b):  # truncation toward zero
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _c_srem(a, b):  # the remainder takes the dividend's sign
    r = abs(a) % abs(b)
    return r if a >= 0 else -r


_C_OPERATIONS = {}


def _c_operation(function):
    if function not in _C_OPERATIONS:
        from .decorators import njit

        _C_OPERATIONS[function] = njit(inline="always")(function)
    return _C_OPERATIONS[function]


_COMPARE = {"==": ast.Eq, "!=": ast.NotEq, "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE}


class Builder:
    """Operations of numjit's intrinsic builder (each returns a `Value`):

    - arithmetic: ``add sub mul`` (integers, wrapping) and ``fadd fsub fmul fdiv frem``;
      ``sdiv srem`` (C's truncating division), ``udiv urem``, ``neg fneg``;
    - bits: ``and_ or_ xor not_ shl ashr lshr``;
    - comparisons: ``icmp_signed(op, a, b)``, ``icmp_unsigned``, ``fcmp_ordered``,
      ``fcmp_unordered`` with op one of ``== != < <= > >=``;
    - ``select(condition, a, b)``;
    - conversions to a numjit type: ``trunc zext sext fptrunc fpext fptosi fptoui sitofp
      uitofp bitcast`` (a bitcast reinterprets the bits, as ``np.view`` does);
    - ``extract_value(tuple, index)``, ``load(array, index)``, ``store(value, array, index)``;
    - ``call(function, args)``: a jitted function, or a Python function compiled for the call.
    """

    def __init__(self, body):
        self._body = body

    def _emit(self, node, type_=None):
        return self._body.emit(node, type_)

    def _binary(self, op, a, b):
        return self._emit(ast.BinOp(_node(a), op(), _node(b)), getattr(a, "type", None))

    def add(self, a, b, name=""):
        return self._binary(ast.Add, a, b)

    fadd = add

    def sub(self, a, b, name=""):
        return self._binary(ast.Sub, a, b)

    fsub = sub

    def mul(self, a, b, name=""):
        return self._binary(ast.Mult, a, b)

    fmul = mul

    def fdiv(self, a, b, name=""):
        return self._binary(ast.Div, a, b)

    def frem(self, a, b, name=""):
        return self._emit(_call(_numpy("fmod"), a, b), getattr(a, "type", None))

    def sdiv(self, a, b, name=""):
        return self._emit(_call(self._body.name_of(_c_operation(_c_sdiv), "sdiv"), a, b), a.type)

    def srem(self, a, b, name=""):
        return self._emit(_call(self._body.name_of(_c_operation(_c_srem), "srem"), a, b), a.type)

    def udiv(self, a, b, name=""):
        return self._binary(ast.FloorDiv, a, b)

    def urem(self, a, b, name=""):
        return self._binary(ast.Mod, a, b)

    def neg(self, a, name=""):
        return self._emit(ast.UnaryOp(ast.USub(), _node(a)), a.type)

    fneg = neg

    def and_(self, a, b, name=""):
        return self._binary(ast.BitAnd, a, b)

    def or_(self, a, b, name=""):
        return self._binary(ast.BitOr, a, b)

    def xor(self, a, b, name=""):
        return self._binary(ast.BitXor, a, b)

    def not_(self, a, name=""):
        return self._emit(ast.UnaryOp(ast.Invert(), _node(a)), a.type)

    def shl(self, a, b, name=""):
        return self._binary(ast.LShift, a, b)

    def ashr(self, a, b, name=""):
        return self._binary(ast.RShift, a, b)

    def lshr(self, a, b, name=""):
        """Zeros shift in: the shift of the bits read as unsigned, read back as the type."""
        t = a.type
        if isinstance(t, nt.Scalar) and str(t).startswith("int"):
            unsigned = "u" + str(t)
            shifted = self._binary(ast.RShift, self.bitcast(a, getattr(nt, unsigned)), b)
            return self.bitcast(shifted, t)
        return self._binary(ast.RShift, a, b)

    def _compare(self, op, a, b):
        if op not in _COMPARE:
            raise errors.TypingError(f"@intrinsic: unknown comparison {op!r} (use one of {', '.join(_COMPARE)})")
        return self._emit(ast.Compare(_node(a), [_COMPARE[op]()], [_node(b)]), nt.boolean)

    def icmp_signed(self, op, a, b, name=""):
        return self._compare(op, a, b)

    def icmp_unsigned(self, op, a, b, name=""):
        return self._compare(op, self._unsigned(a), self._unsigned(b))

    def fcmp_ordered(self, op, a, b, name=""):
        return self._compare(op, a, b)

    def fcmp_unordered(self, op, a, b, name=""):
        """True when either operand is NaN, else the comparison."""
        either_nan = ast.BoolOp(ast.Or(), [ast.Compare(_node(x), [ast.NotEq()], [_node(x)]) for x in (a, b)])
        return self._emit(ast.BoolOp(ast.Or(), [either_nan, self._compare(op, a, b).node]), nt.boolean)

    def _unsigned(self, a):
        t = a.type
        if isinstance(t, nt.Scalar) and str(t).startswith("int"):
            return self.bitcast(a, getattr(nt, "u" + str(t)))
        return a

    def select(self, condition, a, b, name=""):
        return self._emit(ast.IfExp(_node(condition), _node(a), _node(b)), getattr(a, "type", None))

    def _convert(self, a, to_type):
        return self._emit(_call(_numpy(_scalar_name(to_type)), a), to_type)

    trunc = zext = sext = fptrunc = fpext = fptosi = fptoui = sitofp = uitofp = \
        lambda self, a, to_type, name="": self._convert(a, to_type)

    def bitcast(self, a, to_type, name=""):
        """The same bits read as `to_type` (of the same width)."""
        if not isinstance(a.type, nt.Scalar) or np.dtype(a.type.dtype).itemsize != np.dtype(to_type.dtype).itemsize:
            raise errors.TypingError(f"@intrinsic: bitcast needs two numbers of one width, not {a.type} and {to_type}")
        # A one-element array holds the bits, and a view of it reads them as the other type.
        cell = f"_bits{next(_names)}"
        self._body.statements.append(ast.Assign([ast.Name(cell, ast.Store())],
                                                _call(_numpy("empty"), 1, Value(_numpy(_scalar_name(a.type))))))
        self._body.statements.append(ast.Assign([ast.Subscript(ast.Name(cell, ast.Load()), ast.Constant(0),
                                                               ast.Store())], _node(a)))
        view = ast.Call(ast.Attribute(ast.Name(cell, ast.Load()), "view", ast.Load()),
                        [_numpy(_scalar_name(to_type))], [])
        return self._emit(ast.Subscript(view, ast.Constant(0), ast.Load()), to_type)

    def extract_value(self, tuple_value, index, name=""):
        element_type = tuple_value.type[index] if isinstance(tuple_value.type, nt.Tuple) else None
        return self._emit(ast.Subscript(_node(tuple_value), ast.Constant(index), ast.Load()), element_type)

    def load(self, array, index, name=""):
        return self._emit(ast.Subscript(_node(array), _node(index), ast.Load()),
                     array.type.dtype if isinstance(array.type, nt.Array) else None)

    def store(self, value, array, index):
        self._body.statements.append(ast.Assign([ast.Subscript(_node(array), _node(index), ast.Store())],
                                                _node(value)))

    def call(self, function, args, name=""):
        from .decorators import njit

        target = function if hasattr(function, "_numjit_dispatcher") else njit(function)
        return self._emit(_call(self._body.name_of(target, "call"), *args))


class _TypingContext:
    """What intrinsics receive as `typingctx`: types from Python values."""

    @staticmethod
    def resolve_value_type(value):
        return nt.typeof(value)


class Intrinsic:
    """What ``@intrinsic`` makes: compiled code calling it compiles, for the
    call's argument types, the body its codegen function builds."""

    _numjit_dispatcher = True  # the front end treats it as a jitted function
    _numjit_library = True     # called as a function, not mapped over arrays

    def __init__(self, definition, options):
        self._definition = definition
        self.__name__ = getattr(definition, "__name__", "intrinsic")
        self.__qualname__ = getattr(definition, "__qualname__", self.__name__)
        self.__doc__ = getattr(definition, "__doc__", None)
        self.__wrapped__ = definition
        self._options = options
        self._made = {}

    def __call__(self, *args, **kwargs):
        raise TypeError(f"@intrinsic {self.__qualname__} can only be called from compiled code")

    def _numjit_select_overload(self, type_names, keyword_names):
        """Called by the compiler (bindings/compiler_module.cpp): the jitted body for these types, or None."""
        if keyword_names:
            raise errors.TypingError(f"@intrinsic {self.__qualname__} takes positional arguments only")
        key = tuple(type_names)
        if key not in self._made:
            arg_types = [nt.from_canonical(name) for name in type_names]
            self._made[key] = self._build(arg_types)
        return self._made[key]

    def _build(self, arg_types):
        from .decorators import njit

        typed = self._definition(_TypingContext(), *arg_types)
        if typed is None:
            return None
        sig, codegen = typed
        if not isinstance(sig, nt.Signature):
            raise errors.TypingError(f"@intrinsic {self.__qualname__} must return (signature, codegen), "
                                     f"not {typed!r}")
        body = _Body()
        parameters = [f"arg{i}" for i in range(len(arg_types))]
        args = [Value(ast.Name(p, ast.Load()), t) for p, t in zip(parameters, sig.args or arg_types)]
        result = codegen(Context(body), Builder(body), sig, args)
        returned = sig.return_type
        if isinstance(returned, nt.Scalar) and isinstance(result, Value):
            result = Context(body).cast(None, result, result.type, returned)  # the declared result type
        statements = list(body.statements)
        statements.append(ast.Return(_node(result) if result is not None and returned != nt.none else None))
        name = f"{self.__name__}_body"
        definition = ast.FunctionDef(name=name, args=ast.arguments(
            posonlyargs=[], args=[ast.arg(p) for p in parameters], kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=statements, decorator_list=[], returns=None, type_params=[])
        module = ast.fix_missing_locations(ast.Module(body=[definition], type_ignores=[]))
        source = ast.unparse(module) + "\n"
        filename = f"<numjit: the body of @intrinsic {self.__qualname__}{len(self._made)}>"
        import linecache

        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), body.namespace)
        return njit(inline="always", **self._options)(body.namespace[name])


def intrinsic(*args, **options):
    """Numba's ``@intrinsic`` / ``@intrinsic(prefer_literal=True)`` (see the module's docstring)."""
    options.pop("prefer_literal", None)
    if len(args) == 1 and callable(args[0]) and not options:
        return Intrinsic(args[0], {})
    return lambda definition: Intrinsic(definition, options)
