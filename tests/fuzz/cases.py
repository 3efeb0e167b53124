"""Fuzz cases: a kernel (as a statement tree) plus the arguments to call it with.

``generate(seed, index)`` is a pure function of its inputs (the case draws
from ``random.Random(f"{seed}:{index}")``), so any case is reproduced from
its two numbers. Families:

- scalar: arithmetic, conversions, math calls, branches, loops, helpers, tuples
- loop: loops over 1-D/2-D arrays reading and writing elements
- array: NumPy array expressions, slicing, reductions, in-place updates
- recursion: self and mutual recursion, shallow or far too deep
- bad: a valid kernel with one planted error (must raise a located TypingError)
- wrongarg: a valid kernel called with a str, list, None... for an argument
- stencil: a @stencil kernel called from the compiled kernel, sometimes fused
  with arithmetic (stencil_family.py)
- containers: sets, strings, dicts and lists (container_family.py)
- records: namedtuples and @jitclass instances (record_family.py)
- times: datetime64 and timedelta64 scalars and arrays of every unit, NaT
  (time_family.py)

Outside the mix, numbered on their own (``--family cuda``; case N of seed S
is the family's N-th):

- cuda: @cuda.jit kernels with barriers, run without a GPU and compared with
  the same source run by one Python thread per CUDA thread (cuda_family.py)
- prange: parallel loops with reductions, private values and disjoint writes,
  compared with Python and then compiled with parallel=True and compared with
  the serial compile (prange_family.py)
"""
import dataclasses
import random

import numpy as np

from tests.fuzz import (arguments, bad_programs, container_family, cuda_family, prange_family, record_family,
                        stencil_family, time_family)
from tests.fuzz.array_grammar import ArrayGrammar
from tests.fuzz.grammar import Grammar, Scope, dtype_kind, element_reads

HEADER = "import math\n\nimport numpy as np\n\nfrom numjit import njit, typed, types\n"
FAMILIES = [("scalar", 26), ("loop", 26), ("array", 26), ("recursion", 3), ("bad", 12), ("wrongarg", 7),
            ("stencil", 8), ("containers", 8), ("records", 6), ("times", 6)]
OWN_NUMBERING = {"cuda", "prange"}
WRONG_ARGUMENTS = ["'abc'", "[1.0, 2.0, 3.0]", "[1, 2]", "(1.0, 2.0)", "None", "3", "2.5", "{1: 2.0}",
                   "b'xyz'", "[]", "np.zeros((2, 2, 2))", "'1.5'"]


@dataclasses.dataclass
class Case:
    seed: int
    index: int
    family: str
    expect: str            # "run", "typing-error" or "run-or-typing-error"
    params: list
    body: list
    returns: list
    args: list
    helpers: list = dataclasses.field(default_factory=list)
    extra: str = ""
    note: str = ""

    @property
    def name(self):
        return f"{self.seed}_{self.index}"


def render_block(statements, indent):
    pad = "    " * indent
    lines = []
    for stmt in statements:
        if stmt[0] == "line":
            lines.append(pad + stmt[1])
            continue
        header, body, orelse = stmt[1:4]
        lines.append(pad + header)
        empty = [pad + "    case _:", pad + "        pass"] if header.startswith("match ") else [pad + "    pass"]
        lines.extend(render_block(body, indent + 1) or empty)
        clauses = stmt[4] if len(stmt) > 4 and isinstance(stmt[4], dict) else None  # a try statement's
        for clause, handler in clauses["handlers"] if clauses else []:
            lines.append(pad + clause)
            lines.extend(render_block(handler, indent + 1) or [pad + "    pass"])
        if orelse is not None and (clauses is None or clauses["handlers"]):
            lines.append(pad + "else:")
            lines.extend(render_block(orelse, indent + 1) or [pad + "    pass"])
        if clauses and (clauses["finally"] is not None or not clauses["handlers"]):
            lines.append(pad + "finally:")
            lines.extend(render_block(clauses["finally"] or [], indent + 1) or [pad + "    pass"])
    return lines


