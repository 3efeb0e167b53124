# The 2-D heat equation with @stencil: u_t = alpha * (u_xx + u_yy) on a square
# plate whose edges are held at 0, explicit Euler steps. The kernel reads the
# neighbours of each point by relative index; the stencil applies it to every
# interior point and leaves the border at cval (0).
#
# Written for Numba; `import numjit as numba` is the only change. numjit
# compiles the stencil once per argument types, also when it is called from
# Python (Numba compiles it again on every such call), and fuses it with the
# array expression around it inside @njit code.
# Run it as a script from any directory: python examples/heat_stencil.py [n] [steps]
import sys
import time

import numjit as numba
import numpy as np


@numba.stencil
def laplacian(u):
    return u[-1, 0] + u[1, 0] + u[0, -1] + u[0, 1] - 4.0 * u[0, 0]


@numba.njit
def evolve(u, alpha, steps):
    for _ in range(steps):
        u = u + alpha * laplacian(u)
    return u


def evolve_numpy(u, alpha, steps):
    for _ in range(steps):
        lap = np.zeros_like(u)
        lap[1:-1, 1:-1] = u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1]
        u = u + alpha * lap
    return u


def main(n=400, steps=200):
    u0 = np.zeros((n, n))
    u0[n // 4: 3 * n // 4, n // 4: 3 * n // 4] = 1.0  # a hot square in the middle
    alpha = 0.2  # stable for the explicit scheme (alpha <= 0.25)
    evolve(u0, alpha, 1)  # compiles
    t0 = time.perf_counter()
    u = evolve(u0, alpha, steps)
    t1 = time.perf_counter()
    reference = evolve_numpy(u0, alpha, steps)
    t2 = time.perf_counter()
    print(f"{steps} steps on {n}x{n}: @njit + @stencil {1e3 * (t1 - t0):.1f} ms, NumPy {1e3 * (t2 - t1):.1f} ms")
    print(f"heat left: {u.sum():.6f} (NumPy {reference.sum():.6f}); "
          f"largest difference {np.abs(u - reference).max():.2e}")
    laplacian(u0)  # from Python: compiled on this first call...
    t3 = time.perf_counter()
    laplacian(u0)  # ...and then only the kernel's run time
    print(f"a later call of the stencil from Python: {1e3 * (time.perf_counter() - t3):.2f} ms")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
