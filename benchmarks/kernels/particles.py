"""Particles: n-body forces and steps, pairwise distances, a row helper in a
double loop, Lennard-Jones energy, k-means."""
import numpy as np

from . import kernel, parallel, pick, rng

FAMILY = 'particles'


# --- n-body accelerations -------------------------------------------------------

def nbody_data(quick):
    n = pick(quick, 1000, 200)
    r = rng(1)
    return r.standard_normal((n, 3)), r.uniform(0.5, 1.5, n), 0.01


def nbody_numpy(pos, mass, eps):
    d = pos[None, :, :] - pos[:, None, :]          # d[i, j] = pos[j] - pos[i]
    r2 = (d * d).sum(-1) + eps * eps
    inv = mass[None, :] / (r2 * np.sqrt(r2))
    np.fill_diagonal(inv, 0.0)
    return (d * inv[:, :, None]).sum(1)


NBODY = '''
@njit
def nbody_accel(pos, mass, eps):
    n = pos.shape[0]
    acc = np.zeros_like(pos)
    for i in range(n):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(n):
            if i != j:
                dx = pos[j, 0] - pos[i, 0]
                dy = pos[j, 1] - pos[i, 1]
                dz = pos[j, 2] - pos[i, 2]
                r2 = dx * dx + dy * dy + dz * dz + eps * eps
                inv = mass[j] / (r2 * math.sqrt(r2))
                ax += dx * inv
                ay += dy * inv
                az += dz * inv
        acc[i, 0] = ax
        acc[i, 1] = ay
        acc[i, 2] = az
    return acc
'''

nbody = kernel('nbody_accel', FAMILY, NBODY, nbody_data, numpy=nbody_numpy, rtol=1e-12,
               numpy_rtol=1e-9, note='O(n^2) gravitational accelerations, softened')

parallel(nbody, NBODY.replace('@njit', '@njit(parallel=True)')
         .replace('def nbody_accel', 'def nbody_accel_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'))


# --- n-body leapfrog: a jitted helper called every step ---------------------------

def leapfrog_data(quick):
    n = pick(quick, 100, 40)
    r = rng(2)
    return (r.standard_normal((n, 3)), 0.1 * r.standard_normal((n, 3)),
            r.uniform(0.5, 1.5, n), 1e-3, pick(quick, 25, 10))


def leapfrog_numpy(pos0, vel0, mass, dt, steps):
    pos, vel = pos0.copy(), vel0.copy()
    acc = nbody_numpy(pos, mass, 0.05)
    for _ in range(steps):
        vel += 0.5 * dt * acc
        pos += dt * vel
        acc = nbody_numpy(pos, mass, 0.05)
        vel += 0.5 * dt * acc
    return pos, vel


LEAPFROG = '''
@njit
def accelerations(pos, mass, eps):
    n = pos.shape[0]
    acc = np.zeros_like(pos)
    for i in range(n):
        for j in range(n):
            if i != j:
                d = pos[j] - pos[i]
                r2 = np.sum(d * d) + eps * eps
                acc[i] += d * (mass[j] / (r2 * math.sqrt(r2)))
    return acc


@njit
def nbody_leapfrog(pos0, vel0, mass, dt, steps):
    pos = pos0.copy()
    vel = vel0.copy()
    acc = accelerations(pos, mass, 0.05)
    for _ in range(steps):
        vel += 0.5 * dt * acc
        pos += dt * vel
        acc = accelerations(pos, mass, 0.05)
        vel += 0.5 * dt * acc
    return pos, vel
'''

kernel('nbody_leapfrog', FAMILY, LEAPFROG, leapfrog_data, numpy=leapfrog_numpy,
       rtol=1e-12, numpy_rtol=1e-9,
       note='leapfrog steps; small 3-vectors (pos[j] - pos[i]) in the inner loop')


# --- pairwise distances -------------------------------------------------------------

def pairwise_data(quick):
    return (rng(3).standard_normal((pick(quick, 1000, 200), 3)),)


def pairwise_numpy(x):
    d = x[:, None, :] - x[None, :, :]
    return np.sqrt((d * d).sum(-1))


PAIRWISE = '''
@njit
def pairwise_distances(x):
    n, d = x.shape
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(d):
                t = x[i, k] - x[j, k]
                s += t * t
            out[i, j] = math.sqrt(s)
    return out
'''

pairwise = kernel('pairwise_distances', FAMILY, PAIRWISE, pairwise_data, numpy=pairwise_numpy,
                  rtol=0.0, numpy_rtol=1e-12, note='n x n Euclidean distance matrix')

parallel(pairwise, PAIRWISE.replace('@njit', '@njit(parallel=True)')
         .replace('def pairwise_distances', 'def pairwise_distances_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'))


# --- a small helper taking rows: dist(pos[i], pos[j]) in a double loop -------------

def rows_data(quick):
    return (rng(4).uniform(0.0, 10.0, (pick(quick, 1500, 300), 3)),)


def rows_numpy(pos):
    d = pos[:, None, :] - pos[None, :, :]
    r = np.sqrt((d * d).sum(-1))
    return (1.0 / r[np.triu_indices(pos.shape[0], 1)]).sum()


DIST_ROWS = '''
@njit
def dist(a, b):
    s = 0.0
    for k in range(a.shape[0]):
        t = a[k] - b[k]
        s += t * t
    return math.sqrt(s)


@njit
def coulomb_rows(pos):
    n = pos.shape[0]
    energy = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            energy += 1.0 / dist(pos[i], pos[j])
    return energy
'''

rows = kernel('coulomb_rows', FAMILY, DIST_ROWS, rows_data, numpy=rows_numpy, rtol=1e-12,
              numpy_rtol=1e-10, note='dist(pos[i], pos[j]) on rows of a 2-D array, double loop')

