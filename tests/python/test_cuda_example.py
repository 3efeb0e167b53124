"""examples/cuda_seed.py, the seed's ragged arctan sum as a CUDA kernel, runs
(on the CPU here) and its kernel's sum agrees with the @njit loop's (the
script asserts it)."""
import os
import subprocess
import sys


def test_the_cuda_example_agrees_with_the_njit_loop(tmp_path):
    example = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "cuda_seed.py")
    env = dict(os.environ, NUMJIT_EXAMPLE_NTOT=str(300_000))
    done = subprocess.run([sys.executable, os.path.abspath(example)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    kernel, loop = (float(w.rstrip(",")) for w in done.stdout.split("sums:")[1].split()[1::2])
    assert abs(kernel - loop) <= 1e-9 * abs(loop)
