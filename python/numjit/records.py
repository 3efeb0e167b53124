"""NumPy structured arrays (record dtypes) in compiled code, as Numba takes them.

    particles = np.zeros(n, dtype=[("x", np.float64), ("v", np.float64), ("id", np.int32)])

    @njit
    def step(p, dt):
        for i in range(len(p)):
            p[i].x += p[i].v * dt     # a record's fields, read and written in place
        return p["x"].sum()           # a field as an array

In compiled code a structured array is a namedtuple of its fields' views
(one strided array per field, sharing the array's memory, each named after
its dtype field where the name can be a namedtuple's), of a class made for
its dtype (StructuredArray_<the dtype spelled out in hex>, which __getattr__
below makes again from the name in a process that loads cached code).
Element indexing, `len`, `.shape`, `.size` and `.ndim` are library
fallbacks of that class, generated here for the dtype; the C++ type checker
calls them as it calls a jitclass's methods (types/indexed_classes.cpp,
which also reads `a[i].x` as `a.x[i]`, with no record made). Indexing gives,
by the index's type:

* a string constant: that field's view, `a["x"]`;
* integers down to one element: a record (Record_<...>), a namedtuple of the
  array and the index (checked when the record is made), whose `r.x`,
  `r["x"]`, `r.x = v` and `r["x"] = v` read and write the array's memory, as
  NumPy's records do;
* a slice, a mask or an index array: a structured array of each field
  indexed so (views for slices, copies for the others, as in NumPy).

Across the boundary: a structured array argument takes this form on the
dispatcher's slow path (_registry.argument_forms), and a result goes back to
Python as a structured array: boxing calls the class, whose __new__ rebuilds
it, a view of the original memory when the fields still lie in it as the
dtype places them, else a new array filled field by field. A record result
is that array's element.

Fields must be native numbers or booleans (no sub-arrays, nested records or
strings, no names beginning with `numjit_`) and the array at least 1-D.
"""
import ast
import collections
import keyword
import linecache

import numpy as np

from . import _registry, errors
from ._ast_lookup import resolved
from . import types as nt
from ._builtin_calls import literal_unroll
from .decorators import njit
from .library import registration

_NUMERIC_KINDS = "biufc"
_ARRAY_FIELD = "numjit_field_{}"  # the namedtuple's field for a dtype field whose name cannot be its own
# Names a structured array's namedtuple keeps for the array's attributes and the tuple's methods.
_NOT_FIELD_NAMES = {"shape", "size", "ndim", "copy", "count", "index"}
_RECORD_FIELDS = ("numjit_array", "numjit_index")
_ARRAY_ATTRIBUTES = ("shape", "size", "ndim")  # they win over fields of those names, as in np.recarray
_by_dtype = {}


