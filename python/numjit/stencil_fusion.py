"""A stencil fused with the element-wise arithmetic around it.

In compiled code, `lap(u) * dt + u` would fill the stencil's result array and
then a second array for the arithmetic: two passes over memory and a
temporary. Before the front end reads a jitted function, `fuse_stencils`
rewrites each such expression into one call of a `FusedStencil`, whose loop
nest computes the whole expression at each point.

Only rewrites that keep the expression's meaning exactly are made:

* the operators are +, - and * (and unary - and +), whose element-wise and
  scalar forms agree bit for bit on float64. Division, //, % and ** are left
  alone: at a zero divisor NumPy's element-wise form gives inf or nan where
  compiled scalar code raises ZeroDivisionError;
* there is one stencil call, and every other operand is a name, a number or an
  attribute of a name, so evaluating them before the stencil changes nothing;
* at run time the fused loop is taken only when the types allow it (the
  stencil's result is float64, array operands are float64 with its shape,
  the others are scalars); otherwise the expression runs as written.
"""
import ast
import itertools

_FUSED_BINARY = (ast.Add, ast.Sub, ast.Mult)
_FUSED_UNARY = (ast.USub, ast.UAdd)
# Each operand is a scalar or an array, so a fused expression has a loop nest
# for each of the 2**n combinations (compiled only when called); more
# operands than this are left unfused.
_MOST_OPERANDS = 4


def fuse_stencils(function_def, lookup, local):
    """Rewrites the fusable expressions of `function_def` in place. `lookup(name)`
    gives the object a global or closure name holds (or None); `local` are the
    names the function binds itself. Returns the fused functions the rewritten
    calls name, to be added to the closure."""
    injected = {}

    def stencil_of(node):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in local):
            return None
        target = lookup(node.func.id)
        if not getattr(target, "_numjit_stencil", False) or node.keywords:
            return None
        if len(node.args) != len(target._params) or not all(_is_plain(a) for a in node.args):
            return None
        return target

    class Rewriter(ast.NodeTransformer):
        def visit_FunctionDef(self, node):
            if node is function_def:
                self.generic_visit(node)
            return node  # inner functions are compiled on their own

        def visit_Lambda(self, node):
            return node

        def visit_BinOp(self, node):
            return self.expression(node)

        def visit_UnaryOp(self, node):
            return self.expression(node)

        def expression(self, node):
            found = _Operands(stencil_of)
            template = found.template(node)
            if template is None or found.stencil is None or len(found.leaves) > _MOST_OPERANDS:
                return self.generic_visit(node)
            stencil, call = found.stencil
            name = f"__numjit_fused_{len(injected)}"
            injected[name] = stencil._fused(ast.unparse(template), len(found.leaves))
            fused = ast.Call(func=ast.Name(name, ast.Load()), args=list(call.args) + found.leaves, keywords=[])
            return ast.fix_missing_locations(ast.copy_location(fused, node))

    Rewriter().visit(function_def)
    _calls_with_out(function_def, lookup, local, injected)
    return injected


def _calls_with_out(function_def, lookup, local, injected):
    """`stencil(a, out=b)` in compiled code: the stencil's apply_out(a, b),
    which writes the interior into `b` (a keyword the jitted apply has not)."""
    for node in ast.walk(function_def):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in local):
            continue
        target = lookup(node.func.id)
        out = [k for k in node.keywords if k.arg == "out"]
        if not getattr(target, "_numjit_stencil", False) or not out or len(node.keywords) != 1:
            continue
        name = f"__numjit_stencil_out_{len(injected)}"
        injected[name] = target._generate()[1]
        node.func = ast.copy_location(ast.Name(name, ast.Load()), node.func)
        node.args = list(node.args) + [out[0].value]
        node.keywords = []


class _Operands:
    """Splits an expression into its operators (kept, as a template over the
    stencil's value __s and operands __l0, __l1, ...) and its operands."""

    def __init__(self, stencil_of):
        self.stencil_of = stencil_of
        self.stencil = None  # (stencil, call node)
        self.leaves = []
        self.names = {}  # operand source -> its template name

    def template(self, node):
        """The template, or None when the expression cannot be fused."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, _FUSED_BINARY):
            left, right = self.template(node.left), self.template(node.right)
            return None if left is None or right is None else ast.BinOp(left, node.op, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, _FUSED_UNARY):
            operand = self.template(node.operand)
            return None if operand is None else ast.UnaryOp(node.op, operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)):
            return ast.Constant(node.value)
        stencil = self.stencil_of(node)
        if stencil is not None:
            if self.stencil is not None:
                return None  # two stencils: their borders differ; left as written
            self.stencil = (stencil, node)
            return ast.Name("__s", ast.Load())
        if not _is_plain(node):
            return None
        source = ast.unparse(node)
        if source not in self.names:
            self.names[source] = f"__l{len(self.leaves)}"
            self.leaves.append(node)
        return ast.Name(self.names[source], ast.Load())


def _is_plain(node):
    """A name, a number, or an attribute of a name: reading it has no effects."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float, complex))
    return isinstance(node, ast.Attribute) and _is_plain(node.value) and not isinstance(node.value, ast.Constant)


