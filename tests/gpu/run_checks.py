"""The GPU checks: runs a bundle made by tests/gpu/make_bundle.py on a GPU.

    python3 tests/gpu/run_checks.py .gpu_bundle            # on the GPU machine
    python3 tests/gpu/run_checks.py .gpu_bundle --dry-run  # anywhere: all but the driver's calls

For each case: the PTX numjit compiled is loaded through the CUDA driver
(numjit's python/numjit/cuda/driver.py, loaded alone), the arguments are
packed as numjit packs them (gpu_abi.py) and checked against the PTX's
parameters, the kernel runs, and every array comes back to be compared with
what numjit's CPU launch gave. Then two benchmarks: axpy over 2**26 doubles
(GB/s, against the H200's ~4.8 TB/s and the H100's ~3.35 TB/s) and a
shared-memory block reduction over 2**24 doubles. Exits 1 if a check failed.
"""
import argparse
import importlib.util
import json
import os
import re
import sys
import time

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def _module(name):
    path = os.path.join(ROOT, "python", "numjit", "cuda", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"numjit_gpu_checks_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


driver = _module("driver")
gpu_abi = _module("gpu_abi")


class DryRun:
    """Stands where the driver would: addresses only, nothing launched."""
    compute_capability = (9, 0)

    def __init__(self):
        self.next = 0x10000

    def alloc(self, nbytes):
        self.next += -(-max(1, nbytes) // 256) * 256
        return self.next

    def load_module(self, ptx):
        return ptx

    def function(self, module, name, shared):
        return name

    def to_device(self, *args):
        pass

    def to_host(self, *args):
        pass

    def free(self, pointer):
        pass

    def global_address(self, module, name):
        return self.alloc(4)

    def launch(self, *args):
        pass

    def synchronize(self):
        pass


def run_case(gpu, folder, case, dry):
    text = open(os.path.join(folder, case["ptx"])).read()
    name = gpu_abi.entry_name(text)
    module = gpu.load_module(text)
    function = gpu.function(module, name, case["shared_bytes"])
    params, buffers = [], []
    for spec in case["args"]:
        if spec["kind"] == "scalar":
            params.append(gpu_abi.scalar_parameter(np.dtype(spec["dtype"]).type(spec["value"])))
            buffers.append(None)
            continue
        host = np.load(os.path.join(folder, spec["file"]))
        pointer = gpu.alloc(host.nbytes)
        gpu.to_device(pointer, host.ctypes.data, host.nbytes)
        params.append(gpu_abi.array_parameter(pointer + spec["offset"], spec["shape"], spec["strides"]))
        buffers.append((host, pointer, spec))
    gpu_abi.check_parameters(params, gpu_abi.kernel_parameters(text, name), case["name"])
    gpu.launch(function, case["griddim"], case["blockdim"], case["shared_bytes"], params)
    gpu.synchronize()
    problems = []
    if "numjit_gpu_error" in text:  # a thread that raised left its code in the module's flag (gpu_exceptions.py)
        flag = np.zeros(1, np.int32)
        gpu.to_host(flag.ctypes.data, gpu.global_address(module, "numjit_gpu_error"), 4)
        expected = case.get("error_code", 0)
        if not dry and flag[0] != expected:
            check = re.search(rf"^// numjit\.check {flag[0]} (.*)$", text, re.MULTILINE)  # numjit's own checks
            problems.append(f"error flag {flag[0]}{f' ({check.group(1)})' if check else ''}, expected {expected}")
    for index, file in case["expected"].items():
        host, pointer, spec = buffers[int(index)]
        gpu.to_host(host.ctypes.data, pointer, host.nbytes)
        got = np.ndarray(spec["shape"], np.dtype(spec["dtype"]), buffer=host, offset=spec["offset"],
                         strides=spec["strides"])
        want = np.load(os.path.join(folder, file))
        if dry:
            continue
        if case["rtol"] == 0:
            same = np.array_equal(got, want, equal_nan=want.dtype.kind in "fc")
        else:
            scale = float(np.max(np.abs(want))) if want.size else 0.0
            same = np.allclose(got, want, rtol=case["rtol"], atol=case["rtol"] * scale, equal_nan=True)
        if not same:
            bad = np.argwhere(~np.isclose(got, want, rtol=case["rtol"], equal_nan=True))[:3]
            problems.append(f"argument {index}: GPU differs from CPU at {bad.tolist()}")
    for entry in buffers:
        if entry is not None:
            gpu.free(entry[1])
    return problems


def _best(run, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def benchmarks(gpu, folder, manifest, dry):
    lines = []
    n = 2 ** 26 if not dry else 2 ** 12
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(n), rng.standard_normal(n)
    spec = manifest["benchmarks"]["axpy"]
    text = open(os.path.join(folder, spec["ptx"])).read()
    axpy = gpu.function(gpu.load_module(text), gpu_abi.entry_name(text), spec["shared_bytes"])
    pointers = [gpu.alloc(8 * n) for _ in range(3)]
    gpu.to_device(pointers[1], x.ctypes.data, 8 * n)
    gpu.to_device(pointers[2], y.ctypes.data, 8 * n)
    params = [gpu_abi.array_parameter(pointers[0], (n,), (8,)), gpu_abi.scalar_parameter(1.5),
              gpu_abi.array_parameter(pointers[1], (n,), (8,)), gpu_abi.array_parameter(pointers[2], (n,), (8,))]
    gpu_abi.check_parameters(params, gpu_abi.kernel_parameters(text, gpu_abi.entry_name(text)), "axpy")

    def run_axpy():
        gpu.launch(axpy, (-(-n // 256), 1, 1), (256, 1, 1), spec["shared_bytes"], params)
        gpu.synchronize()

    seconds = _best(run_axpy, 20)
    r = np.empty(n)
    gpu.to_host(r.ctypes.data, pointers[0], 8 * n)
    ok = dry or np.allclose(r, 1.5 * x + y, rtol=1e-15, atol=1e-15)
    lines.append(f"axpy, 2**{n.bit_length() - 1} doubles: {seconds * 1e3:.3f} ms, {24 * n / seconds / 1e9:.0f} GB/s "
                 f"(H200 ~4800, H100 ~3350 GB/s peak){'' if ok else ' WRONG RESULT'}")
    for p in pointers:
        gpu.free(p)

    m, tpb = 2 ** 24 if not dry else 2 ** 12, 128
    blocks = -(-m // tpb)
    data = rng.standard_normal(m)
    spec = manifest["benchmarks"]["block_sums"]
    text = open(os.path.join(folder, spec["ptx"])).read()
    sums = gpu.function(gpu.load_module(text), gpu_abi.entry_name(text), spec["shared_bytes"])
    src, out = gpu.alloc(8 * m), gpu.alloc(8 * blocks)
    gpu.to_device(src, data.ctypes.data, 8 * m)
    params = [gpu_abi.array_parameter(src, (m,), (8,)), gpu_abi.array_parameter(out, (blocks,), (8,))]

    def run_sums():
        gpu.launch(sums, (blocks, 1, 1), (tpb, 1, 1), spec["shared_bytes"], params)
        gpu.synchronize()

    seconds = _best(run_sums, 20)
    partial = np.empty(blocks)
    gpu.to_host(partial.ctypes.data, out, 8 * blocks)
    ok = ok and (dry or np.isclose(partial.sum(), data.sum(), rtol=1e-9))
    lines.append(f"shared-memory block sums, 2**{m.bit_length() - 1} doubles: {seconds * 1e3:.3f} ms, "
                 f"{8 * m / seconds / 1e9:.0f} GB/s read{'' if ok else ' WRONG RESULT'}")
    gpu.free(src)
    gpu.free(out)
    return lines, ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle")
    parser.add_argument("--dry-run", action="store_true", help="no driver: pack and check the parameters only")
    args = parser.parse_args(argv)
    manifest = json.load(open(os.path.join(args.bundle, "manifest.json")))
    if args.dry_run:
        gpu = DryRun()
    else:
        gpu, reason = driver.load()
        if gpu is None:
            print(f"no GPU: {reason}")
            return 2
        print(f"GPU {gpu.device}, compute capability {gpu.compute_capability}")
    failed = 0
    for case in manifest["cases"]:
        try:
            problems = run_case(gpu, args.bundle, case, args.dry_run)
        except Exception as exc:  # one broken case must not hide the others
            problems = [f"{type(exc).__name__}: {exc}"]
        failed += bool(problems)
        print(f"{'ok  ' if not problems else 'FAIL'} {case['name']}" + "".join(f"\n     {p}" for p in problems))
    lines, ok = benchmarks(gpu, args.bundle, manifest, args.dry_run)
    print("\n".join(lines))
    print(f"{len(manifest['cases']) - failed} of {len(manifest['cases'])} cases passed")
    return 1 if failed or not ok else 0


if __name__ == "__main__":
    sys.exit(main())
