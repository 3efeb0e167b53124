"""Numba's ``numba.experimental``: ``jitclass`` (experimental/jitclass.py) and
``structref`` (not built yet)."""
from . import structref  # noqa: F401
from .jitclass import jitclass  # noqa: F401
