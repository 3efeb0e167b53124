"""Writes requirements/constraints.txt: every Python package that the build,
the tests and the benchmarks install, pinned to the newest versions that
resolve together today (`make lock`).

pip resolves without installing (--dry-run --report), so the lock is taken
from PyPI rather than from whatever a venv happens to hold. Review the diff,
run `make test` with the new lock, and commit both together.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The build requirements of pyproject.toml (installed into the venv: `make`
# builds without isolation) plus the package itself with every extra.
WANTED = ["pip", "scikit-build-core", "nanobind", "numpy", ".[test,bench]"]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        report = pathlib.Path(tmp) / "report.json"
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
                        "--report", str(report), *WANTED], cwd=ROOT, check=True)
        installs = json.loads(report.read_text())["install"]
    pins = sorted((item["metadata"]["name"].lower(), item["metadata"]["version"]) for item in installs
                  if item["metadata"]["name"].lower() != "numjit")
    header = ["# Versions tested together; `make build` installs with them (pip -c).",
              "# Refresh with `make lock` (requirements/lock.py), then run `make test`.",
              f"# Resolved for CPython {sys.version_info.major}.{sys.version_info.minor} on Linux."]
    text = "\n".join(header + [f"{name}=={version}" for name, version in pins]) + "\n"
    (ROOT / "requirements" / "constraints.txt").write_text(text)
    print(f"requirements/constraints.txt: {len(pins)} packages pinned")


if __name__ == "__main__":
    main()
