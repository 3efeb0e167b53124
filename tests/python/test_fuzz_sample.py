"""A fixed-seed sample of the fuzzer (tests/fuzz/README.md), part of `make test`: 1000
generated kernels, run in worker processes, must all agree with Python and
NumPy, raise located errors for planted mistakes, leak nothing and crash
nothing. On failure the message shows a shrunk reproducer of each kind of
failure; ``python -m tests.fuzz --seed SEED --only N`` reruns one case."""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the repository
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz import campaign, repro  # noqa: E402

SEED = 20240611
CASES = 1000


def test_fuzz_sample_has_no_failures():
    results = campaign.run(SEED, CASES, workers=2, batch_size=75, timeout=60.0)
    assert len(results) == CASES
    groups = campaign.failures_by_kind(results)
    if not groups:
        return
    shrunk = campaign.shrink_failures(groups, per_kind=1, budget_s=45.0, timeout=20.0)
    lines = [f"{sum(len(m) for m in groups.values())} of {CASES} fuzz cases failed (seed {SEED}):"]
    lines += [f"  {len(members)} x {signature}" for signature, members in groups.items()]
    lines += ["", "Reproducers (shrunk):"] + [repro.compact(case, verdict) for case, verdict, _ in shrunk]
    raise AssertionError("\n".join(lines))