class _Classes:
    """The namedtuple classes and library fallbacks made for one structured dtype."""

    def __init__(self, dtype):
        self.dtype = dtype
        self.names = list(dtype.names)
        # The namedtuple's fields: a dtype field's own name where it can be one, so that compiled code
        # reads `a.x` (and a[i].x, as a.x[i]) straight from the tuple; else numjit_field_<k>.
        self.fields = [name if _usable_as_field(name) else _ARRAY_FIELD.format(k) for k, name in enumerate(self.names)]
        self.form_types = {}  # the views' (ndim and flags) -> the namedtuple type of a form
        for name in self.names:
            field = dtype.fields[name][0]
            if name.startswith("numjit_"):
                raise errors.UnsupportedError(f"a structured array's field {name!r}: names beginning with "
                                              f"'numjit_' are numjit's own in compiled code")
            if not field.isnative:
                raise errors.UnsupportedError(f"a structured array's field {name!r} has the non-native byte order "
                                              f"of {field}: pass a.astype(a.dtype.newbyteorder('='))")
            if field.shape != () or field.kind not in _NUMERIC_KINDS:
                raise errors.UnsupportedError(
                    f"a structured array's field {name!r} has dtype {field}: compiled code takes fields of "
                    f"numbers and booleans (no sub-arrays or nested records)")
        # Named by the dtype itself, spelled out, so that a class key in cached code names the same dtype
        # in every process, which can make the class from the name alone (__getattr__ below).
        number = _dtype_spelling(dtype)
        self.array_class = self._array_class(number)
        self.record_class = self._record_class(number)
        self.array_key = nt.named_tuple_key(self.array_class)
        self.record_key = nt.named_tuple_key(self.record_class)
        self._register_fallbacks()

    # ---- the classes ------------------------------------------------------

    def _array_class(self, number):
        classes = self
        base = collections.namedtuple(f"StructuredArray_{number}", self.fields)

        class StructuredArray(base):
            __slots__ = ()

            def __new__(cls, *views):  # boxing a result: the structured array itself
                return classes.rebuilt(views)

            @classmethod
            def _numjit_typeof(cls, form):  # read on every call: the fields' views share a layout
                key = (form[0].ndim,) + tuple((v.flags.c_contiguous, v.flags.f_contiguous, v.flags.writeable,
                                                v.flags.aligned) for v in form)
                found = classes.form_types.get(key)
                if found is None:
                    found = classes.form_types[key] = nt.NamedTuple([nt.typeof(v) for v in form], cls)
                return found

        StructuredArray.__name__ = StructuredArray.__qualname__ = f"StructuredArray_{number}"
        StructuredArray.__module__ = __name__
        globals()[StructuredArray.__name__] = StructuredArray  # found by name, as the cache finds classes
        return StructuredArray

    def _record_class(self, number):
        class Record(collections.namedtuple(f"Record_{number}", _RECORD_FIELDS)):
            __slots__ = ()

            def __new__(cls, array, index):  # boxing a result: the array's element
                return array[index]

        Record.__name__ = Record.__qualname__ = f"Record_{number}"
        Record.__module__ = __name__
        globals()[Record.__name__] = Record
        return Record

    def allocator(self, fill):
        """The jitted function making a structured array of this dtype in compiled code: np.zeros
        (fill "zeros") or np.empty ("empty") of a shape. Its fields are arrays of their own, which
        a result to Python gathers into one structured array."""
        names = [f"_field_type_{k}" for k in range(len(self.names))]
        source = (f"def {fill}_structured(shape):\n"
                  f"    return _A({', '.join(f'np.{fill}(shape, {n})' for n in names)})\n")
        namespace = {"np": np, "_A": self.array_class}
        namespace.update({n: self.dtype.fields[name][0].type for n, name in zip(names, self.names)})
        return njit(_compiled_source(source, f"{fill}_structured", namespace, f"np.{fill} of {self.dtype}"))

    def form(self, array):
        """The namedtuple compiled code takes for `array`."""
        return tuple.__new__(self.array_class, tuple(array[name] for name in self.names))

    def rebuilt(self, views):
        """The structured array whose fields are `views`."""
        first = views[0]
        shared = self._view_of_shared_memory(views)
        if shared is not None:
            return shared
        out = np.empty(first.shape, self.dtype)
        for name, view in zip(self.names, views):
            out[name] = view
        return out

    def _view_of_shared_memory(self, views):
        first = views[0]
        if first.size == 0 or any(v.shape != first.shape or v.strides != first.strides for v in views):
            return None
        owner = first
        while isinstance(owner.base, np.ndarray):
            owner = owner.base
        start = first.__array_interface__["data"][0] - self.dtype.fields[self.names[0]][1]
        for name, view in zip(self.names, views):
            if view.__array_interface__["data"][0] != start + self.dtype.fields[name][1]:
                return None
        owner_start = owner.__array_interface__["data"][0]
        try:
            shared = np.ndarray(first.shape, self.dtype, buffer=owner, offset=start - owner_start,
                                strides=first.strides)
        except (TypeError, ValueError):  # memory the buffer protocol does not give, or out of its bounds
            return None
        shared.flags.writeable = all(v.flags.writeable for v in views)
        return shared

    # ---- what compiled code calls -----------------------------------------

    def _register_fallbacks(self):
        fields = self.fields

        def by_name(indent, body):
            # Which field a string names is decided while compiling: the other names' branches are pruned.
            pad = " " * indent
            out = ""
            for name, field in zip(self.names, fields):
                out += f"{pad}if name == {name!r}:\n"
                out += "".join(f"{pad}    {line}\n" for line in body.format(field=field).split("\n"))
            return out + f"{pad}raise ValueError('no field of name ' + name)\n"

        array = f"_A({', '.join(f'a.{f}[index]' for f in fields)})"
        # A position names a field in NumPy (r[0]); which field, and so its type, would be known only at run time.
        by_field_name = ("    if not isinstance(name, str):\n"
                         "        raise IndexError('compiled code reads a record\\'s fields by name: r[\"x\"]')\n")
        parts = [
            "def getitem(a, index):\n"
            "    if isinstance(index, str):\n"
            "        name = index\n", by_name(8, "return a.{field}"),
            f"    if isinstance(a.{fields[0]}[index], np.ndarray):\n"
            f"        return {array}\n"
            f"    _check_record_index(a.{fields[0]}.shape, index)  # a record's index is checked once, here\n"
            "    return _R(a, index)\n\n",
            "def setitem(a, index, value):\n"
            "    if isinstance(index, str):\n"
            "        name = index\n", by_name(8, "a.{field}[...] = value\nreturn"),
            # a[i] = a record, or rows, of this dtype; a tuple of field values; a number for every field
            f"    if not isinstance(a.{fields[0]}[index], np.ndarray):  # (decided by types)\n"
            f"        _check_record_index(a.{fields[0]}.shape, index)\n"
            "    if isinstance(value, _R):\n",
            *(f"        a.{f}[index] = value.numjit_array.{f}[value.numjit_index]\n" for f in fields),
            "        return\n",
            "    if isinstance(value, _A):\n",
            *(f"        a.{f}[index] = value.{f}\n" for f in fields),
            "        return\n",
            "    if isinstance(value, tuple):  # a record of another dtype unpacks as a tuple, by position\n",
            f"        {', '.join(f'v{k}' for k in range(len(fields)))}, = value\n",
            *(f"        a.{f}[index] = v{k}\n" for k, f in enumerate(fields)),
            "        return\n",
            *(f"    a.{f}[index] = value\n" for f in fields), "\n",
            f"def copy(a):\n    return _A({', '.join(f'a.{f}.copy()' for f in fields)})\n\n",
            f"def length(a):\n    return len(a.{fields[0]})\n\n",
            f"def shape(a):\n    return a.{fields[0]}.shape\n\n",
            f"def size(a):\n    return a.{fields[0]}.size\n\n",
            f"def ndim(a):\n    return a.{fields[0]}.ndim\n\n",
            *(f"def field_{k}(a):\n    return a.{f}\n\n" for k, f in enumerate(fields)),
            "def record_getitem(r, name):\n", by_field_name,
            by_name(4, "return r.numjit_array.{field}[r.numjit_index]"), "\n",
            "def record_setitem(r, name, value):\n", by_field_name,
            by_name(4, "r.numjit_array.{field}[r.numjit_index] = value\nreturn"), "\n",
            f"def record_length(r):\n    return {len(fields)}\n\n",
            "def record_unpack(r):\n    return (",
            *(f"r.numjit_array.{f}[r.numjit_index], " for f in fields), ")\n",
        ]
        source = "".join(parts)
        for k, field in enumerate(fields):
            source += (f"\ndef get_{k}(r):\n    return r.numjit_array.{field}[r.numjit_index]\n"
                       f"def set_{k}(r, value):\n    r.numjit_array.{field}[r.numjit_index] = value\n")
        namespace = {"np": np, "_A": self.array_class, "_R": self.record_class,
                     "_check_record_index": _check_record_index}
        _compiled_source(source, None, namespace, f"the structured dtype {self.dtype}")
        jitted = {name: njit(namespace[name]) for name in
                  ("getitem", "setitem", "copy", "length", "shape", "size", "ndim", "record_getitem",
                   "record_setitem", "record_length", "record_unpack")}
        fallbacks = registration.fallbacks
        fallbacks[f"{self.array_key}.__getitem__"] = jitted["getitem"]
        fallbacks[f"{self.array_key}.__setitem__"] = jitted["setitem"]
        fallbacks[f"{self.array_key}.__len__"] = jitted["length"]
        # The C++ type checker indexes the fields alike for a slice (types/indexed_classes.cpp).
        fallbacks[f"{self.array_key}.__index_fields__"] = jitted["getitem"]
        fallbacks[f"{self.array_key}.copy"] = jitted["copy"]
        for attribute in _ARRAY_ATTRIBUTES:
            fallbacks[f"{self.array_key}@{attribute}"] = jitted[attribute]
        fallbacks[f"{self.record_key}.__getitem__"] = jitted["record_getitem"]
        fallbacks[f"{self.record_key}.__setitem__"] = jitted["record_setitem"]
        fallbacks[f"{self.record_key}.__len__"] = jitted["record_length"]
        fallbacks[f"{self.record_key}.__unpack__"] = jitted["record_unpack"]  # x, n = r (infer_statements.cpp)
        for k, name in enumerate(self.names):
            if name.isidentifier() and name not in _ARRAY_ATTRIBUTES + ("copy",) and self.fields[k] != name:
                # a.x as np.recarray reads it, for a name the tuple could not take as its field's
                fallbacks[f"{self.array_key}@{name}"] = njit(namespace[f"field_{k}"])
            if name.isidentifier():
                fallbacks[f"{self.record_key}@{name}"] = njit(namespace[f"get_{k}"])
                fallbacks[f"{self.record_key}@={name}"] = njit(namespace[f"set_{k}"])


