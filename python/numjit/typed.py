"""`numjit.typed`: Numba's typed containers, as far as numjit has them.

* `List` is a Python list that knows its item type: from `List.empty_list(
  float64)`, or from its items. Compiled code takes it as it takes any list,
  and what compiled code appends, pops or stores shows in it; an empty
  `List.empty_list(t)` can be passed too, which a plain `[]` cannot.
* `Dict` is a Python dict with declared key and value types
  (`Dict.empty(key_type=int64, value_type=float64)`). Compiled code builds and
  returns dicts of its own, but cannot take one from Python yet.

In compiled code, `List()`, `List(iterable)`, `List.empty_list(t)`,
`Dict()` and `Dict.empty(key_type=, value_type=)` create an empty list or
dict (typed, for empty_list and Dict.empty), or a list of the iterable's
items (python/numjit/_builtin_calls.py rewrites them), and come back to
Python as a list or a dict.
"""


class List(list):
    """A list with an item type (Numba's numba.typed.List)."""

    _numjit_typed = "List"

    def __init__(self, iterable=()):
        super().__init__(iterable)
        self._numjit_item_type = None

    @classmethod
    def empty_list(cls, item_type, allocated=0):
        out = cls()
        out._numjit_item_type = item_type
        return out

    @property
    def _dtype(self):
        return self._numjit_item_type

    def __repr__(self):
        return f"ListType({list.__repr__(self)})"


class Dict(dict):
    """A dict with key and value types (Numba's numba.typed.Dict)."""

    _numjit_typed = "Dict"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_type = None
        self.value_type = None

    @classmethod
    def empty(cls, key_type, value_type, n_keys=0):
        out = cls()
        out.key_type, out.value_type = key_type, value_type
        return out

    def __repr__(self):
        return f"DictType({dict.__repr__(self)})"


def _empty_dict(key, value):
    """What `Dict.empty(key_type=K, value_type=V)` becomes in compiled code,
    called with K(0) and V(0): an empty dict of those types
    (python/numjit/library/dicts.py implements it)."""
    raise RuntimeError("numjit.typed._empty_dict can only be called from compiled code")
