"""``@vectorize``: NumPy ufuncs from scalar functions.

With signatures the result is a genuine ``numpy.ufunc`` whose inner loops are
compiled kernels (built by ``_dispatch.make_ufunc``), so NumPy itself provides
broadcasting, ``out=``, ``where=``, casting, ``reduce``/``accumulate``/
``outer``/``at``. Without signatures a :class:`DUFunc` compiles a loop the first
time each combination of input dtypes arrives (``reduce`` and ``accumulate``
included) and rebuilds its ufunc. ``target='parallel'`` splits the elements of
each inner-loop call across the thread pool.
"""
import copyreg
import functools
import inspect

import numpy as np

from . import _dispatch, _registry, config, serialize
from .decorators import check_options
from . import types as nt
from .dispatcher import DispatcherImpl

_TARGETS = ("cpu", "parallel")


class _Kernel:
    """The scalar function behind a ufunc, compiled once per loop signature."""

    def __init__(self, py_func, options, impl=None):
        """impl: the kernel's dispatcher when an unpickled ufunc brings one."""
        # Kernels follow NumPy's error semantics (x / 0 gives inf), as ufuncs do.
        options = {"error_model": "numpy", **options}
        self.impl = impl if impl is not None else DispatcherImpl(py_func, options)
        self.nin = len(inspect.signature(self.impl.py_func).parameters)
        self._results = []  # keeps compiled code's Python objects alive

    def loop(self, arg_types, return_type=None):
        """Compiles a loop; returns (loop address, output type)."""
        result = self.impl.compile_result(arg_types, str(return_type) if return_type is not None else "auto")
        self._results.append(result)
        if return_type is not None:
            return result["ufunc_loop"], return_type  # the loop converts the kernel's result to it
        return result["ufunc_loop"], nt.parse_signature(result["return_type"] + "()").return_type


def _typenum(t):
    return np.dtype(t.dtype).num


def _make(kernel, name, doc, loops, parallel, identity):
    """loops: list of (arg types, output type, address)."""
    types = [[_typenum(t) for t in args] + [_typenum(out)] for args, out, _ in loops]
    ufunc = _dispatch.make_ufunc(name, doc or "", kernel.nin, 1, types, [addr for _, _, addr in loops],
                                 parallel, _identity_code(identity))
    _registry.register_vectorized(ufunc, kernel.impl.public)
    return ufunc


def _identity_code(identity):
    if identity is None:
        return None
    if identity == "reorderable":
        return -2
    if identity in (0, 1, -1):
        return int(identity)
    raise ValueError(f"identity must be 0, 1, -1, None or 'reorderable', not {identity!r}")


def _scalar_type(value, single_precision=False):
    """The numjit type of an input. Python ints are int64 (as in Numba, so a
    kernel's `range(n)` still works); Python floats and complex numbers follow
    NumPy 2's weak-scalar rule and take single precision when the arrays they
    meet are single precision (float32 array * 2.0 stays float32)."""
    if isinstance(value, (np.ndarray, np.generic)) or _is_foreign_array(value):
        t = nt._from_dtype(np.dtype(value.dtype))
    elif isinstance(value, float) and single_precision:
        t = nt.float32
    elif isinstance(value, complex) and single_precision:
        t = nt.complex64
    elif isinstance(value, (bool, int, float, complex)):
        t = nt.typeof(value)
    else:
        t = nt._from_dtype(np.asarray(value).dtype)
    if t is None or isinstance(t, nt.Array):
        raise TypeError(f"@vectorize functions take numbers and numeric arrays, not {type(value).__name__}")
    return t


def _is_foreign_array(value):
    """An array library's array that takes ufuncs through __array_ufunc__ (dask, xarray, ...)."""
    return hasattr(value, "__array_ufunc__") and hasattr(value, "dtype") and not isinstance(value, np.ndarray)


def _input_types(values):
    """Types of a call's inputs, Python scalars adapting to the arrays beside them."""
    float_bits = [np.dtype(v.dtype).itemsize * 8 // (2 if np.dtype(v.dtype).kind == "c" else 1)
                  for v in values if (isinstance(v, (np.ndarray, np.generic)) or _is_foreign_array(v))
                  and np.dtype(v.dtype).kind in "fc"]
    single = bool(float_bits) and max(float_bits) == 32
    return tuple(_scalar_type(v, single) for v in values)


