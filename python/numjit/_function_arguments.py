"""Jitted functions passed as arguments (`minimize(fun, x0)` with `fun` an
@njit function), as Numba allows.

Compiled code has no run-time value for a function: a call through the
parameter must become a call of that function while compiling. So a jitted
function called with function arguments runs a variant of itself made for
those functions: the parameters that receive them are removed from its
signature and bound, as closure values, to the functions themselves (one
variant per combination, kept). The dispatcher makes the variant when Python
passes a function (dispatcher.py's _call_slow); the compiler does when
compiled code does (types/infer_calls.cpp, through
bindings/compiler_module.cpp).
"""
import ast
import copy

from . import _registry


def is_function_argument(value):
    """A value compiled code can take as a function argument: a jitted function or a @vectorize ufunc."""
    return bool(getattr(value, "_numjit_dispatcher", False)) or _registry.vectorized_kernel(value) is not None


def bound_variant(impl, bound):
    """The public dispatcher of `impl`'s function with the parameters at the
    positions in `bound` ({index: function}) fixed to those functions."""
    key = tuple(sorted((index, id(function)) for index, function in bound.items()))
    variants = impl.__dict__.setdefault("_function_variants", {})
    if key in variants:
        return variants[key][0]
    bundle = impl.source_bundle()
    definition = copy.deepcopy(bundle.function_def)
    params = definition.args.args
    if any(index >= len(params) for index in bound):
        raise TypeError(f"{impl.__name__}: a function argument must be passed to a named positional parameter")
    defaults = list(bundle.defaults)
    first_default = len(params) - len(defaults)
    closure = dict(bundle.closure)
    for index in sorted(bound, reverse=True):
        closure[params[index].arg] = bound[index]
        if index >= first_default:
            del defaults[index - first_default]
            del definition.args.defaults[index - first_default]
        del params[index]
    stub = _stub(definition, bundle.filename, tuple(defaults))
    variant = type(impl)(stub, impl.options)
    variant.__qualname__ = impl.__qualname__
    variant._bundle = bundle._replace(function_def=definition, closure=closure, defaults=tuple(defaults))
    variants[key] = (variant.public, list(bound.values()))  # the functions stay alive with the variant
    return variant.public


def _stub(definition, filename, defaults):
    """A Python function with the variant's parameters, for binding calls (its body never runs)."""
    args = copy.deepcopy(definition.args)
    args.defaults = []
    tree = ast.Module(body=[ast.FunctionDef(name=definition.name, args=args, body=[ast.Pass()], decorator_list=[],
                                            returns=None, type_params=[])], type_ignores=[])
    namespace = {}
    exec(compile(ast.fix_missing_locations(tree), filename, "exec"), namespace)
    function = namespace[definition.name]
    function.__defaults__ = defaults or None
    return function
