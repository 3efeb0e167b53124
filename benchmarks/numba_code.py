"""Code written for Numba's extension points: numjit and Numba side by side.

    python benchmarks/numba_code.py            # best of 7
    python benchmarks/numba_code.py --repeat 3

One source text, compiled by both engines (`numba` bound to numjit or to
Numba): a @jitclass accumulator whose fields a loop reads (and one that
writes a field every step), namedtuples built and returned by a root
finder, an objmode block called in a loop, and a @cfunc integrand passed to
SciPy's quad as a LowLevelCallable. Each row gives the first call (compile
included) and the best of the repeats, and the ratio numjit / Numba.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import best_of  # noqa: E402
from _seed_code import Backend, _exec_source  # noqa: E402

SOURCE = '''
from collections import namedtuple

import scipy.integrate
from scipy import LowLevelCallable

Root = namedtuple("Root", "x iterations converged")


@experimental.jitclass([("scale", types.float64), ("data", types.float64[:]), ("count", types.int64)])
class Weighted:
    def __init__(self, data, scale):
        self.data = data
        self.scale = scale
        self.count = 0

    def total(self):
        s = 0.0
        for i in range(self.data.size):
            s += self.data[i] * self.scale
        return s

    def total_counting(self):
        s = 0.0
        for i in range(self.data.size):
            s += self.data[i] * self.scale
            self.count += 1
        return s


@numba.njit
def jitclass_reads(data):
    w = Weighted(data, 2.0)
    t = 0.0
    for _ in range(5):
        t += w.total()
    return t


@numba.njit
def jitclass_writes(data):
    w = Weighted(data, 2.0)
    t = 0.0
    for _ in range(5):
        t += w.total_counting()
    return t + w.count


@numba.njit
def newton(c, x0):
    x = x0
    for k in range(100):
        step = (x * x - c) / (2.0 * x)
        x -= step
        if abs(step) < 1e-14:
            return Root(x, k + 1, True)
    return Root(x, 100, False)


@numba.njit
def many_roots(values):
    total = 0.0
    for v in values:
        r = newton(v, 1.0)
        total += r.x + r.iterations
    return total


@numba.njit
def with_objmode(n):
    total = 0.0
    for k in range(n):
        with numba.objmode(v="float64"):
            v = float(k) ** 0.5
        total += v
    return total


@numba.cfunc("float64(float64)")
def integrand(x):
    return np.exp(-x * x) * np.cos(3.0 * x)


def quad_cfunc():
    return scipy.integrate.quad(LowLevelCallable(integrand.ctypes), 0.0, 10.0, limit=200)[0]
'''


def first_and_best(call, repeat):
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    return first, best_of(call, repeat)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--repeat', type=int, default=7)
    args = parser.parse_args(argv)
    data = np.random.default_rng(0).random(1_000_000)
    values = np.random.default_rng(1).random(20_000) * 100 + 1
    cases = [('jitclass, fields read in a loop (5 x 1e6)', 'jitclass_reads', lambda ns: ns['jitclass_reads'](data)),
             ('jitclass, a field written each step', 'jitclass_writes', lambda ns: ns['jitclass_writes'](data)),
             ('namedtuple results (2e4 Newton solves)', 'many_roots', lambda ns: ns['many_roots'](values)),
             ('objmode block in a loop (1e4 calls)', 'with_objmode', lambda ns: ns['with_objmode'](10_000)),
             ('cfunc integrand in scipy quad', 'quad_cfunc', lambda ns: ns['quad_cfunc']())]
    engines = {}
    for name in ('numba', 'numjit'):
        backend = Backend(name)
        __import__(f'{name}.experimental')
        namespace = {'__name__': f'numba_code_bench_{name}', 'numba': backend.module, 'np': np,
                     'experimental': backend.module.experimental, 'types': backend.module.types}
        started = time.perf_counter()
        _exec_source(SOURCE, 'numba_code', namespace)  # @cfunc compiles here
        namespace['_define'] = time.perf_counter() - started
        engines[name] = namespace
    print(f'Numba extension points, best of {args.repeat}; ratio numjit / Numba (below 1: numjit faster)')
    print(f'  {"":44} {"Numba first":>12} {"numjit first":>12} {"Numba":>10} {"numjit":>10} {"ratio":>6}')
    for label, _, run in cases:
        results = {engine: first_and_best(lambda: run(ns), args.repeat) for engine, ns in engines.items()}
        agree = np.isclose(run(engines['numba']), run(engines['numjit']), rtol=1e-9)
        (nf, nb), (jf, jb) = results['numba'], results['numjit']
        print(f'  {label:44} {nf:11.3f}s {jf:11.3f}s {1e3 * nb:8.2f}ms {1e3 * jb:8.2f}ms {jb / nb:6.2f}'
              f'{"" if agree else "  RESULTS DIFFER"}')
    print(f'  defining the module (the cfunc compiles): Numba {engines["numba"]["_define"]:.3f}s, '
          f'numjit {engines["numjit"]["_define"]:.3f}s')


if __name__ == '__main__':
    main()
