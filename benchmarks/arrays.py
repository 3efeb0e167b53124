"""NumPy inside compiled code: numjit, Numba and NumPy side by side.

Each case is one Python function (source text below), run three ways in one
process on the same data: as plain NumPy, compiled by Numba, and compiled by
numjit (`numba` bound to numjit, as in _seed_code.py).  Results are checked
against NumPy's.

    python benchmarks/arrays.py                  # 10**7 elements, 3000 x 3000, 2**26 for memory
    python benchmarks/arrays.py --quick          # 10**5 elements, 300 x 300, 2**22
    python benchmarks/arrays.py --repeat 3 --only fused,memory --json out.json

A case an engine cannot compile or run prints "error: <ExceptionType>" in its
cell (--json keeps the whole message); the other cells go on.
"""
import argparse
import faulthandler
import json
import os
import platform
import resource
import sys
import timeit
import types

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import (Cell, Check, Row, describe, format_table, measure,  # noqa: E402
                      measure_interleaved, run_probe)
from _seed_code import Backend, _exec_source  # noqa: E402

# n: 1-D length; m: 2-D side; k: created-array length; rss: memory-case length;
# calls: calls per timing of the per-call overhead case.
FULL = {'n': 10**7, 'm': 3000, 'k': 10**6, 'rss': 2**26, 'calls': 100000}
QUICK = {'n': 10**5, 'm': 300, 'k': 10**5, 'rss': 2**22, 'calls': 20000}

