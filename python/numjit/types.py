"""Numba-compatible type objects: ``float64``, ``int64[:]``, ``float64[:, ::1]``,
signatures such as ``float64(float64[:], int64[:])`` and their string forms.

``str(t)`` is the canonical spelling the C++ compiler parses
(src/numjit/types/type.cpp), e.g. ``array(float64, 1d, C)``.
"""
import numpy as np

from . import _dispatch


class Type:
    """Base of all numjit types; equal when their canonical names are equal."""

    name = "?"

    def __str__(self):
        return self.name

    def __repr__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, Type) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __call__(self, *args):
        """``float64(int64, float64[:])`` builds a Signature, as in Numba."""
        return Signature(self, args)


class Scalar(Type):
    def __init__(self, name):
        self.name = name

    @property
    def dtype(self):
        return np.dtype("bool" if self.name == "bool" else self.name)

    def __getitem__(self, index):
        """``float64[:]``, ``float64[::1]``, ``float64[:, ::1]``, ``float64[::1, :]``."""
        if not isinstance(index, tuple):
            index = (index,)
        if not all(isinstance(s, slice) for s in index):
            raise TypeError(f"array types are spelt with slices, e.g. {self.name}[:, ::1]")
        contiguous = [s.step == 1 for s in index]
        if contiguous and contiguous[-1] and not any(contiguous[:-1]):
            layout = "C"
        elif contiguous and contiguous[0] and not any(contiguous[1:]) and len(index) > 1:
            layout = "F"
        else:
            layout = "A"
        return Array(self, len(index), layout)


class Boolean(Scalar):
    """Numba's Boolean: not a Number, as in Numba."""


class Number(Scalar):
    """Numba's Number: the base of Integer, Float and Complex."""

    @property
    def bitwidth(self):
        return self.dtype.itemsize * 8


class Integer(Number):
    @property
    def signed(self):
        return self.name.startswith("int")


class Float(Number):
    pass


class Complex(Number):
    @property
    def underlying_float(self):
        return _SCALARS["float32" if self.name == "complex64" else "float64"]


def _scalar(name):
    """The type object of a dtype name, of Numba's class for it."""
    if name == "bool":
        return Boolean(name)
    if name.startswith(("datetime64[", "timedelta64[")):
        unit = name[name.index("[") + 1:-1]
        return NPDatetime(unit) if name.startswith("datetime") else NPTimedelta(unit)
    if name.startswith(("int", "uint")):
        return Integer(name)
    return Float(name) if name.startswith("float") else Complex(name)


class List(Type):
    """A Python list passed to compiled code (reflected: changes are written back)."""

    def __init__(self, item):
        self.item = item
        self.name = f"list({item.name})"


class Set(Type):
    """A Python set passed to compiled code (reflected: changes are written back)."""

    def __init__(self, item):
        self.item = item
        self.name = f"set({item.name})"


class ListType(List):
    """A numjit.typed.List (Numba's ListType): passed to and from compiled code by reference."""

    def __init__(self, item):
        self.item = item
        self.name = f"ListType[{item.name}]"


class DictType(Type):
    """A numjit.typed.Dict (Numba's DictType): passed to and from compiled code by reference."""

    def __init__(self, key, value):
        self.key, self.value = key, value
        self.name = f"DictType[{key.name},{value.name}]"


class Literal(Type):
    """Numba's Literal: a value that is part of its type."""


class StringLiteral(Literal):
    """A str argument: its text is part of the type, as a compile-time constant."""

    def __init__(self, text):
        self.text = text
        self.name = "str('" + text.replace("\\", "\\\\").replace("'", "\\'") + "')"


class UnicodeType(Type):
    """A string made at run time (Numba's unicode_type): the items of a list of str."""

    name = "unicode_type"


class NoneType(Type):
    name = "none"


class NumPyRandomGeneratorType(Type):
    """An np.random.Generator, passed to and from compiled code by reference:
    compiled code draws from its own bit generator (Numba's type of that name)."""

    name = "NumPyRandomGeneratorType"


class Buffer(Type):
    """Numba's base of the array types."""


