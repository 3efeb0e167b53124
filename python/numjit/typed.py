"""`numjit.typed`: Numba's typed containers.

A `List` or `Dict` holds a numjit list or dict: the memory compiled code
works on. Passing one to a jitted function, or getting one back, copies
nothing and writes nothing back, and what either side changes, the other
sees. The type is decided by `List.empty_list(item_type)`,
`Dict.empty(key_type, value_type)`, or the first item stored. Their Python
methods call small jitted functions (python/numjit/_typed_ops.py), compiled
once per type, as Numba's do.

In compiled code, `List()`, `List(iterable)`, `List.empty_list(t)`, `Dict()`
and `Dict.empty(key_type=, value_type=)` build the same containers
(python/numjit/_builtin_calls.py rewrites them), which come back to Python
as these objects.
"""
from collections.abc import Mapping, MutableMapping, MutableSequence

import numpy as np

from . import _dispatch
from . import types as nt


_operations = None  # python/numjit/_typed_ops.py, which hands itself over when the package imports it


def _ops():
    return _operations


def use_operations(module):
    global _operations
    _operations = module


def _zero_value(t):
    """A Python value that the dispatcher types as `t` (how a container's
    type reaches the jitted function that makes it)."""
    if isinstance(t, nt.Scalar):
        return np.dtype(t.dtype).type(0)
    if isinstance(t, nt.UnicodeType):
        return ""
    if isinstance(t, nt.Array):
        dtype = np.dtype(t.dtype.dtype)
        if t.layout == "A":  # every other element of a row of 4: strided
            return np.zeros((1,) * (t.ndim - 1) + (4,), dtype)[..., ::2]
        return np.zeros((2,) * t.ndim, dtype, order="F") if t.layout == "F" else np.zeros((0,) * t.ndim, dtype)
    if isinstance(t, nt.Tuple):
        return tuple(_zero_value(e) for e in t.elements)
    if isinstance(t, nt.ListType):
        return List.empty_list(t.item)
    if isinstance(t, nt.List):
        return [_zero_value(t.item)]
    if isinstance(t, nt.DictType):
        return Dict.empty(t.key, t.value)
    raise TypeError(f"numjit.typed containers cannot hold {t}")


class _Container(_dispatch.TypedContainer):
    """What typed.List and typed.Dict share: their type, read from the
    container's fingerprint (None while there is none yet), and the methods
    that are the same jitted call for both."""

    @property
    def _numjit_type(self):
        return nt.typeof(self) if self._code else None

    def __len__(self):
        return _ops().length(self) if self._code else 0

    def __contains__(self, value):
        return bool(self._code) and _ops().contains(self, value)

    def clear(self):
        if self._code:
            _ops().clear(self)

    def copy(self):
        out = type(self)()
        if self._code:
            out._adopt(_ops().copy(self))
        return out

    __hash__ = None

    def __str__(self):
        return str(self._items())


