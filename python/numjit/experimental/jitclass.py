"""``@jitclass``: classes whose instances compiled code creates, reads and
changes, and passes to and from Python.

How an instance is held: a numjit typed list with exactly one item, a
namedtuple of the fields (the "fields class", made here, whose key ends in
``.<jitclass fields>``). The list gives instances reference semantics (two
names see one object), a reference count, and memory that Python and
compiled code share; compiled code reads ``self.x`` as ``self[0].x`` and
writes ``self.x = v`` by storing the namedtuple with that field replaced
(types/infer_expressions.cpp, infer_statements.cpp). The class that
``@jitclass`` returns is a subclass of the typed containers' base whose
instances box such a list, so an instance returned by compiled code is an
instance of the class.

Methods, properties and static methods are jitted functions that compiled
code finds among the library's fallbacks under the class's key (``key.m``,
``key@p`` for a getter, ``key@=p`` for a setter), as @overload_method's are.
The constructor is a generated jitted function: a new instance with zeroed
fields, then ``__init__``.
"""
import collections
import inspect
import linecache
import typing

from .. import _dispatch, errors
from .. import types as nt
from ..decorators import njit
from ..library import registration
from ..typed import _as_typed

FIELDS_SUFFIX = "<jitclass fields>"  # the fields class's name (runtime/abi.h kJitclassFieldsSuffix)


class JitclassInstance(_dispatch.TypedContainer):
    """The base of every @jitclass: an instance holds its fields in the typed
    list compiled code made (see the module's docstring)."""

    __slots__ = ()
    _numjit_jitclass = None  # the class's _Definition


class _Definition:
    """What numjit knows of one @jitclass: its fields, their types, its members."""

    def __init__(self, cls, spec):
        self.name = cls.__name__
        self.field_types = _field_types(cls, spec)
        self.fields_class = collections.namedtuple(f"{cls.__name__}_fields", list(self.field_types))
        # Another class of this name (a class made again) is numbered before the suffix, which must end the key.
        qualname, copies = cls.__qualname__, 1
        while nt.named_tuple_key_taken(f"{cls.__module__}.{qualname}.{FIELDS_SUFFIX}"):
            copies += 1
            qualname = f"{cls.__qualname__}#{copies}"
        self.fields_class.__qualname__ = f"{qualname}.{FIELDS_SUFFIX}"
        self.fields_class.__module__ = cls.__module__
        self.key = nt.named_tuple_key(self.fields_class)[:-len(FIELDS_SUFFIX) - 1]
        self.instance_type = nt.ListType(nt.NamedTuple(list(self.field_types.values()), self.fields_class))


def _field_types(cls, spec):
    if spec is None:
        spec = {}
    elif not isinstance(spec, dict):
        spec = dict(spec)  # [(name, type), ...]
    declared = dict(spec)
    for name, annotation in typing.get_type_hints(cls).items() if hasattr(cls, "__annotations__") else ():
        declared.setdefault(name, annotation)
    out = {}
    for name, t in declared.items():
        if not isinstance(t, nt.Type):
            from ..extending import as_numba_type

            t = as_numba_type(t)
        if not _storable(t):
            raise errors.UnsupportedError(f"@jitclass {cls.__qualname__}: the field {name!r} has type {t}, "
                                          f"which jitclass fields cannot hold yet (numbers, arrays, strings, "
                                          f"tuples of those, typed lists and dicts can)")
        out[name] = t
    if not out:
        raise errors.UnsupportedError(f"@jitclass {cls.__qualname__} declares no fields: give a spec "
                                      f"[('name', type), ...] or annotations")
    return out


def _storable(t):
    if isinstance(t, (nt.Scalar, nt.Array, nt.UnicodeType)):
        return not isinstance(t, nt.Array) or not t.readonly
    if isinstance(t, nt.Tuple):
        return all(_storable(e) for e in t.elements)
    if isinstance(t, nt.ListType):
        return _storable(t.item)
    if isinstance(t, nt.DictType):
        return _storable(t.key) and _storable(t.value)
    return False


def _generated(name, source, namespace, where):
    """A function compiled from generated source (kept in linecache, so numjit reads it)."""
    filename = f"<numjit: {where}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


def _parameters_text(signature, skip_first):
    """The parameter list of `signature` as source, its defaults bound to names
    `_default<k>` in the returned namespace."""
    parts, defaults = [], {}
    for k, p in enumerate(list(signature.parameters.values())[1 if skip_first else 0:]):
        if p.kind in (p.VAR_KEYWORD, p.KEYWORD_ONLY):
            raise errors.UnsupportedError("jitclass methods with keyword-only or **parameters are not supported")
        text = ("*" if p.kind == p.VAR_POSITIONAL else "") + p.name
        if p.default is not p.empty:
            defaults[f"_default{k}"] = p.default
            text += f"=_default{k}"
        parts.append(text)
    return ", ".join(parts), defaults


def _call_text(signature, skip_first):
    return ", ".join(("*" if p.kind == p.VAR_POSITIONAL else "") + p.name
                     for p in list(signature.parameters.values())[1 if skip_first else 0:])


