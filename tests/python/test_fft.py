"""np.fft in compiled code (python/numjit/library/fft.py, runtime pocketfft).

Every compiled function is compared with its own ``py_func`` (NumPy). In
double precision the results must equal NumPy's bit for bit (same pocketfft,
same plans, same scale factors); single precision keeps NumPy 2's float32 /
complex64 result dtypes and is compared to a relative 1e-5 (NumPy runs its
unscaled single-precision transforms in its double loop, as fct=1 is a Python
int, and rounds; numjit stays in float32, so those differ by about an ulp).
"""
import numpy as np
import pytest

import numjit

RNG = np.random.default_rng(20240611)
NORMS = [None, "backward", "ortho", "forward"]


def _real(shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


def _complex(shape, dtype=np.complex128):
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


def check_exact(f, *args):
    got, want = f(*args), f.py_func(*args)
    for g, w in zip(got, want) if isinstance(want, tuple) else [(got, want)]:
        assert isinstance(g, np.ndarray)
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_array_equal(g, w)
    return got


def check_close(f, *args, rtol=1e-5):
    got, want = f(*args), f.py_func(*args)
    assert got.dtype == want.dtype and got.shape == want.shape
    scale = np.abs(want).max() if want.size else 1.0
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale)
    return got


def check_raises(error, f, *args, match=None):
    """NumPy raises `error` and numjit raises exactly that class."""
    with pytest.raises(error, match=match):
        f.py_func(*args)
    with pytest.raises(error, match=match) as info:
        f(*args)
    assert info.type is error


BAD_N = "Invalid number of FFT data points"


# ---- the one-dimensional transforms, every argument positional -------------

@numjit.njit
def fft_(a, n, axis, norm):
    return np.fft.fft(a, n, axis, norm)


@numjit.njit
def ifft_(a, n, axis, norm):
    return np.fft.ifft(a, n, axis, norm)


@numjit.njit
def rfft_(a, n, axis, norm):
    return np.fft.rfft(a, n, axis, norm)


@numjit.njit
def irfft_(a, n, axis, norm):
    return np.fft.irfft(a, n, axis, norm)


@numjit.njit
def hfft_(a, n, axis, norm):
    return np.fft.hfft(a, n, axis, norm)


@numjit.njit
def ihfft_(a, n, axis, norm):
    return np.fft.ihfft(a, n, axis, norm)


ONE_D = [fft_, ifft_, rfft_, irfft_, hfft_, ihfft_]
REAL_INPUT = (rfft_, ihfft_)  # these reject complex input


def _input(f, shape, single=False):
    if f in REAL_INPUT:
        return _real(shape, np.float32 if single else np.float64)
    return _complex(shape, np.complex64 if single else np.complex128)


@numjit.njit
def one_d_call_forms(c, c2, r3, n):  # defaults and keywords
    return (np.fft.fft(c), np.fft.ifft(c2), np.fft.irfft(c2, n=n, norm="ortho", axis=0),
            np.fft.rfft(r3, axis=-2, norm="forward"), np.fft.hfft(c, n), np.fft.ihfft(r3[0], norm="ortho"))


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 12, 17, 64, 1000, 1009])
@pytest.mark.parametrize("f", ONE_D, ids=lambda f: f.__name__)
def test_sizes_default_n(f, size):
    a = _input(f, size)
    if f in (irfft_, hfft_) and size == 1:  # default n = 2 * (1 - 1) = 0
        check_raises(ValueError, f, a, None, -1, None, match=BAD_N)
    else:
        check_exact(f, a, None, -1, None)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 16, 17, 33, 1009])
@pytest.mark.parametrize("f", ONE_D, ids=lambda f: f.__name__)
def test_n_truncates_and_pads(f, n):
    check_exact(f, _input(f, 16), n, -1, None)  # 16: n below, equal and above


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("size", [12, 17])
@pytest.mark.parametrize("f", ONE_D, ids=lambda f: f.__name__)
def test_norm(f, size, norm):
    a = _input(f, size)
    check_exact(f, a, None, -1, norm)
    check_exact(f, a, 2 * size + 1, -1, norm)


def test_real_valued_complex_input_and_defaults():
    x = _real(24)
    check_exact(fft_, x, None, -1, None)  # float64 in, complex128 out
    check_exact(ifft_, x, 9, 0, "ortho")
    check_exact(irfft_, x, None, -1, None)  # a real array is read as complex
    check_exact(hfft_, x, 11, -1, "forward")
    check_exact(one_d_call_forms, _complex(30), _complex((9, 4)), _real((2, 7, 3)), 15)


