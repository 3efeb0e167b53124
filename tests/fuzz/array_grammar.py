"""Array expressions: ufunc arithmetic, NumPy functions, slicing, reductions.

Each generated expression is evaluated on a *prototype* (an array of ones of
the argument's real dtype and shape) while it is built, so the grammar knows
the exact dtype and shape of everything it writes and only combines what
broadcasts. NumPy itself decides: an operation that raises on prototypes
(a TypeError for `-` of bools, a broadcast error) is simply not generated.

Deliberate differences kept out of the grammar (see README.md):
- float ufuncs (sqrt, sin, ...) of bool and 8/16-bit integer arrays: NumPy
  picks a float16 loop, numjit (like Numba) has no float16;
- ordering of complex numbers (max, min, <), where NumPy's lexicographic
  order is not Python's;
- constant indices, which could fall out of bounds once the shrinker makes
  arrays smaller (out-of-bounds indexing is undefined, as in Numba).
"""
import warnings

import numpy as np

UNARY_UFUNCS = ["sqrt", "exp", "log", "sin", "cos", "tanh", "arctan", "floor", "ceil", "trunc",
                "abs", "expm1", "log1p", "rint", "isnan", "isfinite", "conj", "log10", "cosh"]
# NumPy has complex loops for these, numjit does not (a known gap, not fuzzed).
NO_COMPLEX = {"expm1", "log1p", "rint"}
FLOAT_ONLY = {"sqrt", "exp", "log", "sin", "cos", "tanh", "arctan", "expm1", "log1p", "rint", "log10", "cosh"}
BINARY_UFUNCS = ["maximum", "minimum", "arctan2", "hypot", "fmod", "power", "copysign"]
# Ufuncs called by name (the operators' own, and those with no operator).
BY_NAME_BINARY = ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "bitwise_and", "bitwise_xor",
                  "less", "greater_equal", "equal", "not_equal", "logaddexp", "float_power", "left_shift"]
BY_NAME_UNARY = ["negative", "positive", "square", "reciprocal", "signbit", "invert"]
FLOAT_BY_NAME = {"logaddexp", "signbit"}
# Views and layouts (library/numpy_views.cpp); {a} is the array, {n} its ndim.
VIEWS = ["np.expand_dims({a}, 0)", "np.expand_dims({a}, -1)", "np.atleast_2d({a})", "np.atleast_3d({a})",
         "np.ascontiguousarray({a})", "np.asfortranarray({a})", "np.squeeze(np.expand_dims({a}, 1), 1)",
         "np.moveaxis({a}, 0, -1)", "np.swapaxes({a}, 0, -1)", "np.broadcast_to({a}, (2,) + {a}.shape)"]
FLOAT_BINARY = {"arctan2", "hypot", "copysign"}
# NumPy 2 keeps integer (and bool) dtypes here, numjit returns float64: one
# known class, so drawn rarely for integer inputs.
INT_KEEPING = {"floor", "ceil", "trunc", "fmod", "abs"}
SLICES_1D = ["[::-1]", "[1:]", "[:-1]", "[::2]", "[::-2]", "[1::3]", "[-2::-1]", "[:]"]
SLICES_2D = ["[::-1, :]", "[:, ::-1]", "[1:, ::2]", "[::-1, ::-1]", ".T", "[:, 1:]", "[::2]"]
REDUCTIONS = ["{}.sum()", "np.sum({})", "{}.max()", "{}.min()", "np.mean({})", "{}.mean()", "{}.prod()",
              "np.any({})", "np.all({})", "{}.argmax()", "{}.argmin()", "np.max({})", "np.min({})",
              "np.add.reduce({}.ravel())", "np.maximum.reduce({}.ravel())", "np.median({})", "np.nanmedian({})",
              "np.histogram({}, 7)[0]", "np.histogram({}, 1, (-1.5, 2.25))[0]", "np.histogram({}, 3, (-2.0, 2.0))[0]",
              "np.histogram({}, 5)[1]"]
