"""Pure Python/NumPy reference for Numba's ``@stencil`` (constant mode), for the tests.

``reference_stencil`` runs the *undecorated* kernel once per output point, handing it
proxies that turn relative indices (``a[-1, 0]``) into absolute ones. Element values are
``Num`` objects tagged with the dtype Numba's typing would give them, because NumPy's own
scalar promotion differs (int32 + int32 is int64 in Numba, uint8 + uint8 is uint64,
float32 * 2.0 is float64). Rules were observed with Numba 0.68.1. Known gaps: math-module
functions see a Python float (math.sqrt of float32 gives float64 here, float32 in Numba);
the return type is unified over the values actually returned, not over every branch.
Where Numba reads out of bounds (an offset outside a given neighborhood) this raises
IndexError; where Numba raises NumbaValueError (a TypingError, not a ValueError) this
raises ValueError with the same message.
"""
import ast
import inspect
import itertools
import operator
import textwrap

import numpy as np

I64, U64, F64, BOOL = (np.dtype(t) for t in ("int64", "uint64", "float64", "bool"))
_ARITH = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
          "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod,
          "pow": operator.pow, "and": operator.and_, "or": operator.or_, "xor": operator.xor,
          "lshift": operator.lshift, "rshift": operator.rshift}
_UFUNC_OPS = {np.add: operator.add, np.subtract: operator.sub, np.multiply: operator.mul,
              np.true_divide: operator.truediv, np.floor_divide: operator.floordiv,
              np.remainder: operator.mod, np.power: operator.pow}


def _dtype(x):
    """The dtype Numba types a scalar as (Python literals are 64-bit); None if not a scalar."""
    if isinstance(x, Num):
        return x.dtype
    if isinstance(x, (bool, np.bool_)):
        return BOOL
    if isinstance(x, np.generic):
        return x.dtype
    return {int: I64, float: F64, complex: np.dtype(complex)}.get(type(x))


def _py(x):
    return x.value if isinstance(x, Num) else x.item() if isinstance(x, np.generic) else x


def _fit(value, dtype):
    """What a fixed-width value of ``dtype`` holds after Python computed ``value`` exactly."""
    if dtype.kind == "b":
        return bool(value)
    if dtype.kind in "iu":  # integers wrap like machine integers; floats truncate toward 0
        bits = 8 * dtype.itemsize
        v = int(value) % (1 << bits)
        return v - (1 << bits) if dtype.kind == "i" and v >= 1 << (bits - 1) else v
    return dtype.type(value).item()  # float64 then one rounding: exact for + - * / in float32


def _widen(dt):
    return dt if dt.kind in "fc" else U64 if dt.kind == "u" else I64


def _binop_dtype(op, dx, dy):
    if dx.kind in "biu" and dy.kind in "biu":
        if op is operator.truediv:
            return F64
        if dx.kind == dy.kind == "b" and op in (operator.and_, operator.or_, operator.xor):
            return BOOL
        if op in (operator.lshift, operator.rshift):
            return _widen(dx)
        # Numba widens integers to 64 bits first; mixed signedness gives int64 (not float64)
        return U64 if dx.kind == dy.kind == "u" else I64
    # With a float or complex operand Numba follows NumPy's promotion of the unwidened types
    # (int16 + float32 -> float32, int32 + float32 -> float64, bool + float32 -> float32)
    return np.promote_types(dx, dy)


def _binop(op, x, y):
    dx, dy = _dtype(x), _dtype(y)
    if dx is None or dy is None:
        return NotImplemented
    dt = _binop_dtype(op, dx, dy)
    return Num(_fit(op(_py(x), _py(y)), dt), dt)


