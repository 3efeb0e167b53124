"""Structured arrays (record dtypes) in compiled code, compared with the same
function run by NumPy (.py_func). np.recarray views let the plain Python run
read records' fields as attributes too."""
import gc
import os

import numpy as np
import pytest

import numjit.errors
from numjit import njit, prange, runtime

DTYPES = {
    "mixed": np.dtype([("x", np.float64), ("v", np.float32), ("id", np.int32), ("ok", np.bool_)]),
    "aligned": np.dtype([("id", np.int8), ("x", np.float64), ("z", np.complex128)], align=True),
    "packed": np.dtype([("id", np.int8), ("x", np.float64), ("n", np.uint16)]),  # unaligned fields
    "one_field": np.dtype([("x", np.float32)]),
}
NON_BOOL = {"mixed": "x", "aligned": "x", "packed": "x", "one_field": "x"}


def filled(dtype, shape, seed=0):
    a = np.zeros(shape, dtype=dtype)
    rng = np.random.default_rng(seed)
    for name in dtype.names:
        field = dtype.fields[name][0]
        if field.kind == "b":
            a[name] = rng.integers(0, 2, size=shape).astype(bool)
        elif field.kind == "c":
            a[name] = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        else:
            a[name] = rng.integers(0, 50, size=shape).astype(field)
    return a.view(np.recarray)


def layouts(a):
    out = {"C": a, "reversed": a[::-1], "strided": a[::2]}
    if a.ndim == 2:
        out["F"] = np.asfortranarray(a).view(np.recarray)
        out["transposed"] = a.T
    return out


def same(got, expected):
    if isinstance(expected, np.ndarray) and expected.dtype.names is not None:
        assert isinstance(got, np.ndarray)
        assert got.shape == expected.shape
        assert got.dtype.names == expected.dtype.names
        for name in expected.dtype.names:
            np.testing.assert_array_equal(got[name], expected[name])
    elif isinstance(expected, tuple):
        assert len(got) == len(expected) and all(a == b for a, b in zip(got, expected))
    else:
        np.testing.assert_array_equal(got, expected)


def run_both(f, a, *rest):
    mine, theirs = a.copy(), a.copy()
    got, expected = f(mine, *rest), f.py_func(theirs, *rest)
    same(mine, theirs)  # the in-place changes to the argument
    return got, expected


@njit
def step_records(p, dt):
    for i in range(len(p)):
        p[i].x = p[i].x + p[i]["x"] * dt
    return p["x"].sum()


@njit
def count_true_by_item(p, name):
    total = 0.0
    for i in range(p.shape[0]):
        total += p[i][name] * 2
    return total


@njit
def iterate(p):
    total = 0.0
    for r in p:
        total += r.x
    return total


@njit
def field_view(p):
    return p["x"]


@njit
def whole(p):
    return p


@njit
def middle(p):
    return p[1:-1]


@njit
def every_other_reversed(p):
    return p[::-2]


@njit
def masked(p):
    return p[p["x"] > 20]


@njit
def picked(p, idx):
    return p[idx]


@njit
def one_record(p, i):
    return p[i]


@njit
def shape_facts(p):
    return p.shape, p.size, p.ndim, len(p)


