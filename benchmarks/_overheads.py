"""The overhead rows of seed_tutorial.py: compile time, call overhead and
import time, for Numba and numjit."""
import timeit

from _harness import Cell, Check, Row, run_probe


WARNINGS = []  # printed under the table by seed_tutorial.py


def _probes(backends, args, times=3):
    """Run _probe.py `times` times per backend, backends taking turns;
    returns {name: [answers]} or {name: Cell with the error}.  Warns if a
    fresh process imported the module from another file than this one."""
    answers = {name: [] for name in backends}
    for _ in range(times):
        for name, backend in backends.items():
            if isinstance(answers[name], list):
                try:
                    answer = run_probe(args(name))
                except RuntimeError as e:
                    answers[name] = Cell.failed(str(e))
                    continue
                answers[name].append(answer)
                here = getattr(backend.module, '__file__', None)
                if answer.get('file') != here:
                    warning = (f'warning: a fresh process imported {name} from '
                               f'{answer.get("file")}, this one from {here}')
                    if warning not in WARNINGS:
                        WARNINGS.append(warning)
    return answers


def _best(answers, key):
    return answers if isinstance(answers, Cell) else Cell(min(a[key] for a in answers))


def compile_rows(backends):
    """First-call compile time of sum_numba and sum_parallel: first call minus
    second call, in a fresh process, best of 3 processes (see _probe.py)."""
    rows = []
    for func in ('sum_numba', 'sum_parallel'):
        answers = _probes(backends, lambda name: ['compile', name, func])
        rows.append(Row(f'compile_{func}',
                        f'first-call compile {func} (fresh proc., best of 3)',
                        numba=_best(answers['numba'], 'compile'),
                        numjit=_best(answers['numjit'], 'compile')))
    return rows


def _py_identity(x):
    return x


def call_row(backends, repeat, number=100000):
    """Seconds per call f(1) of the trivial @njit identity; the reference is
    the same function in plain Python.  The timings take turns."""
    cells, results, timers = {}, {}, {'python': timeit.Timer('f(1)', globals={'f': _py_identity})}
    for name, backend in backends.items():
        try:
            f = backend.get('identity')
            results[name] = f(1)
            timers[name] = timeit.Timer('f(1)', globals={'f': f})
        except Exception as e:
            cells[name] = Cell.failed(e)
    best = {name: float('inf') for name in timers}
    for _ in range(max(3, repeat)):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(number) / number)
    cells.update({name: Cell(t) for name, t in best.items()})
    comparisons = [('numjit f(1) vs Numba', results['numjit'], results['numba'], 0.0)] \
        if len(results) == 2 else []
    return Row('call', 'call overhead: @njit identity, f(1)', ref=cells['python'],
               numba=cells['numba'], numjit=cells['numjit'], check=Check(comparisons))


def cached_row(backends):
    """cache=True: in a fresh process whose cache a first process filled, the
    import of the function's module plus its first call, minus the second
    call (the cost of loading the cached code, on top of importing numba or
    numjit), best of 3 processes."""
    import tempfile
    folder = tempfile.mkdtemp(prefix='numjit_bench_cache_')
    try:
        _probes(backends, lambda name: ['cached', name, folder], times=1)  # fills the caches
        answers = _probes(backends, lambda name: ['cached', name, folder])
    finally:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)
    return Row('cached', 'cache=True: load + first call sum_numba (fresh proc., best of 3)',
               numba=_best(answers['numba'], 'load'), numjit=_best(answers['numjit'], 'load'))


def import_row(backends):
    """`import numba` / `import numjit` in fresh processes with numpy already
    imported; the reference is `import numpy` itself."""
    answers = _probes(backends, lambda name: ['import', name])
    numpy_times = [a['numpy'] for v in answers.values() if isinstance(v, list) for a in v]
    return Row('import', 'import numba / numjit (fresh proc., best of 3)',
               ref=Cell(min(numpy_times)) if numpy_times else None,
               numba=_best(answers['numba'], 'module'),
               numjit=_best(answers['numjit'], 'module'))
