"""Arguments for generated kernels: drawn as specs, built by evaluating code.

An argument is a small dict (a *spec*) rather than a value, for two reasons:
odd layouts (negative strides, unaligned, read-only) do not survive pickling
to a worker process, and a reproducer must show how the value was made. So
every spec renders to a Python expression (``render``) and the worker builds
the value by evaluating exactly that expression (``build``): what the fuzzer
ran and what the reproducer prints cannot drift apart.

Array values are drawn from "nice" numbers (small integers and eighths, so
most arithmetic is exact and float results compare tightly), plain random
numbers, and special values (NaN, infinities, 1e308, subnormals, integer
extremes) in a proportion chosen per case.
"""
import math

import numpy as np

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float32", "float64", "complex64", "complex128"]
LAYOUTS = ["C", "C", "C", "F", "reversed", "strided", "readonly", "unaligned"]

# Kept as source text so reproducer scripts can carry the same helpers verbatim.
LAYOUT_HELPERS = '''
def strided(v):
    """v's values in a view that skips every other element of the last axis."""
    wide = np.zeros(v.shape[:-1] + (2 * v.shape[-1],), dtype=v.dtype)
    wide[..., ::2] = v
    return wide[..., ::2]


def reversed_view(v):
    """v's values in a view with a negative stride on the first axis."""
    return np.ascontiguousarray(v[::-1])[::-1]


def readonly(v):
    v = v.copy()
    v.setflags(write=False)
    return v


def unaligned(v):
    """v's values starting one byte past an aligned address (writable)."""
    raw = bytearray(b"\\0" + np.ascontiguousarray(v).tobytes())
    return np.frombuffer(raw, dtype=v.dtype, offset=1).reshape(v.shape)
'''

NAMESPACE = {"np": np, "nan": math.nan, "inf": math.inf}
exec(LAYOUT_HELPERS, NAMESPACE)

_SPECIAL_FLOATS = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, -1e308, 1e-308, 5e-324,
                   2.2250738585072014e-308, 1.7976931348623157e308, 1e-320]
_SPECIAL_FLOAT32 = [math.nan, math.inf, -math.inf, 0.0, -0.0, 3.4e38, -3.4e38, 1e-38, 1e-45, 1e-40]


def int_bounds(dtype):
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


def draw_value(rng, dtype, special_rate, wild=False):
    """One Python value of the kind dtype holds, within its range.

    ``wild`` allows plain random numbers of any size; otherwise integers stay
    small (so Python's arbitrary-precision ints and numjit's int64 agree)."""
    kind = np.dtype(dtype).kind
    special = rng.random() < special_rate
    if kind == "b":
        return rng.random() < 0.5
    if kind in "iu":
        lo, hi = int_bounds(dtype)
        if special:
            return rng.choice([lo, hi, lo + 1, hi - 1, 0, -1 if lo < 0 else 1])
        if wild:
            return rng.randint(max(lo, -2**31), min(hi, 2**31))
        return rng.randint(max(lo, -9), min(hi, 12))
    if kind == "f":
        if special:
            return rng.choice(_SPECIAL_FLOAT32 if dtype == "float32" else _SPECIAL_FLOATS)
        if wild:
            return rng.uniform(-1, 1) * 10.0 ** rng.randint(-3, 6)
        return rng.randint(-24, 24) / 8
    part = "float32" if dtype == "complex64" else "float64"
    real = draw_value(rng, part, special_rate, wild)
    imag = draw_value(rng, part, special_rate / 2, wild)
    return complex(real, imag)


def draw_shape(rng, ndim, big=False):
    """A shape of ``ndim`` axes; sizes 0 and 1 come often, as those are the edge cases."""
    def length():
        r = rng.random()
        if r < 0.12:
            return 0
        if r < 0.3:
            return 1
        if big and r > 0.9:
            return rng.choice([100, 257, 1000])
        return rng.randint(2, 9)
    return tuple(length() for _ in range(ndim))


def array_spec(rng, dtype, shape, special_rate=0.05, wild=False, layout=None):
    if layout is None:
        layout = rng.choice(LAYOUTS)
    if len(shape) == 0 or (layout == "F" and len(shape) < 2):
        layout = "C" if layout == "F" or len(shape) == 0 else layout
    if layout == "strided" and len(shape) == 0:
        layout = "C"
    size = int(np.prod(shape)) if shape else 1
    values = [draw_value(rng, dtype, special_rate, wild) for _ in range(size)]
    return {"kind": "array", "dtype": dtype, "shape": list(shape), "values": values, "layout": layout}


