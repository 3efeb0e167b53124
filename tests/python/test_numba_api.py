"""Numba's public names on numjit (issue 17's first part): the module layout a
library imports (numba.core.types, numba.extending, numba.np.numpy_support,
...), type classes with Numba's hierarchy, `python -m numjit.as_numba`, module
constants read in compiled code, and guvectorize layouts without '->'.

NUMBA_NAMES is kept here, not read from an installed Numba, so that the test
says what numjit promises: each name must resolve on numjit."""
import ctypes
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import numjit
import numjit.config as numjit_config
from numjit import guvectorize, njit, types

NUMBA_NAMES = {
    "numjit": [
        "jit", "njit", "vectorize", "guvectorize", "stencil", "cfunc", "prange", "typeof", "from_dtype",
        "literal_unroll", "objmode", "jit_module", "config", "set_num_threads", "get_num_threads", "get_thread_id",
        "set_parallel_chunksize", "get_parallel_chunksize", "parallel_chunksize", "threading_layer", "carray",
        "farray", "typed", "types", "errors", "extending", "experimental", "core", "np", "cuda", "gdb", "gdb_init",
        "gdb_breakpoint", "optional", "deferred_type", "int8", "int64", "uint8", "float32", "float64", "complex128",
        "boolean", "bool", "intc", "uintc", "intp", "uintp", "char", "short", "long_", "longlong", "size_t",
        "ssize_t", "void", "none", "NumbaError", "NumbaWarning", "TypingError", "UnsupportedError",
        "NumbaPerformanceWarning", "NumbaDeprecationWarning", "NumbaValueError", "NumbaTypeError",
        "NumbaNotImplementedError", "DUFunc",
    ],
    "numjit.core.types": [
        "Type", "Number", "Integer", "Float", "Complex", "Boolean", "Array", "Buffer", "BaseTuple", "Tuple",
        "UniTuple", "Optional", "Omitted", "NoneType", "Literal", "IntegerLiteral", "StringLiteral", "UnicodeType",
        "ListType", "DictType", "List", "Dispatcher", "Function", "NumberClass", "DType", "NPDatetime",
        "NPTimedelta", "Record", "NamedTuple", "EnumMember", "float64", "int64", "intp", "boolean", "unicode_type",
        "voidptr", "pyobject", "optional", "misc", "containers", "npytypes", "scalars", "abstract",
        "integer_domain", "real_domain", "number_domain", "unliteral", "NumPyRandomGeneratorType",
    ],
    "numjit.core.errors": ["TypingError", "UnsupportedError", "NumbaPerformanceWarning", "NumbaWarning",
                           "NumbaError", "NumbaValueError", "LoweringError", "NumbaDeprecationWarning"],
    "numjit.core.config": ["NUMBA_NUM_THREADS", "DISABLE_JIT", "NUMBA_DEFAULT_NUM_THREADS"],
    "numjit.extending": ["overload", "overload_method", "overload_attribute", "overload_classmethod", "intrinsic",
                         "register_jitable", "is_jitted", "models", "register_model", "typeof_impl", "unbox", "box",
                         "NativeValue", "make_attribute_wrapper", "lower_builtin", "type_callable",
                         "get_cython_function_address", "as_numba_type", "literally", "SentryLiteralArgs"],
    "numjit.experimental": ["jitclass", "structref"],
    "numjit.np.numpy_support": ["from_dtype", "as_dtype"],
    "numjit.np.ufunc": ["vectorize", "guvectorize", "DUFunc", "GUFunc"],
    "numjit.np.ufunc.gufunc": ["GUFunc"],
    "numjit.typed": ["List", "Dict"],
    "numjit.cuda": ["jit", "is_available", "to_device", "device_array"],
}


@pytest.mark.parametrize("module_name", sorted(NUMBA_NAMES))
def test_every_public_numba_name_resolves(module_name):
    import importlib

    module = importlib.import_module(module_name)
    missing = [name for name in NUMBA_NAMES[module_name] if not hasattr(module, name)]
    assert not missing, f"{module_name} lacks {missing}"


def test_core_modules_are_numjits_own():
    import numjit.core.config
    import numjit.core.errors
    import numjit.core.types
    import numjit.core.types.misc

    assert numjit.core.types is numjit.types
    assert numjit.core.errors is numjit.errors
    assert numjit.core.config is numjit.config
    assert numjit.core.types.misc.NoneType is types.NoneType


# ---- types ------------------------------------------------------------------

@pytest.mark.parametrize("dtype,cls", [(np.bool_, types.Boolean), (np.int8, types.Integer), (np.uint64, types.Integer),
                                       (np.float32, types.Float), (np.float64, types.Float),
                                       (np.complex64, types.Complex), (np.complex128, types.Complex)])
