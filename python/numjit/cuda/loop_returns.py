"""Returns from inside loops, for code run as phases over a block's threads.

Both a kernel thread's code (barriers.py) and an inlined device function
(inline_barriers.py) turn a `return` inside a loop into a mark (the thread
done, or the function's result and a flag) followed by `break`, and follow
each inner loop that may return with `if <marked>: break`, so the return
leaves every loop around it; the caller puts the code after the outermost
loop under the mark's negation.
"""
import ast


def breaking_out(loop, on_return, marked, refuse):
    """The body of `loop` with each `return` made on_return(node) + `break`, and each inner loop
    that may return followed by `if marked(): break`. refuse(node, what) raises for a return
    this cannot reach: what is "else" (in a loop's else clause) or the kind of statement it is in."""
    else_return = next((n for s in loop.orelse for n in ast.walk(s) if isinstance(n, ast.Return)), None)
    if else_return is not None:
        refuse(else_return, "else")

    def body(statements):
        out = []
        for statement in statements:
            if isinstance(statement, ast.Return):
                return out + on_return(statement) + [ast.copy_location(ast.Break(), statement)]
            found = next((n for n in ast.walk(statement) if isinstance(n, ast.Return)), None)
            if found is None:
                out.append(statement)
            elif isinstance(statement, ast.If):
                statement.body, statement.orelse = body(statement.body), body(statement.orelse)
                out.append(statement)
            elif isinstance(statement, (ast.For, ast.While)):
                statement.body = breaking_out(statement, on_return, marked, refuse)
                out.extend([statement, ast.copy_location(ast.If(marked(), [ast.Break()], []), statement)])
            else:
                refuse(found, type(statement).__name__.lower())
        return out

    return body(loop.body) or [ast.copy_location(ast.Pass(), loop)]
