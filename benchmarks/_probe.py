"""Child process for benchmarks/seed_tutorial.py: measures one thing in a
fresh interpreter and prints it as one JSON line.

    _probe.py import  <module>           -> {"numpy": s, "module": s, "file": path}
    _probe.py compile <module> <function> -> {"first": s, "second": s, "compile": s,
                                              "file": path}
    _probe.py cached  <module> <folder>   -> {"import": s, "first": s, "second": s,
                                              "load": s, "file": path}

compile: first call minus second call of a seed function (sum_numba or
sum_parallel) on small data, the first call being the one that compiles.
Errors come back as {"error": "Type: message"}.
"""
import json
import sys
import time


def probe_import(modname):
    t0 = time.perf_counter()
    import numpy  # noqa: F401  (preloaded: both backends need it)
    t1 = time.perf_counter()
    module = __import__(modname)
    t2 = time.perf_counter()
    return {'numpy': t1 - t0, 'module': t2 - t1, 'file': getattr(module, '__file__', None)}


def probe_compile(modname, func):
    from _seed_code import Backend, arctan_data
    data = arctan_data(2**16, with_Xnp=False)
    backend = Backend(modname)
    f = backend.get(func)  # defines (decorates) it; Numba compiles lazily
    t0 = time.perf_counter()
    f(data.X, data.jind)
    t1 = time.perf_counter()
    f(data.X, data.jind)
    t2 = time.perf_counter()
    return {'first': t1 - t0, 'second': t2 - t1, 'compile': (t1 - t0) - (t2 - t1),
            'file': getattr(backend.module, '__file__', None)}


def probe_cached(modname, folder):
    """sum_numba with cache=True in a module of its own in `folder` (written
    on the first probe, whose process compiles and fills the cache): the
    import of the backend, and the first call minus the second, which is
    what loading the cached code costs."""
    import os
    path = os.path.join(folder, f'cached_sum_{modname}.py')
    if not os.path.exists(path):
        from _seed_code import example_source
        text, _ = example_source('arctan_sum.py', 'sum_numba')
        text = text.replace('@numba.njit', '@numba.njit(cache=True)').replace('@njit', '@numba.njit(cache=True)')
        with open(path, 'w') as f:
            f.write(f'import numpy as np\nimport {modname} as numba\n\n\n' + text)
    import numpy as np
    X = np.random.default_rng(0).random(4096)
    jind = np.array([0, 1024, 4096])
    t0 = time.perf_counter()
    module = __import__(modname)
    t1 = time.perf_counter()
    sys.path.insert(0, folder)
    cached = __import__(f'cached_sum_{modname}')
    t2 = time.perf_counter()
    cached.sum_numba(X, jind)
    t3 = time.perf_counter()
    cached.sum_numba(X, jind)
    t4 = time.perf_counter()
    return {'import': t1 - t0, 'first': t3 - t2, 'second': t4 - t3,
            'load': (t2 - t1) + (t3 - t2) - (t4 - t3), 'file': getattr(module, '__file__', None)}


def main(argv):
    try:
        if argv[0] == 'import':
            answer = probe_import(argv[1])
        elif argv[0] == 'compile':
            answer = probe_compile(argv[1], argv[2])
        elif argv[0] == 'cached':
            answer = probe_cached(argv[1], argv[2])
        else:
            raise SystemExit(f'unknown probe {argv[0]!r}')
    except Exception as e:
        lines = str(e).strip().splitlines()
        answer = {'error': f'{type(e).__name__}: {lines[0]}' if lines else type(e).__name__}
    print(json.dumps(answer))


if __name__ == '__main__':
    main(sys.argv[1:])
