"""Operators on @jitclass instances call the class's special methods, as in
Python and Numba; attributes of attributes take stores (o.inner.x = v)."""
import numpy as np
import pytest

import numjit.errors
from numjit import float64, int64, njit
from numjit.experimental import jitclass


@jitclass([("x", float64), ("y", float64)])
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __rmul__(self, k):
        return Vec(k * self.x, k * self.y)

    def __truediv__(self, k):
        return Vec(self.x / k, self.y / k)

    def __matmul__(self, other):
        return self.x * other.x + self.y * other.y

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __pos__(self):
        return Vec(self.x, self.y)

    def __abs__(self):
        return (self.x * self.x + self.y * self.y) ** 0.5

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y

    def __lt__(self, other):
        return abs(self) < abs(other)

    def __le__(self, other):
        return abs(self) <= abs(other)

    def __hash__(self):
        return hash((self.x, self.y))


@jitclass([("total", int64), ("log", int64)])
class Counter:
    def __init__(self, total):
        self.total = total
        self.log = 0

    def __add__(self, n):
        return Counter(self.total + n)

    def __iadd__(self, n):  # changes the instance itself, as Python's in-place protocol allows
        self.total += n
        self.log += 1
        return self

    def __radd__(self, n):
        return Counter(n + self.total)

    def __invert__(self):
        return Counter(~self.total)

    def __and__(self, n):
        return self.total & n

    def __lshift__(self, n):
        return Counter(self.total << n)

    def __floordiv__(self, n):
        return self.total // n

    def __mod__(self, n):
        return self.total % n

    def __pow__(self, n):
        return self.total ** n

    def __gt__(self, other):
        return self.total > other.total

    def __ge__(self, other):
        return self.total >= other.total

    def __ne__(self, other):
        return self.total != other.total


def as_pair(v):
    return (v.x, v.y)


@njit
def arithmetic(ax, ay, bx, by, k):
    a = Vec(ax, ay)
    b = Vec(bx, by)
    s = a + b
    d = a - b
    m = a * k
    r = k * a
    q = a / k
    n = -a
    p = +b
    return (s.x, s.y, d.x, d.y, m.x, m.y, r.x, r.y, q.x, q.y, n.x, n.y, p.x, p.y, a @ b, abs(a))


@njit
def comparisons(ax, ay, bx, by):
    a = Vec(ax, ay)
    b = Vec(bx, by)
    # > and >= are the reflections of the right operand's __lt__ and __le__;
    # != is the inversion of __eq__
    return a == b, a != b, a < b, a <= b, a > b, a >= b


@njit
def in_place(start, steps):
    c = Counter(start)
    alias = c
    for k in range(steps):
        c += k
    return c.total, c.log, alias.total, alias.log


@njit
def in_place_without_iop(ax, ay, steps):
    v = Vec(ax, ay)
    alias = v
    for _ in range(steps):
        v -= Vec(1.0, 2.0)  # no __isub__: v = v - w, a new instance; alias keeps the old one
    return v.x, v.y, alias.x, alias.y


@njit
def integer_operators(n):
    c = Counter(n)
    shifted = c << 2
    return ((~c).total, c & 6, shifted.total, c // 3, c % 4, c ** 2, (5 + c).total, c > Counter(3),
            c >= Counter(n), c != Counter(n))


@njit
def hashed(x, y):
    return hash(Vec(x, y))


@njit
def sorted_by_length(xs, ys):
    vs = [Vec(xs[i], ys[i]) for i in range(len(xs))]
    vs.sort()
    out = np.empty(len(vs))
    for i in range(len(vs)):
        out[i] = abs(vs[i])
    return out


VALUES = [(1.0, 2.0, 3.0, -4.0, 2.0), (0.5, 0.5, 0.5, 0.5, -3.0), (-1.5, 0.0, 2.25, 7.0, 0.25)]


@pytest.mark.parametrize("ax, ay, bx, by, k", VALUES)
def test_arithmetic_calls_the_special_methods(ax, ay, bx, by, k):
    assert arithmetic(ax, ay, bx, by, k) == arithmetic.py_func(ax, ay, bx, by, k)


