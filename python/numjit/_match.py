"""`match` statements in compiled code (beyond Numba, which refuses them),
rewritten to if statements before the front end reads the function.

    match command:                 __match_0 = command
        case 0 | 1:                __matched_0 = False
            A                      if __match_0 == 0 or __match_0 == 1:
        case (x, 2):                   __matched_0 = True
            B                          A
        case _:                    if not __matched_0:
            C                          if len(__match_0) == 2:
                                           x = __match_0[0]
                                           if __match_0[1] == 2:
                                               __matched_0 = True
                                               B
                                   if not __matched_0:
                                       __matched_0 = True
                                       C

Each case becomes nested tests and bindings in the order Python makes them,
then its guard. On a tuple, `len(...) == n` is decided by its type, so a
sequence pattern of another length is pruned unread. Literal, capture,
wildcard, value (`Color.RED`), sequence (with one `*rest`), mapping, `|`
and `as` patterns are rewritten; a match with class patterns, or with
alternatives that bind names, is left for the front end to refuse at that
pattern.
"""
import ast


def rewrite_match_statements(function_def):
    _MatchStatements().visit(function_def)


class _Unsupported(Exception):
    def __init__(self, pattern):
        self.pattern = pattern


class _MatchStatements(ast.NodeTransformer):
    def __init__(self):
        self.count = 0

    def visit_Match(self, node):
        self.generic_visit(node)
        subject = f"__match_{self.count}"
        matched = f"__matched_{self.count}"
        try:
            steps = [_steps(case.pattern, ast.Name(subject, ast.Load())) for case in node.cases]
        except _Unsupported as e:
            ast.copy_location(node, e.pattern)  # the front end refuses the statement, pointing here
            node.end_lineno, node.end_col_offset = e.pattern.end_lineno, e.pattern.end_col_offset
            return node
        self.count += 1
        out = [_assign(subject, node.subject), _assign(matched, ast.Constant(False))]
        for k, (case, case_steps) in enumerate(zip(node.cases, steps)):
            taken = [_assign(matched, ast.Constant(True))] + case.body
            if case.guard is not None:
                taken = [ast.If(case.guard, taken, [])]
            nested = _nest(case_steps, taken)
            if k > 0:
                nested = [ast.If(ast.UnaryOp(ast.Not(), ast.Name(matched, ast.Load())), nested, [])]
            out += nested
        for statement in out:
            ast.copy_location(statement, node)
        return [ast.fix_missing_locations(statement) for statement in out]


def _assign(name, value):
    return ast.Assign([ast.Name(name, ast.Store())], value)


def _nest(steps, body):
    """Statements running `body` when every test passes, with the bindings between them."""
    for step in reversed(steps):
        if isinstance(step, tuple):  # (name, value): a binding
            body = [_assign(*step)] + body
        else:
            body = [ast.If(step, body, [])]
    return body


def _equals(subject, value):
    return ast.Compare(subject, [ast.Eq()], [value])


def _steps(pattern, subject):
    """The tests (expressions) and bindings ((name, expression)) that match
    `pattern` against `subject`, in Python's order."""
    if isinstance(pattern, ast.MatchValue):
        return [_equals(subject, pattern.value)]
    if isinstance(pattern, ast.MatchSingleton):
        if pattern.value is None:
            return [ast.Compare(subject, [ast.Is()], [ast.Constant(None)])]
        return [_equals(subject, ast.Constant(pattern.value))]
    if isinstance(pattern, ast.MatchAs):
        steps = [] if pattern.pattern is None else _steps(pattern.pattern, subject)
        return steps + ([(pattern.name, subject)] if pattern.name is not None else [])
    if isinstance(pattern, ast.MatchOr):
        alternatives = [_steps(p, subject) for p in pattern.patterns]
        if any(isinstance(step, tuple) for steps in alternatives for step in steps):
            raise _Unsupported(pattern)
        return [ast.BoolOp(ast.Or(), [_all(steps) for steps in alternatives])]
    if isinstance(pattern, ast.MatchSequence):
        return _sequence_steps(pattern, subject)
    if isinstance(pattern, ast.MatchMapping):
        if pattern.rest is not None:
            raise _Unsupported(pattern)
        steps = []
        for key, value in zip(pattern.keys, pattern.patterns):
            steps.append(ast.Compare(key, [ast.In()], [subject]))
            steps += _steps(value, ast.Subscript(subject, key, ast.Load()))
        return steps
    raise _Unsupported(pattern)  # class patterns


def _all(steps):
    if not steps:
        return ast.Constant(True)
    return steps[0] if len(steps) == 1 else ast.BoolOp(ast.And(), steps)


def _sequence_steps(pattern, subject):
    items = pattern.patterns
    stars = [k for k, p in enumerate(items) if isinstance(p, ast.MatchStar)]
    length = ast.Call(ast.Name("len", ast.Load()), [subject], [])
    n = len(items)
    if not stars:
        steps = [_equals(length, ast.Constant(n))]
        for k, item in enumerate(items):
            steps += _steps(item, ast.Subscript(subject, ast.Constant(k), ast.Load()))
        return steps
    star = stars[0]
    steps = [ast.Compare(length, [ast.GtE()], [ast.Constant(n - 1)])]
    for k, item in enumerate(items):
        if k < star:
            steps += _steps(item, ast.Subscript(subject, ast.Constant(k), ast.Load()))
        elif k > star:
            steps += _steps(item, ast.Subscript(subject, ast.Constant(k - n), ast.Load()))
        elif item.name is not None:
            stop = ast.BinOp(length, ast.Sub(), ast.Constant(n - 1 - star))
            steps.append((item.name, ast.Subscript(subject, ast.Slice(ast.Constant(star), stop), ast.Load())))
    return steps
