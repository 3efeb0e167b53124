"""Python's own data in compiled code: numjit, Numba and NumPy side by side.

    python benchmarks/containers.py            # best of 7
    python benchmarks/containers.py --repeat 3

Two tables. The `random` module: a Monte Carlo estimate of pi from
random.random(), an Ising-style loop of random.randint and random.random,
and random.gauss draws; numjit's streams equal CPython's after random.seed,
Numba's do not, so those results are checked for sense (and numjit's
against CPython). Containers: lists, sets, dicts and strings in the loops
scientists write (deduplicating, counting words, building labels, grouping
points as k-means does), against Numba, plain Python and NumPy where NumPy
has the operation. Each kernel is one source text compiled by both engines
(`numba` bound to numjit or to Numba, as in _seed_code.py).
"""
import argparse
import os
import random
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import best_of  # noqa: E402
from _seed_code import Backend, _exec_source  # noqa: E402

SOURCE = '''
@numba.njit
def monte_carlo_pi(n):
    random.seed(7)
    inside = 0
    for _ in range(n):
        x = random.random()
        y = random.random()
        if x * x + y * y < 1.0:
            inside += 1
    return 4.0 * inside / n


@numba.njit
def ising_sweeps(spins, beta, sweeps):
    random.seed(3)
    n = spins.shape[0]
    for _ in range(sweeps * n * n):
        i = random.randint(0, n - 1)
        j = random.randint(0, n - 1)
        s = spins[(i + 1) % n, j] + spins[i - 1, j] + spins[i, (j + 1) % n] + spins[i, j - 1]
        delta = 2.0 * spins[i, j] * s
        if delta <= 0.0 or random.random() < math.exp(-beta * delta):
            spins[i, j] = -spins[i, j]
    return spins.sum()


@numba.njit
def dedupe_sorted(a):
    seen = set()
    for x in a:
        seen.add(x)
    return sorted(seen)


@numba.njit
def word_counts(text):
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    best = 0
    for word in counts:
        best = max(best, counts[word])
    return len(counts), best


@numba.njit
def labels(n):
    out = []
    for i in range(n):
        out.append("p" + str(i) + ":" + str(i * 3 % 7))
    return len(",".join(out))


@numba.njit
def kmeans_groups(points, centers, rounds):
    means = centers.copy()
    for _ in range(rounds):
        groups = [[0.0] for _ in range(len(means))]
        for g in groups:
            g.pop()
        for p in points:
            best = 0
            for c in range(len(means)):
                if abs(p - means[c]) < abs(p - means[best]):
                    best = c
            groups[best].append(p)
        for c in range(len(means)):
            if len(groups[c]):
                means[c] = sum(groups[c]) / len(groups[c])
    return means


@numba.njit
def append_and_sort(n):
    items = []
    x = 12345
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        items.append(x % 100000)
    items.sort()
    return items[n // 2]


@numba.njit
def append_ints(n):
    items = []
    for i in range(n):
        items.append(i ^ (i >> 3))
    return len(items) + items[n // 2]


@numba.njit
def insert_and_pop(n):
    items = [0]
    for i in range(n):
        items.insert(len(items) // 2, i)
    total = 0
    while len(items) > 1:
        total += items.pop() - items.pop(0)
    return total


@numba.njit
def set_algebra(a, b):
    s = set(a)
    t = set(b)
    return len(s | t), len(s & t), len(s - t), len(s ^ t), s <= t


@numba.njit
def word_counts_typed(text):
    counts = numba.typed.Dict.empty(key_type=numba.types.unicode_type, value_type=numba.types.int64)
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    best = 0
    for word in counts:
        best = max(best, counts[word])
    return len(counts), best


@numba.njit
def sum_items(items):
    total = 0.0
    for x in items:
        total += x
    return total


@numba.njit
def gauss_sum(n):
    random.seed(11)
    total = 0.0
    for _ in range(n):
        total += random.gauss(0.0, 1.0)
    return total
'''


def numpy_pi(n):
    rng = np.random.default_rng(7)
    x, y = rng.random(n), rng.random(n)
    return 4.0 * np.count_nonzero(x * x + y * y < 1.0) / n


def best(call, repeat):
    call()  # compiles
    return best_of(call, repeat)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--repeat', type=int, default=7)
    args = parser.parse_args(argv)
    engines = {}
    for name in ('numba', 'numjit'):
        __import__(f'{name}.typed')  # numba.typed is a subpackage Numba does not import itself
        namespace = {'__name__': f'containers_bench_{name}', 'numba': Backend(name).module, 'np': np,
                     'random': random, 'math': __import__('math')}
        _exec_source(SOURCE, 'containers', namespace)
        engines[name] = namespace
    n, side = 2_000_000, 64
    spins = np.where(np.random.default_rng(0).random((side, side)) < 0.5, -1.0, 1.0)
    cases = [('monte_carlo_pi (2e6 points)', 'monte_carlo_pi', lambda f: f(n)),
             ('ising_sweeps (64 x 64, 20 sweeps)', 'ising_sweeps', lambda f: f(spins.copy(), 0.4, 20)),
             ('gauss_sum (2e6 draws)', 'gauss_sum', lambda f: f(n))]
    print(f'random module, best of {args.repeat}; ratio numjit / Numba (below 1: numjit faster)')
    print(f'  {"":36} {"Numba":>10} {"numjit":>10} {"ratio":>7}')
    for label, name, run in cases:
        times = {engine: best(lambda: run(namespace[name]), args.repeat) for engine, namespace in engines.items()}
        exact = run(engines['numjit'][name]) == run(engines['numjit'][name].py_func)
        print(f'  {label:36} {1e3 * times["numba"]:8.2f}ms {1e3 * times["numjit"]:8.2f}ms '
              f'{times["numjit"] / times["numba"]:7.2f}   numjit == CPython: {exact}')
    print(f'  NumPy, pi from 2e6 vectorized draws: {1e3 * best(lambda: numpy_pi(n), args.repeat):.2f} ms')
    containers_table(engines, args.repeat)