def render_source(case):
    """The module text: imports, helpers, then ``kernel``."""
    if case.family == "cuda":
        return cuda_family.render(case, render_block)
    parts = [HEADER]
    if case.extra:
        parts.append(case.extra)
    parts.extend(case.helpers)
    body = render_block(case.body, 1)
    returns = case.returns or ["None"]
    ret = returns[0] if len(returns) == 1 else "(" + ", ".join(returns) + ")"
    header = "@njit\ndef kernel(" + ", ".join(case.params) + "):\n"
    parts.append(header + "\n".join(body + [f"    return {ret}"]) + "\n")
    return "\n\n".join(parts)


def _pick_family(rng):
    total = sum(w for _, w in FAMILIES)
    r = rng.uniform(0, total)
    for name, weight in FAMILIES:
        r -= weight
        if r <= 0:
            return name
    return FAMILIES[0][0]


def _special_rate(rng):
    return rng.choice([0.0, 0.0, 0.02, 0.05, 0.3])


def scalar_case(rng, g):
    kinds = [rng.choice("iiffbc") for _ in range(rng.randint(1, 4))]
    params = [f"p{i}" for i in range(len(kinds))]
    rate, wild = _special_rate(rng), rng.random() < 0.2
    args = [arguments.scalar_spec(rng, k, rate, wild) for k in kinds]
    scope = Scope(dict(zip(params, kinds)))
    body = g.block(scope, rng.randint(1, 6))
    if rng.random() < 0.25:
        body.append(g.tuple_stmt(scope))
    if rng.random() < 0.05:
        body.extend(g.list_stmt(scope))
    return params, body, g.returns(scope, rng.randint(1, 3)), args, scope


def loop_case(rng, g):
    ndim = 1 if rng.random() < 0.7 else 2
    shape = arguments.draw_shape(rng, ndim, big=ndim == 1)
    rate, wild = _special_rate(rng), rng.random() < 0.3
    params, args, scope = [], [], Scope()
    for k in range(rng.randint(1, 3)):
        dtype = rng.choice(arguments.DTYPES)
        params.append(f"a{k}")
        args.append(arguments.array_spec(rng, dtype, shape, rate, wild))
        scope.arrays[f"a{k}"] = (dtype, ndim, args[-1]["layout"] != "readonly")
    for k in range(rng.randint(0, 2)):
        kind = rng.choice("iff")
        params.append(f"s{k}")
        args.append(arguments.scalar_spec(rng, kind, rate, wild))
        scope.variables[f"s{k}"] = kind
    n, m = g.fresh("n_"), g.fresh("m_")
    body = [["line", f"{n} = a0.shape[0]"]]
    scope.variables[n] = "i"
    if ndim == 2:
        body.append(["line", f"{m} = a0.shape[1]"])
        scope.variables[m] = "i"
    float_accumulators = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice("iffcb")
        name = g.fresh("acc")
        body.append(["line", f"{name} = {g.leaf(kind, Scope())}"])
        scope.variables[name] = kind
        if kind == "f":
            float_accumulators.append(name)
    out = None
    if rng.random() < 0.5:
        out_dtype = rng.choice(["np.float64", "np.int64", "np.complex128", "np.bool_", "np.float32"])
        out = (g.fresh("out"), {"np.float64": "f", "np.int64": "i", "np.complex128": "c", "np.bool_": "b",
                                 "np.float32": "f"}[out_dtype])
        size = n if ndim == 1 else f"({n}, {m})"
        body.append(["line", f"{out[0]} = np.zeros({size}, dtype={out_dtype})"])
    i, j = g.fresh("i_"), g.fresh("j_")
    inner = scope.child()
    inner.variables[i] = "i"
    where = f"{i}" if ndim == 1 else f"{i}, {j}"
    for name, (dtype, _, _) in scope.arrays.items():
        kind = dtype_kind(dtype)
        inner.elements += [(r, kind) for r in element_reads(name, ndim, i, j, n, m)]
    if ndim == 2:
        inner.variables[j] = "i"
    g.in_loop = 1
    loop_body = g.block(inner, rng.randint(1, 4))
    g.in_loop = 0
    if out is not None:
        loop_body.append(["line", f"{out[0]}[{where}] = {g.expr(out[1], inner)}"])
    writable = [a for a, (dtype, _, w) in scope.arrays.items() if w or rng.random() < 0.2]
    if writable and rng.random() < 0.3:
        target = rng.choice(writable)
        kind = dtype_kind(scope.arrays[target][0])
        kind = {"u": "i"}.get(kind, kind)
        loop_body.append(["line", f"{target}[{where}] = {g.expr(kind, inner, 2)}"])
    header = rng.choice([f"for {i} in range({n}):", f"for {i} in range({n} - 1, -1, -1):"])
    loop = ["block", header, loop_body, None]
    if ndim == 2:
        loop = ["block", f"for {i} in range({n}):", [["block", f"for {j} in range({m}):", loop_body, None]], None]
    body.append(loop)
    if ndim == 1 and rng.random() < 0.3:
        guarded = scope.child()
        guarded.elements = [(f"a0[{rng.choice(['0', '-1', n + ' // 2'])}]", dtype_kind(scope.arrays["a0"][0]))]
        body.append(["block", f"if {n} > 0:", [g.assign(guarded, new=False)], None, "guard"])
    returns = g.returns(scope, rng.randint(1, 2))
    if ndim == 1 and dtype_kind(scope.arrays["a0"][0]) == "u" and rng.random() < 0.3:
        returns.append(f"(int(a0[-1]) if {n} > 0 else 1)")
    if out is not None:
        returns.append(out[0])
    # Drawn last, so that the rest of each case stays as earlier seeds made it.
    if float_accumulators and rng.random() < 0.4:
        _running_extreme_with_position(rng, g, inner, body, loop, loop_body, float_accumulators, returns, "f",
                                       [i, i, f"{i} + 1", j if ndim == 2 else i])
    # Integer argmax loops, whose compare becomes a branch; drawn after the above.
    int_accumulators = [name for name, kind in scope.variables.items() if kind == "i" and name.startswith("acc")]
    if int_accumulators and rng.random() < 0.3:
        _running_extreme_with_position(rng, g, inner, body, loop, loop_body, int_accumulators, returns, "i",
                                       [i, f"{i} + 1"])
    return params, body, returns, args, scope


