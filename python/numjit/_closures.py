"""Functions defined inside a compiled function, and lambdas bound to names.

Numba compiles inner functions as closures. numjit lifts each one out before
the front end reads the outer function: the inner function becomes a jitted
function of its own whose extra trailing parameters are the outer variables
it reads, and every call `h(x)` in the outer function (and in sibling inner
functions, and in `h` itself) becomes `h(x, captured...)`. Values are read at
call time, as Python's closures are late-binding. Writing to a captured
variable (`nonlocal`) is not supported: the front end reports the statement.
"""
import ast

from .errors import UnsupportedError



def _assigned_names(nodes):
    """Names stored to in `nodes`, not looking inside nested functions or lambdas."""
    names = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            if not isinstance(node, ast.Lambda):
                names.add(node.name)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return names


def _parameters(args):
    return [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]


def local_names(function_def):
    """The names a function binds itself (parameters, stores, inner
    definitions, imports), which hide the globals of the same names."""
    args = function_def.args
    names = set(_parameters(args)) | _assigned_names(function_def.body)
    names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    for node in ast.walk(function_def):
        if isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.difference_update(node.names)
    return names


def _loaded_names(nodes):
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _inner_definitions(body):
    """(statement list, index, name, FunctionDef-like) for each inner def or `name = lambda ...`, in order."""
    found = []

    def visit(statements):
        for i, stmt in enumerate(statements):
            if isinstance(stmt, ast.FunctionDef):
                found.append((statements, i, stmt.name, stmt))
                continue
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                    and isinstance(stmt.value, ast.Lambda)):
                lam = stmt.value
                ret = ast.copy_location(ast.Return(value=lam.body), lam.body)
                definition = ast.FunctionDef(name=stmt.targets[0].id, args=lam.args, body=[ret], decorator_list=[],
                                             returns=None, type_params=[])
                found.append((statements, i, stmt.targets[0].id, ast.copy_location(definition, stmt)))
                continue
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    visit(inner)

    visit(body)
    return found


class _CallRewriter(ast.NodeTransformer):
    """Passes each lifted function's captured variables to calls of it, by keyword."""

    def __init__(self, captured):
        self.captured = captured  # name -> list of captured variable names

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in self.captured:
            node.keywords = node.keywords + [
                ast.copy_location(ast.keyword(arg=v, value=ast.copy_location(ast.Name(id=v, ctx=ast.Load()), node)), node)
                for v in self.captured[node.func.id]]
        return node


def lift_inner_functions(function_def, make_dispatcher):
    """Rewrites `function_def` in place; returns {name: dispatcher} for the
    lifted functions. make_dispatcher(definition) builds a jitted function from
    a FunctionDef that shares the outer function's source and globals."""
    inner = _inner_definitions(function_def.body)
    if not inner:
        return {}
    outer_variables = set(_parameters(function_def.args)) | _assigned_names(function_def.body)
    captured = {}
    lifted = {}
    names = [name for _, _, name, _ in inner]
    for statements, index, name, definition in inner:
        if names.count(name) > 1:
            # Which definition a call meant would depend on the path taken at run time.
            raise UnsupportedError(f"{name} is defined more than once in {function_def.name}; compiled code needs "
                                   f"one definition per inner function name (line {definition.lineno})")
        own = set(_parameters(definition.args)) | _assigned_names(definition.body)
        free = sorted((_loaded_names(definition.body) - own - {name}) & (outer_variables - set(lifted)))
        # Calls to inner functions lifted before this one bring their captured variables along.
        for other in captured:
            if other in _loaded_names(definition.body):
                free = sorted(set(free) | set(captured[other]))
        captured[name] = free
        _CallRewriter(captured).visit(definition)
        args = definition.args
        extra = [ast.copy_location(ast.arg(arg=v), definition) for v in free]
        # Captured parameters come last; after defaulted ones they need defaults too (never used:
        # every call passes them).
        filler = [ast.copy_location(ast.Constant(value=None), definition) for _ in extra] if args.defaults else []
        definition.args = ast.arguments(posonlyargs=args.posonlyargs, args=args.args + extra, vararg=args.vararg,
                                        kwonlyargs=args.kwonlyargs, kw_defaults=args.kw_defaults, kwarg=args.kwarg,
                                        defaults=args.defaults + filler)
        statements[index] = ast.copy_location(ast.Pass(), statements[index])
        lifted[name] = make_dispatcher(definition)
    _CallRewriter(captured).visit(function_def)
    return lifted
