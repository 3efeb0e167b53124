"""The containers family: Python's own data (sets, str, dicts, lists) in compiled code.

A kernel is a short run of statements, each drawn from a menu by the types
of the variables defined so far: sets of ints, floats and strings (set(),
set(iterable), displays, comprehensions, the methods, the operators and
their in-place forms, comparisons); strings built from numbers (str(),
f-strings and format() with format specs) and taken apart (slices, split,
strip, find, partition, case maps, padding, int(s), float(s), ord/chr);
dicts with int or str keys (word counts, comprehensions, keys/values/items);
lists (list(range(n)), the methods, slices, +, *, sorted). Ints and bools of
the scalar grammar (grammar.py) mix in where a number is wanted; arguments
are strs, small ints, floats, 1-D arrays and, sometimes, lists.

CPython iterates a set in hash order, numjit in insertion order, so nothing
observable depends on the order a set is iterated in: a set is consumed by
sorted(), sum(), len(), `in`, set algebra and comparisons, a loop that only
adds to an accumulator, or pop() until it is empty into a sum; a dict built
by iterating a set may be returned (== ignores order) but is never listed in
order. Floats that go into sets stay dyadic (eighths, "2.5", "1e3"), so
their sums are exact in any order, and never NaN (CPython's set tells NaNs
apart by identity); inf, nan, 0.1 and friends only reach str() and formats.
A repr of a number goes through int()/float(), as an element of a set made
from an array is a NumPy scalar in the reference.
"""
from tests.fuzz import arguments
from tests.fuzz.grammar import Scope

WORDS = ["", " ", "a", "b", "ab", "ba", "abc", "A", "Ab", "a b", " a  b ", "x,y", "a,b,,c", "hello world",
         "HeLLo", "1", "42", "-7", "3.5", "é", "ß", "中", "aé", "Straße", "中文", "\t", "a\tb\nc", "  pad  ",
         "ÉCOLE", "ﬁx", "dž"]
# Characters whose Unicode properties are easy to get wrong (digits of other
# scripts, letter numbers, final sigma, special case maps): drawn rarely.
HARD_CHARS = ["²", "٣", "Ⅻ", "Σ", "ΑΣ", "İ", "ŉ", "ǰ", "ΐ"]
ALPHABET = "abcAB -,.01_é ß中"
SEPARATORS = [" ", ",", "a", "ab", ", ", "é"]
JOINERS = ["", ",", "-", " ", ", ", "é"]
STRIP_CHARS = [" ", "ab", "a ", "é", "", " ,"]
FILL_CHARS = [" ", "*", "-", "é", "中", "0"]
FIELD_TEXT = ["", "", " ", "|", "x=", "é", ", ", "[", "]"]
INT_TEXT = [" 42 ", "-7", "+3", "007", "0", "1_000", "\t5\n", "-0", "99999999999"]
UNICODE_INT_TEXT = ["٣", "１２", "-٤2"]   # other scripts' decimal digits: int() takes them (rarely drawn)
BAD_INT_TEXT = ["", "1.5", "abc", "1__0", "_1", "0x1f", " ", "- 1"]
FLOAT_TEXT = ["2.5", " -0.125 ", "1e3", ".5", "5.", "1_0.5", "+4", "-3.75", "0.0"]          # dyadic
FREE_FLOAT_TEXT = FLOAT_TEXT + ["inf", "-Infinity", "nan", "1E-2", "0.1", "1e-7", "-0.0", "1e400", " 3.14159 "]
BAD_FLOAT_TEXT = ["", "1.2.3", "e5", "--1", "1e", "abc", "1_"]
FLOATS = ["0.5", "1.5", "-2.25", "3.0", "0.0", "0.125", "2.5", "-1.0", "10.0", "0.75"]
FREE_FLOATS = ["math.inf", "-math.inf", "math.nan", "0.1", "1e16", "1e-05", "1e22", "123456.789", "-0.0",
               "5e-324", "1.7976931348623157e+308", "(0.1 + 0.2)", "(1 / 3)", "2.5e-07", "1234567890123456789.0"]
INT_SPECS = ["", "d", ">5", "<4", "^7", "05d", "+d", " d", "#x", "x", "X", "#o", "b", "#b", "08b", ",", "_",
             "*^9", "=+8", "e", ".2f", "%", "-<6", "#X"]
FLOAT_SPECS = ["", ".3f", ".0f", "e", ".2e", "E", "g", ".3g", "G", "%", ".1%", ">10.2f", "<8", "^12.3e", "+.2f",
               " .1f", ",.2f", "_.1f", "010.3f", "#.0f", "#g", ".17g", ".20f", ".0e", "=+10.2f", "f", "12", ".1"]
STR_SPECS = ["", ">8", "<6", "^7", "*^9", ".2", "-<5", ">8.3", "é^5"]
SPECS = {"i": INT_SPECS, "f": FLOAT_SPECS, "F": FLOAT_SPECS, "s": STR_SPECS, "b": ["", "", ">6", "d"]}
ARRAY_DTYPES = {"int64": "i", "int32": "i", "float64": "f", "float32": "f"}
STR_METHODS0 = ["upper", "lower", "swapcase", "title", "capitalize", "strip", "lstrip", "rstrip"]
PREDICATES = ["isdigit", "isalpha", "isspace", "isupper", "islower"]
SET_OPS = {"|": "union", "&": "intersection", "-": "difference", "^": "symmetric_difference"}
ZERO = {"i": "0", "f": "0.0", "s": "''"}
TYPE_NAMES = {"i": "types.int64", "f": "types.float64", "s": "types.unicode_type"}
CONTAINER_TYPES = [f"{c}_{k}" for c in ("set", "list") for k in "ifs"] + [f"dict_{k}{v}" for k in "is" for v in "ifs"]


