"""cuda.compile_ptx: a kernel as PTX for an NVIDIA GPU, through LLVM's NVPTX
back end (src/numjit/jit/ptx.cpp).

The kernel compiles as on the CPU, as a function of one thread (rewrite.py,
with cuda.syncthreads() a bar.sync rather than a cut, and no libmvec vector
math), for the declared argument types and the context's; the compiler then
wraps it in a PTX kernel that builds the context from the GPU's special
registers (src/numjit/lower/ptx_kernel.cpp), links libdevice for the math
functions and prints PTX for the requested architecture (sm_90 by default,
the H100/H200). What the GPU has no form of (numjit's runtime: allocation,
exceptions, lists) is a located UnsupportedError.
"""
import os

import numpy as np

from .. import errors
from .. import types as nt
from .. import config
from ..dispatcher import DispatcherImpl, _read_bundle, compiler
from . import rewrite

DEFAULT_CC = (9, 0)


def libdevice_path():
    """libdevice.10.bc of the CUDA toolkit (CUDA_HOME, CUDA_PATH, /usr/local/cuda), or ''."""
    for home in (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"), "/usr/local/cuda"):
        if home:
            path = os.path.join(home, "nvvm", "libdevice", "libdevice.10.bc")
            if os.path.exists(path):
                return path
    return ""


def _signature(sig):
    parsed = nt.parse_signature(sig) if isinstance(sig, str) else sig
    if isinstance(parsed, nt.Signature):
        return parsed.return_type, tuple(parsed.args)
    return None, tuple(parsed)


def compile_ptx(pyfunc, sig, debug=False, lineinfo=False, device=False, fastmath=False, cc=None, opt=True,
                abi="numba", abi_info=None, output="ptx"):
    """(PTX text, return type) of kernel `pyfunc` for argument types `sig`
    ("void(float64[:], float64)" or a tuple of types), for compute capability
    `cc` ((9, 0): sm_90)."""
    pyfunc = getattr(pyfunc, "py_func", pyfunc)  # a @cuda.jit kernel compiles as its Python function
    if device:
        raise errors.UnsupportedError("compile_ptx of a device function alone is not supported yet: "
                                      "compile a kernel that calls it")
    if output != "ptx":
        raise errors.UnsupportedError(f"compile_ptx makes PTX, not {output!r}")
    return_type, args = _signature(sig)
    if return_type not in (None, nt.none):
        raise TypeError(f"a CUDA kernel must have void return type, not {return_type}")
    asm, _ = kernel_ptx(pyfunc, args, cc or DEFAULT_CC, fastmath)
    return asm, nt.none


def kernel_ptx(pyfunc, args, cc, fastmath=False):
    """(PTX text, the kernel's ThreadOptions: its shared memory's layout) of
    kernel `pyfunc` for numjit argument types `args`, for compute capability `cc`."""
    major, minor = cc
    thread = rewrite.ThreadOptions(device=False, gpu=True)
    impl = DispatcherImpl(pyfunc, {"_cuda_thread": thread, "error_model": "numpy", "fastmath": fastmath,
                                   "_vector_math": False})
    impl.source_bundle()  # the rewrite lays out the kernel's shared memory
    context = nt.typeof((0,) * 12 + (np.empty(0, np.uint8), 0))
    names = [str(t) for t in tuple(args) + (context,)]
    while True:  # again if compiling laid out device functions' shared arrays the size missed
        device_shared = rewrite.DEVICE_SHARED.size
        try:
            result = compiler().compile(_read_bundle, impl.public, names, False, config.DUMP,
                                        ptx_arch=f"sm_{major}{minor}", libdevice=libdevice_path(),
                                        ptx_shared_bytes=rewrite.block_shared_bytes(thread.shared_layout, 0))
        except errors.UnsupportedError as exc:
            if str(exc).startswith("in "):
                raise  # located already
            record = impl.source_record()
            raise errors.UnsupportedError(f"in {pyfunc.__name__} ({record.filename}:{record.first_line}): "
                                          f"{exc}") from None
        if rewrite.DEVICE_SHARED.size == device_shared:
            return result["asm"], thread
