"""``@stencil``: a kernel written with indices relative to the current point
(``a[-1, 0] + a[1, 0]``), applied to every point whose neighbourhood lies
inside the array; the border gets ``cval``.

The kernel's source is rewritten into two jitted functions, compiled like any
other (once per argument types, also when called from Python, where Numba
compiles again on every call):

* ``kernel(i0, i1, a, ...)``: the kernel's body with each relative index
  ``a[x, y]`` made absolute, ``a[i0 + x, i1 + y]`` (inlined into its caller);
* ``apply(a, ...)``: allocates the result (its dtype is the kernel's result
  type, which the never-taken branch gives ``proto``), fills it with cval and
  runs the kernel over the interior; ``apply_out(a, ..., out)`` writes the
  interior of a given array and leaves its border as it is.

A stencil object is a jitted function to the compiler (it answers for
``apply``), so ``lap(a)`` works inside ``@njit`` code too.
"""
import ast
import copy
import itertools
import linecache
import typing

import numpy as np

from . import decoration_errors, errors, serialize, stencil_fusion

_generated = itertools.count()


class _Parts(typing.NamedTuple):
    """The pieces of a stencil's generated source that its applications share."""
    params: str  # the kernel's parameters, as a parameter list
    first: str  # the first relatively indexed array, whose shape the loops cover
    checks: str  # statements checking the other arrays have its shape
    zeros: str  # "0, 0": a point, for typing the kernel in a branch never taken
    body: ast.Module  # the kernel's body with absolute indices
    namespace: dict  # the kernel's globals and closure, and the generated functions


