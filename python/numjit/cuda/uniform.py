"""Which locals of a kernel with barriers hold the same value in every thread.

In a reduction such as

    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s: sm[tid] += sm[tid + s]
        cuda.syncthreads()
        s //= 2

`s` is the same in every thread of the block. barriers.py computes such a
local once per block instead of once per thread, and evaluates conditions on
it without visiting a thread: the phases that remain are only the code that
depends on the thread. A local is uniform when every assignment to it is a
statement of a phase's own (not inside thread-dependent control flow) or the
counter of a loop CUDA requires uniform (one with a barrier inside), and
assigns an expression of uniform values: constants, uniform locals,
parameters the kernel never reassigns, globals, the block's position and the
grid's sizes (not threadIdx), array shapes, and pure builtins of them. Memory
reads are never uniform: another thread may write between two reads.
"""
import ast

from .rewrite import CONTEXT

# blockIdx, blockDim, gridDim (intrinsics.CONTEXT_FIELDS) and the dynamic shared memory's size
_BLOCK_SLOTS = set(range(3, 12)) | {13}
_PURE_BUILTINS = {"min", "max", "abs", "int", "float", "bool", "len", "round"}
_ARRAY_ATTRIBUTES = {"shape", "size", "ndim"}
_MATH_MODULES = {"math", "cmath"}


def assigned_name(statement):
    """The local a statement of its own assigns (`v = ...`, `v op= ...`), or None."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    return None


class Uniformity:
    def __init__(self, function_def, local_names, params, top_statements, loop_targets, outermost_statements):
        """`top_statements`: the statements phases hold directly; `loop_targets`: the For nodes of
        loops with barriers inside; `outermost_statements`: those of phases not inside any such
        loop or if (each runs once per thread)."""
        self.locals = set(local_names)
        self.types = local_names  # name -> the type's text (barriers.local_types)
        stores = {}
        for node in ast.walk(function_def):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                stores.setdefault(node.id, []).append(node)
        allowed, self.definitions = set(), {}
        for statement in top_statements:
            name = assigned_name(statement)
            if name is not None:
                target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
                allowed.add(id(target))
                self.definitions.setdefault(name, []).append(statement)
        for loop in loop_targets:
            allowed.add(id(loop.target))
            self.definitions.setdefault(loop.target.id, []).append(loop)
        candidates = {name for name in self.locals if name != CONTEXT and
                      all(id(node) in allowed for node in stores.get(name, []))}
        candidates |= {p for p in params if p not in stores}
        self.names = candidates
        self.recomputable = self.recomputable_locals(stores, outermost_statements, params)
        changed = True
        while changed:  # drop locals that depend on ones found not uniform, until none changes
            changed = False
            for name in sorted(self.names):
                if not all(self.defines_uniformly(d) for d in self.definitions.get(name, [])):
                    self.names.discard(name)
                    changed = True

    def recomputable_locals(self, stores, outermost_statements, params):
        """{name: its definition} for locals a thread could compute again from its position at any
        later point (`tid = cuda.threadIdx.x`, `i = cuda.grid(1)`): assigned once, by a statement
        that runs once per thread, from values that never change (constants, globals, parameters
        never reassigned, the context, other such locals). barriers.py recomputes them where used
        instead of keeping them per thread."""
        found = {}
        fixed = {p for p in params if p not in stores}
        shared = self.shared_arrays(outermost_statements, stores)
        for statement in outermost_statements:
            name = assigned_name(statement)
            if name is None or not isinstance(statement, ast.Assign) or len(stores.get(name, [])) != 1:
                continue
            allowed = fixed | set(found)
            if self.is_array(name):
                if self.fixed_view(statement.value, allowed | shared):
                    found[name] = statement
            elif all(self.fixed_operand(node, allowed) for node in ast.walk(statement.value)):
                found[name] = statement
        return found

    def is_array(self, name):
        return self.types.get(name, "").startswith("array(")

    @staticmethod
    def shared_arrays(statements, stores):
        """Locals that hold a block's shared array (`sm = cuda.shared.array(...)`, assigned once)."""
        return {s.targets[0].id for s in statements
                if getattr(getattr(s, "value", None), "numjit_shared_array", False) and
                isinstance(s, ast.Assign) and len(stores.get(s.targets[0].id, [])) == 1}

    def fixed_view(self, node, allowed):
        """Whether `node` is a view (basic indexing, .T, .real, .imag) of an array that never changes
        (a parameter, a shared array, another such view) at indices that never change: the same
        view in every phase, so computed again where used. An index that is an array (a copy, not
        a view) or a memory read is not fixed; nor is a name the types do not know (a global)."""
        if isinstance(node, ast.Name):
            return node.id in allowed and self.is_array(node.id)
        if isinstance(node, ast.Attribute):
            return node.attr in ("T", "real", "imag") and self.fixed_view(node.value, allowed)
        if isinstance(node, ast.Subscript):
            index_names = [n.id for n in ast.walk(node.slice) if isinstance(n, ast.Name) and n.id != CONTEXT]
            return self.fixed_view(node.value, allowed) and \
                all(n in self.types and not self.is_array(n) for n in index_names) and \
                all(self.fixed_operand(n, allowed) for n in ast.walk(node.slice))
        return False

    def fixed_operand(self, node, allowed):
        if isinstance(node, ast.Name):
            return node.id == CONTEXT or node.id in allowed or node.id not in self.locals
        if isinstance(node, ast.Subscript):  # only the context's slots: memory may change
            return isinstance(node.value, ast.Name) and node.value.id == CONTEXT and isinstance(node.slice, ast.Constant)
        if isinstance(node, ast.Call):
            return isinstance(node.func, ast.Name) and node.func.id in _PURE_BUILTINS
        return not isinstance(node, (ast.NamedExpr, ast.Lambda, ast.Await, ast.Yield))

    def defines_uniformly(self, definition):
        if isinstance(definition, ast.For):
            return all(self.expression(a) for a in definition.iter.args)
        return self.expression(definition.value)

    def statement(self, statement):
        """Whether a phase's own statement assigns a uniform local (and so runs once per block)."""
        name = assigned_name(statement)
        return name is not None and name in self.names

    def expression(self, node):
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.names if node.id in self.locals or node.id == CONTEXT else True
        if isinstance(node, ast.Subscript):
            return isinstance(node.value, ast.Name) and node.value.id == CONTEXT and \
                isinstance(node.slice, ast.Constant) and node.slice.value in _BLOCK_SLOTS
        if isinstance(node, ast.Attribute):
            if node.attr in _ARRAY_ATTRIBUTES:
                return self.expression(node.value)
            return isinstance(node.value, ast.Name) and node.value.id not in self.locals  # a module's constant
        if isinstance(node, ast.Call):
            func = node.func
            pure = (isinstance(func, ast.Name) and func.id in _PURE_BUILTINS and func.id not in self.locals) or \
                (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and
                 func.value.id in _MATH_MODULES and func.value.id not in self.locals)
            return pure and not node.keywords and all(self.expression(a) for a in node.args)
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Tuple)):
            return all(self.expression(child) for child in ast.iter_child_nodes(node)
                       if not isinstance(child, (ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.expr_context)))
        return False
