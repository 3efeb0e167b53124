"""hash() as CPython computes it, so a compiled function's hash of a number
or tuple equals the interpreter's (code written for Numba keys its own hash
tables with it, and Numba matches CPython too):

* integers: the value modulo the Mersenne prime 2**61 - 1, with its sign;
* floats: CPython's _Py_HashDouble, which gives an integral float its
  integer's hash; inf is 314159, NaN 0 (Numba's; CPython 3.10+ hashes a NaN
  by the object's address, which compiled code has no object for);
* complex: hash(real) + 1000003 * hash(imag), wrapping as C's unsigned long;
* tuples: CPython 3.8+'s xxHash-based combination of the items' hashes;
* strings: through the interpreter (their hash is keyed by a per-process
  secret that cached code must not freeze).

-1 is CPython's error value, so a hash that comes out -1 is -2 (a tuple's
is 1546275796)."""
import builtins

import numpy as np

from .._builtin_calls import literal_unroll
from ..decorators import njit
from .._objmode import objmode
from .registration import extends

_MODULUS = (1 << 61) - 1
_BITS = 61
_INF_HASH = 314159
_IMAG_MULTIPLIER = 1000003
_XXPRIME_1 = np.uint64(11400714785074694791)
_XXPRIME_2 = np.uint64(14029467366897019727)
_XXPRIME_5 = np.uint64(2870177450012600261)
_TUPLE_LENGTH_SALT = np.uint64(2870177450012600261 ^ 3527539)
_INTEGERS = (bool, np.int8, np.int16, np.int32, int, np.uint8, np.uint16, np.uint32)
_FLOATS = (float, np.float32)
_COMPLEX = (complex, np.complex64)


@njit
def _not_minus_one(h):
    return -2 if h == -1 else h


@njit
def _integer_hash(n):
    if n >= 0:
        return n % _MODULUS
    magnitude = np.uint64(-(n + 1)) + np.uint64(1)  # -n overflows for -2**63
    return _not_minus_one(-np.int64(magnitude % np.uint64(_MODULUS)))


@njit
def _unsigned_hash(n):
    return np.int64(n % np.uint64(_MODULUS))


@njit
def _float_hash(value):
    x = np.float64(value)
    if np.isnan(x):
        return 0
    if np.isinf(x):
        return _INF_HASH if x > 0 else -_INF_HASH
    mantissa, exponent = np.frexp(x)
    sign = 1
    if mantissa < 0:
        sign = -1
        mantissa = -mantissa
    h = np.uint64(0)
    modulus = np.uint64(_MODULUS)
    while mantissa != 0.0:
        # 28 bits of the mantissa at a time, as CPython's loop takes them
        h = ((h << np.uint64(28)) & modulus) | (h >> np.uint64(_BITS - 28))
        mantissa *= 268435456.0
        exponent -= 28
        digit = np.uint64(mantissa)
        mantissa -= np.float64(digit)
        h += digit
        if h >= modulus:
            h -= modulus
    shift = exponent % _BITS if exponent >= 0 else _BITS - 1 - ((-1 - exponent) % _BITS)
    h = ((h << np.uint64(shift)) & modulus) | (h >> np.uint64(_BITS - shift))
    return _not_minus_one(np.int64(h) * sign)


@njit
def _complex_hash(z):
    real = np.uint64(np.int64(_float_hash(z.real)))
    imag = np.uint64(np.int64(_float_hash(z.imag)))
    return _not_minus_one(np.int64(real + np.uint64(_IMAG_MULTIPLIER) * imag))


@njit
def _string_hash(text):
    with objmode(h="int64"):
        h = builtins.hash(text)
    return h


@njit
def _scalar_hash(value):
    if isinstance(value, np.uint64):
        return _unsigned_hash(value)
    if isinstance(value, _INTEGERS):
        return _integer_hash(np.int64(value))
    if isinstance(value, _FLOATS):
        return _float_hash(value)
    if isinstance(value, _COMPLEX):
        return _complex_hash(value)
    return _string_hash(value)


@njit
def _hash_any(value):
    if isinstance(value, tuple):
        acc = _XXPRIME_5
        for item in literal_unroll(value):
            lane = np.uint64(np.int64(hash(item)))  # the builtin again: a jitclass item's is its __hash__
            acc += lane * _XXPRIME_2
            acc = (acc << np.uint64(31)) | (acc >> np.uint64(33))
            acc *= _XXPRIME_1
        acc += np.uint64(len(value)) ^ _TUPLE_LENGTH_SALT
        h = np.int64(acc)
        return 1546275796 if h == -1 else h
    return _scalar_hash(value)


@extends("hash")  # a builtin's name, so that hash(obj) of a jitclass instance calls its __hash__
def hash_(value):
    return _hash_any(value)