parallel(rows, DIST_ROWS.replace('@njit\ndef coulomb_rows', '@njit(parallel=True)\ndef coulomb_rows_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'), rtol=1e-10)


# --- Lennard-Jones energy in a periodic box ---------------------------------------

def lj_data(quick):
    n = pick(quick, 1500, 300)
    box = (n / 0.8) ** (1 / 3)
    return rng(5).uniform(0.0, box, (n, 3)), box, 2.5


def lj_numpy(pos, box, rc):
    d = pos[:, None, :] - pos[None, :, :]
    d -= box * np.rint(d / box)
    r2 = (d * d).sum(-1)
    iu = np.triu_indices(pos.shape[0], 1)
    r2 = r2[iu]
    r2 = r2[r2 < rc * rc]
    ir6 = 1.0 / (r2 * r2 * r2)
    return (4.0 * (ir6 * ir6 - ir6)).sum()


LJ = '''
@njit
def lennard_jones(pos, box, rc):
    n = pos.shape[0]
    rc2 = rc * rc
    energy = 0.0
    for i in range(n - 1):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            dx -= box * np.rint(dx / box)
            dy -= box * np.rint(dy / box)
            dz -= box * np.rint(dz / box)
            r2 = dx * dx + dy * dy + dz * dz
            if r2 < rc2:
                ir6 = 1.0 / (r2 * r2 * r2)
                energy += 4.0 * (ir6 * ir6 - ir6)
    return energy
'''

lj = kernel('lennard_jones', FAMILY, LJ, lj_data, numpy=lj_numpy, rtol=1e-12, numpy_rtol=1e-9,
            note='pair energy with cut-off and minimum image')

parallel(lj, LJ.replace('@njit', '@njit(parallel=True)')
         .replace('def lennard_jones', 'def lennard_jones_parallel')
         .replace('for i in range(n - 1)', 'for i in prange(n - 1)'), rtol=1e-9)


# --- k-means (Lloyd iterations from given centroids) -------------------------------

def kmeans_data(quick):
    r = rng(6)
    k, d = 8, 2
    centres = r.uniform(-10, 10, (k, d))
    n = pick(quick, 40000, 5000)
    points = centres[r.integers(0, k, n)] + r.standard_normal((n, d))
    return points, points[:k].copy(), 10


def kmeans_numpy(points, centroids0, iterations):
    centroids = centroids0.copy()
    k, d = centroids.shape
    for _ in range(iterations):
        diff = points[:, None, :] - centroids[None, :, :]
        labels = (diff * diff).sum(-1).argmin(1)
        counts = np.bincount(labels, minlength=k)
        for c in range(d):
            sums = np.bincount(labels, weights=points[:, c], minlength=k)
            nonzero = counts > 0
            centroids[nonzero, c] = sums[nonzero] / counts[nonzero]
    return centroids, labels


KMEANS = '''
@njit
def kmeans(points, centroids0, iterations):
    n, d = points.shape
    k = centroids0.shape[0]
    centroids = centroids0.copy()
    labels = np.zeros(n, np.int64)
    for _ in range(iterations):
        for i in range(n):
            best = np.inf
            label = 0
            for j in range(k):
                s = 0.0
                for c in range(d):
                    t = points[i, c] - centroids[j, c]
                    s += t * t
                if s < best:
                    best = s
                    label = j
            labels[i] = label
        sums = np.zeros((k, d))
        counts = np.zeros(k, np.int64)
        for i in range(n):
            counts[labels[i]] += 1
            for c in range(d):
                sums[labels[i], c] += points[i, c]
        for j in range(k):
            if counts[j] > 0:
                for c in range(d):
                    centroids[j, c] = sums[j, c] / counts[j]
    return centroids, labels
'''

km = kernel('kmeans', FAMILY, KMEANS, kmeans_data, numpy=kmeans_numpy, rtol=1e-12,
            note='Lloyd iterations, 8 clusters in 2-D')

parallel(km, KMEANS.replace('@njit', '@njit(parallel=True)')
         .replace('def kmeans', 'def kmeans_parallel')
         .replace('''        for i in range(n):
            best''', '''        for i in prange(n):
            best'''), note='the assignment step in prange')


# --- particles held as records of a structured array ------------------------------

PARTICLE = np.dtype([('x', 'f8'), ('y', 'f8'), ('z', 'f8'), ('vx', 'f8'), ('vy', 'f8'), ('vz', 'f8'),
                     ('m', 'f4'), ('id', 'i4')])


def records_data(quick):
    n = pick(quick, 1_000_000, 100_000)
    r = rng(40)
    p = np.zeros(n, PARTICLE)
    for name in ('x', 'y', 'z', 'vx', 'vy', 'vz'):
        p[name] = r.standard_normal(n)
    p['m'] = r.uniform(0.5, 1.5, n)
    p['id'] = np.arange(n)
    return (p,)


def records_numpy(p):
    v2 = p['vx'] ** 2 + p['vy'] ** 2 + p['vz'] ** 2
    fast = v2 > 9.0
    return 0.5 * (p['m'] * v2).sum(), p['id'][fast].sum()


RECORDS = '''
@njit
def record_energy(p):
    total = 0.0
    fast_ids = 0
    for i in range(len(p)):
        v2 = p[i].vx * p[i].vx + p[i].vy * p[i].vy + p[i].vz * p[i].vz
        total += 0.5 * p[i].m * v2
        if v2 > 9.0:
            fast_ids += p[i].id
    return total, fast_ids
'''

kernel('record_energy', FAMILY, RECORDS, records_data, numpy=records_numpy, rtol=1e-9,
       note='kinetic energy over the records of a structured array (a[i].vx reads the field in place)')