class Array(Buffer):
    def __init__(self, dtype, ndim, layout="A", readonly=False, aligned=True):
        """aligned=False: data not aligned to the element size (views of byte
        buffers); such arrays get code of their own whose accesses assume
        byte alignment."""
        if isinstance(dtype, str):
            dtype = _SCALARS[dtype]
        if layout == "F" and ndim <= 1:
            layout = "C"
        self.dtype, self.ndim, self.layout, self.readonly = dtype, ndim, layout, readonly
        self.aligned = aligned
        prefix = ("" if aligned else "unaligned ") + ("readonly " if readonly else "")
        self.name = f"{prefix}array({dtype.name}, {ndim}d, {layout})"

    def copy(self, dtype=None, ndim=None, layout=None, readonly=None, aligned=None):
        return Array(dtype or self.dtype, self.ndim if ndim is None else ndim, layout or self.layout,
                     self.readonly if readonly is None else readonly, self.aligned if aligned is None else aligned)


class Bytes(Buffer):
    """A Python bytes object (Numba's ``bytes``): in compiled code a read-only,
    C-ordered 1-D uint8 array, which goes back to Python as bytes."""

    name = "bytes"

    def __init__(self):
        self.dtype, self.ndim, self.layout, self.readonly = _SCALARS["uint8"], 1, "C", True


class BaseTuple(Type):
    """Numba's base of the tuple types."""


def _tuple_elements(elements):
    if len(elements) == 1 and isinstance(elements[0], (list, tuple)):
        return tuple(elements[0])
    return tuple(elements)


class Tuple(BaseTuple):
    """A tuple of the given element types: ``Tuple(int64, float64)``; ``UniTuple(int64, 3)``.
    As in Numba, a Tuple whose elements are all one type is a UniTuple."""

    def __new__(cls, *elements):
        elements = _tuple_elements(elements)
        if cls is Tuple and elements and all(e == elements[0] for e in elements):
            return super().__new__(UniTuple)
        return super().__new__(cls)

    def __init__(self, *elements):
        self._set_elements(_tuple_elements(elements))

    def _set_elements(self, elements):
        self.elements = tuple(elements)
        self.types = self.elements  # Numba's name
        self.count = len(self.elements)
        self.name = "Tuple(" + ", ".join(str(e) for e in self.elements) + ")"

    def __len__(self):
        return len(self.elements)

    def __getitem__(self, i):
        return self.elements[i]

    def __iter__(self):
        return iter(self.elements)


class UniTuple(Tuple):
    """Numba's homogeneous tuple type: ``UniTuple(int64, 2)``."""

    def __init__(self, *args):
        if len(args) == 2 and isinstance(args[0], Type) and isinstance(args[1], int):
            args = (args[0],) * args[1]  # UniTuple(dtype, count)
        self._set_elements(_tuple_elements(args))
        self.dtype = self.elements[0] if self.elements else none


class BaseNamedTuple(BaseTuple):
    """Numba's base of the namedtuple types."""


class NamedTuple(BaseNamedTuple, Tuple):
    """The instances of a namedtuple class: ``NamedTuple((float64, int64), Point)``; as in
    Numba, a NamedUniTuple when every field has one type. ``instance_class`` is the class
    and ``fields`` its field names. Compiled code names the class by its key
    (named_tuple_key), so that results box back to it."""

    def __new__(cls, types, instance_class):
        types = tuple(types)
        if cls is NamedTuple and types and all(t == types[0] for t in types):
            return object.__new__(NamedUniTuple)
        return object.__new__(cls)

    def __init__(self, types, instance_class):
        self._set_named(tuple(types), instance_class)

    def _set_named(self, types, instance_class):
        self._set_elements(types)
        self.instance_class = instance_class
        self.fields = tuple(instance_class._fields)
        self.key = named_tuple_key(instance_class)
        self.name = (f"NamedTuple[{self.key}](" +
                     ", ".join(f"{field}: {t}" for field, t in zip(self.fields, self.elements)) + ")")


class NamedUniTuple(NamedTuple):
    """Numba's namedtuple type whose fields share one type: ``NamedUniTuple(float64, 2, Point)``."""

    def __new__(cls, *args):
        return object.__new__(cls)

    def __init__(self, *args):
        if len(args) == 3:  # (dtype, count, class), as Numba spells it
            args = ((args[0],) * args[1], args[2])
        self._set_named(tuple(args[0]), args[1])
        self.dtype = self.elements[0] if self.elements else none


_NAMED_TUPLE_CLASSES = {}  # key -> class
_NAMED_TUPLE_KEYS = {}     # class -> key


def named_tuple_key(cls):
    """The key compiled code names a namedtuple class by: its module and qualified name, then
    '#2', '#3', ... for further classes of that name (a class made again in each call of a
    function). Registering it lets results box back to the class."""
    key = _NAMED_TUPLE_KEYS.get(cls)
    if key is None:
        base = key = f"{cls.__module__}.{cls.__qualname__}"
        copies = 1
        while key in _NAMED_TUPLE_CLASSES:
            copies += 1
            key = f"{base}#{copies}"
        _register_named_tuple_class(key, cls)
    return key


