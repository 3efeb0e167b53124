"""Every way of applying @njit/@jit, eager signatures, options and the
dispatcher's inspection API."""
import importlib.util
import io
import os
import subprocess
import sys

import numpy as np
import pytest

import numjit
from numjit import jit, njit, prange, types
from numjit.errors import TypingError, UnsupportedError

from conftest import check, random_floats


def axpy(a, x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += a * x[i] + y[i]
    return s


def weighted(x, idx):
    s = 0.0
    for k in range(idx.shape[0]):
        s += x[idx[k]] * k
    return s


def scale(x, a):
    return x * a


def _axpy_args(n=9):
    return 1.5, random_floats(n, seed=1), random_floats(n, seed=2)


# ---- decorator forms --------------------------------------------------------

@pytest.mark.parametrize("form", ["njit", "njit()", "njit(f)", "jit(nopython=True)", "jit", "jit()", "njit(opts)"])
def test_decorator_forms(form):
    decorate = {
        "njit": njit,
        "njit()": njit(),
        "njit(f)": njit,
        "jit(nopython=True)": jit(nopython=True),
        "jit": jit,
        "jit()": jit(),
        "njit(opts)": njit(nogil=True, boundscheck=False),
    }[form]
    f = decorate(axpy)
    assert f.py_func is axpy
    check(f, *_axpy_args())


def test_decorator_syntax_on_def():
    @njit
    def twice(x):
        return 2 * x

    @jit(nopython=True)
    def thrice(x):
        return 3 * x

    assert twice(21) == 42
    assert thrice(1.5) == 4.5
    assert twice.py_func(21) == 42


# ---- eager signatures -------------------------------------------------------

@pytest.mark.parametrize("signature", [
    "float64(float64[:], int64[:])",
    "f8(f8[:], i8[:])",
    "float64(float64[::1], intp[::1])",
    ["float64(float64[:], int64[:])"],
    types.float64(types.float64[:], types.int64[:]),
])
def test_eager_signature_forms(signature):
    f = njit(signature)(weighted)
    assert len(f.signatures) >= 1  # compiled before the first call
    x = random_floats(10)
    idx = np.array([9, 0, 3, 3, -1], dtype=np.int64)
    check(f, x, idx)


def test_abbreviated_scalar_and_array_signature():
    f = njit("f8(f8,f8[:],f8[:])")(axpy)
    check(f, *_axpy_args())


def test_eager_int_argument_converts_to_float():
    f = njit("float64(float64, float64)")(scale)
    got = f(3, 2)
    assert got == 6.0 and isinstance(got, float)


def test_eager_signature_list_prefers_exact_match():
    f = njit(["f8(f8, f8)", "i8(i8, i8)"])(scale)
    assert len(f.signatures) == 2
    as_int = f(3, 4)
    as_float = f(1.5, 4.0)
    assert as_int == 12 and isinstance(as_int, int)
    assert as_float == 6.0 and isinstance(as_float, float)


def test_eager_void_signature_writes_output():
    @njit("void(float64[:], intp[:])")
    def fill(out, idx):
        for k in range(idx.shape[0]):
            out[idx[k]] = 2.0 * k

    out = np.zeros(5)
    assert fill(out, np.array([4, 1, 0], dtype=np.intp)) is None
    np.testing.assert_array_equal(out, [4.0, 2.0, 0.0, 0.0, 0.0])


@pytest.mark.parametrize("order", ["C", "F"])
def test_eager_signature_from_types_2d(order):
    layout = types.float64[:, ::1] if order == "C" else types.float64[::1, :]

    @njit(types.float64(layout))
    def total(a):
        s = 0.0
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                s += a[i, j] * (i + 1) - j
        return s

    a = np.asarray(random_floats(12).reshape(3, 4), order=order)
    check(total, a)


def test_eager_signature_rejects_incompatible_argument():
    f = njit("float64(float64[:], int64[:])")(weighted)
    with pytest.raises(TypeError):
        f(np.zeros(3, dtype=np.complex128), np.zeros(1, dtype=np.int64))
    check(f, random_floats(4), np.array([1, 2], dtype=np.int64))


# ---- the dispatcher's API ---------------------------------------------------

def test_signatures_grow_per_argument_types():
    f = njit(scale)
    assert f.signatures == []
    assert f(2.0, 3.0) == 6.0
    assert f.signatures == [(types.float64, types.float64)]
    assert f(2, 3) == 6
    assert f(2.5, 2.0) == 5.0  # same types: no new specialization
    assert len(f.signatures) == 2
    assert (types.int64, types.int64) in f.signatures


def test_signature_of_array_argument():
    f = njit(weighted)
    check(f, random_floats(5), np.array([0, 4], dtype=np.int64))
    assert f.signatures == [(types.float64[::1], types.int64[::1])]


def test_inspect_types_mentions_argument_types():
    f = njit(weighted)
    f(random_floats(5), np.array([1], dtype=np.int64))
    out = io.StringIO()
    f.inspect_types(file=out)
    text = out.getvalue()
    assert "float64" in text and "int64" in text


def test_inspect_types_prints_to_stdout(capsys):
    f = njit(scale)
    f(1.0, 2.0)
    f.inspect_types()
    assert "float64" in capsys.readouterr().out


def test_inspect_llvm_and_asm():
    f = njit(scale)
    f(1.0, 2.0)
    f(1, 2)
    llvm = f.inspect_llvm()
    assert isinstance(llvm, dict) and len(llvm) == 2
    for sig, text in llvm.items():
        assert sig in f.signatures
        assert isinstance(text, str) and "define" in text
    asm = f.inspect_asm()
    assert set(asm) == set(llvm)
    assert all(isinstance(text, str) and "ret" in text.lower() for text in asm.values())
    one = f.inspect_llvm((types.float64, types.float64))
    assert isinstance(one, str) and "define" in one


OFFSET = 1.0


def add_offset(x):
    return x + OFFSET


def test_recompile_picks_up_changed_global():
    global OFFSET
    f = njit(add_offset)
    assert f(1.0) == 2.0
    OFFSET = 10.0
    try:
        assert f(1.0) == 2.0  # frozen at compile time
        f.recompile()
        assert f(1.0) == 11.0
        assert f.signatures == [(types.float64,)]
    finally:
        OFFSET = 1.0


# ---- options ----------------------------------------------------------------

def _parallel_sum(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i] * x[i]
    return s


@pytest.mark.parametrize("options", [
    {"parallel": True},
    {"parallel": False},
    {"fastmath": True},
    {"fastmath": {"nnan", "ninf"}},
    {"boundscheck": True},
    {"boundscheck": False},
    {"nogil": True},
    {"error_model": "python"},
    {"error_model": "numpy"},
    {"inline": "always"},
    {"inline": "never"},
], ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()))
@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_options_accepted(options, n):
    f = njit(**options)(_parallel_sum)
    x = random_floats(n, seed=n)
    check(f, x, rtol=1e-10 if options.get("fastmath") or options.get("parallel") else None)