class List(_Container, MutableSequence):
    """A list with an item type (Numba's numba.typed.List)."""

    _numjit_typed = "List"

    def __init__(self, iterable=None, allocated=0):
        if iterable is not None:
            self.extend(iterable)

    @classmethod
    def empty_list(cls, item_type, allocated=0):
        out = cls()
        out._adopt(_ops().new_list(_zero_value(item_type)))
        return out

    @property
    def _dtype(self):
        return self._numjit_type.item if self._code else None

    item_type = _dtype

    def __getitem__(self, index):
        if isinstance(index, slice):
            out = type(self)()
            if self._code:
                out._adopt(_ops().take(self, *index.indices(len(self))))
            return out
        if not self._code:
            raise IndexError("list index out of range")
        return _ops().get_item(self, index)

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            items = self._items()
            items[index] = value
            self._replace(items)
        elif not self._code:
            raise IndexError("list assignment index out of range")
        else:
            _ops().set_item(self, index, value)

    def __delitem__(self, index):
        if isinstance(index, slice):
            items = self._items()
            del items[index]
            self._replace(items)
        elif not self._code:
            raise IndexError("list assignment index out of range")
        else:
            _ops().del_item(self, index)

    def insert(self, index, value):
        if not self._code:
            self.append(value)
        else:
            _ops().insert(self, index, value)

    def append(self, value):
        if self._code:
            _ops().append(self, value)
        else:
            self._adopt(_ops().list_of([value]))

    def extend(self, iterable):
        if isinstance(iterable, List) and iterable._code and iterable._code == self._code:
            _ops().extend(self, iterable)
            return
        items = list(iterable)
        if not items:
            return
        if not self._code:
            self._adopt(_ops().list_of(items[:1]))
            items = items[1:]
        if items and nt.typeof(items) is not None:  # a Python list of one type goes in one call
            _ops().extend(self, items)
        else:
            for item in items:
                _ops().append(self, item)

    def pop(self, index=-1):
        if not self._code:
            raise IndexError("pop from empty list")
        return _ops().pop(self, index)

    def reverse(self):
        if self._code:
            _ops().reverse(self)

    def sort(self, key=None, reverse=False):
        if not self._code:
            return
        if key is None:
            _ops().sort(self, bool(reverse))
        else:
            self._replace(sorted(self._items(), key=key, reverse=reverse))

    def index(self, value, start=0, stop=None):
        if self._code and start == 0 and stop is None:
            return _ops().index(self, value)
        return self._items().index(value, start, len(self) if stop is None else stop)

    def remove(self, value):
        if not self._code:
            raise ValueError("list.remove(x): x not in list")
        _ops().remove(self, value)

    def count(self, value):
        return _ops().count(self, value) if self._code else 0

    def __iter__(self):
        return iter(self._items())

    def _items(self):
        """The items as a Python list (one compiled call)."""
        return _ops().to_list(self) if self._code else []

    def _replace(self, items):
        self.clear()
        self.extend(items)

    def __eq__(self, other):
        if isinstance(other, (List, list)):
            return self._items() == list(other)
        return NotImplemented

    # +, * and their reflections give a new typed list, as compiled code's give a new list.
    def __add__(self, other):
        out = self.copy()
        out.extend(other)
        return out

    def __radd__(self, other):
        out = type(self)(other) if len(other) else self.copy()
        if len(other):
            out.extend(self)
        return out

    def __mul__(self, count):
        out = self.copy()
        out.clear()
        for _ in range(count):
            out.extend(self)
        return out

    __rmul__ = __mul__

    def __repr__(self):
        return f"{self._numjit_type or 'ListType[undefined]'}({self._items()!r})"

    def __reduce__(self):
        return _rebuild_list, (self._numjit_type.item if self._code else None, self._items())


def _rebuild_list(item_type, items):
    out = List.empty_list(item_type) if item_type is not None else List()
    out.extend(items)
    return out


class Dict(_Container, MutableMapping):
    """A dict with key and value types (Numba's numba.typed.Dict)."""

    _numjit_typed = "Dict"

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            self.update(*args, **kwargs)

    @classmethod
    def empty(cls, key_type, value_type, n_keys=0):
        out = cls()
        out._adopt(_ops().new_dict(_zero_value(key_type), _zero_value(value_type)))
        return out

    @property
    def key_type(self):
        return self._numjit_type.key if self._code else None

    @property
    def value_type(self):
        return self._numjit_type.value if self._code else None

    def __getitem__(self, key):
        if not self._code:
            raise KeyError(key)
        return _ops().get_item(self, key)

    def __setitem__(self, key, value):
        if self._code:
            _ops().set_item(self, key, value)
        else:
            self._adopt(_ops().dict_of(key, value))

    def __delitem__(self, key):
        if not self._code:
            raise KeyError(key)
        _ops().del_item(self, key)

    def __iter__(self):
        return iter(_ops().keys_of(self) if self._code else [])

    def _items(self):
        if not self._code:
            return {}
        return dict(zip(_ops().keys_of(self), _ops().values_of(self)))

    def pop(self, key, *default):
        if key in self:
            return _ops().pop(self, key)
        if default:
            return default[0]
        raise KeyError(key)

    def __eq__(self, other):
        if isinstance(other, Mapping):
            return self._items() == dict(other.items())
        return NotImplemented

    def __repr__(self):
        return f"{self._numjit_type or 'DictType[undefined]'}({self._items()!r})"

    def __reduce__(self):
        t = self._numjit_type
        return _rebuild_dict, ((t.key, t.value) if t else None, self._items())


def _rebuild_dict(types, items):
    out = Dict.empty(*types) if types is not None else Dict()
    out.update(items)
    return out


_dispatch.set_typed_classes(List, Dict)


def _as_typed(container):
    """Compiled code's typed containers are the lists and dicts it builds,
    wrapped in this (a row of the compiler's library: src/numjit/library/lists.cpp)."""
    raise RuntimeError("numjit.typed._as_typed can only be called from compiled code")


def _empty_dict(key, value):
    """What `Dict.empty(key_type=K, value_type=V)` becomes in compiled code,
    called with zeros of K and V: an empty dict of those types
    (python/numjit/library/dicts.py implements it)."""
    raise RuntimeError("numjit.typed._empty_dict can only be called from compiled code")
