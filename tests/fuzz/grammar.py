"""A seeded grammar of scalar code: expressions, statements and helpers.

Everything is typed by the *kind* the compiled code gives a value: 'b' bool,
'i' integer, 'f' float, 'c' complex, and 'u' for unsigned elements (see dtype_kind).
The grammar only writes programs that type-check in compiled code; bad
programs are made on purpose elsewhere (bad_programs.py). It keeps the
values of integer expressions from growing without bound (small literals,
exponents and shift counts), and never indexes out of bounds (loop indices
run over the array's own length; constant indices sit behind a length test).

A statement is ``["line", text]`` or ``["block", header, body, orelse]``
(orelse None or a list): a tree the shrinker can prune.
"""
MATH_F = ["sqrt", "exp", "log", "log10", "log2", "log1p", "expm1", "sin", "cos", "tan", "asin",
          "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "fabs", "erf", "erfc",
          "degrees", "radians"]
MATH_FF = ["atan2", "hypot", "copysign", "pow", "fmod"]
MATH_FI = ["floor", "ceil", "trunc"]
MATH_FB = ["isnan", "isinf", "isfinite"]
FLOAT_LITERALS = ["0.5", "1.5", "-2.25", "3.0", "0.1", "-0.0", "0.0", "10.0", "1e-3", "1e10"]
FLOAT_SPECIALS = ["math.nan", "math.inf", "-math.inf", "1e308", "1e-308", "5e-324", "-1e308"]
INT_SPECIALS = ["9223372036854775807", "-9223372036854775808", "2147483648", "4294967295"]


def dtype_kind(dtype):
    """Unsigned elements are 'u': Numba computes unsigned arithmetic in uint64
    (uint8 + uint8 is a uint64, -uint8(5) is 251) and a uint64 meeting an
    int64 becomes float64, so they only meet floats and comparisons."""
    if dtype == "bool":
        return "b"
    return {"i": "i", "u": "u", "f": "f", "c": "c"}[dtype[0]]


def element_reads(name, ndim, i, j, n, m):
    """In-bounds reads of array `name` in a loop over its rows (index i, and j
    over columns for 2-D): the row's own element and two mirrored ones."""
    if ndim == 1:
        return [f"{name}[{i}]", f"{name}[{n} - 1 - {i}]", f"{name}[-1 - {i}]"]
    return [f"{name}[{i}, {j}]", f"{name}[-1 - {i}, {j}]", f"{name}[{i}, {m} - 1 - {j}]"]


class Scope:
    """What an expression may use at one point of the program."""

    def __init__(self, variables=None, elements=None, tuples=None, arrays=None):
        self.variables = dict(variables or {})   # name -> kind
        self.elements = list(elements or [])     # (code of an in-bounds element read, kind)
        self.tuples = dict(tuples or {})         # name -> [kinds]
        self.arrays = dict(arrays or {})         # name -> (dtype, ndim, writable)

    def child(self):
        return Scope(self.variables, self.elements, self.tuples, self.arrays)

    def of_kind(self, kind):
        return [n for n, k in self.variables.items() if k == kind]


