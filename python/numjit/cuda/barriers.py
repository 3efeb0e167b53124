"""Kernels with cuda.syncthreads(): the block's threads run in phases.

Without a GPU, the threads of a block run one after another, and a barrier
means: every thread finishes the code before it before any thread starts
the code after it. So the kernel's body (the thread function's syntax tree,
after rewrite.py) is cut at each barrier into phases, and the launcher runs
each phase as a loop over the block's threads:

    for b in prange(blocks):
        <the block's shared memory and per-thread storage>
        for t in range(threads): <phase 1 for thread t>
        for t in range(threads): <phase 2 for thread t>
        ...

A barrier inside `if`, `while` or `for v in range(...)` cuts that statement
instead: CUDA requires such control flow to be the same for every thread of
the block, so its condition (or range) is evaluated once per block, and
each branch or iteration is cut in turn. Where the condition is not uniform
by construction (uniform.py), every running thread evaluates it and the
launch raises RuntimeError if two disagree (a GPU would hang or race).

A local variable used in more than one phase keeps one value per thread: it
becomes an array indexed by the thread (its dtype from a first compile of
the thread function, kernels.py). A cuda.local.array of a constant shape
kept across phases is a row of a block's array of one row per thread.
Shared arrays are the same for every thread and are made once per block. A
thread that returns is marked done and takes part in no later phase, as an
exited thread on a GPU. A `break` or `continue` of a loop with a barrier
inside, in code every thread runs, marks the thread as leaving; once the
threads have run that code, they must all agree (as on a GPU, where a
thread that left a loop would miss the barrier the others wait at), and the
block leaves the loop or goes on with its next iteration together.
"""
import ast
import copy
import re

from .. import errors
from . import loop_returns
from .intrinsics import SHARED_MEMORY_SLOT
from .rewrite import CONTEXT
from .uniform import Uniformity

# Type names of the typed HIR that a per-thread storage array can hold, and the NumPy name of its dtype.
_DTYPES = {name: name for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                                   "float32", "float64", "complex64", "complex128")}
_DTYPES["bool"] = "bool_"
_LOCAL = re.compile(r"^  ([A-Za-z_][A-Za-z_0-9]*): (.+?)(  \(argument\))?$")
_ARRAY_TYPE = re.compile(r"^array\((\w+), \d+d, C\)$")

THREAD, THREADS, DONE, LEAVING = "__nj_t", "__nj_n", "__nj_done", "__nj_leaving"
_LEAVE_CODE = {ast.Break: 1, ast.Continue: 2}  # a thread's mark in LEAVING (0: it stays)


def local_types(typed_hir):
    """{local name: type name} from a compiled function's typed HIR text."""
    lines = typed_hir.splitlines()
    found = {}
    for line in lines[lines.index("locals:") + 1:] if "locals:" in lines else ():
        match = _LOCAL.match(line)
        if not match:
            break
        found[match.group(1)] = match.group(2)
    return found


def is_barrier(statement):
    return isinstance(statement, ast.Expr) and getattr(statement.value, "numjit_barrier", False)


def has_barrier(node):
    return any(getattr(n, "numjit_barrier", False) for n in ast.walk(node))


class _Phase:
    def __init__(self, statements):
        self.statements = statements


class _Structured:
    """An if, while or range loop with a barrier inside: `parts` are the split bodies."""

    def __init__(self, node, parts):
        self.node, self.parts = node, parts


