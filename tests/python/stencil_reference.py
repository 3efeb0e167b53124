"""Pure Python/NumPy reference for Numba's @stencil (constant mode), as observed with Numba 0.68.1.

The *undecorated* kernel runs once per output point with proxies that turn relative indices into
absolute ones. Elements are Num objects tagged with the dtype Numba's typing gives them, as NumPy's
scalar promotion differs (int32 + int32 is int64 in Numba, uint8 + uint8 uint64, float32 * 2.0 float64).
Gaps: math.* and int() see plain Python numbers (math.sqrt(float32) is float32 in Numba); the result type
unifies the values returned, not every branch; offsets outside a given neighborhood raise IndexError
(Numba reads out of bounds); Numba's NumbaValueError is a TypingError, here a ValueError.
"""
import ast
import inspect
import itertools
import operator as op
import textwrap

import numpy as np

I64, U64, F64, BOOL = (np.dtype(t) for t in ("int64", "uint64", "float64", "bool"))
_UFUNC_OPS = {np.add: op.add, np.subtract: op.sub, np.multiply: op.mul, np.power: op.pow,
              np.true_divide: op.truediv, np.floor_divide: op.floordiv, np.remainder: op.mod}

def _dtype(x):  # the dtype Numba types a scalar as (Python literals are 64-bit); None if not a scalar
    return x.dtype if isinstance(x, (Num, np.generic)) else {bool: BOOL, int: I64, float: F64,
                                                            complex: np.dtype(complex)}.get(type(x))

def _py(x):
    return x.value if isinstance(x, Num) else x.item() if isinstance(x, np.generic) else x

def _fit(value, dtype):
    """What a fixed-width ``dtype`` holds of a value Python computed exactly (ints wrap, floats
    truncate to ints, and one rounding from float64 is exact for + - * / in float32)."""
    value = _py(value)
    if dtype.kind not in "iu":
        return bool(value) if dtype.kind == "b" else dtype.type(value).item()
    bits = 8 * dtype.itemsize
    v = int(value) % (1 << bits)
    return v - (1 << bits) if dtype.kind == "i" and v >> (bits - 1) else v

def _widen(dt):
    return dt if dt.kind in "fc" else U64 if dt.kind == "u" else I64

def _binop(f, x, y):
    dx, dy = _dtype(x), _dtype(y)
    if dx is None or dy is None:
        return NotImplemented
    if dx.kind not in "biu" or dy.kind not in "biu":  # NumPy's promotion of the *unwidened* types
        # (int16 + float32 -> float32, int32 + float32 -> float64), but float32 ** int stays float32
        dt = dx if f is op.pow and dx.kind == "f" and dy.kind in "biu" else np.promote_types(dx, dy)
    elif f is op.truediv:
        dt = F64
    elif f in (op.lshift, op.rshift):
        dt = _widen(dx)
    elif dx.kind == dy.kind == "b" and f in (op.and_, op.or_, op.xor):
        dt = BOOL
    else:  # integers are widened to 64 bits first; mixed signedness gives int64, not float64
        dt = U64 if dx.kind == dy.kind == "u" else I64
    return Num(_fit(f(_py(x), _py(y)), dt), dt)

class Num:
    """A scalar read through a relative proxy, carrying the dtype Numba would give it."""
    __slots__ = ("value", "dtype")
    def __init__(self, value, dtype):
        self.value, self.dtype = value, np.dtype(dtype)
    def __bool__(self): return bool(self.value)
    def __int__(self): return int(self.value)
    def __index__(self): return op.index(self.value)
    def __float__(self): return float(self.value)
    # negated in its own width, then widened: -uint8(1) is uint64 255; -True is int64 -1
    def __neg__(self): return Num(_fit(-self.value, self.dtype if self.dtype != BOOL else I64), _widen(self.dtype))
    def __abs__(self):  # keeps the width: abs(int8) int8, abs(complex64) float32; abs(bool) is int8
        dt = np.dtype("int8") if self.dtype == BOOL else np.abs(self.dtype.type(0)).dtype
        return Num(_fit(abs(self.value), dt), dt)
    def __array_ufunc__(self, ufunc, method, *inputs, **kw):
        # Reached for np.float64(w) * Num and np.sqrt(Num): arithmetic keeps Numba's rules, other
        # ufuncs follow NumPy on the tagged dtype (Numba differs for float16 results: float32)
        if ufunc in _UFUNC_OPS and method == "__call__" and all(_dtype(x) is not None for x in inputs):
            return _binop(_UFUNC_OPS[ufunc], *inputs)
        r = getattr(ufunc, method)(*[x.dtype.type(x.value) if isinstance(x, Num) else x for x in inputs], **kw)
        return Num(r.item(), r.dtype) if isinstance(r, np.generic) else r

