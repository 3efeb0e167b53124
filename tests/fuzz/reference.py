"""The Python reference: the kernel's own source run as Python, with hooks.

The reference is ``kernel.py_func``'s source (and its helpers', undecorated
so they run as Python too) executed with every operator, comparison,
conversion and ``math`` call routed through ``Hooks``. For array code the
hooks are transparent, so NumPy is the oracle there. For scalar code they
encode the semantic differences compiled code has *on purpose* (Numba's),
each listed in README.md:

1. Integers are int64, not arbitrary precision. A Python int result outside
   int64 raises ``Overflow`` and the case is not compared ("skipped-overflow"),
   except that int() of a uint64 may reach 2**64-1. An operation between two
   literals that overflows raises ``ConstOverflow``: then the compiled code
   must refuse the constant with a located TypingError or get it exactly.
2. Numbers read from arrays compute as Python numbers of the compiled kind
   (NumPy scalars are converted: int8 + int8 gives an int64, as in Numba,
   not a wrapped int8 as in NumPy), except that a unary operator keeps the
   element's width, as Numba does (-int8(-128) is -128). Where a scalar meets an array, a NumPy
   scalar (a reduction's result, np.abs(0)) keeps its own dtype, as in NumPy 2
   and in compiled code (hir::Expr::numpy_scalar), and a Python number is
   weak. Compiled code also keeps that dtype for what scalar arithmetic makes
   of a NumPy scalar, where the hooks here have made a Python number: a case
   whose array meets such a scalar of a wider dtype than its own may differ
   in dtype here. The loop grammar seldom makes one (none in 400 cases of
   seed 8484); the array family, whose oracle is NumPy itself, covers them.
3. Float ``**`` and ``math`` functions follow C (IEEE): math.sqrt(-1) is
   nan, math.log(0.0) is -inf, (-8.0) ** (1/3) is nan, where Python raises
   or returns a complex; a complex ``**`` that overflows gives CPython's
   formula's infinities (Python raises OverflowError). 0.0 ** -1 raises
   ZeroDivisionError as in Python. math.floor/ceil/trunc, int() and round()
   of NaN, infinities or values beyond int64 give INT64_MIN (Numba's
   values, x86's conversion), where Python raises. An integer to a negative power
   that is not a literal raises ValueError (Python's float result has no
   compile-time type); to a negative literal it is Python's float.
9. Whole-array sum/mean/prod/std/var of float32 or complex64 accumulate in
   double precision and round once (NumPy accumulates in the narrow type);
   ``astype`` of NaN, infinities or out-of-range floats to an integer dtype
   is undefined in C (NumPy's answer depends on its SIMD loop): not compared.
8. A float ``%`` or ``//`` whose dividend is 2**52 times its divisor or more
   depends on the dividend's last bit, where vector libm (libmvec) and
   NumPy's may differ by an ulp: not compared ("skipped-precision").
4. Comparing an int with a float converts the int to float first.
5. ``~`` of a bool is logical not (NumPy's bool), not Python's -2.
6. NumPy computes float ufuncs of bool and 8/16-bit integers in float16 or
   float32 (np.sqrt(int8) is float16, np.copysign(1, uint16) float32), numjit
   in float64 (it has no float16): such a result stops the case
   (``SmallFloatLoop``).
7. Storing a Python int into an integer array wraps like a C cast (NumPy 2
   raises OverflowError); storing a float that is NaN, infinite or out of
   range into one is undefined (not compared).
"""
import ast
import math
import operator

import numpy as np

import numjit

from tests.fuzz.stencil_family import reference_stencil_for

INT64_MIN, INT64_MAX, UINT64_MAX = -2**63, 2**63 - 1, 2**64 - 1


#: Whole-array reductions compiled code accumulates in double precision.
WIDE_REDUCTIONS = ("sum", "mean", "prod", "std", "var")


class NotCompared(Exception):
    """The reference reached a deliberate difference: the case is skipped."""
    category = "skipped"


class Overflow(NotCompared, ArithmeticError):
    """A Python int left the int64 range: compiled code wraps, so no comparison."""
    category = "skipped-overflow"