def vector_append_baseline():
    """append_ints(n) of benchmarks/vector_append.cpp through ctypes, or None without a C++ compiler."""
    import ctypes
    import shutil
    import subprocess
    import tempfile
    compiler = shutil.which('c++') or shutil.which('g++')
    if compiler is None:
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    library = os.path.join(tempfile.mkdtemp(prefix='numjit_vector_'), 'vector_append.so')
    subprocess.run([compiler, '-O2', '-shared', '-fPIC', os.path.join(here, 'vector_append.cpp'), '-o', library],
                   check=True)
    function = ctypes.CDLL(library).append_ints
    function.argtypes, function.restype = [ctypes.c_int64], ctypes.c_int64
    return function


def containers_table(engines, repeat):
    rng = np.random.default_rng(1)
    values = rng.integers(0, 50_000, 1_000_000)
    vocabulary = [f"w{k}" for k in range(2000)]
    text = " ".join(vocabulary[k] for k in rng.integers(0, 2000, 200_000))
    points = rng.random(200_000) * 100.0
    centers = np.array([10.0, 40.0, 60.0, 90.0])
    other = rng.integers(25_000, 75_000, 1_000_000)
    floats = [float(x) for x in rng.random(1_000_000)]
    typed_floats = {engine: namespace['numba'].typed.List(floats) for engine, namespace in engines.items()}
    cases = [('dedupe_sorted (set of 1e6 ints)', 'dedupe_sorted', lambda f: f(values), lambda: np.unique(values)),
             ('set_algebra (| & - ^ <=, 2 x 5e4 items)', 'set_algebra', lambda f: f(values, other), None),
             ('word_counts (split, dict of 2e5 words)', 'word_counts', lambda f: f(text), None),
             ('word_counts_typed (typed.Dict, 2e5)', 'word_counts_typed', lambda f: f(text), None),
             ('append_ints (1e6 appends)', 'append_ints', lambda f: f(1_000_000), None),
             ('insert_and_pop (2e4 middle inserts, pops)', 'insert_and_pop', lambda f: f(20_000), None),
             ('sum_items (reflected list of 1e6)', 'sum_items', lambda f: f(floats), None),
             ('labels (str(), +, join; 2e5)', 'labels', lambda f: f(200_000), None),
             ('kmeans_groups (lists of lists, 2e5)', 'kmeans_groups', lambda f: f(points, centers, 3), None),
             ('append_and_sort (list of 1e6)', 'append_and_sort', lambda f: f(1_000_000), None)]
    print(f'\ncontainers, best of {repeat}; ratios numjit / Numba and numjit / plain Python (below 1: numjit faster)')
    print(f'  {"":40} {"Numba":>10} {"numjit":>10} {"Python":>10} {"NumPy":>10} {"/Numba":>7} {"/Python":>8}')
    for label, name, run, numpy_run in cases:
        times = {}
        for engine, namespace in engines.items():
            try:
                times[engine] = best(lambda: run(namespace[name]), repeat)
            except Exception as exc:  # Numba may not compile a kernel
                times[engine] = None
                print(f'  ({engine} cannot run {name}: {type(exc).__name__})')
        if name == 'sum_items':  # also a typed.List, each engine its own: passed without copying
            for engine, namespace in engines.items():
                t = best(lambda: namespace[name](typed_floats[engine]), repeat)
                print(f'  (sum_items of a typed.List of 1e6: {engine} {1e3 * t:.2f} ms)')
        python = best_of(lambda: run(engines['numjit'][name].py_func), 1)
        numpy_time = best(numpy_run, repeat) if numpy_run else None
        same = run(engines['numjit'][name]) == run(engines['numjit'][name].py_func)
        if isinstance(same, np.ndarray):
            same = bool(np.allclose(run(engines['numjit'][name]), run(engines['numjit'][name].py_func)))

        def ms(t):
            return f'{1e3 * t:8.2f}ms' if t is not None else f'{"n/a":>10}'

        ratio = f'{times["numjit"] / times["numba"]:7.2f}' if times.get('numba') and times.get('numjit') else f'{"n/a":>7}'
        print(f'  {label:40} {ms(times.get("numba"))} {ms(times.get("numjit"))} {ms(python)} {ms(numpy_time)} '
              f'{ratio} {times["numjit"] / python:8.3f}   numjit == Python: {bool(same)}')
    vector = vector_append_baseline()
    if vector is not None:
        t_vector = best(lambda: vector(1_000_000), repeat)
        t_numjit = best(lambda: engines['numjit']['append_ints'](1_000_000), repeat)
        print(f'  append_ints, C++ std::vector: {1e3 * t_vector:.2f} ms; numjit / std::vector {t_numjit / t_vector:.2f}')


if __name__ == '__main__':
    main()
