"""Functions defined inside a compiled function, and lambdas.

Numba compiles inner functions as closures. numjit lifts each one out before
the front end reads the outer function: the inner function becomes a jitted
function of its own whose extra trailing parameters are the outer variables
it reads, and every call `h(x)` in the outer function (and in sibling inner
functions, and in `h` itself) becomes `h(x, captured...)`. Values are read at
call time, as Python's closures are late-binding. Writing to a captured
variable (`nonlocal`) is not supported: the front end reports the statement.
A lambda written inside an expression (`map(lambda v: v * 2, a)`) is first
bound to a hidden name just before its statement: making a lambda has no
effect, and its body reads the variables when it is called, so the program
means the same.
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


class _LambdaNamer(ast.NodeTransformer):
    """Replaces each lambda of one statement (not one inside another lambda or
    a comprehension, whose variables it may read) by a hidden name, and
    collects the `name = lambda ...` statements that bind them."""

    def __init__(self, fresh):
        self.fresh = fresh
        self.bindings = []

    def visit_Lambda(self, node):
        name = self.fresh()
        target = ast.copy_location(ast.Name(id=name, ctx=ast.Store()), node)
        self.bindings.append(ast.copy_location(ast.Assign(targets=[target], value=node), node))
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)

    def _leave_alone(self, node):
        return node

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _leave_alone
    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _leave_alone


def name_inline_lambdas(body):
    """Binds every lambda that is not already `name = lambda ...` to a hidden
    name just before the statement that holds it, in place."""
    counter = iter(range(1, 1 << 30))

    def visit(statements):
        i = 0
        while i < len(statements):
            stmt = statements[i]
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list) and inner:
                    if isinstance(inner[0], ast.excepthandler):
                        for handler in inner:
                            visit(handler.body)
                    elif isinstance(inner[0], ast.stmt):
                        visit(inner)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                i += 1
                continue
            namer = _LambdaNamer(lambda: f"__numjit_lambda{next(counter)}")
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Lambda):
                pass  # named already; lambdas in its body read its parameters, and are named when it is lifted
            else:
                for field, value in ast.iter_fields(stmt):
                    if field in ("body", "orelse", "finalbody", "handlers"):
                        continue
                    if isinstance(value, ast.AST):
                        setattr(stmt, field, namer.visit(value))
                    elif isinstance(value, list):
                        setattr(stmt, field, [namer.visit(v) if isinstance(v, ast.AST) else v for v in value])
            statements[i:i] = namer.bindings
            i += len(namer.bindings) + 1

    visit(body)


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


class _ValueUses(ast.NodeVisitor):
    """The first read of one of `names` that is not the callee of a call."""

    def __init__(self, names):
        self.names, self.callees, self.found = names, set(), None

    def visit_Call(self, node):
        self.callees.add(id(node.func))
        self.generic_visit(node)

    def visit_Name(self, node):
        if (self.found is None and node.id in self.names and isinstance(node.ctx, ast.Load)
                and id(node) not in self.callees):
            self.found = node


def _refuse_closures_as_values(tree, captured, error_at):
    """A lifted function that reads outer variables gets them as extra
    arguments at each call; passed as a value (map(f, a)) it would be called
    without them."""
    closures = {name for name, free in captured.items() if free}
    uses = _ValueUses(closures)
    uses.visit(tree)
    if uses.found is not None:
        name = uses.found.id
        free = captured[name]
        raise error_at(uses.found, f"'{name}' reads {', '.join(free)} from the function around it, so compiled "
                                   f"code can call it but not pass it as a value (it has no closures as values); "
                                   f"pass {', '.join(free)} to it as {'an argument' if len(free) == 1 else 'arguments'}"
                                   f", or write the call where it is used")


def lift_inner_functions(function_def, make_dispatcher, error_at=None):
    """Rewrites `function_def` in place; returns {name: dispatcher} for the
    lifted functions. make_dispatcher(definition) builds a jitted function from
    a FunctionDef that shares the outer function's source and globals;
    error_at(node, message) makes the located error to raise."""
    name_inline_lambdas(function_def.body)
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
    if error_at is not None:
        _refuse_closures_as_values(function_def, captured, error_at)
    _CallRewriter(captured).visit(function_def)
    return lifted
