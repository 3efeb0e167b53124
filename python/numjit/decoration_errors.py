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
        definition, indent = parse_definition(record)
        node = _decorator_node(definition, keyword, signature)
    except (errors.NumjitError, SyntaxError, IndexError, ValueError):
        return cls(f"in {getattr(function, '__name__', '?')}: {message}")
    return at_node(function.__name__, record, node, indent, message, cls)


def parse_definition(record):
    """The first statement of a SourceRecord (a function's definition), parsed
    from its dedented lines, and the number of columns removed."""
    lines = [text.rstrip("\n") for text in record.lines]
    indent = len(lines[0]) - len(lines[0].lstrip())
    tree = ast.parse("\n".join(text[indent:] if text[:indent].isspace() else text for text in lines))
    return tree.body[0], indent


def at_node(name, record, node, indent, message, cls=errors.TypingError):
    """`cls` pointing at `node` of a definition parsed by parse_definition:
    ``file:line:col``, the source line and a caret under the node."""
    node = _Shifted(node, indent)  # columns were read from dedented text
    line_text = record.lines[node.lineno - 1].rstrip("\n")
    line = record.first_line + node.lineno - 1
    col = node.col_offset
    end = node.end_col_offset if node.end_lineno == node.lineno and node.end_col_offset else len(line_text)
    gutter = " " * (len(str(line)) + 1)
    return cls(f"in {name} ({record.filename}:{line}:{col + 1})\n"
               f" {line} | {line_text}\n"
               f"{gutter} | {' ' * col}{'^' * max(end - col, 1)} {message}")


def _decorator_node(definition, keyword, signature):
    """The node to underline: the decorator's `keyword=` argument or its first argument."""
    node = definition
    for decorator in getattr(definition, "decorator_list", []):
        if not isinstance(decorator, ast.Call):
            continue
        if keyword is not None:
            node = next((k for k in decorator.keywords if k.arg == keyword), node)
        elif signature and decorator.args:
            node = decorator.args[0]
    return node


class _Shifted:
    """A node's position in the original, indented source."""

    def __init__(self, node, indent):
        self.lineno = node.lineno
        self.end_lineno = getattr(node, "end_lineno", node.lineno)
        self.col_offset = node.col_offset + indent
        self.end_col_offset = (node.end_col_offset or 0) + indent
