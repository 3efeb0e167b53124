"""The cuda family: @cuda.jit kernels with barriers, run without a GPU.

Each case is a kernel over a 1-D grid (1 to 3 blocks of 1 to 64 threads, a
third of them 2-D blocks, whose threads the kernel numbers x fastest) that
reads its thread's element of `x` into a shared array and then runs phases
separated by cuda.syncthreads(): updates of locals and of the thread's own
shared slot, reads of other threads' slots (in phases that write none, so
no case has a race), tree reductions in uniform while loops, uniform for
loops with barriers inside, `while True` loops the block leaves by a
`break` or skips round of by a `continue` that every thread decides from
shared memory, device functions with barriers (called as
statements, inside expressions and in if tests; one returns before its
barriers under a guard the whole block takes), a thread's local array and
a view of an argument that live across barriers, atomics (integer sums,
the block's maximum and minimum) and
threads that return early, from inside a loop too (later barriers wait for
the others). It ends writing `out[i]`.

numjit runs it as phases over the block's threads (numjit/cuda/barriers.py).
The reference runs the same source as Python with one OS thread per CUDA
thread, a barrier per block for cuda.syncthreads() (that waits for the threads
that have not returned) and one shared array per block (cuda_reference.py):
an independent model of CUDA's semantics. The
kernel is also compiled to PTX for sm_90 and assembled by ptxas, where the
CUDA toolkit is installed.
"""
import os
import subprocess
import tempfile

import numpy as np

IMPORTS = "from numjit import cuda, float64, int64  # the reference binds its own cuda\n"
PTXAS = os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"), "bin", "ptxas")

DEVICE_FUNCTIONS = """
@cuda.jit(device=True)
def block_total(sm, t):
    s = cuda.blockDim.x // 2
    while s > 0:
        if t < s:
            sm[t] += sm[t + s]
        cuda.syncthreads()
        s //= 2
    total = sm[0]
    cuda.syncthreads()
    return total


@cuda.jit(device=True)
def shift_in(sm, t, value):
    left = sm[t - 1] if t > 0 else value
    cuda.syncthreads()
    sm[t] = left
    cuda.syncthreads()
    return left


@cuda.jit(device=True)
def guarded_total(sm, t, limit):
    if limit < 0:  # the same in every thread: it returns before the barriers
        return limit
    cuda.syncthreads()
    first = sm[0]
    cuda.syncthreads()
    if first > limit:  # a memory read every thread agrees on: the launch checks that they do
        return first
    return block_total(sm, t)


@cuda.jit(device=True)
def twice_plus(v, k):
    return v * 2 + k
"""


def _planted(text):
    # Barriers and the kernel's frame are never dropped by the shrinker: without them a case races.
    return ["line", text, "planted"]


