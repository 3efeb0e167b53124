"""Generators in compiled code, inlined where they are consumed.

A jitted function that yields (or a plain Python generator function) called
as the iterable of a for loop in compiled code does not exist as an object
there: the loop is rewritten, before the front end reads the function, into
the generator's own body, with each `yield v` replaced by the loop's body
run on `v`. So

    for x in evens(n):          __g1_n = n; __g1_exit = __g1_broken = False
        total += x       ->     for __g1_frame in range(1):
                                    for __g1_i in range(__g1_n):
                                        if __g1_i % 2 == 0:
                                            x = __g1_i          # yield __g1_i
                                            for __g1_step in range(1):
                                                total += x
                                            if __g1_exit: break
                                        ...

* The generator's variables are renamed (`__gN_name`), its arguments bound
  to its parameters (keywords and defaults too), and the names it reads from
  its own module or closure are passed in as closure values, so it may live
  in another module.
* The loop body runs inside a one-pass loop, so its `continue` becomes
  `break` (on to the generator's next yield); its `break` sets flags that end
  the generator's loops one by one, and skips the loop's `else`. A `return`
  in the generator ends it the same way, without skipping the `else`.
* `yield from g(...)` is `for v in g(...): yield v`; generators that consume
  other generators are inlined into each other (recursion is refused).
* `list(gen(...))`, `sorted`, `set`, `tuple`, `sum`, `min`, `max`, `any`,
  `all`, `enumerate`... and comprehensions over a generator call are first
  written as loops; generator expressions are list comprehensions.

Called from Python, a jitted generator function returns an iterator over the
values the compiled loop collects (numjit/dispatcher.py).
"""
import ast
import builtins
import copy
import inspect

from . import _closures

_MOST_NESTED = 8


def is_generator_function(value):
    """A jitted generator function, or a plain Python one."""
    py_func = getattr(value, "py_func", value)
    return inspect.isgeneratorfunction(py_func)


def generator_expressions_as_lists(function_def):
    """`(x for x in a)` is `[x for x in a]`: what consumes it in compiled code takes a list alike."""

    class AsList(ast.NodeTransformer):
        def visit_GeneratorExp(self, node):
            self.generic_visit(node)
            return ast.copy_location(ast.ListComp(node.elt, node.generators), node)

    AsList().visit(function_def)


def inline_generators(function_def, lookup, local, definition_of, depth=0):
    """Rewrites every for loop over a generator call in `function_def` (see
    the module's docstring). `lookup(name)` is what a global or closure name
    holds; `definition_of(py_func)` the FunctionDef of a function (with line
    numbers of its file). Returns the closure values the rewritten code reads."""
    injected = {}

    def generator_callee(node):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in local):
            return None
        value = lookup(node.func.id)
        return value if value is not None and is_generator_function(value) else None

    _loops_over_consumed_generators(function_def, generator_callee)
    counter = [0]

    class Inline(ast.NodeTransformer):
        def visit_For(self, node):
            self.generic_visit(node)
            counted = _enumerate_as_count(node, generator_callee, counter, depth)
            if counted is not None:
                inlined = self.visit_For(counted[1])
                return [counted[0]] + (inlined if isinstance(inlined, list) else [inlined])
            generator = generator_callee(node.iter)
            if generator is None:
                return node
            if depth >= _MOST_NESTED:
                raise _unsupported(node, "generators nested more than 8 deep (or a recursive generator) are not "
                                   "supported in compiled code")
            counter[0] += 1
            prefix = f"__g{depth}_{counter[0]}_"
            statements, values = _inlined(node, generator, prefix, definition_of, depth)
            injected.update(values)
            return statements

    Inline().visit(function_def)
    ast.fix_missing_locations(function_def)
    return injected