def named_tuple_key_taken(key):
    return key in _NAMED_TUPLE_CLASSES


def _register_named_tuple_class(key, cls):
    _NAMED_TUPLE_CLASSES[key] = cls
    _NAMED_TUPLE_KEYS[cls] = key
    _dispatch.register_named_tuple_class(key, cls)


def named_tuple_class(key):
    """The class a key names. Code loaded from the cache may name one this process has not
    registered yet: it is found by its module and qualified name."""
    if key in _NAMED_TUPLE_CLASSES:
        return _NAMED_TUPLE_CLASSES[key]
    import importlib

    parts = key.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
            for name in parts[split:]:
                found = getattr(found, name)
        except (ImportError, AttributeError):
            continue
        if _NAMED_TUPLE_KEYS.get(found) == key:  # a class the module made, and registered, when asked
            return found
        if isinstance(found, type) and issubclass(found, tuple) and hasattr(found, "_fields") \
                and found not in _NAMED_TUPLE_KEYS:
            _register_named_tuple_class(key, found)
            return found
    raise TypeError(f"numjit: no namedtuple class named {key!r} can be found in this process")


# Numba's other type classes, so that library code's isinstance checks and
# annotations work; numjit does not make values of these types.
class Hashable(Type):
    pass


class Dummy(Type):
    pass


class Opaque(Dummy):
    pass


class Callable(Type):
    pass


class IterableType(Type):
    pass


class Sequence(IterableType):
    pass


class ArrayCompatible(Type):
    pass


class Optional(Type):
    """Numba's Optional(T): T or None."""

    def __init__(self, type):
        self.type = type
        self.name = f"OptionalType({type.name})"


class Omitted(Type):
    """An argument left out, taking its default (Numba's Omitted)."""

    def __init__(self, value):
        self.value = value
        self.name = f"omitted(default={value!r})"


class IntegerLiteral(Literal, Integer):
    def __init__(self, value):
        self.literal_value = value
        Integer.__init__(self, "int64")


class BooleanLiteral(Literal, Boolean):
    def __init__(self, value):
        self.literal_value = value
        Boolean.__init__(self, "bool")


class Dispatcher(Callable):
    """A jitted function passed as a value."""

    def __init__(self, dispatcher):
        self.dispatcher = dispatcher
        self.name = f"type(CPUDispatcher({getattr(dispatcher, '__name__', dispatcher)}))"


class Function(Callable):
    pass


class NumberClass(Callable):
    """A number class used as a value (np.float64 as a dtype argument)."""

    def __init__(self, instance_type):
        self.instance_type = instance_type
        self.name = f"class({instance_type.name})"


class DType(Type):
    def __init__(self, dtype):
        self.dtype = dtype
        self.name = f"dtype({dtype.name})"


class NPDatetime(Scalar):
    """datetime64[unit]: compiled code takes each unit (Y M W D h m s ms us ns ps fs as) but not the generic one."""

    def __init__(self, unit=""):
        self.unit = unit
        self.name = f"datetime64[{unit}]" if unit else "datetime64"


class NPTimedelta(Scalar):
    """timedelta64[unit], as NPDatetime."""

    def __init__(self, unit=""):
        self.unit = unit
        self.name = f"timedelta64[{unit}]" if unit else "timedelta64"


class RawPointer(Opaque):
    """Numba's voidptr: a C pointer to memory of no declared type (a @cfunc argument)."""

    def __init__(self, name="voidptr"):
        self.name = name


class CPointer(Type):
    """A C pointer to numbers of one type, as a @cfunc receives it: ``CPointer(float64)``."""

    def __init__(self, dtype):
        self.dtype = dtype
        self.name = f"CPointer({dtype.name})"


class PyObject(Dummy):
    name = "pyobject"


class Signature:
    """A function signature: return type (None when unspecified) and argument types."""

    def __init__(self, return_type, args):
        self.return_type = return_type
        self.args = tuple(args)

    def __repr__(self):
        args = ", ".join(str(a) for a in self.args)
        return f"{self.return_type}({args})" if self.return_type is not None else f"({args})"

    def __eq__(self, other):
        return isinstance(other, Signature) and (self.return_type, self.args) == (other.return_type, other.args)

    def __hash__(self):
        return hash((self.return_type, self.args))


