"""Dict methods written in Python over the C++ dict rows (get, pop, `in`,
keys, values, items; src/numjit/library/dicts.cpp), dict(pairs) and
dict(other), equality of dicts, and the typed empty dict numjit.typed's
Dict.empty(key_type=K, value_type=V) becomes in compiled code."""
from .. import typed
from .registration import extends, implements


@implements(typed._empty_dict)
def empty_dict(key, value):
    items = {key: value}  # typed by this first entry,
    items.pop(key)  # then empty
    return items


@extends("dict.clear")
def clear(mapping):
    for key in mapping.keys():  # a list of the keys: popping does not disturb it
        mapping.pop(key)


@extends("dict.copy")
def copy(mapping):
    out = {key: value for key, value in mapping.items()}
    return out


@extends("dict.update")
def update(mapping, other):
    for key, value in other.items():
        mapping[key] = value


@extends("dict.setdefault")
def setdefault(mapping, key, default):
    if key not in mapping:
        mapping[key] = default
    return mapping[key]


@extends("dict.popitem")
def popitem(mapping):
    if len(mapping) == 0:
        raise KeyError("popitem(): dictionary is empty")
    key = mapping.keys()[-1]  # the last inserted, as Python pops
    return key, mapping.pop(key)


@extends("dict")
def dict_of(pairs, values=None):
    """dict(pairs), dict(other); the front end makes dict(zip(keys, values)) dict(keys, values)."""
    out = {}
    if values is not None:  # each branch decided by types
        for key, value in zip(pairs, values):
            out[key] = value
    elif isinstance(pairs, dict):
        for key in pairs:
            out[key] = pairs[key]
    else:
        for key, value in pairs:
            out[key] = value
    return out


@extends("dict.__eq__")
def equal(first, second):
    if len(first) != len(second):
        return False
    for key in first:
        if key not in second or not (first[key] == second[key]):
            return False
    return True


@extends("dict.__ne__")
def not_equal(first, second):
    return not equal(first, second)
