"""Typical scientific kernels, each run by numjit, Numba and NumPy on the same data.

    python benchmarks/kernels.py                      # best of 5, all kernels
    python benchmarks/kernels.py --repeat 3 --only particles,median
    python benchmarks/kernels.py --quick --no-chart   # small sizes
    python benchmarks/kernels.py --list
    python benchmarks/kernels.py --only parallel --busy   # speed-ups while a core is busy

The kernels live in benchmarks/kernels/ (a package, one module per family).
Each is one source text written for Numba, executed twice: once with `numba`
(and `njit`, `prange`, `guvectorize`, ...) bound to the real Numba and once
bound to numjit, so both engines compile byte-identical bodies; a whole-array
NumPy (or SciPy) version, where one exists, runs on the same data.

For each kernel: the first call of each engine (compile included, and the
definition for signatures that compile eagerly), then one untimed round and
the best of N rounds in which numjit, Numba and NumPy take turns. Results of
every pair are compared; a difference beyond the kernel's tolerance is a
MISMATCH row (and the exit status is 1). A kernel an engine cannot run shows
`not supported yet: <error>` in its cell and the run goes on.

The table ends with the median and geometric mean of numjit / Numba, the
kernels above 1.2x, and each parallel kernel's speed-up over its serial
version (`--only parallel` runs each parallel kernel with its serial one).
`--busy` keeps one core busy with another process (a Python loop) for the
whole run, to measure what parallel kernels do when they cannot have every
core. Results go to benchmarks/results/kernels.json (the previous file's
numjit times are compared first), and a chart of numjit / Numba per kernel
to docs/kernels.png.
"""
import argparse
import datetime
import faulthandler
import fnmatch
import json
import math
import os
import platform
import subprocess
import sys
import textwrap
import time
import types
import warnings

# OpenBLAS's threads spin for about 2**28 cycles (70 ms here) after each call
# before they sleep, so every kernel timed after a NumPy or SciPy BLAS call
# (np.linalg.solve, np.matmul, a jitted np.dot) shared its cores with them:
# gauss_solve measured 5.9 ms in turns with np.linalg.solve against 1.7 ms
# alone. 2**4 cycles lets them sleep at once; BLAS itself keeps its threads.
# Read by OpenBLAS as it loads, so before NumPy is imported.
os.environ.setdefault('OPENBLAS_THREAD_TIMEOUT', '4')

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from _harness import Cell, describe, fmt_time, time_in_turns  # noqa: E402
from _seed_code import _exec_source  # noqa: E402
import kernels as suite  # noqa: E402  (the package benchmarks/kernels/, not this file)

DEFAULT_JSON = os.path.join(HERE, 'results', 'kernels.json')
DEFAULT_CHART = os.path.join(ROOT, 'docs', 'kernels.png')
SLOW = 1.2            # numjit / Numba above this is listed
ENGINES = ('numjit', 'numba')
LABELS = {'numjit': 'numjit', 'numba': 'Numba', 'numpy': 'NumPy'}
THREADS = {}          # engine -> its thread pool's size
SERIAL_PREFIX = 'serial '  # time_in_turns' name for a parallel kernel's serial version
ENGINES_LOADED = []
# Names a kernel's source may use without importing them.
BOUND = ('njit', 'jit', 'prange', 'vectorize', 'guvectorize', 'stencil', 'types',
         'typed', 'objmode', 'literal_unroll')


# --- engines ----------------------------------------------------------------------

class _Missing:
    def __init__(self, modname, attr):
        self.error = AttributeError(f"module '{modname}' has no attribute '{attr}'")

    def __call__(self, *args, **kwargs):
        raise self.error

    def __getattr__(self, name):
        raise self.error