class ConstOverflow(Overflow):
    """Two literals combined beyond int64 (e.g. 2**64)."""


class LostPrecision(NotCompared):
    """A float % or // of a dividend so large that an ulp decides the result."""
    category = "skipped-precision"


def _check_precision(op, left, right):
    if op not in ("%", "//") or any(getattr(v, "dtype", np.dtype(float)).kind in "mM" for v in (left, right)):
        return
    with np.errstate(all="ignore"):
        l, r = np.abs(np.asarray(left, dtype=np.complex128).real), np.abs(np.asarray(right, dtype=np.complex128).real)
        if np.asarray(left).dtype.kind not in "fc" and np.asarray(right).dtype.kind not in "fc" and \
                not isinstance(left, float) and not isinstance(right, float):
            return
        big = np.isfinite(l) & np.isfinite(r) & (r > 0) & (l >= 2.0**52 * r)
    if np.any(big):
        raise LostPrecision(f"{op} of a dividend 2**52 times the divisor")


class SmallFloatLoop(NotCompared):
    """NumPy computed integers in float16/float32 where numjit uses float64."""
    category = "skipped-float16"


BINOPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
          "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "&": operator.and_,
          "|": operator.or_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift,
          "@": operator.matmul}
INPLACE = {"+": operator.iadd, "-": operator.isub, "*": operator.imul, "/": operator.itruediv,
           "//": operator.ifloordiv, "%": operator.imod, "**": operator.ipow, "&": operator.iand,
           "|": operator.ior, "^": operator.ixor, "<<": operator.ilshift, ">>": operator.irshift}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
           "!=": operator.ne}
AST_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
           ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<",
           ast.RShift: ">>", ast.MatMult: "@", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
           ast.Eq: "==", ast.NotEq: "!=", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}
# Builtins called through Hooks.call (sum: a Python int sum beyond int64 is not compared).
NUMERIC_BUILTINS = {"int", "float", "complex", "bool", "abs", "min", "max", "round", "sum"}


def py(value):
    """A NumPy scalar as the Python number of the same kind. Datetimes and
    timedeltas stay NumPy's (their .item() is a datetime.date, an int or None)."""
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return value
    return value.item() if isinstance(value, np.generic) else value


class Settings:
    #: Off for the second run after a ConstOverflow, to get the exact value.
    const_checks = True


def check(value, const=False, limit=INT64_MAX):
    if type(value) is int and not INT64_MIN <= value <= limit:
        if const and not Settings.const_checks:
            return value
        raise (ConstOverflow if const else Overflow)(value)
    return value


def _is_float(v):
    return isinstance(v, float)


def _arrays(*values):
    return any(isinstance(v, np.ndarray) for v in values)


def _small_float_loop(result, inputs):
    """Raises SmallFloatLoop if NumPy picked a float16/float32 (complex64)
    loop that no input asked for (np.sqrt of int8, np.copysign of uint16)."""
    dtype = getattr(result, "dtype", None)
    if dtype is None or dtype.kind not in "fc" or dtype.itemsize >= (8 if dtype.kind == "f" else 16):
        return result
    if not any(getattr(i, "dtype", np.dtype("i8")).kind in "fc" and getattr(i, "dtype").itemsize <= dtype.itemsize
               for i in inputs):
        raise SmallFloatLoop(f"NumPy gave {dtype} for inputs of {[getattr(i, 'dtype', type(i)) for i in inputs]}")
    return result


def _keep_0d(result):
    """NumPy turns 0-d array results into scalars; compiled code keeps them
    0-d arrays (with array semantics: no ZeroDivisionError), so do we."""
    return np.asarray(result) if isinstance(result, np.generic) else result