class DUFunc:
    """A ufunc that compiles a new loop for each new combination of input dtypes."""

    def __init__(self, py_func, target="cpu", identity=None, _kernel_impl=None, **options):
        self._kernel = _Kernel(py_func, options, _kernel_impl)
        py_func = self._kernel.impl.py_func
        self._parallel = target == "parallel"
        _identity_code(identity)  # a bad identity fails at decoration, as with signatures
        self._identity = identity
        self._loops = {}  # tuple of arg types -> (output type, address)
        self._ufunc = None
        self._numjit_dispatcher = True  # callable from @njit code
        self._numjit_elementwise = True  # on arrays, element by element
        self._impl = self._kernel.impl
        functools.update_wrapper(self, py_func)
        self.nin, self.nout = self._kernel.nin, 1

    def _ensure(self, arg_types):
        arg_types = tuple(arg_types)
        if arg_types not in self._loops:
            address, out = self._kernel.loop(arg_types)
            self._loops[arg_types] = (out, address)
            loops = [(args, o, a) for args, (o, a) in self._loops.items()]
            if self._ufunc is not None:
                _registry.unregister_vectorized(self._ufunc)  # replaced by one holding every loop
            self._ufunc = _make(self._kernel, self.__name__, self.__doc__, loops, self._parallel, self._identity)
            # Handed to dask arrays through __array_ufunc__, it travels as this
            # DUFunc (kept, with the ufuncs it replaces: a task graph may hold them).
            _dufunc_ufuncs[id(self._ufunc)] = (self._ufunc, self, list(self._loops))

    @property
    def ufunc(self):
        """The numpy.ufunc holding every loop compiled so far (None before the first call)."""
        return self._ufunc

    @property
    def types(self):
        return self._ufunc.types if self._ufunc is not None else []

    @property
    def ntypes(self):
        return len(self._loops)

    @property
    def identity(self):
        return self._identity

    def __call__(self, *args, **kwargs):
        if len(args) < self.nin:
            raise TypeError(f"{self.__name__}() takes {self.nin} inputs, got {len(args)}")
        self._ensure(_input_types(args[:self.nin]))
        return self._ufunc(*args, **kwargs)

    def _binary(self, array, dtype=None):
        if self.nin != 2:
            raise ValueError(f"{self.__name__} takes {self.nin} inputs; reduce/accumulate need 2")
        t = nt._from_dtype(np.dtype(dtype)) if dtype is not None else _scalar_type(np.asarray(array).flat[0:0])
        self._ensure((t, t))

    def reduce(self, array, axis=0, dtype=None, out=None, **kwargs):
        self._binary(array, dtype)
        return self._ufunc.reduce(array, axis=axis, dtype=dtype, out=out, **kwargs)

    def accumulate(self, array, axis=0, dtype=None, out=None):
        self._binary(array, dtype)
        return self._ufunc.accumulate(array, axis=axis, dtype=dtype, out=out)

    def outer(self, a, b, **kwargs):
        self._ensure(_input_types((a, b)))
        return self._ufunc.outer(a, b, **kwargs)

    def at(self, a, indices, b=None):
        self._ensure(_input_types((a,) if b is None else (a, b)))
        return self._ufunc.at(a, indices) if b is None else self._ufunc.at(a, indices, b)

    def __repr__(self):
        return f"<numjit.DUFunc '{self.__name__}'>"

    def __reduce__(self):
        """By reference when importable, else by value: the kernel dispatcher
        carries the source; the receiver compiles loops as inputs arrive."""
        if serialize.importable_as(self, self.__module__, self.__qualname__):
            return (serialize.import_object, (self.__module__, self.__qualname__))
        serialize.remember("dufunc", serialize.object_uuid(self._impl), self)  # unpickled here: this object
        state = serialize.new_state(kernel=self._impl.public, target="parallel" if self._parallel else "cpu",
                                    identity=self._identity)
        return (_rebuild_dufunc, (state,))


def _rebuild_dufunc(state):
    serialize.check_payload("DUFunc", state, ("kernel", "target", "identity"))
    key = serialize.object_uuid(state["kernel"]._impl)
    found = serialize.known("dufunc", key)
    if found is None:
        found = DUFunc(None, target=state["target"], identity=state["identity"], _kernel_impl=state["kernel"]._impl)
        serialize.remember("dufunc", key, found)
    return found