@njit
def copy_records(p):
    n = len(p)
    for i in range(n // 2):
        p[i] = p[n - 1 - i]
    return p


@njit
def scale_field_view(p, k):
    p["x"] *= k
    p["x"][0] = -1
    return p


@njit
def through_a_local_record(p, i, value):
    r = p[i]
    r.x = value
    r["x"] = r.x + 1
    return p[i].x


@njit
def read_x(r):
    return r.x


@njit
def records_passed_on(p):
    total = 0.0
    for i in range(len(p)):
        total += read_x(p[i])
    return total


@pytest.mark.parametrize("name", list(DTYPES))
@pytest.mark.parametrize("n", [1, 2, 9])
@pytest.mark.parametrize("layout", ["C", "reversed", "strided"])
def test_records_read_and_written_in_place(name, n, layout):
    a = layouts(filled(DTYPES[name], n))[layout]
    for f, args in [(step_records, (0.5,)), (iterate, ()), (records_passed_on, ()),
                    (count_true_by_item, (NON_BOOL[name],)), (through_a_local_record, (0, 7.0)),
                    (scale_field_view, (3,)), (copy_records, ())]:
        got, expected = run_both(f, a, *args)
        same(got, expected)


@pytest.mark.parametrize("name", list(DTYPES))
@pytest.mark.parametrize("layout", ["C", "reversed", "strided"])
def test_selections_of_records(name, layout):
    a = layouts(filled(DTYPES[name], 11, seed=3))[layout]
    for f, args in [(field_view, ()), (whole, ()), (middle, ()), (every_other_reversed, ()), (masked, ()),
                    (picked, (np.array([0, -1, 2, 2]),)), (shape_facts, ())]:
        got, expected = run_both(f, a, *args)
        same(got, expected)


@pytest.mark.parametrize("name", list(DTYPES))
def test_a_returned_array_or_view_shares_the_arguments_memory(name):
    a = np.asarray(filled(DTYPES[name], 6))
    for f in (whole, middle, every_other_reversed):
        out = f(a)
        assert np.shares_memory(out, a) and out.dtype == a.dtype
        same(out, f.py_func(a))
    assert np.shares_memory(field_view(a), a)
    r = one_record(a, 2)
    assert isinstance(r, np.void) and r == a[2]


@pytest.mark.parametrize("layout", ["C", "F", "transposed", "strided"])
def test_two_dimensional_structured_arrays(layout):
    a = layouts(filled(DTYPES["mixed"], (4, 6), seed=1))[layout]

    @njit
    def grid(p):
        total = 0.0
        for i in range(p.shape[0]):
            for j in range(p.shape[1]):
                p[i, j].x = i * 10 + j
                total += p[i][j].v
        return total, p[1], p[1:, 2]["id"]

    got, expected = run_both(grid, a)
    assert got[0] == expected[0]
    same(np.asarray(got[1]), np.asarray(expected[1]))
    same(got[2], expected[2])


@njit
def made_in_compiled_code(n):
    out = np.zeros(n, dtype=PARTICLE)
    grid = np.empty((2, n), PARTICLE)
    for i in range(n):
        out[i].x = i * 0.5
        out[i]["id"] = i
        grid[1, i]["x"] = 1.0
        grid[0, i].id = 3
        grid[0, i].x = 0.0
    return out, grid[0]


PARTICLE = np.dtype([("x", np.float64), ("id", np.int64)])


@pytest.mark.parametrize("n", [0, 1, 5])
def test_structured_arrays_made_in_compiled_code(n):
    got_out, got_row = made_in_compiled_code(n)
    out = np.zeros(n, dtype=PARTICLE)
    out["x"] = np.arange(n) * 0.5
    out["id"] = np.arange(n)
    assert got_out.dtype == PARTICLE and got_row.dtype == PARTICLE
    same(got_out, out)
    row = np.zeros(n, dtype=PARTICLE)
    row["id"] = 3
    same(got_row, row)


def test_a_record_assigned_from_a_tuple():
    @njit
    def assign(p):
        p[1] = (2.5, 7)
        return p

    a = np.zeros(3, dtype=PARTICLE)
    same(assign(a.copy()), assign.py_func(a.copy()))


def test_parallel_loop_over_records():
    @njit(parallel=True)
    def shift(p, d):
        for i in prange(len(p)):
            p[i].x = p[i].x + d * p[i].id
        return p

    a = np.asarray(filled(PARTICLE, 1000))
    expected = a.copy()
    expected["x"] += 2.0 * expected["id"]
    same(shift(a.copy(), 2.0), expected)


def test_an_unknown_field_raises_numpys_value_error():
    @njit
    def missing(p):
        return p["nope"]

    a = np.zeros(2, dtype=PARTICLE)
    with pytest.raises(ValueError, match="no field of name nope"):
        missing(a)
    with pytest.raises(ValueError, match="no field of name nope"):
        missing.py_func(a)


def test_a_slice_store_is_refused_with_the_fields_way():
    @njit
    def slice_store(p, q):
        p[1:3] = q
        return p

    a = np.zeros(4, dtype=PARTICLE)
    with pytest.raises(numjit.errors.UnsupportedError, match="assign each field"):
        slice_store(a, a[:2].copy())


@pytest.mark.parametrize("dtype, words", [
    (np.dtype([("x", np.float64, (3,))]), "sub-arrays"),
    (np.dtype([("x", np.float64), ("s", "U4")]), "numbers and booleans"),
    (np.dtype([("x", ">f8")]), "byte order"),
])
def test_fields_compiled_code_cannot_hold_are_refused_by_name(dtype, words):
    @njit
    def first(p):
        return len(p)

    with pytest.raises(numjit.errors.UnsupportedError, match=words):
        first(np.zeros(2, dtype=dtype))


def test_no_memory_is_leaked():
    @njit
    def churn(p, n):
        total = 0.0
        for k in range(n):
            q = p[1:]
            r = q[0]
            fresh = np.zeros(3, dtype=PARTICLE)
            fresh[0] = r
            total += fresh[0]["x"] + masked(p)["x"].sum() + r["x"]
        return total

    a = np.asarray(filled(PARTICLE, 40))
    churn(a, 2)
    gc.collect()
    before = runtime.allocation_stats()
    assert churn(a, 200) == churn.py_func(a, 200)
    gc.collect()
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc > 400
    assert after.alloc - before.alloc == after.free - before.free


# ---- found in review -------------------------------------------------------

PAIR = np.dtype([("x", np.float64), ("n", np.int64)])


def pairs(n):
    a = np.zeros(n, PAIR)
    a["x"] = np.arange(n) * 0.5
    a["n"] = np.arange(n)
    return a


@njit
def iterate_while_rebinding(a):
    out = []
    for r in a:  # the array the loop started with, though `a` is rebound
        out.append(r["n"])
        a = a[1:]
    return out


@njit
def iterate_a_slice_whose_bound_changes(a):
    k = 0
    out = []
    for r in a[k:]:
        out.append(r["n"])
        k += 1
    else:
        out.append(-1)
    return out


def test_the_iterable_of_a_loop_over_records_is_evaluated_once():
    a = pairs(6)
    assert iterate_while_rebinding(a.copy()) == [int(v) for v in iterate_while_rebinding.py_func(a.copy())]
    assert iterate_a_slice_whose_bound_changes(a) == [int(v) for v in iterate_a_slice_whose_bound_changes.py_func(a)]


def test_a_structured_array_made_in_cached_code_boxes_in_a_later_process(tmp_path):
    import subprocess
    import sys
    import textwrap

    (tmp_path / "cached_records.py").write_text(textwrap.dedent("""
        import numpy as np
        from numjit import njit
        DT = np.dtype([("x", np.float64), ("n", np.int32)], align=True)

        @njit(cache=True)
        def make(n):
            out = np.zeros(n, dtype=DT)
            out[1].x = 2.5
            return out
    """))
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import cached_records as m; r = m.make(3); "
              "import numjit.cache; print(r.dtype == m.DT, r.dtype.isalignedstruct, r['x'].tolist(), "
              "numjit.cache.stats()['hits'])")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"), NUMJIT_CACHE_DIR=str(tmp_path / "cache"))
    runs = [subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env,
                           timeout=300) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert run.stdout.split()[:5] == ["True", "True", "[0.0,", "2.5,", "0.0]"]
    assert runs[1].stdout.split()[5] != "0"  # the second process loaded it