class Hooks:
    @staticmethod
    def binop(op, left, right, const=False, literal_right=False):
        if op == "*" and (isinstance(left, list) or isinstance(right, list)):
            count = right if isinstance(left, list) else left
            if not (type(py(count)) is int and abs(py(count)) <= 1000):
                # A wrong argument: a huge count would only make Python build
                # the list for minutes.
                raise TypeError("list repetition by a large or non-int count is not compared")
        _check_precision(op, left, right)
        if _arrays(left, right):
            try:
                return _keep_0d(_small_float_loop(BINOPS[op](left, right), (left, right)))
            except OverflowError as exc:
                # A Python int beyond the array's dtype: NumPy 2 raises, while
                # numjit casts the (typed) scalar. Not compared.
                raise Overflow(str(exc)) from None
        left, right = py(left), py(right)
        if op == "**" and type(left) in (int, bool) and type(right) in (int, bool) and right < 0 \
                and not literal_right:
            # Python's float answer has a type only known at run time: compiled code refuses.
            raise ValueError("an integer to a negative power is a float in Python")
        if op == "**" and (_is_float(left) or _is_float(right)) and not isinstance(left, complex) \
                and not isinstance(right, complex):
            if left == 0 and right < 0:   # Python raises; compiled scalar code does too
                raise ZeroDivisionError("0.0 cannot be raised to a negative power")
            with np.errstate(all="ignore"):
                return float(np.power(np.float64(left), np.float64(right)))
        if op == "**" and (isinstance(left, complex) or isinstance(right, complex)):
            try:
                return left ** right
            except OverflowError:   # Python refuses, compiled code gives IEEE infinities
                return _cpython_complex_power(complex(left), complex(right))
        return check(BINOPS[op](left, right), const)

    @staticmethod
    def unary(op, value, const=False):
        if isinstance(value, (np.unsignedinteger, np.signedinteger)):
            # An unsigned scalar (a reduction of an unsigned array) stays
            # unsigned in compiled code as in NumPy: -uint8(5) is 251. A
            # signed element keeps its width too, as in Numba: -int8(-128)
            # is -128 (not Python's 128), ~int8(-128) is 127.
            with np.errstate(all="ignore"):
                return py({"-": operator.neg, "+": operator.pos, "~": operator.invert}[op](value))
        value = py(value)
        if op == "~" and isinstance(value, bool):
            return not value
        if isinstance(value, np.ndarray):
            return _keep_0d({"-": operator.neg, "+": operator.pos, "~": operator.invert}[op](value))
        return check({"-": operator.neg, "+": operator.pos, "~": operator.invert}[op](value), const)

    @staticmethod
    def compare(op, left, right):
        if _arrays(left, right):
            return _keep_0d(COMPARE[op](py(left), py(right)))
        if any(isinstance(v, np.complexfloating) for v in (left, right)):
            # NumPy's complex scalars order lexicographically; Python's complex numbers do not order at all.
            with np.errstate(invalid="ignore"):
                return bool(COMPARE[op](left, right))
        left, right = py(left), py(right)
        if type(left) is int and _is_float(right):
            left = float(left)
        elif type(right) is int and _is_float(left):
            right = float(right)
        return COMPARE[op](left, right)

    @staticmethod
    def call(func, *args):
        """A builtin (int, abs, min...) on Python numbers, results kept in range."""
        if _arrays(*args):
            return _keep_0d(func(*args))
        if func is abs and len(args) == 1 and isinstance(args[0], np.signedinteger):
            with np.errstate(over="ignore"):
                return np.abs(args[0])  # in its own dtype: abs(np.int8(-128)) wraps to -128, as in NumPy and numjit
        values = [py(a) for a in args]
        if func is int and len(values) == 1 and isinstance(args[0], np.unsignedinteger):
            return check(int(values[0]), limit=UINT64_MAX)
        if func in (min, max) and any(_is_float(v) for v in values):
            values = [float(v) if type(v) is int else v for v in values]
        if func in (int, round) and len(values) == 1 and _is_float(values[0]):
            return _c_float_to_int(func, values[0])
        return check(func(*values))

    @staticmethod
    def math(name, *args):
        values = [py(a) for a in args]
        _nan_sign_source(name, values)
        if name in ("floor", "ceil", "trunc") and _is_float(values[0]):
            return _c_float_to_int(getattr(math, name), values[0])
        try:
            result = check(getattr(math, name)(*values))
        except (ValueError, OverflowError):
            result = _c_math(name, *values)
        if args and all(isinstance(a, np.float32) for a in args) and _is_float(result):
            # Compiled code computes math.f(float32) in float32, as Numba does
            # (kept a float32, so that math.sqrt(math.atan(x)) stays one).
            with np.errstate(all="ignore"):
                return np.float32(result)
        return result

    @staticmethod
    def numpy(func, *args, **kwargs):
        """np.<func>(...): elementwise functions of 0-d arrays stay 0-d arrays;
        a NumPy scalar argument keeps its dtype (rule 2)."""
        _nan_sign_source(getattr(func, "__name__", ""), args)
        result = func(*args, **kwargs)
        if isinstance(func, np.ufunc):
            _small_float_loop(result, args)
        if isinstance(func, np.ufunc) or func is np.where:
            return _keep_0d(result) if _arrays(*args) else result
        return result

    @staticmethod
    def reduce(value, name):
        """a.sum(), a.mean(), a.prod(), a.std(), a.var() of a whole float32 or
        complex64 array: compiled code accumulates in double precision and
        rounds the result once (NumPy accumulates in the narrow type)."""
        if isinstance(value, np.ndarray) and value.dtype in (np.float32, np.complex64):
            wide = value.astype(np.complex128 if value.dtype.kind == "c" else np.float64)
            with np.errstate(all="ignore"):
                result = getattr(wide, name)()
            narrow = np.float32 if value.dtype.kind == "f" or name in ("std", "var") else np.complex64
            with np.errstate(over="ignore"):
                return narrow(result)
        return getattr(value, name)() if hasattr(value, name) else getattr(np, name)(value)

    @staticmethod
    def astype(value, dtype):
        """a.astype(int_dtype) of NaN, infinities or out-of-range floats is
        undefined in C; NumPy's answer depends on its SIMD loop: not compared."""
        target = np.dtype(dtype)
        source = np.asarray(value)
        if target.kind in "iu" and source.dtype.kind in "fc" and source.size:
            with np.errstate(all="ignore"):
                real = source.real.astype(np.float64)
                info = np.iinfo(target)
                if not (np.all(np.isfinite(real)) and np.all(real > info.min - 1.0) and np.all(real < info.max + 1.0)):
                    raise Overflow(f"astype({target}) of a value it cannot hold")
        return value.astype(dtype)

    @staticmethod
    def store(target, index, value):
        """target[index] = value, with C-cast wrapping of ints into int arrays."""
        value = py(value)
        if isinstance(target, np.ndarray) and target.dtype.kind in "iu":
            if type(value) is float:
                # A C cast: undefined for NaN, infinities and values out of range.
                if not math.isfinite(value) or not INT64_MIN <= value <= INT64_MAX:
                    raise Overflow(f"{value} stored into {target.dtype}")
                value = int(value)
            if type(value) in (int, bool):
                kind = np.uint64 if value > INT64_MAX else np.int64
                value = np.array(value, dtype=kind).astype(target.dtype)
        target[index] = value

    @staticmethod
    def augassign(op, current, value, literal_value=False):
        """name op= value: sets, lists, dicts and arrays change in place (other
        names bound to them, and the caller's argument, see it); anything else
        as name = name op value."""
        if isinstance(current, (set, list, dict)):
            return INPLACE[op](current, value)
        if isinstance(current, np.ndarray):
            try:
                return INPLACE[op](current, value)
            except OverflowError as exc:   # a Python int beyond the dtype, as in binop
                raise Overflow(str(exc)) from None
        return Hooks.binop(op, current, value, False, literal_value)

    @staticmethod
    def augstore(target, index, op, value, literal_value=False):
        current = target[index]
        if isinstance(current, np.ndarray):
            try:
                target[index] = INPLACE[op](current, value)
            except OverflowError as exc:   # a Python int beyond the dtype, as in binop
                raise Overflow(str(exc)) from None
        else:
            Hooks.store(target, index, Hooks.binop(op, current, value, False, literal_value))