class StencilFunc:
    """What ``@stencil`` returns."""

    _numjit_dispatcher = True  # the front end calls it like a jitted function (see _impl)
    _numjit_stencil = True  # stencil_fusion fuses it with the arithmetic around its calls

    def __init__(self, kernel, neighborhood=None, func_or_mode="constant", cval=None, standard_indexing=()):
        if func_or_mode != "constant":
            raise ValueError(f"stencil mode {func_or_mode!r} is not supported: numjit has 'constant' (cval= at the border)")
        self.kernel = kernel
        # As in Numba: a new result's border is cval (0 when not given); a
        # given out= keeps its border unless cval was given explicitly.
        self._cval_given = cval is not None
        self.cval = 0 if cval is None else cval
        self.standard_indexing = tuple(standard_indexing)
        for attr in ("__name__", "__qualname__", "__module__", "__doc__"):
            setattr(self, attr, getattr(kernel, attr, None))
        self.__wrapped__ = kernel
        self._record = serialize.read_source(kernel)
        self._definition, self._indent = decoration_errors.parse_definition(self._record)
        if not isinstance(self._definition, ast.FunctionDef):
            raise errors.UnsupportedError("a stencil kernel must be a function defined with def")
        self._params = [a.arg for a in self._definition.args.args]
        unknown = [name for name in self.standard_indexing if name not in self._params]
        if unknown:
            raise ValueError(f"standard_indexing names {', '.join(unknown)}, which {self.__name__} does not take")
        self._relative = _relative_arrays(self._definition, self._params, self.standard_indexing)
        if not self._params or self._params[0] not in self._relative:
            raise self._error(self._definition, "a stencil kernel's first argument must be the array it "
                                                "indexes relatively (a[-1] + a[1])")
        for node, _ in _relative_subscripts(self._definition, self._relative):
            if isinstance(node.ctx, ast.Store):
                raise self._error(node, "a stencil kernel cannot assign to the arrays it reads; it returns "
                                        "the value of each point")
        self.neighborhood = self._neighborhood(neighborhood)
        self._functions = None
        self._fusions = {}

    # ---- the shape of the kernel -------------------------------------------

    def _neighborhood(self, given):
        """((lo, hi), ...) per dimension: given, or the constant offsets the kernel reads."""
        offsets = None
        for node, elements in _relative_subscripts(self._definition, self._relative):
            if offsets is None:
                offsets = [[0] for _ in elements]
            if len(elements) != len(offsets):
                raise self._error(node, f"every relative index must have {len(offsets)} dimension(s), "
                                        f"as the first one has")
            for dim, element in enumerate(elements):
                value = _constant_int(element)
                if value is not None:
                    offsets[dim].append(value)
                elif given is None:
                    raise self._error(element, "a relative index must be a constant, unless the stencil "
                                               "declares its extent: @stencil(neighborhood=((-k, k), ...))")
        if given is None:
            return tuple((min(o), max(o)) for o in offsets)
        given = tuple(tuple(int(v) for v in pair) for pair in given)
        if len(given) != len(offsets) or any(len(p) != 2 or p[0] > p[1] for p in given):
            raise ValueError(f"neighborhood must give (low, high) for each of the kernel's {len(offsets)} "
                             f"dimension(s), low <= high; got {given}")
        for dim, (lo, hi) in enumerate(given):
            outside = [v for v in offsets[dim] if not lo <= v <= hi and v != 0]
            if outside:
                raise ValueError(f"the kernel reads offset {outside[0]} in dimension {dim}, outside the "
                                 f"neighborhood {given}")
        return given

    def _error(self, node, message):
        """A TypingError at `node` of the kernel's source, with the line and a caret."""
        return decoration_errors.at_node(self.__name__, self._record, node, self._indent, message)

    # ---- the generated functions ---------------------------------------------

    def _generate(self):
        if self._functions is not None:
            return self._functions
        from .decorators import njit  # the decorators import this module's users, not it
        from .threading import prange

        ndim = len(self.neighborhood)
        index_names = [f"__i{d}" for d in range(ndim)]
        body = _Absolute(self._relative, index_names, self.neighborhood, _range_variables(self._definition)).visit(
            ast.Module(body=copy.deepcopy(self._definition.body), type_ignores=[]))
        ast.fix_missing_locations(body)  # an absolute index takes the position of the relative one it replaces
        params = ", ".join(self._params)
        first = self._relative[0]
        kernel_def = (f"def __kernel({', '.join(index_names)}, {params}):\n"
                      + _indent(ast.unparse(ast.fix_missing_locations(body)), 1))
        checks = "".join(_same_shape(name, first, ndim, "stencil arrays must have the same shape")
                         for name in self._relative[1:])
        zeros = ", ".join("0" for _ in index_names)
        namespace = dict(self.kernel.__globals__)
        for name, cell in zip(self.kernel.__code__.co_freevars, self.kernel.__closure__ or ()):
            namespace[name] = cell.cell_contents
        namespace.update(np=np, prange=prange, __cval=self.cval, __stencil=self)
        self._parts = _Parts(params, first, checks, zeros, body, namespace)
        source = (
            kernel_def + "\n\n"
            f"def __within(offset, low, high):\n"
            f"    if offset < low or offset > high:\n"
            f"        raise IndexError('a relative index is outside the stencil neighborhood')\n"
            f"    return offset\n"
            + "".join(self._appliers(suffix) for suffix in ("", "_parallel")))
        self._execute(source, "stencil")
        namespace["__kernel"] = njit(inline="always")(namespace["__kernel"])
        # Compiled from the kernel's own syntax tree, at its place in the user's
        # file, so an error in the kernel points there (not at generated text).
        namespace["__kernel"]._impl.definition = self._kernel_definition(index_names, body)
        namespace["__kernel"]._impl._source = self._record
        namespace["__within"] = njit(inline="always")(namespace["__within"])
        self._functions = tuple(stencil_fusion.mark_library(f) for f in (njit(namespace["__apply"]), njit(namespace["__apply_out"]),
                                                       njit(parallel=True)(namespace["__apply_parallel"])))
        return self._functions

    def _kernel_definition(self, index_names, body):
        """`def <kernel>(__i0, ..., params): <body with absolute indices>` at the kernel's position."""
        args = copy.deepcopy(self._definition.args)
        args.args = [ast.arg(name) for name in index_names] + args.args
        definition = ast.FunctionDef(name=self.__name__, args=args, body=copy.deepcopy(body.body),
                                     decorator_list=[], returns=None, type_params=[])
        return ast.fix_missing_locations(ast.copy_location(definition, self._definition))

    def _execute(self, source, what):
        """Runs generated source in the stencil's namespace, registered with
        linecache so the compiler can read it back."""
        filename = f"<numjit {what} {next(_generated)} for {self.__name__}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), self._parts.namespace)

    def _store(self, target):
        """Statements at the innermost loop's depth that set `target` to the kernel's value at the point."""
        depth = len(self.neighborhood) + 1
        point = ", ".join(f"__i{d}" for d in range(len(self.neighborhood)))
        return _inline_body(self._parts.body, target, depth, self._params) or \
            "    " * depth + f"{target} = __kernel({point}, {self._parts.params})\n"

    def _fused(self, template, leaves):
        """The function computing `template` (an expression of the stencil's
        value __s and operands __l0, __l1, ...) at every point; see stencil_fusion."""
        from .decorators import njit

        self._generate()
        if template not in self._fusions:
            self._fusions[template] = stencil_fusion.FusedStencil(self, template, leaves, njit)
        return self._fusions[template]

    def _appliers(self, suffix):
        """__apply (allocating the result) and __apply_out (into a given array)."""
        params, first, checks, zeros = self._parts[:4]
        store = self._store("__out[" + ", ".join(f"__i{d}" for d in range(len(self.neighborhood))) + "]")
        parallel = bool(suffix)
        apply = (f"\n\ndef __apply{suffix}({params}):\n{checks}"
                 f"    if {first}.shape[0] < 0:  # never taken: gives __proto the kernel's result type\n"
                 f"        __proto = __kernel({zeros}, {params})\n"
                 f"    __out = np.empty({first}.shape, __proto.dtype)\n"
                 f"{self._loop_nest(first, store, parallel, border=True)}"
                 f"    return __out\n")
        if parallel:
            return apply  # a parallel caller's form, without out=
        ndim = len(self.neighborhood)
        return apply + (f"\n\ndef __apply_out({params}, __out):\n{checks}"
                        + _same_shape("__out", first, ndim, "out must have the shape of the stencil arrays")
                        + self._loop_nest(first, store, parallel, border=self._cval_given)
                        + "    return __out\n")

    def _loop_nest(self, first, store, parallel, border, border_point=None):
        """The loops over the interior points, running `store` at each; with
        `border`, each loop also sets the points before and after its interior
        range to cval, or, given `border_point(point)`, runs the statement it
        returns at each border point. The border is written where the loop
        over the rows it belongs to runs (in parallel under prange, and next to
        the interior points of the same rows), and every point is written
        once. A range that would cover more than the array is clipped, so an
        array smaller than the neighbourhood is all border."""
        ndim = len(self.neighborhood)
        lines = []

        def fill(d, depth, start, stop):
            prefix = "".join(f"__i{k}, " for k in range(d))
            lines.append("    " * depth + f"for __b{d} in range({start}, {stop}):\n")
            if border_point is None:
                rest = "".join(", :" for _ in range(d + 1, ndim))
                lines.append("    " * (depth + 1) + f"__out[{prefix}__b{d}{rest}] = __cval\n")
                return
            for k in range(d + 1, ndim):
                lines.append("    " * (depth + k - d) + f"for __c{k} in range({first}.shape[{k}]):\n")
            point = prefix + f"__b{d}" + "".join(f", __c{k}" for k in range(d + 1, ndim))
            lines.append("    " * (depth + ndim - d) + border_point(point) + "\n")

        for d, (lo, hi) in enumerate(self.neighborhood):
            depth, extent = d + 1, f"{first}.shape[{d}]"
            start, stop = max(-lo, 0), f"{extent} - {max(hi, 0)}"
            if border and start > 0:
                fill(d, depth, 0, f"min({start}, {extent})")
            if border and hi > 0:  # written before the interior loop, which the next dimension's lines enter
                fill(d, depth, f"max({stop}, min({start}, {extent}))", extent)
            loop = "prange" if parallel and d == 0 else "range"
            lines.append("    " * depth + f"for __i{d} in {loop}({start}, {stop}):\n")
        return "".join(lines) + store

    @property
    def _numjit_parallel_variant(self):
        """What a parallel=True function calls (see frontend/globals.cpp): the outer loop is a prange."""
        return self._generate()[2]

    @property
    def _impl(self):
        """The compiler reads a stencil called from jitted code as its `apply`."""
        return self._generate()[0]._impl

    # ---- calling from Python -------------------------------------------------

    def __call__(self, *args, out=None):
        apply, apply_out, _ = self._generate()
        if len(args) != len(self._params):
            raise TypeError(f"{self.__name__}() takes {len(self._params)} arguments, {len(args)} given")
        first = args[self._params.index(self._relative[0])]
        if not isinstance(first, np.ndarray) or first.ndim != len(self.neighborhood):
            raise TypeError(f"{self.__name__}(): {self._relative[0]} must be a {len(self.neighborhood)}-D array, "
                            f"not {type(first).__name__}"
                            + (f" of {first.ndim} dimension(s)" if isinstance(first, np.ndarray) else ""))
        return apply(*args) if out is None else apply_out(*args, out)

    def __repr__(self):
        return f"<numjit stencil {self.__name__} neighborhood={self.neighborhood}>"


