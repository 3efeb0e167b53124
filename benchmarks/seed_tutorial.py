"""The seed tutorial's timing table, for Python, NumPy, Numba and numjit.

Runs every example of the seed tutorial (/work/shared/seed/tutorial.md) on the
same data in one process: the pure Python/NumPy versions, and each compiled
function twice -- once under the real Numba, once under numjit -- from the
same source text (see _seed_code.py), with a check that the results agree.

    python benchmarks/seed_tutorial.py                # 2**27 elements, as the tutorial
    python benchmarks/seed_tutorial.py --quick        # 2**22 elements
    python benchmarks/seed_tutorial.py --repeat 3 --only sum_numba,ell --json out.json

Rows whose function numjit (or Numba) cannot run yet say "not supported yet";
the other rows go on.  --only takes row names or groups: see --help.
"""
import argparse
import faulthandler
import json
import os
import platform
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _overheads as overheads  # noqa: E402
import _seed_code as seed  # noqa: E402
from _harness import (Cell, Check, Row, format_speedups, format_table,  # noqa: E402
                      measure, measure_interleaved, speedups)

FULL, QUICK = 2**27, 2**22

# The seed tutorial's published times [s] (its machine, 2**27 elements).
TUTORIAL = {'sum_python': 2.220273009967059, 'sum_numpy': 2.304305628989823,
            'sum_numpy2': 3.0203089740825817, 'sum_numba': 2.5618122160667554,
            'sum_parallel': 0.15291113802231848, 'f_numpy2': 5.065712174982764,
            'f_numpy3': 2.4017412570538, 'f_numba': 1.057333413977176,
            'f_parallel': 0.21806608501356095}

GROUPS = {
    'arctan': ['sum_python', 'sum_numpy', 'sum_numpy2', 'sum_numba', 'sum_parallel'],
    'loglikelihood': ['ell', 'ell_parallel', 'ell_grad', 'ell_grad_parallel'],
    'ufuncs': ['f_numpy2', 'f_numpy3', 'f_numba', 'f_numba_out', 'f_parallel',
               'log_normal_pdf', 'copy'],
    'overheads': ['compile', 'call', 'import', 'cached'],
}
ALL_ROWS = [name for names in GROUPS.values() for name in names]

# Parallel speed-up lines under the table: (parallel, serial) rows; numjit's target (2 cores).
SPEEDUP_PAIRS = [('sum_parallel', 'sum_numba'), ('ell_parallel', 'ell'),
                 ('ell_grad_parallel', 'ell_grad')]
SPEEDUP_TARGET = 1.8

LEGEND = """\
Python/NumPy: the tutorial's pure Python / NumPy version (or the reference
  named in the row), best of {repeat} calls; Numba / numjit: the same source
  compiled by each, best of {repeat} calls after two untimed ones (the first
  compiles), the two taking turns; numjit/Numba < 1 means numjit is faster.
check: numjit's result against Numba's, max|diff| / max|Numba's| (rtol 1e-12
  serial, 1e-10 parallel and ell_grad*, whose result is the whole gradient
  vector out; 1e-8 for sum_parallel: its 1.3e8 positive terms, summed by
  each engine's threads in another order, may differ by n*eps = 1.5e-8, and
  both serial sums are 2.8e-9 from the exact sum) and, on reference rows, the
  compiled result against the Python/NumPy one on the same input ([numba]
  when numjit could not run it).
Scaled rows: as in the tutorial, sum_python runs on jind[:100] and sum_numpy on
  Xnp[:4000]; the "per full data" line below each extrapolates to all rows.
sum_numpy/sum_numpy2 index j per row (0..M-1) where sum_python/sum_numba use
  the global index, so they compute a different sum: only their speed compares.
Overheads: compile = first call minus second call in a fresh process; call =
  f(1) on a trivial @njit identity (Python/NumPy: a plain Python function);
  import = `import numba` / `import numjit` in a fresh process with numpy
  preloaded (Python/NumPy: importing numpy itself)."""


