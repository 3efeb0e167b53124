"""Compiled functions travel to other processes (Dask, multiprocessing, MPI).

The by-value tests run the defining script as `__main__` in one fresh
interpreter and load its pickles in another, started elsewhere, that has no
copy of the script: what a `dask worker` on another node sees.
"""
import json
import multiprocessing
import pickle
import subprocess
import sys
import textwrap

import cloudpickle
import numpy as np
import pytest

from numjit import njit, prange
from numjit import errors

PICKLERS = ["pickle", "cloudpickle"]


@njit
def total(x):
    s = 0.0
    for v in x:
        s += v
    return s


@njit(parallel=True)
def parallel_total(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i]
    return s


@njit("float64(float64)")
def eager_twice(x):
    return 2.0 * x


def make_scaled(k):
    @njit
    def scaled(x):
        return x * k
    return scaled


def run_python(code, cwd, *args):
    """Runs code in a fresh interpreter; returns its stdout (fails the test on a non-zero exit)."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("f", [total, parallel_total])
def test_module_level_functions_pickle_by_reference(f):
    data = pickle.dumps(f)
    assert len(data) < 100  # a module and a name, no source
    g = pickle.loads(data)
    assert g is f
    x = np.linspace(0.0, 1.0, 101)
    assert g(x) == pytest.approx(f.py_func(x), rel=1e-12)


def test_eager_signatures_survive_pickling():
    g = cloudpickle.loads(cloudpickle.dumps(make_scaled(3)))
    assert g(2.5) == 7.5 == g.py_func(2.5)
    h = pickle.loads(pickle.dumps(eager_twice))
    assert h is eager_twice and h(4) == 8.0 and h.signatures == eager_twice.signatures


@pytest.mark.parametrize("module", PICKLERS)
@pytest.mark.parametrize("k", [2, -0.5])
def test_closures_pickle_by_value_and_come_back_as_the_same_object(module, k):
    f = make_scaled(k)
    picklers = {"pickle": pickle, "cloudpickle": cloudpickle}
    data = picklers[module].dumps(f)
    # Unpickling in the process that pickled gives the same dispatcher, so
    # what it compiled is reused (Dask unpickles a function for every task).
    g = pickle.loads(data)
    assert g is f
    for x in (1.0, -3.25, 7):
        assert g(x) == f.py_func(x)


def _sum_in_worker(n):
    return total(np.arange(float(n)))


def test_spawned_workers_compile_and_run():
    # 'spawn' starts fresh interpreters: each compiles on its first call.
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        assert pool.map(_sum_in_worker, [0, 3, 10]) == [0.0, 3.0, 45.0]
        assert pool.map(total, [np.arange(4.0), np.ones(6)]) == [6.0, 6.0]


SCRIPT = '''
import pickle
import sys

import cloudpickle
import numpy as np

from numjit import guvectorize, njit, prange, vectorize


@njit
def plain(x):
    s = 0.0
    for v in x:
        s += v
    return s


@njit
def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


@njit
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@njit
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


@njit
def calls_others(x):
    def inner(v):
        return v + 1.0
    return inner(plain(x)) + factorial(4)


def make_closure(k):
    @njit
    def scaled(x):
        return x * k
    return scaled


@njit(parallel=True)
def parallel_sum(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i]
    return s


@njit(["float64(float64[:])", "int64(int64[:])"])
def eager_sum(x):
    return x.sum()


@vectorize
def lazy_ufunc(x, y):
    return x * y + 1


@vectorize(["float64(float64)", "float32(float32)"])
def eager_ufunc(x):
    return x * 3 - 1


@vectorize(["float64(float64, float64)"], target="parallel")
def parallel_ufunc(x, y):
    return x - 2 * y


@guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
def running_sum(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s


objects = dict(plain=plain, factorial=factorial, is_even=is_even, calls_others=calls_others,
               closure=make_closure(2.5), parallel_sum=parallel_sum, eager_sum=eager_sum, lazy_ufunc=lazy_ufunc,
               eager_ufunc=eager_ufunc, parallel_ufunc=parallel_ufunc, running_sum=running_sum)
pickler = cloudpickle if sys.argv[1] == "cloudpickle" else pickle
sizes = {}
for name, value in objects.items():
    data = pickler.dumps(value)
    sizes[name] = len(data)
    with open(name + ".pkl", "wb") as f:
        f.write(data)
print(sizes)
'''

LOADER = '''
import json
import pickle
import sys

import numpy as np

def load(name):
    with open(sys.argv[1] + "/" + name + ".pkl", "rb") as f:
        return pickle.load(f)

x = np.linspace(-2.0, 3.0, 37)
y = np.arange(37.0)
out = {
    "plain": load("plain")(x),
    "factorial": load("factorial")(10),
    "is_even": [load("is_even")(7), load("is_even")(10)],
    "calls_others": load("calls_others")(x),
    "closure": load("closure")(4.0),
    "parallel_sum": load("parallel_sum")(y),
    "eager_sum": [load("eager_sum")(x), load("eager_sum")(np.arange(10))],
    "lazy_ufunc": load("lazy_ufunc")(x, y).tolist(),
    "lazy_ufunc_int": load("lazy_ufunc")(np.arange(5), 3).tolist(),
    "eager_ufunc": load("eager_ufunc")(x).tolist(),
    "eager_ufunc32": load("eager_ufunc")(x.astype(np.float32)).astype(np.float64).tolist(),
    "parallel_ufunc": load("parallel_ufunc")(x, y).tolist(),
    "running_sum": load("running_sum")(x.reshape(1, -1)).ravel().tolist(),
    "loaded_from": load("plain").py_func.__module__,
}
print(json.dumps(out))
'''


@pytest.mark.parametrize("pickler", PICKLERS)
def test_objects_from_a_script_run_where_the_script_is_absent(tmp_path, pickler):
    script_dir = tmp_path / "script"
    script_dir.mkdir()
    (script_dir / "analysis.py").write_text(SCRIPT)
    written = subprocess.run([sys.executable, "analysis.py", pickler], cwd=script_dir, capture_output=True,
                             text=True, timeout=300)
    assert written.returncode == 0, written.stderr
    elsewhere = tmp_path / "worker"
    elsewhere.mkdir()
    got = json.loads(run_python(LOADER, elsewhere, script_dir))
    x = np.linspace(-2.0, 3.0, 37)
    y = np.arange(37.0)
    assert got["plain"] == pytest.approx(x.sum(), abs=1e-12)
    assert got["factorial"] == 3628800
    assert got["is_even"] == [False, True]
    assert got["calls_others"] == pytest.approx(x.sum() + 1.0 + 24, abs=1e-12)
    assert got["closure"] == 10.0
    assert got["parallel_sum"] == y.sum()
    assert got["eager_sum"] == [pytest.approx(x.sum(), abs=1e-12), 45]
    np.testing.assert_array_equal(got["lazy_ufunc"], x * y + 1)
    np.testing.assert_array_equal(got["lazy_ufunc_int"], np.arange(5) * 3 + 1)
    np.testing.assert_array_equal(got["eager_ufunc"], x * 3 - 1)
    # float32 * an integer constant computes in float64, as in Numba; the loop stores float32.
    x32 = x.astype(np.float32).astype(np.float64)
    np.testing.assert_array_equal(got["eager_ufunc32"], (x32 * 3 - 1).astype(np.float32).astype(np.float64))
    np.testing.assert_array_equal(got["parallel_ufunc"], x - 2 * y)
    np.testing.assert_allclose(got["running_sum"], np.cumsum(x), rtol=1e-12, atol=1e-12)
    assert got["loaded_from"] == "__main__"


def test_sources_held_only_in_linecache_travel(tmp_path):
    # IPython and Jupyter keep each cell's text in linecache under a made-up file name.
    code = '''
        import linecache, pickle
        from numjit import njit
        cell = "def cube(x):\\n    return x * x * x\\n"
        name = "<ipython-input-7-cafe>"
        linecache.cache[name] = (len(cell), None, cell.splitlines(True), name)
        namespace = {"__name__": "__main__"}
        exec(compile(cell, name, "exec"), namespace)
        cube = njit(namespace["cube"])
        assert cube(3.0) == 27.0
        open("cube.pkl", "wb").write(pickle.dumps(cube))
    '''
    run_python(code, tmp_path)
    out = run_python('''
        import pickle
        cube = pickle.load(open("cube.pkl", "rb"))
        print(cube(2.0), cube(-3), cube.py_func(1.5))
    ''', tmp_path)
    assert out.split() == ["8.0", "-27", "3.375"]


def _by_value_state(f):
    reducer, (state,) = f.__reduce__()
    return reducer, dict(state)


def test_damaged_pickles_raise_clear_errors():
    f = make_scaled(1.5)
    reducer, state = _by_value_state(f)
    with pytest.raises(pickle.UnpicklingError, match="format"):
        reducer({**state, "format": 999, "uuid": "other"})
    with pytest.raises(pickle.UnpicklingError, match="incomplete"):
        reducer({k: v for k, v in state.items() if k != "function"})
    with pytest.raises(pickle.UnpicklingError, match="source record is damaged"):
        reducer({**state, "uuid": "other-2", "source": ("x.py", "one", (1, 2))})
    with pytest.raises(pickle.UnpicklingError, match="does not load"):
        reducer({**state, "uuid": "other-3", "function": state["function"][:-7]})
    with pytest.raises(pickle.UnpicklingError, match="holds no function"):
        reducer({**state, "uuid": "other-4", "function": pickle.dumps(42)})
    data = cloudpickle.dumps(f)
    for cut in (1, len(data) // 2, len(data) - 1):
        with pytest.raises((pickle.UnpicklingError, EOFError, ValueError)):
            pickle.loads(data[:cut])


def test_a_source_that_does_not_parse_fails_on_first_call_with_a_located_error():
    f = make_scaled(2.0)
    reducer, state = _by_value_state(f)
    g = reducer({**state, "uuid": "damaged-source", "source": ("gone.py", 3, ("this is not python(\n",))})
    assert g is not f
    with pytest.raises(errors.UnsupportedError, match="cannot find the source"):
        g(1.0)
    assert g.py_func(1.0) == 2.0


def test_an_eager_function_compiles_its_signatures_on_unpickling(tmp_path):
    (tmp_path / "make_mix.py").write_text(textwrap.dedent('''
        import pickle, numpy as np
        from numjit import njit
        @njit(["float64(float64, float64)", "int64(int64, int64)"])
        def mix(a, b):
            return a * 2 + b
        open("mix.pkl", "wb").write(pickle.dumps(mix))
    '''))
    run_python("import runpy; runpy.run_path('make_mix.py', run_name='__main__')", tmp_path)
    (tmp_path / "make_mix.py").unlink()
    out = run_python('''
        import pickle
        mix = pickle.load(open("mix.pkl", "rb"))
        print(len(mix.signatures), mix(1.5, 2.0), mix(3, 4))
    ''', tmp_path)
    assert out.split() == ["2", "5.0", "10"]