def stencil(func_or_mode="constant", **options):
    """``@stencil`` or ``@stencil(neighborhood=..., func_or_mode='constant',
    cval=..., standard_indexing=(...))``."""
    if callable(func_or_mode):
        return StencilFunc(func_or_mode, **options)
    known = {"neighborhood", "cval", "standard_indexing"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"unknown stencil option(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return lambda kernel: StencilFunc(kernel, func_or_mode=func_or_mode, **options)


# ---- reading the kernel ------------------------------------------------------

def _relative_subscripts(definition, relative):
    """(subscript node, index elements) for every relative index in the kernel."""
    for node in ast.walk(definition):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in relative:
            index = node.slice
            yield node, list(index.elts) if isinstance(index, ast.Tuple) else [index]


def _relative_arrays(definition, params, standard_indexing):
    """The parameters the kernel indexes relatively, in parameter order."""
    indexed = {node.value.id for node in ast.walk(definition)
               if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)}
    return [p for p in params if p in indexed and p not in standard_indexing]


def _constant_int(node):
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _constant_int(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    return None


def _range_variables(definition):
    """{name: (least, greatest)} for the kernel's variables that only loops
    `for name in range(...)` with constant bounds assign: an offset that is one
    of them needs no check when its whole range lies in the neighbourhood."""
    spans, unsafe, loop_targets = {}, {a.arg for a in definition.args.args}, set()
    for node in ast.walk(definition):
        if not (isinstance(node, ast.For) and isinstance(node.target, ast.Name)):
            continue
        name, call = node.target.id, node.iter
        bounds = [_constant_int(a) for a in call.args] if (
            isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "range"
            and not call.keywords and 1 <= len(call.args) <= 3) else [None]
        if None in bounds or bounds[2:] == [0]:
            unsafe.add(name)
            continue
        loop_targets.add(node.target)
        values = range(*bounds)
        if values:
            least, greatest = min(values[0], values[-1]), max(values[0], values[-1])
            known = spans.get(name, (least, greatest))
            spans[name] = (min(known[0], least), max(known[1], greatest))
    unsafe.update(node.id for node in ast.walk(definition) if isinstance(node, ast.Name)
                  and isinstance(node.ctx, (ast.Store, ast.Del)) and node not in loop_targets)
    return {name: span for name, span in spans.items() if name not in unsafe}


class _Absolute(ast.NodeTransformer):
    """a[x, y] -> a[__i0 + x, __i1 + y]; a variable offset is checked against
    the neighbourhood, unless it is a range loop's variable that stays inside it."""

    def __init__(self, relative, index_names, neighborhood, range_variables):
        self.relative = set(relative)
        self.index_names = index_names
        self.neighborhood = neighborhood
        self.range_variables = range_variables

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name) and node.value.id in self.relative):
            return node
        elements = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        absolute = []
        for d, element in enumerate(elements):
            lo, hi = self.neighborhood[d]
            span = self.range_variables.get(element.id) if isinstance(element, ast.Name) else None
            if _constant_int(element) is None and not (span and lo <= span[0] and span[1] <= hi):
                element = ast.Call(func=ast.Name("__within", ast.Load()),
                                   args=[element, ast.Constant(lo), ast.Constant(hi)], keywords=[])
            absolute.append(ast.BinOp(ast.Name(self.index_names[d], ast.Load()), ast.Add(), element))
        node.slice = ast.Tuple(absolute, ast.Load()) if len(absolute) > 1 else absolute[0]
        return node


