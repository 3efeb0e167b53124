"""The records family: namedtuples and @jitclass instances in compiled code.

Every kernel module defines the same classes (CLASSES): two namedtuples (one
with defaults) and a jitclass whose methods and property update and read its
fields. A kernel builds namedtuples from expressions of the scalar grammar
(positionally, by keyword, leaving fields to their defaults), reads them by
field, index and unpacking, keeps them in lists, and feeds a jitclass
instance in loops, writing its fields directly too. The reference runs the
same module with the decorators removed (reference.py), so the namedtuples
are Python's and the jitclass a plain class.

Float fields only ever receive float expressions and int fields int ones, so
the plain class holds the same kinds of numbers the jitclass's declared
types do.
"""
from tests.fuzz import arguments
from tests.fuzz.grammar import Scope

CLASSES = '''from collections import namedtuple

from numjit.experimental import jitclass

Pair = namedtuple("Pair", "u v")
Triple = namedtuple("Triple", ["a", "b", "c"])
Triple.__new__.__defaults__ = (0.5, 2)


@jitclass([("total", types.float64), ("count", types.int64), ("last", types.float64)])
class Tally:
    def __init__(self, start):
        self.total = start
        self.count = 0
        self.last = 0.0

    def add(self, v):
        self.total += v
        self.count += 1
        self.last = v
        return self.total

    @property
    def mean(self):
        if self.count > 0:
            return self.total / self.count
        return 0.0


@jitclass([("x", types.float64), ("y", types.float64)])
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

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __iadd__(self, other):
        self.x += other.x
        self.y += other.y
        return self

    def __lt__(self, other):
        return self.x + self.y < other.x + other.y

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y


RECORD = np.dtype([("x", np.float64), ("n", np.int64), ("w", np.float32)])
'''

# Fields and their kinds ("f" float, "i" int) as the grammar names them.
PAIR_FIELDS = [("u", "f"), ("v", "i")]
TRIPLE_FIELDS = [("a", "f"), ("b", "f"), ("c", "i")]
TALLY_READS = [("total", "f"), ("count", "i"), ("last", "f"), ("mean", "f")]
VEC_OPERATIONS = ["{a} + {b}", "{a} - {b}", "{a} * {k}", "{k} * {a}", "-{a}", "-({a} + {b}) * {k}"]


