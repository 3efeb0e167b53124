"""The cuda family's reference: a kernel run as Python, one OS thread per CUDA thread.

It models what CUDA promises and nothing of how numjit runs kernels: every
thread of a block runs the kernel's Python source at once, cuda.syncthreads()
waits for the block's threads that have not returned (_Barrier), each
cuda.shared.array call gives the same array to every thread of a block (the
n-th call of each thread, the n-th array), atomics hold a lock. Blocks run
one after another, as CUDA allows.
"""
import threading
import types

import numpy as np

from tests.fuzz.oracle import Outcome

BARRIER_TIMEOUT_S = 20.0  # a barrier some threads never reach fails the case instead of hanging it


class _Barrier:
    """cuda.syncthreads() of one block: it waits for the threads that have not returned
    (a thread that returned counts as arrived, as on the GPU and in numjit)."""

    def __init__(self, parties):
        self.parties, self.arrived, self.generation, self.broken = parties, 0, 0, False
        self.condition = threading.Condition()

    def wait(self):
        with self.condition:
            generation = self.generation
            self.arrived += 1
            if self.arrived == self.parties:
                self._release()
            while generation == self.generation and not self.broken:
                if not self.condition.wait(BARRIER_TIMEOUT_S):
                    self.abort()
            if self.broken:
                raise threading.BrokenBarrierError

    def leave(self):
        with self.condition:
            self.parties -= 1
            if self.arrived and self.arrived == self.parties:
                self._release()

    def abort(self):
        with self.condition:
            self.broken = True
            self.condition.notify_all()

    def _release(self):
        self.arrived, self.generation = 0, self.generation + 1
        self.condition.notify_all()


class _Block:
    def __init__(self, index, threads):
        self.index, self.threads = index, threads
        self.barrier = _Barrier(threads)
        self.shared, self.lock = [], threading.Lock()

    def shared_array(self, ordinal, shape, dtype):
        with self.lock:
            while len(self.shared) <= ordinal:
                self.shared.append(None)
            if self.shared[ordinal] is None:
                # CUDA leaves shared memory undefined; NaN/garbage-like values make a read before a write show.
                self.shared[ordinal] = np.full(shape, 77, dtype)
            return self.shared[ordinal]


class FakeCuda:
    """What the kernel's `cuda` name means in the reference run."""

    def __init__(self, blocks, block_shape):
        self.blocks, self.shape = blocks, tuple(block_shape) + (1,) * (2 - len(block_shape))
        self.state = threading.local()
        self.atomic_lock = threading.Lock()
        self.shared = types.SimpleNamespace(array=self._shared_array)
        self.local = types.SimpleNamespace(array=lambda shape, dtype: np.full(shape, 55, dtype))
        self.atomic = types.SimpleNamespace(add=self._atomic_add, max=self._atomic_max, min=self._atomic_min)

    # ---- decoration: the functions run as themselves
    def jit(self, function=None, device=False, **options):
        return function if function is not None else (lambda f: f)

    # ---- the thread's position
    @property
    def threadIdx(self):
        return types.SimpleNamespace(x=self.state.thread % self.shape[0], y=self.state.thread // self.shape[0], z=0)

    @property
    def blockIdx(self):
        return types.SimpleNamespace(x=self.state.block.index, y=0, z=0)

    @property
    def blockDim(self):
        return types.SimpleNamespace(x=self.shape[0], y=self.shape[1], z=1)

    @property
    def gridDim(self):
        return types.SimpleNamespace(x=self.blocks, y=1, z=1)

    def grid(self, ndim):
        assert ndim == 1, "the cuda family launches 1-D grids"
        return self.state.block.index * self.shape[0] + self.state.thread % self.shape[0]

    def syncthreads(self):
        self.state.block.barrier.wait()

    def _shared_array(self, shape, dtype):
        ordinal = self.state.shared_calls
        self.state.shared_calls += 1
        return self.state.block.shared_array(ordinal, shape, dtype)

    def _atomic_update(self, array, index, value, combine):
        with self.atomic_lock:
            old = array[index]
            array[index] = combine(old, value)
            return old

    def _atomic_add(self, array, index, value):
        return self._atomic_update(array, index, value, lambda old, v: old + v)

    def _atomic_max(self, array, index, value):
        return self._atomic_update(array, index, value, max)

    def _atomic_min(self, array, index, value):
        return self._atomic_update(array, index, value, min)


def run(source, path, imports_line, args, blocks, block_shape):
    """Runs `kernel` of `source` (whose `imports_line` binds numjit's cuda) over `blocks`
    blocks of `block_shape` ((x,) or (x, y)) threads."""
    cuda = FakeCuda(blocks, block_shape)
    threads = cuda.shape[0] * cuda.shape[1]
    namespace = {"__name__": "cuda_reference_kernel", "cuda": cuda, "float64": np.float64, "int64": np.int64}
    exec(compile(source.replace(imports_line, "\n"), path, "exec"), namespace)
    kernel = namespace["kernel"]
    for b in range(blocks):
        block = _Block(b, threads)
        errors = []

        def thread_main(t):
            cuda.state.block, cuda.state.thread, cuda.state.shared_calls = block, t, 0
            try:
                kernel(*args)
                block.barrier.leave()
            except threading.BrokenBarrierError as exc:
                errors.append((1, exc))
            except Exception as exc:  # noqa: BLE001 - the first real error is the block's
                errors.append((0, exc))
                block.barrier.abort()

        workers = [threading.Thread(target=thread_main, args=(t,)) for t in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if errors:
            return Outcome(error=min(errors, key=lambda e: e[0])[1])
    return Outcome(value=args)