class Grammar:
    def __init__(self, rng, max_depth=3):
        self.rng = rng
        self.max_depth = max_depth
        self.names = 0
        self.helpers = []      # (name, [param kinds], return kind, source)
        self.in_loop = 0

    def fresh(self, prefix):
        self.names += 1
        return f"{prefix}{self.names}"

    def chance(self, p):
        return self.rng.random() < p

    # ---- expressions ---------------------------------------------------

    def leaf(self, kind, scope):
        rng = self.rng
        options = [n for n in scope.of_kind(kind)]
        options += [code for code, k in scope.elements if k == kind] * 2
        options += [f"{t}[{i}]" for t, kinds in scope.tuples.items() for i, k in enumerate(kinds) if k == kind]
        if kind == "i":
            options += [f"len({t})" for t in scope.tuples]
        if options and rng.random() < 0.75:
            return rng.choice(options)
        if kind == "b":
            return rng.choice(["True", "False"])
        if kind == "i":
            if self.chance(0.04):
                return rng.choice(INT_SPECIALS)
            return str(rng.randint(-5, 9))
        if kind == "f":
            return rng.choice(FLOAT_SPECIALS) if self.chance(0.08) else rng.choice(FLOAT_LITERALS)
        if kind == "c":
            return rng.choice(["1j", "(1+2j)", "(-0.5+0.25j)", "(2-1j)", "0j"])
        u = [code for code, k in scope.elements if k == "u"]
        return rng.choice(u) if u else "1.0"

    def expr(self, kind, scope, depth=None):
        depth = self.max_depth if depth is None else depth
        if depth <= 0 or self.chance(0.3):
            return self.leaf(kind, scope)
        d = depth - 1
        return getattr(self, f"_expr_{kind}")(scope, d)

    def _num(self, scope, d, kinds="iff"):
        return self.expr(self.rng.choice(kinds), scope, d)

    def _expr_i(self, scope, d):
        rng, e = self.rng, lambda k="i": self.expr(k, scope, d)
        r = rng.random()
        if r < 0.40:
            return f"({e()} {rng.choice(['+', '-', '*', '//', '%', '&', '|', '^', '+', '-', '*'])} {e()})"
        if r < 0.46:
            return f"({e()} ** {rng.choice([0, 1, 2, 2, 3])})"
        if r < 0.50:
            return f"({e()} {rng.choice(['<<', '>>'])} {rng.randint(0, 6)})"
        if r < 0.56:
            return f"({rng.choice(['-', '~', '+'])}{e()})"
        if r < 0.62:
            return self._minmax_abs("i", scope, d)
        if r < 0.70:
            return f"int({self.expr(rng.choice('fb'), scope, d)})"
        if r < 0.76:
            return f"{rng.choice(['round', 'math.floor', 'math.ceil', 'math.trunc'])}({e('f')})"
        if r < 0.82:
            return f"({e()} if {e('b')} else {e()})"
        if r < 0.86:
            return f"({e('b')} + {e()})"
        if r < 0.90:
            return f"len(({e()}, {e()}))"
        return self.call_helper("i", scope, d) or f"({e()} - {e()})"

    def _minmax_abs(self, kind, scope, d):
        e = lambda: self.expr(kind, scope, d)
        if self.chance(0.35):
            return f"abs({e()})"
        return f"{self.rng.choice(['min', 'max'])}({e()}, {e()})"

    def _expr_f(self, scope, d):
        rng, e = self.rng, lambda k="f": self.expr(k, scope, d)
        r = rng.random()
        if r < 0.34:
            left, right = self._num(scope, d), e()
            if self.chance(0.5):
                left, right = right, left
            return f"({left} {rng.choice(['+', '-', '*', '/', '//', '%', '**', '+', '*', '/'])} {right})"
        if r < 0.38:
            return f"({e('i')} / {e('i')})"
        if r < 0.42:
            return f"(-{e()})"
        if r < 0.56:
            return f"math.{rng.choice(MATH_F)}({e()})"
        if r < 0.62:
            return f"math.{rng.choice(MATH_FF)}({e()}, {self._num(scope, d)})"
        if r < 0.66:
            return f"float({self.expr(rng.choice('ib'), scope, d)})"
        if r < 0.72:
            return self._minmax_abs("f", scope, d)
        if r < 0.78:
            return f"({e()} if {e('b')} else {e()})"
        if r < 0.84:
            c = e("c")
            return rng.choice([f"({c}).real", f"({c}).imag", f"abs({c})"])
        if r < 0.88:
            u = [code for code, k in scope.elements if k == "u"]
            if u:
                return rng.choice([f"({rng.choice(u)} * 1.5)", f"float({rng.choice(u)})", f"({rng.choice(u)} / 2)",
                                   f"({rng.choice(u)} + {e()})"])
        if r < 0.8805:
            # A literal negative exponent: Python's float in compiled code too (and 0 raises)
            return f"({e('i')} ** -{rng.randint(1, 2)})"
        if r < 0.91:
            return f"round({e()}, {rng.randint(0, 3)})"
        return self.call_helper("f", scope, d) or f"({e()} * {e('i')})"

    def _expr_c(self, scope, d):
        rng, e = self.rng, lambda k="c": self.expr(k, scope, d)
        r = rng.random()
        if r < 0.45:
            left, right = e(), self.expr(rng.choice("cfi"), scope, d)
            if self.chance(0.5):
                left, right = right, left
            return f"({left} {rng.choice(['+', '-', '*', '/'])} {right})"
        if r < 0.52:
            return f"({e()} ** 2)"
        if r < 0.58:
            return f"(-{e()})"
        if r < 0.72:
            return f"complex({e('f')}, {e('f')})" if self.chance(0.5) else f"complex({self._num(scope, d, 'if')})"
        if r < 0.80:
            return f"({e()} if {e('b')} else {e()})"
        if r < 0.88:
            return f"{e()}.conjugate()"
        return self.call_helper("c", scope, d) or f"({e()} * {e()})"

    def _expr_b(self, scope, d):
        rng, e = self.rng, lambda k="b": self.expr(k, scope, d)
        r = rng.random()
        if r < 0.38:
            left = self._num(scope, d, 'iif')
            op = rng.choice(['<', '<=', '>', '>=', '==', '!='])
            return f"({left} {op} {self._num(scope, d, 'iff')})"
        if r < 0.44:
            return f"({e('c')} {rng.choice(['==', '!='])} {e('c')})"
        if r < 0.50:
            return f"(not {e()})"
        if r < 0.60:
            return f"({e()} {rng.choice(['and', 'or', '&', '|', '^'])} {e()})"
        if r < 0.72:
            return f"math.{rng.choice(MATH_FB)}({e('f')})"
        if r < 0.80:
            return f"bool({self._num(scope, d, 'if')})"
        if r < 0.86:
            u = [code for code, k in scope.elements if k == "u"]
            if u:
                return f"({rng.choice(u)} {rng.choice(['<', '>=', '=='])} {self.expr('i', scope, d)})"
        return self.call_helper("b", scope, d) or f"({e()} != {e()})"

    # ---- helpers -------------------------------------------------------

    def make_helper(self, ret_kind):
        """A small jitted function of one or two scalars, called from the kernel."""
        name = self.fresh("helper")
        kinds = [self.rng.choice("iffbc") for _ in range(self.rng.randint(1, 2))]
        params = [f"{name}_p{i}" for i in range(len(kinds))]
        scope = Scope(dict(zip(params, kinds)))
        body = self.expr(ret_kind, scope, 2)
        source = f"@njit\ndef {name}({', '.join(params)}):\n    return {body}\n"
        self.helpers.append((name, kinds, ret_kind, source))
        return self.helpers[-1]

    def make_recursive(self):
        """Self recursion (depth small, or huge so both sides raise RecursionError)."""
        name = self.fresh("rec")
        base = self.rng.choice(["0", "1", "0.5"])
        step = self.rng.choice([f"n + {name}(n - 1)", f"{name}(n - 1) * 2 % 1000003", f"1 + {name}(n - 2)"])
        source = (f"@njit\ndef {name}(n):\n    if n <= 0:\n        return {base}\n    return {step}\n")
        self.helpers.append((name, ["i"], "f" if "." in base else "i", source))
        return name

    def make_mutual(self):
        even, odd = self.fresh("is_even"), self.fresh("is_odd")
        source = (f"@njit\ndef {even}(n):\n    return True if n == 0 else {odd}(n - 1)\n\n\n"
                  f"@njit\ndef {odd}(n):\n    return False if n == 0 else {even}(n - 1)\n")
        self.helpers.append((even, ["i"], "b", source))
        return even

    def call_helper(self, kind, scope, d):
        if self.in_loop > 1 or not self.chance(0.5):
            return None
        fitting = [h for h in self.helpers if h[2] == kind and len(h[1]) <= 2 and not h[0].startswith(("rec", "is_"))]
        if not fitting and len(self.helpers) < 4:
            fitting = [self.make_helper(kind)]
        if not fitting:
            return None
        name, kinds, _, _ = self.rng.choice(fitting)
        return f"{name}({', '.join(self.expr(k, scope, min(d, 1)) for k in kinds)})"

    def recursion_call(self, scope):
        if self.chance(0.5):
            name = self.make_recursive()
        else:
            name = self.make_mutual()
        depth = self.rng.choice([f"min(abs({self.expr('i', scope, 1)}), 200)", "100000000", "3", "0"])
        return name, f"{name}({depth})"

    # ---- statements ----------------------------------------------------

    def assign(self, scope, new=True):
        """A fresh variable (new) or an update of an existing one."""
        rng = self.rng
        fixed = ("n_", "m_", "i_", "j_", "w_")   # lengths and loop counters stay as they are
        existing = [n for n, k in scope.variables.items() if k in "ifcb" and not n.startswith(fixed)]
        if existing and (not new or self.chance(0.4)):
            name = rng.choice(existing)
            kind = scope.variables[name]
            ops = {"i": ["+=", "-=", "*=", "//=", "%=", "&=", "|=", "^="], "f": ["+=", "-=", "*=", "/="],
                   "c": ["+=", "-=", "*="], "b": ["&=", "|=", "^="]}[kind]
            if self.chance(0.6):
                return ["line", f"{name} {rng.choice(ops)} {self.expr(kind, scope)}"]
            return ["line", f"{name} = {self.expr(kind, scope)}"]
        kind = rng.choice("iiffffbc")
        name = self.fresh({"i": "k", "f": "x", "b": "flag", "c": "z"}[kind])
        text = f"{name} = {self.expr(kind, scope)}"
        scope.variables[name] = kind
        return ["line", text]

    def tuple_stmt(self, scope):
        kinds = [self.rng.choice("iifb") for _ in range(self.rng.randint(2, 3))]
        name = self.fresh("t")
        text = f"{name} = ({', '.join(self.expr(k, scope, 1) for k in kinds)})"
        scope.tuples[name] = kinds
        return ["line", text]

    def list_stmt(self, scope):
        """A list built and appended to; appending a float to a list of ints
        is refused by Numba but Python (and the issue) expect it to work."""
        name, total = self.fresh("lst"), self.fresh("x")
        first, second = self.rng.choice("if"), self.rng.choice("iff")
        lines = [["line", f"{name} = [{self.expr(first, scope, 1)}]"],
                 ["line", f"{name}.append({self.expr(second, scope, 1)})"],
                 ["line", f"{total} = 0.0"],
                 ["block", f"for item in {name}:", [["line", f"{total} += item"]], None]]
        scope.variables[total] = "f"
        return lines

    def while_stmt(self, scope, body_size):
        counter = self.fresh("w_")
        limit = self.rng.randint(0, 7)
        inner = scope.child()
        inner.variables[counter] = "i"
        self.in_loop += 1
        body = self.block(inner, body_size) + [["line", f"{counter} += 1"]]
        self.in_loop -= 1
        cond = f"{counter} < {limit}" if self.chance(0.6) else f"{counter} < {limit} and {self.expr('b', inner, 1)}"
        return [["line", f"{counter} = 0"], ["block", f"while {cond}:", body, None]]

    def range_loop(self, scope, body_size):
        var = self.fresh("i_")
        bound = self.rng.choice(["range(4)", "range(0)", "range(1, 6)", "range(5, -1, -2)",
                                 f"range(min(abs({self.expr('i', scope, 1)}), 6))"])
        inner = scope.child()
        inner.variables[var] = "i"
        self.in_loop += 1
        body = self.block(inner, body_size)
        self.in_loop -= 1
        if self.chance(0.2):
            where = self.rng.randint(0, len(body))
            test = self.expr('b', inner, 1)
            jump = ["block", f"if {test}:", [["line", self.rng.choice(["break", "continue"])]], None]
            body.insert(where, jump)
        return ["block", f"for {var} in {bound}:", body, None]

    def if_stmt(self, scope, body_size):
        cond = self.expr("b", scope, 2)
        body = self.block(scope.child(), max(1, body_size // 2))
        orelse = self.block(scope.child(), max(1, body_size // 2)) if self.chance(0.6) else None
        return ["block", f"if {cond}:", body, orelse]

    def try_stmt(self, scope, body_size):
        """A try statement whose body may raise ZeroDivisionError (a // or % by
        a value that may be zero) or ValueError (an integer to a negative
        power), with one or two handlers, and an else or a finally block.
        Only exceptions both sides raise are caught: the reference's own
        NotCompared signals must pass through (no bare except, Exception or
        ArithmeticError, which its Overflow is)."""
        rng = self.rng
        self.in_loop += 1  # nested statements update variables, as in a branch
        body = self.block(scope.child(), max(1, body_size // 2))
        risky = [n for n in scope.of_kind("i") if not n.startswith(("n_", "m_", "i_", "j_", "w_"))]
        if risky:
            target = rng.choice(risky)
            divisor = self.expr("i", scope, 1)
            body.insert(rng.randint(0, len(body)), ["line", f"{target} = {target} {rng.choice(['//', '%'])} {divisor}"])
        clauses = rng.choice([["except ZeroDivisionError:"], ["except (ZeroDivisionError, ValueError):"],
                              ["except ValueError:", "except ZeroDivisionError:"], ["except LookupError:", "except ZeroDivisionError:"]])
        if rng.random() < 0.2:
            clauses = []
        handlers = [[clause, self.block(scope.child(), 1)] for clause in clauses]
        orelse = self.block(scope.child(), 1) if handlers and self.chance(0.3) else None
        final = self.block(scope.child(), 1) if not handlers or self.chance(0.3) else None
        self.in_loop -= 1
        return ["block", "try:", body, orelse, {"handlers": handlers, "finally": final}]

    def block(self, scope, size):
        """``size`` statements; only the top level of a function defines
        variables that live on (a branch may not run), nested ones update."""
        out = []
        for _ in range(size):
            r = self.rng.random()
            if r < 0.55 or self.in_loop > 1:
                out.append(self.assign(scope, new=not self.in_loop))
            elif r < 0.72:
                out.append(self.if_stmt(scope, size))
            elif r < 0.82:
                out.append(self.range_loop(scope, max(1, size // 2)))
            elif r < 0.90:
                out.extend(self.while_stmt(scope, max(1, size // 2)))
            elif r < 0.95 or self.in_loop > 1:
                out.append(self.assign(scope, new=not self.in_loop))
            else:
                out.append(self.try_stmt(scope, size))
        return out

    def returns(self, scope, count):
        """Expressions to return; mostly variables, so the result shows the state."""
        names = [n for n, k in scope.variables.items() if k in "bifc"]
        out = []
        for _ in range(count):
            if names and self.chance(0.6):
                out.append(self.rng.choice(names))
            else:
                out.append(self.expr(self.rng.choice("bifc"), scope, 2))
        return out

