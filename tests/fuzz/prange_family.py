"""The prange family: parallel loops with reductions, private values and
disjoint writes, numbered on its own (``--family prange``).

A kernel loops over the rows of its arrays with ``prange`` and, in the loop,
computes private temporaries (some in both arms of an ``if``, some in an
inner serial loop), updates reductions declared before the loop, and writes
each row's own element of a new output array. Rendered with a plain
``@njit``, prange is range, so the kernel is compared with Python as any
other; the worker then compiles it again with ``parallel=True`` and compares
that with the serial compile (worker._parallel_differs), which is where this
family's findings lie: reductions, privatisation, chunking and the order of
exceptions.

So that the parallel result may not depend on the order the threads combine
their partials in, the reductions are those whose result is exact in any
order: integer ``+=``, ``-=``, ``*=``, ``|=``, ``&=``, ``^=`` (wrapping int64
arithmetic is associative) and ``max``/``min`` of integers; float sums only
add absolute values (non-negative terms, so any order is within n ulps, and
NaN or infinity wherever it appears). Some accumulators are short int64 or
float64 arrays (array reductions), updated in place (``acc += e``) or rebound
(``acc = acc + e``) with a scalar that broadcasts; their integer terms are
taken modulo 7, as NumPy refuses Python ints beyond int64. A reduction is never read in the loop,
arrays are only read, and the output is only written, at the row's own
index, as Numba requires of a prange body.
"""
from tests.fuzz import arguments
from tests.fuzz.grammar import Scope, dtype_kind, element_reads

IMPORTS = "from numjit import prange\n"
INT_UPDATES = ["+=", "-=", "*=", "|=", "&=", "^="]
# Arrays whose elements the scalar grammar reads as plain ints and floats (see grammar.dtype_kind).
READ_DTYPES = ["int8", "int16", "int32", "int64", "float32", "float64", "bool"]


class Reductions:
    """The accumulators declared before the loop and their updates in it."""

    def __init__(self, rng, g):
        self.rng, self.g = rng, g
        self.declared = []   # (name, kind, rule): an update operator, "abs-sum", "max" or "min"

    def declare(self, body):
        for _ in range(self.rng.randint(1, 3)):
            if self.rng.random() < 0.3:
                self._declare_array(body)
                continue
            kind = self.rng.choice("iif")
            name = self.g.fresh("acc")
            if kind == "f":
                rule, start = "abs-sum", self.rng.choice(["0.0", "1.5", "-2.0"])
            else:
                # One operator per accumulator: `+=` and `-=` mix (both sums), others do not.
                rule = self.rng.choice(["+=", "+=", "*="] + INT_UPDATES[3:] + ["max", "min"])
                start = self.rng.choice(["0", "-100", "100"]) if rule in ("max", "min") else \
                    str(self.rng.randint(-3, 5))
            body.append(["line", f"{name} = {start}"])
            self.declared.append((name, kind, rule))

    def _declare_array(self, body):
        """An int64 or float64 array accumulator (kind "I" or "F") and its rule;
        "=+" and the like rebind it (`acc = acc + e`)."""
        kind = self.rng.choice("IIF")
        name = self.g.fresh("accv")
        length = self.rng.choice([1, 3, 8])
        if kind == "F":
            rule = "abs-sum"
            body.append(["line", f"{name} = np.arange({length}, dtype=np.float64) * 0.5"])
        else:
            rule = self.rng.choice(["+=", "-=", "*="] + INT_UPDATES[3:])
            if rule != "-=" and self.rng.random() < 0.3:
                rule = "=" + rule[0]
            body.append(["line", f"{name} = np.arange({length}, dtype=np.int64) + {self.rng.randint(-3, 5)}"])
        self.declared.append((name, kind, rule))

    def _update_array(self, scope, name, kind, rule):
        if kind == "F":
            return ["line", f"{name} += abs({self.g.expr('f', scope, 2)})"]
        value = f"(({self.g.expr('i', scope, 2)}) % 7)"
        if rule.startswith("="):
            op = rule[1]
            both = [name, value] if self.rng.random() < 0.6 else [value, name]
            return ["line", f"{name} = {both[0]} {op} {both[1]}"]
        return ["line", f"{name} {rule} {value}"]

    def update(self, scope):
        """One update of a reduction, reading `scope` (never the accumulators)."""
        name, kind, rule = self.rng.choice(self.declared)
        if kind in "IF":
            return self._update_array(scope, name, kind, rule)
        if rule == "abs-sum":
            return ["line", f"{name} += abs({self.g.expr('f', scope, 2)})"]
        value = self.g.expr("i", scope, 2)
        if rule in ("max", "min"):
            return ["line", f"{name} = {rule}({name}, {value})"]
        if rule == "+=":
            rule = self.rng.choice(["+=", "-="])
        if rule in INT_UPDATES[3:] and self.rng.random() < 0.3:
            return ["line", f"{name} = {value} {rule[0]} {name}"]  # the operand first: still a reduction
        return ["line", f"{name} {rule} {value}"]