def _layouts():
    base2 = _complex((10, 12))
    base3 = _complex((4, 6, 5))
    return {
        "C2": base2,
        "F2": np.asfortranarray(base2),
        "T2": base2.T,
        "rows2": base2[::2],
        "cols3": base2[:, ::3],
        "neg": base2[::-1, 1::2],
        "C3": base3,
        "F3": np.asfortranarray(base3),
        "strided1d": _complex(40)[::3],
    }


LAYOUTS = _layouts()


@pytest.mark.parametrize("axis", [0, 1, -1, -2, 2, -3])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("f", ONE_D, ids=lambda f: f.__name__)
def test_layouts_and_axes(f, layout, axis):
    a = LAYOUTS[layout]
    if f in REAL_INPUT:
        a = a.real if layout != "F2" else np.asfortranarray(a.real)
    if not -a.ndim <= axis < a.ndim:  # NumPy reads a.shape[axis]: IndexError
        check_raises(IndexError, f, a, None, axis, None)
    else:
        check_exact(f, a, None, axis, None)
        check_exact(f, a, 7, axis, "ortho")


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("f", ONE_D, ids=lambda f: f.__name__)
def test_single_precision(f, norm):
    a = _input(f, (3, 20), single=True)
    got = check_close(f, a, None, -1, norm)
    assert got.dtype in (np.float32, np.complex64)
    check_close(f, a, 13, 0, norm)
    check_close(f, np.asfortranarray(a)[:, ::2], 9, -1, norm)
    if f not in REAL_INPUT:  # a float32 array read as complex64
        check_close(f, a.real.copy(), None, -1, norm)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.bool_])
@pytest.mark.parametrize("f", ONE_D, ids=lambda f: f.__name__)
def test_integer_and_bool_input(f, dtype):
    a = RNG.integers(-5, 6, (4, 11)).astype(dtype)
    got = check_exact(f, a, None, -1, None)
    assert got.dtype in (np.float64, np.complex128)
    check_exact(f, a, 6, 0, "ortho")


@pytest.mark.parametrize("n", [None, 1, 2, 7, 16, 17, 31])
@pytest.mark.parametrize("m", [1, 5, 9])
def test_irfft_lengths_and_round_trip(m, n):
    spectrum = _complex(m)
    if n is None and m == 1:
        return check_raises(ValueError, irfft_, spectrum, n, -1, None, match=BAD_N)
    got = check_exact(irfft_, spectrum, n, -1, None)
    assert got.shape == ((2 * (m - 1)) if n is None else n,)
    x = _real(16 if n is None else n)
    back = irfft_(rfft_(x, None, -1, None), x.size, -1, None)
    np.testing.assert_allclose(back, x, rtol=1e-12, atol=1e-12)
    check_exact(ihfft_, hfft_(_complex(9), n, -1, "ortho"), None, -1, "ortho")


# ---- the n-dimensional transforms -------------------------------------------

@numjit.njit
def fftn_(a, s, axes, norm):
    return np.fft.fftn(a, s, axes, norm)


@numjit.njit
def ifftn_(a, s, axes, norm):
    return np.fft.ifftn(a, s, axes, norm)


@numjit.njit
def rfftn_(a, s, axes, norm):
    return np.fft.rfftn(a, s, axes, norm)


@numjit.njit
def irfftn_(a, s, axes, norm):
    return np.fft.irfftn(a, s, axes, norm)


@numjit.njit
def fft2_(a, s, axes, norm):
    return np.fft.fft2(a, s, axes, norm)


@numjit.njit
def ifft2_(a, s, axes, norm):
    return np.fft.ifft2(a, s, axes, norm)


@numjit.njit
def rfft2_(a, s, axes, norm):
    return np.fft.rfft2(a, s, axes, norm)


@numjit.njit
def irfft2_(a, s, axes, norm):
    return np.fft.irfft2(a, s, axes, norm)


@numjit.njit
def nd_call_forms(c3, r3):  # defaults and keywords; fft2's axes left out: (-2, -1)
    return (np.fft.fft2(c3), np.fft.rfft2(r3, (5, 6)), np.fft.irfftn(c3), np.fft.fftn(r3),
            np.fft.ifft2(c3, norm="ortho"), np.fft.irfft2(c3, s=(4, 7)), np.fft.rfftn(r3, axes=(0, 1)))