# The dtype names, in the runtime's order (runtime/abi.h's kScalarKindNames).
_SCALAR_NAMES = [name for name, _ in sorted(_dispatch.scalar_kinds().items(), key=lambda item: item[1])
                 if name != "none"]
_SCALARS = {n: _scalar(n) for n in _SCALAR_NAMES}

boolean = bool_ = b1 = _SCALARS["bool"]
int8, int16, int32, int64 = (_SCALARS[n] for n in ("int8", "int16", "int32", "int64"))
uint8, uint16, uint32, uint64 = (_SCALARS[n] for n in ("uint8", "uint16", "uint32", "uint64"))
float32, float64 = _SCALARS["float32"], _SCALARS["float64"]
complex64, complex128 = _SCALARS["complex64"], _SCALARS["complex128"]
i1, i2, i4, i8 = int8, int16, int32, int64
u1, u2, u4, u8 = uint8, uint16, uint32, uint64
f4, f8, c8, c16 = float32, float64, complex64, complex128
intp, uintp, int_, float_, double = int64, uint64, int64, float64, float64
byte = uint8
none = NoneType()
voidptr = RawPointer("voidptr")
pyobject = PyObject()
numpy_random_generator = NumPyRandomGeneratorType()
bytes_type = Bytes()
void = none
unicode_type = string = UnicodeType()

# Numba's C-named and NumPy-named aliases (this platform: LP64).
char = int8
uchar = uint8
short = int16
ushort = uint16
intc = int32
uintc = uint = uint32
long_ = longlong = ssize_t = int64
ulong = ulonglong = size_t = uint64
np_bool_, np_int8, np_int16, np_int32, np_int64 = boolean, int8, int16, int32, int64
np_uint8, np_uint16, np_uint32, np_uint64 = uint8, uint16, uint32, uint64
np_float32, np_float64, np_complex64, np_complex128 = float32, float64, complex64, complex128
np_intp, np_uintp, np_double, np_float_, np_int_ = intp, uintp, float64, float64, int64
c_bool, c_int8, c_int16, c_int32, c_int64 = boolean, int8, int16, int32, int64
c_uint8, c_uint16, c_uint32, c_uint64 = uint8, uint16, uint32, uint64
c_float32, c_float64, c_intp, c_uintp = float32, float64, intp, uintp
py_bool, py_int, py_float, py_complex = boolean, int64, float64, complex128
optional = Optional
signed_domain = frozenset([int8, int16, int32, int64])
unsigned_domain = frozenset([uint8, uint16, uint32, uint64])
integer_domain = signed_domain | unsigned_domain
real_domain = frozenset([float32, float64])
complex_domain = frozenset([complex64, complex128])
number_domain = integer_domain | real_domain | complex_domain


def deferred_type():
    """Numba's forward-declared type (for recursive jitclass fields): numjit has no jitclass yet."""
    return __getattr__("DeferredType")()


def unliteral(t):
    """The type without its literal value (numjit's literal types are their base types already)."""
    return t


class Opaque(Dummy):
    """A compiler type the Python side has no class for (a range, a slice, a function)."""

    def __init__(self, name):
        self.name = name


def _split_top_level(text):
    """'int64, Tuple(a, b), c' -> ['int64', 'Tuple(a, b)', 'c']: commas outside brackets and quotes."""
    parts, depth, start, quote = [], 0, 0, None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:].strip()
    return parts + [tail] if tail else parts


def from_canonical(text):
    """The type object of the compiler's name for a type (src/numjit/types/type.cpp):
    "array(float64, 2d, C)", "Tuple(int64, float64)", "DictType[int64,float64]", ..."""
    import ast

    text = text.strip()
    readonly = text.startswith("readonly ")
    if readonly:
        text = text[len("readonly "):]
    simple = {"none": none, "unicode_type": unicode_type, NumPyRandomGeneratorType.name: numpy_random_generator,
              "voidptr": voidptr, "bytes": bytes_type}
    if text in _SCALARS or text in simple:
        return _SCALARS.get(text) or simple[text]
    if text.startswith("NamedTuple[") and text.endswith(")"):
        key, _, fields = text[len("NamedTuple["):-1].partition("](")
        elements = [from_canonical(part.partition(": ")[2]) for part in _split_top_level(fields)]
        return NamedTuple(elements, named_tuple_class(key))
    for prefix, make in (("ListType[", lambda k: ListType(from_canonical(k))),
                         ("DictType[", lambda kv: DictType(*(from_canonical(p) for p in _split_top_level(kv))))):
        if text.startswith(prefix) and text.endswith("]"):
            return make(text[len(prefix):-1])
    head, paren, rest = text.partition("(")
    if paren and rest.endswith(")"):
        inner = rest[:-1]
        if head == "array":
            dtype, ndim, layout = _split_top_level(inner)
            return Array(_SCALARS[dtype], int(ndim[:-1]), layout, readonly=readonly)
        if head == "Tuple":
            return Tuple(*(from_canonical(p) for p in _split_top_level(inner)))
        if head == "CPointer":
            return CPointer(from_canonical(inner))
        if head == "dict":
            return DictType(*(from_canonical(p) for p in _split_top_level(inner)))
        if head in ("list", "set", "OptionalType"):
            return {"list": List, "set": Set, "OptionalType": Optional}[head](from_canonical(inner))
        if head == "str":
            return StringLiteral(ast.literal_eval(inner))
    return Opaque(text)


