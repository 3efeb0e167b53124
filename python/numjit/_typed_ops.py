"""The jitted functions behind numjit.typed's Python methods (typed.py).
Each takes the typed container itself, by reference, so it is compiled
once per container type and then costs one dispatcher call. Where a list's
operation and a dict's are spelt alike (x[k], del x[k], x.pop(k), len, in,
clear, copy), one function serves both."""
import sys

from . import typed
from .decorators import njit
from .typed import _as_typed, _empty_dict


@njit
def new_list(zero):
    return _as_typed([zero for _ in range(0)])


@njit
def list_of(items):
    return _as_typed([item for item in items])


@njit
def new_dict(key, value):
    return _as_typed(_empty_dict(key, value))


@njit
def dict_of(key, value):
    return _as_typed({key: value})


@njit
def length(container):
    return len(container)


@njit
def contains(container, value):
    return value in container


@njit
def clear(container):
    container.clear()


@njit
def get_item(container, key):
    return container[key]


@njit
def set_item(container, key, value):
    container[key] = value


@njit
def del_item(container, key):
    del container[key]


@njit
def insert(items, index, value):
    items.insert(index, value)


@njit
def append(items, value):
    items.append(value)


@njit
def extend(items, more):
    items.extend(more)


@njit
def pop(container, key):
    return container.pop(key)


@njit
def index(items, value):
    return items.index(value)


@njit
def remove(items, value):
    items.remove(value)


@njit
def count(items, value):
    return items.count(value)


@njit
def reverse(items):
    items.reverse()


@njit
def sort(items, descending):
    items.sort(reverse=descending)


@njit
def copy(container):
    return _as_typed(container.copy())


@njit
def to_list(items):
    return [item for item in items]


@njit
def take(items, start, stop, step):
    return _as_typed([items[i] for i in range(start, stop, step)])


@njit
def keys_of(mapping):
    return [key for key in mapping]


@njit
def values_of(mapping):
    return [value for value in mapping.values()]


typed.use_operations(sys.modules[__name__])