# (group, name, arguments (names in data()), rtol against NumPy, source).
# rtol: elementwise results may differ only by libm ulps; reductions also by
# summation order (NumPy sums pairwise, a compiled loop need not).
CASES = [
    ('fused', 'hypot', 'x y', 1e-12, 'def hypot(x, y):\n    return np.sqrt(x*x + y*y)\n'),
    ('fused', 'gauss', 'x', 1e-12,
     'def gauss(x):\n    return np.exp(-0.5*x*x) / np.sqrt(2*np.pi)\n'),
    ('fused', 'axpy', 'a x y', 1e-12, 'def axpy(a, x, y):\n    return a*x + y\n'),
    ('fused', 'relu', 'x', 0.0, 'def relu(x):\n    return np.where(x > 0, x, 0.0)\n'),
    ('reductions', 'sum', 'x', 1e-9, 'def sum_(x):\n    return x.sum()\n'),
    ('reductions', 'sum_xy', 'x y', 1e-9, 'def sum_xy(x, y):\n    return np.sum(x*y)\n'),
    ('reductions', 'max', 'x', 0.0, 'def max_(x):\n    return x.max()\n'),
    ('reductions', 'argmax', 'x', 0.0, 'def argmax(x):\n    return np.argmax(x)\n'),
    ('reductions', 'nanmax', 'x', 0.0, 'def nanmax(x):\n    return np.nanmax(x)\n'),
    ('reductions', 'mean', 'x', 1e-9, 'def mean(x):\n    return np.mean(x)\n'),
    ('reductions', 'std', 'x', 1e-9, 'def std(x):\n    return x.std()\n'),
    ('reductions', 'sum_axis0', 'A', 1e-9, 'def sum_axis0(A):\n    return A.sum(axis=0)\n'),
    ('reductions', 'sum_axis1', 'A', 1e-9, 'def sum_axis1(A):\n    return A.sum(axis=1)\n'),
    ('create', 'zeros', 'k', 0.0, 'def zeros(n):\n    return np.zeros(n)\n'),
    # NumPy's column runs this loop in the interpreter: a Python reference.
    ('create', 'empty_loop', 'k', 0.0, 'def empty_loop(n):\n    out = np.empty(n)\n'
     '    for i in range(n):\n        out[i] = 0.5 * i\n    return out\n'),
    ('create', 'arange2', 'k', 0.0, 'def arange2(n):\n    return np.arange(n) * 2.0\n'),
    ('overhead', 'zeros3', '', 0.0, 'def zeros3():\n    return np.zeros(3)\n'),
    # Python's checked conversions (NaN and infinities raise) and integer powers;
    # the loops run in the interpreter in NumPy's column.
    ('scalars', 'int_loop', 'xk', 0.0, 'def int_loop(x):\n    out = np.empty(x.size, np.int64)\n'
     '    for i in range(x.size):\n        out[i] = int(x[i] * 100.0)\n    return out\n'),
    ('scalars', 'round_loop', 'xk', 0.0, 'def round_loop(x):\n    out = np.empty(x.size, np.int64)\n'
     '    for i in range(x.size):\n        out[i] = round(x[i] * 100.0)\n    return out\n'),
    ('scalars', 'inverse_squares', 'ik', 1e-12, 'def inverse_squares(v):\n    s = 0.0\n'
     '    for i in range(v.size):\n        s += (v[i] + 0.5) ** -2\n    return s\n'),
    ('scalars', 'int_cube', 'ik', 0.0, 'def int_cube(v):\n    return v ** 3\n'),
    # NumPy functions by name (issue 16's families), k = 10**6 elements.
    ('breadth', 'ufuncs_by_name', 'xk yk', 1e-12,
     'def ufuncs_by_name(x, y):\n    return np.add(np.square(x), np.multiply(np.negative(x), y))\n'),
    ('breadth', 'logaddexp', 'xk yk', 1e-12, 'def logaddexp(x, y):\n    return np.logaddexp(x, y)\n'),
    ('breadth', 'out_argument', 'xk outk', 1e-12,
     'def out_argument(x, out):\n    return np.multiply(x, 2.5, out)\n'),
    ('breadth', 'add_reduce', 'xk', 1e-9, 'def add_reduce(x):\n    return np.add.reduce(x)\n'),
    ('breadth', 'broadcast_to', 'xk', 1e-9,
     'def broadcast_to(x):\n    return np.broadcast_to(x, (4, x.size)).sum()\n'),
    ('breadth', 'isin', 'ik ik2', 0.0, 'def isin(a, b):\n    return np.isin(a, b)\n'),
    ('breadth', 'intersect1d', 'ik ik2', 0.0, 'def intersect1d(a, b):\n    return np.intersect1d(a, b)\n'),
    ('breadth', 'partition', 'xk', 0.0,
     'def partition(x):\n    return np.partition(x, x.size // 2)[x.size // 2]\n'),
    ('breadth', 'nanmedian', 'xk', 0.0, 'def nanmedian(x):\n    return np.nanmedian(x)\n'),
    ('breadth', 'median', 'xk', 0.0, 'def median(x):\n    return np.median(x)\n'),
    ('breadth', 'rfft', 'xk', 1e-12, 'def rfft(x):\n    return np.fft.rfft(x)\n'),
    ('breadth', 'einsum_dot', 'xk yk', 1e-9, "def einsum_dot(x, y):\n    return np.einsum('i,i', x, y)\n"),
    ('breadth', 'sliding_mean', 'xk', 1e-9,
     'def sliding_mean(x):\n    return np.lib.stride_tricks.sliding_window_view(x, 8).mean(axis=1)\n'),
    ('breadth', 'polyval', 'coef xk', 1e-12, 'def polyval(p, x):\n    return np.polyval(p, x)\n'),
    ('breadth', 'correlate', 'xk kernel', 1e-9, 'def correlate(a, v):\n    return np.correlate(a, v)\n'),
    # Means of 10**6 draws: Numba's streams are not NumPy's, numjit's are.
    ('breadth', 'gamma_draws', 'k', 1e-2,
     'def gamma_draws(n):\n    np.random.seed(0)\n    return np.random.gamma(2.0, 1.0, n).mean()\n'),
    ('breadth', 'poisson_draws', 'k', 1e-2,
     'def poisson_draws(n):\n    np.random.seed(0)\n    return np.random.poisson(30.0, n).mean()\n'),
    # An np.random.Generator passed in: all three draw NumPy's own stream from it.
    ('breadth', 'generator_normal', 'rng k', 1e-2,
     'def generator_normal(g, n):\n    return g.normal(0.0, 1.0, n).std()\n'),
    ('breadth', 'generator_loop', 'rng k', 1e-2,
     'def generator_loop(g, n):\n    s = 0.0\n    for i in range(n // 10):\n'
     '        s += g.random() + g.integers(0, 10)\n    return s / (n // 10)\n'),
]
SOURCE = {name: src for _, name, _, _, src in CASES}
# Table labels: the returned expression, unless given here.
LABELS = {'empty_loop': 'np.empty(n); out[i] = 0.5*i loop'}
GROUPS = ['fused', 'reductions', 'create', 'scalars', 'breadth', 'overhead', 'memory']
ENGINES = ('numpy', 'numba', 'numjit')
HEADER = ['benchmark', 'NumPy', 'Numba', 'numjit', 'numjit/Numba', 'numjit/NumPy', 'check']
SECTIONS = {'fused': 'fused array expressions, 1-D float64, n = {n}',
            'reductions': 'reductions: 1-D n = {n}; axis=: {m} x {m}',
            'create': 'creating and returning arrays, n = {k}',
            'scalars': 'int(), round() and integer powers, n = {k}',
            'breadth': 'NumPy functions by name: ufuncs, views, sets, selection, polynomials, np.random; n = {k}',
            'overhead': 'per-call overhead of returning a small array (time per call)',
            'memory': 'peak RSS increase of hypot(x, y), fresh process per engine, n = {rss}'}

