"""Calls of device functions with barriers, lifted out of expressions.

inline_barriers.py inlines a device function with cuda.syncthreads() only
where its call is a statement of its own. A call inside an expression is
first given one, keeping Python's order of evaluation:

    out[i] = 1.0 + block_sum(sm, t) * 2     ->   __nj_call1 = block_sum(sm, t)
                                                 out[i] = 1.0 + __nj_call1 * 2

    out[i] = sm[0] + block_sum(sm, t)       ->   __nj_call2 = sm[0]
                                                 __nj_call3 = block_sum(sm, t)
                                                 out[i] = __nj_call2 + __nj_call3

    sm[k[0]] += block_sum(sm, t)            ->   __nj_call4 = k[0]
                                                 __nj_call5 = sm[__nj_call4]
                                                 __nj_call6 = block_sum(sm, t)
                                                 sm[__nj_call4] = __nj_call5 + __nj_call6

What the statement evaluates before a lifted call and could see the device
function's writes (an array read, another call) is evaluated into a
variable before it, as Python would; names, constants, attributes and
arithmetic on them are left in place. A call that may not run at all (in
`a if c else b`, after `and`/`or`, a later comparison of a chain, a
comprehension, a while condition) is refused: threads that skip it would
miss its barrier.
"""
import ast
import copy

from .. import errors

_CONDITIONAL_PLACES = (
    "called where it may not run (a branch of `if ... else`, after `and`/`or`, a later comparison of a "
    "chain, a comprehension or a lambda): threads that skip it would miss its cuda.syncthreads()")
_READS_OR_CALLS = (ast.Subscript, ast.Call, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)
_MAY_NOT_RUN = (ast.IfExp, ast.BoolOp, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)
_NOT_EXPRESSIONS = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


class _Lifter:
    """Lifts the barrier calls of one statement (`is_barrier_call(node)` says which)."""

    def __init__(self, is_barrier_call, new_name, error_at, site):
        self.is_barrier_call, self.new_name, self.error_at, self.site = is_barrier_call, new_name, error_at, site
        self.prelude = []
        self.pending = 0  # barrier calls of the statement not lifted yet

    def fail(self, message):
        raise self.error_at(self.site, message, errors.UnsupportedError)

    def lift(self, node):
        """`node` with its barrier calls replaced by names the prelude assigns (evaluation order kept)."""
        if not self.barrier_calls(node):
            # Evaluated before a barrier call still to come: a read or a call is kept before it.
            return self.keep_before(node)
        if isinstance(node, ast.Call) and self.is_barrier_call(node):
            node.args = [self.lift(a) for a in node.args]
            for keyword in node.keywords:
                keyword.value = self.lift(keyword.value)
            self.pending -= 1
            return self.assign(node)
        if isinstance(node, _MAY_NOT_RUN) or (isinstance(node, ast.Compare) and len(node.comparators) > 1):
            # Only the first part always runs: an if-expression's test, the first operand of and/or,
            # the first comparison of a chain.
            if isinstance(node, ast.IfExp):
                node.test = self.lift(node.test)
                rest = [node.body, node.orelse]
            elif isinstance(node, ast.BoolOp):
                node.values[0] = self.lift(node.values[0])
                rest = node.values[1:]
            elif isinstance(node, ast.Compare):
                node.left = self.lift(node.left)
                node.comparators[0] = self.lift(node.comparators[0])
                rest = node.comparators[1:]
            else:
                rest = [node]
            if any(self.barrier_calls(n) for n in rest):
                self.fail(f"a device function with cuda.syncthreads() is {_CONDITIONAL_PLACES}")
            return self.keep_before(node)
        for field, value in ast.iter_fields(node):  # fields come in Python's order of evaluation
            if isinstance(value, ast.AST) and not isinstance(value, _NOT_EXPRESSIONS):
                setattr(node, field, self.lift(value))
            elif isinstance(value, list):
                setattr(node, field, [self.lift(v) if isinstance(v, ast.AST) else v for v in value])
        return self.keep_before(node) if isinstance(node, _READS_OR_CALLS) else node

    def lift_target(self, target):
        """Assignment target `target` with its subscripts' and attributes' parts lifted."""
        if isinstance(target, ast.Subscript):
            target.value, target.slice = self.lift(target.value), self.lift(target.slice)
        elif isinstance(target, ast.Attribute):
            target.value = self.lift(target.value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.lift_target(element)
        return target

    def keep_before(self, node):
        if self.pending and any(isinstance(n, _READS_OR_CALLS) for n in ast.walk(node)):
            return self.assign(node)
        return node

    def assign(self, value):
        name = self.new_name()
        self.prelude.append(ast.Assign([ast.Name(name, ast.Store())], value))
        return ast.Name(name, ast.Load())

    def barrier_calls(self, node):
        return sum(isinstance(n, ast.Call) and self.is_barrier_call(n) for n in ast.walk(node))


def lifted_statements(statement, is_barrier_call, new_name, error_at):
    """The statements that replace `statement` so each call of a device function
    with a barrier in it is the value of an assignment of its own, or None
    where nothing needs lifting (no such call, or only one that already is
    the statement: `f(...)`, `x = f(...)`, `name += f(...)`; the blocks of a
    compound statement are statements of their own)."""
    lifter = _Lifter(is_barrier_call, new_name, error_at, statement)
    calls = lifter.barrier_calls(statement)
    if not calls:
        return None
    value = getattr(statement, "value", None)
    direct = calls == 1 and isinstance(value, ast.Call) and is_barrier_call(value)
    if isinstance(statement, ast.Expr) or (isinstance(statement, ast.Assign) and len(statement.targets) == 1) or \
            (isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name)):
        if direct:
            return None
    if isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)) or (
            isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name)):
        if value is None:
            return None
        lifter.pending = calls
        statement.value = lifter.lift(value)
        for target in statement.targets if isinstance(statement, ast.Assign) else []:
            lifter.lift_target(target)  # Python evaluates the targets after the value
    elif isinstance(statement, ast.AugAssign):
        # `t[k] += v` reads t[k] before it evaluates v, and stores into the same t[k].
        lifter.pending = calls
        target = lifter.lift_target(statement.target)
        old = lifter.assign(_as_load(copy.deepcopy(target)))
        statement = ast.copy_location(ast.Assign([target], ast.BinOp(old, statement.op, lifter.lift(value))),
                                      statement)
    elif isinstance(statement, (ast.If, ast.For)):
        head = "test" if isinstance(statement, ast.If) else "iter"
        lifter.pending = lifter.barrier_calls(getattr(statement, head))
        if not lifter.pending:
            return None
        setattr(statement, head, lifter.lift(getattr(statement, head)))
    elif isinstance(statement, ast.While) and lifter.barrier_calls(statement.test):
        lifter.fail("a device function with cuda.syncthreads() in a while condition is not supported when run "
                    "without a GPU: call it before the loop and at the end of its body")
    else:
        return None
    for node in lifter.prelude:
        ast.fix_missing_locations(ast.copy_location(node, statement))
    return lifter.prelude + [ast.fix_missing_locations(statement)]


def _as_load(target):
    """Assignment target `target` made a read."""
    if isinstance(target, ast.Subscript):
        return ast.Subscript(target.value, target.slice, ast.Load())
    return ast.Attribute(target.value, target.attr, ast.Load())
