"""Greedy shrinking of a failing case to a small reproducer.

Each round builds every one-step simplification of the current case (drop a
statement, unwrap a block into its body, drop a returned value, drop an
unused helper, shrink or simplify an argument), runs them all in one worker
batch, and keeps the smallest one that still fails *the same way* (same
category, and the same exception types or error message where there is
one). It stops when no simplification keeps the failure.
"""
import ast
import copy
import dataclasses
import re

from tests.fuzz import arguments, runner
from tests.fuzz.cases import render_source


def failure_key(verdict):
    """What must stay the same while shrinking."""
    category, detail = verdict["category"], verdict.get("detail", "")
    if category in ("wrong-exception", "rejected", "accepted-bad"):
        names = [re.sub(r"[-\d.e+]+", "N", n)[:40] for n in re.findall(r"(raised \w+: .*|returned)", detail)]
        message = re.findall(r"\^+ (.*)", detail)
        return (category, tuple(names), tuple(m[:40] for m in message[:1]))
    if category in ("unlocated-error", "internal-error"):
        return (category, detail.split(":")[0])
    if category == "mismatch":
        first = detail.splitlines()[0] if detail else ""
        dtypes = re.findall(r"dtype [\w\[\]]+ != expected [\w\[\]]+", first)
        words = ("shape", "kind", "expected a", "afterwards")
        return (category,) + tuple(dtypes) + tuple(w for w in words if w in first)
    return (category,)


def size(case):
    return len(render_source(case)) + sum(4 * len(a.get("values", [])) for a in case.args if isinstance(a, dict))


def _statement_paths(statements, prefix=()):
    """Paths of the statements that may go (not planted errors, see bad_programs)."""
    for i, stmt in enumerate(statements):
        if stmt[-1] == "planted":
            continue
        yield prefix + (i,)
        if stmt[0] == "block":
            yield from _statement_paths(stmt[2], prefix + (i, 2))
            if stmt[3]:
                yield from _statement_paths(stmt[3], prefix + (i, 3))


def _edit(body, path, replacement):
    """A copy of ``body`` with the statement at ``path`` replaced by a list of statements."""
    body = copy.deepcopy(body)
    container = body
    for step in path[:-1]:
        container = container[step]
    container[path[-1]:path[-1] + 1] = replacement
    return body


def candidates(case):
    """One-step simplifications of ``case``, roughly the most aggressive first."""
    out = []
    for path in _statement_paths(case.body):
        stmt = _lookup(case.body, path)
        out.append(dataclasses.replace(case, body=_edit(case.body, path, [])))
        if stmt[0] == "block" and stmt[-1] != "guard":
            out.append(dataclasses.replace(case, body=_edit(case.body, path, list(stmt[2]))))
            if stmt[3]:
                out.append(dataclasses.replace(case, body=_edit(case.body, path, list(stmt[3]))))
                out.append(dataclasses.replace(case, body=_edit(case.body, path, [stmt[:3] + [None] + stmt[4:]])))
    for path in _statement_paths(case.body):
        stmt = _lookup(case.body, path)
        if stmt[0] == "line":
            for text in simpler_code(stmt[1]):
                out.append(dataclasses.replace(case, body=_edit(case.body, path, [["line", text]])))
    if case.family == "cuda":
        return out  # its frame (parameters, launch, data) stays as it is: cuda_family.arguments_of
    for i, text in enumerate(case.returns):
        for simpler in simpler_code(text):
            out.append(dataclasses.replace(case, returns=case.returns[:i] + [simpler] + case.returns[i + 1:]))
    rendered = "\n".join(render_source(case).split("def kernel(", 1)[1].splitlines()[1:])
    for i, param in enumerate(case.params):
        if not re.search(rf"\b{param}\b", rendered):
            out.append(dataclasses.replace(case, params=case.params[:i] + case.params[i + 1:],
                                           args=case.args[:i] + case.args[i + 1:]))
    if len(case.returns) > 1:
        for i in range(len(case.returns)):
            out.append(dataclasses.replace(case, returns=case.returns[:i] + case.returns[i + 1:]))
    source = render_source(case)
    for i, helper in enumerate(case.helpers):
        name = re.search(r"def (\w+)", helper).group(1)
        if source.count(name + "(") <= helper.count(name + "("):
            out.append(dataclasses.replace(case, helpers=case.helpers[:i] + case.helpers[i + 1:]))
    out.extend(_shrink_arrays_together(case))
    for i, spec in enumerate(case.args):
        # Loops index every array by the first one's length: only the array
        # family may shrink one array alone (a broadcast error is safe).
        for smaller in arguments.shrink_candidates(spec, resize=case.family == "array"):
            out.append(dataclasses.replace(case, args=case.args[:i] + [smaller] + case.args[i + 1:]))
    return out