class Containers:
    def __init__(self, rng, g):
        self.rng, self.g = rng, g
        self.vars = {}        # name -> type: i f b s, set_X, list_X, dict_KV (X, K, V in i f s)
        self.locals = {}      # loop variables (code such as "int(v3)") -> type, readable only
        self.unordered = set()   # dicts built by iterating a set: CPython's order is its hash order
        self.arrays = {}      # array parameter -> element kind

    # ---- small helpers ---------------------------------------------------

    def chance(self, p):
        return self.rng.random() < p

    def names(self, *types, mutable=False):
        found = [n for n, t in self.vars.items() if t in types]
        return found if mutable else found + [n for n, t in self.locals.items() if t in types]

    def one_of(self, options):
        """Calls one of the weighted makers; one that returns None is not applicable."""
        options = list(options)
        while options:
            total = sum(w for w, _ in options)
            r = self.rng.uniform(0, total)
            for k, (w, make) in enumerate(options):
                r -= w
                if r <= 0:
                    break
            result = options.pop(k)[1]()
            if result is not None:
                return result
        raise AssertionError("no applicable option")

    def text(self):
        r = self.rng.random()
        if r < 0.03:
            return self.rng.choice(HARD_CHARS) + self.rng.choice(["", "a", "Σ"])
        if r < 0.55:
            return self.rng.choice(WORDS)
        return "".join(self.rng.choice(ALPHABET) for _ in range(self.rng.randint(0, 7)))

    def lit(self, text=None):
        return repr(self.text() if text is None else text)

    def small(self, lo, hi):
        """An int in [lo, hi]: a literal or an int expression folded into the range."""
        if self.chance(0.6):
            return str(self.rng.randint(lo, hi))
        return f"({self.int_expr(1)} % {hi - lo + 1}{f' + {lo}' if lo else ''})"

    def scalar_scope(self):
        kinds = {**self.vars, **self.locals}
        return Scope({n: t for n, t in kinds.items() if t in ("i", "b")})

    def local(self, name, kind):
        """A loop variable: array elements are read through int()/float() (Python numbers in the reference)."""
        code = {"ai": f"int({name})", "af": f"float({name})"}.get(kind, name)
        self.locals[code] = kind[-1]
        return code

    # ---- expressions -----------------------------------------------------

    def expr(self, kind, d=2):
        return {"i": self.int_expr, "f": self.float_expr, "F": self.free_float, "b": self.bool_expr,
                "s": self.str_expr}[kind](d)

    def leaf(self, kind):
        names = self.names(kind)
        if names and self.chance(0.7):
            return self.rng.choice(names)
        return {"i": lambda: str(self.rng.randint(-3, 9)), "f": lambda: self.rng.choice(FLOATS),
                "b": lambda: self.rng.choice(["True", "False"]), "s": self.lit}[kind]()

    def int_expr(self, d=2):
        if d <= 0 or self.chance(0.3):
            return self.leaf("i")
        rng, e, s = self.rng, lambda: self.int_expr(d - 1), lambda: self.str_expr(d - 1)
        sized = self.names("s", *CONTAINER_TYPES)
        sums = self.names("set_i", "list_i", "dict_ii", "dict_si")
        return self.one_of([
            (3, lambda: f"({e()} {rng.choice(['+', '-', '+', '*'])} {e()})"),
            (1, lambda: f"{rng.choice(['min', 'max'])}({e()}, {e()})"),
            (3, lambda: self.g.expr("i", self.scalar_scope(), 1)),
            (3, lambda: f"len({rng.choice(sized)})" if sized else None),
            (2, lambda: f"len({s()})"),
            (3, lambda: f"{self.str_atom(d - 1)}.{rng.choice(['find', 'rfind', 'count'])}({self.sub_args()})"),
            (1, lambda: self.guarded_index(d)),
            (2, lambda: f"(ord({v}[0]) if len({v}) > 0 else -1)" if (v := self.pick_name("s")) else None),
            (2, lambda: f"int({self.number_text('i')})"),
            (2, lambda: f"sum({self.summable(rng.choice(sums))})" if sums else None),
            (2, self.container_read_int),
            (2, lambda: f"len({v} {rng.choice(list(SET_OPS))} {self.set_operand(self.vars[v][-1])})"
                if (v := self.pick_name(rng.choice(["set_i", "set_f", "set_s"]))) else None),
        ])

    def float_expr(self, d=2):
        """A float that is finite, not NaN and dyadic: exact whatever order it is summed in."""
        if d <= 0 or self.chance(0.35):
            return self.leaf("f")
        rng, e = self.rng, lambda: self.float_expr(d - 1)
        sums = self.names("set_f", "list_f", "dict_if", "dict_sf")
        return self.one_of([
            (3, lambda: f"({e()} {rng.choice(['+', '-', '*'])} {e()})"),
            (1, lambda: f"({e()} * {rng.choice(['0.5', '2.0', '0.25'])})"),
            (2, lambda: f"float({self.int_expr(d - 1)})"),
            (2, lambda: f"float({rng.choice(list(map(repr, FLOAT_TEXT)))})"),
            (2, lambda: f"sum({self.summable(rng.choice(sums))})" if sums else None),
            (1, lambda: self.item(v, "0.5") if (v := self.pick_name("list_f")) else None),
        ])

    def free_float(self, d=1):
        """Any float, specials included: only for str(), repr() and formats."""
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(FREE_FLOATS)
        if r < 0.45:
            return f"float({self.rng.choice(list(map(repr, FREE_FLOAT_TEXT)))})"
        if r < 0.55:
            return f"({self.float_expr(1)} / {self.rng.choice(['3', '7.0', '-0.1', '10'])})"
        return self.float_expr(d)

    def bool_expr(self, d=2):
        if d <= 0 or self.chance(0.25):
            return self.leaf("b")
        rng = self.rng
        sets = self.names("set_i", "set_f", "set_s")
        return self.one_of([
            (2, lambda: self.g.expr("b", self.scalar_scope(), 1)),
            (3, lambda: self.membership()),
            (3, lambda: self.set_compare(rng.choice(sets)) if sets else None),
            (2, lambda: f"({self.str_expr(1)} {rng.choice(['<', '<=', '>', '>=', '==', '!='])} {self.str_expr(1)})"),
            (2, lambda: f"{self.str_atom(1)}.{rng.choice(PREDICATES)}()"),
            (2, lambda: f"{self.str_atom(1)}.{rng.choice(['startswith', 'endswith'])}({self.sub_args()})"),
            (1, lambda: f"({self.int_expr(1)} {rng.choice(['<', '==', '>='])} {self.int_expr(1)})"),
            (1, lambda: f"(not {self.bool_expr(d - 1)})"),
            (1, lambda: f"({self.bool_expr(d - 1)} {rng.choice(['and', 'or'])} {self.bool_expr(d - 1)})"),
        ])

    def str_expr(self, d=2):
        if d <= 0 or self.chance(0.25):
            return self.leaf("s")
        rng, e, a = self.rng, lambda: self.str_expr(d - 1), lambda: self.str_atom(d - 1)
        lists, sets = self.names("list_s"), self.names("set_s")
        return self.one_of([
            (2, lambda: f"str({self.int_expr(d - 1)})"),
            (2, lambda: f"str({self.free_float()})"),
            (1, lambda: f"str({self.bool_expr(1)})"),
            (4, self.fstring),
            (1, lambda: f"format({self.field_value(k := rng.choice('ifsb'))}, {rng.choice(SPECS[k])!r})"),
            (2, self.percent_format),
            (1, lambda: f"repr({self.field_value('s')})" if self.chance(0.5) else
                f"repr({rng.choice(['int', 'float'])}({self.field_value('i')}))"),
            (3, lambda: f"({e()} + {e()})"),
            (1, lambda: f"({e()} * {self.small(-1, 3)})"),
            (3, lambda: f"{a()}[{self.slice_text()}]"),
            (1, lambda: self.item(v, "''") if (v := self.pick_name("s")) else None),
            (4, lambda: f"{a()}.{rng.choice(STR_METHODS0)}()"),
            (2, lambda: f"{a()}.{rng.choice(['strip', 'lstrip', 'rstrip'])}({self.lit(rng.choice(STRIP_CHARS))})"),
            (2, lambda: f"{a()}.replace({self.lit(rng.choice(['a', '', ' ', 'ab', 'é']))}, {self.lit()}"
                        f"{', ' + self.small(-1, 2) if self.chance(0.4) else ''})"),
            (2, lambda: f"{a()}.{rng.choice(['center', 'ljust', 'rjust'])}({self.small(0, 12)}"
                        f"{', ' + self.lit(rng.choice(FILL_CHARS)) if self.chance(0.5) else ''})"),
            (1, lambda: f"{a()}.zfill({self.small(0, 9)})"),
            (1, lambda: f"{a()}.{rng.choice(['partition', 'rpartition'])}"
                        f"({self.lit(rng.choice(SEPARATORS))})[{rng.randint(0, 2)}]"),
            (2, lambda: f"{self.lit(rng.choice(JOINERS))}.join({self.iterable('s', ordered=True)})"),
            (1, lambda: f"chr({rng.choice(['97', '0x4e00', '65', '0xe0'])} + {self.small(0, 25)})"),
            (1, lambda: f"({e()} if {self.bool_expr(1)} else {e()})"),
            (1, lambda: self.item(v, "''") if (v := self.pick_name("list_s")) else None),
            (1, lambda: f"{a()}.split({self.lit(rng.choice(SEPARATORS))})[{rng.choice(['0', '-1'])}]"),
            (1, lambda: f"min({rng.choice(lists + sets)})" if lists + sets and self.chance(0.3) else None),
        ])

    def percent_format(self):
        """printf-style: "text%5.2f text%-4d" % (x, n), conversions of every kind and flag."""
        rng, pieces, values = self.rng, [], []
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice("iifs")
            flags = "".join(rng.sample("-+ 0#", rng.choice([0, 0, 1, 2])))
            width = rng.choice(["", "", str(rng.randint(1, 9))])
            if kind == "i":
                spec = flags + width + rng.choice("ddixXo")
                values.append(self.int_expr(1))
            elif kind == "f":
                spec = flags.replace("#", "") + width + rng.choice(["", ".0", ".2", ".5"]) + rng.choice("eEfgG")
                values.append(self.free_float())
            else:
                spec = flags.replace("+", "").replace(" ", "").replace("#", "") + width + \
                    rng.choice(["", "", ".2"]) + rng.choice("ssr")
                values.append(self.str_expr(1))
            pieces.append(rng.choice(FIELD_TEXT).replace("%", "") + "%" + spec)
        template = "".join(pieces) + rng.choice(["", " 100%%", "!"])
        operand = values[0] if len(values) == 1 and self.chance(0.5) else "(" + ", ".join(values) + ",)"
        return f"({template!r} % {operand})"

    def str_atom(self, d):
        """A str expression that may take a method call or a subscript."""
        if self.chance(0.5) and (v := self.pick_name("s")):
            return v
        return self.str_expr(d) if self.chance(0.6) else self.lit()

    def item(self, name, default):
        """An item of a str or list at any int index, folded into range behind a length test."""
        return f"({name}[{self.int_expr(1)} % len({name})] if len({name}) > 0 else {default})"

    def reverse(self):
        return ", reverse=True" if self.chance(0.3) else ""

    def pick_name(self, kind):
        names = self.names(kind)
        return self.rng.choice(names) if names else None

    def sub_args(self):
        """(sub[, start[, end]]) for find/count/startswith..."""
        sub = self.rng.choice([self.lit(self.rng.choice(["a", "", "ab", " ", "é", "b", ","])),
                               self.pick_name("s") or "'a'"])
        starts = [self.small(-4, 8) for _ in range(self.rng.choice([0, 0, 1, 2]))]
        return ", ".join([sub] + starts)

    def slice_text(self):
        bound = lambda: self.rng.choice(["", "", self.small(-6, 10)])
        step = self.rng.choice(["", "", "1", "2", "3", "-1", "-2", "-3"] + (["0"] if self.chance(0.02) else []))
        return f"{bound()}:{bound()}" + (f":{step}" if step else "")

    def guarded_index(self, d):
        """str.index / list.index behind a membership test (sometimes without: ValueError both sides)."""
        if self.chance(0.5) and (v := self.pick_name("list_i")):
            x = self.leaf("i")
            return f"{v}.index({x})" if self.chance(0.08) else f"({v}.index({x}) if {x} in {v} else -1)"
        s, sub = self.str_atom(d - 1), self.lit(self.rng.choice(["a", "b", "é", " ", "ab"]))
        if self.chance(0.3):
            start = self.small(-3, 5)
            return f"({s}.index({sub}, {start}) if {s}.find({sub}, {start}) >= 0 else -1)"
        return f"{s}.index({sub})" if self.chance(0.08) else f"({s}.index({sub}) if {sub} in {s} else -1)"

    def number_text(self, kind):
        """Text for int() or float(): made from a number, a tricky literal, or (rarely) not a number."""
        rng = self.rng
        if rng.random() < 0.04:
            return repr(rng.choice(BAD_INT_TEXT if kind == "i" else BAD_FLOAT_TEXT))
        if kind == "i" and rng.random() < 0.02:
            return repr(rng.choice(UNICODE_INT_TEXT))
        if rng.random() < 0.4:
            return f"str({self.int_expr(1)})" if kind == "i" else f"str({self.float_expr(1)})"
        return repr(rng.choice(INT_TEXT if kind == "i" else FLOAT_TEXT))

    def summable(self, name):
        return f"{name}.values()" if self.vars[name].startswith("dict") else name

    def membership(self):
        containers = self.names(*CONTAINER_TYPES)
        if not containers or self.chance(0.25):
            return f"({self.lit(self.rng.choice(['a', 'é', ' ', 'ab', '']))} in {self.str_atom(1)})"
        c = self.rng.choice(containers)
        kind = self.vars[c][5] if self.vars[c].startswith("dict") else self.vars[c][-1]
        return f"({self.element(kind, 1)} {self.rng.choice(['in', 'not in'])} {c})"

    def set_compare(self, name):
        kind = self.vars[name][-1]
        other = self.set_operand(kind)
        if self.chance(0.35):
            method = self.rng.choice(["issubset", "issuperset", "isdisjoint"])
            return f"{name}.{method}({other if self.chance(0.7) else self.iterable(kind, ordered=True)})"
        return f"({name} {self.rng.choice(['==', '!=', '<', '<=', '>', '>='])} {other})"

    def container_read_int(self):
        rng = self.rng
        if (d := self.pick_name(rng.choice(["dict_ii", "dict_si"]))) is not None:
            key = self.element(self.vars[d][5], 1)
            if self.chance(0.06):
                return f"{d}[{key}]"   # KeyError on both sides when missing
            return rng.choice([f"{d}.get({key}, {self.leaf('i')})", f"({d}[{key}] if {key} in {d} else -1)"])
        if (v := self.pick_name("list_i")) is not None:
            return rng.choice([f"{v}.count({self.leaf('i')})", self.item(v, "0")])
        return None

    def element(self, kind, d=1):
        """A set element, dict key or list item of kind i, f or s."""
        return {"i": lambda: self.int_expr(d) if self.chance(0.5) else str(self.rng.randint(-4, 9)),
                "f": lambda: self.float_expr(d),
                "s": lambda: self.str_expr(d) if self.chance(0.4) else self.lit(self.rng.choice(WORDS[:12]))}[kind]()

    def field_value(self, kind):
        """A value inside an f-string field: no backslash or double quote (Python 3.11)."""
        for _ in range(4):
            code = self.free_float() if kind in "fF" else self.expr(kind, 1)
            if "\\" not in code and '"' not in code:
                return code
        return {"i": "7", "f": "2.5", "F": "0.1", "s": "'ab'", "b": "True"}[kind]

    def fstring(self):
        rng, parts = self.rng, []
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice("iifFsb")
            value = self.field_value(kind)
            conversion = ""
            if rng.random() < 0.15 and kind != "b":
                conversion = "!a" if rng.random() < 0.1 else "!r"
                if kind != "s":   # a NumPy scalar's repr differs: see the module's docstring
                    value = f"{'int' if kind == 'i' else 'float'}({value})"
            # After !r the spec formats a str (a number's spec there is Python's ValueError: rarely)
            specs = STR_SPECS if conversion and rng.random() < 0.9 else SPECS[kind]
            spec = rng.choice(specs) if rng.random() < 0.7 else ""
            parts.append(rng.choice(FIELD_TEXT) + "{" + value + conversion + (":" + spec if spec else "") + "}")
        return 'f"' + "".join(parts) + rng.choice(FIELD_TEXT) + '"'

    def comprehension(self, source_kind, kind, brackets, ordered=True):
        """[item for v in source if cond] (or a set's {...}): the item is v or an expression."""
        source, var_kind = self.loop_source(source_kind, ordered)
        v = self.g.fresh("v")
        local = self.local(v, var_kind)
        item = local if var_kind[-1] == kind and self.chance(0.5) else self.element(kind)
        cond = self.filter_clause()
        del self.locals[local]
        return f"{brackets[0]}{item} for {v} in {source}{cond}{brackets[1]}"

    def filter_clause(self):
        """A comprehension's `if`, never the constant False: a comprehension that is empty for
        sure has no item type in compiled code (its items type as int64, as an untyped list's),
        so using them as strings is a located TypingError where Python never runs the code."""
        if not self.chance(0.3):
            return ""
        cond = self.bool_expr(1)
        while _constant_condition(cond):
            cond = self.bool_expr(1)
        return f" if {cond}"

    # ---- iterables ----------------------------------------------------------

    def iterable(self, kind, ordered, loop=False, chars=True):
        """(code of) an iterable of elements of ``kind``; with ``ordered``, not a set. A bare
        range() only where a loop iterates it (set(range(n)), s.update(range(n)) are not supported)."""
        rng, options = self.rng, []
        options += self.names(f"list_{kind}")
        if not ordered:
            options += self.names(f"set_{kind}")
        if kind == "i":
            options += [f"list(range({self.small(-1, 6)}))"] + ([f"range({self.small(0, 6)})"] if loop else [])
        if kind == "s":
            options += [f"{self.str_atom(1)}.split()", f"{self.str_atom(1)}.split({self.lit(rng.choice(SEPARATORS))})"]
            options += self.names("s") if chars else []
        options += [f"sorted({s})" for s in self.names(f"set_{kind}")]
        return rng.choice(options) if options else f"[{self.element(kind)}, {self.element(kind)}]"

    def loop_source(self, kind, ordered=True):
        """(iterable code, loop-variable kind) for a for loop or a comprehension; arrays give ai/af."""
        arrays = [a for a, k in self.arrays.items() if k == kind]
        if arrays and self.chance(0.3):
            return self.rng.choice(arrays), "a" + kind
        return self.iterable(kind, ordered, loop=True), kind

    def set_operand(self, kind):
        sets = self.names(f"set_{kind}")
        if sets and self.chance(0.7):
            return self.rng.choice(sets)
        return "{" + ", ".join(self.element(kind) for _ in range(self.rng.randint(1, 3))) + "}"

    # ---- statements ------------------------------------------------------------

    def define(self, prefix, type_, code):
        name = self.g.fresh(prefix)
        self.vars[name] = type_
        return name, ["line", f"{name} = {code}"]

    def statements(self):
        return self.one_of([
            (4, self.new_scalar), (4, self.new_set), (4, self.mutate_set), (2, self.consume_set),
            (3, self.new_dict), (2, self.mutate_dict), (2, self.consume_dict),
            (3, self.new_list), (3, self.mutate_list), (2, self.build_string), (1, self.branch),
            (1, self.match_block),
        ])

    def new_scalar(self):
        kind = self.rng.choice("iifssssb")
        return [self.define({"i": "k", "f": "x", "s": "t", "b": "flag"}[kind], kind, self.expr(kind))[1]]

    def new_set(self):
        rng, kind = self.rng, self.rng.choice("iifss")
        existing = self.names("set_i", "set_f", "set_s")
        if existing and self.chance(0.5):   # mostly algebra on a set made before
            kind = self.vars[rng.choice(existing)][-1]
        t = f"set_{kind}"
        same = self.names(t)

        def from_iterable():
            arrays = [a for a, k in self.arrays.items() if k == kind]
            if arrays and self.chance(0.3):
                return f"set({rng.choice(arrays)})"
            return f"set({self.iterable(kind, ordered=False)})"

        def algebra():
            if not same:
                return None
            op = rng.choice(list(SET_OPS))
            if self.chance(0.6):
                return f"({rng.choice(same)} {op} {self.set_operand(kind)})"
            other = self.set_operand(kind) if self.chance(0.6) else self.iterable(kind, ordered=True)
            return f"{rng.choice(same)}.{SET_OPS[op]}({other})"

        code = self.one_of([
            (2, lambda: self.comprehension(kind, kind, "{}", ordered=False)), (2, from_iterable), (5, algebra),
            (2, lambda: "{" + ", ".join(self.element(kind) for _ in range(rng.randint(1, 4))) + "}"),
            (1, lambda: f"{rng.choice(same)}.copy()" if same else None),
        ])
        if self.chance(0.25):   # set() then adds in a loop (over something defined before it)
            source, var_kind = self.loop_source(kind if self.chance(0.7) else "i")
            name, line = self.define("st", t, "set()")
            v = self.g.fresh("v")
            local = self.local(v, var_kind)
            add = ["line", f"{name}.add({local if var_kind[-1] == kind and self.chance(0.5) else self.element(kind)})"]
            del self.locals[local]
            return [line, ["block", f"for {v} in {source}:", [add], None]]
        return [self.define("st", t, code)[1]]

    def mutate_set(self):
        sets = self.names("set_i", "set_f", "set_s", mutable=True)
        if not sets:
            return None
        rng, name = self.rng, self.rng.choice(sets)
        kind = self.vars[name][-1]
        x, iterable = self.element(kind), self.iterable(kind, ordered=True)
        return self.one_of([
            (3, lambda: [["line", f"{name}.add({x})"]]),
            (2, lambda: [["line", f"{name}.discard({x})"]]),
            (2, lambda: [["line", f"{name}.remove({x})"]] if self.chance(0.1) else
                [["block", f"if {x} in {name}:", [["line", f"{name}.remove({x})"]], None, "guard"]]),
            (2, lambda: [["line", f"{name}.update({self.set_operand(kind) if self.chance(0.5) else iterable})"]]),
            (3, lambda: [["line", f"{name} {rng.choice(list(SET_OPS))}= {self.set_operand(kind)}"]]),
            (1, lambda: [["line", f"{name}.{rng.choice(['intersection', 'difference', 'symmetric_difference'])}"
                                  f"_update({self.set_operand(kind)})"]]),
            (1, lambda: [["line", f"{name}.clear()"]] if self.chance(0.3) else None),
            (1, lambda: [self.define("alias", self.vars[name], name)[1]]),   # aliasing: both names see changes
        ])

    def consume_set(self):
        """Order-independent uses of a set: accumulate, pop until empty, sort, build an (unordered) dict."""
        sets = self.names("set_i", "set_f", "set_s", mutable=True)
        if not sets:
            return None
        rng, name = self.rng, self.rng.choice(sets)
        kind = self.vars[name][-1]
        # What each item adds to a sum: a function of the item alone (not of the set's state as it empties).
        value = lambda v: rng.choice({"i": [v, f"{v} * {v}", f"(1 if {v} > 2 else 0)"], "f": [v, f"{v} * 2.0"],
                                      "s": [f"len({v})", f"{v}.count('a')", f"ord(({v} + '_')[0])"]}[kind])
        acc_kind = "f" if kind == "f" else "i"
        if self.chance(0.4):
            acc, first = self.define("acc", acc_kind, ZERO[acc_kind])
            v = self.g.fresh("v")
            return [first, ["block", f"for {v} in {name}:", [["line", f"{acc} += {value(v)}"]], None]]
        if self.chance(0.4):
            acc, first = self.define("acc", acc_kind, ZERO[acc_kind])
            source, out = name, [first]
            if self.chance(0.6):   # pop from a copy, keeping the set
                source, line = self.define("tmp", self.vars[name], f"{name}.copy()")
                out.append(line)
            item = self.g.fresh("item")
            return out + [["block", f"while len({source}) > 0:", [["line", f"{item} = {source}.pop()"],
                                                                   ["line", f"{acc} += {value(item)}"]], None]]
        if self.chance(0.5):
            return [self.define("srt", f"list_{kind}", f"sorted({name}{self.reverse()})")[1]]
        if kind == "f":
            return [self.define("srt", "list_f", f"sorted({name})")[1]]
        value_kind = rng.choice("is")
        v = self.g.fresh("v")
        self.locals[v] = kind
        val = self.element(value_kind)
        del self.locals[v]
        d, line = self.define("d", f"dict_{kind}{value_kind}", f"{{{v}: {val} for {v} in {name}}}")
        self.unordered.add(d)
        return [line]

    def new_dict(self):
        rng = self.rng
        key, value = rng.choice("iss"), rng.choice("iifs")
        t = f"dict_{key}{value}"
        if key == "s" and value == "i" and self.chance(0.4):   # counting words or characters
            sep = self.lit(rng.choice(SEPARATORS)) if self.chance(0.3) else ""
            words = rng.choice([f"{self.str_atom(1)}.split({sep})", self.str_atom(1),
                                self.iterable("s", ordered=False)])
            d, first = self.define("counts", t, "{}")
            if "sorted" not in words and words in self.names("set_s"):
                self.unordered.add(d)
            w = self.g.fresh("w")
            return [first, ["block", f"for {w} in {words}:", [["line", f"{d}[{w}] = {d}.get({w}, 0) + 1"]], None]]
        source, var_kind = self.loop_source(rng.choice("is"))
        v = self.g.fresh("v")
        local = self.local(v, var_kind)
        k, val = self.element(key), self.element(value)
        if var_kind[-1] == key and self.chance(0.5):
            k = local
        del self.locals[local]
        r = rng.random()
        if r < 0.35:
            return [self.define("d", t, f"{{{k}: {val} for {v} in {source}}}")[1]]
        if r < 0.5:
            pairs = ", ".join(f"{self.element(key)}: {self.element(value)}" for _ in range(rng.randint(1, 3)))
            return [self.define("d", t, "{" + pairs + "}")[1]]
        empty = rng.choice(["{}", "{}", "{}", "dict()", "typed.Dict()",
                            f"typed.Dict.empty(key_type={TYPE_NAMES[key]}, value_type={TYPE_NAMES[value]})"])
        d, first = self.define("d", t, empty)
        return [first, ["block", f"for {v} in {source}:", [["line", f"{d}[{k}] = {val}"]], None]]

    def mutate_dict(self):
        dicts = [n for n, t in self.vars.items() if t.startswith("dict")]
        if not dicts:
            return None
        rng, d = self.rng, self.rng.choice(dicts)
        key, value = self.vars[d][5], self.vars[d][6]
        k, v = self.element(key), self.element(value)
        default = ZERO[value]
        return self.one_of([
            (3, lambda: [["line", f"{d}[{k}] = {v}"]]),
            (2, lambda: [["block", f"if {k} in {d}:", [["line", f"{d}[{k}] += {v}"]], None, "guard"]]),
            (2, lambda: [["line", f"{d}[{k}] = {d}.get({k}, {default}) + {v}"]]),
            (1, lambda: [["block", f"if {k} in {d}:", [["line", f"del {d}[{k}]"]], None, "guard"]]),
            (1, lambda: [self.define("popped", value, f"{d}.pop({k}, {default})")[1]]),
        ])

    def consume_dict(self):
        dicts = [n for n, t in self.vars.items() if t.startswith("dict")]
        if not dicts:
            return None
        rng, d = self.rng, self.rng.choice(dicts)
        key, value = self.vars[d][5], self.vars[d][6]
        ordered = d not in self.unordered
        options = [(2, lambda: [self.define("keys", f"list_{key}", f"sorted({d})")[1]]),
                   (1, lambda: [self.define("vals", f"list_{value}", f"sorted({d}.values())")[1]])]
        if ordered:
            options += [(2, lambda: [self.define("keys", f"list_{key}", f"list({d}.keys())")[1]]),
                        (2, lambda: [self.define("vals", f"list_{value}", f"list({d}.values())")[1]])]
            if key == "i" and value == "i":
                options.append((1, lambda: [self.define("pairs", "items", f"list({d}.items())")[1]]))
        k, v = self.g.fresh("k_"), self.g.fresh("v_")
        term, weight = f"len({k})" if key == "s" else k, f"len({v})" if value == "s" else v

        def accumulate():   # a sum: the same in any order
            acc, first = self.define("acc", "f" if value == "f" else "i", "0.0" if value == "f" else "0")
            loop = rng.choice([f"for {k}, {v} in {d}.items():", f"for {k} in {d}:"])
            body = f"{acc} += {term} * {weight}" if "items" in loop else f"{acc} += {term}"
            return [first, ["block", loop, [["line", body]], None]]
        options.append((3, accumulate))
        return self.one_of(options)

    def new_list(self):
        rng, kind = self.rng, self.rng.choice("iifss")
        t = f"list_{kind}"
        same = self.names(t)

        def from_text():
            if kind != "s":
                return None
            a = self.str_atom(1)
            method = rng.choice(["split", "rsplit"])
            sep = self.lit(rng.choice(SEPARATORS))
            args = rng.choice(["", sep, f"{sep}, {self.small(-1, 2)}", f"None, {self.small(-1, 2)}",
                               f"maxsplit={self.small(0, 2)}"])
            return rng.choice([f"{a}.{method}({args})", f"list({a})"])

        code = self.one_of([
            (2, lambda: f"list(range({self.small(-1, 7)}))" if kind == "i" else None),
            (3, lambda: self.comprehension(kind if self.chance(0.7) else rng.choice("is"), kind, "[]")), (3, from_text),
            (2, lambda: "[" + ", ".join(self.element(kind) for _ in range(rng.randint(1, 4))) + "]"),
            (2, lambda: f"sorted({rng.choice(same)}{self.reverse()})" if same else None),
            (2, lambda: f"({rng.choice(same)} + {rng.choice(same)})" if same else None),
            (1, lambda: f"({rng.choice(same)} * {self.small(-1, 3)})" if same else None),
            (2, lambda: f"{rng.choice(same)}[{self.slice_text()}]" if same else None),
            (1, lambda: f"{rng.choice(same)}.copy()" if same else None),
            (1, lambda: f"typed.List({self.iterable(kind, ordered=True)})"),
        ])
        return [self.define("lst", t, code)[1]]

    def mutate_list(self):
        lists = self.names("list_i", "list_f", "list_s", mutable=True)
        if not lists:
            return None
        rng, name = self.rng, self.rng.choice(lists)
        kind = self.vars[name][-1]
        x = self.element(kind)
        guard = lambda cond, line: [["block", f"if {cond}:", [["line", line]], None, "guard"]]
        return self.one_of([
            (3, lambda: [["line", f"{name}.append({x})"]]),
            (3, lambda: [["line", f"{name}.insert({self.small(-6, 8)}, {x})"]]),
            (2, lambda: [["line", f"{name}.remove({x})"]] if self.chance(0.08) else
                guard(f"{x} in {name}", f"{name}.remove({x})")),
            (3, lambda: [["line", f"{name}.sort({rng.choice(['', 'reverse=True', 'reverse=False'])})"]]),
            (2, lambda: [["line", f"{name}.reverse()"]]),
            (1, lambda: [["line", f"{name}.clear()"]] if self.chance(0.3) else None),
            # extend(a str) is not supported: the lists of str are extended by lists
            (2, lambda: [["line", f"{name}.extend({self.iterable(kind, ordered=True, chars=False)})"]]),
            (1, lambda: [["line", f"{name} += {self.rng.choice(self.names(self.vars[name]))}"]]),
            (2, lambda: guard(f"len({name}) > 0", f"{name}[{self.int_expr(1)} % len({name})] = {x}")),
            (1, lambda: guard(f"len({name}) > 0", f"{name}[{self.int_expr(1)} % len({name})] += {x}")),
            (1, lambda: guard(f"len({name}) > 0", f"{name}.pop({self.rng.choice(['', '0', '-1'])})")),
            (1, lambda: [self.define("idx", "i", f"({name}.index({x}) if {x} in {name} else -1)")[1]]),
            (1, lambda: [self.define("alias", self.vars[name], name)[1]]),
        ])

    def build_string(self):
        """A str grown with += in a loop over characters, words or a range."""
        rng = self.rng
        out, first = self.define("out", "s", self.lit(rng.choice(["", "", ">", "é"])))
        self.vars.pop(out)   # not read inside its own loop: keeps the growth linear
        source, var_kind = self.loop_source(rng.choice("sis"))
        v = self.g.fresh("c")
        local = self.local(v, var_kind)
        piece = {"s": lambda: rng.choice([local, f"{local}.upper()", f"{local}[::-1]", f"{local} + ','",
                                          self.str_expr(1)]),
                 "i": lambda: rng.choice([f"str({local})", f"f'{{{local}:02d}}'", self.str_expr(1)]),
                 "f": lambda: rng.choice([f"str({local})", f"f'{{{local}:.2f}}'"])}[var_kind[-1]]
        body = [["line", f"{out} += {piece()}"]]
        if var_kind == "s" and self.chance(0.4):
            body = [["block", f"if {local}.isalpha():", body, [["line", f"{out} += '-'"]]]]
        del self.locals[local]
        self.vars[out] = "s"
        return [first, ["block", f"for {v} in {source}:", body, None]]

    def branch(self):
        """A mutation under a condition; one that would define a variable is dropped (it might not run)."""
        defined = dict(self.vars)
        cond = self.bool_expr(2)
        body = self.mutate_set() or self.mutate_list() or self.mutate_dict()
        orelse = self.mutate_list() if self.chance(0.5) else None
        if not body or self.vars != defined:
            self.vars = defined
            return None
        return [["block", f"if {cond}:", body, orelse]]

    def match_block(self):
        """A match on an int or a str: literal, or, capture-with-guard and wildcard cases setting one variable."""
        rng = self.rng
        kind = rng.choice("is")
        subject = self.expr(kind, 1)
        literal = (lambda: str(rng.randint(-2, 6))) if kind == "i" else (lambda: self.lit(rng.choice(WORDS[:12])))
        out, first = self.define("m", "i", "0")
        self.vars.pop(out)  # not read inside its own cases
        cases = []
        for _ in range(rng.randint(1, 3)):
            pattern = rng.choice([literal(), f"{literal()} | {literal()}"])
            cases.append(["block", f"case {pattern}:", [["line", f"{out} = {self.int_expr(1)}"]], None])
        if self.chance(0.5):
            name = self.g.fresh("c")
            self.locals[name] = kind
            guard = f"len({name}) > 1" if kind == "s" else f"{name} > 2"
            cases.append(["block", f"case {name} if {guard}:", [["line", f"{out} = {self.int_expr(1)}"]], None])
            del self.locals[name]
        if self.chance(0.6):
            cases.append(["block", "case _:", [["line", f"{out} = {self.int_expr(1)}"]], None])
        self.vars[out] = "i"
        return [first, ["block", f"match {subject}:", cases, None]]

    # ---- results ------------------------------------------------------------------

    def returns(self):
        rng = self.rng
        containers = [n for n, t in self.vars.items() if t[:3] in ("set", "lis", "dic", "ite")]
        scalars = [n for n, t in self.vars.items() if t in ("i", "f", "b", "s")]
        out = []
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            if containers and r < 0.5:
                out.append(rng.choice(containers))
            elif scalars and r < 0.8:
                out.append(rng.choice(scalars))
            else:
                out.append(self.expr(rng.choice("iifsb"), 2))
        return list(dict.fromkeys(out))


