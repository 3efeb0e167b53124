"""@stencil: numjit, Numba and NumPy side by side, on the same data.

    python benchmarks/stencil.py              # 1024 x 1024 and 128**3 float64 (8 and 16 MiB), best of 20
    python benchmarks/stencil.py --quick      # 256 x 256 and 48**3
    python benchmarks/stencil.py --repeat 3

Three kernels (a 2-D 5-point Laplacian, a 5x5 box blur, a 3-D 7-point
Laplacian), each one source text compiled by both engines (`numba` bound to
numjit or to Numba, as in _seed_code.py). For each kernel, best-of times of:

  NumPy                 the same operator as a slicing expression
  stencil from Python   `lap(a)` called from Python (Numba compiles a stencil
                        again on every such call; numjit once per types)
  stencil in @njit      `lap(a)` inside an @njit function
  hand-written loop     the loop nest a programmer would write, in @njit
  parallel              the stencil inside @njit(parallel=True) (numjit's
                        speed-up over its own serial stencil is printed)

and a heat-equation step `lap2d(u) * dt + u` in @njit, which numjit fuses
into one loop nest (no temporary), against the same step with the stencil's
result in a variable first, and Numba.

Every result is checked against NumPy's.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import best_of  # noqa: E402
from _seed_code import Backend, _exec_source  # noqa: E402

SOURCE = '''
@numba.stencil
def lap2d(u):
    return u[-1, 0] + u[1, 0] + u[0, -1] + u[0, 1] - 4.0 * u[0, 0]


@numba.stencil(neighborhood=((-2, 2), (-2, 2)))
def blur5(u):
    s = 0.0
    for i in range(-2, 3):
        for j in range(-2, 3):
            s += u[i, j]
    return s / 25.0


@numba.stencil
def lap3d(u):
    return (u[-1, 0, 0] + u[1, 0, 0] + u[0, -1, 0] + u[0, 1, 0] + u[0, 0, -1] + u[0, 0, 1]
            - 6.0 * u[0, 0, 0])


@numba.njit
def lap2d_njit(u):
    return lap2d(u)


@numba.njit
def blur5_njit(u):
    return blur5(u)


@numba.njit
def lap3d_njit(u):
    return lap3d(u)


@numba.njit(parallel=True)
def lap2d_parallel(u):
    return lap2d(u)


@numba.njit(parallel=True)
def blur5_parallel(u):
    return blur5(u)


@numba.njit(parallel=True)
def lap3d_parallel(u):
    return lap3d(u)


@numba.njit
def heat_step(u, dt):
    return lap2d(u) * dt + u


@numba.njit
def heat_step_unfused(u, dt):
    t = lap2d(u)
    return t * dt + u


@numba.njit(parallel=True)
def heat_step_parallel(u, dt):
    return lap2d(u) * dt + u


@numba.njit
def lap2d_loop(u):
    out = np.zeros_like(u)
    for i in range(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            out[i, j] = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
    return out


@numba.njit
def blur5_loop(u):
    out = np.zeros_like(u)
    for i in range(2, u.shape[0] - 2):
        for j in range(2, u.shape[1] - 2):
            s = 0.0
            for di in range(-2, 3):
                for dj in range(-2, 3):
                    s += u[i + di, j + dj]
            out[i, j] = s / 25.0
    return out


@numba.njit
def lap3d_loop(u):
    out = np.zeros_like(u)
    for i in range(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            for k in range(1, u.shape[2] - 1):
                out[i, j, k] = (u[i - 1, j, k] + u[i + 1, j, k] + u[i, j - 1, k] + u[i, j + 1, k]
                                + u[i, j, k - 1] + u[i, j, k + 1] - 6.0 * u[i, j, k])
    return out
'''


def lap2d_numpy(u):
    out = np.zeros_like(u)
    out[1:-1, 1:-1] = u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1]
    return out


def blur5_numpy(u):
    out = np.zeros_like(u)
    n, m = u.shape
    acc = np.zeros((n - 4, m - 4))
    for i in range(5):
        for j in range(5):
            acc += u[i:n - 4 + i, j:m - 4 + j]
    out[2:-2, 2:-2] = acc / 25.0
    return out


def lap3d_numpy(u):
    out = np.zeros_like(u)
    c = u[1:-1, 1:-1, 1:-1]
    out[1:-1, 1:-1, 1:-1] = (u[:-2, 1:-1, 1:-1] + u[2:, 1:-1, 1:-1] + u[1:-1, :-2, 1:-1] + u[1:-1, 2:, 1:-1]
                             + u[1:-1, 1:-1, :-2] + u[1:-1, 1:-1, 2:] - 6.0 * c)
    return out


def best(call, repeat, warm=True):
    if warm:
        call()  # compiles, for the engines that compile once
    return best_of(call, repeat)


def ms(seconds):
    return f'{1e3 * seconds:9.3f} ms'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true', help='small arrays')
    parser.add_argument('--repeat', type=int, default=20)
    args = parser.parse_args(argv)
    side, cube = (256, 48) if args.quick else (1024, 128)
    rng = np.random.default_rng(0)
    data = {'lap2d': rng.random((side, side)), 'blur5': rng.random((side, side)), 'lap3d': rng.random((cube,) * 3)}
    numpy_versions = {'lap2d': lap2d_numpy, 'blur5': blur5_numpy, 'lap3d': lap3d_numpy}
    engines = {}
    for name in ('numba', 'numjit'):
        namespace = {'__name__': f'stencil_bench_{name}', 'numba': Backend(name).module, 'np': np}
        _exec_source(SOURCE, 'stencil', namespace)
        engines[name] = namespace
    print(f'@stencil: 2-D {side} x {side}, 3-D {cube}**3, float64, best of {args.repeat}; '
          f'ratios are numjit / other (below 1: numjit faster)')
    for kernel, u in data.items():
        expected = numpy_versions[kernel](u)
        rows = [('NumPy slicing expression', None, best(lambda: numpy_versions[kernel](u), args.repeat))]
        for label, suffix in (('stencil from Python', ''), ('stencil in @njit', '_njit'),
                              ('hand-written loop in @njit', '_loop'), ('stencil in @njit(parallel=True)', '_parallel')):
            times = {}
            for engine, namespace in engines.items():
                f = namespace[kernel + suffix]
                if not np.allclose(f(u), expected, rtol=1e-12, atol=1e-12):
                    raise SystemExit(f'{engine} {kernel}{suffix} differs from NumPy')
                # Numba's stencil called from Python compiles on every call: one timed call is enough.
                slow = engine == 'numba' and suffix == ''
                times[engine] = best(lambda: f(u), 1 if slow else args.repeat, warm=not slow)
            rows.append((label, times['numba'], times['numjit']))
        print(f'\n{kernel}:')
        print(f'  {"":34} {"Numba":>12} {"numjit":>12} {"numjit/Numba":>13}')
        for label, numba_time, numjit_time in rows:
            if numba_time is None:
                print(f'  {label:34} {"":>12} {ms(numjit_time):>12}   (NumPy)')
            else:
                print(f'  {label:34} {ms(numba_time):>12} {ms(numjit_time):>12} {numjit_time / numba_time:13.3f}')
        stencil_njit, loop, parallel = rows[2][2], rows[3][2], rows[4][2]
        print(f'  numjit stencil / hand-written loop: {stencil_njit / loop:.2f}; '
              f'parallel speed-up over serial: {stencil_njit / parallel:.2f}x; '
              f'stencil in @njit / NumPy: {stencil_njit / rows[0][2]:.2f}')

    heat(engines, data['lap2d'], args.repeat)


def heat(engines, u, repeat):
    dt = 0.1
    expected = lap2d_numpy(u) * dt + u
    print('\nheat step lap2d(u) * dt + u:')
    print(f'  {"":34} {"Numba":>12} {"numjit":>12} {"numjit/Numba":>13}')
    rows = {}
    for label, name in (('fused (as written)', 'heat_step'), ('stencil result in a variable', 'heat_step_unfused'),
                        ('fused, parallel=True', 'heat_step_parallel')):
        times = {}
        for engine, namespace in engines.items():
            f = namespace[name]
            if not np.allclose(f(u, dt), expected, rtol=1e-12, atol=1e-12):
                raise SystemExit(f'{engine} {name} differs from NumPy')
            times[engine] = best(lambda: f(u, dt), repeat)
        rows[name] = times
        print(f'  {label:34} {ms(times["numba"]):>12} {ms(times["numjit"]):>12} '
              f'{times["numjit"] / times["numba"]:13.3f}')
    numpy_time = best(lambda: lap2d_numpy(u) * dt + u, repeat)
    fused, unfused = rows['heat_step']['numjit'], rows['heat_step_unfused']['numjit']
    print(f'  numjit fused / unfused: {fused / unfused:.2f}; parallel speed-up: '
          f'{fused / rows["heat_step_parallel"]["numjit"]:.2f}x; fused / NumPy: {fused / numpy_time:.2f}')


if __name__ == '__main__':
    main()
