"""Timing, result checks, subprocess probes and the plain-text table."""
import gc
import json
import os
import subprocess
import sys
import time

import numpy as np

# Characters of an exception's first line shown in the table (the JSON output
# keeps the whole line).
ERROR_WIDTH = 80


def describe(exc):
    """'ExceptionType: first line of the message'."""
    lines = str(exc).strip().splitlines()
    return f'{type(exc).__name__}: {lines[0]}' if lines else type(exc).__name__


class Cell:
    """One measurement: seconds, or the error that prevented it."""

    def __init__(self, seconds=None, error=None, note=None):
        self.seconds, self.error, self.note = seconds, error, note

    @classmethod
    def failed(cls, exc):
        return cls(error=exc if isinstance(exc, str) else describe(exc))

    def text(self):
        if self.error is not None:
            msg = self.error
            if len(msg) > ERROR_WIDTH:
                msg = msg[:ERROR_WIDTH - 3] + '...'
            return f'not supported yet: {msg}'
        return fmt_time(self.seconds) if self.seconds is not None else '-'

    def json(self):
        if self.error is not None:
            return {'error': self.error}
        return None if self.seconds is None else {'seconds': self.seconds}


def fmt_time(seconds):
    for unit, scale in (('s', 1.0), ('ms', 1e-3), ('us', 1e-6)):
        if seconds >= scale:
            return f'{seconds / scale:.4g} {unit}'
    return f'{seconds / 1e-9:.4g} ns'


def best_of(call, repeat):
    """Best wall time of `repeat` calls, with the garbage collector off (as
    timeit does)."""
    best = float('inf')
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - t0)
    finally:
        if gc_was_enabled:
            gc.enable()
    return best


def measure(call, repeat, warmup=True):
    """(Cell, result): best of `repeat` timed calls.  With warmup, one untimed
    call comes first (the one that compiles).  The result is the first call's.
    Any exception becomes a 'not supported yet' cell and a None result."""
    try:
        if warmup:
            result = call()
            return Cell(best_of(call, repeat)), result
        t0 = time.perf_counter()
        result = call()
        first = time.perf_counter() - t0
        return Cell(min(first, best_of(call, repeat - 1))), result
    except Exception as e:
        return Cell.failed(e), None


def measure_interleaved(calls, repeat):
    """Like measure(warmup=True) for several callables {name: call}, timed
    in turn (a, b, a, b, ...) so that drift in the machine's state (clock,
    other load, memory) hits all alike.  Returns ({name: Cell}, {name: result}).

    After the warm-up calls (which compile, and whose results are returned)
    comes one more untimed round: the first call after them was seen to be
    several times slower than the rest, whichever backend made it (fresh
    memory for the big outputs), which skewed `--repeat 1` runs."""
    cells, results = {}, {}
    for name, call in calls.items():
        try:
            results[name] = call()
        except Exception as e:
            cells[name], results[name] = Cell.failed(e), None
    timed = time_in_turns({name: call for name, call in calls.items() if name not in cells}, repeat)
    for name, cell in timed.items():
        if cell.error is not None:
            results[name] = None
    cells.update(timed)
    return cells, results


def seating(names, round_):
    """The order of `names` in round `round_`: rotated one further each
    round, and reversed in odd rounds. A rotation alone keeps the cyclic
    order, in which each name still follows the same one."""
    if not names:
        return names
    start = round_ % len(names)
    order = names[start:] + names[:start]
    return order[::-1] if round_ % 2 else order


def time_in_turns(calls, repeat, failed=Cell.failed):
    """{name: Cell}: one untimed round of the callables, then the best of
    `repeat` rounds in which they take turns; a call that raises gets
    failed(exception) and leaves the rounds.

    The order changes from round to round (seating), so that none always
    follows the same one: a call finds memory in the state its predecessor
    left (the heap just trimmed by NumPy's freed temporaries, or its output
    buffer still in cache), and a fixed order gave one engine every bad seat."""
    cells, best = {}, {name: float('inf') for name in calls}
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for round_ in range(repeat + 1):
            for name in seating(list(best), round_):
                try:
                    t0 = time.perf_counter()
                    calls[name]()
                    if round_ > 0:
                        best[name] = min(best[name], time.perf_counter() - t0)
                except Exception as e:
                    cells[name] = failed(e)
                    del best[name]
    finally:
        if gc_was_enabled:
            gc.enable()
    cells.update({name: Cell(t) for name, t in best.items()})
    return cells