def _running_extreme_with_position(rng, g, inner, body, loop, loop_body, accumulators, returns, kind, positions):
    """A running extreme (returned), and often a position set beside it (the
    argmax loop: a third copy of the loop finds it for floats, a branch takes
    it for integers)."""
    acc, update = _running_extreme(rng, g, inner, loop_body, accumulators, kind)
    returns.append(acc)
    if update is not None and rng.random() < 0.6:
        position = g.fresh("k_")
        body.insert(next(k for k, s in enumerate(body) if s is loop), ["line", f"{position} = -1"])
        update.append(["line", f"{position} = {rng.choice(positions)}"])
        returns.append(position)


def _running_extreme(rng, g, scope, loop_body, accumulators, kind="f"):
    """A running maximum or minimum kept by a compare, which
    codegen/exact_running_extrema.cpp vectorizes (`if v > acc: acc = v`,
    `acc = max(acc, v)`), or a spelling with other NaN and tie rules it must
    leave alone (`>=`, `max(v, acc)`); returns the accumulator and, for the
    `if` forms, the block's statements (where a position may be set)."""
    acc, value = rng.choice(accumulators), g.fresh("v_")
    update = [["line", f"{acc} = {value}"]]
    form = rng.choice([["block", f"if {value} > {acc}:", update, None],
                       ["block", f"if {value} < {acc}:", update, None],
                       ["block", f"if {acc} < {value}:", update, None],
                       ["line", f"{acc} = max({acc}, {value})"],
                       ["line", f"{acc} = min({acc}, {value})"],
                       ["block", f"if {value} >= {acc}:", update, None],
                       ["line", f"{acc} = max({value}, {acc})"]])
    loop_body.extend([["line", f"{value} = {g.expr(kind, scope, 1)}"], form])
    return acc, (update if form[0] == "block" else None)