class Engine:
    """numjit or Numba: defines a kernel's source in a fresh module whose
    `numba`, `nb`, `njit`, `prange`, ... are this engine's."""

    def __init__(self, modname):
        self.name = modname
        self.module, self.error, self.version = None, None, None
        try:
            self.module = __import__(modname)
            __import__(f'{modname}.typed')
            self.version = getattr(self.module, '__version__', None)
        except Exception as e:  # every cell of this engine says why
            self.error = e

    def define(self, k):
        """Execute the kernel's source; return its callable."""
        if self.error is not None:
            raise self.error
        modname = f'_kernels_{self.name}_{k.name}'
        module = types.ModuleType(modname)
        sys.modules[modname] = module
        ns = module.__dict__
        ns.update(np=np, math=math, numba=self.module, nb=self.module)
        for attr in BOUND:
            ns[attr] = getattr(self.module, attr, None) or _Missing(self.name, attr)
        _exec_source(k.source, k.name, ns)
        return ns[k.func]

    def threads(self):
        try:
            return int(self.module.config.NUMBA_NUM_THREADS)
        except Exception:
            return None


def short_error(exc):
    """'Type: the line that says what went wrong': Numba's first line is
    often 'Failed in nopython mode pipeline (...)' and numjit's names the
    place, with the message under a caret line; those are skipped."""
    lines = [l.strip() for l in str(exc).splitlines()]
    for line in lines:
        if '^' in line and line.lstrip('| ').startswith('^'):
            text = line.lstrip('| ').lstrip('^').strip()
            if text:
                return f'{type(exc).__name__}: {text}'
    for line in lines:
        if not line or line.startswith(('Failed in ', 'During:', 'File "')) or line.endswith(')') and (
                line.startswith('in ') and ':' in line):
            continue
        if '|' in line and line.split('|')[0].strip().isdigit():
            continue
        return f'{type(exc).__name__}: {line}'
    return describe(exc)


def failed(exc):
    """A Cell for an engine that could not run a kernel: the informative
    line of the message (the JSON keeps it; `full` the first 40 lines)."""
    cell = Cell(error=short_error(exc))
    cell.full = '\n'.join(str(exc).splitlines()[:40])
    return cell


# --- comparing results ------------------------------------------------------------

def _plain(x):
    """Results as nested tuples of arrays: lists (typed or reflected) and
    tuples become tuples, dicts become sorted (key, value) pairs."""
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, (str, bytes)):
        return x
    if hasattr(x, 'items') and hasattr(x, 'keys'):
        return tuple((_plain(k), _plain(v)) for k, v in sorted(x.items()))
    if isinstance(x, (list, tuple)) or type(x).__name__ in ('List', 'ListType'):
        items = [_plain(v) for v in x]
        if items and all(np.isscalar(v) or isinstance(v, np.generic) for v in items):
            return np.asarray(items)
        return tuple(items)
    return np.asarray(x)


def difference(a, b):
    """(relative difference, reason): the max-norm difference |a - b| / max
    |b| over finite entries (0 when equal); inf with a reason when shapes,
    structure or the places of NaN / inf differ."""
    a, b = _plain(a), _plain(b)
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or len(a) != len(b):
            return math.inf, 'different structure'
        worst = (0.0, None)
        for x, y in zip(a, b):
            d = difference(x, y)
            if not d[0] <= worst[0]:
                worst = d
        return worst
    if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
        return (0.0, None) if a == b else (math.inf, 'different text')
    if a.shape != b.shape:
        return math.inf, f'shapes {a.shape} and {b.shape}'
    if a.size == 0:
        return 0.0, None
    kinds = {a.dtype.kind, b.dtype.kind}
    if kinds <= set('biu'):
        a64, b64 = a.astype(np.int64), b.astype(np.int64)
        diff = np.abs(a64 - b64).max()
        if diff == 0:
            return 0.0, None
        scale = np.abs(b64).max()
        return float(diff) / float(scale) if scale else float(diff), None
    a = a.astype(np.complex128 if 'c' in kinds else np.float64)
    b = b.astype(a.dtype)
    finite_a, finite_b = np.isfinite(a), np.isfinite(b)
    if (finite_a != finite_b).any():
        return math.inf, 'NaN or inf in different places'
    if not np.array_equal(a[~finite_a], b[~finite_b], equal_nan=True):
        return math.inf, 'different infinities'
    if not finite_a.any():
        return 0.0, None
    diff = np.abs(a[finite_a] - b[finite_b]).max()
    scale = np.abs(b[finite_b]).max()
    return (float(diff / scale) if scale > 0 else float(diff)), None