def _args(rng, c):
    """Parameters and their specs: strs, a small int, a float, a 1-D array, a list, a set."""
    params, args = [], []
    for k in range(rng.choice([0, 1, 1, 2])):
        params.append(f"s{k}")
        args.append({"kind": "scalar", "type": None, "value": c.text()})
        c.vars[params[-1]] = "s"
    if rng.random() < 0.4:
        params.append("n0")
        args.append({"kind": "scalar", "type": None, "value": rng.choice([0, 1, 2, 3, 5, 7, -2, 12])})
        c.vars["n0"] = "i"
    if rng.random() < 0.25:
        params.append("x0")
        args.append({"kind": "scalar", "type": None, "value": rng.choice([0.5, -2.25, 3.0, 0.0, 1.125])})
        c.vars["x0"] = "f"
    if rng.random() < 0.45:
        dtype = rng.choice(list(ARRAY_DTYPES))
        shape = (rng.choice([0, 1, 2, 3, 5, 8]),)
        params.append("a0")
        # Nice values only (no NaN or inf: its elements go into sets).
        args.append(arguments.array_spec(rng, dtype, shape, 0.0, False))
        c.arrays["a0"] = ARRAY_DTYPES[dtype]
    if rng.random() < 0.1:
        kind = rng.choice("is")
        items = [rng.randint(-3, 6) if kind == "i" else rng.choice(WORDS[:14]) for _ in range(rng.randint(1, 4))]
        params.append("l0")
        args.append(arguments.raw_spec(repr(items)))   # reflected: its changes show in the caller's list
        c.vars["l0"] = f"list_{kind}"
    if rng.random() < 0.1:
        kind = rng.choice("is")
        items = {rng.randint(-3, 6) if kind == "i" else rng.choice(WORDS[:14]) for _ in range(rng.randint(1, 4))}
        params.append("z0")
        args.append(arguments.raw_spec(repr(items)))   # reflected too: adds and removals show in the caller's set
        c.vars["z0"] = f"set_{kind}"
    return params, args


def containers_case(rng, g):
    """(params, body, returns, args) of one kernel of this family."""
    c = Containers(rng, g)
    params, args = _args(rng, c)
    body = []
    for _ in range(rng.randint(2, 7)):
        body.extend(c.statements())
    return params, body, c.returns(), args


def _constant_condition(text):
    """A condition made only of True, False, and, or, not and parentheses."""
    words = text.replace("(", " ").replace(")", " ").split()
    return all(w in ("True", "False", "and", "or", "not") for w in words)