class _Kernel:
    def __init__(self, rng, integer, two_dimensional):
        self.rng, self.integer, self.two_dimensional = rng, integer, two_dimensional
        self.uses_local = rng.random() < 0.3
        self.uses_view = rng.random() < 0.3
        self.returns = rng.random() < 0.3  # some threads return early (not inside loops with barriers)
        self.loop_depth = 0

    def constant(self):
        return str(self.rng.randint(-5, 9)) if self.integer else repr(self.rng.choice([0.5, -1.25, 2.0, 3.5, 0.0]))

    def leaf(self, neighbours):
        choices = ["a", "b", "sm[t]", "x[i]", "t", self.constant()]
        if neighbours:
            choices += ["sm[(t + 1) % n]", "sm[n - 1 - t]", "sm[t // 2]", "sm[(t * 3 + 1) % n]", "sm[0]"]
        if self.uses_local:
            choices.append(f"loc[{self.rng.randrange(3)}]")
        if self.uses_view:
            choices.append("tail[0]")
        if self.loop_depth:
            choices.append("k")
        return self.rng.choice(choices)

    def expression(self, neighbours, depth=2):
        rng = self.rng
        if depth == 0 or rng.random() < 0.3:
            return self.leaf(neighbours)
        left, right = self.expression(neighbours, depth - 1), self.expression(neighbours, depth - 1)
        form = rng.choice(["+", "-", "*", "min", "max", "abs", "twice"])
        if form in ("min", "max"):
            return f"{form}({left}, {right})"
        if form == "abs":
            return f"abs({left})"
        if form == "twice":
            return f"twice_plus({left}, {self.constant()})"
        return f"({left} {form} {right})"

    def bounded(self, expression):
        # Keeps values small: integers never wrap, floats never overflow.
        return f"({expression}) % 1000" if self.integer else f"min(max({expression}, -1e6), 1e6)"

    def own_statements(self, count):
        """Statements that write only the thread's own slot and read only it."""
        out = []
        for _ in range(count):
            r = self.rng.random()
            if r < 0.35:
                out.append(["line", f"a = {self.bounded(self.expression(False))}"])
            elif r < 0.55:
                out.append(["line", f"b = {self.bounded(self.expression(False))}"])
            elif r < 0.8:
                out.append(["line", f"sm[t] = {self.bounded(self.expression(False))}"])
            elif r < 0.9 and self.uses_local:
                out.append(["line", f"loc[{self.rng.randrange(3)}] = {self.bounded(self.expression(False))}"])
            else:
                condition = self.rng.choice(["t % 2 == 0", "a > b", "i < 7", "x[i] > sm[t]"])
                out.append(["block", f"if {condition}:", self.own_statements(1), None])
        return out

    def read_statements(self, count):
        """Statements that read any slot and write none."""
        out = []
        for _ in range(count):
            r = self.rng.random()
            target = "a" if r < 0.5 else "b"
            if self.integer and r > 0.85:
                out.append(["line", f"cuda.atomic.add(acc, t % 4, {self.bounded(self.expression(True))})"])
            elif r > 0.75:  # the block's extremes: the same whatever the threads' order
                which = self.rng.choice(["max", "min"])
                out.append(["line", f"cuda.atomic.{which}(ext, {int(which == 'min')}, "
                                    f"{self.bounded(self.expression(True))})"])
            else:
                out.append(["line", f"{target} = {self.bounded(self.expression(True))}"])
        return out

    def phase(self):
        rng = self.rng
        kind = rng.choice(["own", "own", "read", "read", "reduce", "loop", "device", "device"])
        if kind == "own":
            done = []
            if self.returns and rng.random() < 0.5:  # the thread is done: later barriers wait for the others
                condition = rng.choice(["t % 3 == 1", "a > b", f"i >= {rng.randint(0, 40)}"])
                done = [["block", f"if {condition}:", [["line", "return"]], None]]
                if rng.random() < 0.5:  # from inside a loop (no barrier in it)
                    condition = rng.choice(["t % 3 == q", "a > b + q", f"i >= {rng.randint(0, 40)} + q"])
                    done = [["block", f"for q in range({rng.randint(1, 3)}):",
                             [["block", f"if {condition}:", [["line", "return"]], None],
                              ["line", f"a = {self.bounded('a + q')}"]], None]]
            return done + self.own_statements(rng.randint(1, 3)) + [_planted("cuda.syncthreads()")]
        if kind == "read":
            return self.read_statements(rng.randint(1, 3)) + [_planted("cuda.syncthreads()")]
        if kind == "reduce":
            step = ["block", "if t < s:", [["line", "sm[t] += sm[t + s]"]], None]
            return [_planted("s = n // 2"),
                    ["block", "while s > 0:", [step, _planted("cuda.syncthreads()"), _planted("s //= 2")], None,
                     "planted"]]
        if kind == "loop" and self.loop_depth == 0:
            self.loop_depth += 1
            body = self.read_statements(rng.randint(1, 2)) + [_planted("cuda.syncthreads()")] + \
                self.own_statements(rng.randint(1, 2)) + [_planted("cuda.syncthreads()")]
            if rng.random() < 0.5:
                self.loop_depth -= 1
                return [["block", f"for k in range({rng.randint(1, 3)}):", body, None, "planted"]]
            # A loop the block leaves when a value every thread reads says so (no thread writes
            # sm[0] between the barriers around the test, so the threads agree).
            leave = ["block", f"if sm[0] {rng.choice(['>', '<', '=='])} {self.constant()}:",
                     [_planted(rng.choice(["break", "continue"]))], None, "planted"]
            body += [_planted("k += 1"),
                     ["block", f"if k >= {rng.randint(1, 4)}:", [_planted("break")], None, "planted"],
                     leave, ["line", f"a = {self.bounded(self.expression(False))}"], _planted("cuda.syncthreads()")]
            self.loop_depth -= 1
            # The barrier after the loop: no thread writes sm[0] before every thread has read it.
            return [_planted("k = 0"), ["block", "while True:", body, None, "planted"], _planted("cuda.syncthreads()")]
        call = rng.choice(["block_total(sm, t)", f"shift_in(sm, t, {self.constant()})",
                           f"guarded_total(sm, t, {self.constant()})"])
        form = rng.choice(["a = {c}", "b = {v} + {c} * 2", "a = sm[t] + {c}", "b = max({c}, {v})", "if {c} > {v}:"])
        text = form.format(c=call, v=self.leaf(False))
        if form.startswith("if"):
            return [["block", text, [["line", f"a = {self.bounded('a + 1')}"]], None, "planted"]]
        return [_planted(self.bounded_assignment(text))]

    def bounded_assignment(self, text):
        target, value = text.split(" = ", 1)
        return f"{target} = {self.bounded(value)}"

    def body(self):
        dtype = "int64" if self.integer else "float64"
        if self.two_dimensional:  # the thread's place in its block, x fastest, as CUDA numbers them
            frame = ["n = cuda.blockDim.x * cuda.blockDim.y", "t = cuda.threadIdx.y * cuda.blockDim.x + cuda.threadIdx.x",
                     "i = cuda.blockIdx.x * n + t"]
        else:
            frame = ["t = cuda.threadIdx.x", "i = cuda.grid(1)", "n = cuda.blockDim.x"]
        out = [_planted(f"sm = cuda.shared.array({{THREADS}}, {dtype})")] + [_planted(line) for line in frame] + [

            _planted(f"a = {self.constant()}"), _planted(f"b = {self.constant()}")]
        if self.uses_view:
            out.append(_planted("tail = x[i:]"))
        if self.uses_local:
            out.append(_planted(f"loc = cuda.local.array(3, {dtype})"))
            out += [_planted(f"loc[{j}] = {self.constant()}") for j in range(3)]
        out += [_planted("sm[t] = x[i]"), _planted("cuda.syncthreads()")]
        for _ in range(self.rng.randint(1, 5)):
            out += self.phase()
        out.append(["line", f"out[i] = {self.bounded(self.expression(True))}"])
        return out


