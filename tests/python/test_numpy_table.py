"""docs/numpy.md lists what numjit's registry supports (the generator reads
it: tools/generate_numpy_table.py), and the names it lists compile."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from numjit import _registry

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "numpy.md"


def test_the_committed_table_is_current():
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "generate_numpy_table.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def _listed(pattern):
    return re.findall(pattern, TABLE.read_text(), re.MULTILINE)


def test_every_listed_function_is_known_to_the_compiler_and_every_missing_one_is_not():
    known = _registry.known_objects()
    supported = _listed(r"^\| `(np(?:\.linalg|\.random)?\.\w+)` \|")
    assert "np.add" in supported and "np.linalg.solve" in supported and "np.expand_dims" in supported
    for name in supported:
        obj = eval(name, {"np": np})  # noqa: S307 (names written by the generator)
        assert obj in known, name
    for block in _listed(r"Not supported yet \(\d+\): (.*)"):
        for name in re.findall(r"`([\w.]+)`", block):
            assert eval(name, {"np": np}) not in known, name  # noqa: S307


def test_every_listed_generator_method_is_implemented_and_every_missing_one_is_not():
    from numjit import library

    library._load_topics()  # the topics register their methods when first imported
    fallbacks = library._fallbacks
    listed = _listed(r"^\| `Generator\.(\w+)` \|")
    assert "normal" in listed and "integers" in listed and "choice" in listed
    for name in listed:
        assert f"Generator.{name}" in fallbacks and hasattr(np.random.Generator, name), name
    for block in _listed(r"Not supported yet \(\d+\): (`np\.random\.Generator.*)"):
        for name in re.findall(r"`np\.random\.Generator\.(\w+)`", block):
            assert f"Generator.{name}" not in fallbacks and hasattr(np.random.Generator, name), name
