"""@jitclass: instances made in Python and in compiled code, fields of several
types read and written on both sides, methods, properties, static methods,
dunder methods, instances inside other instances and containers, and the
list-like uses an instance must refuse. Results are compared with the same
class run as plain Python (the undecorated class, PLAIN_* below)."""
import numpy as np
import pytest

from numjit import njit, typed, types
from numjit.errors import TypingError, UnsupportedError
from numjit.experimental import jitclass

from conftest import assert_same, make_array


class PlainBag:
    def __init__(self, value, n):
        self.value = value
        self.array = np.zeros(n, dtype=np.float32)
        self.label = "bag"

    @property
    def size(self):
        return self.array.size

    @size.setter
    def size(self, n):
        self.array = np.zeros(n, dtype=np.float32)

    def increment(self, val):
        for i in range(self.size):
            self.array[i] += val
        self.value += 1
        return self.array

    @staticmethod
    def add(x, y):
        return x + y

    def scaled(self, factor=2.0):
        return self.value * factor


BAG_SPEC = [("value", types.int32), ("array", types.float32[:]), ("label", types.unicode_type)]
Bag = jitclass(BAG_SPEC)(PlainBag)


class PlainVec:
    def __init__(self, x, y=0.0):
        self.x = x
        self.y = y

    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return self.x if i == 0 else self.y

    def __setitem__(self, i, v):
        if i == 0:
            self.x = v
        else:
            self.y = v

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)  # the jitclass, from Python too

    def __contains__(self, v):
        return v == self.x or v == self.y


Vec = jitclass([("x", types.float64), ("y", types.float64)])(PlainVec)


@jitclass([("value", types.float64)])
class Box:
    def __init__(self, value):
        self.value = value


@jitclass
class Annotated:
    count: types.int64
    total: float

    def __init__(self):
        self.count = 0
        self.total = 0.0

    def add(self, v):
        self.count += 1
        self.total += v
        return self.total / self.count


def bag_state(bag):
    return int(bag.value), str(bag.label)


def test_made_in_python():
    bag, plain = Bag(5, 3), PlainBag(5, 3)
    assert type(bag) is Bag and isinstance(bag, Bag)
    assert bag_state(bag) == bag_state(plain) == (5, "bag")
    np.testing.assert_array_equal(bag.increment(1.5), plain.increment(1.5))
    assert bag.value == plain.value and bag.size == plain.size == 3
    assert bag.scaled() == plain.scaled() and bag.scaled(0.5) == plain.scaled(0.5)
    assert Bag.add(1, 2) == 3 and bag.add(2.5, 1) == 3.5
    bag.value = 11
    bag.label = "renamed"
    bag.size = 7
    assert (bag.value, bag.label, bag.array.shape, bag.array.dtype) == (11, "renamed", (7,), np.float32)


@njit
def use_bag(bag, k):
    bag.value += k
    bag.increment(0.5)
    bag.array[0] = -1.0
    return bag.value, bag.size, bag.add(1, 2), bag.scaled(3.0), bag.label


def test_passed_to_compiled_code_changes_the_same_object():
    bag, plain = Bag(2, 4), PlainBag(2, 4)
    got, expected = use_bag(bag, 3), use_bag.py_func(plain, 3)
    assert got[:4] == expected[:4] and got[4] == expected[4]
    np.testing.assert_array_equal(bag.array, plain.array)
    assert bag.value == plain.value
    use_bag(bag, 1)  # the fast path the second time: still the same object
    assert bag.value == plain.value + 2


@njit
def make_in_compiled_code(n, size):
    bags = typed.List()
    for i in range(n):
        b = Bag(i, size)
        b.increment(i)
        bags.append(b)
    first = bags[0]
    first.value = 100  # the list holds the same object
    return bags, first


@pytest.mark.parametrize("n", [1, 3])
def test_made_in_compiled_code_and_returned(n):
    bags, first = make_in_compiled_code(n, 2)
    assert [type(b) for b in bags] == [Bag] * n
    assert first.value == 100 and bags[0].value == 100
    for i in range(1, n):
        assert bags[i].value == i + 1
        np.testing.assert_array_equal(bags[i].array, np.full(2, i, np.float32))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_array_fields_of_any_layout(dtype, layout):
    t = types.Array(getattr(types, np.dtype(dtype).name), 2, "A")

    @jitclass([("grid", t), ("scale", types.float64)])
    class Grid:
        def __init__(self, grid, scale):
            self.grid = grid
            self.scale = scale

        def total(self):
            s = 0.0
            for i in range(self.grid.shape[0]):
                for j in range(self.grid.shape[1]):
                    s += self.grid[i, j] * self.scale
            return s

    a = make_array((3, 4), dtype, layout)
    assert Grid(a, 0.5).total() == pytest.approx(float(a.sum()) * 0.5)
    assert np.shares_memory(Grid(a, 1.0).grid, a) or layout != "C"


def test_dunder_methods():
    @njit
    def use(a, b):
        c = a + b
        c[0] = 10.0
        c[1] += 1.0
        return len(c), c[0], c[1], 3.0 in a, c.norm(), c

    a, b = Vec(1.0, 2.0), Vec(3.0, 4.0)
    got = use(a, b)
    expected = use.py_func(PlainVec(1.0, 2.0), PlainVec(3.0, 4.0))
    assert got[:5] == expected[:5]
    assert type(got[5]) is Vec and (got[5].x, got[5].y) == (expected[5].x, expected[5].y)
    assert len(a) == 2 and a[1] == 2.0 and (a + b).x == 4.0