def scalar_spec(rng, kind, special_rate=0.05, wild=False):
    """A scalar of compiled kind 'b', 'i', 'f' or 'c': usually a Python number,
    sometimes a NumPy scalar (numjit then types it by its dtype; never an
    unsigned one for 'i', which Numba's rules turn into floats, see grammar)."""
    numpy_type = None
    if rng.random() < 0.15:
        numpy_type = rng.choice({"b": ["bool"], "i": ["int8", "int16", "int32", "int64"],
                                 "f": ["float32", "float64"], "c": ["complex64", "complex128"]}[kind])
    dtype = numpy_type or {"b": "bool", "i": "int64", "f": "float64", "c": "complex128"}[kind]
    value = draw_value(rng, dtype, special_rate, wild)
    if kind == "i" and numpy_type is None and rng.random() < 0.1:
        value = rng.choice([0, 1, -1, 2, 7, 1000, 2**31, -2**31])
    return {"kind": "scalar", "type": numpy_type, "value": value}


def raw_spec(code):
    """An argument of the wrong kind, written as code: a str, a list, None..."""
    return {"kind": "raw", "code": code}


def _literal(v):
    if isinstance(v, complex):
        return f"complex({_literal(v.real)}, {_literal(v.imag)})"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return repr(v)


def render(spec):
    """The Python expression that builds the argument (names: np, nan, inf, layout helpers)."""
    if spec["kind"] == "raw":
        return spec["code"]
    if spec["kind"] == "scalar":
        text = _literal(spec["value"])
        if spec["type"] and spec["type"][0] in "mM":   # "M8[s]": a datetime64/timedelta64 count, NaT as INT64_MIN
            count = "'NaT'" if spec["value"] == -2**63 else text
            return f"np.{'datetime64' if spec['type'][0] == 'M' else 'timedelta64'}({count}, {spec['type'][3:-1]!r})"
        return f"np.{spec['type']}({text})" if spec["type"] else text
    dtype, shape, layout = spec["dtype"], tuple(spec["shape"]), spec["layout"]
    values = ", ".join(_literal(v) for v in spec["values"])
    # Datetimes and timedeltas ("M8[D]", "m8[ns]") are their int64 counts viewed (NaT: INT64_MIN).
    view = f".view({dtype!r})" if dtype[0] in "mM" else ""
    dtype = "int64" if view else dtype
    if not shape:
        return f"np.array({values}, dtype=np.{dtype}){view}"
    text = f"np.array([{values}], dtype=np.{dtype}){view}"
    if len(shape) > 1:
        text += f".reshape({shape!r})"
    if layout == "F":
        return f"np.asfortranarray({text})"
    if layout == "reversed":
        return f"reversed_view({text})"
    if layout in ("strided", "readonly", "unaligned"):
        return f"{layout}({text})"
    return text


def build(spec):
    return eval(render(spec), dict(NAMESPACE))


def copy_for_reference(value):
    """A private copy for the Python reference, keeping the read-only flag
    (writes to a read-only array must fail there as well)."""
    if isinstance(value, np.ndarray):
        out = np.array(value, copy=True)
        if not value.flags.writeable:
            out.setflags(write=False)
        return out
    if isinstance(value, list):
        return list(value)
    return value


def magnitude(specs):
    """(largest ordinary float magnitude, largest integer magnitude, largest
    array size) of the arguments: they scale the absolute tolerance of float
    comparisons (a sum of n values of size m carries rounding of about
    n * m * eps; products of two values m * m; an int64 near 2**63 made
    float is off by up to 1e3)."""
    scale, int_scale, size = 1.0, 0, 1
    for spec in specs:
        values = spec.get("values", [spec.get("value")]) if spec["kind"] != "raw" else []
        size = max(size, len(values))
        for v in values:
            if isinstance(v, int):
                int_scale = max(int_scale, abs(v))
                continue
            for part in ((v.real, v.imag) if isinstance(v, complex) else (v,)):
                if isinstance(part, (int, float)) and math.isfinite(part) and abs(part) <= 1e6:
                    scale = max(scale, abs(float(part)))
    return scale, int_scale, size


def shrink_candidates(spec, resize=True):
    """Simpler versions of one spec: fewer elements (if ``resize``), the
    plain C layout, and nicer values."""
    if spec["kind"] != "array":
        return []
    out = []
    shape, values = spec["shape"], spec["values"]
    if not resize:
        pass
    elif len(shape) == 1 and shape[0] > 1:
        for keep in (values[:1], values[:shape[0] // 2], values[shape[0] // 2:], values[:-1], values[1:]):
            if 0 < len(keep) < shape[0]:
                out.append(dict(spec, shape=[len(keep)], values=list(keep)))
    if resize and len(shape) == 2 and shape[0] > 1:
        rows = shape[0] // 2
        out.append(dict(spec, shape=[rows, shape[1]], values=values[:rows * shape[1]]))
    if resize and len(shape) == 2 and shape[1] > 1:
        cols = shape[1] // 2
        kept = [values[r * shape[1] + c] for r in range(shape[0]) for c in range(cols)]
        out.append(dict(spec, shape=[shape[0], cols], values=kept))
    if spec["layout"] != "C":
        out.append(dict(spec, layout="C"))
    for i, v in enumerate(values if len(values) <= 8 else []):
        simple = type(v)(0) if not isinstance(v, bool) else False
        if v != simple and not (isinstance(v, float) and v == 0.0):
            out.append(dict(spec, values=values[:i] + [simple] + values[i + 1:]))
    return out
