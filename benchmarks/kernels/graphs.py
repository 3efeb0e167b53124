"""Graphs: Floyd-Warshall, breadth-first search and Dijkstra on CSR arrays,
union-find components, PageRank."""
import numpy as np

from . import kernel, parallel, pick, rng

FAMILY = 'graphs'


def dense_graph(quick):
    n = pick(quick, 256, 64)
    r = rng(60)
    d = r.uniform(1.0, 10.0, (n, n))
    d[r.random((n, n)) < 0.9] = np.inf
    np.fill_diagonal(d, 0.0)
    return (d,)


def floyd_numpy(d0):
    d = d0.copy()
    for k in range(d.shape[0]):
        np.minimum(d, d[:, k:k + 1] + d[k:k + 1, :], out=d)
    return d


FLOYD = '''
@njit
def floyd_warshall(d0):
    d = d0.copy()
    n = d.shape[0]
    for k in range(n):
        for i in range(n):
            dik = d[i, k]
            for j in range(n):
                if dik + d[k, j] < d[i, j]:
                    d[i, j] = dik + d[k, j]
    return d
'''

floyd = kernel('floyd_warshall', FAMILY, FLOYD, dense_graph, numpy=floyd_numpy, rtol=0.0,
               note='all-pairs shortest paths, 256 nodes, 10 % of edges')

parallel(floyd, FLOYD.replace('@njit', '@njit(parallel=True)')
         .replace('def floyd_warshall', 'def floyd_warshall_parallel')
         .replace('for i in range(n)', 'for i in prange(n)'))


def sparse_graph(quick, seed, weighted, n=200_000):
    """A random directed graph in CSR form: indptr, indices (and weights)."""
    n = pick(quick, n, n // 10)
    r = rng(seed)
    degree = r.integers(1, 9, n)
    indptr = np.concatenate(([0], np.cumsum(degree)))
    indices = r.integers(0, n, indptr[-1])
    if weighted:
        return indptr, indices, r.uniform(0.1, 1.0, indptr[-1]), 0
    return indptr, indices, 0


def _csr(indptr, indices, weights=None):
    from scipy.sparse import csr_matrix
    n = indptr.shape[0] - 1
    data = np.ones(indices.shape[0]) if weights is None else weights
    return csr_matrix((data, indices, indptr), shape=(n, n))


def bfs_numpy(indptr, indices, source):
    from scipy.sparse.csgraph import shortest_path
    d = shortest_path(_csr(indptr, indices), unweighted=True, indices=source)
    return np.where(np.isinf(d), -1, d).astype(np.int64)


BFS = '''
@njit
def bfs_levels(indptr, indices, source):
    n = indptr.shape[0] - 1
    level = np.full(n, -1, np.int64)
    queue = np.empty(n, np.int64)
    level[source] = 0
    queue[0] = source
    head = 0
    tail = 1
    while head < tail:
        u = queue[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            if level[v] < 0:
                level[v] = level[u] + 1
                queue[tail] = v
                tail += 1
    return level
'''

kernel('bfs_levels', FAMILY, BFS, lambda quick: sparse_graph(quick, 61, False), numpy=bfs_numpy,
       rtol=0.0, note='breadth-first levels from node 0, CSR, 2e5 nodes (reference: SciPy)')


def dijkstra_numpy(indptr, indices, weights, source):
    from scipy.sparse.csgraph import dijkstra
    return dijkstra(_csr(indptr, indices, weights), indices=source)


DIJKSTRA = '''
import heapq


@njit
def dijkstra(indptr, indices, weights, source):
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    done = np.zeros(n, np.bool_)
    dist[source] = 0.0
    heap = [(0.0, source)]
    while len(heap) > 0:
        d, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u] = True
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            nd = d + weights[e]
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return dist
'''

kernel('dijkstra', FAMILY, DIJKSTRA, lambda quick: sparse_graph(quick, 62, True, 100_000),
       numpy=dijkstra_numpy, rtol=0.0, numpy_rtol=1e-12,
       note='heapq of (distance, node) tuples, CSR, 1e5 nodes (reference: SciPy)')


def edges_data(quick):
    n = pick(quick, 1_000_000, 100_000)
    r = rng(63)
    m = int(0.55 * n)
    return r.integers(0, n, m), r.integers(0, n, m), n


def components_numpy(a, b, n):
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    g = coo_matrix((np.ones(a.shape[0]), (a, b)), shape=(n, n))
    return connected_components(g, directed=False)[0]


UNION_FIND = '''
@njit
def find(parent, i):
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        following = parent[i]
        parent[i] = root
        i = following
    return root


@njit
def count_components(a, b, n):
    parent = np.arange(n)
    count = n
    for e in range(a.shape[0]):
        ra = find(parent, a[e])
        rb = find(parent, b[e])
        if ra != rb:
            parent[ra] = rb
            count -= 1
    return count
'''

kernel('count_components', FAMILY, UNION_FIND, edges_data, numpy=components_numpy, rtol=0.0,
       note='union-find with path compression over 5.5e5 random edges (reference: SciPy)')


def pagerank_numpy(indptr, indices, damping, iterations):
    n = indptr.shape[0] - 1
    degree = np.diff(indptr)
    src = np.repeat(np.arange(n), degree)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        contrib = rank / degree
        new = np.bincount(indices, contrib[src], n)
        rank = (1.0 - damping) / n + damping * new
    return rank


PAGERANK = '''
@njit
def pagerank(indptr, indices, damping, iterations):
    n = indptr.shape[0] - 1
    rank = np.full(n, 1.0 / n)
    new = np.empty(n)
    for _ in range(iterations):
        new[:] = 0.0
        for u in range(n):
            share = rank[u] / (indptr[u + 1] - indptr[u])
            for e in range(indptr[u], indptr[u + 1]):
                new[indices[e]] += share
        for u in range(n):
            rank[u] = (1.0 - damping) / n + damping * new[u]
    return rank
'''

kernel('pagerank', FAMILY, PAGERANK,
       lambda quick: sparse_graph(quick, 64, False)[:2] + (0.85, 10),
       numpy=pagerank_numpy, rtol=0.0, numpy_rtol=1e-12, note='10 power iterations on CSR, 2e5 nodes')
