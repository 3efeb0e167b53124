"""Stores into an attribute of an expression (``o.inner.x = v``,
``self.parts[i].count += 1``), rewritten before the front end reads the
function into stores through a variable that holds the object:

    o.inner.x = v          __value_0 = v
                           __object_1 = o.inner
                           __object_1.x = __value_0
    o.inner.x += v         __object_2 = o.inner
                           __object_2.x += v

The front end stores only into attributes of a variable (a jitclass
instance's field, types/infer_statements.cpp). A jitclass instance is a
reference, so the store through the variable changes the object the
expression named. Python's order of evaluation is kept: an assignment's
value first, then each target's object just before its store; an augmented
assignment's object first."""
import ast
import itertools


def rewrite_attribute_stores(function_def):
    _AttributeStores(itertools.count()).visit(function_def)


def _stores_into_an_expression(target):
    return isinstance(target, ast.Attribute) and not isinstance(target.value, ast.Name)


class _AttributeStores(ast.NodeTransformer):
    def __init__(self, numbers):
        self.numbers = numbers

    def _bind(self, prefix, value, where):
        name = f"__{prefix}_{next(self.numbers)}"
        statement = ast.copy_location(ast.Assign([ast.copy_location(ast.Name(name, ast.Store()), where)], value), where)
        return name, statement

    def _through_variable(self, target, before):
        """`target` (an attribute of an expression) as an attribute of a new variable bound in `before`."""
        name, bind = self._bind("object", target.value, target)
        before.append(bind)
        return ast.copy_location(ast.Attribute(ast.copy_location(ast.Name(name, ast.Load()), target.value),
                                               target.attr, ast.Store()), target)

    def visit_Assign(self, node):
        if not any(_stores_into_an_expression(t) for t in node.targets):
            return node
        # The value once; then each target in order, its object evaluated just before its own store
        # (`o.i = l[o.i].x = 1` reads o.i after storing it).
        value_name, bind_value = self._bind("value", node.value, node.value)
        statements = [bind_value]
        for target in node.targets:
            if _stores_into_an_expression(target):
                target = self._through_variable(target, statements)
            value = ast.copy_location(ast.Name(value_name, ast.Load()), node.value)
            statements.append(ast.copy_location(ast.Assign([target], value), node))
        return statements

    def visit_AugAssign(self, node):
        if not _stores_into_an_expression(node.target):
            return node
        before = []
        target = self._through_variable(node.target, before)
        return before + [ast.copy_location(ast.AugAssign(target, node.op, node.value), node)]

    def visit_AnnAssign(self, node):
        if node.value is None or not _stores_into_an_expression(node.target):
            return node
        return self.visit_Assign(ast.copy_location(ast.Assign([node.target], node.value), node))