def _dtypes(x):
    x = _plain(x)
    if isinstance(x, tuple):
        return tuple(_dtypes(v) for v in x)
    return str(getattr(x, 'dtype', type(x).__name__))


def compare_pair(k, a, b, rtol, args):
    """(agree, relative difference or None, text) for two results."""
    if k.compare is not None:
        msg = k.compare(a, b, args)
        return msg is None, None, msg or 'agree'
    rel, reason = difference(a, b)
    agree = rel <= rtol
    return agree, rel, reason or f'rel {rel:.1e}' + ('' if agree else f' > {rtol:.0e}')


def check(k, results, args):
    """[(what, status, text)], status 'ok', 'note' or 'mismatch'.

    numjit must agree with NumPy (within numpy_rtol) and with Numba (within
    rtol). When numjit and Numba disagree but numjit is at least as close to
    NumPy as Numba is (Numba computing in float32 where NumPy and numjit
    promote to float64, say), that is a note, not a mismatch; so is Numba
    alone disagreeing with NumPy, and a result dtype that differs between
    the engines while the values agree."""
    have = [e for e in ENGINES + ('numpy',) if results.get(e) is not None]
    pairs = {}
    for x, y, rtol in (('numjit', 'numba', k.rtol), ('numjit', 'numpy', k.numpy_rtol),
                       ('numba', 'numpy', k.numpy_rtol)):
        if x in have and y in have:
            try:
                pairs[x, y] = compare_pair(k, results[x], results[y], rtol, args)
            except Exception as e:
                pairs[x, y] = (False, None, f'comparison failed: {describe(e)}')
    out = []
    for (x, y), (agree, rel, text) in pairs.items():
        label = f'{LABELS[x]} vs {LABELS[y]}'
        if agree:
            out.append((label, 'ok', text))
        elif (x, y) == ('numba', 'numpy') and pairs.get(('numjit', 'numpy'), (False,))[0]:
            out.append((label, 'note', f'Numba differs from NumPy ({text}); numjit agrees with NumPy'))
        elif (x, y) == ('numjit', 'numba') and pairs.get(('numjit', 'numpy'), (False,))[0] and (
                not pairs[('numba', 'numpy')][0]
                or (rel is not None and pairs[('numjit', 'numpy')][1] is not None
                    and pairs[('numba', 'numpy')][1] is not None
                    and pairs[('numjit', 'numpy')][1] <= pairs[('numba', 'numpy')][1])):
            out.append((label, 'note', f'numjit and Numba differ ({text}); numjit is at least '
                        'as close to NumPy'))
        else:
            out.append((label, 'mismatch', text))
    if 'numjit' in have and 'numba' in have:
        dj, db = _dtypes(results['numjit']), _dtypes(results['numba'])
        if dj != db:
            dn = f', NumPy {_dtypes(results["numpy"])}' if 'numpy' in have else ''
            out.append(('dtypes', 'note', f'dtypes differ: numjit {dj}, Numba {db}{dn}'))
    return out


# --- running a kernel ----------------------------------------------------------------

def _describe_args(args):
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            order = 'F' if a.ndim > 1 and a.flags.f_contiguous and not a.flags.c_contiguous else ''
            parts.append(f'{a.dtype}[{"x".join(map(str, a.shape))}]{order}')
        else:
            parts.append(repr(a))
    return ', '.join(parts)