@njit
def length_and_fields(a):
    x, n = a[1]
    return len(a[0]), x, n


def test_a_record_has_its_fields_length_and_unpacks_into_them():
    a = pairs(3)
    got, expected = length_and_fields(a), length_and_fields.py_func(a)
    assert got == expected == (2, 0.5, 1)


def test_field_names_numjit_keeps_for_itself_are_refused():
    @njit
    def first(a):
        return a[0]["numjit_array"]

    with pytest.raises(numjit.errors.UnsupportedError, match="numjit_"):
        first(np.zeros(2, np.dtype([("numjit_array", np.int32)])))


def test_a_record_is_read_by_field_name_not_position():
    @njit
    def by_position(a):
        return a[0][0]

    with pytest.raises(IndexError, match="by name"):
        by_position(pairs(2))


OTHER = np.dtype([("y", np.float32), ("m", np.int16)])


@njit
def rows_from_rows(m):
    m[0] = m[1]
    return m


@njit
def records_through_an_index_array(a, idx):
    a[idx] = a[::-1][:2]
    return a


@njit
def record_of_another_dtype(a, b):
    a[0] = b[1]
    return a


@njit
def every_field_from_a_number(a):
    a[2] = 5
    return a


def test_stores_of_records_rows_tuples_and_numbers_as_numpy():
    m = pairs(4).reshape(2, 2)
    same(rows_from_rows(m.copy()), rows_from_rows.py_func(m.copy()))
    a = pairs(4)
    same(records_through_an_index_array(a.copy(), np.array([0, 1])),
         records_through_an_index_array.py_func(a.copy(), np.array([0, 1])))
    b = np.ones(2, OTHER)
    b["m"] = [3, 4]
    same(record_of_another_dtype(a.copy(), b), record_of_another_dtype.py_func(a.copy(), b))
    same(every_field_from_a_number(a.copy()), every_field_from_a_number.py_func(a.copy()))