@pytest.mark.parametrize("a, b", [((1.0, 2.0), (1.0, 2.0)), ((1.0, 2.0), (3.0, 4.0)), ((3.0, 4.0), (0.0, 5.0)),
                                  ((5.0, 0.0), (1.0, 1.0)), ((-1.0, 0.0), (1.0, 0.0))])
def test_comparisons_call_the_special_methods_and_their_reflections(a, b):
    assert comparisons(*a, *b) == comparisons.py_func(*a, *b)


@pytest.mark.parametrize("start, steps", [(0, 0), (1, 5), (-7, 12)])
def test_in_place_operator_calls_iadd_on_the_instance_itself(start, steps):
    assert in_place(start, steps) == in_place.py_func(start, steps)


@pytest.mark.parametrize("steps", [0, 1, 4])
def test_in_place_operator_without_iop_binds_a_new_instance(steps):
    assert in_place_without_iop(1.5, -2.0, steps) == in_place_without_iop.py_func(1.5, -2.0, steps)


@pytest.mark.parametrize("n", [0, 5, -9, 1234])
def test_integer_operators_and_reflected_add(n):
    got = integer_operators(n)
    expected = integer_operators.py_func(n)
    assert got == expected


@pytest.mark.parametrize("x, y", [(1.0, 2.0), (0.0, -0.0), (1e300, -3.5)])
def test_hash_calls_dunder_hash(x, y):
    assert hashed(x, y) == hashed.py_func(x, y) == hash((x, y))


def test_sort_of_a_list_of_instances_uses_lt():
    rng = np.random.default_rng(5)
    xs, ys = rng.standard_normal(40), rng.standard_normal(40)
    np.testing.assert_array_equal(sorted_by_length(xs, ys), sorted_by_length.py_func(xs, ys))


@jitclass([("v", float64)])
class Bare:
    def __init__(self, v):
        self.v = v


@njit
def add_bare(a, b):
    return Bare(a) + Bare(b)


@njit
def order_bare(a, b):
    return Bare(a) < Bare(b)


@njit
def negate_bare(a):
    return -Bare(a)


@njit
def chained(a, b, c):
    return Vec(a, 0.0) < Vec(b, 0.0) < Vec(c, 0.0)


@pytest.mark.parametrize("f, args, words", [(add_bare, (1.0, 2.0), "define __add__ or __radd__"),
                                            (order_bare, (1.0, 2.0), "define __lt__"),
                                            (negate_bare, (1.0,), "define __neg__")])
def test_a_missing_special_method_is_a_located_typing_error(f, args, words):
    with pytest.raises(numjit.errors.TypingError, match=words) as caught:
        f(*args)
    assert "test_jitclass_operators.py" in str(caught.value)
    with pytest.raises(TypeError):
        f.py_func(*args)


def test_chained_comparison_of_instances_is_refused_with_its_rewrite():
    with pytest.raises(numjit.errors.UnsupportedError, match="a < b and b < c"):
        chained(1.0, 2.0, 3.0)


@jitclass([("values", float64[:]), ("count", int64)])
class Inner:
    def __init__(self, n):
        self.values = np.zeros(n)
        self.count = 0


@jitclass([("inner", Inner.class_type.instance_type), ("label", int64)])
class Outer:
    def __init__(self, n):
        self.inner = Inner(n)
        self.label = 0


@njit
def nested_stores(n, replacement):
    o = Outer(n)
    o.inner.values[1] = 5.0
    o.inner.count += 3
    o.inner.count *= 2
    before = o.inner.values.sum()
    o.inner.values = replacement
    items = [Outer(2), Outer(3)]
    for i in range(len(items)):
        items[i].inner.count = i + 10
        items[i].inner.count -= 1
    return before, o.inner.values.sum(), o.inner.count, items[0].inner.count, items[1].inner.count


@njit
def value_evaluated_before_the_object(n):
    o = Outer(n)
    first = o.inner
    o.inner.count = replace_inner(o)  # the value replaces o.inner first: Python stores into the new one
    return first.count, o.inner.count


@njit
def replace_inner(o):
    o.inner = Inner(1)
    return 7


@pytest.mark.parametrize("dtype_layout", ["C", "strided"])
def test_stores_into_attributes_of_attributes(dtype_layout):
    replacement = np.arange(8.0) if dtype_layout == "C" else np.arange(16.0)[::2]
    assert nested_stores(4, replacement) == nested_stores.py_func(4, replacement)


