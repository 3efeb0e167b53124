"""Lists, dicts and sets in compiled loops: appending in a loop, sorting a list
of tuples, counting with a dict, group means keyed by a dict, a set to
deduplicate, a heap of tuples."""
import numpy as np

from . import kernel, pick, rng

FAMILY = 'containers'


LIST_APPEND = '''
@njit
def list_append(x, threshold):
    out = []
    for i in range(x.shape[0]):
        if x[i] > threshold:
            out.append(i)
    return np.array(out)
'''

kernel('list_append', FAMILY, LIST_APPEND,
       lambda quick: (rng(40).standard_normal(pick(quick, 2_000_000, 200_000)), 0.0),
       numpy=lambda x, t: np.flatnonzero(x > t), rtol=0.0,
       note='append indices to a list in a loop, then np.array(list)')

SORTED_TUPLES = '''
@njit
def sorted_tuples(keys, values):
    pairs = []
    for i in range(keys.shape[0]):
        pairs.append((keys[i], values[i], i))
    pairs.sort()
    order = np.empty(len(pairs), np.int64)
    for k in range(len(pairs)):
        order[k] = pairs[k][2]
    return order
'''


def tuples_data(quick):
    r = rng(41)
    n = pick(quick, 200_000, 20_000)
    return r.integers(0, 100, n), r.standard_normal(n)


kernel('sorted_tuples', FAMILY, SORTED_TUPLES, tuples_data,
       numpy=lambda keys, values: np.lexsort((values, keys)), rtol=0.0,
       note='a list of (key, value, index) tuples, list.sort()')

DICT_COUNT = '''
@njit
def dict_count(words):
    counts = {}
    for w in words:
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    keys = np.empty(len(counts), np.int64)
    values = np.empty(len(counts), np.int64)
    i = 0
    for k, v in counts.items():
        keys[i] = k
        values[i] = v
        i += 1
    order = np.argsort(keys)
    return keys[order], values[order]
'''


def words_data(quick):
    # Zipf-distributed word ids, as in a text
    return (np.minimum(rng(42).zipf(1.3, pick(quick, 1_000_000, 100_000)), 10**9).astype(np.int64),)


kernel('dict_count', FAMILY, DICT_COUNT, words_data,
       numpy=lambda words: np.unique(words, return_counts=True), rtol=0.0,
       note='counting Zipf-distributed ids in a dict')

GROUP_MEANS = '''
@njit
def group_means_dict(ids, values):
    slot = {}
    sums = []
    counts = []
    for i in range(ids.shape[0]):
        k = ids[i]
        if k in slot:
            j = slot[k]
            sums[j] += values[i]
            counts[j] += 1
        else:
            slot[k] = len(sums)
            sums.append(values[i])
            counts.append(1)
    keys = np.empty(len(slot), np.int64)
    means = np.empty(len(slot))
    i = 0
    for k, j in slot.items():
        keys[i] = k
        means[i] = sums[j] / counts[j]
        i += 1
    order = np.argsort(keys)
    return keys[order], means[order]
'''


def ids_data(quick):
    r = rng(43)
    n = pick(quick, 1_000_000, 100_000)
    labels = r.choice(r.integers(0, 2**40, 5000), n)
    return labels, r.standard_normal(n)


def group_means_numpy(ids, values):
    keys, inverse = np.unique(ids, return_inverse=True)
    return keys, np.bincount(inverse, values) / np.bincount(inverse)


kernel('group_means_dict', FAMILY, GROUP_MEANS, ids_data, numpy=group_means_numpy, rtol=0.0,
       numpy_rtol=1e-12, note='sparse 40-bit ids -> slot in a dict, sums and counts in lists')

SET_UNIQUE = '''
@njit
def set_unique(x):
    seen = set()
    for v in x:
        seen.add(v)
    out = np.array(list(seen))
    out.sort()
    return out
'''

kernel('set_unique', FAMILY, SET_UNIQUE,
       lambda quick: (rng(44).integers(0, 100_000, pick(quick, 1_000_000, 100_000)),),
       numpy=np.unique, rtol=0.0, note='deduplicate through a set, then sort')

HEAP_MERGE = '''
import heapq


@njit
def k_way_merge(runs, starts):
    heap = [(runs[starts[0]], 0, starts[0])]
    for r in range(1, starts.shape[0] - 1):
        heapq.heappush(heap, (runs[starts[r]], r, starts[r]))
    out = np.empty(runs.shape[0])
    k = 0
    while len(heap) > 0:
        v, r, i = heapq.heappop(heap)
        out[k] = v
        k += 1
        if i + 1 < starts[r + 1]:
            heapq.heappush(heap, (runs[i + 1], r, i + 1))
    return out
'''


def runs_data(quick):
    r = rng(45)
    nruns = 64
    lengths = r.integers(1000, pick(quick, 9000, 1500), nruns)
    runs = np.concatenate([np.sort(r.standard_normal(m)) for m in lengths])
    return runs, np.concatenate(([0], np.cumsum(lengths)))


kernel('k_way_merge', FAMILY, HEAP_MERGE, runs_data, numpy=lambda runs, starts: np.sort(runs),
       rtol=0.0, note='heapq of (value, run, index) tuples merging 64 sorted runs')
