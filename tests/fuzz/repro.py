"""Writes a failing case as a standalone script.

Running ``python <repro>.py`` prints what numjit does, what ``py_func``
does, and the fuzzer's verdict on it (which adds the reference hooks of
reference.py, so the documented semantic differences are not reported).
The kernel lives in the script itself: numjit reads its source from there.
"""
import textwrap

from tests.fuzz import arguments, cuda_family
from tests.fuzz.cases import HEADER, render_source
from tests.fuzz.runner import REPO

TEMPLATE = '''"""numjit fuzz reproducer: {category}{flaky}.

From seed {seed}, case {index} (family {family}{note}); the unshrunk case is
rerun by: python -m tests.fuzz --seed {seed} --only {index}

The fuzzer's verdict:
{detail}
"""
{source}

# ---- arguments ----------------------------------------------------------
from math import inf, nan  # noqa: E402  (argument literals)
{layout_helpers}

def arguments():
    return [
{args}
    ]


SPECS = [
{specs}
]


if __name__ == "__main__":
    import sys
    sys.path.insert(0, {repo!r})
    import warnings
    warnings.simplefilter("ignore")
    for label, function in (("numjit ", kernel), ("py_func", kernel.py_func)):
        try:
            print(label, "returned", repr(function(*arguments())))
        except Exception as exc:
            print(label, "raised", type(exc).__name__ + ":", exc)
    from tests.fuzz import cases, worker
    case = cases.Case({seed}, {index}, {family!r}, {expect!r}, {params!r}, [], [], SPECS, note={note_raw!r})
    verdict = worker.judge(case, __file__)
    print("fuzzer verdict:", verdict["category"])
    print(verdict["detail"])
'''


def spec_literal(spec):
    """The spec as Python source (floats such as nan and complex parts spelled out)."""
    if spec["kind"] == "raw":
        return repr(spec)
    if spec["kind"] == "scalar":
        return f'{{"kind": "scalar", "type": {spec["type"]!r}, "value": {arguments._literal(spec["value"])}}}'
    values = ", ".join(arguments._literal(v) for v in spec["values"])
    return (f'{{"kind": "array", "dtype": {spec["dtype"]!r}, "shape": {spec["shape"]!r}, '
            f'"layout": {spec["layout"]!r}, "values": [{values}]}}')


def render(case, verdict):
    detail = textwrap.indent(verdict.get("detail", "").replace('"""', "'''").replace("\\", "\\\\"), "    ")
    if case.family == "cuda":
        return cuda_family.reproducer(case, verdict["category"], detail, render_source(case), str(REPO))
    return TEMPLATE.format(
        category=verdict["category"], flaky=" (only after other cases)" if verdict.get("flaky") else "",
        seed=case.seed, index=case.index, family=case.family,
        note=f", {case.note}" if case.note else "", note_raw=case.note, detail=detail,
        source=render_source(case).rstrip("\n"), layout_helpers=arguments.LAYOUT_HELPERS,
        args="\n".join(f"        {arguments.render(s)}," for s in case.args),
        specs="\n".join(f"    {spec_literal(s)}," for s in case.args),
        repo=str(REPO), expect=case.expect, params=case.params)


def write(case, verdict, folder, number):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{verdict['category']}-{number}.py"
    path.write_text(render(case, verdict))
    return path


def compact(case, verdict):
    """A few lines for a test report: the kernel, its arguments, the verdict."""
    if case.family == "cuda":
        source = render_source(case).split(cuda_family.DEVICE_FUNCTIONS, 1)[1].strip("\n")
        args = f"x={case.args!r}, launched [blocks, threads, dtype] = [{case.note}]"
    else:
        source = render_source(case).split(HEADER, 1)[1].strip("\n")
        args = ", ".join(arguments.render(s) for s in case.args)
    detail = "\n".join(verdict.get("detail", "").splitlines()[:8])
    return (f"--- {verdict['category']} (seed {case.seed}, case {case.index}, {case.family}"
            f"{', ' + case.note if case.note else ''})\n{source}\n\nkernel({args})\n{detail}\n")
