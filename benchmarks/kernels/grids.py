"""Grids: explicit heat steps (loop and @stencil), Mandelbrot, Ising
Metropolis sweeps, Game of Life, building grids."""
import math

import numpy as np

from . import as_python, kernel, parallel, pick, rng

FAMILY = 'grids'


# --- heat equation, explicit 5-point steps -------------------------------------------

def heat_data(quick):
    n = pick(quick, 512, 128)
    return rng(50).random((n, n)), 20, 0.2


HEAT_SLICES = '''
@njit
def heat_slices(u0, steps, alpha):
    u = u0.copy()
    v = u0.copy()
    for _ in range(steps):
        v[1:-1, 1:-1] = u[1:-1, 1:-1] + alpha * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2]
                                                 + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1])
        u, v = v, u
    return u
'''


HEAT = '''
@njit
def heat_2d(u0, steps, alpha):
    u = u0.copy()
    v = u0.copy()
    n, m = u.shape
    for _ in range(steps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                v[i, j] = u[i, j] + alpha * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1]
                                             + u[i, j + 1] - 4.0 * u[i, j])
        u, v = v, u
    return u
'''

heat_numpy = as_python(HEAT_SLICES, 'heat_slices')  # the NumPy reference of every heat kernel

heat = kernel('heat_2d', FAMILY, HEAT, heat_data, numpy=heat_numpy, rtol=1e-14,
              note='20 explicit steps of the 5-point Laplacian, 512 x 512')

parallel(heat, HEAT.replace('@njit', '@njit(parallel=True)')
         .replace('def heat_2d', 'def heat_2d_parallel')
         .replace('for i in range(1, n - 1)', 'for i in prange(1, n - 1)'))


heat_sl = kernel('heat_slices', FAMILY, HEAT_SLICES, heat_data, numpy=heat_numpy, rtol=1e-14,
                 note='the same steps written with NumPy slices (also the NumPy reference)')

parallel(heat_sl, HEAT_SLICES.replace('@njit', '@njit(parallel=True)').replace('def heat_slices', 'def heat_slices_parallel'),
         note='the same; parallel=True shares the slice assignment by rows')

HEAT_STENCIL = '''
@stencil
def laplace_step(u, alpha):
    return u[0, 0] + alpha * (u[-1, 0] + u[1, 0] + u[0, -1] + u[0, 1] - 4.0 * u[0, 0])


@njit
def heat_stencil(u0, steps, alpha):
    u = u0.copy()
    for _ in range(steps):
        v = laplace_step(u, alpha)
        v[0, :] = u[0, :]
        v[-1, :] = u[-1, :]
        v[:, 0] = u[:, 0]
        v[:, -1] = u[:, -1]
        u = v
    return u
'''

kernel('heat_stencil', FAMILY, HEAT_STENCIL, heat_data, numpy=heat_numpy, rtol=1e-14,
       note='the same steps with @stencil (a new array each step)')


# --- Mandelbrot -------------------------------------------------------------------------

def mandel_data(quick):
    w = pick(quick, 480, 120)
    return -2.0, 0.6, -1.2, 1.2, w, w * 3 // 4, 200


def mandel_numpy(xmin, xmax, ymin, ymax, width, height, maxiter):
    cx = xmin + (xmax - xmin) * np.arange(width) / (width - 1)
    cy = ymin + (ymax - ymin) * np.arange(height) / (height - 1)
    cx, cy = np.broadcast_arrays(cx[None, :], cy[:, None])
    x = np.zeros(cx.shape)
    y = np.zeros(cx.shape)
    count = np.zeros(cx.shape, np.int64)
    active = np.ones(cx.shape, bool)
    for _ in range(maxiter):
        active &= x * x + y * y <= 4.0
        if not active.any():
            break
        xa, ya = x[active], y[active]
        x[active], y[active] = xa * xa - ya * ya + cx[active], 2.0 * xa * ya + cy[active]
        count += active
    return count


MANDELBROT = '''
@njit
def mandelbrot(xmin, xmax, ymin, ymax, width, height, maxiter):
    out = np.zeros((height, width), np.int64)
    for i in range(height):
        cy = ymin + (ymax - ymin) * i / (height - 1)
        for j in range(width):
            cx = xmin + (xmax - xmin) * j / (width - 1)
            x = 0.0
            y = 0.0
            k = 0
            while k < maxiter and x * x + y * y <= 4.0:
                x, y = x * x - y * y + cx, 2.0 * x * y + cy
                k += 1
            out[i, j] = k
    return out
'''

mandel = kernel('mandelbrot', FAMILY, MANDELBROT, mandel_data, numpy=mandel_numpy, rtol=0.0,
                note='escape counts on a 480 x 360 grid, at most 200 iterations')

parallel(mandel, MANDELBROT.replace('@njit', '@njit(parallel=True)')
         .replace('def mandelbrot', 'def mandelbrot_parallel')
         .replace('for i in range(height)', 'for i in prange(height)'))


# --- Ising model, checkerboard Metropolis sweeps -----------------------------------------

def ising_data(quick):
    n = pick(quick, 256, 64)
    spins = np.where(rng(51).random((n, n)) < 0.5, -1, 1).astype(np.int8)
    return spins, 0.4, 10, 5