N_D = [fftn_, ifftn_, rfftn_, irfftn_]
TWO_D = [fft2_, ifft2_, rfft2_, irfft2_]


def _nd_input(f, shape, dtype=None):
    a = _complex(shape)
    if f in (rfftn_, rfft2_):
        a = a.real.copy()
    return a if dtype is None else a.real.astype(dtype) if f in (rfftn_, rfft2_) else a.astype(dtype)


SA = [  # (s, axes) with axes given: NumPy 2 deprecates s without axes
    (None, None), (None, (0,)), (None, (2, 0)), (None, (-1, -3)), (None, (1, 2)),
    ((6, 4), (0, 2)), ((3,), (-2,)), ((5, 7, 3), (0, 1, 2)), ((2, 9), (2, 1)),
    ((1, 1, 1), (2, 1, 0)), ((8, 8), (-3, -1)), (None, (0, 0)),
]


@pytest.mark.parametrize("s,axes", SA, ids=str)
@pytest.mark.parametrize("f", N_D, ids=lambda f: f.__name__)
def test_nd_s_and_axes(f, s, axes):
    a = _nd_input(f, (4, 6, 5))
    check_exact(f, a, s, axes, None)
    check_exact(f, np.asfortranarray(a), s, axes, "ortho")
    check_exact(f, a[:, ::2], s, axes, "forward")


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("f", N_D + TWO_D, ids=lambda f: f.__name__)
def test_nd_norm_and_precision(f, norm):
    a = _nd_input(f, (5, 8))
    check_exact(f, a, None, None, norm)
    check_exact(f, a, (3, 9), (0, 1), norm)
    single = _nd_input(f, (5, 8), np.complex64 if f not in (rfftn_, rfft2_) else np.float32)
    check_close(f, single, None, None, norm)
    ints = RNG.integers(-3, 4, (4, 6)).astype(np.int32)
    check_exact(f, ints, None, None, norm)


@pytest.mark.parametrize("s", [None, (4, 6), (7, 3), (2, 11)], ids=str)
@pytest.mark.parametrize("axes", [None, (0, 1), (1, 0), (-1, -2), (0, 2)], ids=str)
@pytest.mark.parametrize("f", TWO_D, ids=lambda f: f.__name__)
def test_two_d_axes(f, axes, s):
    # numjit cannot tell axes=None written out from the default (-2, -1), so
    # that case runs on 2-D input, where NumPy's "every axis" is the same.
    a = _nd_input(f, (6, 5) if axes is None else (6, 5, 8))
    if s is not None and axes is None:
        with pytest.warns(DeprecationWarning):  # NumPy 2: s without axes
            want = f.py_func(a, s, axes, None)
        got = f(a, s, axes, None)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
        return
    check_exact(f, a, s, axes, None)
    if a.ndim == 3:
        check_exact(f, np.ascontiguousarray(a[0]), s, (0, 1) if axes == (0, 2) else axes, "ortho")


def test_nd_defaults_and_round_trips():
    check_exact(nd_call_forms, _complex((3, 7, 6)), _real((3, 9, 4)))
    check_exact(nd_call_forms, _complex((8, 5)), _real((9, 4)))
    x = _real((6, 7, 9))
    back = irfftn_(rfftn_(x, None, None, None), x.shape, (0, 1, 2), None)
    np.testing.assert_allclose(back, x, rtol=1e-12, atol=1e-12)
    back = irfft2_(rfft2_(x, None, (2, 0), "ortho"), (9, 6), (2, 0), "ortho")
    np.testing.assert_allclose(back, x, rtol=1e-12, atol=1e-12)
    back = ifftn_(fftn_(x, None, None, "forward"), None, None, "forward")
    np.testing.assert_allclose(back, x, rtol=1e-12, atol=1e-12)


def test_nd_s_minus_one_uses_whole_axis():
    # NumPy 2: "if s[i] is -1, the whole input array along that axis is used"
    a = _complex((4, 6))
    check_exact(fftn_, a, (-1, 8), (0, 1), None)
    check_exact(ifft2_, a, (3, -1), (0, 1), None)


# ---- frequencies and shifts --------------------------------------------------

@numjit.njit
def freqs(n, d):
    return np.fft.fftfreq(n, d), np.fft.rfftfreq(n, d), np.fft.fftfreq(n), np.fft.rfftfreq(n=n, d=d)