AXIS_REDUCTIONS = ["{}.sum(axis={})", "np.sum({}, axis={})", "{}.max(axis={})", "np.mean({}, axis={})"]
# np.fft and np.einsum (library/fft.py, library/numpy_einsum.cpp), by the operand's ndim; {a} is the array.
TRANSFORMS = {1: ["np.fft.fft({a})", "np.fft.ifft({a}, 7)", "np.fft.rfft({a}.real)", "np.fft.irfft({a})",
                  "np.fft.fftshift({a})", "np.einsum('i,i', {a}, {a})", "np.einsum('i->', {a})",
                  "np.einsum('i,j->ij', {a}, {a})"],
              2: ["np.fft.fft2({a})", "np.fft.rfftn({a}.real)", "np.fft.fft({a}, axis=0, norm='ortho')",
                  "np.einsum('ij->ji', {a})", "np.einsum('ij,ij->i', {a}, {a})", "np.einsum('ij->j', {a})",
                  "np.einsum('ij,jk', {a}, {a}.T)", "np.einsum('ii', {a}[:2, :2])"]}

# Products with a vector (lower_linalg.cpp: BLAS ?gemv for a matrix and a
# vector, ?dot/?dotu for two contiguous vectors, loops otherwise), in
# reversed, strided and transposed layouts.
PRODUCTS = {1: ["np.dot({a}, {a})", "{a} @ {a}[::-1]", "np.dot({a}[::2], {a}[::2])", "np.matmul({a}[1:], {a}[:-1])"],
            2: ["{a} @ {a}[0]", "{a}[:, 0] @ {a}", "np.dot({a}.T, {a}[:, -1])", "np.dot({a}[0], {a}[0])",
                "np.matmul({a}[::-1], {a}[-1])", "{a}[:, ::-1] @ {a}[1, ::-1]"]}


def _small_int(dtype):
    return dtype.kind == "b" or (dtype.kind in "iu" and dtype.itemsize <= 2)