def test_aligned_and_packed_dtypes_of_equal_fields_keep_their_flag():
    @njit
    def selected(a):
        return a[a["n"] >= 0]

    placed = np.dtype({"names": ["x", "n"], "formats": ["f8", "i4"], "offsets": [0, 8], "itemsize": 16})
    aligned = np.dtype([("x", "f8"), ("n", "i4")], align=True)
    assert placed == aligned and not placed.isalignedstruct
    assert not selected(np.zeros(2, placed)).dtype.isalignedstruct
    assert selected(np.zeros(2, aligned)).dtype.isalignedstruct


@njit
def enumerated_records(a, start):
    total = 0.0
    for i, r in enumerate(a):
        total += i * r["x"] + r["n"]
    for i, r in enumerate(a[::-1], start):
        r["n"] = i
    return total


@pytest.mark.parametrize("n", [0, 1, 5])
def test_enumerate_over_records(n):
    a = pairs(n)
    got, expected = run_both(enumerated_records, a, 10)
    assert got == expected


SHAPED = np.dtype([("shape", np.float64), ("size", np.int32), ("x", np.float32)])


@njit
def fields_named_like_array_attributes(a, i):
    return a[i]["shape"], a[i]["size"], a[i]["x"], a[i].x, a.shape, a.size, a["size"].sum()


def test_fields_named_like_the_arrays_attributes_read_as_fields_from_records():
    a = np.zeros(4, SHAPED)
    a["shape"], a["size"], a["x"] = np.arange(4) * 1.5, np.arange(4) * 2, -np.arange(4.0)
    r = a.view(np.recarray)
    for i in (0, 3, -1):
        assert fields_named_like_array_attributes(a, i) == fields_named_like_array_attributes.py_func(r, i)


@njit
def slice_of_a_row_and_of_a_call(m, log):
    return m[0][1:], picked_after_logging(m, log)[::-1]


@njit
def picked_after_logging(m, log):
    log.append(1)
    return m[1]


def test_a_slice_of_an_expression_evaluates_it_once():
    m = pairs(6).reshape(2, 3)
    got = slice_of_a_row_and_of_a_call(m, [0])
    expected = slice_of_a_row_and_of_a_call.py_func(m, [0])
    for g, e in zip(got, expected):
        same(g, e)
    log = [0]
    slice_of_a_row_and_of_a_call(m, log)
    assert log == [0, 1]


@njit
def zipped_records(a, b, weights):
    total = 0.0
    for r, q, w in zip(a, b[::-1], weights):
        total += w * (r["x"] - q["x"]) + r["n"]
    for r, q in zip(a, a[1:]):
        q["n"] = r["n"] + 100
    return total


@pytest.mark.parametrize("n", [0, 1, 6])
def test_zip_over_records_stops_at_the_shortest(n):
    a, b = pairs(n), pairs(n + 2)
    weights = np.arange(n + 1, dtype=np.float64)
    got, expected = run_both(zipped_records, a, b, weights)
    assert got == expected


@njit
def record_out_of_range(a, i, how):
    if how == 0:
        r = a[i]
        return r.x
    if how == 1:
        x, n = a[i]
        return x
    if how == 2:
        a[i].x = 99.0
        return 0.0
    a[i] = (1.0, 2)
    return 0.0


@pytest.mark.parametrize("how", [0, 1, 2, 3])
@pytest.mark.parametrize("i", [3, -4, 100])
def test_a_record_outside_the_array_raises_index_error(how, i):
    big = pairs(6)
    a = big[:3]
    with pytest.raises(IndexError, match="out of bounds"):
        record_out_of_range(a, i, how)
    same(big, pairs(6))  # nothing written past a's end