def _enumerate_as_count(loop, generator_callee, counter, depth):
    """`for i, v in enumerate(gen(...), start)` as a loop over the generator
    that counts: `__count = start; for __item in gen(...): i, v = __count,
    __item; __count += 1; <body>` (the count first, so a `continue` keeps it).
    None for any other loop. Returns the count's assignment and the loop."""
    call = loop.iter
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "enumerate"
            and call.args and not call.keywords
            and len(call.args) <= 2 and generator_callee(call.args[0]) is not None):
        return None
    counter[0] += 1
    count, item = f"__e{depth}_{counter[0]}_count", f"__e{depth}_{counter[0]}_item"
    start = call.args[1] if len(call.args) == 2 else ast.Constant(0)
    step = [ast.Assign([loop.target], ast.Tuple([ast.Name(count, ast.Load()), ast.Name(item, ast.Load())], ast.Load())),
            ast.AugAssign(ast.Name(count, ast.Store()), ast.Add(), ast.Constant(1))]
    counted = ast.For(ast.Name(item, ast.Store()), call.args[0], step + loop.body, loop.orelse)
    for statement in step:
        _locate(statement, loop)
    return _locate(_assign(count, start, loop), loop), _locate(counted, loop)


def _unsupported(node, message):
    from .errors import UnsupportedError

    line = getattr(node, "lineno", "?")
    return UnsupportedError(f"line {line}: {message}")


def _inlined(loop, generator, prefix, definition_of, depth):
    py_func = getattr(generator, "py_func", generator)
    definition = copy.deepcopy(definition_of(py_func))
    _yield_from_as_loops(definition)
    own = _closures.local_names(definition)
    generator_lookup = function_lookup(py_func)
    # Generators the generator itself consumes are inlined into it first, in its own scope.
    values = inline_generators(definition, generator_lookup, own, definition_of, depth + 1)
    rename_apart(definition, own, generator_lookup, values, prefix)

    exit_flag, broken_flag = prefix + "exit", prefix + "broken"
    body = _GeneratorBody(loop, exit_flag, broken_flag, prefix).block(definition.body)
    where = loop
    out = bound_parameters(loop.iter, definition, prefix, where)
    out += [_assign(exit_flag, ast.Constant(False), where), _assign(broken_flag, ast.Constant(False), where)]
    frame = ast.For(ast.Name(prefix + "frame", ast.Store()), _range_one(), body, [])
    out.append(frame)
    if loop.orelse:
        out.append(ast.If(ast.UnaryOp(ast.Not(), ast.Name(broken_flag, ast.Load())), loop.orelse, []))
    for statement in out:
        _locate(statement, where)
    return out, values


def bound_parameters(call, definition, prefix, where, kind="generator", error=None):
    """`prefix + p = argument` for each parameter p, by position, keyword or
    default. `error(node, message)` makes the exception for a call that does
    not fit (a located one where the caller has the source)."""
    error = error or _unsupported
    args = definition.args
    if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
        raise error(where, f"a {kind} with *args, **kwargs or keyword-only parameters is not supported "
                           "in compiled code")
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise error(where, f"*args and **kwargs in a {kind} call are not supported in compiled code")
    names = [a.arg for a in args.args]
    given = dict(zip(names, call.args))
    if len(call.args) > len(names):
        raise error(where, f"{definition.name}() takes {len(names)} arguments but {len(call.args)} were given")
    for keyword in call.keywords:
        if keyword.arg not in names or keyword.arg in given:
            raise error(where, f"{definition.name}() got an unexpected or repeated argument '{keyword.arg}'")
        given[keyword.arg] = keyword.value
    defaults = dict(zip(names[len(names) - len(args.defaults):], args.defaults))
    out = []
    for name in names:
        value = given.get(name, defaults.get(name))
        if value is None:
            raise error(where, f"{definition.name}() is missing the argument '{name}'")
        out.append(_assign(prefix + name, value, where))
    return out