@pytest.mark.parametrize("d", [1.0, 0.1, 2.5, 1e-3, 3])
@pytest.mark.parametrize("n", [1, 2, 3, 8, 9, 10, 17, 1000])
def test_frequencies(n, d):
    got = check_exact(freqs, n, d)
    assert got[0].shape == (n,) and got[1].shape == (n // 2 + 1,)


@numjit.njit
def shifts(x, axes):
    return np.fft.fftshift(x, axes), np.fft.ifftshift(x, axes), np.fft.fftshift(x), np.fft.ifftshift(x)


@numjit.njit
def shift_back(x, axes):
    return np.fft.ifftshift(np.fft.fftshift(x, axes=axes), axes=axes)


SHIFT_INPUTS = {
    "1d_even_int": np.arange(10),
    "1d_odd_float": np.linspace(-1.0, 1.0, 7),
    "2d_int32": np.arange(35, dtype=np.int32).reshape(5, 7),
    "2d_float_F": np.asfortranarray(_real((4, 6))),
    "2d_complex_view": _complex((6, 9))[::2, 1:],
    "3d": _real((3, 4, 5)),
}


@pytest.mark.parametrize("axes", [None, 0, -1, 1, (0,), (0, 1), (1, 0), (-1, 0)], ids=str)
@pytest.mark.parametrize("name", sorted(SHIFT_INPUTS))
def test_shifts(name, axes):
    x = SHIFT_INPUTS[name]
    if x.ndim == 1 and axes is not None:  # keep the 1-D cases valid
        axes = (0,) if isinstance(axes, tuple) else axes % 1 - (axes < 0)
    check_exact(shifts, x, axes)
    np.testing.assert_array_equal(shift_back(x, axes), x)


# ---- errors ------------------------------------------------------------------

@pytest.mark.parametrize("n", [0, -1, -8])
@pytest.mark.parametrize("f", ONE_D, ids=lambda f: f.__name__)
def test_bad_n(f, n):
    check_raises(ValueError, f, _input(f, 8), n, -1, None, match=BAD_N)


@pytest.mark.parametrize("f", ONE_D + N_D + TWO_D, ids=lambda f: f.__name__)
def test_bad_norm(f):
    a = _input(f, (4, 4)) if f in ONE_D else _nd_input(f, (4, 4))
    check_raises(ValueError, f, a, None, -1 if f in ONE_D else None, "sideways", match="Invalid norm value")


# rfft raises NumPy's TypeError at run time; ihfft, rfftn and rfft2 fail to
# compile instead (TypingError: "np.conjugate() / np.ascontiguousarray() does
# not accept (none)", the type of a function that always raises).
@pytest.mark.parametrize("f,error", [(rfft_, TypeError), (ihfft_, numjit.errors.TypingError),
                                     (rfftn_, numjit.errors.TypingError), (rfft2_, numjit.errors.TypingError)],
                         ids=lambda v: getattr(v, "__name__", ""))
def test_real_transform_rejects_complex(f, error):
    a = _complex((4, 6))
    axis = -1 if f in ONE_D else None
    with pytest.raises(TypeError):
        f.py_func(a, None, axis, None)
    with pytest.raises(error) as info:
        f(a, None, axis, None)
    assert info.type is error


@pytest.mark.parametrize("f", ONE_D, ids=lambda f: f.__name__)
def test_axis_out_of_range(f):
    a = _input(f, (3, 8))
    check_raises(np.exceptions.AxisError, f, a, 4, 2, None)  # n given: normalize_axis_index
    check_raises(IndexError, f, a, None, -3, None)  # no n: NumPy reads a.shape[axis] first


@pytest.mark.parametrize("f", N_D, ids=lambda f: f.__name__)
def test_nd_errors(f):
    a = _nd_input(f, (3, 4))
    check_raises(np.exceptions.AxisError, f, a, (3, 4), (0, 2), None)
    check_raises(ValueError, f, a, (3,), (0, 1), None, match="Shape and axes have different lengths")


@numjit.njit
def padded_empty(a):
    return np.fft.ifft(a, 7), np.fft.rfft(a, 4), np.fft.fft2(np.zeros((0, 3)), (2, 2))


def test_empty_input_padded_to_n():
    for got, want in zip(padded_empty(np.zeros(0)), padded_empty.py_func(np.zeros(0))):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
