"""Calls of builtins rewritten before the front end reads a function.

* `list(range(n))`, `set(range(n))`, `sorted(range(...))`, `reversed(range(...))`: a range
  object exists in compiled code only as the iterable of a for loop, so it
  cannot be passed to the library's list(), sorted() and reversed(). The
  range argument becomes the list comprehension `[i for i in range(...)]`,
  which the front end compiles as a loop.
* `list()` becomes `[]` and `set()` an empty set display, whose item type
  the first append or add gives (a library function could not return a
  container of a type decided by its caller).
* `np.array([[a, b], [c, d]])` (and `np.asarray`): nested list displays
  become tuple displays, whose rectangular shape is known while compiling;
  lists of lists do not exist in compiled code.
* `numjit.typed`'s `List()`, `List(iterable)`, `List.empty_list(t)`,
  `Dict()` and `Dict.empty(...)` become `[]`, list comprehensions (over an
  empty range of `t(0)` for `empty_list`, so the list has its item type) and `{}`.
* f-strings become concatenations: `f"{x:.3f} and {y!r}"` is
  `format(x, ".3f") + " and " + repr(y)` (a replacement field without a
  spec is `str(x)`), through names bound to the builtins themselves, so a
  function's own `format` or `str` cannot capture them.
* `sorted(x, key=k, reverse=r)` and `items.sort(key=k, reverse=r)` pass the
  keys, computed by a list comprehension (a lambda's body inlined, any other
  key called), to the library's `sorted_by_keys`/`sort_by_keys`: compiled
  code has no function values to pass. `x` is evaluated once (a walrus).
* `map(lambda x: e, a)` becomes `[e for x in a]` (several iterables through
  zip) and `filter(lambda x: t, a)` becomes `[x for x in a if t]`, so the
  lambda's body reads the function's variables where it stands; map and
  filter of other functions are the library's (lists.py).
* A comprehension's variables are its own, as in Python 3: one that shares
  its name with a variable the function binds elsewhere (often with another
  type, as `for c in codes: ...` before `[ord(c) for c in text]`) is renamed
  inside the comprehension.
* `literally(x)` (Numba's) is `x`.
* `for x in literal_unroll(t): body` over a tuple of different types becomes
  one copy of the body per element, each with its own variable (`x` renamed)
  and behind `if len(t) > k:`, which types decide (copies past the tuple's
  length are pruned unread). A body with break or continue is left as it is
  (the front end reports it)."""
import ast
import builtins
import re
import copy as copy_module
import sys

import numpy as np

from . import typed
from . import types as nt

_EMPTY_DICT = "__numjit_typed_empty_dict"
_AS_TYPED = "__numjit_as_typed"
_NUMPY = "__numjit_numpy"

_TAKERS = {builtins.list, builtins.sorted, builtins.reversed, builtins.set}


def literal_unroll(container):
    """`for x in literal_unroll(t)`: a loop over a tuple whose items differ in
    type, unrolled while compiling (see the module's docstring). In Python it
    is the tuple itself."""
    return container


literal_unroll._numjit_literal_unroll = True


def literally(obj):
    """Numba's request that `obj` be compiled as a constant. numjit types
    constants where a function needs them (an axis, a dtype, a field name, a
    tuple's length) from the values it can see while compiling, so in
    compiled code `literally(x)` is `x`, as it is in Python."""
    return obj