class Result:
    """One kernel's row."""

    def __init__(self, k, args):
        self.k = k
        self.args = _describe_args(args)   # the text only: the arrays are let go
        self.cells = {}            # engine -> Cell (best time or error)
        self.first = {}            # engine -> seconds of the first call (compile included)
        self.checks = []
        self.mutated = []
        self.serial_cells = {}     # engine -> Cell of the serial kernel, timed in turns with this one

    @property
    def mismatch(self):
        return any(status == 'mismatch' for _, status, _ in self.checks)

    @property
    def notes(self):
        return [text for _, status, text in self.checks if status == 'note']

    def seconds(self, engine):
        c = self.cells.get(engine)
        return c.seconds if c is not None else None

    def speedup(self, engine, serial_row=None):
        """Serial time over this parallel kernel's time: from the serial
        kernel timed in turns with this one, else from the serial row (timed
        at another moment, so drift on a shared host enters the ratio)."""
        parallel = self.seconds(engine)
        cell = self.serial_cells.get(engine)
        serial = cell.seconds if cell is not None else serial_row.seconds(engine) if serial_row else None
        return serial / parallel if parallel and serial is not None else None

    def ratio(self, a='numjit', b='numba'):
        x, y = self.seconds(a), self.seconds(b)
        return x / y if x is not None and y else None

    def check_text(self):
        if not self.checks:
            return '-'
        bad = [(label, text) for label, status, text in self.checks if status == 'mismatch']
        if bad:
            return 'MISMATCH ' + '; '.join(f'{label}: {text}' for label, text in bad)
        return 'ok (see notes)' if self.notes else 'ok'

    def json(self):
        d = {'family': self.k.family, 'note': self.k.note, 'args': self.args}
        if self.k.serial:
            d['serial'] = self.k.serial
            d['serial_in_turns'] = {e: c.json() for e, c in self.serial_cells.items()}
        for e in ENGINES + ('numpy',):
            if e in self.cells:
                d[e] = self.cells[e].json()
                if getattr(self.cells[e], 'full', None):
                    d[e]['message'] = self.cells[e].full
        d['first_call'] = dict(self.first)
        for key, (a, b) in (('numjit_over_numba', ('numjit', 'numba')),
                            ('numjit_over_numpy', ('numjit', 'numpy'))):
            if self.ratio(a, b) is not None:
                d[key] = self.ratio(a, b)
        d['check'] = {'ok': not self.mismatch if self.checks else None, 'text': self.check_text(),
                      'comparisons': [{'pair': p, 'status': st, 'text': t} for p, st, t in self.checks]}
        if self.mutated:
            d['mutated_arguments'] = self.mutated
        return d


def run_kernel(k, engines, repeat, quick):
    try:
        args = k.data(quick)
    except Exception as e:
        r = Result(k, ())
        for name in ENGINES + (('numpy',) if k.numpy else ()):
            r.cells[name] = Cell(error=f'building the data failed: {describe(e)}')
        return r
    before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
    r = Result(k, args)
    calls, results = {}, {}
    serial = next((s for s in suite.KERNELS if s.name == k.serial), None) if k.serial else None
    for engine in engines:
        try:
            t0 = time.perf_counter()
            f = engine.define(k)
            results[engine.name] = f(*args)
            r.first[engine.name] = time.perf_counter() - t0
            calls[engine.name] = (lambda f=f: f(*args))
        except Exception as e:
            r.cells[engine.name] = failed(e)
            continue
        if serial is not None:
            # The serial kernel takes turns with the parallel one, so the
            # speed-up compares times taken side by side.
            try:
                g = engine.define(serial)
                g(*args)
                calls[SERIAL_PREFIX + engine.name] = (lambda g=g: g(*args))
            except Exception:
                pass  # the speed-up falls back to the serial row
    if k.numpy is not None:
        try:
            t0 = time.perf_counter()
            results['numpy'] = k.numpy(*args)
            r.first['numpy'] = time.perf_counter() - t0
            calls['numpy'] = lambda: k.numpy(*args)
        except Exception as e:
            r.cells['numpy'] = Cell(error=f'reference failed: {describe(e)}')
    # One untimed round, then `repeat` timed rounds, the engines taking turns.
    for name, cell in time_in_turns(calls, repeat, failed).items():
        if name.startswith(SERIAL_PREFIX):
            if cell.error is None:
                r.serial_cells[name[len(SERIAL_PREFIX):]] = cell
        else:
            r.cells[name] = cell
    r.checks = check(k, results, args)
    for i, (a, b) in enumerate(zip(args, before)):
        # (NaN equals NaN, but a structured array's records have no isnan)
        if b is not None and not np.array_equal(a, b, equal_nan=getattr(a, 'dtype', None) is None or
                                                a.dtype.names is None):
            r.mutated.append(i)
    return r