def cuda_case(rng):
    """(params, body, launch note, argument specs) of one kernel."""
    integer = rng.random() < 0.5
    if rng.random() < 0.3:  # a 2-D block
        shape = rng.choice([(2, 2), (4, 3), (8, 4), (3, 5), (16, 4), (1, 6)])
    else:
        shape = (rng.choice([1, 2, 5, 8, 16, 32, 64]),)
    blocks = rng.randint(1, 3)
    body = _Kernel(rng, integer, len(shape) == 2).body()
    n = int(np.prod(shape)) * blocks
    if integer:
        x = [rng.randint(-50, 50) for _ in range(n)]
    else:
        x = [round(rng.uniform(-20, 20), 3) for _ in range(n)]
    note = f"{blocks},{'x'.join(map(str, shape))},{'int64' if integer else 'float64'}"
    return ["x", "out", "acc", "ext"], body, note, x


def block_shape(case):
    """The launch's block: (threads,) or (x threads, y threads)."""
    return tuple(int(n) for n in case.note.split(",")[1].split("x"))


def render(case, render_block):
    body = "\n".join(render_block(case.body, 1)).replace("{THREADS}", str(int(np.prod(block_shape(case)))))
    return (f"import math\n\nimport numpy as np\n\n{IMPORTS}{DEVICE_FUNCTIONS}\n\n"
            f"@cuda.jit\ndef kernel({', '.join(case.params)}):\n{body}\n")


def arguments_of(case):
    """x, out, acc (int64 atomic sums), ext (the atomic max and min), blocks, the block's shape."""
    blocks, _, dtype = case.note.split(",")
    x = np.array(case.args, dtype=dtype)
    ext = np.array([-10**9, 10**9], dtype)
    return x, np.zeros(x.size, dtype), np.zeros(4, np.int64), ext, int(blocks), block_shape(case)