LEGEND = """\
NumPy: the plain function (empty_loop and the scalars loops: Python loops), best of {repeat} calls
  after an untimed one; Numba / numjit: the same source under @njit, best of
  {repeat} calls after two untimed ones (the first compiles), taking turns.
numjit/Numba, numjit/NumPy < 1: numjit is faster (uses less memory).
check: each compiled result against NumPy's, max|diff| / max|NumPy's|; FAIL
  names the engine that disagrees.  zeros3: time per call, {calls} calls a timing.
memory: peak resident memory during one call minus the resident memory just
  before it (inputs already there), in a fresh process per engine after a
  compiling call on small inputs; read from VmHWM after resetting it
  (/proc/self/clear_refs), since ru_maxrss cannot be reset and a child starts
  with its parent's (falls back to ru_maxrss when /proc cannot be used).
  The result alone is {result_mib:.0f} MiB; NumPy also holds its temporaries.
Fresh arrays cost page faults: NumPy asks for huge pages on arrays >= 4 MiB
  (madvise), Numba's allocator does not; at --quick sizes, malloc gives NumPy's
  freed temporaries back to the OS and the next call faults them in again."""


class ErrCell(Cell):
    """A failed cell, short in the table: 'error: Type' (the JSON keeps all)."""

    def text(self):
        return 'error: ' + self.error.split(':', 1)[0]


class MiBCell(Cell):
    """A memory figure; kept in .seconds so that Row.ratio works on it."""

    def text(self):
        return f'{self.seconds:.0f} MiB'

    def json(self):
        return {'mib': self.seconds}


def short(cell):
    return ErrCell(error=cell.error) if cell.error is not None else cell


class ArrRow(Row):
    """Row with numjit/NumPy next to numjit/Numba (see HEADER)."""

    @property
    def over_numpy(self):
        a, b = self.numjit, self.ref
        if a is None or b is None or a.seconds is None or not b.seconds:
            return None
        return a.seconds / b.seconds

    def cells(self):
        label, ref, nb, nj, ratio, check = super().cells()[:6]
        r = self.over_numpy
        text = '' if r is None else f'{r:.2f}' if r >= 0.1 else f'{r:.2g}'
        return [label, ref, nb, nj, ratio, text, check]

    def json(self):
        d = super().json()
        if 'python_numpy' in d:
            d['numpy'] = d.pop('python_numpy')
        if self.over_numpy is not None:
            d['numjit_over_numpy'] = self.over_numpy
        return d


def define(engine, name, backends):
    """`name`'s function for an engine: plain (NumPy) or under @numba.njit,
    defined from a real file (numjit reads the source)."""
    if engine == 'numpy':
        ns = types.ModuleType('_arrays_numpy').__dict__
        ns['np'] = np
        _exec_source(SOURCE[name], name, ns)
    else:
        backend = backends[engine]
        if backend.import_error is not None:
            raise backend.import_error
        ns = backend.namespace.__dict__
        _exec_source('@numba.njit\n' + SOURCE[name], name, ns)
    return ns[SOURCE[name][4:SOURCE[name].index('(')]]  # def NAME(


