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


def rewrite_pndindex_loops(function_def, lookup, local, parallel):
    """Rewrites `for ... in pndindex(...)` loops in place; returns the names the rewrite uses, for the closure."""
    numbers = itertools.count()
    used = {}

    def is_pndindex(node):
        return isinstance(node, ast.Call) and resolved(node.func, lookup, local) is pndindex and not node.keywords

    class Loops(ast.NodeTransformer):
        def visit_For(self, node):
            self.generic_visit(node)
            if not is_pndindex(node.iter) or not node.iter.args or node.orelse:
                return node
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


def lookup_prange():
    from .threading import prange

    return prange
