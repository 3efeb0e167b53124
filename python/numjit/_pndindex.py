"""``numba.pndindex``: np.ndindex whose outermost axis a parallel function
shares among threads, rewritten before the front end reads the function:

    for idx in pndindex(shape):        __pndindex_shape_0 = __numjit_shape_tuple(shape)
        body                           for __pndindex_outer_0 in prange(__pndindex_shape_0[0]):
                                           for __pndindex_inner_0 in np.ndindex(__pndindex_shape_0[1:]):
                                               idx = (__pndindex_outer_0,) + __pndindex_inner_0
                                               body

Outside parallel=True the outer loop is a plain range. The shape is a tuple,
one integer, or the integers given as several arguments, as for np.ndindex."""
import ast
import itertools

import numpy as np

from . import _registry
from ._ast_lookup import resolved
from .decorators import njit


def pndindex(*shape):
    """In Python (and outside parallel functions): np.ndindex."""
    return np.ndindex(*shape)


pndindex.__module__ = "numjit"


@njit
def _shape_tuple(shape):
    if isinstance(shape, tuple):
        return shape
    return (shape,)


def _breaks_of(statements):
    """The `break` statements that would leave the loop whose body `statements` are."""
    found = []
    for statement in statements:
        if isinstance(statement, ast.Break):
            found.append(statement)
        elif not isinstance(statement, (ast.For, ast.While, ast.AsyncFor, ast.FunctionDef, ast.AsyncFunctionDef,
                                        ast.ClassDef, ast.Lambda)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                found.extend(_breaks_of(getattr(statement, field, []) or []))
            for case in getattr(statement, "cases", []) or []:
                found.extend(_breaks_of(case.body))
        if isinstance(statement, ast.ExceptHandler):
            found.extend(_breaks_of(statement.body))
    return found


def rewrite_pndindex_loops(function_def, lookup, local, parallel, error_at):
    """Rewrites `for ... in pndindex(...)` loops in place; returns the names the rewrite uses, for the closure.
    A `break` or an `else` of such a loop is refused (`error_at(node, message)` makes the located error): the
    loop becomes two, which one break cannot leave, and under parallel=True a prange loop has neither."""
    numbers = itertools.count()
    used = {}

    def is_pndindex(node):
        return isinstance(node, ast.Call) and resolved(node.func, lookup, local) is pndindex and not node.keywords

    class Loops(ast.NodeTransformer):
        def visit_For(self, node):
            self.generic_visit(node)
            if not is_pndindex(node.iter) or not node.iter.args:
                return node
            if node.orelse:
                raise error_at(node, "a pndindex loop cannot have an else clause")
            breaks = _breaks_of(node.body)
            if breaks:
                raise error_at(breaks[0], "'break' inside a pndindex loop is not supported (its iterations may run "
                                          "on several threads): leave it with a flag, or loop over np.ndindex")
            k = next(numbers)
            shape, outer, inner = f"__pndindex_shape_{k}", f"__pndindex_outer_{k}", f"__pndindex_inner_{k}"
            args = node.iter.args
            given = args[0] if len(args) == 1 else ast.Tuple(list(args), ast.Load())
            used["__numjit_shape_tuple"] = _shape_tuple
            used["__numjit_ndindex"] = np.ndindex
            used["__numjit_outer_range"] = lookup_prange() if parallel else range
            text = (f"{shape} = __numjit_shape_tuple(__given)\n"
                    f"for {outer} in __numjit_outer_range({shape}[0]):\n"
                    f"    for {inner} in __numjit_ndindex({shape}[1:]):\n"
                    f"        __target = ({outer},) + {inner}\n")
            bind, loop = ast.parse(text).body
            for made in (bind, loop):  # the template's own nodes stand where the loop stood
                for sub in ast.walk(made):
                    if isinstance(sub, (ast.expr, ast.stmt)):
                        ast.copy_location(sub, node)
            bind.value.args = [given]
            inner_loop = loop.body[0]
            inner_loop.body[0].targets = [node.target]
            inner_loop.body.extend(node.body)
            return [bind, loop]

    Loops().visit(function_def)
    return used


def _rewrite(function_def, lookup, local, options, error_at):
    return rewrite_pndindex_loops(function_def, lookup, local, bool(options.get("parallel")), error_at)


_registry.source_rewrites.append(_rewrite)


def lookup_prange():
    from .threading import prange

    return prange