def _compiled_source(source, name, namespace, what):
    """Runs generated source into `namespace` (kept in linecache, so numjit reads it); returns `name` there."""
    filename = f"<numjit: {what}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    return namespace.get(name)


@njit
def _check_record_index(shape, index):
    """IndexError, as NumPy's, for an index of one element outside the array:
    a record keeps its index, and its fields are read through it unchecked."""
    if isinstance(index, tuple):
        axis = 0
        for k in literal_unroll(index):
            _check_axis_index(k, shape[axis], axis)
            axis += 1
    else:
        _check_axis_index(index, shape[0], 0)


@njit
def _check_axis_index(k, n, axis):
    if k < -n or k >= n:
        raise IndexError("index " + str(k) + " is out of bounds for axis " + str(axis) + " with size " + str(n))


def _usable_as_field(name):
    return (name.isidentifier() and not keyword.iskeyword(name) and not name.startswith(("_", "numjit_"))
            and name not in _NOT_FIELD_NAMES)


def _dtype_spec(dtype):
    """What makes a structured dtype, fields' placement and alignment flag included (== ignores the flag)."""
    fields = [dtype.fields[name] for name in dtype.names]
    return (list(dtype.names), [f[0].str for f in fields], [f[1] for f in fields], dtype.itemsize,
            bool(dtype.isalignedstruct))