_NUMBA_CLASSES = {}


def __getattr__(name):
    """Numba's other type classes (types.Record, types.NamedTuple, ...): each a
    subclass of Type made on first use, so library code that names them in an
    isinstance check or an annotation runs (numjit makes no values of them)."""
    if name == "bool":  # Numba's name for boolean; a global here would hide the builtin
        return boolean
    if not name[:1].isupper():
        raise AttributeError(f"module 'numjit.types' has no attribute {name!r}")
    if name not in _NUMBA_CLASSES:
        _NUMBA_CLASSES[name] = type(name, (Type,), {"__doc__": f"Numba's {name} (numjit makes no values of it).",
                                                     "__module__": __name__})
    return _NUMBA_CLASSES[name]


_NAMESPACE = {k: v for k, v in globals().items() if isinstance(v, Type)}
_NAMESPACE.update(Tuple=Tuple, UniTuple=UniTuple, ListType=ListType, DictType=DictType, CPointer=CPointer)  # 'UniTuple(float64, 3)(float64[:])' in signature strings


def parse_signature(text):
    """Parses ``'float64(float64[:], int64[:])'`` (or a Signature) into a Signature."""
    if isinstance(text, Signature):
        return text
    if isinstance(text, tuple):
        return Signature(None, text)
    if not isinstance(text, str):
        raise TypeError(f"a signature must be a string or a Signature, not {type(text).__name__}")
    try:
        value = eval(text, {"__builtins__": {}}, dict(_NAMESPACE))  # the namespace holds only type objects
    except Exception as exc:
        raise TypeError(f"invalid signature {text!r}: {exc}") from None
    if isinstance(value, Signature):
        return value
    if isinstance(value, tuple):
        return Signature(None, value)
    if isinstance(value, Type):
        return Signature(None, (value,))
    raise TypeError(f"invalid signature {text!r}")


def _from_dtype(dtype):
    name = "bool" if dtype == np.bool_ else dtype.name
    if not dtype.isnative or name not in _SCALARS:
        return None
    return _SCALARS[name]


def typeof(value):
    """The numjit type of a Python value, as the dispatcher sees it; None if unsupported."""
    if isinstance(value, bool):
        return boolean
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return int64
        return uint64 if 0 <= value < 2**64 else None
    if isinstance(value, float):
        return float64
    if isinstance(value, complex):
        return complex128
    if value is None:
        return none
    if isinstance(value, str):
        return StringLiteral(value)
    if isinstance(value, np.ndarray):
        if type(value) is not np.ndarray and overrides_ndarray(type(value)):
            return None
        dtype = _from_dtype(value.dtype)
        if dtype is None:
            return None
        flags = value.flags
        layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
        return Array(dtype, value.ndim, layout, readonly=not flags.writeable, aligned=flags.aligned)
    if isinstance(value, np.generic):
        return _from_dtype(value.dtype)
    if type(value) is list:
        return _list_type(value)
    if isinstance(value, list) and getattr(value, "_numjit_typed", None) == "List":  # numjit.typed.List
        declared = value._numjit_item_type
        if not value and isinstance(declared, (Scalar, Array)):
            return List(declared)
        return _list_type(value)
    if type(value) is set:
        return _set_type(value)
    if isinstance(value, tuple) and (type(value) is tuple or hasattr(type(value), "_fields")):
        known = getattr(type(value), "_numjit_typeof", None)  # a class that knows its instances' types (records.py)
        if known is not None:
            return known(value)
        elements = [typeof(v) for v in value]
        if any(e is None for e in elements):
            return None
        return Tuple(*elements) if type(value) is tuple else NamedTuple(elements, type(value))
    if type(value) is np.random.Generator:
        return numpy_random_generator
    if type(value) is bytes:
        return bytes_type
    if isinstance(value, _dispatch.TypedContainer):  # numjit.typed.List / Dict, once it holds a container
        return type_of_fingerprint(value._code) if value._code else None
    return None


