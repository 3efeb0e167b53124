"""Errors in how a function is decorated (an unknown option, a signature that
does not parse, object mode), reported like compile errors: the function,
``file:line:col``, the decorator's source line and a caret under the option or
signature at fault."""
import ast

from . import errors, serialize


def located(function, message, *, keyword=None, signature=False, cls=errors.TypingError):
    """The exception to raise: `cls` whose message points at the decorator's
    `keyword=` argument, or its first (signature) argument, of `function`."""
    try:
        record = serialize.read_source(function)
        node, line_text, line = _find(record, keyword, signature)
    except (errors.NumjitError, SyntaxError, IndexError, ValueError):
        return cls(f"in {getattr(function, '__name__', '?')}: {message}")
    col = node.col_offset
    same_line = getattr(node, "end_lineno", node.lineno) == node.lineno
    end = node.end_col_offset if same_line and node.end_col_offset else len(line_text)
    gutter = " " * (len(str(line)) + 1)
    return cls(f"in {function.__name__} ({record.filename}:{line}:{col + 1})\n"
               f" {line} | {line_text}\n"
               f"{gutter} | {' ' * col}{'^' * max(end - col, 1)} {message}")


def _find(record, keyword, signature):
    """The AST node to underline, its source line and absolute line number."""
    lines = [text.rstrip("\n") for text in record.lines]
    indent = len(lines[0]) - len(lines[0].lstrip())
    tree = ast.parse("\n".join(text[indent:] if text[:indent].isspace() else text for text in lines))
    definition = tree.body[0]
    node = definition
    for decorator in getattr(definition, "decorator_list", []):
        if not isinstance(decorator, ast.Call):
            continue
        if keyword is not None:
            node = next((k for k in decorator.keywords if k.arg == keyword), node)
        elif signature and decorator.args:
            node = decorator.args[0]
    # Columns were read from dedented text: shift them back.
    node = _Shifted(node, indent)
    return node, lines[node.lineno - 1], record.first_line + node.lineno - 1


class _Shifted:
    """A node's position in the original, indented source."""

    def __init__(self, node, indent):
        self.lineno = node.lineno
        self.end_lineno = getattr(node, "end_lineno", node.lineno)
        self.col_offset = node.col_offset + indent
        self.end_col_offset = (node.end_col_offset or 0) + indent