def _dtype_spelling(dtype):
    return repr(_dtype_spec(dtype)).encode().hex()


def classes_for(dtype):
    """The classes of structured arrays of `dtype` (made on first use)."""
    spelling = _dtype_spelling(dtype)
    found = _by_dtype.get(spelling)
    if found is None:
        found = _by_dtype[spelling] = _Classes(dtype)
    return found


def __getattr__(name):
    """StructuredArray_<spelling> or Record_<spelling>, which code loaded from
    the cache may name before this process has met the dtype."""
    kind, _, spelling = name.partition("_")
    if kind not in ("StructuredArray", "Record") or not spelling:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        names, formats, offsets, itemsize, aligned = ast.literal_eval(bytes.fromhex(spelling).decode())
        dtype = np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": itemsize,
                          "aligned": aligned})
    except (ValueError, SyntaxError, TypeError) as exc:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from exc
    classes = classes_for(dtype)
    return classes.array_class if kind == "StructuredArray" else classes.record_class


def _structured_form(value):
    if value.dtype.names is None:
        return None
    if value.ndim == 0:
        raise errors.UnsupportedError("a 0-d structured array cannot be passed to compiled code; pass a[None] "
                                      "and use its element")
    return classes_for(value.dtype).form(value)


def _record_form(value):
    """A NumPy record (np.void, np.record) as compiled code takes it: a record of a one-element
    structured array over the record's own memory, so that compiled code's stores reach it."""
    if not isinstance(value, np.void) or value.dtype.names is None:
        return None
    view = np.frombuffer(value, dtype=value.dtype)  # read-only: the buffer protocol gives no more
    owner = value.base
    while isinstance(owner, np.ndarray) and isinstance(owner.base, np.ndarray):
        owner = owner.base
    if isinstance(owner, np.ndarray) and owner.flags.writeable:
        try:
            offset = view.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
            view = np.ndarray((1,), value.dtype, buffer=owner, offset=offset)
        except (TypeError, ValueError):
            pass
    classes = classes_for(value.dtype)
    return tuple.__new__(classes.record_class, (classes.form(view), 0))


_registry.source_rewrites.append(
    lambda function_def, lookup, local, options, error_at: rewrite_structured_allocations(function_def, lookup, local))
_registry.argument_forms["void"] = _record_form
_registry.argument_forms["record"] = _record_form
_registry.argument_forms["ndarray"] = _structured_form
_registry.argument_forms["recarray"] = _structured_form  # np.recarray: its records read as attributes in Python too


def rewrite_structured_allocations(function_def, lookup, local):
    """`np.zeros(shape, dtype=dt)` and `np.empty` of a structured dtype `dt` (a
    global or closure value) become calls of that dtype's allocator, before
    the front end reads the function (it takes no dtype object of records).
    Returns the names the rewritten calls use, for the closure."""
    used = {}
    for node in ast.walk(function_def):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        callee = resolved(node.func, lookup, local)
        fill = "zeros" if callee is np.zeros else "empty" if callee is np.empty else None
        if fill is None:
            continue
        given = [k.value for k in node.keywords if k.arg == "dtype"] or node.args[1:2]
        dtype = resolved(given[0], lookup, local) if given else None
        if not isinstance(dtype, np.dtype) or dtype.names is None or len(node.args) + len(node.keywords) > 2:
            continue
        name = f"__numjit_{fill}_structured_{classes_for(dtype).array_class.__name__}"
        used[name] = classes_for(dtype).allocator(fill)
        node.func = ast.copy_location(ast.Name(name, ast.Load()), node.func)
        node.args, node.keywords = node.args[:1], []
    return used
