"""cache=True: compiled code on disk, reused by later processes.

Every test runs real Python processes on a module written to a temporary
folder, as a job script would: the first process compiles and writes the
cache, later ones load it. Each process reports its results, the function run
as plain Python (`.py_func`) for comparison, the cache's counters and whether
LLVM was loaded at all.
"""
import ast
import json
import os
import subprocess
import sys
import textwrap

import pytest

MODULE = textwrap.dedent("""
    import numpy as np
    import numjit
    from numjit import njit

    SCALE = {scale}
    TABLE = np.arange(5.0) * {scale}


    class MeasurementError(Exception):
        pass


    @njit(cache=True)
    def helper(x):
        return x * SCALE + {offset}


    @njit(cache=True)
    def kernel(a):
        s = 0.0
        for i in range(a.shape[0]):
            if a[i] < -1e300:
                raise MeasurementError("too small")
            s += helper(a[i]) + TABLE[i % 5]
        return s


    @njit(cache=True, parallel=True)
    def parallel_sum(a):
        s = 0.0
        for i in numjit.prange(a.shape[0]):
            s += np.sqrt(a[i]) * SCALE
        return s


    @njit("float64(int64, float64)", cache=True)
    def eager(n, x):
        if n < 0:
            raise ValueError("negative")
        return n * x


    @numjit.vectorize(["float64(float64, float64)"], cache=True)
    def muladd(x, y):
        return x * y + SCALE


    @numjit.vectorize(cache=True)
    def twice(x):
        return 2 * x


    @njit(cache=True)
    def gram(a):
        return np.dot(a, a.T) * SCALE  # BLAS, found again by name when the entry loads


    @numjit.stencil
    def curvature(u):
        return u[-1] + u[1] - 2.0 * u[0]


    @njit(cache=True)
    def smooth(u):
        return u + 0.25 * SCALE * curvature(u)  # a stencil is cached with the function that calls it


    @numjit.guvectorize(["void(float64[:], float64[:])"], "(n)->(n)", cache=True)
    def running(x, out):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * SCALE
            out[i] = s
""")

RUNNER = textwrap.dedent("""
    import json, sys, warnings
    sys.path.insert(0, {folder!r})
    import numpy as np
    import numjit.cache
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import cached_module as m
        a = np.arange(1.0, 12.0)
        out = {{}}
        out["kernel"] = [m.kernel(a), m.kernel.py_func(a)]
        out["helper_int"] = [m.helper(3), m.helper.py_func(3)]
        out["parallel"] = [m.parallel_sum(a), m.parallel_sum.py_func(a)]
        out["eager"] = [m.eager(4, 2.5), m.eager.py_func(4, 2.5)]
        out["muladd"] = [m.muladd(a, a).tolist(), (a * a + m.SCALE).tolist()]
        out["twice"] = [m.twice(a).tolist(), (2 * a).tolist()]
        smooth_expected = a.copy()
        smooth_expected[1:-1] += 0.25 * m.SCALE * (a[:-2] + a[2:] - 2.0 * a[1:-1])
        out["stencil"] = [m.smooth(a).tolist(), smooth_expected.tolist()]
        b = np.arange(6.0).reshape(2, 3)
        out["blas"] = [m.gram(b).ravel().tolist(), m.gram.py_func(b).ravel().tolist()]
        out["gufunc"] = [m.running(a.reshape(1, -1)).ravel().tolist(), np.cumsum(a * m.SCALE).tolist()]
        try:
            m.kernel(np.array([-1e308]))
            out["raised"] = None
        except m.MeasurementError as exc:
            out["raised"] = str(exc)
        try:
            m.eager(-1, 1.0)
        except ValueError as exc:
            out["raised_builtin"] = str(exc)
    out["warnings"] = [str(w.message) for w in caught]
    out["stats"] = numjit.cache.stats()
    out["llvm_loaded"] = "numjit._compiler" in sys.modules
    print(json.dumps(out))
""")


def write_module(folder, scale=2.0, offset=1.0):
    folder.mkdir(exist_ok=True)
    (folder / "cached_module.py").write_text(MODULE.format(scale=scale, offset=offset))


