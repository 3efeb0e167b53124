"""The jitted functions behind numjit.typed's Python methods (typed.py).
Each takes the typed container itself, by reference, so it is compiled
once per container type and then costs one dispatcher call."""
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
def get_item(items, index):
    return items[index]


@njit
def set_item(items, index, value):
    items[index] = value


@njit
def del_item(items, index):
    del items[index]


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
def pop(items, index):
    return items.pop(index)


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
def copy_list(items):
    return _as_typed(items.copy())


@njit
def to_list(items):
    return [item for item in items]


@njit
def take(items, start, stop, step):
    return _as_typed([items[i] for i in range(start, stop, step)])


@njit
def get_value(mapping, key):
    return mapping[key]


@njit
def set_value(mapping, key, value):
    mapping[key] = value


@njit
def del_key(mapping, key):
    del mapping[key]


@njit
def pop_key(mapping, key):
    return mapping.pop(key)


@njit
def keys_of(mapping):
    return [key for key in mapping]


@njit
def values_of(mapping):
    return [value for value in mapping.values()]


@njit
def copy_dict(mapping):
    return _as_typed(mapping.copy())


typed.use_operations(sys.modules[__name__])