class Num:
    """A scalar read through a relative proxy, carrying the dtype Numba would give it."""
    __slots__ = ("value", "dtype")

    def __init__(self, value, dtype):
        self.value, self.dtype = value, np.dtype(dtype)

    def __repr__(self):
        return f"Num({self.value!r}, {self.dtype})"

    def __bool__(self): return bool(self.value)
    def __int__(self): return int(self.value)
    def __index__(self): return operator.index(self.value)
    def __float__(self): return float(self.value)
    def __complex__(self): return complex(self.value)
    def __hash__(self): return hash(self.value)

    def __neg__(self):  # widens like arithmetic: -uint8 is uint64, -bool is int64
        return Num(_fit(-self.value, _widen(self.dtype)), _widen(self.dtype))

    def __pos__(self):
        return Num(_fit(self.value, _widen(self.dtype)), _widen(self.dtype))

    def __abs__(self):  # keeps the width: abs(int8) is int8, abs(complex64) is float32
        dt = BOOL if self.dtype.kind == "b" else np.abs(self.dtype.type(0)).dtype
        return Num(_fit(abs(self.value), dt), dt)

    def __array_ufunc__(self, ufunc, method, *inputs, **kw):
        # Reached for np.float64(w) * Num and np.sqrt(Num): arithmetic keeps Numba's rules,
        # other ufuncs follow NumPy's on the tagged dtype (as Numba mostly does)
        op = _UFUNC_OPS.get(ufunc)
        if op and method == "__call__" and not kw and all(_dtype(x) is not None for x in inputs):
            return _binop(op, *inputs)
        args = [x.dtype.type(x.value) if isinstance(x, Num) else x for x in inputs]
        r = getattr(ufunc, method)(*args, **kw)
        return Num(r.item(), r.dtype) if isinstance(r, np.generic) else r


for _name, _op in _ARITH.items():
    setattr(Num, f"__{_name}__", lambda s, o, op=_op: _binop(op, s, o))
    setattr(Num, f"__r{_name}__", lambda s, o, op=_op: _binop(op, o, s))
for _name in ("lt", "le", "eq", "ne", "gt", "ge"):
    setattr(Num, f"__{_name}__", lambda s, o, op=getattr(operator, _name): op(_py(s), _py(o)))


class _Relative:
    """A relatively indexed array seen from ``center``; with center None it answers 1s (typing)."""

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
        absolute = []
        for c, r, (lo, hi) in zip(self.center, rel, self.neighborhood):
            if isinstance(r, slice):  # Numba adds the point to both bounds (slice_addition)
                absolute.append(slice(c + r.start, c + r.stop, r.step))
            elif lo <= operator.index(r) <= hi:
                absolute.append(c + operator.index(r))
            else:
                raise IndexError(f"relative index {index} outside neighborhood {self.neighborhood}")
        v = self.array[tuple(absolute)]
        return Num(v.item(), v.dtype) if isinstance(v, np.generic) else v