def test_scalar_types_have_numbas_classes(dtype, cls):
    t = numjit.from_dtype(dtype)
    assert isinstance(t, cls) and isinstance(t, types.Type)
    assert isinstance(t, types.Number) == (cls is not types.Boolean)
    assert numjit.np.numpy_support.as_dtype(t) == np.dtype(dtype)
    assert numjit.typeof(np.zeros(1, dtype)[0]) == t
    if cls is not types.Boolean:
        assert t.bitwidth == 8 * np.dtype(dtype).itemsize
    if cls is types.Integer:
        assert t.signed == np.issubdtype(dtype, np.signedinteger)


def test_tuple_types_follow_numba():
    homogeneous = types.Tuple(types.int64, types.int64)
    assert isinstance(homogeneous, types.UniTuple) and isinstance(homogeneous, types.BaseTuple)
    assert homogeneous == types.UniTuple(types.int64, 2)
    assert (homogeneous.dtype, homogeneous.count) == (types.int64, 2)
    mixed = types.Tuple(types.int64, types.float64)
    assert not isinstance(mixed, types.UniTuple) and list(mixed) == [types.int64, types.float64]
    assert isinstance(numjit.typeof((1, 2, 3)), types.UniTuple)
    assert isinstance(numjit.typeof(np.zeros((2, 2))), types.Array)


def test_numbas_other_type_classes_exist_for_isinstance():
    assert issubclass(types.Record, types.Type) and types.Record is types.Record
    assert not isinstance(types.float64, types.Record)
    assert types.optional(types.float64).type is types.float64
    assert types.intc == types.int32 and types.bool == types.boolean
    with pytest.raises(AttributeError):
        types.not_a_numba_name


# ---- the smaller top-level names ------------------------------------------------

def test_from_dtype_refuses_what_numjit_has_no_type_for():
    with pytest.raises(numjit.errors.UnsupportedError):
        numjit.from_dtype(np.dtype("U3"))


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128])
@pytest.mark.parametrize("shape", [(6,), (2, 3)])
def test_carray_and_farray_view_memory(dtype, shape):
    base = np.arange(6).astype(dtype)
    np.testing.assert_array_equal(numjit.carray(base.ctypes.data, shape, dtype), base.reshape(shape))
    np.testing.assert_array_equal(numjit.farray(base.ctypes.data, shape, dtype), base.reshape(shape, order="F"))
    if dtype != np.complex128:  # ctypes has no complex type, so only an address and a dtype name one
        pointer = base.ctypes.data_as(ctypes.POINTER(np.ctypeslib.as_ctypes_type(dtype)))
        np.testing.assert_array_equal(numjit.carray(pointer, shape), base.reshape(shape))
        np.testing.assert_array_equal(numjit.farray(pointer, shape), base.reshape(shape, order="F"))


def test_threading_layer_and_parallel_chunksize():
    assert numjit.threading_layer() == "tbb"
    before = numjit.get_parallel_chunksize()
    with numjit.parallel_chunksize(7):
        assert numjit.get_parallel_chunksize() == 7
    assert numjit.get_parallel_chunksize() == before


def _scaled(x):
    with numjit.objmode(y="float64"):
        y = x * 2.0
    return y


def test_objmode_runs_its_block_in_python():
    assert _scaled(1.5) == 3.0


def test_cfunc_of_a_lambda_has_a_c_entry_point():
    made = numjit.cfunc("float64(float64)")(lambda x: x + 1.0)
    assert made(1.0) == 2.0
    assert made.ctypes(1.5) == 2.5 and made.address != 0  # tests/python/test_cfunc.py covers the rest


def test_cuda_kernels_run_on_the_cpu_and_refuse_bad_launches():
    assert numjit.cuda.is_available() is True  # kernels run without a GPU (tests/python/test_cuda_kernels.py)
    device = numjit.cuda.jit(device=True)(lambda x: x)
    with pytest.raises(numjit.errors.UnsupportedError):
        device(1.0)  # a device function runs only inside a kernel
    kernel = numjit.cuda.jit(_fill_kernel)
    with pytest.raises(numjit.cuda.LaunchError):
        kernel(np.zeros(3))  # no launch configuration
    out = np.zeros(5)
    kernel[1, 8](out)
    assert np.array_equal(out, np.arange(5.0))


def _fill_kernel(out):
    i = numjit.cuda.grid(1)
    if i < out.shape[0]:
        out[i] = i