class _GeneratorBody:
    """The generator's statements with each yield running the consumer's loop body."""

    def __init__(self, loop, exit_flag, broken_flag, prefix):
        self.loop, self.exit_flag, self.broken_flag, self.prefix = loop, exit_flag, broken_flag, prefix

    def block(self, statements):
        out = []
        for statement in statements:
            out.extend(self.statement(statement))
        return out

    def statement(self, node):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield):
            return self.yield_point(node.value.value or ast.Constant(None), node)
        if isinstance(node, ast.Return):
            return [_assign(self.exit_flag, ast.Constant(True), node), _located(ast.Break(), node)]
        if isinstance(node, (ast.For, ast.While)):
            node.body = self.block(node.body)
            node.orelse = self.block(node.orelse)
            return [node, self.leave_if_done(node)]
        if isinstance(node, ast.If):
            node.body = self.block(node.body)
            node.orelse = self.block(node.orelse)
            return [node]
        # A try without yields still has its returns made into the loop's exit.
        if isinstance(node, ast.Try) and not any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(node)):
            for part in ("body", "orelse", "finalbody"):
                setattr(node, part, self.block(getattr(node, part)))
            for handler in node.handlers:
                handler.body = self.block(handler.body)
            return [node]
        if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(node)):
            raise _unsupported(node, "a yield can only be a statement of its own (in loops and ifs) in compiled "
                                     "code; `x = yield v` and yields inside try or with are not supported")
        return [node]

    def leave_if_done(self, where):
        return _located(ast.If(ast.Name(self.exit_flag, ast.Load()), [_located(ast.Break(), where)], []), where)

    def yield_point(self, value, where):
        body = copy.deepcopy(self.loop.body)
        _ConsumerJumps(self.exit_flag, self.broken_flag).rewrite(body)
        step = ast.For(ast.Name(self.prefix + "step", ast.Store()), _range_one(), body, [])
        out = [ast.Assign([copy.deepcopy(self.loop.target)], value), step, self.leave_if_done(where)]
        for statement in out:
            _locate(statement, where)
        return out


class _ConsumerJumps:
    """The loop body's own break and continue (not those of loops inside it)."""

    def __init__(self, exit_flag, broken_flag):
        self.exit_flag, self.broken_flag = exit_flag, broken_flag

    def rewrite(self, statements):
        out = []
        for node in statements:
            if isinstance(node, ast.Continue):
                out.append(_located(ast.Break(), node))
                continue
            if isinstance(node, ast.Break):
                out += [_assign(self.broken_flag, ast.Constant(True), node),
                        _assign(self.exit_flag, ast.Constant(True), node), _located(ast.Break(), node)]
                continue
            if isinstance(node, ast.If):
                self.rewrite(node.body)
                self.rewrite(node.orelse)
            elif isinstance(node, (ast.For, ast.While)):
                self.rewrite(node.orelse)  # a loop's else belongs to the body around it
            elif isinstance(node, (ast.With, ast.Try)):
                for part in ("body", "orelse", "finalbody"):
                    self.rewrite(getattr(node, part, []))
                for handler in getattr(node, "handlers", []):
                    self.rewrite(handler.body)
            out.append(node)
        statements[:] = out