def data(size):
    rng = np.random.default_rng(0)
    m = size['m']
    return {'x': rng.standard_normal(size['n']), 'y': rng.standard_normal(size['n']),
            'a': 2.5, 'A': rng.random((m, m)), 'k': size['k'],
            'xk': rng.standard_normal(size['k']), 'ik': rng.integers(-1000, 1000, size['k']),
            'yk': rng.standard_normal(size['k']), 'outk': np.empty(size['k']),
            'ik2': rng.integers(0, 3000, size['k'] // 10), 'coef': rng.standard_normal(8),
            'kernel': rng.standard_normal(16), 'rng': np.random.default_rng(1)}


def _note(results):
    """Check's note when numjit has no result: the check is Numba's alone."""
    return None if results.get('numjit') is not None else '(Numba only)'


def run_case(name, argnames, rtol, d, backends, repeat, calls_per_timing):
    funcs, failed = {}, {}
    for engine in ENGINES:
        try:
            funcs[engine] = define(engine, name, backends)
        except Exception as e:
            failed[engine] = Cell.failed(e)
    args = tuple(d[a] for a in argnames.split())
    if calls_per_timing:  # a tight loop of calls, as _overheads.py does
        calls = {e: (lambda f=f: timeit.Timer(f).timeit(calls_per_timing))
                 for e, f in funcs.items()}
    else:
        calls = {e: (lambda f=f: f(*args)) for e, f in funcs.items()}
    # NumPy runs in a block of its own, first; only Numba and numjit take turns.
    # Taking turns with NumPy, the call right after NumPy's (which frees big
    # temporaries) was 2-4x slower at 10**5 elements, whichever engine made it
    # (malloc trimming its heap, then page faults).  The compiled engines' two
    # untimed rounds absorb the switch from NumPy's block.
    numpy_timed = measure(calls.pop('numpy'), repeat) if 'numpy' in calls else None
    cells, results = measure_interleaved(calls, repeat)
    if numpy_timed:
        cells['numpy'], results['numpy'] = numpy_timed
    if calls_per_timing:
        results = {}
        for e, f in funcs.items():
            if cells[e].error is None:
                results[e] = f()
                cells[e] = Cell(cells[e].seconds / calls_per_timing)
    cells.update(failed)
    ref = results.get('numpy')
    comparisons = [(f'{label} vs NumPy', results[e], ref, rtol)
                   for e, label in (('numjit', 'numjit'), ('numba', 'Numba'))
                   if ref is not None and results.get(e) is not None]
    label = LABELS.get(name) or SOURCE[name].splitlines()[-1].strip()[len('return '):]
    return ArrRow(name, f'{name}: {label}',
                  ref=short(cells['numpy']), numba=short(cells['numba']),
                  numjit=short(cells['numjit']), check=Check(comparisons, note=_note(results)))


# --- memory: child process -----------------------------------------------------

def _status_kib(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise OSError(f'no {field} in /proc/self/status')


def rss_probe(engine, n):
    """In a fresh process: peak RSS increase [MiB] of one hypot(x, y) call."""
    backends = {engine: Backend(engine)} if engine != 'numpy' else {}
    f = define(engine, 'hypot', backends)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(n), rng.standard_normal(n)
    f(x[:64], y[:64])  # compiles on small inputs of the same types
    try:
        with open('/proc/self/clear_refs', 'w') as fh:
            fh.write('5')  # VmHWM := VmRSS
        before, method = _status_kib('VmRSS'), 'VmHWM'
    except OSError:
        before, method = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 'ru_maxrss'
    r = f(x, y)
    peak = (_status_kib('VmHWM') if method == 'VmHWM'
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return {'mib': (peak - before) / 1024, 'method': method,
            'sample': r[::max(1, n // 4096)].tolist()}


def memory_row(n, backends):
    cells, samples, methods = {}, {}, set()
    for engine in ENGINES:
        if engine != 'numpy' and backends[engine].import_error is not None:
            cells[engine] = ErrCell(error=describe(backends[engine].import_error))
            continue
        try:
            answer = run_probe(['--rss-probe', engine, str(n)], script=__file__)
            cells[engine], samples[engine] = MiBCell(answer['mib']), answer['sample']
            methods.add(answer['method'])
        except RuntimeError as e:
            cells[engine] = ErrCell(error=str(e))
    comparisons = [(f'{label} vs NumPy', samples[e], samples['numpy'], 1e-12)
                   for e, label in (('numjit', 'numjit'), ('numba', 'Numba'))
                   if e in samples and 'numpy' in samples]
    return ArrRow('memory_hypot', f'hypot peak RSS [{"/".join(sorted(methods)) or "-"}]',
                  ref=cells['numpy'], numba=cells['numba'], numjit=cells['numjit'],
                  check=Check(comparisons, note=_note(samples)), extra={'elements': n})


# --- main ----------------------------------------------------------------------

def run(size, repeat, groups, json_path=None, out=sys.stdout, quiet=False):
    faulthandler.enable()  # a crash in compiled code still says where
    backends = {e: Backend(e) for e in ('numba', 'numjit')}
    d = data(size) if set(groups) - {'memory', 'overhead'} else {}
    rows = []
    for group in GROUPS:
        if group not in groups:
            continue
        rows.append(ArrRow('', SECTIONS[group].format(**size), section=True))
        if group == 'memory':
            todo = [lambda: memory_row(size['rss'], backends)]
        else:
            per = size['calls'] if group == 'overhead' else 0
            todo = [lambda c=c: run_case(*c[1:4], d, backends, repeat, per)
                    for c in CASES if c[0] == group]
        for make in todo:
            rows.append(make())
            if not quiet:
                print('  ' + ' | '.join(c for c in rows[-1].cells() if c), file=sys.stderr,
                      flush=True)
    versions = ', '.join(f'{e} {b.version or "?"}' if b.module else f'{e} (not importable)'
                         for e, b in backends.items())
    print(f'\nNumPy in compiled code: best of {repeat}; numpy {np.__version__}, '
          f'{versions}; {os.cpu_count()} CPUs', file=out)
    print(format_table(rows, False, header=HEADER, nright=5), file=out)
    print(LEGEND.format(repeat=repeat, calls=size['calls'],
                        result_mib=size['rss'] * 8 / 2**20), file=out)
    if json_path:
        meta = {'size': size, 'repeat': repeat, 'groups': groups, 'numpy': np.__version__,
                'python': platform.python_version(), 'platform': platform.platform(),
                'cpu_count': os.cpu_count()}
        for e, b in backends.items():
            meta[e] = ({'version': b.version, 'file': getattr(b.module, '__file__', None)}
                       if b.module else {'import_error': str(b.import_error)})
        with open(json_path, 'w') as f:
            json.dump({'meta': meta, 'rows': [r.json() for r in rows if not r.section]},
                      f, indent=1)
        print(f'JSON written to {json_path}', file=out)
    return rows


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['--rss-probe']:  # child of memory_row: one JSON line
        try:
            answer = rss_probe(argv[1], int(argv[2]))
        except Exception as e:
            answer = {'error': describe(e)}
        print(json.dumps(answer))
        return
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true', help='small sizes (see FULL / QUICK)')
    parser.add_argument('--repeat', type=int, default=5, help='best of N runs (default 5)')
    parser.add_argument('--only', default=None, help='groups, comma separated: '
                        + ', '.join(GROUPS))
    parser.add_argument('--json', default=None, metavar='PATH', help='write figures as JSON')
    parser.add_argument('--quiet', action='store_true', help='no progress lines on stderr')
    args = parser.parse_args(argv)
    groups = [g.strip() for g in args.only.split(',')] if args.only else list(GROUPS)
    unknown = set(groups) - set(GROUPS)
    if unknown:
        raise SystemExit(f'--only: unknown group(s) {", ".join(sorted(unknown))}; '
                         f'groups: {", ".join(GROUPS)}')
    run(QUICK if args.quick else FULL, max(1, args.repeat), groups, args.json,
        quiet=args.quiet)


if __name__ == '__main__':
    main()