def _template(text, where, **bodies):
    """Statements parsed from `text`, at `where`'s position; a statement that
    is a bare NAME of `bodies` is replaced by the statements bodies[NAME]."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if hasattr(node, "lineno"):
            ast.copy_location(node, where)
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            statements = getattr(node, field, None)
            if isinstance(statements, list):
                replaced = []
                for statement in statements:
                    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Name) and \
                            statement.value.id in bodies:
                        replaced.extend(bodies[statement.value.id] or [ast.copy_location(ast.Pass(), where)])
                    else:
                        replaced.append(statement)
                setattr(node, field, replaced)
    return tree.body


class _PerThread(ast.NodeTransformer):
    """Reads and writes of per-thread locals become their storage, indexed by the thread.
    The statements that made per-thread local arrays go: their rows are made per block."""

    def __init__(self, names):
        self.names = names

    def visit_Assign(self, node):
        if getattr(node, "numjit_local_row", False):
            return ast.copy_location(ast.Pass(), node)
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id not in self.names:
            return node
        storage = ast.copy_location(ast.Name(f"__nj_pt_{node.id}", ast.Load()), node)
        return ast.copy_location(ast.Subscript(storage, ast.Name(THREAD, ast.Load()), node.ctx), node)


def _loose_jumps(statements):
    """The break and continue statements among `statements` that no loop among them encloses (a
    loop's `else` clause is outside it: a jump there leaves the loop around the loop)."""
    for statement in statements:
        if isinstance(statement, (ast.Break, ast.Continue)):
            yield statement
        elif isinstance(statement, (ast.For, ast.While)):
            yield from _loose_jumps(statement.orelse)
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for field in ("body", "orelse", "handlers", "finalbody"):
                yield from _loose_jumps(getattr(statement, field, []) or [])
            for case in getattr(statement, "cases", []) or []:
                yield from _loose_jumps(case.body)


def _reads_shared_slot(node):
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == CONTEXT and \
        isinstance(node.slice, ast.Constant) and node.slice.value == SHARED_MEMORY_SLOT


class _SharedMemoryByName(ast.NodeTransformer):
    def visit_Subscript(self, node):
        if _reads_shared_slot(node):
            return ast.copy_location(ast.Name("__nj_shared", ast.Load()), node)
        return self.generic_visit(node)


class LauncherBuilder:
    """The launcher of a kernel with barriers, from its thread function's tree."""

    def __init__(self, thread_def, types, error_at):
        self.thread_def = copy.deepcopy(thread_def)
        self.first_use = {}  # for errors: the per-thread storage rewrite replaces the names
        for node in ast.walk(self.thread_def):
            if isinstance(node, ast.Name):
                self.first_use.setdefault(node.id, node)
        self.params = [a.arg for a in self.thread_def.args.args if a.arg != CONTEXT]
        self.types, self.error_at = types, error_at
        self.counter = 0

    # ---- cutting the body ----------------------------------------------------

    def split(self, statements):
        parts, current = [], []
        for statement in statements:
            if is_barrier(statement):
                parts.append(_Phase(current))
                current = []
            elif has_barrier(statement):
                parts.append(_Phase(current))
                current = []
                parts.append(self.structured(statement))
            else:
                current.append(statement)
        parts.append(_Phase(current))
        return parts

    def structured(self, node):
        if isinstance(node, ast.If):
            return _Structured(node, [self.split(node.body), self.split(node.orelse)])
        if isinstance(node, ast.While) and not node.orelse:
            return _Structured(node, [self.split(node.body)])
        if isinstance(node, ast.For) and not node.orelse and isinstance(node.target, ast.Name) and \
                isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Name) and \
                node.iter.func.id == "range" and not node.iter.keywords:
            return _Structured(node, [self.split(node.body)])
        raise self.error_at(node, "cuda.syncthreads() may sit in the kernel's body or inside if, while and "
                                  "`for ... in range(...)` statements, not in this one", errors.UnsupportedError)

    # ---- which locals live across phases ---------------------------------------

    def units(self, parts):
        """The code evaluated as one unit for each thread: each phase, each condition and range."""
        for part in parts:
            if isinstance(part, _Phase):
                yield part.statements
            else:
                node = part.node
                yield [node.test] if not isinstance(node, ast.For) else [node.iter]
                for sub in part.parts:
                    yield from self.units(sub)

    def loops(self, parts):
        """The `for` statements with barriers inside."""
        for part in parts:
            if isinstance(part, _Structured):
                if isinstance(part.node, ast.For):
                    yield part.node
                for sub in part.parts:
                    yield from self.loops(sub)

    def phase_statements(self, parts):
        for part in parts:
            if isinstance(part, _Phase):
                yield from part.statements
            else:
                for sub in part.parts:
                    yield from self.phase_statements(sub)

    def per_thread_locals(self, parts):
        seen = {}
        for index, unit in enumerate(self.units(parts)):
            for node in unit:
                for name in ast.walk(node):
                    if isinstance(name, ast.Name) and name.id in self.types and name.id != CONTEXT:
                        seen.setdefault(name.id, set()).add(index)
        crossing = {name for name, units in seen.items() if len(units) > 1} | {f.target.id for f in self.loops(parts)}
        assigned = {n.id for n in ast.walk(self.thread_def) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        return ({name for name in crossing if name in assigned or name not in self.params} - self.uniform.names -
                set(self.uniform.recomputable))

    def hoisted_shared_arrays(self, parts):
        """The statements `name = cuda.shared.array(...)`, taken out of the phases to run once per block
        (for names nothing else assigns)."""
        stores = {}
        for node in ast.walk(self.thread_def):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                stores[node.id] = stores.get(node.id, 0) + 1
        hoisted = []
        for part in parts:
            if not isinstance(part, _Phase):
                continue
            kept = []
            for statement in part.statements:
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                        isinstance(statement.targets[0], ast.Name) and stores[statement.targets[0].id] == 1 and \
                        getattr(statement.value, "numjit_shared_array", False):
                    hoisted.append(statement)
                else:
                    kept.append(statement)
            part.statements = kept
        return hoisted

    # ---- writing the launcher ----------------------------------------------------

    def fresh(self, what):
        self.counter += 1
        return f"__nj_{what}_{self.counter}"

    def context(self, where, x, y, z):
        """The thread's context, for the thread at (x, y, z) of the block."""
        shared = "__nj_shared" if self.context_holds_shared else "0"  # 0: a place holder no code reads
        return _template(f"{CONTEXT} = ({x}, {y}, {z}, __nj_bx, __nj_by, __nj_bz, __nj_nx, __nj_ny, __nj_nz, "
                         f"__nj_gx, __nj_gy, __nj_gz, {shared}, __nj_dynamic_bytes)\n", where)

    def thread_setup(self, where):
        """The context of thread THREAD (a division per axis: for the few threads that evaluate a condition)."""
        return self.context(where, f"{THREAD} % __nj_nx", f"({THREAD} // __nj_nx) % __nj_ny",
                            f"{THREAD} // (__nj_nx * __nj_ny)")

    def recomputed_for(self, body):
        """The definitions of the recomputable locals `body` reads (and not itself assigns), in order."""
        used = {n.id for s in body for n in ast.walk(s) if isinstance(n, ast.Name)}
        again = []
        for name, definition in reversed(list(self.uniform.recomputable.items())):  # later ones may use earlier
            if name in used and not any(s is definition for s in body):
                again.insert(0, copy.deepcopy(definition))
                used |= {n.id for n in ast.walk(definition.value) if isinstance(n, ast.Name)}
        return again

    def every_thread(self, where, body):
        """A loop over the block's threads, x fastest, running `body` for each not done (after
        computing again the recomputable locals it uses)."""
        again = self.recomputed_for(body)
        skip_done = f"if {DONE}[{THREAD}]:\n                continue\n            " if self.returns else ""
        return _template(
            "for __nj_tz in range(__nj_nz):\n    for __nj_ty in range(__nj_ny):\n        for __nj_tx in range(__nj_nx):\n"
            f"            {THREAD} = (__nj_tz * __nj_ny + __nj_ty) * __nj_nx + __nj_tx\n"
            f"            {skip_done}SETUP\n            AGAIN\n            BODY\n", where,
            SETUP=self.context(where, "__nj_tx", "__nj_ty", "__nj_tz"), AGAIN=again, BODY=body)

    def exit_marks(self, statement):
        """The statements a `return`, `break` or `continue` of a thread becomes (it is done, or
        leaving the loop), or None for any other statement."""
        if isinstance(statement, ast.Return):
            if statement.value is not None and not (isinstance(statement.value, ast.Constant) and
                                                    statement.value.value is None):
                raise self.error_at(statement, "a CUDA kernel returns nothing (write results into an array)")
            return _template(f"{DONE}[{THREAD}] = True\n", statement)
        if isinstance(statement, (ast.Break, ast.Continue)):
            return _template(f"{LEAVING}[{THREAD}] = {_LEAVE_CODE[type(statement)]}\n", statement)
        return None

    def without_exits(self, statements):
        """A thread's statements where `return` marks it done, and a `break` or `continue` of the
        loop with a barrier marks it leaving, and skips what follows."""
        out = []
        for k, statement in enumerate(statements):
            marks = self.exit_marks(statement)
            if marks is not None:
                out.extend(marks)
                return out
            jump = next(_loose_jumps([statement]), None)
            ret = next((n for n in ast.walk(statement) if isinstance(n, ast.Return)), None)
            if jump is None and ret is None:
                out.append(statement)
                continue
            rest = statements[k + 1:]
            if isinstance(statement, (ast.For, ast.While)) and jump is not None:
                raise self.error_at(jump, f"a {type(jump).__name__.lower()} in a loop's else clause, in a kernel "
                                          "with cuda.syncthreads(), is not supported yet", errors.UnsupportedError)
            if isinstance(statement, (ast.For, ast.While)):
                # A return inside a loop without a barrier: the thread is done and breaks out of
                # every loop around it; the code after the loop runs only where it did not.
                statement.body = self.break_on_return(statement)
                out.append(statement)
                out.extend(_template(f"if not {DONE}[{THREAD}]:\n    REST\n", statement,
                                     REST=self.without_exits(copy.deepcopy(rest))))
                return out
            if not isinstance(statement, ast.If):
                raise self.error_at(ret or jump, f"a {type(ret or jump).__name__.lower()} in a kernel with "
                                                 "cuda.syncthreads() may sit in if statements and loops, not in "
                                                 "this one", errors.UnsupportedError)
            statement.body = self.without_exits(statement.body + copy.deepcopy(rest))
            statement.orelse = self.without_exits(statement.orelse + copy.deepcopy(rest))
            out.append(statement)
            return out
        return out

    def break_on_return(self, loop):
        """The body of a loop without a barrier where a return marks the thread done and breaks out
        of the loop, and of each loop around it."""
        def refuse(node, what):
            if what == "else":
                raise self.error_at(node, "a return in a loop's else clause, in a kernel with cuda.syncthreads(), "
                                          "is not supported yet", errors.UnsupportedError)
            raise self.error_at(node, "a return in a kernel with cuda.syncthreads() may sit in if statements and "
                                      "loops, not in this one", errors.UnsupportedError)

        def done():
            return ast.Subscript(ast.Name(DONE, ast.Load()), ast.Name(THREAD, ast.Load()), ast.Load())

        return loop_returns.breaking_out(loop, self.exit_marks, done, refuse)

    def leave_together(self, where):
        """After a run of code in which threads may have marked themselves leaving the loop: the
        block breaks or continues the loop if every running thread did, and raises RuntimeError
        where some did and others did not, or one broke where another continued."""
        decision = self.fresh("leaving")
        value = ast.copy_location(ast.Subscript(ast.Name(LEAVING, ast.Load()), ast.Name(THREAD, ast.Load()),
                                                ast.Load()), where)
        what = f"{type(where).__name__.lower()} (whether the threads leave the loop)"
        # Where every thread of the block is done, the block leaves the loop: nothing would run in it.
        return self.agreed_by_running_threads(decision, value, where, what, if_none_runs="1") + _template(
            f"{LEAVING}[:] = 0\nif {decision} == 1:\n    break\nelif {decision} == 2:\n    continue\n", where)

    def agreed_by_running_threads(self, target, value, where, what, if_none_runs="False"):
        """Statements setting `target` to `value` (at `where`, the `what` of a statement with a barrier
        inside) as every thread not done computes it, or raising RuntimeError where two of them
        differ: CUDA requires the control flow around a barrier to be the same for every thread of
        the block (on a GPU, threads that disagree hang or race). Where every thread is done, it is
        `if_none_runs` (False: a condition, so the block's loops end)."""
        message = str(self.error_at(where, f"the threads of a block disagree on this {what}, with "
                                           "cuda.syncthreads() inside: CUDA requires it to be the same for every "
                                           "thread of the block", RuntimeError))
        mismatch = ast.copy_location(ast.Raise(ast.Call(ast.Name("RuntimeError", ast.Load()),
                                                        [ast.Constant(message)], []), None), where)
        seen, value_name = self.fresh("seen"), self.fresh("value")
        assign = ast.copy_location(ast.Assign([ast.Name(value_name, ast.Store())], value), where)
        return _template(f"{target} = {if_none_runs}\n{seen} = False\n", where) + _template(
            f"for {THREAD} in range({THREADS}):\n    if not {DONE}[{THREAD}]:\n        SETUP\n        VALUE\n"
            f"        if not {seen}:\n            {target} = {value_name}\n            {seen} = True\n"
            f"        elif {value_name} != {target}:\n            MISMATCH\n", where,
            SETUP=self.thread_setup(where) + self.recomputed_for([assign]), VALUE=[assign], MISMATCH=[mismatch])

    def emit(self, parts, per_thread):
        out = []
        for part in parts:
            if isinstance(part, _Phase):
                out.extend(self.phase(part.statements, per_thread))
                continue
            node = part.node
            if isinstance(node, ast.For):
                out.extend(self.range_loop(node, part.parts[0], per_thread))
                continue
            condition = self.fresh("condition")
            test = ast.copy_location(ast.Call(ast.Name("bool", ast.Load()), [node.test], []), node.test)
            if self.uniform.expression(node.test):
                evaluate = [ast.copy_location(ast.Assign([ast.Name(condition, ast.Store())], test), node)]
            else:
                evaluate = self.agreed_by_running_threads(condition, per_thread.visit(test), node.test,
                                                          f"{type(node).__name__.lower()} condition")
            if isinstance(node, ast.If):
                out.extend(evaluate)
                out.extend(_template(f"if {condition}:\n    BODY\nelse:\n    ORELSE\n", node,
                                     BODY=self.emit(part.parts[0], per_thread),
                                     ORELSE=self.emit(part.parts[1], per_thread)))
            else:
                out.extend(_template(f"while True:\n    ALL_DONE\n    EVALUATE\n    if not {condition}:\n"
                                     "        break\n    BODY\n", node, ALL_DONE=self.all_done(node),
                                     EVALUATE=evaluate, BODY=self.emit(part.parts[0], per_thread)))
        return out

    def phase(self, statements, per_thread):
        """A phase: its uniform statements once (a `break` among them leaves the kernel's loop
        directly), the runs of others between them for every thread."""
        out, run = [], []
        for statement in statements + [None]:
            if statement is not None and not self.uniform.statement(statement):
                run.append(statement)
                continue
            if run:
                jump = next(_loose_jumps(run), None)
                body = [per_thread.visit(s) for s in self.without_exits(run)]
                out.extend(self.every_thread(run[0], body))
                if jump is not None:  # in the loop over the block's threads it would leave that loop
                    self.leaves = True
                    out.extend(self.leave_together(jump))
                run = []
            if statement is not None:
                out.append(statement)
        return out

    def all_done(self, where):
        """At the top of each round of a loop with a barrier, in a kernel whose threads may return:
        leave it once every thread of the block has (a uniform condition such as `while True`
        would otherwise go round for ever, where a GPU's block has ended)."""
        return _template(f"if {DONE}.all():\n    break\n", where) if self.returns else []

    def range_loop(self, node, body, per_thread):
        if node.target.id in self.uniform.names:  # the same counter in every thread: the loop itself
            loop = ast.copy_location(ast.For(node.target, node.iter, [], [], None), node)
            loop.body = self.all_done(node) + self.emit(body, per_thread) or [ast.copy_location(ast.Pass(), node)]
            return [loop]
        bounds = [self.fresh("bound") for _ in node.iter.args]
        evaluate = []
        for name, argument in zip(bounds, node.iter.args):
            evaluate.extend(self.agreed_by_running_threads(name, per_thread.visit(argument), argument,
                                                           "loop's range"))
        counter = self.fresh("iteration")
        storage = f"__nj_pt_{node.target.id}"
        return evaluate + _template(
            f"for {counter} in range({', '.join(bounds)}):\n    ALL_DONE\n    for {THREAD} in range({THREADS}):\n"
            f"        {storage}[{THREAD}] = {counter}\n    BODY\n", node, ALL_DONE=self.all_done(node),
            BODY=self.emit(body, per_thread))

    def local_array_rows(self, names):
        """{name: (shape, dtype)} of the per-thread locals that are cuda.local.array of a constant
        shape, each made by one statement (which is marked to go: see _PerThread)."""
        stores, made = {}, {}
        for node in ast.walk(self.thread_def):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                stores[node.id] = stores.get(node.id, 0) + 1
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and getattr(node.value, "numjit_local_shape", None) is not None:
                made[node.targets[0].id] = node
        rows = {}
        for name in names:
            match = _ARRAY_TYPE.match(self.types.get(name, ""))
            if name in made and stores.get(name) == 1 and match and match.group(1) in _DTYPES:
                made[name].numjit_local_row = True
                rows[name] = (made[name].value.numjit_local_shape, _DTYPES[match.group(1)])
        return rows

    def storage(self, names, where):
        made = []
        for name in sorted(names):
            if name in self.rows:  # a thread's local array: a row of a block's array
                shape, dtype = self.rows[name]
                made.extend(_template(f"__nj_pt_{name} = __nj_np.empty(({THREADS},) + {shape!r}, "
                                      f"__nj_np.{dtype})\n", where))
                continue
            type_name = self.types.get(name, "")
            dtype = _DTYPES.get(type_name)
            if dtype is None:
                raise self.error_at(self.first_use[name], f"{name} ({type_name}) lives across cuda.syncthreads(): numjit keeps "
                                         "numbers, booleans and cuda.local.array of a constant shape per thread "
                                         "there, and shared arrays per block, not this type yet",
                                    errors.UnsupportedError)
            made.extend(_template(f"__nj_pt_{name} = __nj_np.zeros({THREADS}, __nj_np.{dtype})\n", where))
            if name in self.params:  # a parameter the kernel reassigns starts as the argument in every thread
                made.extend(_template(f"__nj_pt_{name}[:] = {name}\n", where))
        return made

    def build(self):
        where = self.thread_def
        parts = self.split(self.thread_def.body)
        outermost = [s for part in parts if isinstance(part, _Phase) for s in part.statements]
        self.uniform = Uniformity(self.thread_def, self.types, self.params, list(self.phase_statements(parts)),
                                  list(self.loops(parts)), outermost)
        self.returns = any(isinstance(n, ast.Return) for n in ast.walk(self.thread_def))
        self.leaves = False  # set by phase(): a thread may leave a loop with a barrier
        per_thread_names = self.per_thread_locals(parts)
        shared = self.hoisted_shared_arrays(parts)
        for statement in shared:  # made once per block, from the block's memory itself
            statement.value = _SharedMemoryByName().visit(statement.value)
        # The context holds the shared memory only where code still reads it there (a shared
        # array made inside control flow, a device function): an array in a tuple made for every
        # thread costs a reference count each time.
        self.context_holds_shared = any(
            _reads_shared_slot(node) or (isinstance(node, ast.Call) and any(
                isinstance(a, ast.Name) and a.id == CONTEXT for a in node.args))
            for part in parts if isinstance(part, _Phase) for s in part.statements for node in ast.walk(s)) or any(
            _reads_shared_slot(node) for unit in self.units(parts) for s in unit for node in ast.walk(s))
        per_thread_names -= {s.targets[0].id for s in shared}
        self.rows = self.local_array_rows(per_thread_names)
        per_thread = _PerThread(per_thread_names)
        body = self.emit(parts, per_thread)
        for node in ast.walk(ast.Module(body=body, type_ignores=[])):
            if getattr(node, "numjit_barrier", False):
                raise self.error_at(node, "cuda.syncthreads() must be a statement of its own")
        block = _template(
            "__nj_shared = __nj_np.empty(__nj_shared_bytes, __nj_np.uint8)\n"
            "__nj_bz = __nj_b // (__nj_gx * __nj_gy)\n"
            "__nj_rest = __nj_b - __nj_bz * (__nj_gx * __nj_gy)\n"
            "__nj_by = __nj_rest // __nj_gx\n"
            "__nj_bx = __nj_rest - __nj_by * __nj_gx\n"
            f"{DONE} = __nj_np.zeros({THREADS}, __nj_np.bool_)\n"
            f"{THREAD} = 0\n", where) + self.thread_setup(where) + shared + self.storage(per_thread_names, where)
        if self.leaves:
            block += _template(f"{LEAVING} = __nj_np.zeros({THREADS}, __nj_np.int8)\n", where)
        params = ", ".join(self.params)
        launcher = _template(
            f"def __numjit_cuda_launch(__nj_griddim, __nj_blockdim, __nj_shared_bytes, __nj_dynamic_bytes"
            f"{', ' if params else ''}"
            f"{params}):\n"
            "    __nj_gx, __nj_gy, __nj_gz = __nj_griddim\n"
            "    __nj_nx, __nj_ny, __nj_nz = __nj_blockdim\n"
            f"    {THREADS} = __nj_nx * __nj_ny * __nj_nz\n"
            "    for __nj_b in __nj_prange(__nj_gx * __nj_gy * __nj_gz):\n"
            "        BLOCK\n        BODY\n", where, BLOCK=block, BODY=body)[0]
        ast.fix_missing_locations(launcher)
        return launcher