def start(folder, **env):
    script = folder / "runner.py"
    text = RUNNER.format(folder=str(folder))
    if not script.exists() or script.read_text() != text:  # never rewritten under a starting process
        script.write_text(text)
    full_env = dict(os.environ, **env)
    full_env.pop("NUMJIT_CACHE_DIR", None)
    full_env.pop("NUMBA_CACHE_DIR", None)
    full_env.update(env)
    return subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=full_env, cwd=str(folder))


def finish(process):
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-3000:]
    report = json.loads(stdout.strip().splitlines()[-1])
    report["stderr"] = stderr
    for name in ("kernel", "helper_int", "parallel", "eager", "muladd", "twice", "gufunc", "blas", "stencil"):
        got, expected = report[name]
        assert got == pytest.approx(expected, rel=1e-12), name
    assert report["raised"] == "too small"
    assert report["raised_builtin"] == "negative"
    return report


def run(folder, **env):
    return finish(start(folder, **env))


def cache_files(folder):
    return sorted(p for p in folder.rglob("*") if p.name.endswith((".nji", ".so")))


def test_a_second_process_loads_every_kind_without_llvm(tmp_path):
    write_module(tmp_path)
    first = run(tmp_path)
    assert first["stats"]["compiles"] >= 10 and first["stats"]["writes"] == first["stats"]["compiles"]
    assert first["llvm_loaded"]
    assert (tmp_path / "__pycache__").is_dir() and cache_files(tmp_path / "__pycache__")
    second = run(tmp_path)
    assert second["stats"]["compiles"] == 0
    assert second["stats"]["hits"] == first["stats"]["compiles"]
    assert not second["llvm_loaded"], "a cached function must run without importing numjit._compiler"
    assert second["warnings"] == first["warnings"] == []


def test_an_edited_callee_recompiles_its_caller(tmp_path):
    write_module(tmp_path, offset=1.0)
    run(tmp_path)
    write_module(tmp_path, offset=5.0)  # only helper's body changes
    edited = run(tmp_path)
    assert edited["kernel"][0] == pytest.approx(edited["kernel"][1])  # the new helper, not the cached one
    assert edited["stats"]["compiles"] >= 3  # helper twice, and kernel, which inlines it
    assert edited["stats"]["hits"] >= 3  # parallel_sum, eager and twice do not depend on helper... nor on SCALE
    again = run(tmp_path)
    assert again["stats"]["compiles"] == 0


def test_a_changed_global_recompiles(tmp_path):
    write_module(tmp_path, scale=2.0)
    run(tmp_path)
    write_module(tmp_path, scale=3.0)  # SCALE and TABLE change; the code does not
    changed = run(tmp_path)
    assert changed["stats"]["compiles"] >= 5  # all but eager and twice read SCALE or TABLE
    # Entries of the old version were pruned: one index and one library per specialization remain.
    files = cache_files(tmp_path / "__pycache__")
    specializations = changed["stats"]["compiles"] + changed["stats"]["hits"]
    assert len([p for p in files if p.name.endswith(".nji")]) == specializations
    assert len([p for p in files if p.suffix == ".so"]) == specializations


@pytest.mark.parametrize("damage", ["truncated library", "garbage index", "garbage library", "foreign version"])
def test_a_damaged_entry_is_ignored_rewritten_and_warned_about_once(tmp_path, damage):
    write_module(tmp_path)
    first = run(tmp_path)
    pycache = tmp_path / "__pycache__"
    for path in cache_files(pycache):
        if damage == "truncated library" and path.suffix == ".so":
            path.write_bytes(path.read_bytes()[:100])
        elif damage == "garbage index" and path.name.endswith(".nji"):
            path.write_bytes(os.urandom(64))
        elif damage == "garbage library" and path.suffix == ".so":
            path.write_bytes(os.urandom(path.stat().st_size))
        elif damage == "foreign version" and path.name.endswith(".nji"):
            meta = ast.literal_eval(path.read_text())
            meta["format"] = 999
            path.write_text(repr(meta))
    damaged = run(tmp_path)
    assert damaged["stats"]["compiles"] == first["stats"]["compiles"]
    cache_warnings = [w for w in damaged["warnings"] if "damaged cache entry" in w]
    assert len(cache_warnings) == first["stats"]["compiles"]  # once per entry, not per call
    repaired = run(tmp_path)
    assert repaired["stats"]["compiles"] == 0 and repaired["warnings"] == []