def _c_float_to_int(rounding, value):
    """int(), round() or math.floor/ceil/trunc of a float as compiled code
    gives it (Numba's values): NaN, infinities and values outside int64
    are INT64_MIN, as x86's conversion gives."""
    if math.isnan(value) or math.isinf(value):
        return INT64_MIN
    result = rounding(value)
    return result if INT64_MIN <= result <= INT64_MAX else INT64_MIN


def _nan_sign_source(name, values):
    """copysign from a NaN: IEEE leaves the sign of a computed NaN unspecified
    (x86's default NaN is negative, NumPy's loops may keep the input's)."""
    if name in ("copysign",) and len(values) == 2:
        source = np.asarray(values[1])
        if source.dtype.kind in "fc" and np.any(np.isnan(source)):
            raise LostPrecision("copysign from a NaN, whose sign bit is unspecified")


def _c_math(name, *values):
    """What C's libm gives where Python's math raises."""
    with np.errstate(all="ignore"):
        x = np.float64(values[0])
        if name == "gamma":
            return math.nan if x <= 0 and x == math.floor(x) else math.inf
        if name == "lgamma":
            return math.inf
        numpy_name = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
                      "acosh": "arccosh", "atanh": "arctanh", "pow": "power", "fabs": "fabs",
                      "atan2": "arctan2"}.get(name, name)
        func = getattr(np, numpy_name)
        return float(func(*[np.float64(v) for v in values]))


