"""The stencil family: a @stencil kernel called from the compiled kernel.

The stencil's kernel reads its arrays at constant relative offsets inside a
neighbourhood (declared, or left for numjit to infer from the offsets), and
sometimes in a loop over an offset, which needs the declared neighbourhood.
Its body is the scalar grammar's statements and branches (early returns
included); scalar arguments, a second array, weights indexed absolutely
(`standard_indexing`) and a cval vary from case to case. The compiled kernel
returns the stencil's result and, sometimes, the stencil inside +, -, *
arithmetic, which numjit fuses into one loop nest.

The last return converts to the result kind (`float(...)`), so the result
dtype is known without Numba's type unification. `reference_stencil` applies
the kernel as Python, once per interior point, with proxies that make the
relative indices absolute (through the reference's hooks, as any other
kernel code), and writes cval at the border.
"""
import ast
import itertools

import numpy as np

from tests.fuzz import arguments
from tests.fuzz.grammar import Scope, dtype_kind

CONVERSIONS = {"f": "float", "i": "int", "c": "complex", "b": "bool"}
RESULT_DTYPES = {"float": np.float64, "int": np.int64, "complex": np.complex128, "bool": np.bool_}
CVALS = {"f": ["0", "1.5", "-2.0", "0.0"], "i": ["0", "3", "-1"], "c": ["0", "1.5"], "b": ["0", "1"]}


def stencil_case(rng, g):
    ndim = rng.choice([1, 1, 2, 2, 3])
    extents = [(rng.randint(-2, 0), rng.randint(0, 2)) for _ in range(ndim)]
    sizes = [0, 1, 2, 3, 4, 5, 7, 9] + ([16, 33] if ndim < 3 else [])
    shape = tuple(rng.choice(sizes) for _ in range(ndim))
    rate, wild = rng.choice([0.0, 0.0, 0.02, 0.1]), rng.random() < 0.2
    arrays = [f"a{k}" for k in range(rng.randint(1, 2))]
    args, kinds = [], {}
    for name in arrays:
        dtype = rng.choice(arguments.DTYPES)
        # The reference computes float32 elements in double precision: large
        # values would overflow only in numjit's float32 arithmetic (a ** b).
        args.append(arguments.array_spec(rng, dtype, shape, rate, wild and dtype not in ("float32", "complex64")))
        kinds[name] = dtype_kind(dtype)
    params, scope = list(arrays), Scope()
    for k in range(rng.randint(0, 2)):
        kind = rng.choice("iff")
        params.append(f"s{k}")
        args.append(arguments.scalar_spec(rng, kind, rate, wild))
        scope.variables[f"s{k}"] = kind
    weights = rng.random() < 0.2
    if weights:
        params.append("w")
        args.append(arguments.array_spec(rng, "float64", (3,), rate, wild, layout="C"))
        scope.elements += [(f"w[{i}]", "f") for i in range(3)]
    offsets = list(itertools.product(*(range(lo, hi + 1) for lo, hi in extents)))
    for name in arrays:
        for offset in rng.sample(offsets, min(len(offsets), rng.randint(1, 4))):
            scope.elements.append((f"{name}[{', '.join(map(str, offset))}]", kinds[name]))
    g.in_loop = 1  # helpers' calls stay shallow, as in loop bodies
    # The first array is read (at the point itself), so it is the one the
    # stencil indexes relatively, as a stencil's first argument must be.
    centre = g.fresh("c")
    body = [["line", f"{centre} = {arrays[0]}[{', '.join('0' for _ in range(ndim))}]"]]
    if kinds[arrays[0]] != "u":
        scope.variables[centre] = kinds[arrays[0]]
    body += g.block(scope, rng.randint(0, 3))
    loop = rng.random() < 0.25
    if loop:
        body.extend(_offset_loop(rng, g, scope, arrays[0], kinds[arrays[0]], extents))
    kind = rng.choice("ffffiicb")
    convert = CONVERSIONS[kind]
    if rng.random() < 0.3:
        body.append(["block", f"if {g.expr('b', scope, 1)}:",
                     [["line", f"return {convert}({g.expr(kind, scope, 2)})"]], None])
    g.in_loop = 0
    source_body = "\n".join(_render(body + [["line", f"return {convert}({g.expr(kind, scope)})"]]))
    options = []
    if loop or rng.random() < 0.5:
        options.append(f"neighborhood={tuple(extents)!r}")
    if rng.random() < 0.5:
        options.append(f"cval={rng.choice(CVALS[kind])}")
    if weights:
        options.append("standard_indexing=('w',)")
    extra = (f"from numjit import stencil\n\n\ndef st_kernel({', '.join(params)}):\n{source_body}\n\n\n"
             f"st = stencil({', '.join(options)})(st_kernel)\n")
    call = f"st({', '.join(params)})"
    kernel_body = [["line", f"r0 = {call}"]]
    returns = ["r0"]
    if kind == "f" and rng.random() < 0.5:
        scalar = rng.choice([n for n in params if n.startswith("s")] or ["0.25"])
        kernel_body.append(["line", f"r1 = {rng.choice(['', '-'])}{call} * {scalar} + {arrays[-1]}"])
        returns.append("r1")
    return params, kernel_body, returns, args, extra