class FusedStencil:
    """`template` (an expression of __s, the stencil's value, and operands
    __l0, __l1, ...) computed at each point of `stencil`'s loop nest. To the
    front end it is a jitted function, as a stencil is."""

    _numjit_dispatcher = True

    def __init__(self, stencil, template, leaves, njit):
        """`njit` is given: the decorators import the dispatcher, which imports this module."""
        self.__name__ = f"{stencil.__name__}_fused"
        self.template = template
        parts = stencil._parts
        ndim = len(stencil.neighborhood)
        leaf_names = [f"__l{k}" for k in range(leaves)]
        arguments = ", ".join([parts.params] + leaf_names)
        tag = len(stencil._fusions)
        self._names = [f"__fused{tag}", f"__fused{tag}_parallel"]
        masks = list(itertools.product((False, True), repeat=leaves))  # which operands are arrays
        stencil._execute(_fits(tag, ndim) + "".join(
            self._wrapper(stencil, tag, suffix, arguments, leaf_names, ndim, masks)
            + "".join(self._apply(stencil, tag, suffix, arguments, leaf_names, mask) for mask in masks)
            for suffix in ("", "_parallel")), "fused stencil")
        namespace = parts.namespace
        namespace[f"__fits{tag}"] = mark_library(njit(inline="always")(namespace[f"__fits{tag}"]))
        for suffix in ("", "_parallel"):
            names = [f"__fused{tag}{suffix}"] + [f"__fused{tag}_apply{_mask_name(m)}{suffix}" for m in masks]
            for name in names:
                namespace[name] = mark_library(njit(parallel=bool(suffix))(namespace[name]))
        self._serial, self._parallel = (namespace[name] for name in self._names)

    def _wrapper(self, stencil, tag, suffix, arguments, leaf_names, ndim, masks):
        """Takes the fused loop when types and shapes allow; else the expression as written."""
        parts = stencil._parts
        choices = "".join(
            f"            if {' and '.join(f'{leaf}.ndim ' + ('!=' if array else '==') + ' 0' for leaf, array in zip(leaf_names, mask)) or 'True'}:\n"
            f"                return __fused{tag}_apply{_mask_name(mask)}{suffix}({arguments})\n"
            for mask in masks)
        types_allow = " and ".join(["__proto.dtype == np.float64"] + [
            f"({leaf}.ndim == 0 or ({leaf}.ndim == {ndim} and {leaf}.dtype == np.float64))" for leaf in leaf_names])
        shapes_allow = " and ".join(f"__fits{tag}({leaf}, {parts.first})" for leaf in leaf_names) or "True"
        return (f"\n\ndef __fused{tag}{suffix}({arguments}):\n"
                f"    if {parts.first}.shape[0] < 0:  # never taken: gives __proto the kernel's result type\n"
                f"        __proto = __kernel({parts.zeros}, {parts.params})\n"
                f"    if {types_allow}:\n"
                f"        if {shapes_allow}:\n"
                f"{choices}"
                f"    __s = __stencil({parts.params})  # apart, so this is not fused again\n"
                f"    return {self.template}\n")

    def _apply(self, stencil, tag, suffix, arguments, leaf_names, mask):
        """The loop nest for operands that are arrays where `mask` says: the
        expression at each point, with the stencil's value at interior points
        and cval (as the float64 result holds it) at the border."""
        parts = stencil._parts
        ndim = len(stencil.neighborhood)
        point = ", ".join(f"__i{d}" for d in range(ndim))

        def at(value, where):
            names = {"__s": value}
            names.update({leaf: f"{leaf}[{where}]" for leaf, array in zip(leaf_names, mask) if array})
            return _substitute(self.template, names)

        store = stencil._store("__s") + "    " * (ndim + 1) + f"__out[{point}] = {at('__s', point)}\n"
        nest = stencil._loop_nest(parts.first, store, bool(suffix), border=True,
                                  border_point=lambda where: f"__out[{where}] = {at('__border', where)}")
        return (f"\n\ndef __fused{tag}_apply{_mask_name(mask)}{suffix}({arguments}):\n{parts.checks}"
                f"    if {parts.first}.shape[0] < 0:  # never taken: types the result\n"
                f"        __proto = {at(f'__kernel({parts.zeros}, {parts.params})', parts.zeros)}\n"
                f"    __out = np.empty({parts.first}.shape, __proto.dtype)\n"
                f"    __border = float(__cval)\n"
                f"{nest}"
                f"    return __out\n")

    @property
    def _impl(self):
        return self._serial._impl

    @property
    def _numjit_parallel_variant(self):
        return self._parallel

    def __repr__(self):
        return f"<numjit fused stencil {self.__name__}: {self.template}>"


def mark_library(dispatcher):
    """Marks generated code as numjit's own, where a number has .ndim and
    .dtype as an array does (`__proto.dtype`: the kernel's result type)."""
    dispatcher._impl._numjit_library = True
    return dispatcher


def _mask_name(mask):
    return "_" + "".join("a" if array else "s" for array in mask) if mask else ""


def _fits(tag, ndim):
    same_shape = " and ".join(f"x.shape[{d}] == first.shape[{d}]" for d in range(ndim))
    return (f"def __fits{tag}(x, first):\n"
            f"    if x.ndim == 0:\n"
            f"        return True\n"
            f"    return {same_shape}\n")


def _substitute(template, names):
    """The template's source with each name in `names` replaced by its expression."""

    class Replace(ast.NodeTransformer):
        def visit_Name(self, node):
            return ast.parse(names[node.id], mode="eval").body if node.id in names else node

    return ast.unparse(Replace().visit(ast.parse(template, mode="eval")))