def _c_product(a, b):
    return complex(a.real * b.real - a.imag * b.imag, a.real * b.imag + a.imag * b.real)


def _c_quotient(a, b):
    """CPython's _Py_c_quot (Smith's), in IEEE arithmetic without Python's raising."""
    with np.errstate(all="ignore"):
        ar, ai, br, bi = (np.float64(v) for v in (a.real, a.imag, b.real, b.imag))
        if abs(br) >= abs(bi):
            if abs(br) == 0:
                return complex(ar / abs(br), ai / abs(br))
            ratio = bi / br
            denom = br + bi * ratio
            return complex((ar + ai * ratio) / denom, (ai - ar * ratio) / denom)
        if abs(bi) >= abs(br):
            ratio = br / bi
            denom = br * ratio + bi
            return complex((ar * ratio + ai) / denom, (ai * ratio - ar) / denom)
        return complex(math.nan, math.nan)


def _cpython_complex_power(a, b):
    """CPython's complex power (c_powi / c_pow) where Python itself raises
    OverflowError: the IEEE value compiled code returns instead."""
    with np.errstate(all="ignore"):
        if b.imag == 0 and b.real == math.floor(b.real) and abs(b.real) <= 100:
            n = int(b.real)
            result, square, mask = complex(1, 0), a, abs(n)
            while mask:
                if mask & 1:
                    result = _c_product(result, square)
                square = _c_product(square, square)
                mask >>= 1
            return _c_quotient(complex(1, 0), result) if n < 0 else result
        magnitude = np.hypot(np.float64(a.real), np.float64(a.imag))
        length = magnitude ** np.float64(b.real)
        angle = np.arctan2(np.float64(a.imag), np.float64(a.real))
        phase = angle * b.real
        if b.imag != 0:
            length /= np.exp(angle * b.imag)
            phase += b.imag * np.log(magnitude)
        return complex(length * np.cos(phase), length * np.sin(phase))


def _is_literal(node):
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)


def _hook(name, *args):
    return ast.Call(ast.Attribute(ast.Name("_R", ast.Load()), name, ast.Load()), list(args), [])


def _index(node):
    """A subscript's index as an expression (slices become slice(...) calls)."""
    if isinstance(node, ast.Slice):
        parts = [p if p is not None else ast.Constant(None) for p in (node.lower, node.upper, node.step)]
        return ast.Call(ast.Name("slice", ast.Load()), parts, [])
    if isinstance(node, ast.Tuple):
        return ast.Tuple([_index(e) for e in node.elts], ast.Load())
    return node