def ising_energy(s):
    s = np.asarray(s, dtype=np.float64)
    return -(s * np.roll(s, 1, 0) + s * np.roll(s, 1, 1)).sum() / s.size


def similar_state(a, b, args):
    # independent random streams: compare the energy per spin (about -1.1
    # after 10 sweeps at beta = 0.4; its standard deviation between seeds is
    # about 2.2 / sqrt(spins): allow 5 of a difference)
    for s in (a, b):
        if not np.isin(s, (-1, 1)).all():
            return 'a spin is neither -1 nor 1'
    ea, eb = ising_energy(a), ising_energy(b)
    tol = 5 * math.sqrt(2) * 2.2 / math.sqrt(np.size(a))
    if abs(ea - eb) > tol:
        return f'energies per spin {ea:.3f} and {eb:.3f} differ by more than {tol:.2g}'
    return None


ISING = '''
@njit
def ising(spins0, beta, sweeps, seed):
    np.random.seed(seed)
    s = spins0.copy()
    n, m = s.shape
    for _ in range(sweeps):
        for color in range(2):
            for i in range(n):
                for j in range((i + color) % 2, m, 2):
                    neighbours = s[(i + 1) % n, j] + s[i - 1, j] + s[i, (j + 1) % m] + s[i, j - 1]
                    delta = 2.0 * s[i, j] * neighbours
                    if delta <= 0.0 or np.random.random() < math.exp(-beta * delta):
                        s[i, j] = -s[i, j]
    return s
'''

ising_k = kernel('ising', FAMILY, ISING, ising_data, rtol=0.0,
                 note='Metropolis, checkerboard order, np.random in the loop (seeded: equal streams)')

parallel(ising_k, ISING.replace('@njit', '@njit(parallel=True)')
         .replace('def ising', 'def ising_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'), compare=similar_state,
         note='prange over the rows of one colour; a stream per thread, energies compared')


# --- Game of Life ----------------------------------------------------------------------------

def life_data(quick):
    n = pick(quick, 512, 128)
    return (rng(52).random((n, n)) < 0.3).astype(np.uint8), 10


def life_numpy(board, steps):
    b = board.copy()
    for _ in range(steps):
        nb = sum(np.roll(np.roll(b, di, 0), dj, 1).astype(np.int64)
                 for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj)
        b = ((nb == 3) | ((b == 1) & (nb == 2))).astype(np.uint8)
    return b


LIFE = '''
@njit
def game_of_life(board, steps):
    n, m = board.shape
    a = board.copy()
    b = np.empty_like(a)
    for _ in range(steps):
        for i in range(n):
            for j in range(m):
                count = 0
                for di in range(-1, 2):
                    for dj in range(-1, 2):
                        if di != 0 or dj != 0:
                            count += a[(i + di) % n, (j + dj) % m]
                if count == 3 or (a[i, j] == 1 and count == 2):
                    b[i, j] = 1
                else:
                    b[i, j] = 0
        a, b = b, a
    return a
'''

life = kernel('game_of_life', FAMILY, LIFE, life_data, numpy=life_numpy, rtol=0.0,
              note='10 steps on a periodic 512 x 512 board (uint8)')

parallel(life, LIFE.replace('@njit', '@njit(parallel=True)')
         .replace('def game_of_life', 'def game_of_life_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'))


# --- building grids ---------------------------------------------------------------------------

def grid_data(quick):
    return pick(quick, 2000, 300), pick(quick, 1500, 200), 0.3


def gaussian_grid_numpy(nx, ny, sigma):
    X, Y = np.meshgrid(np.linspace(-1.0, 1.0, nx), np.linspace(-1.0, 1.0, ny))
    return np.exp(-(X ** 2 + Y ** 2) / (2.0 * sigma ** 2))


GAUSSIAN_GRID = '''
@njit
def gaussian_grid(nx, ny, sigma):
    x = np.linspace(-1.0, 1.0, nx)
    y = np.linspace(-1.0, 1.0, ny)
    g = np.empty((ny, nx))
    for i in range(ny):
        for j in range(nx):
            g[i, j] = math.exp(-(x[j] ** 2 + y[i] ** 2) / (2.0 * sigma ** 2))
    return g
'''

kernel('gaussian_grid', FAMILY, GAUSSIAN_GRID, grid_data, numpy=gaussian_grid_numpy,
       rtol=1e-15, numpy_rtol=1e-13, note='a Gaussian on a 2000 x 1500 grid from np.linspace')

LATTICE = '''
@njit
def lattice_points(n, spacing):
    out = np.empty((n * n * n, 3))
    k = 0
    for i in range(n):
        for j in range(n):
            for l in range(n):
                out[k, 0] = i * spacing
                out[k, 1] = j * spacing
                out[k, 2] = l * spacing
                k += 1
    return out
'''


def lattice_numpy(n, spacing):
    g = np.arange(n) * spacing
    X, Y, Z = np.meshgrid(g, g, g, indexing='ij')
    return np.stack((X.ravel(), Y.ravel(), Z.ravel()), axis=1)


kernel('lattice_points', FAMILY, LATTICE, lambda quick: (pick(quick, 120, 40), 0.5),
       numpy=lattice_numpy, rtol=0.0, note='coordinates of a simple cubic lattice, (n**3, 3)')