def _privates(rng, g, scope, count):
    """Statements that give new private names values, on every path."""
    statements = []
    for _ in range(count):
        kind = rng.choice("iifb")
        name = g.fresh("t")
        r = rng.random()
        if r < 0.6:
            statements.append(["line", f"{name} = {g.expr(kind, scope, 2)}"])
        elif r < 0.85:
            test = g.expr("b", scope, 1)
            statements.append(["block", f"if {test}:", [["line", f"{name} = {g.expr(kind, scope, 2)}"]],
                               [["line", f"{name} = {g.expr(kind, scope, 2)}"]]])
        else:
            # A private running value over a short inner loop.
            k = g.fresh("k")
            inner = scope.child()
            inner.variables[k] = "i"
            kind = rng.choice("if")
            step = f"abs({g.expr('f', inner, 1)})" if kind == "f" else g.expr("i", inner, 1)
            statements.append(["line", f"{name} = {'0.0' if kind == 'f' else '0'}"])
            statements.append(["block", f"for {k} in range({rng.randint(0, 4)}):",
                               [["line", f"{name} += {step}"]], None])
        scope.variables[name] = kind
    return statements


def prange_case(rng, g):
    """(params, body, returns, args, extra) of one kernel of this family."""
    ndim = 1 if rng.random() < 0.7 else 2
    shape = arguments.draw_shape(rng, ndim, big=ndim == 1)
    rate, wild = rng.choice([0.0, 0.0, 0.02, 0.1]), rng.random() < 0.2
    params, args, scope = [], [], Scope()
    for k in range(rng.randint(1, 3)):
        dtype = rng.choice(READ_DTYPES)
        params.append(f"a{k}")
        # No float32 extremes: compiled float32 products overflow to inf where
        # the reference, computing in double, stays finite (reference.py, rule 2).
        single = dtype == "float32"
        args.append(arguments.array_spec(rng, dtype, shape, 0.0 if single else rate, wild and not single))
        scope.arrays[f"a{k}"] = (dtype, ndim, False)
    for k in range(rng.randint(0, 2)):
        kind = rng.choice("if")
        params.append(f"s{k}")
        args.append(arguments.scalar_spec(rng, kind, rate, wild))
        scope.variables[f"s{k}"] = kind
    n, m, i, j = g.fresh("n_"), g.fresh("m_"), g.fresh("i_"), g.fresh("j_")
    body = [["line", f"{n} = a0.shape[0]"]]
    scope.variables[n] = "i"
    if ndim == 2:
        body.append(["line", f"{m} = a0.shape[1]"])
        scope.variables[m] = "i"
    reductions = Reductions(rng, g)
    reductions.declare(body)
    out_kind = rng.choice(["f", "i", None])
    out = g.fresh("out")
    if out_kind:
        dtype = "np.float64" if out_kind == "f" else "np.int64"
        body.append(["line", f"{out} = np.zeros({n if ndim == 1 else f'({n}, {m})'}, dtype={dtype})"])
    start = rng.choice(["0", "0", "1", f"{n} // 2"])
    row = scope.child()
    row.variables[i] = "i"
    cell = row.child()
    if ndim == 2:
        cell.variables[j] = "i"
    for name, (dtype, _, _) in scope.arrays.items():
        cell.elements += [(code, dtype_kind(dtype)) for code in element_reads(name, ndim, i, j, n, m)]
    loop_body = _privates(rng, g, cell, rng.randint(0, 3))
    for _ in range(rng.randint(1, 3)):
        loop_body.append(reductions.update(cell))
    if out_kind:
        where = i if ndim == 1 else f"{i}, {j}"
        loop_body.append(["line", f"{out}[{where}] = {g.expr(out_kind, cell, 2)}"])
    if ndim == 2:
        loop_body = [["block", f"for {j} in range({m}):", loop_body, None]]
    body.append(["block", f"for {i} in prange({start}, {n}):", loop_body, None])
    returns = [name for name, _, _ in reductions.declared] + ([out] if out_kind else [])
    return params, body, returns, args, IMPORTS
