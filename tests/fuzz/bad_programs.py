"""Bad programs: one error planted in an otherwise valid kernel.

numjit must refuse each with a ``numjit.errors.TypingError`` (or its subclass
UnsupportedError) whose message gives ``file:line:col`` and draws a caret
under the offending code, whether or not the bad line would ever run: the
compiler types the whole function before running any of it.
"""

LOCATION_PATTERN = r"\(.+\.py:\d+:\d+\)"
CARET_PATTERN = r"(?m)^\s*\|\s*\^+"


def _numeric(scope, rng):
    names = [n for n, k in scope.variables.items() if k in "if"]
    return rng.choice(names) if names else "1.5"


def _array(scope, rng):
    names = list(scope.arrays)
    return rng.choice(names) if names else None


def plant(rng, scope, fresh, helpers):
    """(statements, extra module source, what) for one planted error. Its
    statements end with a "planted" marker, which rendering ignores.

    ``helpers`` are (name, param kinds, ...) tuples of jitted helpers, for
    calls with a wrong number of arguments."""
    x = _numeric(scope, rng)
    arr = _array(scope, rng)
    v = fresh("bad")
    line = lambda text: [["line", text]]
    options = [
        ("add a str", line(f"{v} = {x} + 'a'")),
        ("undefined name", line(f"{v} = {x} + undefined_name_{rng.randint(0, 99)}")),
        ("call plain Python", line(f"{v} = plain_python({x})")),
        ("lambda in a comprehension", line(f"{v} = [(lambda q: q + 1)({x}) for _ in range(2)]")),
        ("range of float", [["block", "for q in range(1.5):", [["line", "pass"]], None]]),
        ("exception object", [["block", "try:", [["line", f"{v} = {x} + 1"]], None,
                               {"handlers": [["except ValueError as err:", [["line", f"{v} = err"]]]],
                                "finally": None}]]),
        ("compare complex", line(f"{v} = {x} < 1j")),
        ("bitand float", line(f"{v} = 2.5 & {x}")),
        ("method of number", line(f"{v} = {x}.nonexistent_method()")),
        ("unknown math function", line(f"{v} = math.nonexistent({x})")),
        ("unsupported numpy", line(f"{v} = np.bmat({x})")),
        # A name may change type from one top-level assignment to the next (as
        # in Numba); where two types meet, after a branch, it may not.
        ("type change", [["line", f"{v} = {x}"], ["block", f"if {x} > 0:", [["line", f"{v} = 'text'"]], None],
                         ["line", f"{v} = {v} * 2"]]),
        ("list of mixed lists", line(f"{v} = [[1, 2], ['a']]")),
        ("open file", [["block", "with open('data.txt') as fh:", [["line", "pass"]], None]]),
        ("import in body", line("import os")),
        ("index a number", line(f"{v} = {x}[0]")),
        ("len of a number", line(f"{v} = len({x})")),
        ("class", [["block", "class Local:", [["line", "pass"]], None]]),
        ("str plus number", line(f"{v} = str({x}) + 1")),
    ]
    if arr is not None:
        ndim = scope.arrays[arr][1]
        index = ", ".join(["0"] * (ndim + 1))
        options += [
            ("float index", line(f"{v} = {arr}[1.5]")),
            ("too many indices", line(f"{v} = {arr}[{index}]")),
            ("unknown attribute", line(f"{v} = {arr}.nonexistent")),
            ("unknown array method", line(f"{v} = {arr}.nonexistent_method()")),
            ("array plus str", line(f"{v} = {arr} + 'a'")),
            ("call an array", line(f"{v} = {arr}(1)")),
        ]
    plain = [h for h in helpers if h[1] and not h[0].startswith(("rec", "is_"))]
    if plain:
        name, kinds = plain[0][0], plain[0][1]
        options.append(("wrong argument count", line(f"{v} = {name}({', '.join(['1'] * (len(kinds) + 1))})")))
    what, statements = rng.choice(options)
    statements = [s + ["planted"] for s in statements]   # the shrinker keeps these
    extra = "def plain_python(q):\n    return q + 1\n" if what == "call plain Python" else ""
    return statements, extra, what