def _loops_over_consumed_generators(function_def, generator_callee):
    """`list(gen(...))` (and the other consumers) and comprehensions over a
    generator call, in a plain statement, become a loop before it."""
    consumers = {builtins.list: "list", builtins.sorted: "sorted", builtins.set: "set", builtins.tuple: "tuple",
                 builtins.sum: "sum", builtins.min: "min", builtins.max: "max", builtins.any: "any",
                 builtins.all: "all"}
    counter = [0]

    class Hoist(ast.NodeTransformer):
        def __init__(self):
            self.pending = []

        def visit_Call(self, node):
            self.generic_visit(node)
            if (isinstance(node.func, ast.Name) and node.args and generator_callee(node.args[0]) is not None
                    and getattr(builtins, node.func.id, None) in consumers):
                node.args[0] = self.hoisted(ast.ListComp(ast.Name("__gen_item", ast.Load()), [
                    ast.comprehension(ast.Name("__gen_item", ast.Store()), node.args[0], [], 0)]), node)
            return node

        def visit_comprehension_node(self, node):
            self.generic_visit(node)
            if len(node.generators) == 1 and generator_callee(node.generators[0].iter) is not None:
                return self.hoisted(node, node)
            return node

        visit_ListComp = visit_SetComp = visit_DictComp = visit_comprehension_node

        def hoisted(self, comprehension, where):
            counter[0] += 1
            name = f"__gen_collected{counter[0]}"
            gen = comprehension.generators[0]
            if isinstance(comprehension, ast.DictComp):
                start, add = ast.Dict([], []), ast.Assign(
                    [ast.Subscript(ast.Name(name, ast.Load()), comprehension.key, ast.Store())], comprehension.value)
            else:
                method = "add" if isinstance(comprehension, ast.SetComp) else "append"
                start = ast.Set([]) if isinstance(comprehension, ast.SetComp) else ast.List([], ast.Load())
                add = ast.Expr(ast.Call(ast.Attribute(ast.Name(name, ast.Load()), method, ast.Load()),
                                        [comprehension.elt], []))
            inner = add
            for condition in reversed(gen.ifs):
                inner = ast.If(condition, [inner], [])
            self.pending += [_assign(name, start, where), ast.For(gen.target, gen.iter, [inner], [])]
            return _located(ast.Name(name, ast.Load()), where)

    def visit_block(statements):
        out = []
        for statement in statements:
            for part in ("body", "orelse", "finalbody"):
                if hasattr(statement, part):
                    setattr(statement, part, visit_block(getattr(statement, part)))
            hoist = Hoist()
            if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Expr)):
                hoist.visit(statement)
            elif isinstance(statement, ast.For):
                statement.iter = hoist.visit(statement.iter)
            for pending in hoist.pending:
                _locate(pending, statement)
            out.extend(hoist.pending)
            out.append(statement)
        return out

    function_def.body = visit_block(function_def.body)


def _yield_from_as_loops(definition):
    class YieldFrom(ast.NodeTransformer):
        def visit_Expr(self, node):
            if isinstance(node.value, ast.YieldFrom):
                item = ast.Name("__yield_from_item", ast.Store())
                loop = ast.For(item, node.value.value,
                               [ast.Expr(ast.Yield(ast.Name("__yield_from_item", ast.Load())))], [])
                return _located(loop, node)
            return node

    YieldFrom().visit(definition)


def function_lookup(py_func):
    """name -> what a function's closure or module binds it to (None: neither, a builtin)."""
    closure = {}
    for name, cell in zip(py_func.__code__.co_freevars, py_func.__closure__ or ()):
        try:
            closure[name] = cell.cell_contents
        except ValueError:
            pass

    def lookup(name):
        return closure[name] if name in closure else py_func.__globals__.get(name)

    return lookup


def rename_apart(definition, own, lookup, values, prefix):
    """Makes a function's tree fit into another function: its own names
    become `prefix + name`, and the names it reads from its module or closure
    (`lookup`) or from `values` (what an inlining into it added) become
    closure values `prefix + "global_" + name`, added to `values`. Builtins
    keep their names."""
    renames = {name: prefix + name for name in own}
    for name in free_names(definition, own):
        value = lookup(name)
        if value is None and name not in values:
            continue  # a builtin: the front end finds it
        alias = prefix + "global_" + name
        renames[name] = alias
        values[alias] = values.pop(name) if name in values else value
    Renamer(renames).visit(definition)


def free_names(definition, own):
    return {n.id for n in ast.walk(definition)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in own}


class Renamer(ast.NodeTransformer):
    def __init__(self, renames):
        self.renames = renames

    def visit_Name(self, node):
        node.id = self.renames.get(node.id, node.id)
        return node


def _range_one():
    return ast.Call(ast.Name("range", ast.Load()), [ast.Constant(1)], [])


def _assign(name, value, where):
    return _located(ast.Assign([ast.Name(name, ast.Store())], value), where)


def _located(node, where):
    return _locate(node, where)


def _locate(node, where):
    for child in ast.walk(node):
        if getattr(child, "lineno", None) is None:
            ast.copy_location(child, where)
    return node
