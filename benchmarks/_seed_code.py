"""The seed tutorial's code as source text, its data, and the two backends.

Every function of the tutorial (docs: /work/shared/seed/tutorial.md) is kept
here as a string, character for character.  `Backend` executes the same
string in a namespace where `numba` (and `nb`, `njit`) is bound either to the
real Numba or to numjit, so both backends compile byte-identical bodies.
"""
import atexit
import importlib
import os
import shutil
import sys
import tempfile
import types

import numpy as np

# --- the tutorial's first example ------------------------------------------

PURE_ARCTAN = '''\
def sum_python(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in range(N):
        for j in range(jind[i], jind[i+1]):
            s += np.arctan(X[j] * i * j)
    return s

def sum_numpy(Xnp):
    i = np.arange(Xnp.shape[0])[:,None]
    j = np.arange(Xnp.shape[1])[None,:]
    s = np.sum(np.arctan(Xnp * i * j))
    return s

def sum_numpy2(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in range(N):
        j = np.arange(jind[i+1] - jind[i])
        s += np.sum(np.arctan(X[jind[i]:jind[i+1]] * i * j))
    return s
'''

# --- the tutorial's ufunc example ------------------------------------------

PURE_UFUNC = """\
def f_numpy(A, n):
    B = np.zeros_like(A)
    for j in range(n):
        B += A**j
    return B

def f_numpy2(A, n):
    '''Avoid exponentiation; replace with telescoping sum-product.'''
    B = np.zeros_like(A)
    for j in range(n):
        B = B * A + 1.0
    return B

def f_numpy3(A, n):
    '''Avoid memory allocation; reuse existing array.'''
    B = np.zeros_like(A)
    for j in range(n):
        B *= A
        B += 1.0
    return B
"""

# --- the compiled functions: one entry per function ------------------------

_ELL_SIGNATURE_AND_BODY = """(X, Nt, jind, I, I0):
    '''
    X[0:Nt] -> mu_i
    X[Nt:Nt+2] -> c0, c1
    i -> 0..Nt-1
    '''
    mu = X[0:Nt]
    c0, c1 = X[Nt:Nt+2]
    ell = 0
    for i in nb.prange(Nt):
        for j in range(jind[i], jind[i+1]):
            n = I[j] - mu[i] * I0[j]
            s = c0 * (mu[i] * I0[j])**c1
            ell += np.log(s) + 0.5 * n**2 / s**2
    return ell
"""

JIT_SOURCES = {
    'sum_numba': '''\
@numba.njit
def sum_numba(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in range(N):
        for j in range(jind[i], jind[i+1]):
            s += np.arctan(X[j] * i * j)
    return s
''',
    'sum_parallel': '''\
@numba.njit(parallel=True)
def sum_parallel(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in numba.prange(N):
        for j in range(jind[i], jind[i+1]):
            s += np.arctan(X[j] * i * j)
    return s
''',
    'ell': '@njit\ndef ell' + _ELL_SIGNATURE_AND_BODY,
    'ell_parallel': '@njit(parallel=True)\ndef ell_parallel' + _ELL_SIGNATURE_AND_BODY,
    'f_numba': """\
@numba.vectorize
def f_numba(A, n):
    '''Avoid RAM access and let Numba vectorize this.'''
    B = 0.0
    for j in range(n):
        B = B * A + 1.0
    return B
""",
    'f_parallel': """\
@numba.vectorize(['float64(float64,uint64)'], target='parallel')
def f_parallel(A, n):
    '''Let Numba parallelize this as well.'''
    B = 0.0
    for j in range(n):
        B = B * A + 1.0
    return B
""",
    'log_normal_pdf': """\
@numba.vectorize
def log_normal_pdf(x, mu, sigma):
    '''
    Returns ln(P(x|mu,sigma)).
    The factor 1/sqrt(2pi) is omitted.
    '''
    return -0.5 * ((x - mu) / sigma)**2 - np.log(sigma)
""",
    # Not from the tutorial: the trivial function used for the call overhead.
    'identity': '''\
@numba.njit
def identity(x):
    return x
''',
}

LOG_NORMAL_PDF_NUMPY = '-0.5 * ((x - mu) / sigma)**2 - np.log(sigma)'

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
    _exec_source(PURE_ARCTAN, 'arctan', module.__dict__)
    _exec_source(PURE_UFUNC, 'ufunc', module.__dict__)
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
    """`numba` or `numjit`: defines the JIT_SOURCES functions on demand.

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
                _exec_source(JIT_SOURCES[name], name, self.namespace.__dict__)
                self._defined[name] = (self.namespace.__dict__[name], None)
            except Exception as e:
                self._defined[name] = (None, e)
        func, error = self._defined[name]
        if error is not None:
            raise error
        return func


# --- data --------------------------------------------------------------------

def arctan_data(Ntot, seed=0, with_Xnp=True):
    """The tutorial's first example's data, generated exactly as there."""
    np.random.seed(seed)
    Mmin = 100            # Minimum row length [elem]
    Mavg = 10000          # Average row length [elem]
    N = Ntot // Mavg      # Number of rows
    M = (Mmin + 2 * (Mavg - Mmin) * np.random.rand(N)).astype(int)  # Number of columns per row
    jind = np.insert(np.cumsum(M), 0, 0)
    M = np.amax(M)
    Ntot = jind[-1]
    X = np.random.rand(Ntot)
    Xnp = None
    if with_Xnp:
        Xnp = np.zeros((N, M))
        for i in range(N):
            Xnp[i,:jind[i+1]-jind[i]] = X[jind[i]:jind[i+1]]
    return types.SimpleNamespace(N=N, M=M, Ntot=int(Ntot), jind=jind, X=X, Xnp=Xnp)


def ell_data(Ntot, Mmin=100, Mavg=10000, c0=0.05, c1=0.5, seed=0):
    """Synthetic data for ell drawn from its own model (as in
    examples/loglikelihood.py): mu, I0, c0 > 0, so s > 0 everywhere."""
    rng = np.random.default_rng(seed)
    Nt = max(Ntot // Mavg, 1)
    M = (Mmin + 2 * (Mavg - Mmin) * rng.random(Nt)).astype(int)
    jind = np.insert(np.cumsum(M), 0, 0)
    Ntot = jind[-1]
    mu = 1.0 + rng.random(Nt)
    I0 = 0.5 + rng.random(Ntot)
    m = mu[np.repeat(np.arange(Nt), M)] * I0
    I = m + c0 * m**c1 * rng.standard_normal(Ntot)
    X = np.concatenate([mu, [c0, c1]])
    return types.SimpleNamespace(Nt=Nt, Ntot=int(Ntot), args=(X, Nt, jind, I, I0))


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
