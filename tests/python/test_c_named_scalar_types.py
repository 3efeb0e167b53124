"""NumPy's C-named scalar types in compiled code: np.longlong, np.ulonglong,
np.intc, np.single, ... name the sized dtype they equal, as dtypes of new
arrays, in astype and as conversions, and give NumPy's results."""
import numpy as np
import pytest

import numjit

C_NAMED = ["byte", "ubyte", "short", "ushort", "intc", "uintc", "int_", "uint", "long", "ulong",
           "longlong", "ulonglong", "intp", "uintp", "single", "double", "csingle", "cdouble"]


@pytest.fixture(scope="module")
def module(tmp_path_factory):
    import importlib.util

    folder = tmp_path_factory.mktemp("c_named")
    lines = ["import numpy as np", "import numjit"]
    for name in C_NAMED:
        lines += [
            "@numjit.njit", f"def make_{name}(n):", f"    return np.zeros(n, np.{name})",
            "@numjit.njit", f"def convert_{name}(x):", f"    return np.{name}(x)",
            "@numjit.njit", f"def cast_{name}(a):", f"    return a.astype(np.{name})",
            "@numjit.njit", f"def ranged_{name}(n):", f"    return np.arange(n, dtype=np.{name})",
        ]
    path = folder / "c_named_uses.py"
    path.write_text("\n".join(lines) + "\n")
    spec = importlib.util.spec_from_file_location("c_named_uses", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


@pytest.mark.parametrize("name", C_NAMED)
def test_arrays_and_conversions_equal_numpy(module, name):
    scalar = getattr(np, name)
    for n in (0, 1, 5):
        got = getattr(module, f"make_{name}")(n)
        assert got.dtype == np.dtype(scalar) and got.shape == (n,)
        got = getattr(module, f"ranged_{name}")(n)
        assert got.dtype == np.dtype(scalar)
        assert np.array_equal(got, np.arange(n, dtype=scalar))
    for layout in ("C", "strided"):
        source = np.linspace(0, 100, 21)
        source = source if layout == "C" else source[::3]
        got = getattr(module, f"cast_{name}")(source)
        assert got.dtype == np.dtype(scalar)
        assert np.array_equal(got, source.astype(scalar))
    for value in (7, 3.75, 100):
        # Scalars come back as Python numbers, as from Numba.
        assert getattr(module, f"convert_{name}")(value) == scalar(value)
