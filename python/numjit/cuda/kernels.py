"""@cuda.jit: kernels and device functions, run on the CPU at compiled speed
(or, where the CUDA driver finds a GPU, on it: gpu_launch.py).

A kernel compiles to two numjit functions:

- its thread function: the kernel's own syntax tree, rewritten to read the
  thread's position from a context argument (rewrite.py), compiled as any
  @njit function is (error_model='numpy', as CUDA has no exceptions for
  division by zero);
- a launcher, generated per number of arguments: a prange over the grid's
  blocks, in each a loop nest over the block's threads (x fastest, as CUDA
  numbers them) that calls the thread function, which LLVM inlines.

Blocks are spread over numjit's thread pool as prange iterations are; the
threads of a block run one after another. A kernel with cuda.syncthreads()
gets a launcher per argument types instead (barriers.py): the kernel's body
cut into phases, each a loop over the block's threads. Atomics are atomic
instructions, since blocks do run at the same time.
"""
import numpy as np

from .. import errors, serialize
from .. import types as nt
from ..dispatcher import DispatcherImpl, located_error
from . import barriers, device_arrays, driver, launch_config, rewrite


def _thread_dispatcher(py_func, device, fastmath, gpu=False):
    options = {"_cuda_thread": rewrite.ThreadOptions(device, gpu), "error_model": "numpy", "fastmath": fastmath}
    if gpu:
        options["_vector_math"] = False  # libmvec has no GPU form
    return DispatcherImpl(py_func, options)


def _launcher_source(count):
    params = ", ".join(f"a{k}" for k in range(count))
    args = params + ", " if params else ""
    return f'''def launch(griddim, blockdim, shared_bytes, dynamic_bytes, {params}):
    gx, gy, gz = griddim
    nx, ny, nz = blockdim
    for b in prange(gx * gy * gz):
        shared = np.empty(shared_bytes, np.uint8)
        bz = b // (gx * gy)
        rest = b - bz * (gx * gy)
        by = rest // gx
        bx = rest - by * gx
        for tz in range(nz):
            for ty in range(ny):
                for tx in range(nx):
                    thread({args}(tx, ty, tz, bx, by, bz, nx, ny, nz, gx, gy, gz, shared, dynamic_bytes))
'''


# A launcher's prange is over blocks, whose writes to one place are the kernel's own business,
# as on a GPU: no race warnings for it.
_LAUNCHER_OPTIONS = {"parallel": True, "_race_warnings": False}


def _make_launcher(thread, count, kernel_name):
    from .. import prange

    source = _launcher_source(count)
    namespace = {"np": np, "prange": prange, "thread": thread}
    filename = f"<numjit.cuda launcher of {kernel_name}>"
    exec(compile(source, filename, "exec"), namespace)
    launch = namespace["launch"]
    launch.__numjit_source__ = serialize.SourceRecord(filename, 1, tuple(source.splitlines(keepends=True)))
    return DispatcherImpl(launch, dict(_LAUNCHER_OPTIONS))