def test_annotations_and_number_conversions():
    acc = Annotated()
    assert [acc.add(v) for v in (1, 2.5, 4)] == [1.0, 1.75, 2.5]
    acc.count = 7.0  # a number takes the field's type, as in Numba
    assert acc.count == 7 and isinstance(acc.count, int)


def test_instances_inside_instances():
    @jitclass([("items", types.ListType(Vec.class_type.instance_type)), ("weights", types.float64[:])])
    class Cloud:
        def __init__(self, n):
            self.items = typed.List.empty_list(Vec.class_type.instance_type)
            for i in range(n):
                self.items.append(Vec(i, 2.0 * i))
            self.weights = np.arange(n) + 1.0

        def total(self):
            s = 0.0
            for k in range(len(self.items)):
                s += self.items[k].norm() * self.weights[k]
            return s

    cloud = Cloud(4)
    expected = sum(np.hypot(i, 2.0 * i) * (i + 1.0) for i in range(4))
    assert cloud.total() == pytest.approx(expected, rel=1e-12)
    assert type(cloud.items[2]) is Vec and cloud.items[2].y == 4.0


def test_reference_semantics():
    @njit
    def alias(v):
        w = v
        w.x = 5.0
        return v.x

    v = Vec(1.0, 2.0)
    assert alias(v) == 5.0 and v.x == 5.0


@pytest.mark.parametrize("body, message", [
    ("len(b)", "__len__"),
    ("b[0]", "__getitem__"),
    ("[x for x in b]", "not iterable"),
    ("sorted(b)", "jitclass"),
    ("min(b)", "does not take an instance of jitclass"),
    ("np.array(b)", "does not take an instance of jitclass"),
    ("b.append(1.0)", "unknown method 'append'"),
    ("b.missing", "unknown attribute 'missing'"),
    ("b == b", "cannot compare"),
])
def test_list_like_uses_are_refused(body, message):
    import linecache

    source = f"def refused(b):\n    return {body}\n"
    filename = f"<jitclass refusal {body}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(source, filename, "exec"), namespace)
    with pytest.raises(TypingError, match=message):
        njit(namespace["refused"])(Box(1.0))


def test_field_type_errors():
    @njit
    def store_array(b, a):
        b.array = a

    bag = Bag(1, 2)
    with pytest.raises(TypingError, match="cannot store"):
        store_array(bag, np.zeros(3))  # float64 into a float32 field
    store_array(bag, np.ones(3, np.float32))
    np.testing.assert_array_equal(bag.array, np.ones(3, np.float32))
    with pytest.raises(UnsupportedError, match="cannot hold"):
        jitclass([("f", types.pyobject)])(PlainVec)
    with pytest.raises(UnsupportedError, match="declares no fields"):
        jitclass(PlainVec)


def test_class_type_and_instance_type():
    t = Vec.class_type.instance_type
    assert isinstance(t, types.ListType)
    assert "x" in Vec.class_type.struct and Vec.class_type.struct["y"] == types.float64


@jitclass([("a", types.float64[:]), ("s", types.unicode_type), ("n", types.int64)])
class Growing:
    def __init__(self, n):
        self.a = np.zeros(n)
        self.s = "x" * n
        self.n = n

    def grow(self):
        self.a = np.ones(self.a.size + 1)
        self.n += 1


@njit
def churn(m):
    t = 0.0
    for i in range(m):
        g = Growing(i % 5)
        g.grow()
        g.grow()
        t += g.a.sum() + g.n
    return t


def test_no_memory_is_leaked():
    import gc

    from numjit import runtime

    assert churn(10) == churn.py_func(10)
    gc.collect()
    before = runtime.allocation_stats()
    assert churn(500) == churn.py_func(500)
    g = Growing(3)
    g.grow()
    del g
    gc.collect()
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc > 1000  # the churn allocated in compiled code ...
    assert after.alloc - before.alloc == after.free - before.free  # ... and freed all of it


def _shape_classes():
    @jitclass([("x", types.float64)])
    class Circle:
        def __init__(self, x):
            self.x = x

    @jitclass([("y", types.float64)])
    class Square:
        def __init__(self, y):
            self.y = y

    def area(o):
        if isinstance(o, Circle):
            return 3.0 * o.x * o.x
        if isinstance(o, (int, Square)):
            return o.y * o.y
        return -1.0

    return Circle, Square, area


def test_isinstance_of_an_instance_and_its_own_class():
    Circle, Square, area = _shape_classes()
    compiled = njit(area)
    for value in [Circle(2.0), Square(3.0), Circle(0.5)]:
        assert compiled(value) == area(value)
    # Another class of the same name is another class.
    OtherCircle, _, _ = _shape_classes()
    same_name = njit(lambda o: isinstance(o, Circle))
    assert same_name(OtherCircle(1.0)) is False
    assert same_name(Circle(1.0)) is True


def test_isinstance_of_an_optional_instance_is_decided_at_run_time():
    Circle, _, _ = _shape_classes()

    def maybe(n):
        a = None
        if n > 0:
            a = Circle(n * 1.0)
        b = None
        if n > 1:
            b = n
        return isinstance(a, Circle), isinstance(b, int), isinstance(a, int)

    for n in [0, 1, 2]:
        assert njit(maybe)(n) == maybe(n)