def test_error_model_python_raises_and_numpy_returns_inf():
    def divide(a, b):
        return a / b

    assert njit(error_model="numpy")(divide)(1.0, 0.0) == np.inf
    with pytest.raises(ZeroDivisionError):
        njit(error_model="python")(divide)(1.0, 0.0)
    with pytest.raises(ZeroDivisionError):
        njit(divide)(1.0, 0.0)  # Python's error model is the default


def test_inline_always_callee():
    @njit(inline="always")
    def square(x):
        return x * x

    @njit
    def sum_squares(x):
        s = 0.0
        for v in x:
            s += square(v)
        return s

    check(sum_squares, random_floats(33))


def test_object_mode_is_unsupported():
    def f(x):
        return x

    with pytest.raises(UnsupportedError):
        jit(forceobj=True)(f)(1)
    with pytest.raises(UnsupportedError):
        jit(nopython=False)(f)(1)


# ---- calling --------------------------------------------------------------

def test_wrong_argument_count_raises_and_dispatcher_survives():
    f = njit(scale)
    with pytest.raises(TypeError):
        f(1.0)
    with pytest.raises(TypeError):
        f(1.0, 2.0, 3.0)
    assert f(3.0, 2.0) == 6.0
    with pytest.raises(TypeError):
        f()
    assert f(3, 2) == 6


def test_unsupported_argument_type_raises_typing_error_and_survives():
    f = njit(scale)
    with pytest.raises(TypingError):
        f(object(), 2)
    assert f(2.0, 2.0) == 4.0


def test_module_aliases():
    assert numjit.njit is njit and numjit.jit is jit
    assert list(numjit.prange(3)) == [0, 1, 2]
    assert numjit.typeof(1.0) == types.float64
    assert numjit.typeof(np.zeros((2, 2))) == types.float64[:, ::1]


def test_disable_jit_returns_plain_python(tmp_path):
    # NUMJIT_DISABLE_JIT=1 (read at import): decorators hand back Python callables.
    script = tmp_path / "disabled.py"
    script.write_text(
        "import numpy as np, numjit\n"
        "f = numjit.njit(lambda x: x + 1)\n"
        "g = numjit.vectorize(lambda x: x * 2)\n"
        "h = numjit.vectorize(['f8(f8)'])(lambda x: x * 3)\n"
        "assert f.__name__ == '<lambda>' and not hasattr(f, 'py_func')\n"
        "print(f(1), g(np.arange(3)).tolist(), h(np.arange(2.0)).tolist())\n")
    env = dict(os.environ, NUMJIT_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2 [0, 2, 4] [0.0, 3.0]"


@pytest.mark.parametrize("inline", ["never", "always"])
def test_inline_always_inlines_large_callees(tmp_path, inline):
    # A callee too large for LLVM's own inliner stays a call unless inline='always'.
    body = "\n".join(f"    x = math.sin(x) * {i + 1.5} + math.cos(x * {i + 2})" for i in range(40))
    path = tmp_path / f"big_{inline}.py"
    path.write_text(f"import math\nfrom numjit import njit\n\n@njit(inline={inline!r})\ndef big(x):\n{body}\n"
                    f"    return x\n\n@njit\ndef caller(x):\n    return big(x) + big(x + 1.0) + big(x + 2.0)\n")
    spec = importlib.util.spec_from_file_location(f"big_{inline}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.caller(0.25) == pytest.approx(module.caller.py_func(0.25), rel=1e-12)
    ir = next(iter(module.caller.inspect_llvm().values()))
    calls_big = any("call" in line and "numjit.big" in line for line in ir.splitlines())
    assert calls_big == (inline == "never")


def test_lambdas_sharing_a_line_compile_each_its_own_body():
    first, second = njit(lambda x: x + 1), njit(lambda x: x * 100)
    assert (first(2), second(2)) == (3, 200)
    assert (njit(lambda x: x - 1)(5), njit(lambda x: x * 3)(5), njit(lambda x: -x)(5)) == (4, 15, -5)
