"""Whole-array expressions in compiled code, one per dtype: powers (`a ** 3`
on float64, `a ** 2` on float32), float64, float32, int64, int32, uint8,
bool masks, complex128, complex64, and mixed int/float."""
import numpy as np

from . import kernel, parallel, pick, rng

FAMILY = 'expressions'


def n_of(quick):
    return pick(quick, 2_000_000, 200_000)


def f64(quick, k=1, seed=90):
    r = rng(seed)
    return tuple(r.standard_normal(n_of(quick)) for _ in range(k))


def f32(quick, k=1, seed=91):
    r = rng(seed)
    return tuple(r.standard_normal(n_of(quick)).astype(np.float32) for _ in range(k))


def ints(quick, dtype, lo, hi, k=2, seed=92):
    r = rng(seed)
    return tuple(r.integers(lo, hi, n_of(quick)).astype(dtype) for _ in range(k))


CUBE = '''
@njit
def cube_f64(a):
    return a ** 3
'''

kernel('cube_f64', FAMILY, CUBE, f64, numpy=lambda a: a ** 3, rtol=1e-15, numpy_rtol=1e-15,
       note='a ** 3 on float64')

SQUARE = '''
@njit
def square_f32(a):
    return a ** 2
'''

kernel('square_f32', FAMILY, SQUARE,
       lambda quick: (rng(98).standard_normal(pick(quick, 5_000_000, 500_000)).astype(np.float32),),
       numpy=lambda a: a ** 2, rtol=0.0, note='a ** 2 on float32, 5e6 elements')

EXPR_F64 = '''
@njit
def expr_f64(a, b, c):
    return np.exp(-0.5 * a * a) * np.cos(b) + np.sqrt(np.abs(c)) / (1.0 + a * a)
'''


def expr_f64_numpy(a, b, c):
    return np.exp(-0.5 * a * a) * np.cos(b) + np.sqrt(np.abs(c)) / (1.0 + a * a)


e64 = kernel('expr_f64', FAMILY, EXPR_F64, lambda quick: f64(quick, 3), numpy=expr_f64_numpy,
             rtol=1e-14, numpy_rtol=1e-13, note='exp, cos, sqrt, abs: a fused float64 expression')

parallel(e64, EXPR_F64.replace('@njit', '@njit(parallel=True)').replace('def expr_f64', 'def expr_f64_parallel'),
         note='the same array expression under parallel=True')

EXPR_F32 = '''
@njit
def expr_f32(a, b):
    return a * b + np.float32(0.5) * np.tanh(a) - b * b
'''

kernel('expr_f32', FAMILY, EXPR_F32, lambda quick: f32(quick, 2),
       numpy=lambda a, b: a * b + np.float32(0.5) * np.tanh(a) - b * b, rtol=1e-6,
       note='float32 throughout (tanh)')

EXPR_I64 = '''
@njit
def expr_i64(a, b):
    return (a * 3 + b // 7 - a % 5) ^ (b >> 2)
'''

kernel('expr_i64', FAMILY, EXPR_I64, lambda quick: ints(quick, np.int64, -10**9, 10**9),
       numpy=lambda a, b: (a * 3 + b // 7 - a % 5) ^ (b >> 2), rtol=0.0,
       note='int64: *, //, %, ^, >> (floor semantics on negatives)')

EXPR_I32 = '''
@njit
def expr_i32(a, b):
    return np.maximum(a, b) * 2 - np.minimum(a, b) + (a & 255)
'''

kernel('expr_i32', FAMILY, EXPR_I32, lambda quick: ints(quick, np.int32, -10**6, 10**6),
       numpy=lambda a, b: np.maximum(a, b) * 2 - np.minimum(a, b) + (a & 255), rtol=0.0,
       note='int32: maximum, minimum, &')

EXPR_U8 = '''
@njit
def expr_u8(a, b):
    return ((a & 15) << 2) | (b >> 4)
'''



def u8_data(quick):
    r = rng(99)
    n = pick(quick, 10_000_000, 1_000_000)
    return r.integers(0, 256, n).astype(np.uint8), r.integers(0, 256, n).astype(np.uint8)


kernel('expr_u8', FAMILY, EXPR_U8, u8_data,
       numpy=lambda a, b: ((a & 15) << 2) | (b >> 4), rtol=0.0, note='uint8 bit operations, 1e7 elements')

EXPR_BOOL = '''
@njit
def expr_bool(a, b, m):
    return np.where(((a > 0.5) & ~m) | (b < -1.0), a, b)
'''


def bool_data(quick):
    a, b = f64(quick, 2, 93)
    return a, b, rng(94).random(n_of(quick)) < 0.3


kernel('expr_bool', FAMILY, EXPR_BOOL, bool_data,
       numpy=lambda a, b, m: np.where(((a > 0.5) & ~m) | (b < -1.0), a, b), rtol=0.0,
       note='boolean masks (&, |, ~) and np.where')

EXPR_C128 = '''
@njit
def expr_c128(z, c):
    w = z * z + c
    return np.abs(w) + np.real(w * np.conj(c))
'''


def complex_data(quick, dtype=np.complex128, seed=95):
    r = rng(seed)
    n = n_of(quick)
    return tuple((r.standard_normal(n) + 1j * r.standard_normal(n)).astype(dtype) for _ in range(2))


def expr_c_numpy(z, c):
    w = z * z + c
    return np.abs(w) + np.real(w * np.conj(c))


kernel('expr_c128', FAMILY, EXPR_C128, complex_data, numpy=expr_c_numpy, rtol=1e-15,
       numpy_rtol=1e-14, note='complex128: *, +, abs, conj, real')

EXPR_C64 = EXPR_C128.replace('expr_c128', 'expr_c64')

kernel('expr_c64', FAMILY, EXPR_C64, lambda quick: complex_data(quick, np.complex64, 96),
       numpy=expr_c_numpy, rtol=1e-6, note='the same on complex64')

EXPR_MIXED = '''
@njit
def expr_mixed(i, x):
    return i * x + i // 3 - x / (1 + i)
'''


def mixed_data(quick):
    r = rng(97)
    return (r.integers(0, 1000, n_of(quick)).astype(np.int32),
            r.standard_normal(n_of(quick)).astype(np.float32))


kernel('expr_mixed', FAMILY, EXPR_MIXED, mixed_data,
       numpy=lambda i, x: i * x + i // 3 - x / (1 + i), rtol=1e-15, numpy_rtol=1e-6,
       note='int32 with float32 (promotes to float64)')
