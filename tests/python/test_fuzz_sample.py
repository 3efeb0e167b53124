"""A fixed-seed sample of the fuzzer (tests/fuzz/README.md), part of `make test`: 1000
generated kernels, run in worker processes, must all agree with Python and
NumPy, raise located errors for planted mistakes, leak nothing and crash
nothing; the first 40 kernels of the datetime64/timedelta64 family (times)
of the same seed; 80 @cuda.jit kernels with barriers, run without a GPU,
against one Python thread per CUDA thread (cuda); and 300 prange loops with
reductions, against Python and then parallel=True against serial (prange). On failure the message
shows a shrunk reproducer of each kind of failure; ``python -m tests.fuzz
--seed SEED --only N`` reruns one case."""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the repository
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz import campaign, repro  # noqa: E402

SEED = 20240611
CASES = 1000
TIMES_CASES = 40   # the times family's first cases of SEED, beyond its share of the sample
CUDA_CASES = 80    # the cuda family (numbered on its own, outside the sample's mix)
PRANGE_CASES = 300  # the prange family (numbered on its own too)


def _assert_no_failures(results, what):
    groups = campaign.failures_by_kind(results)
    if not groups:
        return
    shrunk = campaign.shrink_failures(groups, per_kind=1, budget_s=45.0, timeout=20.0)
    lines = [f"{sum(len(m) for m in groups.values())} of {len(results)} {what} failed (seed {SEED}):"]
    lines += [f"  {len(members)} x {signature}" for signature, members in groups.items()]
    lines += ["", "Reproducers (shrunk):"] + [repro.compact(case, verdict) for case, verdict, _ in shrunk]
    raise AssertionError("\n".join(lines))


def test_fuzz_sample_has_no_failures():
    results = campaign.run(SEED, CASES, workers=2, batch_size=75, timeout=60.0)
    assert len(results) == CASES
    _assert_no_failures(results, "fuzz cases")


def test_fuzz_times_family_has_no_failures():
    """datetime64/timedelta64 kernels (tests/fuzz/time_family.py): ``python -m
    tests.fuzz --seed SEED --family times --cases 40`` runs the same cases."""
    results = campaign.run(SEED, TIMES_CASES, workers=2, batch_size=20, timeout=60.0, family="times")
    assert len(results) == TIMES_CASES and all(case.family == "times" for case, _ in results)
    _assert_no_failures(results, "times fuzz cases")


def test_fuzz_cuda_family_has_no_failures():
    """@cuda.jit kernels with barriers (tests/fuzz/cuda_family.py): ``python -m
    tests.fuzz --seed SEED --family cuda --cases 80`` runs the same cases."""
    results = campaign.run(SEED, CUDA_CASES, workers=2, batch_size=20, timeout=60.0, family="cuda")
    assert len(results) == CUDA_CASES and all(case.family == "cuda" for case, _ in results)
    _assert_no_failures(results, "cuda fuzz cases")
    assert all(verdict["category"] == "ok" for _, verdict in results)  # the family skips nothing


def test_fuzz_prange_family_has_no_failures():
    """prange loops with reductions, private values and disjoint writes
    (tests/fuzz/prange_family.py): ``python -m tests.fuzz --seed SEED --family
    prange --cases 300`` runs the same cases."""
    results = campaign.run(SEED, PRANGE_CASES, workers=2, batch_size=50, timeout=60.0, family="prange")
    assert len(results) == PRANGE_CASES and all(case.family == "prange" for case, _ in results)
    _assert_no_failures(results, "prange fuzz cases")
    assert sum(verdict["category"] == "ok" for _, verdict in results) > PRANGE_CASES * 0.8
