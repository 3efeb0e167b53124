"""The fuzzing campaign: ``python -m tests.fuzz`` (``make fuzz``).

Generates ``--cases`` cases from ``--seed`` (environment FUZZ_CASES and
FUZZ_SEED give the defaults), runs them in parallel worker processes, prints
totals by category, shrinks failures (a few per kind of failure) and writes
each as a standalone reproducer ``<out>/repro/<category>-<n>.py``, with a
``summary.json`` of all verdicts next to them.
"""
import argparse
import collections
import json
import os
import pathlib
import shutil
import sys
import time

from tests.fuzz import cases, oracle, repro, runner, shrink

PASSES = tuple(oracle.PASSES)


def select(seed, count, only=None, family=None):
    """Cases 0..count-1 of ``seed`` (or just ``only``); with ``family``, the
    first ``count`` cases of that family (their numbers are kept, so
    ``--only N`` reruns one of them with or without ``--family``)."""
    if family in cases.OWN_NUMBERING:  # numbered on their own: case N is the family's N-th
        return [cases.generate(seed, i, family) for i in (only or range(count))]
    if only or not family:
        generated = [cases.generate(seed, i) for i in (only or range(count))]
        return [c for c in generated if family in (None, c.family)]
    generated, index = [], 0
    while len(generated) < count:
        case = cases.generate(seed, index)
        if case.family == family:
            generated.append(case)
        index += 1
    return generated


def run(seed, count, workers=2, batch_size=50, timeout=60.0, only=None, progress=None, family=None):
    """[(case, verdict)] for cases 0..count-1 of ``seed`` (or just ``only``;
    or the first ``count`` of ``family``)."""
    generated = select(seed, count, only, family)
    verdicts = runner.run_many(generated, workers, batch_size, timeout, progress)
    return list(zip(generated, verdicts))


def failures_by_kind(results):
    """{signature: [(case, verdict)]}, failures only, in case order."""
    groups = collections.OrderedDict()
    for case, verdict in results:
        if verdict["category"] not in PASSES:
            groups.setdefault(oracle.signature(verdict["category"], verdict["detail"]), []).append((case, verdict))
    return groups


def shrink_failures(groups, per_kind=2, budget_s=600.0, timeout=30.0, max_rounds=40):
    """[(shrunk case, verdict, how many failed that way)] for up to ``per_kind``
    failures of each kind, smallest first, within ``budget_s`` seconds."""
    start, out = time.monotonic(), []
    for signature, members in groups.items():
        for case, verdict in sorted(members, key=lambda cv: shrink.size(cv[0]))[:per_kind]:
            if time.monotonic() - start < budget_s and verdict["category"] != "timeout":
                case, verdict = shrink.shrink(case, verdict, timeout, max_rounds)
            out.append((case, verdict, len(members)))
    return out


def totals_table(results):
    counts = collections.Counter(v["category"] for _, v in results)
    order = list(PASSES) + oracle.FAILURES + sorted(set(counts) - set(PASSES) - set(oracle.FAILURES))
    width = max(len(c) for c in order)
    return "\n".join(f"  {c:<{width}} {counts.get(c, 0):>7}" for c in order if counts.get(c) or c in PASSES)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("FUZZ_CASES", 10000)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", 1)))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50, help="cases per worker process")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a case may take")
    parser.add_argument("--out", default="build/fuzz", help="folder for summary.json and repro/")
    parser.add_argument("--per-kind", type=int, default=2, help="reproducers per kind of failure")
    parser.add_argument("--shrink-budget", type=float, default=900.0, help="seconds spent shrinking")
    parser.add_argument("--only", type=int, nargs="*", help="run just these case numbers")
    parser.add_argument("--family", choices=[name for name, _ in cases.FAMILIES] + sorted(cases.OWN_NUMBERING),
                        help="run only cases of this family (--cases of them)")
    options = parser.parse_args(argv)

    began = time.monotonic()
    last = [0.0]

    def progress(done, total):
        if time.monotonic() - last[0] > 10 or done == total:
            last[0] = time.monotonic()
            print(f"  {done}/{total} cases, {time.monotonic() - began:.0f} s", flush=True)

    print(f"numjit fuzz: seed {options.seed}, {len(options.only or []) or options.cases} cases"
          f"{f' of family {options.family}' if options.family else ''}, {options.workers} workers", flush=True)
    results = run(options.seed, options.cases, options.workers, options.batch, options.timeout, options.only,
                  progress, options.family)
    ran_s = time.monotonic() - began
    groups = failures_by_kind(results)
    out = pathlib.Path(options.out)
    shutil.rmtree(out / "repro", ignore_errors=True)
    shrunk = shrink_failures(groups, options.per_kind, options.shrink_budget)
    numbers, written = collections.Counter(), []
    for case, verdict, count in shrunk:
        numbers[verdict["category"]] += 1
        written.append((repro.write(case, verdict, out / "repro", numbers[verdict["category"]]), verdict, count))
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(
        {"seed": options.seed, "cases": len(results), "seconds": round(ran_s),
         "totals": collections.Counter(v["category"] for _, v in results),
         "failures": [{"case": c.index, "family": c.family, **v} for c, v in results if v["category"] not in PASSES]},
        indent=1))
    print(f"\nTotals ({len(results)} cases in {ran_s:.0f} s, seed {options.seed}):")
    print(totals_table(results))
    if groups:
        print(f"\n{len(groups)} kinds of failure:")
        for signature, members in groups.items():
            print(f"  {len(members):>5} x {signature}  (e.g. case {members[0][0].index})")
        print(f"\nReproducers ({time.monotonic() - began:.0f} s in all):")
        for path, verdict, count in written:
            print(f"  {path}  [{count} like it] {verdict['detail'].splitlines()[0][:100] if verdict['detail'] else ''}")
    return 1 if groups else 0


if __name__ == "__main__":
    sys.exit(main())