def test_jit_module_compiles_the_callers_functions(tmp_path):
    source = tmp_path / "jitted_module.py"
    source.write_text(textwrap.dedent("""
        import numjit

        def total(x):
            s = 0.0
            for v in x:
                s += v
            return s

        numjit.jit_module(nopython=True)
    """))
    sys.path.insert(0, str(tmp_path))
    try:
        import jitted_module
    finally:
        sys.path.remove(str(tmp_path))
    assert numjit.extending.is_jitted(jitted_module.total)
    x = np.arange(5.0)
    assert jitted_module.total(x) == jitted_module.total.py_func(x)


# ---- the extension API: what works, what warns --------------------------------

def _clipped(x, low, high):
    return min(max(x, low), high)


clipped = numjit.extending.register_jitable(_clipped)


@njit
def _uses_clipped(values):
    out = np.empty_like(values)
    for i in range(values.size):
        out[i] = clipped(values[i], -1.0, 1.0)
    return out


def test_register_jitable_works_in_python_and_compiled_code():
    assert clipped is _clipped  # still the Python function for Python callers
    values = np.linspace(-3.0, 3.0, 13)
    np.testing.assert_array_equal(_uses_clipped(values), _uses_clipped.py_func(values))


@numjit.extending.overload_attribute(types.Array, "doubled_size")
def _doubled_size_typer(a):
    if a.ndim == 1:
        return lambda a: 2 * a.size
    return lambda a: 2 * a.size + a.ndim


@numjit.extending.overload_attribute(types.Float, "squared")
def _squared_typer(x):
    return lambda x: x * x


@njit
def _reads_overloaded_attributes(a, x):
    return a.doubled_size, x.squared


@pytest.mark.parametrize("shape", [(0,), (5,), (2, 3)])
@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_overload_attribute(shape, dtype):
    a = np.zeros(shape, dtype=dtype)
    expected = (2 * a.size + (0 if a.ndim == 1 else a.ndim), 2.25)
    assert _reads_overloaded_attributes(a, 1.5) == expected
    with pytest.raises(numjit.errors.TypingError, match="unknown attribute 'squared' of int64"):
        _reads_overloaded_attributes(a, 3)  # registered for floats only: the typing function is not asked


def test_unsupported_extensions_import_with_a_warning():
    with pytest.warns(numjit.errors.NumjitWarning, match="overload_classmethod"):
        @numjit.extending.overload_classmethod(types.Array, "made")
        def made_typer(cls):
            return None

    assert any(entry[2] is made_typer for entry in numjit.extending.pending_extensions())


def test_cython_function_address():
    address = numjit.extending.get_cython_function_address("scipy.special.cython_special", "gammaln")
    gammaln = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(address)
    assert gammaln(5.0) == pytest.approx(np.log(24.0), rel=1e-14)


# ---- module constants in compiled code --------------------------------------------

@njit
def _thread_settings():
    return numjit_config.NUMBA_NUM_THREADS + numjit.config.NUMBA_DEFAULT_NUM_THREADS


@njit
def _path_separator_count(n):
    return len(os.sep) * n


def test_module_constants_are_frozen_like_globals():
    assert _thread_settings() == _thread_settings.py_func()
    assert _path_separator_count(3) == _path_separator_count.py_func(3)


@njit
def _module_as_value():
    return os.getcwd()


def test_a_modules_function_is_still_refused_with_its_name():
    with pytest.raises(numjit.errors.TypingError, match="os.getcwd"):
        _module_as_value()


# ---- python -m numjit.as_numba --------------------------------------------------

AS_NUMBA_SCRIPT = """
import sys
import numpy as np
import numba
from numba import njit, prange
from numba.core import types
from numba.core.errors import NumbaPerformanceWarning
from numba.extending import register_jitable
from numba.np.numpy_support import from_dtype
import numba.core.types.misc
import numjit

assert numba.njit is numjit.njit and types is numjit.types, "numba is not numjit"
assert numba.__version__ == "{version}"

@njit(parallel=True)
def threads_and_sum(x):
    s = 0.0
    for i in prange(x.size):
        s += x[i]
    return s + numba.config.NUMBA_NUM_THREADS

x = np.arange(100.0)
print(threads_and_sum(x) == threads_and_sum.py_func(x), sys.argv[1:])
"""