class Records:
    def __init__(self, rng, g, scope):
        self.rng, self.g, self.scope = rng, g, scope
        self.tallies = []

    def f(self):
        return self.g.expr("f", self.scope, 2)

    def i(self):
        return self.g.expr("i", self.scope, 1)

    def small(self):
        return str(self.rng.randint(0, 6))

    def add_fields(self, name, fields, indexable=True):
        for k, (field, kind) in enumerate(fields):
            self.scope.variables[f"{name}.{field}"] = kind
            if indexable and self.rng.random() < 0.3:
                self.scope.variables[f"{name}[{k}]"] = kind

    def vector_statements(self):
        """Vec instances through their operators (jitclass special methods)."""
        rng, g = self.rng, self.g
        vecs = [n.split(".")[0] for n in self.scope.variables if n.startswith("vec") and n.endswith(".x")]
        name = g.fresh("vec")
        if len(vecs) < 2 or rng.random() < 0.3:
            form = f"Vec({self.f()}, {self.f()})"
        else:
            a, b = rng.sample(vecs, 2)
            form = rng.choice(VEC_OPERATIONS).format(a=a, b=b, k=self.f())
            if rng.random() < 0.3:
                flag = g.fresh("flag")
                self.scope.variables[flag] = "i"
                relation = rng.choice(["<", ">", "==", "!="])
                return [["line", f"{flag} = 1 if {a} {relation} {b} else 0"]]
            if rng.random() < 0.3:
                return [["line", f"{a} += {b}"]]  # in place: every name bound to that instance sees it
        self.add_fields(name, [("x", "f"), ("y", "f")], indexable=False)
        return [["line", f"{name} = {form}"]]

    def structured_statements(self):
        """A structured array made in the kernel, its records' fields read and written by name."""
        rng, g = self.rng, self.g
        arrays = [n[:-len(".size")] for n in self.scope.variables if n.startswith("rec") and n.endswith(".size")]
        if not arrays or rng.random() < 0.25:
            name, n = g.fresh("rec"), str(rng.randint(1, 6))
            self.scope.variables[f"{name}.size"] = "i"
            return [["line", f"{name} = np.zeros({n}, dtype=RECORD)"]]
        a, k = rng.choice(arrays), g.fresh("k")
        at = f"({self.i()}) % {a}.size"
        r = rng.random()
        if r < 0.3:
            field, value = rng.choice([("x", self.f()), ("n", self.small()), ("w", self.f())])
            return [["line", f"{a}[{at}][{field!r}] = {value}"]]
        if r < 0.5:
            return [["line", f"{a}['x'][{at}] += {self.f()}"]]
        if r < 0.65:
            total = g.fresh("acc")
            self.scope.variables[total] = "f"
            return [["line", f"{total} = 0.0"],
                    ["for", f"for {k} in {a}:", [["line", f"{total} += {k}['x'] * {k}['n'] + {k}['w']"]], None]]
        if r < 0.8:
            other = g.fresh("rows")
            self.scope.variables[f"{other}.size"] = "i"
            return [["line", f"{other} = {a}[{rng.choice(['1:', '::-1', ':2', '::2'])}]"]]
        total = g.fresh("acc")
        self.scope.variables[total] = "f"
        return [["line", f"{total} = {a}['x'].sum() + {a}['n'].sum() * 0.5"]]

    def statements(self):
        rng, g = self.rng, self.g
        form = rng.random()
        if form < 0.2:
            return self.vector_statements()
        if form < 0.4:
            return self.structured_statements()
        r = rng.random()
        if r < 0.18:
            name = g.fresh("pair")
            form = rng.choice([f"Pair({self.f()}, {self.i()})", f"Pair(v={self.i()}, u={self.f()})"])
            self.add_fields(name, PAIR_FIELDS)
            return [["line", f"{name} = {form}"]]
        if r < 0.34:
            name = g.fresh("triple")
            form = rng.choice([f"Triple({self.f()})", f"Triple({self.f()}, {self.f()}, {self.i()})",
                               f"Triple(c={self.i()}, a={self.f()})", f"Triple({self.f()}, c={self.i()})"])
            self.add_fields(name, TRIPLE_FIELDS)
            return [["line", f"{name} = {form}"]]
        if r < 0.44:
            name, start = g.fresh("tally"), self.f()  # the start value before the instance's fields exist
            self.tallies.append(name)
            self.add_fields(name, TALLY_READS, indexable=False)
            return [["line", f"{name} = Tally({start})"]]
        if r < 0.62 and self.tallies:
            tally, index = rng.choice(self.tallies), g.fresh("i")
            inner = Scope(self.scope.variables, self.scope.elements, self.scope.tuples, self.scope.arrays)
            inner.variables[index] = "i"
            value = g.expr("f", inner, 2)
            return [["for", f"for {index} in range({self.small()}):", [["line", f"{tally}.add({value})"]], None]]
        if r < 0.72 and self.tallies:
            tally = rng.choice(self.tallies)
            field, kind = rng.choice([("total", "f"), ("last", "f"), ("count", "i")])
            op = rng.choice(["=", "+="])
            value = self.f() if kind == "f" else self.small()
            return [["line", f"{tally}.{field} {op} {value}"]]
        if r < 0.84:
            items, acc, item, index = g.fresh("items"), g.fresh("acc"), g.fresh("q"), g.fresh("k")
            self.scope.variables[acc] = "f"
            return [["line", f"{items} = [Pair({index} * 0.5, {index}) for {index} in range({self.small()})]"],
                    ["line", f"{acc} = 0.0"],
                    ["for", f"for {item} in {items}:", [["line", f"{acc} += {item}.u * {item}.v"]], None]]
        pairs = [n.split(".")[0] for n in self.scope.variables if n.endswith(".u") and n.startswith("pair")]
        if pairs:
            x, y = g.fresh("x"), g.fresh("y")
            self.scope.variables[x], self.scope.variables[y] = "f", "i"
            return [["line", f"{x}, {y} = {rng.choice(pairs)}"]]
        return []

    def returns(self):
        names = [n for n in self.scope.variables if "." in n or "[" in n]
        picked = self.rng.sample(names, min(len(names), self.rng.randint(1, 3))) if names else []
        records = [n for n in self.scope.variables if n.startswith(("pair", "triple")) and n.endswith((".u", ".a"))]
        if records and self.rng.random() < 0.5:
            picked.append(records[0].split(".")[0])  # a namedtuple itself comes back as its class
        return picked or ["0.0"]


def records_case(rng, g):
    """(params, body, returns, args, extra) of one kernel of this family."""
    kinds = ["f", "i"] + [rng.choice("fi") for _ in range(rng.randint(0, 2))]
    params = [f"p{k}" for k in range(len(kinds))]
    args = [arguments.scalar_spec(rng, kind, 0.0, False) for kind in kinds]
    scope = Scope(dict(zip(params, kinds)))
    records = Records(rng, g, scope)
    body = []
    for _ in range(rng.randint(2, 7)):
        body.extend(records.statements())
    return params, body, records.returns(), args, CLASSES
