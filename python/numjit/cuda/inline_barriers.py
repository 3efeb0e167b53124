"""Device functions with cuda.syncthreads(), inlined into their kernel on the CPU.

Without a GPU, a kernel with barriers runs as phases, each a loop over the
block's threads (barriers.py), so every barrier must be a statement of the
kernel itself. Before the thread rewrite, a call of a device function with a
barrier (its own, or one in a device function it calls) is replaced by the
device function's body:

    total = block_reduce(sm, tid)    ->   __nj_dev1_s = cuda.blockDim.x // 2
                                          while __nj_dev1_s > 0:
                                              if tid < __nj_dev1_s: ...
                                              cuda.syncthreads()
                                              ...
                                          total = sm[0]

* The call is a statement of its own: `f(...)`, `x = f(...)` or `x += f(...)`.
  A call inside an expression is first lifted into an assignment of its own,
  in Python's order of evaluation (hoist_barrier_calls.py).
* Its locals are renamed apart (`__nj_devN_name`). A parameter the body never
  assigns is replaced by its argument where that is a name or a constant (so
  a shared array passed in stays the kernel's, made once per block); others
  are bound once, before the body, as a call would.
* The names it reads from its own module or closure become closure values of
  the kernel, so it may live in another module.
* A `return` inside an `if` takes the statements after the `if` into the
  branches that do not return (where those hold a barrier, the `if`'s
  condition must be the same for every thread, as CUDA requires; the
  launch checks it). A `return` inside a loop sets a flag and breaks out of
  each loop around it; the code after the loop runs where the flag is not
  set. A value returned from inside a loop without a barrier is refused
  for now.
* Every inlined node takes the call's position, so an error inside it points
  at the call in the kernel's source.

On the GPU the device function is compiled as itself, its barrier a bar.sync.
"""
import ast
import copy

from .. import _closures, _generators, _match, errors
from . import hoist_barrier_calls, intrinsics, loop_returns

_MOST_NESTED = 8