def reldiff(a, b):
    """max |a - b| / max |b| (a norm-wise relative difference, so entries
    near zero do not blow it up)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float('inf')
    if a.size == 0:
        return 0.0
    scale = np.max(np.abs(b))
    diff = np.max(np.abs(a - b))
    if not np.isfinite(diff) or not np.isfinite(scale):
        return 0.0 if np.array_equal(a, b, equal_nan=True) else float('nan')
    return float(diff / scale) if scale > 0 else float(diff)


class Check:
    """Comparisons of results, each (what, a, b, rtol); ok if all within."""

    def __init__(self, comparisons=(), note=None):
        self.items = []
        self.note = note
        for what, a, b, rtol in comparisons:
            try:
                rel = reldiff(a, b)
            except Exception as e:
                rel, what = float('nan'), f'{what} ({describe(e)})'
            self.items.append({'what': what, 'rel': rel, 'rtol': rtol,
                               'ok': bool(rel <= rtol)})

    @property
    def ok(self):
        return all(i['ok'] for i in self.items) if self.items else None

    def text(self):
        if not self.items:
            return self.note or '-'
        worst = max(self.items, key=lambda i: (not i['ok'], i['rel'] / max(i['rtol'], 1e-300)))
        tag = f' {self.note}' if self.note else ''
        if worst['ok']:
            return f'ok {worst["rel"]:.0e}{tag}'
        return f'FAIL {worst["rel"]:.1e} > {worst["rtol"]:.0e}: {worst["what"]}'

    def json(self):
        return {'ok': self.ok, 'note': self.note, 'comparisons': self.items}


class Row:
    """A table row: label, reference (Python/NumPy) cell, Numba cell, numjit
    cell, check; section rows only carry a title."""

    def __init__(self, name, label, ref=None, numba=None, numjit=None,
                 check=None, tutorial=None, section=False, extra=None):
        self.name, self.label, self.section = name, label, section
        self.ref, self.numba, self.numjit = ref, numba, numjit
        self.check, self.tutorial, self.extra = check, tutorial, extra or {}

    @property
    def ratio(self):
        a, b = self.numjit, self.numba
        if a is None or b is None or a.seconds is None or b.seconds is None:
            return None
        return a.seconds / b.seconds if b.seconds > 0 else None

    def cells(self):
        ratio = self.ratio
        return [self.label,
                self.ref.text() if self.ref else '',
                self.numba.text() if self.numba else '',
                self.numjit.text() if self.numjit else '',
                f'{ratio:.2f}' if ratio is not None else '',
                self.check.text() if self.check else '',
                fmt_time(self.tutorial) if self.tutorial else '']

    def json(self):
        d = {'name': self.name, 'label': self.label}
        for key in ('ref', 'numba', 'numjit', 'check'):
            obj = getattr(self, key)
            if obj is not None:
                d['python_numpy' if key == 'ref' else key] = obj.json()
        if self.ratio is not None:
            d['numjit_over_numba'] = self.ratio
        if self.tutorial:
            d['tutorial_seconds'] = self.tutorial
        d.update(self.extra)
        return d


HEADER = ['benchmark', 'Python/NumPy', 'Numba', 'numjit', 'numjit/Numba',
          'check', 'tutorial']


def format_table(rows, show_tutorial, header=None, nright=4):
    """The table; `header` replaces HEADER for tables whose rows' cells() give
    other columns, of which the `nright` after the label (the figures) are
    right-aligned and the rest left-aligned."""
    header = header or (HEADER if show_tutorial else HEADER[:-1])
    ncol = len(header)
    body = [r for r in rows if not r.section]
    widths = [len(h) for h in header]
    for r in body:
        widths = [max(w, len(c)) for w, c in zip(widths, r.cells()[:ncol])]

    def line(cells):
        parts = [cells[0].ljust(widths[0])]
        parts += [c.rjust(w) for c, w in zip(cells[1:nright + 1], widths[1:nright + 1])]
        parts += [c.ljust(w) for c, w in zip(cells[nright + 1:], widths[nright + 1:])]
        return ' | '.join(parts).rstrip()

    total = sum(widths) + 3 * (ncol - 1)
    out = [line(header), '=' * total]
    for r in rows:
        if r.section:
            out.append(f'-- {r.label} ' + '-' * max(0, total - len(r.label) - 4))
        else:
            out.append(line(r.cells()[:ncol]))
    return '\n'.join(out)


# --- fresh subprocesses --------------------------------------------------------

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_probe.py')


def run_probe(args, timeout=300, script=PROBE):
    """Run _probe.py (or another `script` that answers the same way: one JSON
    line last) in a fresh interpreter; return its JSON answer.
    Raises RuntimeError (with the reason) if it fails or crashes."""
    try:
        p = subprocess.run([sys.executable, script, *args], capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f'timed out after {timeout} s')
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        err = (p.stderr.strip().splitlines() or ['no output'])[-1]
        raise RuntimeError(f'probe exited with {p.returncode}: {err}')
    answer = json.loads(lines[-1])
    if 'error' in answer:
        raise RuntimeError(answer['error'])
    return answer


# --- parallel speed-up -----------------------------------------------------------

def speedups(rows, pairs):
    """[(parallel, serial, {backend: serial seconds / parallel seconds})] for
    each (parallel row, serial row) pair of `pairs` where both rows ran."""
    by_name = {r.name: r for r in rows if not r.section}
    found = []
    for par, ser in pairs:
        if par in by_name and ser in by_name:
            ratios = {}
            for backend in ('numjit', 'numba'):
                p, s = getattr(by_name[par], backend), getattr(by_name[ser], backend)
                if p and s and p.seconds and s.seconds is not None:
                    ratios[backend] = s.seconds / p.seconds
            found.append((par, ser, ratios))
    return found


def format_speedups(found, meta, target):
    """Lines for the table's foot: each backend's parallel version against its
    own serial one; numjit's figure is flagged when below `target`.  `meta`
    gives the thread counts ({backend: {'num_threads': n}})."""
    if not found:
        return []
    threads = ', '.join(f'{k} {meta[k]["num_threads"]} threads' for k in ('numjit', 'numba')
                        if 'num_threads' in meta.get(k, {})) or 'threads unknown'
    out = [f'parallel speed-up = serial time / parallel time, each backend against '
           f'itself ({threads}); target for numjit: >= {target}x']
    width = max(len(f'{p} vs {s}') for p, s, _ in found)
    for par, ser, ratios in found:
        cells = []
        for backend, label in (('numjit', 'numjit'), ('numba', 'Numba')):
            r = ratios.get(backend)
            text = f'{r:.2f}x' if r is not None else 'n/a'
            if backend == 'numjit' and r is not None and r < target:
                text += ' (below target)'
            cells.append(f'{label} {text}')
        out.append(f'  {f"{par} vs {ser}":<{width}} : ' + ', '.join(cells))
    return out
