"""Dict helpers written in Python: the typed empty dict numjit.typed's
Dict.empty(key_type=K, value_type=V) becomes in compiled code."""
from .. import typed
from .registration import implements


@implements(typed._empty_dict)
def empty_dict(key, value):
    items = {key: value}  # typed by this first entry,
    items.pop(key)  # then empty
    return items