for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and_", "or_", "xor", "lshift", "rshift"):
    _f, _name = getattr(op, _name), _name.rstrip("_")
    setattr(Num, f"__{_name}__", lambda s, o, f=_f: _binop(f, s, o))
    setattr(Num, f"__r{_name}__", lambda s, o, f=_f: _binop(f, o, s))
for _name in ("lt", "le", "eq", "ne", "gt", "ge"):  # plain bools, as Numba's comparisons give
    setattr(Num, f"__{_name}__", lambda s, o, f=getattr(op, _name): f(s.value, _py(o)))

class _Relative:
    """A relatively indexed array seen from ``center``; with center None it answers 1s (typing run)."""
    def __init__(self, array, neighborhood):
        self.array, self.neighborhood, self.center = array, neighborhood, None
    def __getattr__(self, name):  # a.shape, a.ndim, a.dtype inside a kernel
        return getattr(self.array, name)
    def __getitem__(self, index):
        rel = index if isinstance(index, tuple) else (index,)
        if len(rel) != self.array.ndim:
            raise IndexError(f"{len(rel)} relative indices for a {self.array.ndim}-d array")
        if self.center is None:
            return Num(_fit(1, self.array.dtype), self.array.dtype)
        at = []
        for c, r, (lo, hi) in zip(self.center, rel, self.neighborhood):
            if isinstance(r, slice):  # Numba adds the point to both bounds (slice_addition)
                at.append(slice(c + r.start, c + r.stop, r.step))
            elif lo <= op.index(r) <= hi:
                at.append(c + op.index(r))
            else:
                raise IndexError(f"relative index {index} outside neighborhood {self.neighborhood}")
        v = self.array[tuple(at)]
        return Num(v.item(), v.dtype) if isinstance(v, np.generic) else v

def _constant(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _constant(node.operand)
        return None if v is None else -v if isinstance(node.op, ast.USub) else v
    return node.value if isinstance(node, ast.Constant) and type(node.value) is int else None

def infer_neighborhood(kernel, relative_names, ndim):
    """Numba's rule: per axis min/max of the literal offsets and 0 (``i = 1; a[i]`` is rejected too)."""
    bounds, found = [[0, 0] for _ in range(ndim)], False
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(kernel)))):
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", None) in relative_names:
            offsets = [_constant(p) for p in (node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice])]
            if None in offsets:
                raise ValueError("stencil kernel index is not constant, 'neighborhood' option required")
            if len(offsets) != ndim:
                raise ValueError("Stencil index does not match array dimensionality.")
            bounds, found = [[min(b[0], o), max(b[1], o)] for b, o in zip(bounds, offsets)], True
    if not found:
        raise ValueError("Stencil kernel with no accesses to relatively indexed arrays.")
    return tuple(map(tuple, bounds))