def _constructor(definition, init, options):
    """The jitted function that makes an instance: zeroed fields, then __init__."""
    import ast

    from .._builtin_calls import zero_value

    namespace = {"_fields": definition.fields_class}
    zeros = [zero_value(t, namespace) for t in definition.field_types.values()]
    fields = ast.unparse(ast.Call(ast.Name("_fields", ast.Load()), zeros, []))
    if init is None:
        params, defaults, call = "", {}, ""
    else:
        signature = inspect.signature(init)
        params, defaults = _parameters_text(signature, skip_first=True)
        call = _call_text(signature, skip_first=True)
        namespace["_init"] = njit(**options)(init)
    namespace.update(defaults)
    namespace["_as_typed"] = _as_typed
    name = f"new_{definition.name}"
    source = f"def {name}({params}):\n    self = _as_typed([{fields}])\n"
    if init is not None:
        source += f"    _init(self{', ' if call else ''}{call})\n"
    source += "    return self\n"
    return njit(**options)(_generated(name, source, namespace, f"the constructor of jitclass {definition.key}"))


def _static_as_method(definition, name, function, options):
    """A static method called on an instance in compiled code: the instance comes first, and is dropped."""
    signature = inspect.signature(function)
    params, defaults = _parameters_text(signature, skip_first=False)
    namespace = {"_static": njit(**options)(function), **defaults}
    source = (f"def {name}(_self{', ' if params else ''}{params}):\n"
              f"    return _static({_call_text(signature, skip_first=False)})\n")
    return njit(**options)(_generated(name, source, namespace, f"{definition.key}.{name} on an instance"))


def _field_property(definition, name, options):
    """The Python property of a field: jitted functions that read and write it as compiled code does."""
    source = (f"def get_{name}(self):\n    return self.{name}\n\n"
              f"def set_{name}(self, value):\n    self.{name} = value\n")
    namespace = {}
    _generated(f"get_{name}", source, namespace, f"the field {definition.key}.{name}")
    getter, setter = njit(**options)(namespace[f"get_{name}"]), njit(**options)(namespace[f"set_{name}"])
    field_type = definition.field_types[name]

    def set_field(self, value):
        # A Python number takes the field's type here, so one compiled setter serves every number.
        setter(self, field_type.dtype.type(value) if isinstance(field_type, nt.Scalar) else value)

    return property(getter, set_field, doc=f"{name}: {field_type}")


def _bound(dispatcher):
    def method(self, *args, **kwargs):
        return dispatcher(self, *args, **kwargs)

    method.__name__ = getattr(dispatcher, "__name__", "method")
    method.__doc__ = getattr(dispatcher, "__doc__", None)
    return method


def _build(cls, spec, options=None):
    options = dict(options or {})
    definition = _Definition(cls, spec)
    members = {"__slots__": (), "_numjit_jitclass": definition, "__doc__": cls.__doc__,
               "__module__": cls.__module__, "__qualname__": cls.__qualname__}
    for name in definition.field_types:
        members[name] = _field_property(definition, name, options)
    init = None
    for name, value in cls.__dict__.items():
        if name == "__init__":
            init = value
        elif isinstance(value, staticmethod):
            function = value.__func__
            members[name] = staticmethod(njit(**options)(function))
            registration.fallbacks[f"{definition.key}.{name}"] = _static_as_method(definition, name, function,
                                                                                   options)
        elif isinstance(value, property):
            getter = njit(**options)(value.fget) if value.fget else None
            setter = njit(**options)(value.fset) if value.fset else None
            if getter:
                registration.fallbacks[f"{definition.key}@{name}"] = getter
            if setter:
                registration.fallbacks[f"{definition.key}@={name}"] = setter
            members[name] = property(getter and _bound(getter), setter and _bound(setter), doc=value.__doc__)
        elif inspect.isfunction(value):
            method = njit(**options)(value)
            registration.fallbacks[f"{definition.key}.{name}"] = method
            members[name] = _bound(method)
        elif isinstance(value, classmethod):
            raise errors.UnsupportedError(f"@jitclass {cls.__qualname__}: class methods ({name}) are not "
                                          f"supported, as in Numba")
    constructor = _constructor(definition, init, options)
    members["__new__"] = lambda klass, *args, **kwargs: constructor(*args, **kwargs)
    members["__init__"] = lambda self, *args, **kwargs: None  # the constructor ran __init__ already
    members["_numjit_constructor"] = constructor
    # In compiled code the class is its constructor, named by the class's key:
    # isinstance(obj, cls) compares it with the instance's key.
    constructor._impl._numjit_jitclass_key = definition.key  # read through the dispatcher
    jit_class = type(cls.__name__, (JitclassInstance,), members)
    definition.fields_class._numjit_instance_class = jit_class
    setattr(jit_class, FIELDS_SUFFIX, definition.fields_class)  # how the cache finds it (types.named_tuple_class)
    definition.jit_class = jit_class
    jit_class.class_type = _ClassType(definition)
    return jit_class


class _ClassType:
    """Numba's ``Class.class_type``: ``.instance_type`` is the type of instances."""

    def __init__(self, definition):
        self.instance_type = definition.instance_type
        self.class_name = definition.name
        self.struct = dict(definition.field_types)

    def __repr__(self):
        return f"jitclass.{self.class_name}#{id(self):x}<{', '.join(f'{k}:{v}' for k, v in self.struct.items())}>"


def jitclass(cls_or_spec=None, spec=None, **options):
    """Numba's ``@jitclass(spec)`` / ``@jitclass`` (fields from annotations) / ``jitclass(cls, spec)``."""
    if isinstance(cls_or_spec, type):
        return _build(cls_or_spec, spec, options)

    def apply(cls):
        return _build(cls, cls_or_spec if spec is None else spec, options)

    return apply
