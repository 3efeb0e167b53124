"""Python's own data in compiled code: numjit, Numba and NumPy side by side.

    python benchmarks/containers.py            # best of 7
    python benchmarks/containers.py --repeat 3

So far the `random` module (issue 15 adds lists, sets, strings and typed
containers here as they land): a Monte Carlo estimate of pi from
random.random(), an Ising-style loop of random.randint and random.random,
and random.gauss draws. Each kernel is one source text compiled by both
engines (`numba` bound to numjit or to Numba, as in _seed_code.py), on the
same seed; numjit's streams equal CPython's after random.seed, Numba's do
not, so the results are checked for sense (and numjit's against CPython).
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


if __name__ == '__main__':
    main()
