"""The times family: NumPy datetime64 and timedelta64 values in compiled code.

A kernel takes datetime and timedelta scalars and arrays (one shape per
case, 1-D or 2-D, any layout) of the units Y M W D h m s ms us ns, and int
and float counts (Python's or NumPy's), and combines them by NumPy's rules:
td+td, dt+td, td+dt, dt-td, dt-dt, integers as counts (dt+int, td-int...),
td*int, int*td, td*float, td/int, td/float, td//int, td%td, -td, abs(td),
np.maximum/minimum/fmax/fmin, max/min, astype between units, copies and
reshapes, np.datetime64/np.timedelta64 made in the kernel (from counts, ISO
text, 'NaT', another time value); elementwise with scalars broadcast, and
in loops over elements (stores into np.empty/np.zeros arrays of another
unit, integers stored as counts, a timedelta accumulator, a counter under
a comparison); arrays updated in place (x += td, x //= 2) or by slice
(x[::2] = e), scalars replaced under a condition, np.sort, a.sort().
Values that are not times (comparisons, np.isnat, td/td, td//td, astype to
int64 or float64, np.argsort) are returned, not computed with.

Why: units mix into the finer one, datetimes in years or months meet finer
units through the calendar, stores and astype floor, and NaT propagates (or
not: td//td gives 0, np.fmax skips it). Counts are drawn where this breaks:
NaT, leap days, year ends, before 1970, spans of days and years, large.

Every operation is first tried by NumPy on prototypes (a count of 1 of each
dtype), so the generator knows every result's dtype and writes only what
NumPy accepts; in a tenth of the cases it plants one statement NumPy
refuses with TypeError, and the kernel must then be refused with a located
TypingError. NumPy wraps int64 silently where units convert, so every value
carries a bound on its magnitude in seconds and no operation is written
whose operands or result could pass 2**62 counts of its unit. Not drawn
(deliberate differences): max/min of two units (Python returns the winner
in its own unit, which no static type holds), np.argsort of arrays with
ties (NumPy's sort is not stable), np.datetime64 of a NumPy integer (NumPy
raises ValueError, numjit takes the count), td / 0.0 and td * inf (a float
to int64 cast C leaves undefined).
"""
import math
import warnings

import numpy as np

from tests.fuzz import arguments

