"""Kernels and device functions as functions of one thread.

A CUDA kernel reads its thread's position (cuda.threadIdx.x, cuda.grid(1)),
which on the CPU is no hidden register but data. Each kernel and device
function gets one more parameter, the thread's context (intrinsics.py:
CONTEXT_FIELDS, then the block's shared memory), and this module rewrites
the function's syntax tree, before the front end reads it, so that:

- cuda.threadIdx.x, blockIdx.y, blockDim.z, gridDim.x ... read the context;
- cuda.grid(n) and cuda.gridsize(n) are the arithmetic over it;
- cuda.shared.array(shape, dtype) views the block's shared memory at an
  offset fixed here (each declaration its own), so every thread of a block
  sees the same array;
- cuda.local.array(shape, dtype) is np.empty: the thread's own;
- cuda.const.array_like(a) is a;
- a call of a device function passes the context on;
- cuda.syncthreads(), a statement of its own, becomes a marker where
  barriers.py cuts the kernel into phases (the thread function itself, used
  to learn the types of the locals, runs past it);
- compiled for the GPU, `raise` and `assert` become cuda.raise_on_gpu(code)
  (gpu_exceptions.py).

Names are resolved the way the front end resolves them (the function's
closure, then its globals), so `from numjit.cuda import threadIdx` or
`import numjit as numba; numba.cuda.grid(1)` work alike. Every node made
here carries the position of the node it replaces, so compile errors point
into the user's kernel.
"""
import ast
import builtins
import copy
import operator

import numpy as np

from .. import errors
from . import gpu_exceptions, intrinsics

CONTEXT = "__numjit_cuda_thread"
_MISSING = object()
# Arithmetic a shape may be written with (TILE + 1, 2 * N).
_CONSTANT_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
                        ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}
_ATOMICS = [value for name, value in vars(intrinsics.atomic).items() if not name.startswith("_")]


