"""``@guvectorize``: generalized ufuncs from functions over array cores.

The kernel is an @njit function that works on one "core" (the trailing
dimensions its layout names, e.g. "(n),()->(n)") and writes its outputs in
place. A call broadcasts the leading "loop" dimensions of the inputs, flattens
them into one, and runs a compiled driver, `for i in range(N): kernel(a[i],
..., out[i])`, generated per combination of argument types (with prange under
target='parallel'). Outputs not passed are allocated and returned.
"""
import itertools
import linecache
import re

import numpy as np

from . import serialize
from . import types as nt
from .decorators import check_options, njit
from .threading import prange

_TARGETS = ("cpu", "parallel")
_driver_counter = itertools.count()


def _parse_layout(layout):
    """'(m,n),(n)->(m)' -> ([('m','n'), ('n',)], [('m',)]). Without '->', as
    Numba reads it, every argument is an input and the kernel writes its
    results into them: '(n),(k)' -> ([('n',), ('k',)], [])."""
    text = "".join(layout.split())
    left, _, right = text.partition("->")

    def groups(part):
        # Groups separated by commas (a trailing one allowed, as in Numba): "(m,n),(n)".
        if not re.fullmatch(r"(\([^()]*\)(,\([^()]*\))*,?)?", part):
            raise ValueError(f"invalid gufunc layout {layout!r}")
        found = re.findall(r"\(([^()]*)\)", part)
        return [tuple(d for d in g.split(",") if d) for g in found]

    return groups(left), groups(right)


def _accepts(dtype, value, given):
    """Whether an input converts to `dtype` safely; a Python number (`given`) by its kind and value."""
    if type(given) is bool:
        return dtype.kind == "b" or np.can_cast(np.bool_, dtype, "safe")
    if type(given) is int:
        if dtype.kind in "iu":
            info = np.iinfo(dtype)
            return info.min <= given <= info.max
        return dtype.kind in "fc"
    if type(given) is float:
        return dtype.kind in "fc"
    if type(given) is complex:
        return dtype.kind == "c"
    return np.can_cast(value.dtype, dtype, "safe")


