"""What a name or dotted name in a function's syntax tree stands for, as the
rewrites that run before the front end ask it."""
import ast


def resolved(node, lookup, local):
    """The object `node` (a Name, or an Attribute chain on one) names, or None:
    `lookup(name)` gives a global's or closure variable's value; names in
    `local` are the function's own variables, unknown before it runs."""
    if isinstance(node, ast.Name):
        return None if node.id in local else lookup(node.id)
    if isinstance(node, ast.Attribute):
        base = resolved(node.value, lookup, local)
        return getattr(base, node.attr, None) if base is not None else None
    return None