def reference_stencil(kernel, arrays_and_scalars, neighborhood=None, cval=None, standard_indexing=(), out=None):
    """What ``stencil(kernel, ...)(*arrays_and_scalars, out=out)`` gives in Numba. cval=None means "not
    given": 0 in a new array and the border of ``out`` untouched (an explicit cval fills all of out)."""
    args, names = list(arrays_and_scalars), list(inspect.signature(kernel).parameters)
    first = args[0]  # the primary array: its shape sets the loop nest and the output shape
    if not isinstance(first, np.ndarray):
        raise ValueError("The first argument to a stencil kernel must be the primary input array.")
    if neighborhood is not None and len(neighborhood) != first.ndim:  # (also how Numba rejects 0-d input)
        raise ValueError(f"{len(neighborhood)} dimensional neighborhood specified for {first.ndim} dimensional input array")
    relative = [i for i, (n, a) in enumerate(zip(names, args)) if isinstance(a, np.ndarray) and n not in standard_indexing]
    for i in relative[1:]:  # larger secondary arrays are accepted, smaller ones are not
        if args[i].ndim != first.ndim or any(s < f for f, s in zip(first.shape, args[i].shape)):
            raise ValueError("Secondary stencil array has some dimension smaller the same dimension in the "
                             "first stencil input.")  # (Numba's message; another ndim fails its typing first)
    if neighborhood is None:
        neighborhood = infer_neighborhood(kernel, {names[i] for i in relative}, first.ndim)
    proxies = {i: _Relative(args[i], neighborhood) for i in relative}
    call_args = [proxies.get(i, a) for i, a in enumerate(args)]
    # Numba's loop nest is range(-min(0, lo), n - max(0, hi)) on each axis
    points = list(itertools.product(*[range(-min(0, lo), n - max(0, hi))
                                      for n, (lo, hi) in zip(first.shape, neighborhood)]))
    values = []
    for point in points or [None]:  # with no point computed Numba still types the kernel: run it on 1s
        for p in proxies.values():
            p.center = point
        values.append(kernel(*call_args))
    dtypes = [_dtype(v) for v in values]
    if any(d is None for d in dtypes):  # not `None in dtypes`: np.dtype(None) == float64
        raise ValueError("Stencil kernel must return a scalar and not a numpy array.")
    dtype = np.result_type(*set(dtypes))  # int and float returns unify to float64, as in Numba
    if isinstance(cval, complex) and dtype.kind != "c":  # Numba's can_convert; float -> int truncates
        raise ValueError("cval type does not match stencil return type.")
    if out is None:  # (a NaN cval in an int result is garbage in Numba; int(nan) raises here)
        out = np.full(first.shape, _fit(0 if cval is None else cval, dtype), dtype)
    elif cval is not None:
        out[...] = _fit(cval, out.dtype)
    for point, v in zip(points, values):
        out[point] = _fit(_fit(v, dtype), out.dtype)  # to the kernel's type, then to out's
    return out

if __name__ == "__main__":
    from numba import stencil

    def d1(a): return a[-1] - 2 * a[0] + a[1]
    def weighted(a, w, c): return w[0] * a[0, -1] + w[1] * a[0, 0] + w[2] * a[2, 1] + c
    def blur(a): return (a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1] + 4 * a[0, 0] + a[-1, -1] + a[1, 1]) / 10
    def movsum(a):
        s = 0
        for i in range(-2, 2):
            s += a[i]
        return s
    img = np.random.default_rng(0).integers(0, 255, (7, 9))
    for kernel, args, opts in [(d1, (np.arange(10, dtype=np.int32) ** 2,), {}),
                               (d1, (np.arange(6, dtype=np.uint8),), {"cval": 1.5}),
                               (blur, (img.astype(np.float32),), {}),
                               (blur, (img.astype(np.uint8),), {"cval": np.nan}),
                               (movsum, ((img[0] / 7).astype(np.float32),), {"neighborhood": ((-2, 1),)}),
                               (weighted, (img, np.array([0.5, 2.0, -1.0]), 3), {"standard_indexing": ("w",)})]:
        want, got = stencil(**opts)(kernel)(*args), reference_stencil(kernel, args, **opts)
        assert got.dtype == want.dtype and np.allclose(got, want, rtol=1e-6, equal_nan=True), (kernel, got, want)
    want = stencil(d1)(np.arange(10.0), out=np.full(10, -1.0))  # out=: its border is left alone
    assert np.array_equal(reference_stencil(d1, (np.arange(10.0),), out=np.full(10, -1.0)), want)
    try:
        reference_stencil(movsum, (np.arange(5.0),))
        raise AssertionError("a loop index without neighborhood must be rejected")
    except ValueError as e:
        assert "'neighborhood' option required" in str(e)
    print("OK")
