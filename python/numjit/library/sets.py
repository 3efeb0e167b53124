"""Set methods and operators written in Python over the C++ set rows (add,
`in`, _discard, pop, _items; src/numjit/library/sets.cpp), with Python's
semantics and messages. The type checker turns `a | b`, `a & b`, `a - b`,
`a ^ b` and the comparisons into the dunder methods here, and `a |= b`
(and the other in-place operators) into the *_update methods. The methods
take any iterable, as Python's do; the operators take sets."""
from .registration import extends, implements


@implements(set)
def set_(iterable):
    items = set()
    for item in iterable:
        items.add(item)
    return items


@extends("set.discard")
def discard(items, item):
    items._discard(item)


@extends("set.remove")
def remove(items, item):
    if not items._discard(item):
        raise KeyError("set.remove(x): x not in set")  # Python names the item; messages are constants here


@extends("set.clear")
def clear(items):
    for item in items._items():
        items._discard(item)


@extends("set.copy")
def copy(items):
    out = set()
    for item in items._items():
        out.add(item)
    return out


@extends("set.update")
def update(items, other):
    for item in other:
        items.add(item)


@extends("set.union", "set.__or__")
def union(items, other):
    out = set()  # typed by both operands' items: {1} | {2.5} is {1.0, 2.5}
    for item in items._items():
        out.add(item)
    for item in other:
        out.add(item)
    return out


@extends("set.intersection", "set.__and__")
def intersection(items, other):
    others = set_(other)
    out = set()
    for item in items._items():
        if item in others:
            out.add(item)
    return out


@extends("set.difference", "set.__sub__")
def difference(items, other):
    others = set_(other)
    out = copy(items)
    for item in others._items():
        out._discard(item)
    return out


@extends("set.symmetric_difference", "set.__xor__")
def symmetric_difference(items, other):
    others = set_(other)
    out = copy(items)
    for item in others._items():
        if not out._discard(item):
            out.add(item)
    return out


@extends("set.intersection_update")
def intersection_update(items, other):
    others = set_(other)
    for item in items._items():
        if item not in others:
            items._discard(item)


@extends("set.difference_update")
def difference_update(items, other):
    for item in other:
        items._discard(item)


@extends("set.symmetric_difference_update")
def symmetric_difference_update(items, other):
    others = set_(other)
    for item in others._items():
        if not items._discard(item):
            items.add(item)


@extends("set.issubset", "set.__le__")
def issubset(items, other):
    others = set_(other)
    if len(items) > len(others):
        return False
    for item in items._items():
        if item not in others:
            return False
    return True


@extends("set.issuperset", "set.__ge__")
def issuperset(items, other):
    for item in other:
        if item not in items:
            return False
    return True


@extends("set.isdisjoint")
def isdisjoint(items, other):
    for item in other:
        if item in items:
            return False
    return True


@extends("set.__eq__")
def eq(items, other):
    return len(items) == len(other) and issubset(items, other)


@extends("set.__ne__")
def ne(items, other):
    return not eq(items, other)


@extends("set.__lt__")
def lt(items, other):
    return len(items) < len(other) and issubset(items, other)


@extends("set.__gt__")
def gt(items, other):
    return len(items) > len(other) and issubset(other, items)