def _build_ufunc(py_func, signatures, target, identity, options, kernel_impl=None):
    kernel = _Kernel(py_func, options, kernel_impl)
    py_func = kernel.impl.py_func
    loops = []
    for text in signatures:
        sig = nt.parse_signature(text)
        if sig.return_type is None:
            raise TypeError(f"@vectorize signatures need a return type: {text!r}")
        if len(sig.args) != kernel.nin:
            raise TypeError(f"signature {text!r} has {len(sig.args)} inputs but {py_func.__name__} takes {kernel.nin}")
        address, out = kernel.loop(sig.args, sig.return_type)
        loops.append((sig.args, out, address))
    ufunc = _make(kernel, py_func.__name__, py_func.__doc__, loops, target == "parallel", identity)
    _eager_ufuncs[id(ufunc)] = (ufunc, kernel.impl, list(signatures), target, identity)
    return ufunc


# Eager @vectorize functions are genuine numpy.ufunc objects, which NumPy
# pickles by name only. Ours also pickle by value (a script's ufunc sent to a
# Dask worker); every other ufunc keeps NumPy's reduction.
_eager_ufuncs = {}  # id(ufunc) -> (ufunc, kernel DispatcherImpl, signatures, target, identity)
_dufunc_ufuncs = {}  # id(ufunc) -> (ufunc, the DUFunc whose loops it holds, those loops' input types)
_numpy_ufunc_reduce = copyreg.dispatch_table.get(np.ufunc)


def _reduce_ufunc(ufunc):
    inner = _dufunc_ufuncs.get(id(ufunc))
    if inner is not None and inner[0] is ufunc:
        return (_rebuild_dufunc_ufunc, (inner[1], inner[2]))
    entry = _eager_ufuncs.get(id(ufunc))
    if entry is None or entry[0] is not ufunc:
        return _numpy_ufunc_reduce(ufunc) if _numpy_ufunc_reduce is not None else ufunc.__name__
    _, impl, signatures, target, identity = entry
    if serialize.importable_as(ufunc, impl.__module__, impl.__qualname__):
        return (serialize.import_object, (impl.__module__, impl.__qualname__))
    serialize.remember("ufunc", serialize.object_uuid(impl), ufunc)
    state = serialize.new_state(kernel=impl.public, signatures=signatures, target=target, identity=identity)
    return (_rebuild_ufunc, (state,))


def _rebuild_dufunc_ufunc(dufunc, loops):
    """A DUFunc's numpy.ufunc with (at least) the loops it had when pickled."""
    for arg_types in loops:
        dufunc._ensure(arg_types)
    return dufunc.ufunc


def _rebuild_ufunc(state):
    serialize.check_payload("ufunc", state, ("kernel", "signatures", "target", "identity"))
    impl = state["kernel"]._impl
    key = serialize.object_uuid(impl)
    found = serialize.known("ufunc", key)
    if found is None:
        found = _build_ufunc(None, state["signatures"], state["target"], state["identity"], {}, kernel_impl=impl)
        serialize.remember("ufunc", key, found)
    return found


copyreg.pickle(np.ufunc, _reduce_ufunc)


def vectorize(ftylist_or_function=None, **kws):
    """``@vectorize``, ``@vectorize(target='parallel')``, ``@vectorize(['f8(f8, u8)'], target='parallel')``."""
    target = kws.pop("target", "cpu")
    if target not in _TARGETS:
        raise ValueError(f"target must be one of {_TARGETS}, not {target!r}")
    identity = kws.pop("identity", None)
    check_options(kws)  # the same options as @njit
    bare = callable(ftylist_or_function) and not isinstance(ftylist_or_function, (str, nt.Signature))
    signatures = None if bare else ftylist_or_function
    if isinstance(signatures, (str, nt.Signature)):
        signatures = [signatures]

    def wrap(py_func):
        if config.DISABLE_JIT:
            return np.vectorize(py_func)
        if signatures:
            return _build_ufunc(py_func, signatures, target, identity, kws)
        return DUFunc(py_func, target=target, identity=identity, **kws)

    return wrap(ftylist_or_function) if bare else wrap