class SharedLayout:
    """A region of the block's shared memory: each cuda.shared.array
    declaration's offset in it.

    The block's memory is [the kernel's arrays | device functions' arrays |
    the launch's dynamic shared memory]. A kernel's arrays are at offsets from
    the start. Device functions' arrays (one region for all device functions,
    DEVICE_SHARED, as each may be called from any kernel) are at offsets from
    the end of their region, which ends where the dynamic memory starts: so
    compiled code finds them without knowing the kernel it runs in."""

    def __init__(self):
        self.size = 0

    def place(self, nbytes, alignment):
        offset = -(-self.size // alignment) * alignment
        self.size = offset + nbytes
        return offset

    def place_from_end(self, nbytes, alignment):
        """The distance from the region's end to the start of a new array (a multiple of `alignment`)."""
        self.size = -(-(self.size + nbytes) // alignment) * alignment
        return self.size


DEVICE_SHARED = SharedLayout()


class ThreadOptions:
    """What this rewrite needs to know of a function, carried in its options,
    and what it finds: the shared memory's layout and whether the kernel has
    barriers."""

    def __init__(self, device, gpu=False):
        self.device = device
        self.gpu = gpu  # compiled for the GPU (ptx.py): barriers are bar.sync, not cuts
        self.shared_layout = SharedLayout()
        self.barriers = False


def block_shared_bytes(kernel_layout, dynamic_bytes):
    """The size of a block's shared memory (see SharedLayout)."""
    return -(-kernel_layout.size // 16) * 16 + -(-DEVICE_SHARED.size // 16) * 16 + dynamic_bytes


def rewrite_thread_function(function_def, lookup, local_names, error_at, thread):
    """Adds the context parameter to `function_def` and rewrites its uses of
    numjit.cuda in place (see the module's docstring); returns the names the
    rewritten tree adds, with their values, for the function's closure.
    `thread` (ThreadOptions) says whether it is a device function, and
    receives the shared memory's layout and whether the kernel has barriers."""
    function_def.args.args.append(ast.arg(CONTEXT))
    rewriter = _ThreadRewriter(lookup, local_names, error_at, thread)
    rewriter.visit(function_def)
    ast.fix_missing_locations(function_def)
    return rewriter.added


def _context(slot, where):
    return ast.copy_location(
        ast.Subscript(ast.Name(CONTEXT, ast.Load()), ast.Constant(slot), ast.Load()), where)


def _expression(text, where, **names):
    """`text` parsed as an expression at `where`'s position, its names replaced by the given nodes."""
    tree = ast.parse(text, mode="eval").body
    for node in ast.walk(tree):
        ast.copy_location(node, where)

    class Substitute(ast.NodeTransformer):
        def visit_Name(self, node):
            return copy.deepcopy(names[node.id]) if node.id in names else node

    return Substitute().visit(tree)


def _product(a, b, where):
    return ast.copy_location(ast.BinOp(a, ast.Mult(), b), where)


class _ThreadRewriter(ast.NodeTransformer):
    def __init__(self, lookup, local_names, error_at, thread):
        self.lookup, self.local_names, self.error_at = lookup, local_names, error_at
        self.thread = thread
        self.added = {}

    def resolve(self, node):
        """The object an expression of names and attributes denotes at compile time, or _MISSING."""
        if isinstance(node, ast.Name):
            if node.id in self.local_names or node.id == CONTEXT:
                return _MISSING
            found = self.lookup(node.id)
            return _MISSING if found is None else found
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return _MISSING if base is _MISSING else getattr(base, node.attr, _MISSING)
        return _MISSING

    def visit_Attribute(self, node):
        found = self.resolve(node)
        if isinstance(found, intrinsics.Index):
            return _context(found.slot, node)
        return self.generic_visit(node)

    def visit_Name(self, node):
        found = self.resolve(node)
        if isinstance(found, intrinsics.Index):
            return _context(found.slot, node)
        return node

    def visit_Raise(self, node):
        if not self.thread.gpu:
            return self.generic_visit(node)
        if node.exc is None or node.cause is not None:
            raise self.error_at(node, "a kernel compiled for the GPU raises an exception class or "
                                      "class(constants), without re-raising or `from`", errors.UnsupportedError)
        target, args = node.exc, []
        if isinstance(node.exc, ast.Call):
            target = node.exc.func
            try:
                if node.exc.keywords:
                    raise ValueError
                args = [ast.literal_eval(a) for a in node.exc.args]
            except ValueError:
                raise self.error_at(node.exc, "on the GPU an exception's arguments must be constants (the "
                                              "launch makes the exception from them)", errors.UnsupportedError) from None
        cls = self.resolve(target)
        if cls is _MISSING and isinstance(target, ast.Name) and target.id not in self.local_names:
            cls = getattr(builtins, target.id, _MISSING)
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            raise self.error_at(target, "a kernel compiled for the GPU raises an exception class known "
                                        "when compiling", errors.UnsupportedError)
        return self.raise_on_gpu(node, gpu_exceptions.code_of(cls, args))

    def visit_Try(self, node):
        if self.thread.gpu:  # (on the CPU a kernel's try works as in Python)
            raise self.error_at(node, "try statements are not supported in kernels compiled for the GPU: a thread "
                                      "that raises stops there, and the launch raises the exception",
                                errors.UnsupportedError)
        return self.generic_visit(node)

    def visit_Assert(self, node):
        if not self.thread.gpu:
            return self.generic_visit(node)
        try:
            args = [] if node.msg is None else [ast.literal_eval(node.msg)]
        except ValueError:
            raise self.error_at(node.msg, "on the GPU an assert's message must be a constant",
                                errors.UnsupportedError) from None
        failed = ast.copy_location(ast.UnaryOp(ast.Not(), self.visit(node.test)), node.test)
        check = ast.If(failed, [self.raise_on_gpu(node, gpu_exceptions.code_of(AssertionError, args))], [])
        return ast.copy_location(check, node)

    def raise_on_gpu(self, node, code):
        call = ast.Call(ast.Name(self.alias(intrinsics.raise_on_gpu, "raise"), ast.Load()), [ast.Constant(code)], [])
        return ast.copy_location(ast.Expr(ast.copy_location(call, node)), node)

    def visit_Return(self, node):
        if not self.thread.device and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            raise self.error_at(node, "a CUDA kernel returns nothing: write its results into an array "
                                      "(a device function, @cuda.jit(device=True), may return a value)")
        return self.generic_visit(node)

    def visit_Expr(self, node):
        if isinstance(node.value, ast.Call) and self.resolve(node.value.func) is intrinsics.syncthreads:
            call = node.value
            self.expect_arguments(call, 0, "cuda.syncthreads()")
            if self.thread.device and not self.thread.gpu:
                raise self.error_at(call, "cuda.syncthreads() in a device function is not supported yet "
                                          "without a GPU: call it in the kernel", errors.UnsupportedError)
            self.thread.barriers = True
            if self.thread.gpu:  # a bar.sync (library/cuda_atomics.cpp)
                node.value = ast.copy_location(ast.Call(ast.Name(self.alias(intrinsics.syncthreads, "barrier"),
                                                                 ast.Load()), [], []), call)
                return node
            # A marker: barriers.py cuts the kernel here; the thread function alone (typing) runs past it.
            node.value = ast.copy_location(ast.Constant(None), call)
            node.value.numjit_barrier = True
            return node
        return self.generic_visit(node)

    def visit_Call(self, node):
        found = self.resolve(node.func)
        if found is intrinsics.grid or found is intrinsics.gridsize:
            return self.grid(node, found is intrinsics.gridsize)
        if found is intrinsics.syncthreads:
            raise self.error_at(node, "cuda.syncthreads() must be a statement of its own")
        if any(found is fence for fence in (intrinsics.threadfence, intrinsics.threadfence_block,
                                            intrinsics.threadfence_system)):
            # One thread of a block runs at a time, and a launch ends before its results are read.
            return ast.copy_location(ast.Constant(None), node)
        if found is intrinsics.shared.array:
            return self.shared_array(node)
        if found is intrinsics.local.array:
            return self.local_array(node)
        if found is intrinsics.const.array_like:
            self.expect_arguments(node, 1, "cuda.const.array_like(ary)")
            return self.visit(node.args[0])
        node = self.generic_visit(node)
        if any(found is atomic for atomic in _ATOMICS):  # a library row, reached by a name (the front end knows no cuda.atomic namespace)
            node.func = ast.copy_location(ast.Name(self.alias(found, "atomic"), ast.Load()), node.func)
            return node
        device = getattr(found, "_numjit_cuda_device_gpu" if self.thread.gpu else "_numjit_cuda_device", None)
        if device is not None:  # its thread function, called with this thread's context
            node.func = ast.copy_location(ast.Name(self.alias(device, "device"), ast.Load()), node.func)
            node.args.append(ast.copy_location(ast.Name(CONTEXT, ast.Load()), node))
        elif getattr(found, "_numjit_cuda_kernel", False):
            raise self.error_at(node, "a kernel cannot be called from a kernel or device function; "
                                      "decorate the function with @cuda.jit(device=True)")
        return node

    def alias(self, value, kind):
        """A closure name for `value`, which the rewritten tree calls."""
        name = next((n for n, v in self.added.items() if v is value), f"__numjit_cuda_{kind}_{len(self.added)}")
        self.added[name] = value
        return name

    def expect_arguments(self, node, count, form):
        if len(node.args) != count or node.keywords:
            raise self.error_at(node, f"{form} takes {count} positional argument{'' if count == 1 else 's'}")

    def grid(self, node, sizes):
        name = "cuda.gridsize" if sizes else "cuda.grid"
        self.expect_arguments(node, 1, f"{name}(ndim)")
        ndim = node.args[0]
        if not isinstance(ndim, ast.Constant) or ndim.value not in (1, 2, 3) or isinstance(ndim.value, bool):
            raise self.error_at(ndim, f"{name}(ndim) takes the constant 1, 2 or 3")
        axes = []
        for axis in range(ndim.value):
            block, grid_size = _context(6 + axis, node), _context(9 + axis, node)
            if sizes:
                axes.append(_product(block, grid_size, node))
            else:
                within = _product(_context(3 + axis, node), block, node)
                axes.append(ast.copy_location(ast.BinOp(within, ast.Add(), _context(axis, node)), node))
        if len(axes) == 1:
            return axes[0]
        return ast.copy_location(ast.Tuple(axes, ast.Load()), node)

    def constant(self, node, what):
        """The value of a shape or dtype argument, which CUDA fixes at compile time."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Tuple):
            return tuple(self.constant(e, what) for e in node.elts)
        if isinstance(node, ast.BinOp) and type(node.op) in _CONSTANT_ARITHMETIC:
            return _CONSTANT_ARITHMETIC[type(node.op)](self.constant(node.left, what), self.constant(node.right, what))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = self.constant(node.operand, what)
            return -value if isinstance(node.op, ast.USub) else value
        found = self.resolve(node)
        if found is _MISSING:
            raise self.error_at(node, f"the {what} of a cuda array must be known when compiling: "
                                      "a constant, or a global or closure variable")
        return found

    def array_arguments(self, node, form):
        args = list(node.args)
        keywords = {k.arg: k.value for k in node.keywords}
        if len(args) < 2 and "shape" in keywords:
            args.insert(0, keywords.pop("shape"))
        if len(args) < 2 and "dtype" in keywords:
            args.append(keywords.pop("dtype"))
        if len(args) != 2 or keywords:
            raise self.error_at(node, f"{form} takes shape and dtype")
        return args

    def shared_array(self, node):
        shape_node, dtype_node = self.array_arguments(node, "cuda.shared.array(shape, dtype)")
        shape = self.constant(shape_node, "shape")
        shape = (shape,) if isinstance(shape, (int, np.integer)) else shape
        try:
            dtype = np.dtype(getattr(self.constant(dtype_node, "dtype"), "np_dtype", None)
                             or self.constant(dtype_node, "dtype"))
            shape = tuple(int(n) for n in shape)
        except (TypeError, ValueError):
            raise self.error_at(node, "cuda.shared.array needs an integer shape (or tuple of them) and a dtype") from None
        if any(n < 0 for n in shape):
            raise self.error_at(shape_node, "a shared array's shape cannot be negative")
        count = int(np.prod(shape, dtype=np.int64))
        nbytes = count * dtype.itemsize
        memory = _context(intrinsics.SHARED_MEMORY_SLOT, node)
        dynamic = _context(intrinsics.DYNAMIC_SHARED_SLOT, node)
        size = ast.copy_location(ast.Attribute(memory, "size", ast.Load()), node)
        dynamic_start = _expression("size - dynamic", node, size=size, dynamic=dynamic)
        if count == 0:  # the launch's dynamic shared memory, as many items as fit
            start, stop = dynamic_start, _expression(f"size - dynamic % {dtype.itemsize}", node, size=size,
                                                     dynamic=dynamic)
            shape = None
        elif self.thread.device:
            from_end = DEVICE_SHARED.place_from_end(nbytes, dtype.itemsize)
            start = _expression(f"end - {from_end}", node, end=dynamic_start)
            stop = _expression(f"end - {from_end - nbytes}", node, end=dynamic_start)
        else:
            offset = self.thread.shared_layout.place(nbytes, dtype.itemsize)
            start, stop = ast.Constant(offset), ast.Constant(offset + nbytes)
        piece = ast.copy_location(ast.Subscript(memory, ast.Slice(start, stop), ast.Load()), node)
        view = ast.copy_location(ast.Call(ast.Attribute(piece, "view", ast.Load()), [self.visit(dtype_node)], []),
                                 node)
        shaped = view if shape is None else ast.copy_location(
            ast.Call(ast.Attribute(view, "reshape", ast.Load()), [ast.Constant(shape)], []), node)
        shaped.numjit_shared_array = True  # the same for every thread of a block (barriers.py hoists it)
        return shaped

    def local_array(self, node):
        shape_node, dtype_node = self.array_arguments(node, "cuda.local.array(shape, dtype)")
        if self.thread.gpu:
            # The thread's stack (library row cuda.local.array: a constant count of elements), reshaped.
            shape = self.constant(shape_node, "shape")
            shape = (shape,) if isinstance(shape, (int, np.integer)) else shape
            try:
                shape = tuple(int(n) for n in shape)
            except (TypeError, ValueError):
                raise self.error_at(node, "cuda.local.array in a GPU kernel needs a constant integer shape "
                                    "(or tuple of them)") from None
            if any(n < 0 for n in shape):
                raise self.error_at(shape_node, "a local array's shape cannot be negative")
            count = int(np.prod(shape, dtype=np.int64))
            stack = ast.copy_location(ast.Call(ast.Name(self.alias(intrinsics.local.array, "local"), ast.Load()),
                                               [ast.Constant(count), self.visit(dtype_node)], []), node)
            return ast.copy_location(ast.Call(ast.Attribute(stack, "reshape", ast.Load()), [ast.Constant(shape)], []),
                                     node)
        empty = ast.Attribute(ast.Name("__numjit_numpy", ast.Load()), "empty", ast.Load())
        call = ast.copy_location(ast.Call(empty, [self.visit(shape_node), self.visit(dtype_node)], []), node)
        try:  # a constant shape: barriers.py can keep the array per thread across a barrier
            shape = self.constant(shape_node, "shape")
            call.numjit_local_shape = tuple(int(n) for n in ((shape,) if isinstance(shape, (int, np.integer))
                                                              else shape))
        except (errors.TypingError, TypeError, ValueError, ArithmeticError):
            pass
        return call