def _inline_body(body, target, depth, params):
    """The kernel's body written into the loop over points, each `return v`
    storing v into `target`, or None when a return sits inside a loop of the
    kernel. Inlined, the body reads the arrays it is given directly; a call
    per point would count references to them on every point. A parameter the
    kernel assigns to is copied at each point first, as each call of the
    kernel would start from the argument again. A kernel that may read a
    variable before assigning it is not inlined either: inlined, it would see
    the value the previous point left, where each call raises UnboundLocalError."""
    for loop in (n for n in ast.walk(body) if isinstance(n, (ast.For, ast.While))):
        if any(isinstance(n, ast.Return) for n in ast.walk(loop)):
            return None
    if _may_read_unassigned(body.body, params):
        return None
    pad = "    " * depth
    assigned = sorted({n.id for n in ast.walk(body) if isinstance(n, ast.Name)
                       and not isinstance(n.ctx, ast.Load) and n.id in params})
    copies = "".join(f"{pad}__k_{name} = {name}\n" for name in assigned)
    body = _Rename({name: f"__k_{name}" for name in assigned}).visit(copy.deepcopy(body))
    statements = list(body.body)
    returns = [n for n in ast.walk(body) if isinstance(n, ast.Return)]
    return copies + _inline_statements(statements, returns, target, depth)


