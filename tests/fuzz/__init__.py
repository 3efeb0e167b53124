"""numjit's fuzzer: generated kernels checked against Python and NumPy (see README.md)."""