def judge(case, path, module, refused=None):
    """The verdict on one cuda case whose source is at `path`, imported as `module` (or, where
    importing it raised a numjit error, `refused`: that Outcome)."""
    import numjit
    from tests.fuzz import cuda_reference, oracle

    with open(path) as f:
        source = f.read()
    x, out, acc, ext, blocks, threads = arguments_of(case)
    compiled = refused
    if compiled is None:
        try:
            module.kernel[blocks, threads](x, out, acc, ext)
            compiled = oracle.Outcome(value=(out, acc))
        except Exception as exc:  # noqa: BLE001 - every failure is a verdict
            compiled = oracle.Outcome(error=exc)
    x2, out2, acc2, ext2, _, _ = arguments_of(case)
    reference = cuda_reference.run(source, path, IMPORTS, (x2, out2, acc2, ext2), blocks, threads)
    if reference.error is not None:
        return {"category": "harness-error", "leak": 0, "detail": f"the reference {reference.describe()}"}
    if isinstance(compiled.error, numjit.errors.NumjitError):
        category = "rejected" if isinstance(compiled.error, numjit.errors.TypingError) else "internal-error"
        return {"category": category, "leak": 0, "detail": f"numjit: {compiled.describe()}"}
    if compiled.error is not None:
        return {"category": "wrong-exception", "leak": 0,
                "detail": f"numjit: {compiled.describe()}\nPython threads: {reference.describe()}"}
    for name, got, want in (("out", out, out2), ("acc", acc, acc2), ("ext", ext, ext2)):
        if not np.array_equal(got, want):
            where = np.flatnonzero(got != want)[:5]
            return {"category": "mismatch", "leak": 0,
                    "detail": f"{name} differs at {where.tolist()}: numjit {got[where].tolist()}, "
                              f"Python threads {want[where].tolist()} ({blocks} blocks of {threads})"}
    problem = _assembled(module.kernel, case)
    if problem:
        return {"category": "ptx-refused", "leak": 0, "detail": problem}
    return {"category": "ok", "leak": 0, "detail": ""}


def _assembled(kernel, case):
    """None if the kernel's PTX assembles (or ptxas is absent), else what went wrong."""
    from numjit import cuda

    dtype = case.note.split(",")[2]
    try:
        ptx, _ = cuda.compile_ptx(kernel, f"void({dtype}[:], {dtype}[:], int64[:], {dtype}[:])")
    except Exception as exc:  # noqa: BLE001
        return f"compile_ptx failed: {type(exc).__name__}: {exc}"
    if not os.path.exists(PTXAS):
        return None
    with tempfile.TemporaryDirectory(prefix="numjit-fuzz-ptx-") as folder:
        source = os.path.join(folder, "kernel.ptx")
        with open(source, "w") as f:
            f.write(ptx)
        done = subprocess.run([PTXAS, "--gpu-name", "sm_90", source, "-o", os.path.join(folder, "k.cubin")],
                              capture_output=True, text=True)
    return None if done.returncode == 0 else f"ptxas refused the PTX: {done.stderr[:600]}"


REPRODUCER = '''"""numjit fuzz reproducer: {category} (cuda family).

From seed {seed}, case {index} ({blocks} blocks of {threads} threads, {dtype}); the
unshrunk case is rerun by: python -m tests.fuzz --family cuda --seed {seed} --only {index}

The fuzzer's verdict:
{detail}
"""
{source}

X = {x!r}

if __name__ == "__main__":
    import sys
    sys.path.insert(0, {repo!r})
    from tests.fuzz import cuda_family, cuda_reference
    from tests.fuzz.cases import Case
    case = Case({seed}, {index}, "cuda", "run", ["x", "out", "acc", "ext"], [], [], X, note={note!r})
    x, out, acc, ext, blocks, threads = cuda_family.arguments_of(case)
    kernel[blocks, threads](x, out, acc, ext)
    print("numjit         out", out.tolist(), "acc", acc.tolist(), "ext", ext.tolist())
    x, out, acc, ext, blocks, threads = cuda_family.arguments_of(case)
    with open(__file__) as f:
        cuda_reference.run(f.read(), __file__, cuda_family.IMPORTS, (x, out, acc, ext), blocks, threads)
    print("Python threads out", out.tolist(), "acc", acc.tolist(), "ext", ext.tolist())
'''


def reproducer(case, category, detail, source, repo):
    """A standalone script that runs the case both ways (repro.py writes it)."""
    blocks, threads, dtype = case.note.split(",")
    return REPRODUCER.format(category=category, seed=case.seed, index=case.index, blocks=blocks, threads=threads,
                             dtype=dtype, detail=detail, source=source.rstrip("\n"), x=case.args, repo=repo,
                             note=case.note)