# --- the table --------------------------------------------------------------------------

HEADER = ['kernel', 'family', 'numjit', 'Numba', 'NumPy', 'numjit/Numba', 'numjit/NumPy',
          '1st numjit', '1st Numba', 'check']
RIGHT = {2, 3, 4, 5, 6, 7, 8}
ERROR_CELL = 30       # characters of an error shown in a table cell


def row_cells(r):
    def ratio(a, b):
        v = r.ratio(a, b)
        return f'{v:.2f}' if v is not None else ''

    def cell(e):
        c = r.cells.get(e)
        if c is not None and c.error is not None:
            # cut here; the summary under the table gives the whole line
            text = c.error if len(c.error) <= ERROR_CELL else c.error[:ERROR_CELL - 3] + '...'
            return f'error: {text}' if e == 'numpy' else f'not supported yet: {text}'
        return c.text() if c is not None else '-'

    def first(e):
        return fmt_time(r.first[e]) if e in r.first else ''

    check = r.check_text()
    if r.mutated:
        check += f' (argument {", ".join(map(str, r.mutated))} changed by a call)'
    return [r.k.name, r.k.family, cell('numjit'), cell('numba'), cell('numpy'),
            ratio('numjit', 'numba'), ratio('numjit', 'numpy'), first('numjit'), first('numba'), check]


