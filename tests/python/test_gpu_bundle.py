"""The GPU checks' bundle (tests/gpu/): made here as a session lent a GPU
makes it, every PTX in it accepted by ptxas, and run_checks.py run without
the driver (--dry-run: arguments packed and checked against each kernel's
PTX parameters), so the script a GPU session runs does not rot between
sessions that have one."""
import json
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PTXAS = os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"), "bin", "ptxas")


def test_bundle_is_made_assembled_and_dry_run(tmp_path):
    bundle = tmp_path / "bundle"
    made = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "gpu", "make_bundle.py"), str(bundle)],
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((bundle / "manifest.json").read_text())
    names = [case["name"] for case in manifest["cases"]]
    assert len(names) == len(set(names)) >= 15
    assert set(manifest["benchmarks"]) == {"axpy", "block_sums"}
    for ptx in sorted(bundle.glob("*.ptx")):
        done = subprocess.run([PTXAS, "--gpu-name", "sm_90", str(ptx), "-o", str(tmp_path / "k.cubin")],
                              capture_output=True, text=True)
        assert done.returncode == 0, f"{ptx.name}: {done.stderr}"
    for case in manifest["cases"]:
        # every case brings an array back to compare, or the code of the exception a thread raises
        assert case["expected"] or case["error_code"] > 0, case["name"]
        assert all((bundle / spec["file"]).exists() for spec in case["args"] if spec["kind"] == "array")
    dry = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "gpu", "run_checks.py"), str(bundle),
                          "--dry-run"], capture_output=True, text=True, timeout=600)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert f"{len(names)} of {len(names)} cases passed" in dry.stdout
    # Without a driver the real run says so and fails, rather than passing.
    real = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "gpu", "run_checks.py"), str(bundle)],
                          capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, NUMJIT_ENABLE_CUDASIM="1"))
    assert real.returncode == 2 and "no GPU: NUMJIT_ENABLE_CUDASIM=1" in real.stdout