class _Instrument(ast.NodeTransformer):
    def visit_FunctionDef(self, node):
        # @njit and friends go; what makes a method a property or a static method stays.
        node.decorator_list = [d for d in node.decorator_list if ast.unparse(d) in ("property", "staticmethod")
                               or ast.unparse(d).endswith((".setter", ".getter"))]
        self.generic_visit(node)
        return node

    def visit_ClassDef(self, node):
        # A @jitclass is a plain class in the reference (record_family.py); properties stay.
        node.decorator_list = []
        self.generic_visit(node)
        return node

    def visit_match_case(self, node):
        # Patterns stay as written (a hook call is no pattern); the guard and the body are instrumented.
        node.guard = self.visit(node.guard) if node.guard is not None else None
        node.body = [self.visit(statement) for statement in node.body]
        return node

    def visit_BinOp(self, node):
        if isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            return self.generic_visit(node)  # printf-style formatting, as Python does it
        const = _is_literal(node.left) and _is_literal(node.right)
        literal_right = _is_literal(node.right)   # before the operands become hook calls
        self.generic_visit(node)
        return _hook("binop", ast.Constant(AST_OPS[type(node.op)]), node.left, node.right, ast.Constant(const),
                     ast.Constant(literal_right))

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            return self.generic_visit(node)
        const = isinstance(node.operand, ast.Constant)
        self.generic_visit(node)
        return _hook("unary", ast.Constant(AST_OPS[type(node.op)]), node.operand, ast.Constant(const))

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) != 1 or type(node.ops[0]) not in AST_OPS:   # chains, in, not in, is: as Python
            return node
        return _hook("compare", ast.Constant(AST_OPS[type(node.ops[0])]), node.left, node.comparators[0])

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Name) and func.id in NUMERIC_BUILTINS and not node.keywords:
            return _hook("call", func, *node.args)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "math":
            return _hook("math", ast.Constant(func.attr), *node.args)
        if isinstance(func, ast.Attribute) and func.attr == "astype" and len(node.args) == 1 and not node.keywords:
            return _hook("astype", func.value, node.args[0])
        if isinstance(func, ast.Attribute) and func.attr in WIDE_REDUCTIONS and not node.args and not node.keywords \
                and not (isinstance(func.value, ast.Name) and func.value.id in ("np", "math")):
            return _hook("reduce", func.value, ast.Constant(func.attr))
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "np" \
                and func.attr in WIDE_REDUCTIONS and len(node.args) == 1 and not node.keywords:
            return _hook("reduce", node.args[0], ast.Constant(func.attr))
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "np":
            call = _hook("numpy", func, *node.args)
            call.keywords = node.keywords
            return call
        return node

    def visit_Assign(self, node):
        self.generic_visit(node)
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
            target = node.targets[0]
            return ast.Expr(_hook("store", target.value, _index(target.slice), node.value))
        return node

    def visit_AugAssign(self, node):
        literal = ast.Constant(_is_literal(node.value))
        self.generic_visit(node)
        op = ast.Constant(AST_OPS[type(node.op)])
        if isinstance(node.target, ast.Subscript):
            target = node.target
            return ast.Expr(_hook("augstore", target.value, _index(target.slice), op, node.value, literal))
        if isinstance(node.target, ast.Attribute):  # a jitclass field (record_family.py)
            load = ast.Attribute(node.target.value, node.target.attr, ast.Load())
        else:
            load = ast.Name(node.target.id, ast.Load())
        return ast.Assign([node.target], _hook("augassign", op, load, node.value, literal))


def load(source, filename):
    """The namespace of the instrumented module (its ``kernel`` is the reference)."""
    tree = _Instrument().visit(ast.parse(source, filename))
    tree.body = [n for n in tree.body if not (isinstance(n, ast.ImportFrom) and n.module == "numjit")]
    ast.fix_missing_locations(tree)
    namespace = {"_R": Hooks, "__name__": "fuzz_reference", "stencil": reference_stencil_for(ast.parse(source)),
                 "typed": numjit.typed, "types": numjit.types, "prange": range}
    exec(compile(tree, filename, "exec"), namespace)
    return namespace


def instrumented_source(source):
    """The reference as text, for reading a reproducer."""
    tree = _Instrument().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree))
