"""`pip wheel .` builds with build isolation, outside the source tree, without
the C++ tests, and the wheel it makes compiles and runs code."""
import pathlib
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_an_isolated_wheel_build_leaves_the_tree_clean_and_works(tmp_path):
    source = tmp_path / "source"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                            str(source)], capture_output=True, text=True, timeout=3000)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-6000:]
    assert not (source / "build").exists()  # the build folder was a temporary one
    (wheel,) = (tmp_path / "dist").glob("numjit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("numjit/_compiler.") for n in names) and any(n.startswith("numjit/_dispatch.") for n in names)
    assert "numjit/serialize.py" in names
    assert not any("cpp_tests" in n or "gtest" in n.lower() for n in names)
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    script = tmp_path / "use_wheel.py"
    script.write_text("import numjit, numpy as np\n"
                      "@numjit.njit\n"
                      "def f(x):\n"
                      "    return (x * x).sum()\n"
                      "print(numjit.__file__, f(np.arange(4.0)))\n")
    # -S: without site, the editable install's import hook stays out and numjit comes from the wheel.
    ran = subprocess.run([sys.executable, "-I", "-S", "-c", f"import sys; sys.path.insert(0, {str(unpacked)!r}); "
                          f"sys.path.extend({[p for p in sys.path if 'site-packages' in p]!r}); "
                          f"import runpy; runpy.run_path({str(script)!r}, run_name='__main__')"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    where, value = ran.stdout.split()
    assert where.startswith(str(unpacked)) and float(value) == 14.0