class _Inliner:
    def __init__(self, definition_of, error_at):
        self.definition_of, self.error_at = definition_of, error_at
        self.count = 0

    # ---- which calls ---------------------------------------------------------

    def device_with_barrier(self, value, depth):
        """Whether `value` is a device function with a barrier, its own or a callee's."""
        py_func = getattr(value, "py_func", None)
        if getattr(value, "_numjit_cuda_device", None) is None or py_func is None:
            return False
        definition = self.definition_of(py_func)
        lookup, own = _generators.function_lookup(py_func), _closures.local_names(definition)
        for node in ast.walk(definition):
            if not isinstance(node, ast.Call):
                continue
            callee = _resolve(node.func, lookup, own)
            if callee is intrinsics.syncthreads:
                return True
            if depth < _MOST_NESTED and callee is not value and self.device_with_barrier(callee, depth + 1):
                return True
        return False

    def inlinable_call(self, statement, lookup, own, depth):
        """The call of a device function with a barrier that `statement` is made of, or None."""
        if isinstance(statement, (ast.Expr, ast.AugAssign)) or (
                isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            call = statement.value
            if isinstance(call, ast.Call):
                callee = _resolve(call.func, lookup, own)
                if self.device_with_barrier(callee, depth):
                    return call, callee
        return None

    # ---- rewriting -----------------------------------------------------------

    def new_name(self):
        """A fresh local for a call lifted out of an expression (hoist_barrier_calls.py)."""
        self.count += 1
        return f"__nj_call{self.count}"

    def inline_into(self, definition, lookup, depth, site=None):
        """Inlines into `definition` (in place) and returns the closure values its inlined code reads.
        Errors point at `site`, the kernel's statement being expanded (a device function's own
        lines are not the kernel's), or at the kernel's own statement when None."""
        own = _closures.local_names(definition)
        values = {}

        def is_barrier_call(call):
            return self.device_with_barrier(_resolve(call.func, lookup, own), depth)

        def block(statements):
            out = []
            for statement in statements:
                lifted = hoist_barrier_calls.lifted_statements(statement, is_barrier_call, self.new_name,
                                                               lambda node, message, cls: self.error_at(
                                                                   site or node, message, cls))
                if lifted is not None:
                    out.extend(block(lifted))
                    continue
                found = self.inlinable_call(statement, lookup, own, depth)
                if found is None:
                    for field in ("body", "orelse", "finalbody"):
                        inner = getattr(statement, field, None)
                        if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                            setattr(statement, field, block(inner))
                    for handler in getattr(statement, "handlers", []) or []:
                        handler.body = block(handler.body)
                    out.append(statement)
                    continue
                where = site or statement
                if depth >= _MOST_NESTED:
                    raise self.error_at(where, "device functions with cuda.syncthreads() nested more than "
                                                   f"{_MOST_NESTED} deep (or a recursive one) are not supported",
                                        errors.UnsupportedError)
                out.extend(self.expansion(statement, *found, values, depth, where))
            return out

        definition.body = block(definition.body)
        return values

    def expansion(self, statement, call, device, values, depth, site):
        """The statements that replace `statement`, which calls `device` (errors at `site`)."""
        py_func = device.py_func
        definition = copy.deepcopy(self.definition_of(py_func))
        _match.rewrite_match_statements(definition)
        device_lookup = _generators.function_lookup(py_func)
        # Device functions it calls are inlined into it first, in its own scope.
        inner_values = self.inline_into(definition, device_lookup, depth + 1, site)
        own = _closures.local_names(definition)
        assigned = {n.id for n in ast.walk(definition) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        self.count += 1
        prefix = f"__nj_dev{self.count}_"
        result = prefix + "result"  # not one of `own`: the renaming leaves it as it is
        returns_value = any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(definition))
        definition.body = self.returns_as_result(definition.body, result, site, definition.name)
        _generators.rename_apart(definition, own, device_lookup, inner_values, prefix)
        values.update(inner_values)
        bindings = _generators.bound_parameters(call, definition, prefix, statement, "device function",
                                                lambda node, message: self.error_at(site, message,
                                                                                    errors.UnsupportedError))
        substituted = {}
        for binding, parameter in zip(list(bindings), [a.arg for a in definition.args.args]):
            if parameter not in assigned and isinstance(binding.value, (ast.Name, ast.Constant)):
                substituted[prefix + parameter] = binding.value
                bindings.remove(binding)
        body = _Substitute(substituted).visit(ast.Module(body=definition.body, type_ignores=[])).body
        value = ast.Name(result, ast.Load()) if returns_value else None
        out = bindings + body
        if isinstance(statement, ast.Expr):
            if value is not None:
                out.append(ast.Expr(value))
        elif isinstance(statement, ast.AugAssign):
            out.append(ast.AugAssign(statement.target, statement.op, value or ast.Constant(None)))
        else:
            out.append(ast.Assign(statement.targets, value or ast.Constant(None)))
        for node in out:
            for child in ast.walk(node):
                if "lineno" in child._attributes:
                    ast.copy_location(child, site)
        return out

    def returns_as_result(self, statements, result, site, name):
        """`statements` with each `return v` made `result = v`, the code after a
        return skipped: an `if` that returns takes the statements after it into
        each of its branches, so they run only where it did not return. Where
        those statements hold a barrier, the `if` holds it: CUDA requires its
        condition to be the same for every thread, and barriers.py checks so."""
        out = []
        for k, statement in enumerate(statements):
            if isinstance(statement, ast.Return):
                if statement.value is not None:
                    out.append(ast.Assign([ast.Name(result, ast.Store())], statement.value))
                return out  # what follows a return never runs
            if not any(isinstance(n, ast.Return) for n in ast.walk(statement)):
                out.append(statement)
                continue
            rest = statements[k + 1:]
            if isinstance(statement, (ast.For, ast.While)):
                if not _calls_syncthreads(statement) and any(
                        isinstance(n, ast.Return) and n.value is not None for n in ast.walk(statement)):
                    # Its result, set in one phase inside a loop and read after it in the same
                    # phase, would look to the block's loop like a value from another iteration.
                    raise self.error_at(site, f"{name} returns a value from inside a loop without "
                                              "cuda.syncthreads() in it: not supported yet without a GPU "
                                              "(assign the value and break out of the loop instead)",
                                        errors.UnsupportedError)
                # Returned: the flag is set and every loop around the return is left; the code after
                # the loop runs where it is not (a loop with a barrier is left by the whole block
                # together, or the launch raises: barriers.py).
                returned = result + "_returned"
                statement.body = self.returns_breaking_out(statement, result, returned, site, name)
                after = self.returns_as_result(copy.deepcopy(rest), result, site, name) or [ast.Pass()]
                out.extend([ast.Assign([ast.Name(returned, ast.Store())], ast.Constant(False)), statement,
                            ast.If(ast.UnaryOp(ast.Not(), ast.Name(returned, ast.Load())), after, [])])
                return out
            if not isinstance(statement, ast.If):
                raise self.error_at(site, f"{name} returns inside a {type(statement).__name__.lower()} "
                                          "statement: a device function with cuda.syncthreads() may return "
                                          "inside if statements and loops when run without a GPU",
                                    errors.UnsupportedError)
            statement.body = self.returns_as_result(statement.body + copy.deepcopy(rest), result, site, name)
            statement.orelse = self.returns_as_result(statement.orelse + copy.deepcopy(rest), result, site, name)
            if not statement.body:
                statement.body = [ast.Pass()]
            out.append(statement)
            return out
        return out


    def returns_breaking_out(self, loop, result, returned, site, name):
        """The body of `loop` with each `return v` made `result = v; returned = True; break`, and
        each inner loop that may return followed by `if returned: break`."""
        def on_return(statement):
            value = [ast.Assign([ast.Name(result, ast.Store())], statement.value)] if statement.value else []
            return value + [ast.Assign([ast.Name(returned, ast.Store())], ast.Constant(True))]

        def refuse(node, what):
            if what == "else":
                raise self.error_at(site, f"{name} returns in a loop's else clause: not supported yet in a device "
                                          "function with cuda.syncthreads() run without a GPU",
                                    errors.UnsupportedError)
            raise self.error_at(site, f"{name} returns inside a {what} statement: a device function with "
                                      "cuda.syncthreads() may return inside if statements and loops when run "
                                      "without a GPU", errors.UnsupportedError)

        return loop_returns.breaking_out(loop, on_return, lambda: ast.Name(returned, ast.Load()), refuse)


def _calls_syncthreads(node):
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "syncthreads"
               for n in ast.walk(node))


class _Substitute(ast.NodeTransformer):
    def __init__(self, replacements):
        self.replacements = replacements

    def visit_Name(self, node):
        found = self.replacements.get(node.id)
        return copy.deepcopy(found) if found is not None else node


def _resolve(node, lookup, own):
    """The object a name or attribute chain denotes at compile time, or None."""
    if isinstance(node, ast.Name):
        return None if node.id in own else lookup(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, lookup, own)
        return None if base is None else getattr(base, node.attr, None)
    return None


def inline_device_barriers(function_def, lookup, definition_of, error_at):
    """Inlines into kernel `function_def` (in place) the device functions with
    barriers it calls; returns the closure values the inlined code reads."""
    return _Inliner(definition_of, error_at).inline_into(function_def, lookup, 0)