def test_a_store_evaluates_the_value_before_the_object_as_python_does():
    assert value_evaluated_before_the_object(3) == value_evaluated_before_the_object.py_func(3) == (0, 7)


@njit
def operator_churn(n):
    total = 0.0
    vs = [Vec(float(i), float(-i)) for i in range(8)]
    for k in range(n):
        v = Vec(1.0, 2.0) + Vec(float(k), 0.5) * 2.0
        v = -v
        c = Counter(k)
        c += 1
        vs[k % 8] = v  # the list gives up its old instance
        vs.sort()
        total += abs(v) + c.total + (v @ v) + hash(v) % 7
    return total


def test_operators_and_list_stores_of_instances_leak_nothing():
    import gc

    from numjit import runtime

    assert operator_churn(10) == operator_churn.py_func(10)
    gc.collect()
    before = runtime.allocation_stats()
    assert operator_churn(300) == operator_churn.py_func(300)
    gc.collect()
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc > 1000
    assert after.alloc - before.alloc == after.free - before.free


# ---- found in review -------------------------------------------------------


@jitclass([("v", int64)])
class Reflecting:
    def __init__(self, v):
        self.v = v

    def __radd__(self, other):
        return Reflecting(other + self.v)

    def __lt__(self, other):
        return self.v < other

    def __iadd__(self, n):
        self.v += n
        return self

    def __add__(self, n):
        return Reflecting(self.v + n + 1000)

    def __bool__(self):
        return self.v != 0


@njit
def logged(log, code, value):
    log.append(code)
    return value


@njit
def reflected_operands_in_order():
    log = [0]
    total = logged(log, 1, 10) + logged(log, 2, Reflecting(5))
    greater = logged(log, 3, 10) > logged(log, 4, Reflecting(5))
    return log, total.v, greater


def test_a_reflected_method_evaluates_the_left_operand_first():
    assert reflected_operands_in_order() == reflected_operands_in_order.py_func()


@jitclass([("a", Reflecting.class_type.instance_type)])
class Holder:
    def __init__(self, a):
        self.a = a


@njit
def attribute_in_place():
    h = Holder(Reflecting(1))
    keep = h.a
    h.a += 3  # __iadd__ on the instance the field holds
    items = [Holder(Reflecting(2))]
    items[0].a += 4
    return h.a.v, keep.v, items[0].a.v


def test_an_in_place_operator_on_a_field_calls_iadd():
    assert attribute_in_place() == attribute_in_place.py_func() == (4, 4, 6)


@njit
def index_with_an_effect(log):
    items = [Reflecting(1), Reflecting(2)]
    items[logged(log, 1, 0)] += 5
    return items[0].v


def test_an_index_with_side_effects_in_an_in_place_operator_is_refused():
    with pytest.raises(numjit.errors.UnsupportedError, match="twice"):
        index_with_an_effect([0])


@jitclass([("x", int64)])
class Cell:
    def __init__(self, x):
        self.x = x


@jitclass([("idx", int64)])
class Pointer:
    def __init__(self):
        self.idx = 0


@njit
def chained_stores():
    cells = [Cell(10), Cell(20)]
    p = Pointer()
    p.idx = cells[p.idx].x = 1  # p.idx is stored before cells[p.idx] is evaluated
    return cells[0].x, cells[1].x, p.idx


def test_chained_assignment_stores_targets_in_order():
    assert chained_stores() == chained_stores.py_func() == (10, 1, 1)


@jitclass([("v", int64)])
class Sized:
    def __init__(self, v):
        self.v = v

    def __len__(self):
        return self.v


@jitclass([("v", int64)])
class Plain:
    def __init__(self, v):
        self.v = v


@njit
def truths(k):
    r, s, p = Reflecting(k), Sized(k), Plain(k)
    return (1 if r else 2), (not r), bool(r), (1 if s else 2), (not s), bool(s), (1 if p else 2), bool(p), not p


@pytest.mark.parametrize("k", [0, 3])
def test_truth_of_an_instance_is_bool_then_len_then_true(k):
    assert truths(k) == truths.py_func(k)
