"""The kernels of `benchmarks/kernels.py`: typical scientific code, by family.

Each kernel is a `Kernel` record: one SOURCE text written for Numba (the names
`numba`, `nb`, `njit`, `jit`, `prange`, `vectorize`, `guvectorize`,
`stencil`, `types`, `typed`, `np` and `math` are bound in the namespace it
runs in, to real Numba or to numjit, so both engines compile byte-identical
bodies), the name of the function to call, a builder of seeded data, an
optional whole-array NumPy (or SciPy) reference, and how to compare results.

A family module builds its kernels with `kernel(...)` and `parallel(...)`;
they register themselves in `KERNELS`, in the order the modules define them.
"""
import numpy as np

KERNELS = []


class Kernel:
    """One kernel.

    name       unique name; a parallel version is named `<serial>_parallel`
    family     the module's family (particles, finance, ...)
    source     the text executed per engine (helpers included)
    func       the name, in `source`, of the callable to time (default: name)
    data       data(quick) -> tuple of arguments (seeded; quick: small sizes)
    numpy      optional plain function of the same arguments (the reference)
    rtol       allowed relative difference (max-norm over the whole result)
               between numjit and Numba
    numpy_rtol the same against the NumPy reference (default: rtol)
    compare    optional compare(a, b, args) -> None if they agree, else a
               message; replaces the rtol test (Monte Carlo kernels with
               independent random streams; args: the data, for the sizes)
    serial     for a parallel kernel, the serial kernel's name
    note       one line for the JSON and --list
    """

    def __init__(self, name, family, source, data, func=None, numpy=None,
                 rtol=1e-9, numpy_rtol=None, compare=None, serial=None, note=''):
        self.name, self.family, self.source = name, family, source
        self.func = func or name
        self.data, self.numpy = data, numpy
        self.rtol = rtol
        self.numpy_rtol = rtol if numpy_rtol is None else numpy_rtol
        self.compare, self.serial, self.note = compare, serial, note

    def __repr__(self):
        return f'Kernel({self.name!r}, {self.family!r})'


def kernel(name, family, source, data, **kwargs):
    """Define and register a kernel; returns it."""
    if any(k.name == name for k in KERNELS):
        raise ValueError(f'kernel {name!r} defined twice')
    k = Kernel(name, family, source, data, **kwargs)
    KERNELS.append(k)
    return k


def parallel(serial, source, **kwargs):
    """Register `<serial.name>_parallel`: the same data, reference and checks
    as `serial` unless given, and a source with @njit(parallel=True) (and
    prange loops, or whole-array expressions that parallel=True runs on the
    thread pool)."""
    name = serial.name + '_parallel'
    if 'parallel=True' not in source or f'def {name}(' not in source:
        raise ValueError(f'{name}: the source needs @njit(parallel=True) and def {name}')
    options = dict(func=name, numpy=serial.numpy, rtol=serial.rtol,
                   numpy_rtol=serial.numpy_rtol, compare=serial.compare,
                   note=serial.note)
    options.update(kwargs)
    return kernel(name, serial.family, source, serial.data, serial=serial.name, **options)


def as_python(source, name):
    """The plain function `name` of a kernel's source, run as NumPy code: for
    kernels written in whole-array NumPy, the reference is the same text."""
    namespace = {'np': np, 'njit': lambda f=None, **options: f if f is not None else (lambda g: g)}
    exec(source, namespace)
    return namespace[name]


def rng(seed):
    return np.random.default_rng(seed)


def pick(quick, full, small):
    """A size: `small` for --quick, else `full`."""
    return small if quick else full


# Family modules, in the order the table lists them.
FAMILIES = ('particles', 'finance', 'statistics', 'sorting', 'containers',
            'grids', 'graphs', 'linear_algebra', 'iteration', 'expressions')

from . import (particles, finance, statistics, sorting, containers,  # noqa: E402,F401
               grids, graphs, linear_algebra, iteration, expressions)
