"""@stencil: numjit, Numba and NumPy side by side, on the same data.

    python benchmarks/stencil.py              # 400 x 400, best of 5
    python benchmarks/stencil.py --n 1000 --repeat 3

Rows: a 5-point Laplacian called from Python (Numba compiles a stencil again
on every call from Python; numjit once per argument types), and 100 explicit
heat-equation steps `u = u + 0.2 * lap(u)` inside an @njit function. The
kernels are one source text, compiled by each engine (`numba` bound to
numjit or to Numba, as in _seed_code.py); results are checked against NumPy.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _seed_code import Backend, _exec_source  # noqa: E402

SOURCE = '''
@numba.stencil
def lap(u):
    return u[-1, 0] + u[1, 0] + u[0, -1] + u[0, 1] - 4.0 * u[0, 0]


@numba.njit
def heat(u, steps):
    for _ in range(steps):
        u = u + 0.2 * lap(u)
    return u
'''


def lap_numpy(u):
    out = np.zeros_like(u)
    out[1:-1, 1:-1] = u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1]
    return out


def heat_numpy(u, steps):
    for _ in range(steps):
        u = u + 0.2 * lap_numpy(u)
    return u


def best(call, repeat):
    call()  # compiles, for the engines that compile once
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--n', type=int, default=400)
    parser.add_argument('--steps', type=int, default=100)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args(argv)
    u = np.random.default_rng(0).random((args.n, args.n))
    engines = {}
    for name in ('numba', 'numjit'):
        namespace = {'__name__': f'stencil_bench_{name}', 'numba': Backend(name).module, 'np': np}
        _exec_source(SOURCE, 'stencil', namespace)
        engines[name] = namespace
    rows = [('lap(u) from Python', lambda e: e['lap'](u), lambda: lap_numpy(u)),
            (f'{args.steps} heat steps in @njit', lambda e: e['heat'](u, args.steps),
             lambda: heat_numpy(u, args.steps))]
    print(f'@stencil on {args.n} x {args.n}, best of {args.repeat}')
    print(f'{"case":<28} {"NumPy":>10} {"Numba":>10} {"numjit":>10} {"numjit/Numba":>13} {"numjit/NumPy":>13}  check')
    for label, run, reference in rows:
        expected = reference()
        t_np = best(reference, args.repeat)
        times, ok = {}, True
        for name, namespace in engines.items():
            ok = ok and np.allclose(run(namespace), expected, rtol=1e-12, atol=1e-12)
            times[name] = best(lambda: run(namespace), args.repeat)
        print(f'{label:<28} {1e3 * t_np:>8.3f}ms {1e3 * times["numba"]:>8.3f}ms {1e3 * times["numjit"]:>8.3f}ms '
              f'{times["numjit"] / times["numba"]:>13.3f} {times["numjit"] / t_np:>13.3f}  {"ok" if ok else "DIFFERS"}')


if __name__ == '__main__':
    main()