def _inline_statements(statements, returns, target, depth):
    pad = "    " * depth
    if statements and isinstance(statements[-1], ast.Return) and len(returns) == 1:
        # The usual shape: statements, then one final return.
        *head, last = statements
        text = "".join(_indent(ast.unparse(ast.fix_missing_locations(s)), depth) for s in head)
        return text + f"{pad}{target} = {ast.unparse(last.value)}\n"
    # Returns in branches: the body runs once inside a loop that each return leaves.
    stored = _Returns(target).visit(ast.Module(body=statements, type_ignores=[]))  # a copy already
    text = _indent(ast.unparse(ast.fix_missing_locations(stored)), depth + 1)
    return f"{pad}while True:\n{text}{pad}    break\n"


class _ReadsUnassigned(Exception):
    pass


def _may_read_unassigned(statements, params):
    """Whether some path through the kernel reads one of its variables before
    assigning it (as passes/definite_assignment.cpp decides for compiled code;
    anything unusual counts as yes)."""
    variables = {n.id for s in statements for n in ast.walk(s)
                 if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)} - set(params)
    breaks = []

    def check(node, assigned):
        if node is not None and any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in variables
                                    and n.id not in assigned for n in ast.walk(node)):
            raise _ReadsUnassigned

    def meet(a, b):  # None: unreachable
        return b if a is None else a if b is None else a & b

    def loop(node, assigned, targets, forever):
        breaks.append([])
        after = block(node.body, assigned | targets)
        end = None if forever else meet(assigned, after)
        end = block(node.orelse, end) if end is not None else None
        for state in breaks.pop():
            end = meet(end, state)
        return end

    def statement(node, assigned):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            check(node.value, assigned)
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(node, ast.AugAssign) or not isinstance(target, (ast.Name, ast.Tuple, ast.List)):
                    check(target, assigned)
            return assigned | {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        if isinstance(node, (ast.Expr, ast.Assert)):
            check(node, assigned)
            return assigned
        if isinstance(node, (ast.Return, ast.Raise)):
            check(node, assigned)
            return None
        if isinstance(node, (ast.Break, ast.Continue)):
            if isinstance(node, ast.Break) and breaks:
                breaks[-1].append(assigned)
            return None
        if isinstance(node, ast.Pass):
            return assigned
        if isinstance(node, ast.If):
            check(node.test, assigned)
            return meet(block(node.body, assigned), block(node.orelse, assigned))
        if isinstance(node, ast.While):
            check(node.test, assigned)
            forever = isinstance(node.test, ast.Constant) and bool(node.test.value)
            return loop(node, assigned, set(), forever)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            check(node.iter, assigned)
            return loop(node, assigned, {node.target.id}, False)
        raise _ReadsUnassigned  # with, try, nested definitions: not inlined

    def block(nodes, assigned):
        for node in nodes:
            if assigned is None:
                break
            assigned = statement(node, assigned)
        return assigned

    try:
        block(statements, frozenset())
    except _ReadsUnassigned:
        return True
    return False


class _Rename(ast.NodeTransformer):
    def __init__(self, names):
        self.names = names

    def visit_Name(self, node):
        if node.id in self.names:
            node.id = self.names[node.id]
        return node


class _Returns(ast.NodeTransformer):
    """`return v` -> `target = v; break` (inside the one-pass loop of _inline_body)."""

    def __init__(self, target):
        self.target = ast.parse(target, mode="eval").body

    def visit_Return(self, node):
        value = node.value if node.value is not None else ast.Constant(None)
        store = ast.Assign(targets=[_copy_expr(self.target, ast.Store())], value=value)
        return [store, ast.Break()]


def _copy_expr(node, ctx):
    copy = ast.parse(ast.unparse(node), mode="eval").body
    copy.ctx = ctx
    return copy


def _same_shape(name, first, ndim, message):
    """A check that `name` has `first`'s shape; its rank is decided while
    compiling (a static condition), so the extents are compared only when it matches."""
    extents = " or ".join(f"{name}.shape[{d}] != {first}.shape[{d}]" for d in range(ndim))
    return (f"    if {name}.ndim != {ndim}:\n"
            f"        raise ValueError({message!r})\n"
            f"    elif {extents}:\n"
            f"        raise ValueError({message!r})\n")


def _indent(text, levels):
    return "".join("    " * levels + line + "\n" for line in text.splitlines())
