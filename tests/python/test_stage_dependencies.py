"""The compiler's stages depend one way, and the build enforces it.

cmake/stage_table.cmake lists the stages and what each may use; the same
check runs in every configure. Here it runs in script mode on the real tree
and on copies with one include that points the wrong way.
"""
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECK = ROOT / "cmake" / "check_stages.cmake"


def run_check(src):
    cmake = shutil.which("cmake")
    assert cmake, "cmake is needed to build numjit, so it must be on PATH"
    return subprocess.run([cmake, f"-DNUMJIT_SOURCE_ROOT={src}", "-P", str(CHECK)],
                          capture_output=True, text=True, timeout=120)


def copy_of_sources(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src", src)
    return src


def test_the_tree_as_it_is_passes():
    result = run_check(ROOT / "src")
    assert result.returncode == 0, result.stderr
    assert "depend one way" in result.stdout + result.stderr


@pytest.mark.parametrize("file, header, stage, owner", [
    # The HIR below lowering, the library below inference, passes below lowering.
    ("numjit/hir/verify.cpp", "numjit/lower/function_lowering.h", "hir", "lower"),
    ("numjit/library/registry.cpp", "numjit/types/infer.h", "library", "infer"),
    ("numjit/passes/plans.cpp", "numjit/lower/module_lowering.h", "passes", "lower"),
    # The binary contract and the type system know nothing of the compiler.
    ("numjit/types/type.cpp", "numjit/hir/hir.h", "typesystem", "hir"),
])
def test_an_include_that_points_upward_fails(tmp_path, file, header, stage, owner):
    src = copy_of_sources(tmp_path)
    path = src / file
    path.write_text(f'#include "{header}"\n' + path.read_text())
    result = run_check(src)
    assert result.returncode != 0
    message = " ".join((result.stdout + result.stderr).split())
    assert f"{file} (stage {stage}) includes {header} of stage {owner}" in message


def test_a_file_outside_every_stage_fails(tmp_path):
    src = copy_of_sources(tmp_path)
    (src / "numjit" / "shortcuts").mkdir()
    (src / "numjit" / "shortcuts" / "quick.cpp").write_text('#include "numjit/hir/hir.h"\n')
    result = run_check(src)
    assert result.returncode != 0
    assert "numjit/shortcuts/quick.cpp belongs to no stage" in " ".join((result.stdout + result.stderr).split())