def rewrite_builtin_calls(function_def, lookup, local):
    """Rewrites `function_def` in place. `lookup(name)` gives the object a
    global or closure name holds (builtins are looked up after it); `local`
    are the names the function binds itself. Returns the names the rewritten
    code calls, for the closure."""

    def resolves_to(name, objects):
        if name in local:
            return False
        value = lookup(name)
        if value is None:
            value = getattr(builtins, name, None)
        return any(value is o for o in objects)

    def callee_of(node):
        """The object a call's callee names (a name, or an attribute of one), or None."""
        if isinstance(node, ast.Name):
            return None if node.id in local else lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = callee_of(node.value)
            return getattr(base, node.attr, None) if base is not None else None
        return None

    class EmptyList(ast.NodeTransformer):
        def visit_Call(self, node):
            self.generic_visit(node)
            if isinstance(node.func, ast.Name) and not node.args and not node.keywords:
                if resolves_to(node.func.id, {builtins.list}):
                    return ast.copy_location(ast.List([], ast.Load()), node)
                if resolves_to(node.func.id, {builtins.set}):
                    return ast.copy_location(ast.Set([]), node)  # no source spelling; the front end reads it
            return node

    EmptyList().visit(function_def)

    class Literally(ast.NodeTransformer):
        def visit_Call(self, node):
            self.generic_visit(node)
            if len(node.args) == 1 and not node.keywords and callee_of(node.func) is literally:
                return node.args[0]
            return node

    Literally().visit(function_def)
    if "zip" not in local:
        _LambdaMaps(lambda node: isinstance(node, ast.Name) and resolves_to(node.id, {builtins.map}),
                    lambda node: isinstance(node, ast.Name) and resolves_to(node.id, {builtins.filter})).visit(function_def)
    typed_containers = _TypedContainers(callee_of)
    typed_containers.visit(function_def)
    keyed = _KeyedSorts(lambda node: resolves_to(node.id, {builtins.sorted}) if isinstance(node, ast.Name) else False)
    keyed.visit(function_def)
    typed_containers.injected.update(keyed.injected)
    _own_comprehension_scopes(function_def)
    formatted = _FormattedStrings()
    formatted.visit(function_def)
    typed_containers.injected.update(formatted.injected)
    _unroll_literal_loops(function_def, lambda node: _is_literal_unroll(callee_of(node)))
    numpy = sys.modules.get("numpy")
    for node in ast.walk(function_def):
        if (isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("array", "asarray") and isinstance(node.func.value, ast.Name)
                and not node.func.value.id in local and lookup(node.func.value.id) is numpy
                and isinstance(node.args[0], ast.List) and node.args[0].elts
                and all(isinstance(e, (ast.List, ast.Tuple)) for e in node.args[0].elts)):
            node.args[0] = _as_tuples(node.args[0])
    for node in ast.walk(function_def):  # tuple([a, b]): the list display's length is known, so (a, b)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and resolves_to(node.func.id, {builtins.tuple})
                and len(node.args) == 1 and isinstance(node.args[0], ast.List)):
            node.args[0] = ast.copy_location(ast.Tuple(node.args[0].elts, ast.Load()), node.args[0])
    for node in ast.walk(function_def):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args
                and resolves_to(node.func.id, _TAKERS)):
            continue
        first = node.args[0]
        if isinstance(first, ast.Call) and isinstance(first.func, ast.Name) and resolves_to(first.func.id, {range}):
            item = ast.Name("__range_item", ast.Load())
            comprehension = ast.ListComp(item, [ast.comprehension(ast.Name("__range_item", ast.Store()), first, [], 0)])
            node.args[0] = ast.fix_missing_locations(ast.copy_location(comprehension, first))
    return typed_containers.injected


class _LambdaMaps(ast.NodeTransformer):
    """map(lambda x: e, a) is [e for x in a] (two or three iterables through
    zip), and filter(lambda x: t, a) is [x for x in a if t]: the lambda may
    read the function's variables, which a lambda passed as a value could
    not bring along (compiled code has no closures as values)."""

    def __init__(self, is_map, is_filter):
        self.is_map, self.is_filter = is_map, is_filter

    def visit_Call(self, node):
        self.generic_visit(node)
        if node.keywords or len(node.args) < 2 or not isinstance(node.args[0], ast.Lambda):
            return node
        function, iterables = node.args[0], node.args[1:]
        args = function.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults:
            return node
        names = [a.arg for a in args.args]
        if len(names) != len(iterables):
            return node
        if self.is_map(node.func) and len(iterables) <= 3:
            if len(names) == 1:
                target, source = ast.Name(names[0], ast.Store()), iterables[0]
            else:
                target = ast.Tuple([ast.Name(n, ast.Store()) for n in names], ast.Store())
                source = ast.Call(ast.Name("zip", ast.Load()), list(iterables), [])
            made = ast.ListComp(function.body, [ast.comprehension(target, source, [], 0)])
        elif self.is_filter(node.func) and len(names) == 1:
            made = ast.ListComp(ast.Name(names[0], ast.Load()),
                                [ast.comprehension(ast.Name(names[0], ast.Store()), iterables[0], [function.body], 0)])
        else:
            return node
        return ast.fix_missing_locations(ast.copy_location(made, node))