class Bench:
    def __init__(self, ntot, repeat, selected, progress=sys.stderr):
        self.ntot, self.repeat, self.selected = ntot, repeat, selected
        self.progress = progress
        self.pure = seed.pure_functions()
        self.backends = {name: seed.Backend(name) for name in ('numba', 'numjit')}
        self.rows = []
        self.meta = {}

    # -- helpers ---------------------------------------------------------------

    def add(self, row):
        self.rows.append(row)
        if self.progress and not row.section:
            cells = row.cells()
            print(f'  {cells[0].strip()}: ' + ' | '.join(
                f'{h} {c}' for h, c in zip(('ref', 'numba', 'numjit', 'ratio', 'check'),
                                           cells[1:6]) if c),
                  file=self.progress, flush=True)
        elif self.progress:
            print(f'[seed_tutorial] {row.label}', file=self.progress, flush=True)

    def jit_pair(self, fname, make_call, rtol):
        """Time `fname` under Numba and numjit: make_call(f) gives the call to
        time.  Returns (numba cell, numjit cell, check, results)."""
        calls, failed = {}, {}
        for name, backend in self.backends.items():
            try:
                calls[name] = make_call(backend.get(fname))
            except Exception as e:
                failed[name] = Cell.failed(e)
        cells, results = measure_interleaved(calls, self.repeat)
        cells.update(failed)
        results.update({name: None for name in failed})
        comparisons = []
        if cells['numba'].error is None and cells['numjit'].error is None:
            comparisons.append(('numjit vs Numba', results['numjit'], results['numba'], rtol))
        return cells['numba'], cells['numjit'], comparisons, results

    def compiled_result(self, fname, call):
        """call(f) with numjit's f, or Numba's if numjit cannot: (result, tag)."""
        for name in ('numjit', 'numba'):
            try:
                return call(self.backends[name].get(fname)), name
            except Exception:
                continue
        return None, None

    def ref_check(self, ref_result, fname, call, rtol, what):
        if ref_result is None:
            return Check(note='-')
        result, backend = self.compiled_result(fname, call)
        if backend is None:
            return Check(note='-')
        return Check([(f'{backend} {what}', result, ref_result, rtol)],
                     note='[numba]' if backend == 'numba' else None)

    def want(self, name):
        return name in self.selected

    def scaled_row(self, name, row, factor):
        cell = row.ref
        scaled = Cell(cell.seconds * factor) if cell.seconds is not None else cell
        return Row(name, f'  -> per full data (x{factor:.4g})', ref=scaled,
                   check=Check(note='extrapolated'), extra={'scale': factor})

    def tutorial(self, name):
        return TUTORIAL.get(name) if self.ntot == FULL else None

    # -- the tutorial's sections -------------------------------------------------

    def arctan_section(self):
        d = seed.arctan_data(self.ntot, with_Xnp=self.want('sum_numpy'))
        self.meta['arctan'] = {'rows': d.N, 'elements': d.Ntot}
        self.add(Row('', f'arctan sum (tutorial example 1): {d.N} rows, {d.Ntot} elements',
                     section=True))
        P, X, jind = self.pure, d.X, d.jind
        if self.want('sum_python'):
            sub = jind[:100]
            ref, r = measure(lambda: P.sum_python(X, sub), self.repeat, warmup=False)
            check = self.ref_check(r, 'sum_numba', lambda f: f(X, sub), 1e-12,
                                   'sum_numba vs sum_python')
            row = Row('sum_python', 'sum_python  (X, jind[:100]) [raw]', ref=ref,
                      check=check, tutorial=self.tutorial('sum_python'))
            self.add(row)
            self.add(self.scaled_row('sum_python_full', row, d.Ntot / sub[-1]))
        if self.want('sum_numpy'):
            nrows = min(d.N, 4000)
            ref, r = measure(lambda: P.sum_numpy(d.Xnp[:4000]), self.repeat, warmup=False)
            # No compiled function computes sum_numpy's sum (see LEGEND): check
            # it against sum_numpy2 on the same rows, which does.
            check = Check([('sum_numpy vs sum_numpy2 on the same rows',
                            r, P.sum_numpy2(X, jind[:nrows + 1]), 1e-10)],
                          note='vs sum_numpy2') if r is not None else Check(note='-')
            row = Row('sum_numpy', 'sum_numpy   (Xnp[:4000]) [raw]', ref=ref,
                      check=check, tutorial=self.tutorial('sum_numpy'))
            self.add(row)
            self.add(self.scaled_row('sum_numpy_full', row, d.N / nrows))
            d.Xnp = None
        if self.want('sum_numpy2'):
            ref, _ = measure(lambda: P.sum_numpy2(X, jind), self.repeat, warmup=False)
            self.add(Row('sum_numpy2', 'sum_numpy2  (X, jind)', ref=ref,
                         check=Check(note='n/a (other sum)'),
                         tutorial=self.tutorial('sum_numpy2')))
        for name, rtol in (('sum_numba', 1e-12), ('sum_parallel', 1e-8)):
            if self.want(name):
                nb, nj, comp, _ = self.jit_pair(name, lambda f: lambda: f(X, jind), rtol)
                self.add(Row(name, f'{name:<12}(X, jind)', numba=nb, numjit=nj,
                             check=Check(comp), tutorial=self.tutorial(name)))

    def ell_section(self):
        d = seed.ell_data(self.ntot)
        self.meta['ell'] = {'rows': d.Nt, 'elements': d.Ntot}
        self.add(Row('', f'log-likelihood ell (tutorial use case): {d.Nt} rows, '
                     f'{d.Ntot} elements', section=True))
        for name, rtol in (('ell', 1e-12), ('ell_parallel', 1e-10)):
            if self.want(name):
                nb, nj, comp, _ = self.jit_pair(name, lambda f: lambda: f(*d.args), rtol)
                self.add(Row(name, f'{name:<12}(X, Nt, jind, I, I0)', numba=nb,
                             numjit=nj, check=Check(comp)))

        def with_out(f):  # each backend writes into its own out; the result is out
            out = np.empty(d.Nt + 2)
            return lambda: f(*d.args, out)

        for name in ('ell_grad', 'ell_grad_parallel'):
            if self.want(name):
                nb, nj, comp, _ = self.jit_pair(name, with_out, 1e-10)
                self.add(Row(name, f'{name:<17}(X, Nt, jind, I, I0, out)', numba=nb,
                             numjit=nj, check=Check(comp)))

    def ufunc_section(self):
        u = seed.ufunc_data(self.ntot)
        A, x, mu, sigma = u.A, u.x, u.mu, u.sigma
        self.add(Row('', f'ufuncs with @vectorize (tutorial example 2): {A.size} elements;'
                     f' log_normal_pdf: x {x.shape}, mu {mu.shape}, sigma {sigma.shape}',
                     section=True))
        for name in ('f_numpy2', 'f_numpy3'):
            if self.want(name):
                f = getattr(self.pure, name)
                ref, r = measure(lambda: f(A, 4), self.repeat, warmup=False)
                check = self.ref_check(r, 'f_numba', lambda g: g(A, 4), 1e-12,
                                       f'f_numba vs {name}')
                self.add(Row(name, f'{name:<10}(A, 4)', ref=ref, check=check,
                             tutorial=self.tutorial(name)))
                del r

        def with_out(f):  # each backend writes into its own B
            B = np.empty_like(A)
            return lambda: f(A, 4, out=B)

        variants = [('f_numba', 'f_numba', 'f_numba   (A, 4)', 1e-12,
                     lambda f: lambda: f(A, 4)),
                    ('f_numba_out', 'f_numba', 'f_numba   (A, 4, out=B)', 1e-12, with_out),
                    ('f_parallel', 'f_parallel', 'f_parallel(A, 4)', 1e-10,
                     lambda f: lambda: f(A, 4))]
        for name, fname, label, rtol, make_call in variants:
            if self.want(name):
                nb, nj, comp, _ = self.jit_pair(fname, make_call, rtol)
                self.add(Row(name, label, numba=nb, numjit=nj, check=Check(comp),
                             tutorial=self.tutorial(name)))
        if self.want('log_normal_pdf'):
            ref, r = measure(lambda: -0.5 * ((x - mu) / sigma)**2 - np.log(sigma),
                             self.repeat, warmup=False)
            nb, nj, comp, results = self.jit_pair(
                'log_normal_pdf', lambda f: lambda: f(x, mu, sigma), 1e-12)
            tag = 'numjit' if results.get('numjit') is not None else 'numba'
            best = results.get(tag)
            if r is not None and best is not None:
                comp.append((f'{tag} vs NumPy expression', best, r, 1e-12))
            self.add(Row('log_normal_pdf', 'log_normal_pdf(x, mu, sigma)  [ref: NumPy expr.]',
                         ref=ref, numba=nb, numjit=nj,
                         check=Check(comp, note='[numba]' if tag == 'numba' else None)))
            del r, best, results
        if self.want('copy'):
            ref, _ = measure(lambda: A.copy(), self.repeat, warmup=False)
            self.add(Row('copy', 'A.copy()  [memory bandwidth ref.]', ref=ref))
            B = np.empty_like(A)
            ref, _ = measure(lambda: np.copyto(B, A), self.repeat, warmup=False)
            self.add(Row('copyto', 'np.copyto(B, A)  [same, no allocation]', ref=ref))

    def overhead_section(self):
        self.add(Row('', 'overheads', section=True))
        if self.want('compile'):
            for row in overheads.compile_rows(self.backends):
                self.add(row)
        if self.want('call'):
            self.add(overheads.call_row(self.backends, self.repeat))
        if self.want('import'):
            self.add(overheads.import_row(self.backends))
        if self.want('cached'):
            self.add(overheads.cached_row(self.backends))

    def run(self):
        sections = [('arctan', self.arctan_section), ('loglikelihood', self.ell_section),
                    ('ufuncs', self.ufunc_section), ('overheads', self.overhead_section)]
        for group, section in sections:
            if any(self.want(n) for n in GROUPS[group]):
                section()
        return self.rows

    def metadata(self):
        meta = {'ntot': self.ntot, 'repeat': self.repeat, 'rows_selected': self.selected,
                'python': platform.python_version(), 'numpy': np.__version__,
                'platform': platform.platform(), 'cpu_count': os.cpu_count()}
        for name, b in self.backends.items():
            meta[name] = ({'version': b.version, 'file': getattr(b.module, '__file__', None)}
                          if b.module else {'import_error': str(b.import_error)})
            if b.module is not None and hasattr(b.module, 'get_num_threads'):
                meta[name]['num_threads'] = b.module.get_num_threads()
        meta.update(self.meta)
        return meta


