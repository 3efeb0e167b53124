"""Calls of builtins rewritten before the front end reads a function.

* `list(range(n))`, `sorted(range(...))`, `reversed(range(...))`: a range
  object exists in compiled code only as the iterable of a for loop, so it
  cannot be passed to the library's list(), sorted() and reversed(). The
  range argument becomes the list comprehension `[i for i in range(...)]`,
  which the front end compiles as a loop.
* `list()` becomes `[]`, whose item type its first append gives (a library
  function could not return a list of a type decided by its caller).
* `np.array([[a, b], [c, d]])` (and `np.asarray`): nested list displays
  become tuple displays, whose rectangular shape is known while compiling;
  lists of lists do not exist in compiled code."""
import ast
import builtins
import sys

_TAKERS = {builtins.list, builtins.sorted, builtins.reversed}


def rewrite_builtin_calls(function_def, lookup):
    """Rewrites `function_def` in place. `lookup(name)` gives the object a
    global or closure name holds; builtins are looked up after it."""
    local = {a.arg for a in function_def.args.args + function_def.args.posonlyargs + function_def.args.kwonlyargs}
    local.update(n.id for n in ast.walk(function_def) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))

    def resolves_to(name, objects):
        if name in local:
            return False
        value = lookup(name)
        if value is None:
            value = getattr(builtins, name, None)
        return any(value is o for o in objects)

    class EmptyList(ast.NodeTransformer):
        def visit_Call(self, node):
            self.generic_visit(node)
            if (isinstance(node.func, ast.Name) and not node.args and not node.keywords
                    and resolves_to(node.func.id, {builtins.list})):
                return ast.copy_location(ast.List([], ast.Load()), node)
            return node

    EmptyList().visit(function_def)
    numpy = sys.modules.get("numpy")
    for node in ast.walk(function_def):
        if (isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("array", "asarray") and isinstance(node.func.value, ast.Name)
                and not node.func.value.id in local and lookup(node.func.value.id) is numpy
                and isinstance(node.args[0], ast.List) and node.args[0].elts
                and all(isinstance(e, (ast.List, ast.Tuple)) for e in node.args[0].elts)):
            node.args[0] = _as_tuples(node.args[0])
    for node in ast.walk(function_def):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args
                and resolves_to(node.func.id, _TAKERS)):
            continue
        first = node.args[0]
        if isinstance(first, ast.Call) and isinstance(first.func, ast.Name) and resolves_to(first.func.id, {range}):
            item = ast.Name("__range_item", ast.Load())
            comprehension = ast.ListComp(item, [ast.comprehension(ast.Name("__range_item", ast.Store()), first, [], 0)])
            node.args[0] = ast.fix_missing_locations(ast.copy_location(comprehension, first))


def _as_tuples(node):
    """A nested display of lists and tuples as nested tuples."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return ast.copy_location(ast.Tuple([_as_tuples(e) for e in node.elts], ast.Load()), node)
    return node