def _offset_loop(rng, g, scope, name, kind, extents):
    """`for t in range(lo, hi + 1): acc += a[t, 0]`: the offset is a variable."""
    lo, hi = extents[0]
    t, acc = g.fresh("t_"), g.fresh("acc")
    inner = scope.child()
    rest = ", ".join(str(rng.randint(l, h)) for l, h in extents[1:])
    inner.elements = [(f"{name}[{t}{', ' + rest if rest else ''}]", kind)]
    value_kind = kind if kind in "ifc" else "f"
    scope.variables[acc] = value_kind
    start = {"i": "0", "f": "0.0", "c": "0j"}[value_kind]
    return [["line", f"{acc} = {start}"],
            ["block", f"for {t} in range({lo}, {hi + 1}):", [["line", f"{acc} += {g.expr(value_kind, inner, 2)}"]],
             None]]


def _render(statements, indent=1):
    from tests.fuzz.cases import render_block  # cases imports this module
    return render_block(statements, indent)


# ---- the reference -------------------------------------------------------------

def reference_stencil_for(module_tree):
    """The `stencil` decorator of the reference namespace: it reads each
    kernel's definition from the (uninstrumented) module source."""
    definitions = {node.name: node for node in module_tree.body if isinstance(node, ast.FunctionDef)}

    def stencil(neighborhood=None, cval=None, standard_indexing=()):
        return lambda kernel: _ReferenceStencil(kernel, definitions[kernel.__name__], neighborhood, cval,
                                                standard_indexing)

    return stencil


class _ReferenceStencil:
    def __init__(self, kernel, definition, neighborhood, cval, standard_indexing):
        self.kernel, self.cval = kernel, 0 if cval is None else cval
        self.params = [a.arg for a in definition.args.args]
        indexed = {n.value.id for n in ast.walk(definition)
                   if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)}
        self.relative = [p for p in self.params if p in indexed and p not in standard_indexing]
        self.neighborhood = neighborhood or _offsets(definition, self.relative)
        last = definition.body[-1].value
        self.dtype = RESULT_DTYPES[last.func.id]

    def __call__(self, *args):
        first = args[self.params.index(self.relative[0])]
        for name in self.relative[1:]:
            if args[self.params.index(name)].shape != first.shape:
                raise ValueError("stencil arrays must have the same shape")
        out = np.empty(first.shape, self.dtype)
        for point in np.ndindex(*first.shape):
            inside = all(max(-lo, 0) <= p < n - max(hi, 0)
                         for p, n, (lo, hi) in zip(point, first.shape, self.neighborhood))
            if not inside:
                out[point] = self.cval
                continue
            proxied = [_Relative(a, point, self.neighborhood) if name in self.relative else a
                       for name, a in zip(self.params, args)]
            out[point] = self.kernel(*proxied)
        return out


def _offsets(definition, relative):
    """The neighbourhood numjit infers: the extent of the constant offsets, 0 included."""
    extents = None
    for node in ast.walk(definition):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in relative:
            index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            values = [ast.literal_eval(e) for e in index]
            extents = [(min(lo, v), max(hi, v)) for (lo, hi), v in zip(extents or [(0, 0)] * len(values), values)]
    return extents


class _Relative:
    """An array read relative to `point`; an offset outside the neighbourhood raises IndexError."""

    def __init__(self, array, point, neighborhood):
        self.array, self.point, self.neighborhood = array, point, neighborhood

    def __getitem__(self, index):
        index = index if isinstance(index, tuple) else (index,)
        for offset, (lo, hi) in zip(index, self.neighborhood):
            if not lo <= offset <= hi:
                raise IndexError("a relative index is outside the stencil neighborhood")
        return self.array[tuple(p + int(o) for p, o in zip(self.point, index))]