def _as_tuples(node):
    """A nested display of lists and tuples as nested tuples."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return ast.copy_location(ast.Tuple([_as_tuples(e) for e in node.elts], ast.Load()), node)
    return node


# More elements than this in a literal_unroll'd tuple raise at run time.
_MOST_UNROLLED = 32


def _is_literal_unroll(value):
    return getattr(value, "_numjit_literal_unroll", False)


def _unroll_literal_loops(function_def, is_unroll_callee):
    counter = [0]

    class Unroll(ast.NodeTransformer):
        def visit_For(self, node):
            self.generic_visit(node)
            call = node.iter
            if not (isinstance(call, ast.Call) and is_unroll_callee(call.func)
                    and len(call.args) == 1 and isinstance(node.target, ast.Name) and not node.orelse
                    and not _jumps_out(node.body)):
                return node
            counter[0] += 1
            container = f"__unroll{counter[0]}"
            out = [ast.Assign([ast.Name(container, ast.Store())], call.args[0])]
            for k in range(_MOST_UNROLLED):
                variable = f"{node.target.id}__{counter[0]}_{k}"
                copy = [_Renamed(node.target.id, variable).visit(copy_module.deepcopy(s)) for s in node.body]
                element = ast.Subscript(ast.Name(container, ast.Load()), ast.Constant(k), ast.Load())
                test = ast.Compare(ast.Call(ast.Name("len", ast.Load()), [ast.Name(container, ast.Load())], []),
                                   [ast.Gt()], [ast.Constant(k)])
                out.append(ast.If(test, [ast.Assign([ast.Name(variable, ast.Store())], element)] + copy, []))
            too_long = ast.parse(f"if len({container}) > {_MOST_UNROLLED}:\n"
                                 f"    raise ValueError('literal_unroll takes tuples of at most {_MOST_UNROLLED} items')").body[0]
            out.append(too_long)
            for statement in out:
                ast.copy_location(statement, node)
                ast.fix_missing_locations(statement)
                for child in ast.walk(statement):
                    if not hasattr(child, "lineno") or child.lineno is None:
                        ast.copy_location(child, node)
            return out

    Unroll().visit(function_def)


def _jumps_out(body):
    """Whether a break or continue in `body` belongs to the loop around it."""
    for statement in body:
        for node in _walk_same_loop(statement):
            if isinstance(node, (ast.Break, ast.Continue)):
                return True
    return False


def _walk_same_loop(node):
    yield node
    if isinstance(node, (ast.For, ast.While, ast.FunctionDef, ast.Lambda)):
        for child in node.orelse if hasattr(node, "orelse") else ():
            yield from _walk_same_loop(child)
        return
    for child in ast.iter_child_nodes(node):
        yield from _walk_same_loop(child)


class _Renamed(ast.NodeTransformer):
    def __init__(self, old, new):
        self.old, self.new = old, new

    def visit_Name(self, node):
        if node.id == self.old:
            node.id = self.new
        return node


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _own_comprehension_scopes(function_def):
    bound_outside = set()

    def collect(node):
        if isinstance(node, _COMPREHENSIONS):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound_outside.add(node.id)
        elif isinstance(node, ast.arg):
            bound_outside.add(node.arg)
        for child in ast.iter_child_nodes(node):
            collect(child)

    collect(function_def)
    counter = [0]

    class Scopes(ast.NodeTransformer):
        def visit_comprehension_node(self, node):
            self.generic_visit(node)  # inner comprehensions first
            targets = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
            for name in sorted(targets & bound_outside):
                counter[0] += 1
                renamed = _Renamed(name, f"{name}__comprehension{counter[0]}")
                # The first iterable is evaluated in the enclosing scope: it keeps the outer name.
                first_iter = node.generators[0].iter
                node.generators[0].iter = ast.Name("__numjit_first_iter", ast.Load())
                renamed.visit(node)
                node.generators[0].iter = first_iter
            return node

        visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_comprehension_node

    Scopes().visit(function_def)


def sorted_by_keys(keys, items, reverse):
    """sorted(items, key=...) in compiled code, given the keys (the library implements it)."""
    raise RuntimeError("numjit's sorted_by_keys can only be called from compiled code")


def sort_by_keys(keys, items, reverse):
    """items.sort(key=...) in compiled code, given the keys (the library implements it)."""
    raise RuntimeError("numjit's sort_by_keys can only be called from compiled code")


class _KeyedSorts(ast.NodeTransformer):
    """sorted(x, key=k) and x.sort(key=k) (see the module's docstring)."""

    def __init__(self, is_sorted):
        self.is_sorted = is_sorted
        self.injected = {}
        self.count = 0

    def visit_Call(self, node):
        self.generic_visit(node)
        keywords = {k.arg: k.value for k in node.keywords}
        if "key" not in keywords or set(keywords) - {"key", "reverse"}:
            return node
        if self.is_sorted(node.func) and len(node.args) == 1:
            source, helper = node.args[0], ("sorted_by_keys", sorted_by_keys)
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "sort" and not node.args:
            source, helper = node.func.value, ("sort_by_keys", sort_by_keys)
        else:
            return node
        self.count += 1
        items, item = f"__keyed_items{self.count}", f"__keyed_item{self.count}"
        key = keywords["key"]
        if isinstance(key, ast.Lambda) and len(key.args.args) == 1 and not key.args.vararg:
            value = _Renamed(key.args.args[0].arg, item).visit(copy_module.deepcopy(key.body))
        else:
            value = ast.Call(key, [ast.Name(item, ast.Load())], [])
        if helper[0] == "sorted_by_keys":  # a copy of any iterable, once
            source = ast.ListComp(ast.Name(item, ast.Load()),
                                  [ast.comprehension(ast.Name(item, ast.Store()), source, [], 0)])
        # The items are bound where the keys' loop starts (the comprehension's
        # iterable runs first), so the keys are typed before the call is.
        bound = ast.NamedExpr(ast.Name(items, ast.Store()), source)
        keys = ast.ListComp(value, [ast.comprehension(ast.Name(item, ast.Store()), bound, [], 0)])
        alias = "__numjit_" + helper[0]
        self.injected[alias] = helper[1]
        call = ast.Call(ast.Name(alias, ast.Load()),
                        [keys, ast.Name(items, ast.Load()), keywords.get("reverse", ast.Constant(False))], [])
        return ast.fix_missing_locations(ast.copy_location(call, node))


class _FormattedStrings(ast.NodeTransformer):
    """f-strings as concatenations of formatted pieces (see the module's docstring)."""

    _BUILTINS = {"str": builtins.str, "repr": builtins.repr, "ascii": builtins.ascii, "format": builtins.format}

    def __init__(self):
        self.injected = {}

    def _call(self, name, args, where):
        alias = f"__numjit_{name}"
        self.injected[alias] = self._BUILTINS[name]
        return ast.copy_location(ast.Call(ast.Name(alias, ast.Load()), args, []), where)

    def visit_JoinedStr(self, node):
        pieces = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                inner = self.visit(value.value)
                if value.conversion == ord("r"):
                    inner = self._call("repr", [inner], value)
                elif value.conversion == ord("a"):
                    inner = self._call("ascii", [inner], value)
                elif value.conversion == ord("s"):
                    inner = self._call("str", [inner], value)
                if value.format_spec is not None:
                    pieces.append(self._call("format", [inner, self.visit(value.format_spec)], value))
                else:
                    pieces.append(inner if value.conversion != -1 else self._call("str", [inner], value))
            else:
                pieces.append(value)
        if not pieces:
            return ast.copy_location(ast.Constant(""), node)
        joined = pieces[0]
        if not isinstance(joined, ast.Constant) and len(pieces) == 1:
            return joined
        for piece in pieces[1:]:
            joined = ast.copy_location(ast.BinOp(joined, ast.Add(), piece), node)
        return ast.fix_missing_locations(joined)


    def visit_BinOp(self, node):
        self.generic_visit(node)
        if not (isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):
            return node
        joined = _percent_as_fstring(node.left.value, node.right)
        return node if joined is None else self.visit_JoinedStr(ast.fix_missing_locations(ast.copy_location(joined, node)))


# printf-style conversions: %[flags][width][.precision]type
_PERCENT = re.compile(r"%(?P<flags>[-+ #0]*)(?P<width>\d*)(?:\.(?P<precision>\d+))?(?P<type>[diouxXeEfFgGsra%])")


def _percent_as_fstring(template, operand):
    """`template % operand` as the f-string Python's %-formatting equals, or
    None for what it cannot say (`%(name)s`, `*` widths, `%c`, precision on
    integers): the front end then refuses the `%`."""
    parts, conversions, position = [], [], 0  # parts: literal texts, and indices of conversions
    for m in _PERCENT.finditer(template):
        parts.append(template[position:m.start()])
        position = m.end()
        if m["type"] == "%":
            parts.append("%")
        elif m["precision"] is not None and m["type"] in "diouxX":
            return None
        else:
            parts.append(len(conversions))
            conversions.append((m["type"], m["flags"], m["width"], m["precision"]))
    parts.append(template[position:])
    if any("%" in p for p in parts if isinstance(p, str) and p != "%"):
        return None  # a conversion this does not read
    if isinstance(operand, ast.Tuple):
        items = operand.elts
    elif len(conversions) == 1:
        # A tuple operand of one item formats that item, as Python does (decided by types).
        is_tuple = ast.Call(ast.Name("isinstance", ast.Load()), [operand, ast.Name("tuple", ast.Load())], [])
        of_one = ast.Compare(ast.Call(ast.Name("len", ast.Load()), [operand], []), [ast.Eq()], [ast.Constant(1)])
        first = ast.IfExp(of_one, ast.Subscript(operand, ast.Constant(0), ast.Load()), operand)
        items = [ast.IfExp(is_tuple, first, operand)]
    else:
        return None
    if len(items) != len(conversions):
        return None
    values = []
    for p in parts:
        if isinstance(p, int):
            values.append(ast.FormattedValue(*_percent_piece(items[p], *conversions[p])))
        elif p:
            values.append(ast.Constant(p))
    return ast.JoinedStr(values)


def _percent_piece(value, kind, flags, width, precision):
    """(value, conversion, format spec) of one %-conversion as an f-string's field."""
    if kind in "sra":
        align = "<" if "-" in flags else ">"  # % right-aligns strings; format() would left-align them
        spec = (align + width if width else "") + ("." + precision if precision is not None else "")
        return value, ord(kind), ast.JoinedStr([ast.Constant(spec)]) if spec else None
    if kind in "diu":
        value = ast.Call(ast.Name("int", ast.Load()), [value], [])  # '%d' % 3.7 is '3'
        kind = "d"
    sign = "+" if "+" in flags else " " if " " in flags else ""
    spec = ("<" if "-" in flags else "") + sign + ("#" if "#" in flags else "")
    spec += ("0" if "0" in flags and "-" not in flags else "") + width
    spec += ("." + precision if precision is not None else "") + kind
    return value, -1, ast.JoinedStr([ast.Constant(spec)])


class _TypedContainers(ast.NodeTransformer):
    """numjit.typed's constructors in compiled code (see the module's docstring):
    the list or dict they build, wrapped in typed._as_typed."""

    def __init__(self, callee_of):
        self.callee_of = callee_of
        self.injected = {}
        self.count = 0

    def visit_Call(self, node):
        self.generic_visit(node)
        built = self._container(node)
        if built is None:
            return node
        self.injected[_AS_TYPED] = typed._as_typed
        wrapped = ast.Call(ast.Name(_AS_TYPED, ast.Load()), [built], [])
        return ast.fix_missing_locations(ast.copy_location(wrapped, node))

    def _container(self, node):
        target = self.callee_of(node.func)
        kind = getattr(target, "_numjit_typed", None) if isinstance(target, type) else None
        owner = self.callee_of(node.func.value) if isinstance(node.func, ast.Attribute) else None
        owner_kind = getattr(owner, "_numjit_typed", None) if isinstance(owner, type) else None
        self.count += 1
        item = f"__typed_item_{self.count}"  # one name per comprehension: their items' types differ
        if kind == "List" and not node.keywords and len(node.args) <= 1:
            if not node.args:
                return ast.List([], ast.Load())
            loop = ast.comprehension(ast.Name(item, ast.Store()), node.args[0], [], 0)
            return ast.ListComp(ast.Name(item, ast.Load()), [loop])
        if owner_kind == "List" and node.func.attr == "empty_list" and node.args:
            zero = self._zero(node.args[0])
            if zero is None:
                return None
            # [zero for _ in range(0)]: empty, and of the item type already.
            loop = ast.comprehension(ast.Name(item, ast.Store()),
                                     ast.Call(ast.Name("range", ast.Load()), [ast.Constant(0)], []), [], 0)
            return ast.ListComp(zero, [loop])
        if owner_kind == "Dict" and node.func.attr == "empty":
            types = dict(zip(("key_type", "value_type"), node.args))
            types.update({k.arg: k.value for k in node.keywords if k.arg in ("key_type", "value_type")})
            zeros = [self._zero(types[name]) for name in ("key_type", "value_type") if name in types]
            if len(zeros) != 2 or None in zeros:
                return None
            self.injected[_EMPTY_DICT] = typed._empty_dict  # _empty_dict(K zero, V zero): empty, typed by them
            return ast.Call(ast.Name(_EMPTY_DICT, ast.Load()), zeros, [])
        if kind == "Dict" and not node.args and not node.keywords:
            return ast.Dict([], [])
        return None

    def _type_named(self, node):
        """The numjit type a type expression names (float64, types.unicode_type, float64[:], ...), or None."""
        if isinstance(node, ast.Subscript):
            base = self.callee_of(node.value)
            try:
                return eval(f"base[{ast.unparse(node.slice)}]", {"base": base}) if base is not None else None
            except Exception:
                return None
        return self.callee_of(node)

    def _zero(self, node):
        """An expression whose value has the type `node` names, or None."""
        return zero_value(self._type_named(node), self.injected)


def zero_value(t, injected):
    """An expression whose value has type `t` (numbers zero, arrays, lists and
    dicts empty), or None for a type it cannot make; the names it uses are
    added to `injected`."""
    if isinstance(t, nt.UnicodeType):
        return ast.Constant("")
    if isinstance(t, nt.Tuple):
        elements = [zero_value(e, injected) for e in t.elements]
        if None in elements:
            return None
        if isinstance(t, nt.NamedTuple):
            name = f"__numjit_namedtuple_{id(t.instance_class):x}"
            injected[name] = t.instance_class
            return ast.Call(ast.Name(name, ast.Load()), elements, [])
        return ast.Tuple(elements, ast.Load())
    if isinstance(t, nt.Scalar):
        injected[_NUMPY] = np
        return ast.Call(ast.Attribute(ast.Name(_NUMPY, ast.Load()), t.dtype.name, ast.Load()), [ast.Constant(0)], [])
    if isinstance(t, (nt.ListType, nt.DictType)):
        if isinstance(t, nt.ListType):
            item = zero_value(t.item, injected)
            loop = ast.comprehension(ast.Name("__numjit_unused", ast.Store()),
                                     ast.Call(ast.Name("range", ast.Load()), [ast.Constant(0)], []), [], 0)
            built = None if item is None else ast.ListComp(item, [loop])
        else:
            key, value = zero_value(t.key, injected), zero_value(t.value, injected)
            injected[_EMPTY_DICT] = typed._empty_dict
            built = None if None in (key, value) else ast.Call(ast.Name(_EMPTY_DICT, ast.Load()), [key, value], [])
        injected[_AS_TYPED] = typed._as_typed
        return None if built is None else ast.Call(ast.Name(_AS_TYPED, ast.Load()), [built], [])
    if not isinstance(t, nt.Array):
        return None
    injected[_NUMPY] = np
    # np.zeros of the array's layout: C; F (a transposed C); A (every other element of a row).
    shape = (1,) * (t.ndim - 1) + (4,) if t.layout == "A" else (2,) * t.ndim if t.layout == "F" else (0,) * t.ndim
    zeros = ast.Call(ast.Attribute(ast.Name(_NUMPY, ast.Load()), "zeros", ast.Load()),
                     [ast.Tuple([ast.Constant(n) for n in shape], ast.Load())],
                     [ast.keyword("dtype", ast.Attribute(ast.Name(_NUMPY, ast.Load()), t.dtype.dtype.name, ast.Load()))])
    if t.layout == "F":
        return ast.Attribute(zeros, "T", ast.Load())
    if t.layout == "A":
        parts = [ast.Slice() for _ in range(t.ndim - 1)] + [ast.Slice(None, None, ast.Constant(2))]
        return ast.Subscript(zeros, ast.Tuple(parts, ast.Load()) if len(parts) > 1 else parts[0], ast.Load())
    return zeros