UNITS = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns"]
SECONDS = {"Y": 31556952.0, "M": 2629746.0, "W": 604800.0, "D": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0,
           "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
NAT = -2**63
LIMIT = 2.0**62                      # counts a value may reach in its unit (int64 wraps at 2**63)
LARGE = {"Y": 10**5, "M": 10**6, "W": 10**6, "D": 10**7, "h": 10**8}   # finer units: 2**40
MOMENTS = ["1970-01-01", "2000-02-29T23:59:59", "2000-03-01", "1900-02-28T12:30", "1900-03-01", "2100-02-28",
           "1969-12-31T23:59:59.999", "1999-12-31T23:59:59.999999999", "2020-12-31T23", "1600-01-01",
           "2400-02-29", "1677-09-22", "2262-04-11", "1752-09-14", "2038-01-19T03:14:07", "1582-10-15", "-0044-03-15"]
SPANS = [1.0, 60.0, 86400.0, 604800.0, 2629746.0, 31556952.0, 126230400.0, 2.0**31, 12622780800.0, 1e9]
ISO = ["2020-03-04T05:06", "2000-02-29", "1969-12-31T23:59:59", "2024-12-31T23:59:59.125", "1900-01-01", "2020-03",
       "2038-01-19T03:14:07.999999", "1600", "-0001-12-31T23", "1969-12-31T23:59:59.999999999"]
INTS = ["0", "1", "-1", "2", "3", "-7", "365", "1000"]
FLOATS = ["0.5", "1.5", "-2.25", "3.0", "0.1", "-0.75"]
# (template, operand kinds, bound rule): M datetime, m timedelta, i integer count, f float.
ARITHMETIC = [("{} + {}", "mm", "sum"), ("{} + {}", "Mm", "sum"), ("{} + {}", "mM", "sum"), ("{} - {}", "mm", "sum"),
              ("{} - {}", "Mm", "sum"), ("{} - {}", "MM", "sum"), ("{} + {}", "Mi", "sum"), ("{} - {}", "Mi", "sum"),
              ("{} + {}", "mi", "sum"), ("{} - {}", "mi", "sum"), ("{} + {}", "iM", "sum"),
              ("{} * {}", "mi", "product"), ("{} * {}", "im", "product"), ("{} * {}", "mf", "product"),
              ("{} / {}", "mi", "quotient"), ("{} / {}", "mf", "quotient"), ("{} // {}", "mi", "quotient"),
              ("{} % {}", "mm", "largest"), ("-{}", "m", "largest"), ("abs({})", "m", "largest"),
              ("np.maximum({}, {})", "MM", "largest"), ("np.minimum({}, {})", "mm", "largest"),
              ("np.fmax({}, {})", "mm", "largest"), ("np.fmin({}, {})", "MM", "largest")]
TERMINAL = [("{} CMP {}", "MM"), ("{} CMP {}", "mm"), ("{} CMP {}", "mi"), ("np.isnat({})", "M"),
            ("np.isnat({})", "m"), ("{} / {}", "mm"), ("{} // {}", "mm"), ("{}.astype(np.int64)", "M"),
            ("{}.astype(np.float64)", "m")]
# Slice stores x[part] = e[source] (parts of equal lengths).
SLICES_1D = [("[::2]", "[::2]"), ("[1:]", "[:-1]"), ("[:-1]", "[1:]"), ("[::-1]", "[:]"), ("[:]", "[::-1]")]
SLICES_2D = [("[::2]", "[::2]"), ("[:, 1:]", "[:, :-1]"), ("[::-1, ::-1]", "[:]"), ("[:]", "[:]")]
# Combinations NumPy refuses (planted), most of them always, some for some units.
REFUSED = [("{} + {}", "MM"), ("{} * {}", "Mi"), ("{} * {}", "mm"), ("{} + {}", "mm"), ("{} - {}", "mM"),
           ("{} < {}", "Mi"), ("{} + {}", "mf"), ("{} % {}", "Mm"), ("{} - {}", "Mm"), ("{} / {}", "Mi")]


def draw_count(rng, kind, unit, nat_rate):
    """A count of ``unit`` for a datetime ('M') or timedelta ('m'): NaT, small,
    near a leap day or a year end (datetimes), a span (timedeltas), or large."""
    r = rng.random()
    if r < nat_rate:
        return NAT
    if r < 0.45:
        return rng.randint(-30, 30)
    if r < 0.8 and kind == "M":
        moment = np.datetime64(rng.choice(MOMENTS))
        if abs((moment - np.datetime64(0, "s")) / np.timedelta64(1, "s")) / SECONDS[unit] < 2.0**61:
            return int(moment.astype(f"M8[{unit}]").astype(np.int64)) + rng.randint(-2, 2)
    elif r < 0.8:
        count = rng.choice(SPANS) // SECONDS[unit]
        if count < 2.0**61:
            return int(count) * rng.choice([1, -1]) + rng.randint(-1, 1)
    return rng.randint(-LARGE.get(unit, 2**40), LARGE.get(unit, 2**40))


def _dtype(proto):
    return np.asarray(proto).dtype


def _unit(proto):
    return np.datetime_data(_dtype(proto))[0]


def _kind(proto):
    """'M', 'm', 'i', 'f' or 'b'."""
    return {"u": "i"}.get(_dtype(proto).kind, _dtype(proto).kind)


def _one(dtype):
    """A count of 1 of a time dtype (a prototype may be NaT, which NumPy converts where it refuses numbers)."""
    return np.ones((), np.int64).view(dtype)[()]


def _numpy(code, namespace, statement=False):
    """NumPy's value of ``code`` on prototypes (True for a statement), or None where NumPy refuses it."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if statement:
                exec(code, {"np": np, **namespace})
                return True
            return eval(code, {"np": np, **namespace})
    except Exception:
        return None


class Times:
    """One kernel's statements; expressions are (code, prototype, bound in seconds)."""

    def __init__(self, rng, g, shape):
        self.rng, self.g, self.shape = rng, g, shape
        self.protos = {}                 # name -> prototype (a count of 1 of its dtype; 1 or 1.5 for numbers)
        self.values = {}                 # time value's code -> bound in seconds
        self.numbers = {}                # count's name -> bound on its magnitude
        self.distinct = []               # 1-D arguments without ties (np.argsort is unique)
        self.results, self.body = [], []

    def proto(self, kind, unit, array):
        count = np.ones((2,) * len(self.shape) if array else (), np.int64).view(f"{kind}8[{unit}]")
        return count if array else count[()]

    def eval(self, code):
        return _numpy(code, self.protos)

    def fits(self, result, operands):
        """No operand converted to the result's unit, and not the result, passes LIMIT counts."""
        unit = SECONDS[_unit(result[1])]
        return all(b / unit < LIMIT for b in [result[2]] + [o[2] for o in operands if _kind(o[1]) in "mM"])

    @staticmethod
    def bound(rule, operands, result):
        times = [o[2] for o in operands if _kind(o[1]) in "mM"]
        numbers = [o[2] for o in operands if _kind(o[1]) in "if"]
        if rule == "sum":
            return sum(times) + sum(numbers) * SECONDS[_unit(result)]
        if rule == "product":
            return times[0] * numbers[0]
        return times[0] * 10.0 if rule == "quotient" else max(times)   # divisors: 0, or at least 0.1

    def leaf(self, scope, kind=None):
        options = [(code, b) for code, b in scope.items() if kind in (None, _kind(self.eval(code)))]
        if options and self.rng.random() < 0.8:
            code, b = self.rng.choice(options)
            return code, self.eval(code), b
        return self.constructor(scope, kind)

    def number(self, kind, plain=False):
        """An int or float count (``plain``: a Python int, as np.datetime64(np.int64(5), 's') raises)."""
        names = [n for n in self.numbers if _kind(self.protos[n]) == kind
                 and not (plain and isinstance(self.protos[n], np.generic))]
        if names and self.rng.random() < 0.5:
            name = self.rng.choice(names)
            return name, self.protos[name], self.numbers[name]
        code = self.rng.choice(INTS if kind == "i" else FLOATS)
        return code, self.eval(code), abs(float(code))

    def constructor(self, scope, kind=None):
        rng = self.rng
        kind, unit, r = kind or rng.choice("Mm"), rng.choice(UNITS), rng.random()
        ctor = "np.datetime64" if kind == "M" else "np.timedelta64"
        if r < 0.1:
            return f"{ctor}('NaT', '{unit}')", self.proto(kind, unit, False), 0.0
        if r < 0.45 and kind == "M":
            text = rng.choice(ISO)
            span = abs((np.datetime64(text) - np.datetime64(0, "s")) / np.timedelta64(1, "s")) + SECONDS[unit]
            code = f"{ctor}('{text}', '{unit}')"
            if self.eval(code) is not None and span / SECONDS[unit] < LIMIT:
                return code, self.eval(code), span
        scalars = [(c, b) for c, b in scope.items() if _kind(self.eval(c)) == kind and np.ndim(self.eval(c)) == 0]
        if r < 0.6 and scalars:   # another datetime or timedelta, in this unit
            inner, b = rng.choice(scalars)
            proto = _numpy(f"{ctor}(one, '{unit}')", {"one": _one(_dtype(self.eval(inner)))})
            if proto is not None and b / SECONDS[unit] < LIMIT:
                return f"{ctor}({inner}, '{unit}')", proto, b + SECONDS[unit]
        count, _, b = self.number("i", plain=kind == "M")
        return f"{ctor}({count}, '{unit}')", self.proto(kind, unit, False), b * SECONDS[unit]

    def operand(self, letter, scope, depth):
        if letter in "if":
            return self.number(letter)
        nested = depth > 0 and self.rng.random() < 0.5
        return self.expr(scope, depth - 1, letter) if nested else self.leaf(scope, letter)

    def expr(self, scope, depth=2, kind=None):
        """A datetime or timedelta expression (of ``kind`` if given) NumPy
        accepts and whose values stay within LIMIT counts."""
        rng = self.rng
        for _ in range(12):
            r = rng.random()
            if r < 0.15:
                return self.leaf(scope, kind)
            if r < 0.25:   # astype, copies and reshapes of arrays
                code, proto, b = self.leaf(scope, kind)
                unit = rng.choice(UNITS)
                if np.ndim(proto):
                    form = rng.choice([f"{code}.astype('{_kind(proto)}8[{unit}]')", f"{code}.copy()",
                                       f"{code}.ravel().reshape({code}.shape)" if len(self.shape) > 1 else
                                       f"{code}.copy().reshape(({code}.size, 1)).ravel()"])
                    result = (form, self.eval(form), b + SECONDS[unit])
                    if result[1] is not None and self.fits(result, []):
                        return result
                continue
            if r < 0.32:   # builtins: one dtype only
                first = self.leaf(scope, kind)
                same = [c for c in scope if c != first[0] and np.ndim(self.eval(c)) == 0
                        and _dtype(self.eval(c)) == _dtype(first[1])]
                if np.ndim(first[1]) == 0 and same:
                    other = rng.choice(same)
                    return f"{rng.choice(['max', 'min'])}({first[0]}, {other})", first[1], max(first[2], scope[other])
                continue
            template, letters, rule = rng.choice(ARITHMETIC)
            operands = [self.operand(letter, scope, depth) for letter in letters]
            code = "(" + template.format(*(o[0] for o in operands)) + ")"
            proto = self.eval(code)
            if proto is not None and _kind(proto) in (kind or "mM"):
                result = (code, proto, self.bound(rule, operands, proto))
                if self.fits(result, operands):
                    return result
        return self.leaf(scope, kind)

    def terminal(self, scope):
        """(code, prototype) of a value that is not a time: a comparison, np.isnat, td/td..."""
        for _ in range(12):
            template, letters = self.rng.choice(TERMINAL)
            operands = [self.operand(letter, scope, 1) for letter in letters]
            code = template.format(*(o[0] for o in operands)).replace("CMP", self.rng.choice(["<", "<=", ">", ">=",
                                                                                               "==", "!="]))
            proto = self.eval(code)
            if proto is None or (".astype" in code and np.ndim(operands[0][1]) == 0):
                continue   # (scalars have no astype in compiled code)
            common = self.eval(f"{operands[0][0]} - {operands[-1][0]}") if letters in ("MM", "mm") else None
            if letters in ("MM", "mm") and (common is None or not self.fits((code, common, 0.0), operands)):
                continue
            return code, proto
        return None, None

    def assign(self, prefix, code, proto, b=None):
        name = self.g.fresh(prefix)
        self.body.append(["line", f"{name} = {code}"])
        self.protos[name] = proto
        if b is None or self.rng.random() < 0.6:
            self.results.append(name)
        if b is not None:
            self.values[name] = b
        return name

    def statement(self):
        r = self.rng.random()
        if r < 0.4:
            self.assign("t", *self.expr(self.values))
        elif r < 0.6:
            code, proto = self.terminal(self.values)
            if code:
                self.assign("r", code, proto)
        elif r < 0.67:
            self.sort()
        elif r < 0.8:
            self.update()
        elif self.shape is not None and len(self.shape) == 1:
            self.loop()

    def update(self):
        """An array's copy updated in place (NumPy casts back to its unit) or by
        slice, or a scalar replaced under a condition by a value of its dtype."""
        rng = self.rng
        code, proto, b = self.expr(self.values, 1)
        name = self.assign("t", f"{code}.copy()" if np.ndim(proto) else code, proto, b)
        if np.ndim(proto) and rng.random() < 0.4:
            part, source = rng.choice(SLICES_1D if len(self.shape) == 1 else SLICES_2D)
            code, value, bound = self.expr(self.values, 1, _kind(proto))   # may be the array itself: overlap
            part_of = source if np.ndim(value) else ""
            sample = value if np.ndim(value) else _one(_dtype(value))
            if _numpy(f"x{part} = y{part_of}", {"x": proto.copy(), "y": sample}, True) and \
                    bound / SECONDS[_unit(proto)] < LIMIT:
                self.body.append(["line", f"{name}{part} = {code}{part_of}"])
                self.values[name] = max(b, bound + SECONDS[_unit(proto)])
        elif np.ndim(proto):
            op, letter = rng.choice([("+=", "m"), ("-=", "m"), ("+=", "i"), ("*=", "i"), ("*=", "f"), ("//=", "i")])
            operand = self.operand(letter, self.values, 1)
            result = self.eval(f"{name} {op[:-1]} {operand[0]}")
            bound = self.bound({"+=": "sum", "-=": "sum", "*=": "product"}.get(op, "quotient"),
                               [(name, proto, b), operand], result) if result is not None else 0.0
            if _numpy(f"x {op} y", {"x": proto.copy(), "y": operand[1]}, True) and \
                    self.fits((code, result, bound), [operand]):
                self.body.append(["line", f"{name} {op} {operand[0]}"])
                self.values[name] = bound
        else:
            test, condition = self.terminal(self.values)
            other = self.expr(self.values, 1, _kind(proto))
            if test and np.ndim(condition) == 0 and _kind(condition) == "b" and np.ndim(other[1]) == 0 \
                    and _dtype(other[1]) == _dtype(proto):
                self.body.append(["block", f"if {test}:", [["line", f"{name} = {other[0]}"]], None])
                self.values[name] = max(b, other[2])
        self.results.append(name)

    def sort(self):
        arrays = [c for c in self.values if np.ndim(self.eval(c)) == 1]
        if self.distinct and self.rng.random() < 0.3:
            self.assign("r", f"np.argsort({self.rng.choice(self.distinct)})", np.array([0]))
        elif arrays:
            source = self.rng.choice(arrays)
            in_place = self.rng.random() < 0.5
            name = self.assign("t", f"{source}.copy()" if in_place else f"np.sort({source})", self.protos[source],
                               self.values[source])
            if in_place:
                self.body.append(["line", f"{name}.sort()"])
            self.results.append(name)

    def loop(self):
        """for i in range(n): a store into a new array, an accumulator, a counter."""
        rng, g = self.rng, self.g
        arrays = [c for c in self.values if np.ndim(self.eval(c)) == 1]
        if not arrays:
            return
        n, i, out, acc, count = g.fresh("n"), g.fresh("i"), g.fresh("out"), g.fresh("acc"), g.fresh("count")
        self.protos[n], self.protos[i] = 2, 1
        self.numbers[i] = self.numbers[n] = 1000.0   # sizes stay at most 1000
        scope = {c: b for c, b in self.values.items() if np.ndim(self.eval(c)) == 0}
        scope.update({f"{a}[{i}]": self.values[a] for a in arrays})
        body, inner = [["line", f"{n} = {arrays[0]}.shape[0]"]], []
        code, proto, b = self.expr(scope, 2)
        unit, kind = rng.choice([_unit(proto), rng.choice(UNITS)]), _kind(proto)
        if rng.random() < 0.15:   # an integer stored is a count
            (code, proto, b), kind = self.number("i"), rng.choice("Mm")
            b *= SECONDS[unit]
        sample = _one(_dtype(proto)) if _kind(proto) in "mM" else proto
        if _numpy("x[0] = y", {"x": np.zeros(2, f"{kind}8[{unit}]"), "y": sample}, True) and \
                b / SECONDS[unit] < LIMIT:
            body.append(["line", f"{out} = {rng.choice(['np.empty', 'np.zeros'])}({n}, '{kind}8[{unit}]')"])
            inner.append(["line", f"{out}[{i}] = {code}"])
            self.results.append(out)
        code, proto, b = self.expr(scope, 1, "m")
        if _kind(proto) == "m" and b * 1000.0 / SECONDS[_unit(proto)] < LIMIT:
            body.append(["line", f"{acc} = np.timedelta64(0, '{_unit(proto)}')"])
            inner.append(["line", f"{acc} += {code}"])
            self.results.append(acc)
        test, proto = self.terminal(scope)
        if test and np.ndim(proto) == 0 and _kind(proto) == "b":
            body.append(["line", f"{count} = 0"])
            inner.append(["block", f"if {test}:", [["line", f"{count} += 1"]], None])
            self.results.append(count)
        del self.numbers[i]
        self.body.extend(body + [["block", f"for {i} in range({n}):", inner, None]])

    def plant(self):
        """A statement NumPy refuses with TypeError (the note), or None."""
        for _ in range(20):
            template, letters = self.rng.choice(REFUSED)
            operands = [self.operand(letter, self.values, 0) for letter in letters]
            code = template.format(*(o[0] for o in operands))
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    eval(code, {"np": np, **self.protos})
            except TypeError:
                self.body.insert(self.rng.randint(0, len(self.body)), ["line", f"{self.g.fresh('bad')} = {code}",
                                                                       "planted"])
                return f"NumPy refuses {template.format(*(str(_dtype(o[1])) for o in operands))}"
            except Exception:
                pass
        return None


def times_case(rng, g):
    """(params, body, returns, args, expect, note) of one kernel of this family."""
    shape = None if rng.random() < 0.2 else arguments.draw_shape(rng, 1 if rng.random() < 0.8 else 2, big=True)
    times, units = Times(rng, g, shape), rng.sample(UNITS, rng.randint(1, 3))
    nat_rate = rng.choice([0.0, 0.0, 0.05, 0.2, 0.6])
    params, args = [], []
    arrays = [True] * (rng.randint(1, 3) if shape else 0) + [False] * rng.randint(0 if shape else 1, 2)
    for k, array in enumerate(arrays):
        name, kind, unit = f"{'as'[not array]}{k}", rng.choice("MMm"), rng.choice(units)
        if array:
            spec = arguments.array_spec(rng, "int64", shape, 0.0)   # its layout; counts and dtype follow
            counts = [draw_count(rng, kind, unit, nat_rate) for _ in spec["values"]]
            spec.update(dtype=f"{kind}8[{unit}]", values=counts)
        else:
            spec = {"kind": "scalar", "type": f"{kind}8[{unit}]", "value": draw_count(rng, kind, unit, nat_rate)}
        params.append(name)
        args.append(spec)
        counts = counts if array else [spec["value"]]
        times.protos[name] = times.proto(kind, unit, array)
        times.values[name] = max([abs(c) * SECONDS[unit] for c in counts if c != NAT] + [0.0])
        real = [c for c in counts if c != NAT]
        if array and len(shape) == 1 and len(set(real)) == len(real) >= len(counts) - 1:
            times.distinct.append(name)
    for k in range(rng.randint(0, 2)):   # counts: Python numbers, sometimes NumPy scalars
        if rng.random() < 0.65:
            value = rng.choice([0, 1, -1, 2, 5, -3, 100, 1000, rng.randint(-50, 50)])
            numpy_type = rng.choice([None, None, "int64", "int32", "int16", "uint16"])
            value = abs(value) if numpy_type == "uint16" else value
        else:
            value, numpy_type = rng.choice([0.5, 1.5, -2.5, 3.25, 0.1, math.nan]), rng.choice([None, None, "float32"])
        params.append(f"p{k}")
        args.append({"kind": "scalar", "type": numpy_type, "value": value})
        times.protos[f"p{k}"] = getattr(np, numpy_type)(1) if numpy_type else (1 if isinstance(value, int) else 1.5)
        times.numbers[f"p{k}"] = 0.0 if math.isnan(value) else abs(value)
    for _ in range(rng.randint(2, 6)):
        times.statement()
    note = times.plant() if rng.random() < 0.1 else None
    picked = list(dict.fromkeys(times.results))
    returns = rng.sample(picked, min(len(picked), rng.randint(1, 4)))
    if not returns or rng.random() < 0.3:
        returns.append(rng.choice(list(times.values) or params))
    return params, times.body, list(dict.fromkeys(returns)), args, "typing-error" if note else "run", note or ""