class Kernel:
    """What @cuda.jit makes of a kernel: launched as kernel[griddim, blockdim](args)."""

    _numjit_cuda_kernel = True

    def __init__(self, py_func, fastmath=False, signatures=()):
        self.py_func = py_func
        self.__name__ = py_func.__name__
        self.__qualname__ = py_func.__qualname__
        self.__doc__ = py_func.__doc__
        self._thread = _thread_dispatcher(py_func, False, fastmath)
        self._launchers = {}
        self._gpu_kernels = {}  # by argument types, where a GPU runs the kernel (gpu_launch.py)
        # Checked now; compiled at a launch, which knows the context's type. A launch with other
        # argument types converts them as a declared @njit signature does, or raises TypeError.
        self._declared = []
        for signature in signatures:
            parsed = self._thread._parse_declared(signature)
            if parsed.return_type not in (None, nt.none):
                raise TypeError(f"{self.__name__}: a CUDA kernel must have void return type, not "
                                f"{parsed.return_type} (its signature is {signature!r})")
            self._declared.append(tuple(parsed.args))

    def __getitem__(self, configuration):
        griddim, blockdim, shared = launch_config.parse(configuration)
        return _Launch(self, griddim, blockdim, shared)

    def __call__(self, *args):
        raise launch_config.LaunchError(f"{self.__name__} is a kernel: launch it with a configuration, "
                                        f"{self.__name__}[griddim, blockdim](...)")

    def forall(self, ntasks, tpb=0):
        """A launch of at least `ntasks` threads in one dimension (none for no tasks, as in Numba)."""
        tpb = tpb or 128
        if int(ntasks) <= 0:
            return lambda *args: None
        return self[-(-int(ntasks) // tpb), tpb]

    def launch(self, griddim, blockdim, shared, args):
        gpu = driver.load()[0]
        if gpu is not None:
            from . import gpu_launch

            convert = self._as_declared if self._declared else (lambda values: values)
            return gpu_launch.launch(self, gpu, griddim, blockdim, shared, args, convert)
        host = tuple(device_arrays.host_array(a) for a in args)
        if self._declared:
            host = self._as_declared(host)
        self._thread.source_bundle()  # rewrites the kernel: its shared memory's layout, whether it has barriers
        thread = self._thread.options["_cuda_thread"]
        if thread.barriers:
            key = tuple(nt.typeof(a) for a in host)
            launcher = self._launchers.get(key)
            if launcher is None:
                launcher = self._launchers[key] = self._phased_launcher(key)
        else:
            launcher = self._launchers.get(len(host))
            if launcher is None:
                launcher = self._launchers[len(host)] = _make_launcher(self._thread.public, len(host), self.__name__)
        if not launcher.overloads:
            # Compiled before the shared memory is sized the first time: that compiles the device
            # functions, which lay out their shared arrays as they are rewritten (once each).
            launcher.compile(tuple(nt.typeof(a) for a in (griddim, blockdim, 0, shared) + host))
        launcher.public(griddim, blockdim, rewrite.block_shared_bytes(thread.shared_layout, shared), shared, *host)

    def _as_declared(self, host):
        from ..dispatcher import _convert_args

        actual = tuple(nt.typeof(a) for a in host)
        for declared in self._declared:
            converted = _convert_args(host, actual, declared)
            if converted is not None:
                return converted
        have = "\n".join("  " + ", ".join(str(t) for t in d) for d in self._declared)
        raise TypeError(f"No matching definition for argument type(s) {', '.join(map(str, actual))}; "
                        f"{self.__name__} was declared for:\n{have}")

    def _phased_launcher(self, arg_types):
        """The launcher of a kernel with barriers for these argument types (barriers.py): the thread
        function is compiled first, barriers ignored, for the types of its locals."""
        from .. import prange

        context = (0,) * 12 + (np.empty(0, np.uint8), 0)
        typed = self._thread.compile(tuple(arg_types) + (nt.typeof(context),))
        bundle = self._thread.source_bundle()
        record = self._thread.source_record()

        def error_at(node, message, cls=errors.TypingError):
            return located_error(self.__name__, record, bundle.indent, node, message, cls)

        builder = barriers.LauncherBuilder(bundle.function_def, barriers.local_types(typed.typed_hir), error_at)
        definition = builder.build()
        namespace = {}
        params = ["__nj_griddim", "__nj_blockdim", "__nj_shared_bytes", "__nj_dynamic_bytes"] + builder.params
        exec(f"def __numjit_cuda_launch({', '.join(params)}): pass", namespace)
        options = dict(_LAUNCHER_OPTIONS, error_model="numpy", fastmath=self._thread.options.get("fastmath", False))
        launcher = DispatcherImpl(namespace["__numjit_cuda_launch"], options)
        launcher.__qualname__ = f"{self.__qualname__}.<launcher>"
        closure = dict(bundle.closure, __nj_np=np, __nj_prange=prange)
        launcher._bundle = bundle._replace(function_def=definition, closure=closure,
                                           options=launcher._compile_options(), defaults=())
        return launcher

    @property
    def overloads(self):
        return self._thread.overloads


class _Launch:
    def __init__(self, kernel, griddim, blockdim, shared):
        self.kernel, self.griddim, self.blockdim, self.shared = kernel, griddim, blockdim, shared

    def __call__(self, *args):
        self.kernel.launch(self.griddim, self.blockdim, self.shared, args)


class DeviceFunction:
    """What @cuda.jit(device=True) makes: callable from kernels and other device functions."""

    def __init__(self, py_func, fastmath=False):
        self.py_func = py_func
        self.__name__ = py_func.__name__
        self._numjit_cuda_device = _thread_dispatcher(py_func, True, fastmath).public
        # Compiled into GPU kernels: its barriers are bar.sync and its local arrays on the stack.
        self._numjit_cuda_device_gpu = _thread_dispatcher(py_func, True, fastmath, gpu=True).public

    def __call__(self, *args):
        raise errors.UnsupportedError(f"{self.__name__} is a CUDA device function: call it from a kernel")


def jit(func_or_sig=None, device=False, inline=False, link=(), debug=False, opt=True, lineinfo=False,
        cache=False, fastmath=False, max_registers=None, **options):
    """@cuda.jit, @cuda.jit(device=True), @cuda.jit("void(float64[:], float64)") and lists of signatures."""
    if options:
        raise errors.UnsupportedError(f"cuda.jit got unknown options: {', '.join(sorted(options))}")
    if callable(func_or_sig) and not isinstance(func_or_sig, str):
        return DeviceFunction(func_or_sig, fastmath) if device else Kernel(func_or_sig, fastmath)
    signatures = () if func_or_sig is None else (func_or_sig,) if isinstance(func_or_sig, str) else tuple(func_or_sig)

    def decorate(function):
        if device:
            return DeviceFunction(function, fastmath)
        return Kernel(function, fastmath, signatures)

    return decorate