def _constant(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _constant(node.operand)
        return None if v is None else -v if isinstance(node.op, ast.USub) else v
    return node.value if isinstance(node, ast.Constant) and type(node.value) is int else None


def infer_neighborhood(kernel, relative_names, ndim):
    """Numba's rule: min/max of every constant offset per axis, always including 0.
    Only literal constants count (``i = 1; a[i]`` and loop indices are rejected by Numba)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(kernel)))
    bounds, found = [[0, 0] for _ in range(ndim)], False
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                and node.value.id in relative_names):
            continue
        if isinstance(node.ctx, ast.Store):
            raise ValueError("Assignments to arrays passed to stencil kernels is not allowed.")
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        offsets = [_constant(p) for p in parts]
        if None in offsets:
            raise ValueError("stencil kernel index is not constant, 'neighborhood' option required")
        if len(offsets) != ndim:
            raise ValueError("Stencil index does not match array dimensionality.")
        for axis, o in enumerate(offsets):
            bounds[axis] = [min(bounds[axis][0], o), max(bounds[axis][1], o)]
        found = True
    if not found:
        raise ValueError("Stencil kernel with no accesses to relatively indexed arrays.")
    return tuple(map(tuple, bounds))


def reference_stencil(kernel, arrays_and_scalars, neighborhood=None, cval=None,
                      standard_indexing=(), out=None):
    """What ``stencil(kernel, ...)(*arrays_and_scalars, out=out)`` returns in Numba.
    cval=None means "not given": 0 in a new array, and the border of ``out`` left untouched
    (an explicit cval fills all of ``out`` first, as Numba does)."""
    args, names = list(arrays_and_scalars), list(inspect.signature(kernel).parameters)
    first = args[0]
    if not isinstance(first, np.ndarray):
        raise ValueError("The first argument to a stencil kernel must be the primary input array.")
    if names[0] in standard_indexing:
        raise ValueError("The first argument to a stencil kernel must use relative indexing, "
                         "not standard indexing.")
    if set(standard_indexing) - set(names):
        raise ValueError("Standard indexing requested for an array name not present in the "
                         "stencil kernel definition.")
    if neighborhood is not None and len(neighborhood) != first.ndim:
        raise ValueError(f"{len(neighborhood)} dimensional neighborhood specified for "
                         f"{first.ndim} dimensional input array")
    if first.ndim == 0:
        raise TypeError("a 0-d primary array cannot be indexed (Numba: TypingError on getitem)")
    relative = [i for i, (n, a) in enumerate(zip(names, args))
                if isinstance(a, np.ndarray) and n not in standard_indexing]
    for i in relative[1:]:  # bigger secondary arrays are allowed, smaller ones are not
        if args[i].ndim != first.ndim:
            raise ValueError("Secondary stencil array does not have same number  of dimensions "
                             "as the first stencil input.")
        if any(s < f for f, s in zip(first.shape, args[i].shape)):
            raise ValueError("Secondary stencil array has some dimension smaller the same "
                             "dimension in the first stencil input.")
    if neighborhood is None:
        neighborhood = infer_neighborhood(kernel, {names[i] for i in relative}, first.ndim)
    proxies = {i: _Relative(args[i], neighborhood) for i in relative}
    call_args = [proxies.get(i, a) for i, a in enumerate(args)]
    # Numba's loop nest: range(-min(0, lo), n - max(0, hi)) on each axis
    ranges = [range(-min(0, lo), n - max(0, hi)) for n, (lo, hi) in zip(first.shape, neighborhood)]
    points, values = list(itertools.product(*ranges)), []
    for point in points:
        for p in proxies.values():
            p.center = point
        values.append(kernel(*call_args))
    if not points:  # Numba types the kernel even when no point is computed: do a run on 1s
        for p in proxies.values():
            p.center = None
        try:
            values = [kernel(*call_args)]
        except Exception:
            values = [first.dtype.type(0)]
    dtypes = [_dtype(v) for v in values]
    if any(d is None for d in dtypes):  # not `None in`: np.dtype(None) is float64
        raise ValueError("Stencil kernel must return a scalar and not a numpy array.")
    dtype = np.result_type(*set(dtypes))  # int and float returns unify to float64, as in Numba
    if cval is not None:  # Numba's can_convert: float -> int truncates, complex -> real refused
        if isinstance(cval, complex) and dtype.kind != "c":
            raise ValueError("cval type does not match stencil return type.")
        if dtype.kind in "biu" and not np.isfinite(cval):
            raise ValueError("a NaN/inf cval in an integer result is undefined in Numba")
    if out is None:
        out = np.full(first.shape, _fit(0 if cval is None else cval, dtype), dtype)
    elif cval is not None:
        out[...] = _fit(cval, out.dtype)
    for point, v in zip(points, values):
        out[point] = _fit(_fit(_py(v), dtype), out.dtype)  # to the kernel's type, then to out's
    return out


if __name__ == "__main__":
    from numba import stencil

    def d1(a): return a[-1] - 2 * a[0] + a[1]

    def blur(a):
        return (a[-1, -1] + a[-1, 0] + a[-1, 1] + a[0, -1] + a[0, 0] + a[0, 1]
                + a[1, -1] + a[1, 0] + a[1, 1]) / 9

    def movsum(a):
        s = 0
        for i in range(-2, 2):
            s += a[i]
        return s

    def weighted(a, w, c): return w[0] * a[0, -1] + w[1] * a[0, 0] + w[2] * a[2, 1] + c

    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (7, 9))
    cases = [(d1, (np.arange(10, dtype=np.int32) ** 2,), {}),
             (d1, (np.arange(6, dtype=np.uint8),), {"cval": 1.5}),
             (blur, (img.astype(np.float32),), {}),
             (blur, (img.astype(np.uint8),), {"cval": np.nan}),
             (movsum, (rng.random(12).astype(np.float32),), {"neighborhood": ((-2, 1),)}),
             (weighted, (img, np.array([0.5, 2.0, -1.0]), 3), {"standard_indexing": ("w",)})]
    for kernel, args, opts in cases:
        want = stencil(**opts)(kernel)(*args)
        got = reference_stencil(kernel, args, **opts)
        assert got.dtype == want.dtype, (kernel.__name__, got.dtype, want.dtype)
        assert np.allclose(got, want, rtol=1e-6, equal_nan=True), (kernel.__name__, got, want)
    o = np.full(10, -1.0)
    stencil(d1)(np.arange(10.0), out=o)
    assert np.array_equal(reference_stencil(d1, (np.arange(10.0),), out=np.full(10, -1.0)), o)
    try:
        reference_stencil(movsum, (np.arange(5.0),))
        raise AssertionError("a loop index without neighborhood must be rejected")
    except ValueError as e:
        assert "'neighborhood' option required" in str(e)
    print("OK")