def array_case(rng, g):
    ndim = rng.choice([0, 1, 1, 1, 2, 2])
    shape = arguments.draw_shape(rng, ndim, big=True)
    rate, wild = _special_rate(rng), rng.random() < 0.3
    ag = ArrayGrammar(rng, g)
    params, args, scope = [], [], Scope()
    for k in range(rng.randint(1, 3)):
        dtype = rng.choice(arguments.DTYPES)
        own_shape = () if ndim and rng.random() < 0.1 else shape
        params.append(f"a{k}")
        args.append(arguments.array_spec(rng, dtype, own_shape, rate, wild))
        ag.add(f"a{k}", np.ones(own_shape, dtype=dtype))
        scope.arrays[f"a{k}"] = (dtype, len(own_shape), True)
    if rng.random() < 0.4:
        spec = arguments.scalar_spec(rng, rng.choice("iffbc"), rate, wild)
        spec["type"] = None   # typed NumPy scalars are strong in NumPy 2, weak in numjit: see README
        params.append("s0")
        args.append(spec)
        ag.add("s0", spec["value"])
    body = [ag.statement() for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.25:
        write = ag.write_statement()
        if write:
            body.append(write)
    names = [n for n in ag.values if n.startswith("r")] or ["a0"]
    returns = [rng.choice(names) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.5:
        code, _ = ag.reduction()
        if code:
            returns.append(code)
    # Drawn last: an array variable's position of its extreme or NaN-skipping
    # extreme, which run by blocks or read the array again (numpy_reductions.cpp).
    if rng.random() < 0.3:
        real = [n for n, v in ag.values.items() if isinstance(v, np.ndarray) and v.ndim and v.dtype.kind in "fiub"]
        if real:
            name = rng.choice(real)
            text = rng.choice(["np.argmax({})", "np.argmin({})", "{}.argmax()", "np.nanmax({})", "np.nanmin({})"])
            if "nan" not in text or ag.values[name].dtype.kind == "f":
                returns.append(text.format(name))
    return params, body, list(dict.fromkeys(returns)), args, scope


def recursion_case(rng, g):
    scope = Scope({"p0": "i"})
    name, call = g.recursion_call(scope)
    args = [{"kind": "scalar", "type": None, "value": rng.randint(-3, 40)}]
    return ["p0"], [["line", f"result = {call}"]], ["result"], args, scope


def generate(seed, index, family=None):
    """Case `index` of `seed`: of the mix, or of `family` where that is numbered on its own."""
    if family in OWN_NUMBERING:
        rng = random.Random(f"{seed}:{family}:{index}")
        if family == "prange":
            g = Grammar(rng)
            params, body, returns, args, extra = prange_family.prange_case(rng, g)
            return Case(seed, index, family, "run", params, body, returns, args, [h[3] for h in g.helpers], extra)
        params, body, note, x = cuda_family.cuda_case(rng)
        return Case(seed, index, family, "run", params, body, [], x, note=note)
    rng = random.Random(f"{seed}:{index}")
    family = _pick_family(rng)
    g = Grammar(rng)
    if family == "stencil":
        params, body, returns, args, extra = stencil_family.stencil_case(rng, g)
        return Case(seed, index, family, "run", params, body, returns, args, [h[3] for h in g.helpers], extra)
    if family == "records":
        params, body, returns, args, extra = record_family.records_case(rng, g)
        return Case(seed, index, family, "run", params, body, returns, args, [h[3] for h in g.helpers], extra)
    if family == "times":
        params, body, returns, args, expect, note = time_family.times_case(rng, g)
        return Case(seed, index, family, expect, params, body, returns, args, note=note)
    if family == "containers":
        params, body, returns, args = container_family.containers_case(rng, g)
        return Case(seed, index, family, "run", params, body, returns, args, [h[3] for h in g.helpers])
    base = rng.choice(["scalar", "loop", "loop", "array"]) if family in ("bad", "wrongarg") else family
    make = {"scalar": scalar_case, "loop": loop_case, "array": array_case, "recursion": recursion_case}[base]
    params, body, returns, args, scope = make(rng, g)
    case = Case(seed, index, family, "run", params, body, returns, args, [h[3] for h in g.helpers])
    if family == "bad":
        top = Scope({p: k for p, k in scope.variables.items() if p in params}, arrays=scope.arrays)
        statements, extra, what = bad_programs.plant(rng, top, g.fresh, g.helpers)
        case.helpers = [h[3] for h in g.helpers]
        where = rng.randint(0, len(body))
        case.body = body[:where] + statements + body[where:]
        case.extra, case.note, case.expect = extra, what, "typing-error"
    elif family == "wrongarg":
        which = rng.randrange(len(args))
        case.args = list(args)
        case.args[which] = arguments.raw_spec(rng.choice(WRONG_ARGUMENTS))
        case.expect, case.note = "run-or-typing-error", f"argument {params[which]} replaced"
    return case