class GUFunc:
    """A generalized ufunc compiled from a core function."""

    def __init__(self, py_func, signatures, layout, target, options, kernel=None):
        """kernel: the core's dispatcher when an unpickled gufunc brings one."""
        # As Numba's (and @vectorize's): division by zero gives inf/nan, as NumPy's loops do.
        options = {"error_model": "numpy", **options}
        self._kernel = kernel if kernel is not None else njit(**options)(py_func)
        py_func = self._kernel.py_func
        self.py_func = py_func
        self.__name__ = getattr(py_func, "__name__", "gufunc")
        self.__doc__ = py_func.__doc__
        self._ins, self._outs = _parse_layout(layout)
        self.nin, self.nout = len(self._ins), len(self._outs)
        self.layout = layout
        self._parallel = target == "parallel"
        self._signature_specs = list(signatures or [])  # as given: they travel in pickles
        self._signatures = [nt.parse_signature(s) for s in self._signature_specs]
        for sig in self._signatures:
            if len(sig.args) != self.nin + self.nout:
                raise TypeError(f"signature {sig} has {len(sig.args)} arguments; layout {layout!r} needs "
                                f"{self.nin + self.nout}")
        self._drivers = {}

    # ---- calling ---------------------------------------------------------

    def __call__(self, *args, out=None, axis=None, axes=None):
        """NumPy's gufunc call: outputs positional or as out= (an array or a
        tuple), and axis= / axes= naming where each operand's core dimensions
        are (they are moved last for the kernel, and an output's moved back)."""
        if out is not None:
            args = args + (tuple(out) if isinstance(out, tuple) else (out,))
        if axis is None and axes is None:
            return self._call(*args)
        cores = self._ins + self._outs
        if axis is not None and axes is not None:
            raise TypeError(f"{self.__name__}: cannot specify both 'axis' and 'axes'")
        if axes is None:
            if any(len(core) > 1 for core in cores):
                raise TypeError(f"{self.__name__}: axis= needs core dimensions of at most one axis; use axes=")
            axes = [(axis,) if core else () for core in cores]
        axes = [tuple(a) if isinstance(a, (tuple, list)) else (a,) for a in axes]
        axes += [()] * (len(cores) - len(axes))  # outputs without core dimensions may be left out
        if len(axes) != len(cores) or any(len(a) != len(core) for a, core in zip(axes, cores)):
            raise ValueError(f"{self.__name__}: axes= must give each operand's {[len(c) for c in cores]} core axes")
        moved = [np.moveaxis(np.asarray(a), ax, tuple(range(-len(ax), 0))) if ax else a
                 for a, ax in zip(args, axes)]
        result = self._call(*moved)
        if result is None or len(args) > self.nin:
            return result  # outputs passed in were written through their moved views
        results = result if self.nout > 1 else (result,)
        placed = [np.moveaxis(r, tuple(range(-len(ax), 0)), ax) if ax else r
                  for r, ax in zip(results, axes[self.nin:])]
        return tuple(placed) if self.nout > 1 else placed[0]

    def _call(self, *args):
        if len(args) not in (self.nin, self.nin + self.nout):
            raise TypeError(f"{self.__name__}() takes {self.nin} inputs (and optionally {self.nout} outputs), "
                            f"got {len(args)} arguments")
        inputs = [np.asarray(a) for a in args[:self.nin]]
        given = list(args[self.nin:])
        declared = self._choose_types(inputs, given, args[:self.nin])
        sizes = {}
        loop_shapes = []
        for value, core, want in zip(inputs, self._ins, declared):
            if value.ndim < len(core):
                raise ValueError(f"{self.__name__}: an input has {value.ndim} dimensions, its core {core} needs "
                                 f"{len(core)}")
            loop_shapes.append(value.shape[:value.ndim - len(core)])
            self._bind(sizes, core, value.shape[value.ndim - len(core):])
        for value, core in zip(given, self._outs):
            self._bind(sizes, core, value.shape[value.ndim - len(core):])
        loop = np.broadcast_shapes(*loop_shapes) if loop_shapes else ()
        count = int(np.prod(loop, dtype=np.int64))
        flat = []
        for value, core, want in zip(inputs, self._ins, declared):
            core_shape = tuple(sizes[d] for d in core)
            dtype = np.dtype(want.dtype.name if isinstance(want, nt.Array) else want.name)
            cast = value.astype(dtype, copy=False)
            if self.nout == 0 and cast.shape == loop + core_shape:
                full = cast  # written in place: the array itself when it can be, else a copy written back
            else:
                full = np.broadcast_to(cast, loop + core_shape)
                if self.nout == 0:
                    full = full.copy()
            flat.append(np.ascontiguousarray(full).reshape((count,) + core_shape))
        outputs = []
        for k, (core, want) in enumerate(zip(self._outs, declared[self.nin:])):
            missing = [d for d in core if d not in sizes]
            if missing:
                raise ValueError(f"{self.__name__}: output dimension {missing[0]!r} is not set by any input")
            shape = loop + tuple(sizes[d] for d in core)
            dtype = np.dtype(want.dtype.name if isinstance(want, nt.Array) else want.name)
            out = given[k] if k < len(given) else np.empty(shape, dtype)
            if out.shape != shape:
                raise ValueError(f"{self.__name__}: output {k} has shape {out.shape}, expected {shape}")
            outputs.append(out)
        work = [o if o.flags.c_contiguous and o.dtype == np.dtype(getattr(w, "dtype", w).name) else
                np.empty(o.shape, np.dtype(getattr(w, "dtype", w).name))
                for o, w in zip(outputs, declared[self.nin:])]
        flat_out = [w.reshape((count,) + tuple(sizes[d] for d in core)) for w, core in zip(work, self._outs)]
        if count:
            self._driver(declared)(count, *flat, *flat_out)
        for o, w in zip(outputs, work):
            if o is not w:
                np.copyto(o, w, casting="unsafe")
        if self.nout == 0:
            self._write_back(args, flat, loop, sizes)
            return None
        if given:
            return None
        return outputs[0] if self.nout == 1 else tuple(outputs)

    def _write_back(self, args, flat, loop, sizes):
        """A layout without outputs: the kernel wrote into its inputs, so an
        array that reached it as a copy (another dtype, not C-contiguous) gets
        the copy's values back. Broadcast inputs cannot hold them and keep theirs."""
        for value, work, core in zip(args, flat, self._ins):
            shape = loop + tuple(sizes[d] for d in core)
            if (isinstance(value, np.ndarray) and value.shape == shape and value.flags.writeable
                    and not np.shares_memory(value, work)):
                np.copyto(value, work.reshape(shape), casting="unsafe")

    @staticmethod
    def _bind(sizes, core, shape):
        for name, size in zip(core, shape):
            if sizes.setdefault(name, size) != size:
                raise ValueError(f"gufunc core dimension {name!r} is {sizes[name]} in one argument and {size} in "
                                 "another")

    def _choose_types(self, inputs, outputs, given_inputs=None):
        """The declared argument types for these inputs: the first signature
        whose input dtypes the arguments cast to safely; without signatures,
        the arguments' own types. A Python number is weak, as in NumPy 2's
        promotion: it fits any dtype of its kind or a wider one that holds it."""
        if not self._signatures:
            if len(outputs) != self.nout:
                raise TypeError(f"{self.__name__}: a @guvectorize function without signatures needs its outputs "
                                "passed explicitly")
            # An input whose core is "()" reaches the kernel as a number.
            return [nt.typeof(np.asarray(v)) if core else nt._from_dtype(np.asarray(v).dtype)
                    for v, core in zip(inputs, self._ins)] + [nt.typeof(o) for o in outputs]
        given_inputs = inputs if given_inputs is None else given_inputs
        for sig in self._signatures:
            wanted = [a.dtype.name if isinstance(a, nt.Array) else a.name for a in sig.args[:self.nin]]
            if all(_accepts(np.dtype(w), v, g) for v, g, w in zip(inputs, given_inputs, wanted)):
                return list(sig.args)
        names = ", ".join(str(v.dtype) for v in inputs)
        raise TypeError(f"{self.__name__}: no signature of this gufunc accepts inputs of dtypes ({names})")

    # ---- the compiled driver ----------------------------------------------

    def _driver(self, declared):
        key = tuple(str(t) for t in declared)
        if key not in self._drivers:
            self._drivers[key] = self._make_driver(declared)
        return self._drivers[key]

    def _make_driver(self, declared):
        names = [f"a{i}" for i in range(self.nin)] + [f"o{i}" for i in range(self.nout)]
        cores = self._ins + self._outs
        passed = []
        for name, core, want in zip(names, cores, declared):
            # A scalar core is passed as a number, or as a length-1 view when the kernel takes an array.
            scalar_core = len(core) == 0
            passed.append(f"{name}[i:i + 1]" if scalar_core and isinstance(want, nt.Array) else f"{name}[i]")
        loop = "prange" if self._parallel else "range"
        filename = f"<numjit gufunc driver {next(_driver_counter)} for {self.__name__}>"
        source = (f"def driver(count, {', '.join(names)}):\n"
                  f"    for i in {loop}(count):\n"
                  f"        kernel({', '.join(passed)})\n")
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        namespace = {"kernel": self._kernel, "prange": prange}
        exec(compile(source, filename, "exec"), namespace)
        kernel_impl = self._kernel._impl
        if not kernel_impl.options.get("cache"):
            return njit(parallel=self._parallel)(namespace["driver"])
        # cache=True: the driver (which inlines the kernel) is what runs; its
        # entries sit beside the kernel's source, named for the kernel.
        driver = njit(parallel=self._parallel, cache=True)(namespace["driver"])
        driver._impl.cache_source = kernel_impl.py_func.__code__.co_filename
        driver._impl.cache_name = f"{kernel_impl.py_func.__qualname__}.gufunc_driver"
        return driver

    def __repr__(self):
        return f"<numjit gufunc {self.__name__} {self.layout!r}>"

    def __reduce__(self):
        """By reference when importable, else by value (the kernel dispatcher carries the source)."""
        module, qualname = self.py_func.__module__, self.py_func.__qualname__
        if serialize.importable_as(self, module, qualname):
            return (serialize.import_object, (module, qualname))
        serialize.remember("gufunc", serialize.object_uuid(self._kernel._impl), self)
        state = serialize.new_state(kernel=self._kernel, signatures=self._signature_specs,
                                    layout=self.layout, target="parallel" if self._parallel else "cpu")
        return (_rebuild_gufunc, (state,))