def test_four_processes_starting_together_on_an_empty_cache(tmp_path):
    write_module(tmp_path)
    processes = [start(tmp_path) for _ in range(4)]
    reports = [finish(p) for p in processes]
    for report in reports:
        assert report["warnings"] == [], report["warnings"]
        assert "Traceback" not in report["stderr"]
    later = run(tmp_path)
    assert later["stats"]["compiles"] == 0


def source_without_pycache(tmp_path):
    """The module in a folder where __pycache__ cannot be made (a file stands
    there: the tests run as root, whom permissions do not stop)."""
    source = tmp_path / "source"
    write_module(source)
    (source / "__pycache__").write_text("a file where the folder would be")
    return source


def test_a_source_folder_whose_pycache_cannot_be_made_uses_the_user_cache(tmp_path):
    source = source_without_pycache(tmp_path)
    user_cache = tmp_path / "user-cache"
    first = run(source, XDG_CACHE_HOME=str(user_cache))
    assert first["warnings"] == []
    assert cache_files(user_cache / "numjit")
    second = run(source, XDG_CACHE_HOME=str(user_cache))
    assert second["stats"]["compiles"] == 0


def test_nothing_writable_warns_once_and_everything_still_works(tmp_path):
    source = source_without_pycache(tmp_path)
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder either")
    report = run(source, XDG_CACHE_HOME=str(blocked))
    cannot = [w for w in report["warnings"] if "can be written" in w]
    assert len(cannot) == 1, report["warnings"]
    assert report["stats"]["writes"] == 0


@pytest.mark.parametrize("variable", ["NUMJIT_CACHE_DIR", "NUMBA_CACHE_DIR"])
def test_the_cache_folder_can_be_chosen(tmp_path, variable):
    write_module(tmp_path / "source")
    chosen = tmp_path / "chosen"
    run(tmp_path / "source", **{variable: str(chosen)})
    assert cache_files(chosen)
    assert not cache_files(tmp_path / "source" / "__pycache__")
    second = run(tmp_path / "source", **{variable: str(chosen)})
    assert second["stats"]["compiles"] == 0


def test_debug_output_names_hits_misses_and_what_changed(tmp_path):
    write_module(tmp_path)
    first = run(tmp_path, NUMJIT_DEBUG_CACHE="1")
    assert "numjit cache: miss kernel(array(float64, 1d, C)): no entry yet" in first["stderr"]
    second = run(tmp_path, NUMJIT_DEBUG_CACHE="1")
    assert "numjit cache: hit kernel(array(float64, 1d, C))" in second["stderr"]
    write_module(tmp_path, offset=9.0)
    third = run(tmp_path, NUMJIT_DEBUG_CACHE="1")
    assert "a function it calls, or a global it reads changed" in third["stderr"]


def test_the_command_line_lists_and_clears_entries(tmp_path):
    write_module(tmp_path)
    first = run(tmp_path)
    listing = subprocess.run([sys.executable, "-m", "numjit.cache", str(tmp_path)], capture_output=True, text=True)
    assert listing.returncode == 0, listing.stderr
    assert f"{first['stats']['writes']} entries" in listing.stdout
    assert "kernel" in listing.stdout and "cached_module.py" in listing.stdout
    cleared = subprocess.run([sys.executable, "-m", "numjit.cache", "--clear", str(tmp_path)],
                             capture_output=True, text=True)
    assert cleared.returncode == 0 and "removed" in cleared.stdout
    assert cache_files(tmp_path) == []
    assert run(tmp_path)["stats"]["compiles"] == first["stats"]["compiles"]


def test_without_a_c_compiler_it_warns_once_and_still_works(tmp_path):
    write_module(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    report = run(tmp_path, PATH=str(empty))  # no cc to link a cached library with
    linking = [w for w in report["warnings"] if "linking the cached code failed" in w]
    assert len(linking) == 1, report["warnings"]
    assert report["stats"]["writes"] == 0
    assert not cache_files(tmp_path / "__pycache__")