_BITS = _dispatch.fingerprint_bits
_KIND_NAMES = {kind: name for name, kind in _dispatch.scalar_kinds().items()}


def type_of_fingerprint(code):
    """The type the dispatcher's code `code` stands for (runtime/abi.h); the
    inverse of dispatcher.type_fingerprint. Arrays come back with layout 'A'
    unless the code names one."""
    if code == _dispatch.any_string_code:
        return unicode_type
    if code == _BITS["generator"]:
        return numpy_random_generator
    if code == _BITS["bytes"]:
        return bytes_type
    if code & _BITS["dict"]:
        key, value = _dispatch.typed_dict_codes(code)
        return DictType(type_of_fingerprint(key), type_of_fingerprint(value))
    if code & _BITS["set"]:
        return Set(type_of_fingerprint(_dispatch.list_item_code(code)))
    if code & _BITS["list"]:
        item = type_of_fingerprint(_dispatch.list_item_code(code))
        return ListType(item) if code & _BITS["typed"] else List(item)
    if code & _BITS["tuple"]:
        elements = [type_of_fingerprint(c) for c in _dispatch.tuple_element_codes(code)]
        named_class = _dispatch.tuple_class(code)
        return Tuple(*elements) if named_class is None else NamedTuple(elements, named_class)
    dtype = _KIND_NAMES[code & 0xFF]
    if code & _BITS["array"]:
        layout = {1: "C", 2: "F"}.get((code >> 16) & 3, "A")
        return Array(_SCALARS[dtype], (code >> 8) & 0xFF, layout, readonly=bool(code & _BITS["readonly"]))
    return none if dtype == "none" else _SCALARS[dtype]


# Methods whose override changes what an array means (masks, matrix products,
# units): compiled code reads only the buffer, so it would lose them.
_BEHAVIOUR_METHODS = frozenset(
    "__array_ufunc__ __array_function__ __getitem__ __setitem__ __add__ __sub__ __mul__ __truediv__ "
    "__floordiv__ __mod__ __pow__ __matmul__ __neg__ __eq__ __lt__ __gt__ __le__ __ge__ __ne__ "
    "sum mean min max".split())


def overrides_ndarray(cls):
    """True for an ndarray subclass that changes behaviour (np.ma arrays,
    np.matrix, ...). np.memmap only maps a file, so it passes."""
    if issubclass(cls, np.memmap) and not any(
            _BEHAVIOUR_METHODS & vars(k).keys() for k in cls.__mro__ if k not in (np.memmap, np.ndarray, object)):
        return False
    return any(_BEHAVIOUR_METHODS & vars(k).keys() for k in cls.__mro__ if k not in (np.ndarray, object))


def _set_type(values):
    """set(item) when every item is a number of one type, or every one a str; else None."""
    if values and all(type(v) is str for v in values):
        return Set(unicode_type)
    items = {typeof(v) for v in values}
    if len(items) != 1:
        return None
    item = items.pop()
    return Set(item) if isinstance(item, Scalar) else None


def _list_type(values):
    """list(item) when every item has one type (arrays may differ in layout); else None."""
    if values and all(type(v) is str for v in values):
        return List(unicode_type)
    if values and all(type(v) is list for v in values):
        # Lists of lists: the inner lists share one item type (numbers of one type, str, arrays, or lists).
        # An empty inner list takes the others' type.
        inner = [_list_type(v) for v in values if v]
        if not inner or any(t is None for t in inner) or any(t.name != inner[0].name for t in inner):
            return None
        return List(inner[0])
    items = [typeof(v) for v in values]
    if items and isinstance(items[0], Tuple) and all(isinstance(e, Scalar) for e in items[0].elements):
        return List(items[0]) if all(t == items[0] for t in items) else None  # tuples of numbers
    if not items or any(t is None or not isinstance(t, (Scalar, Array)) for t in items):
        return None
    first = items[0]
    if all(t == first for t in items):
        return List(first)
    if isinstance(first, Array) and all(isinstance(t, Array) and (t.dtype, t.ndim) == (first.dtype, first.ndim)
                                        for t in items):
        return List(Array(first.dtype, first.ndim, "A"))
    return None