def _rebuild_gufunc(state):
    serialize.check_payload("gufunc", state, ("kernel", "signatures", "layout", "target"))
    key = serialize.object_uuid(state["kernel"]._impl)
    found = serialize.known("gufunc", key)
    if found is None:
        found = GUFunc(None, state["signatures"] or None, state["layout"], state["target"], {}, kernel=state["kernel"])
        serialize.remember("gufunc", key, found)
    return found


def guvectorize(*args, **kwargs):
    """``@guvectorize(signatures, layout, target='cpu', **options)`` or
    ``@guvectorize(layout)`` (types taken from each call's arguments, outputs
    passed explicitly)."""
    target = kwargs.pop("target", "cpu")
    if target not in _TARGETS:
        raise ValueError(f"unsupported target {target!r}; numjit supports {', '.join(_TARGETS)}")
    kwargs.pop("nopython", None)
    kwargs.pop("writable_args", None)
    check_options(kwargs)
    if len(args) == 1 and isinstance(args[0], str):
        signatures, layout = None, args[0]
    elif len(args) == 2:
        signatures, layout = args
        if isinstance(signatures, str):
            signatures = [signatures]
    else:
        raise TypeError("guvectorize takes (signatures, layout) or (layout)")

    def wrap(function):
        return GUFunc(function, signatures, layout, target, kwargs)

    return wrap