_SIMPLIFIABLE = (ast.BinOp, ast.UnaryOp, ast.Call, ast.IfExp, ast.BoolOp, ast.Compare)


def simpler_code(text):
    """``text`` (a statement or expression) with one operation replaced by
    one of its operands, e.g. ``x = (a + f(b))`` -> ``x = a``, ``x = f(b)``."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    # Index expressions and length tests stay: simplifying them could index out of bounds.
    frozen = {id(n) for sub in ast.walk(tree) if isinstance(sub, ast.Subscript) for n in ast.walk(sub.slice)}
    frozen |= {id(n) for exp in ast.walk(tree) if isinstance(exp, ast.IfExp) and "n_" in ast.unparse(exp.test)
               for n in ast.walk(exp)}
    out = []
    for n, node in enumerate(ast.walk(tree)):
        if not isinstance(node, _SIMPLIFIABLE) or id(node) in frozen:
            continue
        children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
        if isinstance(node, ast.Call):
            children = list(node.args)
        for k in range(len(children)):
            out.append(_with_operand(text, n, k))
    return [t for t in dict.fromkeys(out) if t != text]


def _with_operand(text, n, k):
    """``text`` with the n-th node (in ast.walk order) replaced by its k-th operand."""
    tree = ast.parse(text)
    node = list(ast.walk(tree))[n]
    operand = node.args[k] if isinstance(node, ast.Call) else \
        [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)][k]

    class Swap(ast.NodeTransformer):
        def visit(self, current):
            return operand if current is node else super().visit(current)
    return ast.unparse(Swap().visit(tree))


def _lookup(body, path):
    node = body
    for step in path:
        node = node[step]
    return node


def _shrink_arrays_together(case):
    """Arrays of one shape shrink together, or elementwise code would stop
    broadcasting and fail differently."""
    shapes = {tuple(s["shape"]) for s in case.args if s["kind"] == "array" and len(s["shape"]) in (1, 2)}
    out = []
    for shape in shapes:
        row = shape[1] if len(shape) == 2 else 1
        for keep in sorted({1, shape[0] // 2, shape[0] - 1, 0} - {shape[0]}):
            args = [dict(s, shape=[keep] + list(shape[1:]), values=s["values"][:keep * row])
                    if s["kind"] == "array" and tuple(s["shape"]) == shape else s for s in case.args]
            out.append(dataclasses.replace(case, args=args))
    return out


def shrink(case, verdict, timeout=30.0, max_rounds=60, max_tries=1500):
    """(smallest case found that fails like ``case``, its verdict)."""
    key = failure_key(verdict)
    server = runner.Server(timeout)
    tries = 0
    try:
        for _ in range(max_rounds):
            options = sorted((c for c in candidates(case) if size(c) < size(case)), key=size)
            for option in options:
                tries += 1
                found = server.judge(option)
                if failure_key(found) == key:
                    case, verdict = option, found
                    break
            else:
                break
            if tries >= max_tries:
                break
    finally:
        server.close()
    return case, verdict