def format_table(rows):
    body = [row_cells(r) for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in body]) for i, h in enumerate(HEADER)]

    def line(cells):
        parts = [c.rjust(w) if i in RIGHT else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
        return ' | '.join(parts).rstrip()

    out = [line(HEADER), '=' * (sum(widths) + 3 * (len(widths) - 1))]
    family = None
    for r, cells in zip(rows, body):
        if r.k.family != family and family is not None:
            out.append('-' * len(out[1]))
        family = r.k.family
        out.append(line(cells))
    return '\n'.join(out)


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def summary(rows):
    """(lines, dict) under the table."""
    ratios = [(r.k.name, r.ratio()) for r in rows if r.ratio() is not None and not r.mismatch]
    values = sorted(v for _, v in ratios)
    info = {'kernels': len(rows), 'compared': len(values)}
    lines = []
    if values:
        info['median_numjit_over_numba'] = float(np.median(values))
        info['geomean_numjit_over_numba'] = geomean(values)
        slow = sorted([(n, v) for n, v in ratios if v > SLOW], key=lambda t: -t[1])
        info['above_%.1fx' % SLOW] = {n: v for n, v in slow}
        lines.append(f'numjit / Numba over {len(values)} kernels (both ran, results agree): '
                     f'median {info["median_numjit_over_numba"]:.2f}, '
                     f'geometric mean {info["geomean_numjit_over_numba"]:.2f} (below 1: numjit faster)')
        faster = sum(v < 1.0 for v in values)
        lines.append(f'numjit faster on {faster}, slower on {len(values) - faster}; '
                     f'above {SLOW}x: {len(slow)}')
        if slow:
            lines.append(textwrap.fill(', '.join(f'{n} {v:.2f}x' for n, v in slow), 100,
                                       initial_indent='  ', subsequent_indent='  '))
    by_name = {r.k.name: r for r in rows}
    speedups = {}
    par = [r for r in rows if r.k.serial]
    if par:
        threads = ', '.join(f'{LABELS[e]} {n} threads' for e, n in THREADS.items() if n)
        lines.append(f'parallel speed-up = serial time / parallel time, each engine against itself ({threads}); '
                     'the serial kernel timed in turns with the parallel one:')
        width = max(len(r.k.name) for r in par)
        for r in par:
            s = by_name.get(r.k.serial)
            cells = []
            for e in ENGINES:
                speedup = r.speedup(e, s)
                if speedup is not None:
                    speedups.setdefault(r.k.name, {})[e] = speedup
                    cells.append(f'{LABELS[e]} {speedup:.2f}x')
                else:
                    cells.append(f'{LABELS[e]} n/a')
            lines.append(f'  {r.k.name:<{width}} : ' + ', '.join(cells))
    info['parallel_speedups'] = speedups
    for e in ENGINES:
        failed = [(r.k.name, r.cells[e].error) for r in rows if e in r.cells and r.cells[e].error]
        info[f'{e}_failures'] = dict(failed)
        if failed:
            lines.append(f'{LABELS[e]} could not run {len(failed)}:')
            lines += [f'  {n}: {err}' for n, err in failed]
    noted = [(r.k.name, n) for r in rows if not r.mismatch for n in r.notes]
    info['notes'] = {}
    for n, t in noted:
        info['notes'].setdefault(n, []).append(t)
    if noted:
        lines.append('notes on results (values within tolerance of NumPy, or dtypes):')
        lines += [f'  {n}: {t}' for n, t in noted]
    mism = [(r.k.name, r.check_text()) for r in rows if r.mismatch]
    info['mismatches'] = dict(mism)
    if mism:
        lines.append(f'!!! {len(mism)} MISMATCH{"ES" if len(mism) > 1 else ""} (left out of the '
                     'median and mean above):')
        lines += [f'  {n}: {t}' for n, t in mism]
    mutated = [r.k.name for r in rows if r.mutated]
    if mutated:
        lines.append(f'kernels that changed their arguments (later calls saw other data): {", ".join(mutated)}')
    return lines, info


# --- JSON and the last run ------------------------------------------------------------------

def load_previous(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def compare_previous(rows, previous, quick):
    """Lines: each kernel's numjit time against the last run's."""
    if not previous:
        return []
    old = previous.get('kernels', {})
    when = previous.get('when', '?')
    lines = [f'numjit time against the last run ({when}; change = new / old - 1):']
    width = max(len(r.k.name) for r in rows)
    n = 0
    new, other_sizes = [], []
    for r in rows:
        o = old.get(r.k.name)
        if o is None:
            new.append(r.k.name)
            continue
        if o.get('quick', False) != quick:
            other_sizes.append(r.k.name)
            continue
        was = (o.get('numjit') or {}).get('seconds')
        now = r.seconds('numjit')
        if was is None and now is None:
            continue
        if was is None:
            lines.append(f'  {r.k.name:<{width}} : {fmt_time(now)} (failed last time)')
        elif now is None:
            lines.append(f'  {r.k.name:<{width}} : FAILS NOW (was {fmt_time(was)})')
        else:
            change = now / was - 1.0
            flag = '  <-- slower' if change > 0.10 else ('  <-- faster' if change < -0.10 else '')
            lines.append(f'  {r.k.name:<{width}} : {fmt_time(was):>10} -> {fmt_time(now):>10} '
                         f'({100 * change:+.1f} %){flag}')
        n += 1
    if other_sizes:
        lines.append(f'  not compared (the last run used {"full" if quick else "quick"} sizes): '
                     + ', '.join(other_sizes))
    if new:
        lines.append('  not in the last run: ' + ', '.join(new))
    return lines


def load():
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def machine():
    return {'load_average_1min': load(), 'python': platform.python_version(), 'platform': platform.platform(),
            'processor': platform.processor() or platform.machine(), 'cpus': os.cpu_count(),
            'numpy': np.__version__}


def save_json(path, rows, previous, info, args, started, wall):
    records = {}
    if previous and args.only:
        # a partial run keeps the last records of the kernels it did not run
        records.update(previous.get('kernels', {}))
    for r in rows:
        d = r.json()
        d['quick'] = args.quick
        d['repeat'] = args.repeat
        d['when'] = started
        records[r.k.name] = d
    data = {'suite': 'benchmarks/kernels.py', 'when': started, 'repeat': args.repeat,
            'quick': args.quick, 'only': args.only, 'busy': args.busy, 'wall_seconds': wall, 'machine': machine(),
            'versions': {e.name: e.version for e in ENGINES_LOADED}, 'threads': THREADS,
            'summary': info, 'kernels': records}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(data, f, indent=1, default=float)
    os.replace(tmp, path)


# --- the chart ---------------------------------------------------------------------------------

def draw_chart(path, rows, args, started):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    bars = sorted([r for r in rows if r.ratio() is not None], key=lambda r: r.ratio())
    missing = [r.k.name for r in rows if r.ratio() is None]
    if not bars:
        print('chart: no kernel ran on both engines; nothing drawn')
        return
    families = [f for f in suite.FAMILIES if any(r.k.family == f for r in bars)]
    cmap = plt.get_cmap('tab10')
    colour = {f: cmap(i % 10) for i, f in enumerate(suite.FAMILIES)}
    ratios = np.array([r.ratio() for r in bars])
    y = np.arange(len(bars))
    fig, ax = plt.subplots(figsize=(9, 1.6 + 0.19 * len(bars)))
    ax.barh(y, np.abs(ratios - 1.0), left=np.minimum(ratios, 1.0), height=0.75,
            color=[colour[r.k.family] for r in bars],
            edgecolor=['red' if r.mismatch else 'none' for r in bars],
            hatch=None)
    for yi, r, v in zip(y, bars, ratios):
        tag = f'{v:.2f}' + (' MISMATCH' if r.mismatch else '')
        ax.text(v * (1.04 if v >= 1 else 0.96), yi, tag, va='center', ha='left' if v >= 1 else 'right',
                fontsize=6.5, color='red' if r.mismatch else 'black')
    ax.set_yticks(y)
    ax.set_yticklabels([r.k.name for r in bars], fontsize=7)
    ax.set_xscale('log')
    lo, hi = min(ratios.min(), 1.0), max(ratios.max(), 1.0)
    ax.set_xlim(lo / 1.6, hi * 1.6)
    ax.axvline(1.0, color='black', linewidth=0.8)
    ax.axvline(SLOW, color='grey', linewidth=0.6, linestyle=':')
    ax.set_ylim(-0.7, len(bars) - 0.3)
    ax.set_xlabel('numjit time / Numba time (log scale; left of 1: numjit faster)')
    ax.grid(axis='x', which='both', linewidth=0.3, alpha=0.5)
    sizes = 'quick sizes' if args.quick else 'full sizes'
    ax.set_title(f'benchmarks/kernels.py: {len(bars)} kernels, best of {args.repeat}, {sizes}, '
                 f'{os.cpu_count()} cores, {started[:10]}', fontsize=9)
    ax.legend(handles=[Patch(color=colour[f], label=f) for f in families], fontsize=7,
              loc='lower right', frameon=True)
    if missing:
        fig.text(0.01, 0.005, 'not drawn (an engine could not run them): ' + ', '.join(missing),
                 fontsize=6.5, wrap=True)
    fig.tight_layout(rect=(0, 0.02 if missing else 0, 1, 1))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f'chart: {os.path.relpath(path)}')


# --- main ------------------------------------------------------------------------------------------

def select(only):
    if not only:
        return list(suite.KERNELS)
    wanted = [w.strip() for w in only.split(',') if w.strip()]
    names = {k.name for k in suite.KERNELS}
    serial_partners = {k.serial for k in suite.KERNELS if k.serial}
    chosen = []
    for w in wanted:
        # "parallel": the parallel kernels and their serial versions (for the speed-ups)
        hits = [k for k in suite.KERNELS
                if k.family == w or fnmatch.fnmatchcase(k.name, w)
                or (w == 'parallel' and (k.serial or k.name in serial_partners))]
        if not hits:
            raise SystemExit(f'--only: no kernel or family {w!r}; families: {", ".join(suite.FAMILIES)}; '
                             f'kernels: {", ".join(sorted(names))}')
        chosen += [k for k in hits if k not in chosen]
    return [k for k in suite.KERNELS if k in chosen]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--repeat', type=int, default=5, help='best of N timed rounds (default 5)')
    parser.add_argument('--only', help='comma-separated kernel names (glob patterns allowed), '
                        'family names, or "parallel"')
    parser.add_argument('--quick', action='store_true', help='small sizes (about a tenth)')
    parser.add_argument('--json', default=DEFAULT_JSON, help=f'results file (default {os.path.relpath(DEFAULT_JSON)}); '
                        'its last numjit times are compared before it is overwritten')
    parser.add_argument('--chart', default=None, help=f'chart PNG (default {os.path.relpath(DEFAULT_CHART)}; '
                        'with --only, drawn only when given)')
    parser.add_argument('--no-chart', action='store_true', help='draw no chart')
    parser.add_argument('--list', action='store_true', help='list the kernels and exit')
    parser.add_argument('--busy', action='store_true',
                        help='keep one core busy with another process for the whole run')
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error('--repeat must be at least 1')

    if args.list:
        for k in suite.KERNELS:
            print(f'{k.name:28} {k.family:15} {k.note}')
        print(f'{len(suite.KERNELS)} kernels, {sum(1 for k in suite.KERNELS if k.serial)} of them parallel')
        return 0

    faulthandler.enable()
    warnings.simplefilter('ignore')  # Numba's performance and deprecation notes would break the table
    chosen = select(args.only)
    engines = [Engine(name) for name in ENGINES]
    ENGINES_LOADED.extend(engines)
    for e in engines:
        THREADS[e.name] = e.threads() if e.error is None else None
    started = datetime.datetime.now().isoformat(timespec='seconds')
    load_before = load()
    t_start = time.perf_counter()
    rows = []
    hog = subprocess.Popen([sys.executable, '-c', 'while True: pass']) if args.busy else None
    try:
        for i, k in enumerate(chosen, 1):
            print(f'[{i}/{len(chosen)}] {k.name} ...', file=sys.stderr, flush=True)
            r = run_kernel(k, engines, args.repeat, args.quick)
            rows.append(r)
            if r.mismatch:
                print(f'    MISMATCH in {k.name}: {r.check_text()}', file=sys.stderr, flush=True)
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
    wall = time.perf_counter() - t_start

    versions = ', '.join(f'{LABELS[e.name]} {e.version or e.error}' for e in engines)
    print(f'Scientific kernels: numjit, Numba and NumPy on the same data; best of {args.repeat}'
          f'{", quick sizes" if args.quick else ""}; {versions}, NumPy {np.__version__}')
    print(f'ratios: numjit time / other time (below 1: numjit faster); 1st = first call, compile included; '
          f'{os.cpu_count()} cores, load average {load_before} before and {load()} after the run'
          f'{"; another process kept one core busy throughout" if args.busy else ""}')
    print(format_table(rows))
    lines, info = summary(rows)
    print('\n'.join(lines))
    info['wall_seconds'] = wall
    print(f'{len(rows)} kernels in {wall:.0f} s')

    if args.json:
        previous = load_previous(args.json)
        compared = compare_previous(rows, previous, args.quick)
        if compared:
            print('\n'.join(compared))
        save_json(args.json, rows, previous, info, args, started, wall)
        print(f'results: {os.path.relpath(args.json)}')
    if not args.no_chart and (args.chart or not args.only):
        draw_chart(args.chart or DEFAULT_CHART, rows, args, started)
    return 1 if any(r.mismatch for r in rows) else 0


if __name__ == '__main__':
    sys.exit(main())