def _run_as_numba(args, cwd):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.run([sys.executable, "-m", "numjit.as_numba", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_as_numba_runs_a_script_and_a_module(tmp_path):
    from numjit import NUMBA_API_VERSION

    (tmp_path / "uses_numba.py").write_text(AS_NUMBA_SCRIPT.format(version=NUMBA_API_VERSION))
    for args in (["uses_numba.py", "a", "b"], ["-m", "uses_numba", "a", "b"]):
        done = _run_as_numba(args, tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "True ['a', 'b']", done.stdout


def test_as_numba_without_a_program_says_how():
    done = _run_as_numba([], None)
    assert done.returncode != 0 and "usage" in done.stderr


# ---- guvectorize layouts without '->' -------------------------------------------

@guvectorize(["void(float64[:], float64[:])"], "(n), (k)")
def _double_head_into(x, out):
    for i in range(out.shape[0]):
        out[i] = 2.0 * x[i]


def _expected_head(x, k):
    return 2.0 * x[..., :k]


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_layout_without_outputs_writes_into_its_arguments(order, dtype):
    x = np.arange(15.0).reshape(3, 5)
    out = np.zeros((3, 2), dtype=dtype, order=order)
    assert _double_head_into(x, out) is None
    np.testing.assert_array_equal(out, _expected_head(x, 2).astype(dtype))


def test_layout_without_outputs_broadcasts_its_inputs():
    x = np.arange(5.0)
    out = np.zeros((4, 3))
    _double_head_into(x, out)
    np.testing.assert_array_equal(out, np.broadcast_to(_expected_head(x, 3), (4, 3)))


def test_layouts_need_commas_between_groups():
    with pytest.raises(ValueError):
        guvectorize(["void(float64[:], float64[:])"], "(n)(k)")(_double_head_into.py_func)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        guvectorize(["void(float64[:], float64[:])"], "(n),(k),")(_double_head_into.py_func)


# ---- @overload and @overload_method ------------------------------------------------

def scaled_norm(x, scale):
    """A plain Python function a library extends for compiled code, as with Numba."""
    return np.sqrt(np.sum(x * x)) * scale


typer_calls = []


@numjit.extending.overload(scaled_norm)
def _scaled_norm_typer(x, scale):
    typer_calls.append((x, scale))
    if isinstance(x, types.Array) and isinstance(x.dtype, types.Float) and isinstance(scale, types.Number):
        def implementation(x, scale):
            total = 0.0
            for v in x.ravel():
                total += v * v
            return np.sqrt(total) * scale
        return implementation
    if isinstance(x, types.Float):
        return lambda x, scale: abs(x) * scale
    return None


@njit
def _norms(a, s):
    return scaled_norm(a, s), scaled_norm(a[0, 0], s)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", ["C", "F"])
def test_overload_picks_an_implementation_per_argument_types(dtype, order):
    a = np.asarray(np.arange(12.0).reshape(3, 4) - 5.0, dtype=dtype, order=order)
    got, want = _norms(a, 2), (scaled_norm(a, 2), abs(a[0, 0]) * 2)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert any(isinstance(x, types.Array) and isinstance(s, types.Integer) for x, s in typer_calls)


@njit
def _norm_of_ints(a):
    return scaled_norm(a, 1.0)


def test_overload_that_accepts_nothing_is_a_located_typing_error():
    with pytest.raises(numjit.errors.TypingError, match="no @overload of scaled_norm"):
        _norm_of_ints(np.arange(3))


@numjit.extending.overload_method(types.Array, "clipped_sum")
def _clipped_sum_typer(a, low, high):
    if isinstance(a, types.Array):
        def implementation(a, low, high):
            return np.clip(a, low, high).sum()
        return implementation


@njit
def _clipped_sum(a):
    return a.clipped_sum(-1.0, 1.0)


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_overload_method_adds_an_array_method(dtype):
    a = (np.arange(10) - 4).astype(dtype)
    assert _clipped_sum(a) == np.clip(a, -1.0, 1.0).sum()


def test_overloading_what_numjit_implements_keeps_numjits():
    with pytest.warns(numjit.errors.NumjitWarning, match="numjit implements itself"):
        @numjit.extending.overload(np.sum)
        def _sum_typer(a):
            return lambda a: -1.0

    @njit
    def total(a):
        return np.sum(a)

    assert total(np.ones(4)) == 4.0


AST_BUILT_SCRIPT = '''
import ast
import inspect
import numpy as np
import numba

SOURCE = """
def doubled_sum(x):
    s = 0.0
    for v in x:
        s += v
    return s
"""
tree = ast.parse(SOURCE)
tree.body[0].body[1].body[0].value = ast.BinOp(ast.Name("v", ast.Load()), ast.Mult(), ast.Constant(2.0))
ast.fix_missing_locations(tree)
scope = {}
exec(compile(tree, filename="<ast>", mode="exec"), {"np": np}, scope)
f = numba.njit(scope["doubled_sum"])
x = np.arange(5.0)
print(f(x) == 2 * x.sum(), "v * 2.0" in inspect.getsource(scope["doubled_sum"]))
'''


def test_as_numba_reads_functions_built_from_a_syntax_tree(tmp_path):
    # Numba reads bytecode, so libraries (numbagg) build kernels from rewritten trees; numjit needs a source.
    (tmp_path / "built.py").write_text(AST_BUILT_SCRIPT)
    done = _run_as_numba(["built.py"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True True", done.stdout
