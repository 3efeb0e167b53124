"""The seed tutorial's code as source text, its data, and the two backends.

The single source of every function is examples/ (arctan_sum.py,
loglikelihood.py, ufuncs.py, whose bodies are the tutorial's,
/work/shared/seed/tutorial.md, character for character).  This module does not
import those scripts (they run their timings when imported): it reads each
function's text out of the file with `ast`, by name, decorators included.
`Backend` executes that text in a namespace where `numba` (and `nb`, `njit`)
is bound either to the real Numba or to numjit, so both backends compile
byte-identical bodies.
"""
import ast
import atexit
import importlib
import os
import shutil
import sys
import tempfile
import types

import numpy as np

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        'examples')

# The plain Python/NumPy functions, by example file.
PURE = {'arctan_sum.py': ('sum_python', 'sum_numpy', 'sum_numpy2'),
        'ufuncs.py': ('f_numpy', 'f_numpy2', 'f_numpy3')}

# The compiled functions: name -> example file.  An entry may also be an
# assignment such as `g = njit(parallel=True)(f.py_func)`; the functions it
# names are defined first.
JIT_FILES = {'sum_numba': 'arctan_sum.py', 'sum_parallel': 'arctan_sum.py',
             'ell': 'loglikelihood.py', 'ell_parallel': 'loglikelihood.py',
             'ell_grad': 'loglikelihood.py', 'ell_grad_parallel': 'loglikelihood.py',
             'f_numba': 'ufuncs.py', 'f_parallel': 'ufuncs.py',
             'log_normal_pdf': 'ufuncs.py'}

# Not from the tutorial: the trivial function used for the call overhead.
IDENTITY = '''\
@numba.njit
def identity(x):
    return x
'''


def _defines(node, name):
    if isinstance(node, ast.FunctionDef):
        return node.name == name
    return isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in node.targets)


def example_source(filename, name):
    """(text, node): the top-level definition of `name` in examples/filename,
    as written there: its whole lines, from the first decorator to the end."""
    path = os.path.join(EXAMPLES, filename)
    with open(path) as f:
        text = f.read()
    for node in ast.parse(text, path).body:
        if _defines(node, name):
            first = min([node.lineno] + [d.lineno for d in getattr(node, 'decorator_list', [])])
            lines = text.splitlines(keepends=True)[first - 1:node.end_lineno]
            return ''.join(lines), node
    raise LookupError(f'{name} is not defined at the top level of {path}')


def jit_source(name):
    """The text defining compiled function `name`, and the other compiled
    functions it needs defined first."""
    if name == 'identity':
        return IDENTITY, []
    text, node = example_source(JIT_FILES[name], name)
    needs = sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                   & (set(JIT_FILES) - {name})) if isinstance(node, ast.Assign) else []
    return text, needs


_SOURCE_DIR = tempfile.mkdtemp(prefix='numjit_bench_src_')
atexit.register(shutil.rmtree, _SOURCE_DIR, True)


def _exec_source(src, name, namespace):
    """Run `src` in `namespace` from a real file, so that inspect.getsource()
    (and any compiler that reads the source) works on the functions."""
    path = os.path.join(_SOURCE_DIR, f'{namespace["__name__"]}__{name}.py')
    with open(path, 'w') as f:
        f.write(src)
    exec(compile(src, path, 'exec'), namespace)


def pure_functions():
    """sum_python, sum_numpy, ..., f_numpy3: plain Python/NumPy."""
    module = types.ModuleType('_seed_pure')
    module.np = np
    sys.modules[module.__name__] = module
    for filename, names in PURE.items():
        for name in names:
            _exec_source(example_source(filename, name)[0], name, module.__dict__)
    return module


class _Missing:
    """Stands for an attribute the backend module lacks; fails when used."""

    def __init__(self, modname, attr):
        self._error = AttributeError(f"module '{modname}' has no attribute '{attr}'")

    def __call__(self, *args, **kwargs):
        raise self._error

    def __getattr__(self, name):
        raise self._error


class Backend:
    """`numba` or `numjit`: defines the JIT_FILES functions on demand.

    get(name) returns the function or raises the exception that importing the
    module or defining the function raised (kept, so it is raised each time).
    """

    def __init__(self, modname):
        self.name = modname
        self.import_error = None
        self.version = None
        try:
            self.module = importlib.import_module(modname)
            self.version = getattr(self.module, '__version__', None)
        except Exception as e:  # not installed / broken: every cell says so
            self.module = None
            self.import_error = e
        self.namespace = types.ModuleType(f'_seed_{modname}')
        sys.modules[self.namespace.__name__] = self.namespace
        ns = self.namespace.__dict__
        ns['np'] = np
        for alias in ('numba', 'nb'):
            ns[alias] = self.module
        ns['njit'] = getattr(self.module, 'njit', None) or _Missing(modname, 'njit')
        self._defined = {}

    def get(self, name):
        if self.import_error is not None:
            raise self.import_error
        if name not in self._defined:
            try:
                text, needs = jit_source(name)
                for other in needs:
                    self.get(other)
                _exec_source(text, name, self.namespace.__dict__)
                self._defined[name] = (self.namespace.__dict__[name], None)
            except Exception as e:
                self._defined[name] = (None, e)
        func, error = self._defined[name]
        if error is not None:
            raise error
        return func


# --- data --------------------------------------------------------------------

def arctan_data(Ntot, seed=0, with_Xnp=True):
    """The tutorial's first example's data: the top-level statements of
    examples/arctan_sum.py before its first function, run after
    np.random.seed(seed) with the given Ntot (those naming `os`, which read the
    size from the environment, and the imports and print are left out; so are
    those naming Xnp unless with_Xnp)."""
    path = os.path.join(EXAMPLES, 'arctan_sum.py')
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    namespace = {'np': np, 'Ntot': Ntot, 'Xnp': None}
    np.random.seed(seed)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            break
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        if (isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr)) or 'os' in names
                or ('Xnp' in names and not with_Xnp)):
            continue
        exec(compile(ast.Module([node], type_ignores=[]), path, 'exec'), namespace)
    d = types.SimpleNamespace(**{k: namespace[k] for k in ('N', 'M', 'jind', 'X', 'Xnp')})
    d.Ntot = int(namespace['Ntot'])
    return d


def ell_data(Ntot, seed=0):
    """Synthetic data for ell drawn from its own model: make_data() of
    examples/loglikelihood.py (mu, I0, c0 > 0, so s > 0 everywhere)."""
    namespace = {'__name__': '_seed_data', 'np': np}
    _exec_source(example_source('loglikelihood.py', 'make_data')[0], 'make_data', namespace)
    X, Nt, jind, I, I0 = namespace['make_data'](Ntot, seed=seed)
    return types.SimpleNamespace(Nt=Nt, Ntot=int(jind[-1]), args=(X, Nt, jind, I, I0))


def ufunc_data(N, seed=0, ncol=1024):
    """The tutorial's A = np.random.rand(N), and for log_normal_pdf: x a 2-D
    view of A, mu a row vector, sigma a (positive) column vector."""
    ncol = min(ncol, N)
    np.random.seed(seed)
    A = np.random.rand(N)
    x = A[:N - N % ncol].reshape(-1, ncol)
    mu = np.linspace(0.0, 1.0, ncol)[None, :]
    sigma = np.linspace(0.5, 1.5, x.shape[0])[:, None]
    return types.SimpleNamespace(A=A, x=x, mu=mu, sigma=sigma)