class ArrayGrammar:
    def __init__(self, rng, scalar_grammar):
        self.rng = rng
        self.scalars = scalar_grammar
        self.values = {}   # name -> prototype (ndarray, or a Python/NumPy scalar)

    def add(self, name, proto):
        self.values[name] = proto

    def _try(self, code, namespace_extra=None):
        """The prototype of ``code``, or None if NumPy refuses it."""
        namespace = {"np": np, **self.values, **(namespace_extra or {})}
        if "**" in code and any(type(v) is int and abs(v) > 1000 for v in namespace.values()):
            return None  # 3 ** 2**63 in Python integers would not finish: such a power only overflows anyway
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                warnings.simplefilter("error", np.exceptions.ComplexWarning)
                value = eval(code, namespace)
        except Exception:
            return None
        if getattr(value, "dtype", None) == np.float16:
            return None
        return value

    def arrays(self, min_ndim=0):
        return [n for n, v in self.values.items() if isinstance(v, np.ndarray) and v.ndim >= min_ndim]

    def scalar_operand(self):
        rng = self.rng
        scalars = [n for n, v in self.values.items() if not isinstance(v, np.ndarray)]
        if scalars and rng.random() < 0.4:
            return rng.choice(scalars)
        return rng.choice(["2", "3", "1", "0", "-1", "2.5", "0.5", "1e308", "(1+2j)", "True", "100", "-3"])

    def operand(self, depth):
        if depth > 0 and self.rng.random() < 0.6:
            return self.expr(depth - 1)
        if self.rng.random() < 0.25:
            return (self.scalar_operand(), None)
        name = self.rng.choice(self.arrays())
        return name, self.values[name]

    def expr(self, depth=2, tries=12):
        """(code, prototype) of an array-valued (or 0-d) expression."""
        for _ in range(tries):
            code = self._draw(depth)
            if code is None:
                continue
            proto = self._try(code)
            if isinstance(proto, (np.ndarray, np.generic)):
                return code, proto
        name = self.rng.choice(self.arrays())
        return name, self.values[name]

    def _draw(self, depth):
        rng = self.rng
        r = rng.random()
        a, pa = self.operand(depth)
        dtype = getattr(pa, "dtype", None)
        if r < 0.35:
            b, pb = self.operand(depth)
            op = rng.choice(["+", "-", "*", "/", "//", "%", "**", "+", "*", "-", "&", "|", "^"])
            if op == "**" and rng.random() < 0.9:
                # NumPy raises for integers to negative integer powers; numjit
                # does not check (one known class), so mostly keep exponents safe.
                b = rng.choice(["2", "3", "0.5", "2.5", "1"])
            elif self.rng.random() < 0.3:
                a, b = b, a
            return f"({a} {op} {b})"
        if r < 0.45:
            b, pb = self.operand(depth)
            if np.dtype(getattr(pb, "dtype", "f8")).kind == "c" or (dtype is not None and dtype.kind == "c"):
                op = rng.choice(["==", "!="])
            else:
                op = rng.choice(["<", "<=", ">", ">=", "==", "!="])
            return f"({a} {op} {b})"
        if r < 0.62:
            func = rng.choice(UNARY_UFUNCS)
            if dtype is None:
                return None
            if func in FLOAT_ONLY and _small_int(dtype) or func in NO_COMPLEX and dtype.kind == "c":
                return None
            if func in INT_KEEPING and dtype.kind in "biu" and rng.random() < 0.9:
                return None
            return f"np.{func}({a})"
        if r < 0.66:
            return self._by_name(a, pa, depth)
        if r < 0.70:
            b, pb = self.operand(depth)
            func = rng.choice(BINARY_UFUNCS)
            kinds = [getattr(p, "dtype", np.dtype("f8")) for p in (pa, pb)]
            if func in FLOAT_BINARY and any(_small_int(k) for k in kinds):
                return None
            if func in ("maximum", "minimum") and any(k.kind == "c" for k in kinds):
                return None   # complex ordering: not generated (README)
            if func in INT_KEEPING and all(k.kind in "biu" for k in kinds) and rng.random() < 0.9:
                return None
            if func == "power" and rng.random() < 0.9:
                b = rng.choice(["2", "3", "0.5"])
            return f"np.{func}({a}, {b})"
        if r < 0.76:
            cond, pc = self.operand(depth)
            b, _ = self.operand(depth)
            test = "!=" if getattr(pc, "dtype", np.dtype("f8")).kind == "c" else ">"
            return f"np.where({cond} {test} 0, {a}, {b})" if rng.random() < 0.5 else f"np.where({cond}, {a}, {b})"
        if r < 0.82:
            # builtin abs() of an array is refused by numjit: one known class, drawn rarely
            rare = f"abs({a})" if r < 0.765 else f"(+{a})"
            return rng.choice([f"(-{a})", f"(-{a})", f"(~{a})", f"np.abs({a})", rare])
        if r < 0.90:
            if dtype is None or pa.ndim == 0:
                return None
            return f"{a}{rng.choice(SLICES_1D if pa.ndim == 1 else SLICES_2D)}"
        if r < 0.94:
            if dtype is None or pa.ndim == 0:
                return None
            return rng.choice(VIEWS).format(a=a)
        if dtype is None or pa.ndim == 0:
            return None
        target = rng.choice([f"{a}.astype(np.{rng.choice(['float64', 'int64', 'float32', 'complex128', 'int8'])})",
                             f"{a}.copy()", f"np.cumsum({a})" if pa.ndim == 1 else f"{a}.ravel()",
                             f"{a}[{a} > 1]" if dtype.kind != "c" else f"np.conj({a})"])
        return target

    def _by_name(self, a, pa, depth):
        """np.add(a, b), np.negative(a), ...: NumPy's rules on scalars and arrays alike."""
        rng = self.rng
        dtype = getattr(pa, "dtype", None)
        if dtype is None:
            return None
        if rng.random() < 0.4:
            func = rng.choice(BY_NAME_UNARY)
            if func in FLOAT_BY_NAME and _small_int(dtype):
                return None
            return f"np.{func}({a})"
        b, pb = self.operand(depth)
        func = rng.choice(BY_NAME_BINARY)
        kinds = [getattr(p, "dtype", np.dtype("f8")) for p in (pa, pb)]
        if func in FLOAT_BY_NAME and any(_small_int(k) for k in kinds):
            return None
        if func in ("less", "greater_equal") and any(k.kind == "c" for k in kinds):
            return None   # complex ordering: not generated (README)
        return f"np.{func}({a}, {b})"

    def reduction(self, depth=1):
        """(code, value) of a scalar (or axis-reduced) computed from an array."""
        for _ in range(10):
            code, proto = self.expr(depth)
            if not isinstance(proto, np.ndarray) or proto.ndim == 0:
                continue
            single = proto.dtype in (np.float32, np.complex64)  # NumPy's float32 FFT can round through float64
            if proto.ndim in TRANSFORMS and proto.dtype.kind != "b" and not single and self.rng.random() < 0.15:
                text = self.rng.choice(TRANSFORMS[proto.ndim]).format(a=code)
            elif proto.ndim in PRODUCTS and proto.dtype.kind != "b" and self.rng.random() < 0.1:
                text = self.rng.choice(PRODUCTS[proto.ndim]).format(a=code)
            elif proto.ndim == 2 and self.rng.random() < 0.3:
                pattern = self.rng.choice(AXIS_REDUCTIONS)
                text = pattern.format(code, self.rng.choice([0, 1, -1]))
            else:
                text = self.rng.choice(REDUCTIONS).format(code)
            if proto.dtype.kind == "c" and any(w in text for w in ("max", "min", "arg", "median", "histogram")):
                continue
            value = self._try(text)
            if value is not None:
                return text, value
        return None, None

    def statement(self, depth=2):
        """A line that binds a new name to an array or reduction."""
        name = self.scalars.fresh("r")
        if self.rng.random() < 0.3:
            code, proto = self.reduction(depth - 1)
            if code is None:
                code, proto = self.expr(depth)
        else:
            code, proto = self.expr(depth)
        self.add(name, proto)
        return ["line", f"{name} = {code}"]

    def write_statement(self):
        """An in-place update of a fresh copy, or (rarely) of an argument."""
        arrays = [n for n in self.arrays(1)]
        if not arrays:
            return None
        target = self.rng.choice(arrays)
        proto = self.values[target]
        for _ in range(6):
            code, value = self.expr(1)
            if self.rng.random() < 0.2:  # a ufunc writing into an output array
                func = self.rng.choice(["add", "multiply", "subtract", "negative"])
                pattern = "np.negative({c}, out={t})" if func == "negative" else f"np.{func}({{t}}, {{c}}, {{t}})"
                same_kind = np.can_cast(getattr(value, "dtype", np.dtype("f8")), proto.dtype, "same_kind")
                if same_kind and self._try_exec(pattern.format(c=code, t="__t"), {"__t": proto.copy()}):
                    return ["line", pattern.format(c=code, t=target)]
            view = self.rng.choice(["[:]", "[::-1]", "[...]"] if proto.ndim == 1 else ["[:]", "[::-1, :]", "[...]"])
            op = self.rng.choice(["=", "+=", "*="])
            namespace = {"__t": proto.copy()}
            # Same-kind casts only: NumPy stores complex into ints with a
            # warning (none for empty arrays), numjit refuses to compile it.
            if not np.can_cast(getattr(value, "dtype", np.dtype("f8")), proto.dtype, "same_kind"):
                continue
            probe = self._try_exec(f"__t{view} {op} {code}", namespace)
            if probe:
                return ["line", f"{target}{view} {op} {code}"]
        return None

    def _try_exec(self, text, namespace):
        scope = {"np": np, **self.values, **namespace}
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("error")
                exec(text, scope)
        except Exception:
            return False
        return True