def parse_only(text):
    if not text:
        return list(ALL_ROWS)
    selected = []
    for item in text.split(','):
        item = item.strip()
        names = GROUPS.get(item, [item])
        for name in names:
            if name not in ALL_ROWS:
                raise SystemExit(f'--only: unknown row {name!r}; rows: {", ".join(ALL_ROWS)};'
                                 f' groups: {", ".join(GROUPS)}')
            if name not in selected:
                selected.append(name)
    return selected


def _version_text(info):
    if 'import_error' in info:
        return '(not importable)'
    return info['version'] or '(no __version__)'


def run(ntot, repeat=5, only=None, json_path=None, out=sys.stdout, quiet=False):
    """Measure, print the table (and legend) to `out`, write JSON; returns the
    rows.  demo.py calls this."""
    faulthandler.enable()  # a crash in compiled code still says where
    bench = Bench(ntot, repeat, parse_only(only), progress=None if quiet else sys.stderr)
    rows = bench.run()
    meta = bench.metadata()
    versions = ', '.join(f'{k} {_version_text(meta[k])}' for k in ('numba', 'numjit'))
    size = f' (2**{ntot.bit_length() - 1})' if ntot & (ntot - 1) == 0 else ''
    print(f'\nSeed tutorial benchmark: Ntot = {ntot}{size}, best of {repeat}; '
          f'numpy {np.__version__}, {versions}; {os.cpu_count()} CPUs', file=out)
    print(format_table(rows, show_tutorial=ntot == FULL), file=out)
    found = speedups(rows, SPEEDUP_PAIRS)
    for line in format_speedups(found, meta, SPEEDUP_TARGET):
        print(line, file=out)
    for warning in overheads.WARNINGS:
        print(warning, file=out)
    if ntot == FULL:
        print("tutorial: the seed tutorial's published time on its own machine.", file=out)
    print(LEGEND.format(repeat=repeat), file=out)
    if json_path:
        with open(json_path, 'w') as f:
            json.dump({'meta': meta, 'warnings': overheads.WARNINGS,
                       'rows': [r.json() for r in rows if not r.section],
                       'parallel_speedups': [{'parallel': p, 'serial': q, **r}
                                             for p, q, r in found]}, f, indent=1)
        print(f'JSON written to {json_path}', file=out)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument('--quick', action='store_true', help='Ntot = 2**22 (default 2**27)')
    size.add_argument('--ntot', type=int, default=None, help='Ntot, any size')
    parser.add_argument('--repeat', type=int, default=5, help='best of N runs (default 5)')
    parser.add_argument('--only', default=None, help='rows or groups, comma separated. Rows: '
                        + ', '.join(ALL_ROWS) + '; groups: ' + ', '.join(GROUPS))
    parser.add_argument('--json', default=None, metavar='PATH', help='write figures as JSON')
    parser.add_argument('--quiet', action='store_true', help='no progress lines on stderr')
    args = parser.parse_args(argv)
    ntot = args.ntot or (QUICK if args.quick else FULL)
    run(ntot, max(1, args.repeat), args.only, args.json, quiet=args.quiet)


if __name__ == '__main__':
    main()
