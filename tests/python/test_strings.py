"""Strings made at run time (unicode_type): operators, methods, str()/repr()/
format(), f-strings, int(s)/float(s), strings in lists, sets and dict keys,
and what they return to Python. Every result is compared with `.py_func`
over several texts (ASCII, empty, whitespace-only, non-ASCII), and the
allocation counts show nothing leaks."""
import math

import numpy as np
import pytest

from numjit import njit, runtime
from numjit.errors import TypingError, UnsupportedError

TEXTS = ["", "a", "The quick brown fox, jumps over.", "  padded\ttext \n", "ÄÖü straße ǅ", "a,b,,c,", "x" * 40,
         "--1_000--"]


@njit
def operators(s, n):
    t = s + "!" + s
    return t, s * n, n * "ab", len(t), s == t, s != t, s < t, s <= "m", s > "m", s >= s, "a" in s, "" in s


@njit
def indexing(s):
    out = []
    for i in range(-len(s), len(s)):
        out.append(s[i])
    return out, s[1:4], s[::2], s[::-1], s[-3:], s[:-2], s[5:1:-1], s[100:], s[1:100:3]


@njit
def iteration(s):
    out = []
    vowels = 0
    for c in s:
        out.append(c)
        if c in "aeiou":
            vowels += 1
    return out, vowels, [c for c in s if c != " "]


@njit
def searching(s, sub):
    return (s.find(sub), s.rfind(sub), s.count(sub), s.find(sub, 2), s.find(sub, -5, -1), s.count(sub, 1, 8),
            s.startswith(sub), s.endswith(sub), s.startswith(sub, 1), sub in s)


@njit
def reshaping(s):
    return (s.split(), s.split(","), s.split(",", 1), s.rsplit(None, 1), s.rsplit(",", 2), s.strip(),
            s.lstrip(), s.rstrip(), s.strip(" -,"), s.replace("o", "0"), s.replace("", "|", 3), s.replace("a", "", 1))


@njit
def cases_and_tests(s):
    return (s.upper(), s.lower(), s.swapcase(), s.capitalize(), s.title(), s.casefold(), s.isdigit(), s.isalpha(),
            s.isalnum(), s.isspace(), s.isupper(), s.islower(), s.isascii(), s.istitle(), s.isidentifier(),
            s.isprintable(), s.isdecimal(), s.isnumeric())


@njit
def padding(s, width):
    return (s.center(width), s.center(width, "*"), s.ljust(width, "."), s.rjust(width), s.zfill(width),
            s.partition(","), s.rpartition(","), s.splitlines(), s.splitlines(True))


@pytest.mark.parametrize("text", TEXTS)
def test_operators_indexing_and_iteration(text):
    for n in (0, 1, 3):
        assert operators(text, n) == operators.py_func(text, n)
    assert indexing(text) == indexing.py_func(text)
    assert iteration(text) == iteration.py_func(text)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("sub", ["", "o", "a", ",", "xx", "ü"])
def test_searching(text, sub):
    assert searching(text, sub) == searching.py_func(text, sub)


@pytest.mark.parametrize("text", TEXTS + ["one\ntwo\r\nthree\n", "-42", "+7"])
def test_methods_match_python(text):
    assert reshaping(text) == reshaping.py_func(text)
    assert cases_and_tests(text) == cases_and_tests.py_func(text)
    for width in (0, 5, 12, 13):
        assert padding(text, width) == padding.py_func(text, width)


@njit
def joined(words, sep):
    return sep.join(words), sep.join([w.upper() for w in words]), "".join(words)


@pytest.mark.parametrize("words", [["a"], ["alpha", "beta", "gamma"], ["", "", "x"], ["ü"] * 9])
def test_join_of_lists_of_strings(words):
    for sep in ("", ", ", "ü"):
        assert joined(words, sep) == joined.py_func(words, sep)


@njit
def numbers_as_text(i, x, f32, u):
    return (str(i), str(x), str(f32), str(u), repr(x), str(True), str(False), str(None), repr("it's \"q\"\n"),
            str("s"), format(x, ".3f"), format(i, "+,d"), format(x, "10.2e"), format(i, "#x"), format(x, ""),
            format(i, "08"), format(x, "%"), format(x, ".3"), format(i, "_b"), format(x, "^12.4g"), format(u, ","))


@pytest.mark.parametrize("x", [0.0, -0.0, 0.1, 1.0, 1e16, 1e15, 1e-5, 1e-4, 123456.789, -2.5e-300, math.inf, -math.inf,
                               math.nan, 1 / 3, 2.0**60])
@pytest.mark.parametrize("i", [0, -1, 42, 2**63 - 1, -(2**63)])
def test_str_and_format_of_numbers(x, i):
    f32 = np.float32(x)
    u = np.uint64(2**64 - 1)
    got = numbers_as_text(i, x, f32, u)
    want = list(numbers_as_text.py_func(i, x, f32, u))
    want[2] = str(f32)  # NumPy's str of a float32 is its shortest float32 digits, as numjit's
    assert list(got) == want


@njit
def fstrings(name, x, n, width):
    return (f"{name}: {x:.2f} ({n:>{width}}) {x!r} {name!r:>8} {n:#06x} {x:e}", f"{x}", f"{n}", f"", f"{{}}",
            f"{name}{name}", f"{x:{width}.{n % 5}f}")


@pytest.mark.parametrize("x", [3.14159, -0.5, 1e20, math.nan])
@pytest.mark.parametrize("n", [0, 7, -12345])
def test_fstrings(x, n):
    assert fstrings("ab", x, n, 6) == fstrings.py_func("ab", x, n, 6)


@njit
def parsed(s):
    return int(s), float(s)


@njit
def parsed_base(s, base):
    return int(s, base)


@pytest.mark.parametrize("text", ["0", "-42", "  +17 \n", "1_000", "9223372036854775807"])
def test_int_and_float_of_strings(text):
    assert parsed(text) == parsed.py_func(text)


@pytest.mark.parametrize("text", ["1.5", "-1e-3", " inf", "-Infinity", "1_0.5e1_0", "nan"])
def test_float_of_strings(text):
    got, want = parsed_float(text), parsed_float.py_func(text)
    assert got == want or (math.isnan(got) and math.isnan(want))


@njit
def parsed_float(s):
    return float(s)


@pytest.mark.parametrize("text,base", [("ff", 16), ("0xff", 16), ("-101", 2), ("0o17", 8), ("zz", 36)])
def test_int_with_a_base(text, base):
    assert parsed_base(text, base) == parsed_base.py_func(text, base)


@pytest.mark.parametrize("text", ["", "abc", "1.5", "1__0", "--1", "9223372036854775808"])
def test_int_of_bad_text_is_a_value_error(text):
    with pytest.raises(ValueError):
        parsed_base.py_func(text, 10) if text != "9223372036854775808" else int("x")
    with pytest.raises(ValueError):
        parsed_base(text, 10)


@pytest.mark.parametrize("text", ["", "abc", "1.5.5", "1__0", "e5"])
def test_float_of_bad_text_is_a_value_error(text):
    with pytest.raises(ValueError, match="could not convert string to float"):
        parsed_float(text)


@njit
def word_counts(text):
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    lengths = {w: len(w) for w in text.split()}
    firsts = set()
    for word in text.split():
        firsts.add(word[0])
    labels = {"a": "x"}
    labels["b"] = labels["a"] + "y"
    return counts, lengths, firsts, "the" in counts, labels, sorted(firsts)


@pytest.mark.parametrize("text", ["", "the fox the dog the end fox", "ü ü Ä"])
def test_strings_as_dict_keys_and_set_items(text):
    assert word_counts(text) == word_counts.py_func(text)


@njit
def characters(codes):
    out = ""
    for c in codes:
        out += chr(c)
    return out, [ord(c) for c in out]


def test_chr_and_ord():
    codes = np.array([65, 98, 0xe9, 0x4e2d, 0x1f600])
    assert characters(codes) == characters.py_func(codes)


@njit
def raises(s, i):
    return s[i]


def test_run_time_errors_are_pythons():
    with pytest.raises(IndexError, match="string index out of range"):
        raises("abc", 3)
    with pytest.raises(ValueError, match="substring not found"):
        njit(lambda s: s.index("z"))("abc")
    with pytest.raises(ValueError, match="empty separator"):
        njit(lambda s: s.split(""))("abc")
    with pytest.raises(TypeError, match="ord\\(\\) expected a character"):
        njit(lambda s: ord(s))("ab")
    with pytest.raises(ValueError, match="Invalid format specifier"):
        njit(lambda x, spec: format(x, spec))(1.5, "..2f")


@pytest.mark.parametrize("spec", ["+", "#", "_", ",", "=5", " ", ">5", ".1", "x"])
def test_string_format_specs_refused_as_python_refuses_them(spec):
    formatter = njit(lambda text, spec: format(text, spec))
    try:
        expected = format("ab", spec)
    except ValueError as e:
        with pytest.raises(ValueError) as info:
            formatter("ab", spec)
        assert str(info.value) == str(e)
    else:
        assert formatter("ab", spec) == expected


def test_bad_uses_are_located_errors():
    @njit
    def percent(s):
        return s % 3

    with pytest.raises(UnsupportedError, match="use an f-string") as err:
        percent("a%d")
    assert "test_strings.py" in str(err.value) and "^" in str(err.value)

    @njit
    def adds_number(s):
        return s + 1

    with pytest.raises(TypingError, match="cannot add"):
        adds_number("a")


@njit
def everything(text):
    words = text.split()
    out = [f"{i}:{w.upper()}" for i, w in enumerate(words)]
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return ", ".join(out), counts, str(len(words)) + "!", text[::-1].strip()


def test_nothing_leaks():
    text = "the fox the dog the end fox"
    everything(text)
    before = runtime.allocation_stats()
    for _ in range(20):
        assert everything(text) == everything.py_func(text)
        operators(text, 2)
        reshaping(text)
        fstrings("n", 1.5, 3, 4)
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free
    assert after.alloc > before.alloc


@njit
def string_containers(text):
    labels = {}
    for word in text.split():
        labels[word] = word.upper()
    got = [labels.get(w, "?") for w in ["a", "zz", "b"]]
    pairs = [k + "=" + v for k, v in labels.items()]
    words = text.split()
    words.reverse()
    seen = set(text.split())
    popped = 0
    while len(seen):
        popped += len(seen.pop())
    out = "x"
    for i in range(3):
        out += "ab"
    rep = ""
    for i in range(4):
        rep = rep + words[0]
    return got, pairs, words, popped, out, rep


@pytest.mark.parametrize("text", ["a b c a", "solo", "x y"])
def test_string_values_in_containers_keep_their_references(text):
    assert string_containers(text) == string_containers.py_func(text)
    string_containers(text)
    before = runtime.allocation_stats()
    for _ in range(5):
        string_containers(text)
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free


@njit
def conversions(flag, text):
    return format(flag, ""), format(flag, "d"), format(flag, ">5"), ascii(text), f"{text!a}", repr(text)


def test_bool_format_and_ascii():
    for flag in (True, False):
        for text in ("plain", "é中\U0001f600", "tab\t"):
            assert conversions(flag, text) == conversions.py_func(flag, text)


@njit
def constant_text(s):
    return s + "!"


def test_string_constants_are_made_once_and_do_not_count_as_leaks():
    constant_text("warm")
    for text in ("a", "b"):
        before = runtime.allocation_stats()
        assert constant_text(text) == text + "!"
        after = runtime.allocation_stats()
        assert after.alloc - before.alloc == after.free - before.free


@njit
def joined_empty(sep):
    return sep.join([]), len(sep.join([]))


def test_joining_an_empty_list_display():
    assert joined_empty("--") == joined_empty.py_func("--")


@njit
def unicode_numbers(text):
    return text.isdigit(), text.isdecimal(), text.isnumeric(), text.isalpha()


@pytest.mark.parametrize("text", ["123", "٣٤", "１２", "²", "①", "½", "Ⅻ", "一二", "abc", "é", "x1", ""])
def test_unicode_digit_and_numeric_classes(text):
    assert unicode_numbers(text) == unicode_numbers.py_func(text)


@pytest.mark.parametrize("text", ["٣", "１２", "-٤2", " ٣.٥ ", "\u2003 7 \u3000"])
def test_int_and_float_read_decimal_digits_of_any_script(text):
    if "." not in text:
        assert parsed_base(text, 10) == parsed_base.py_func(text, 10)
    assert parsed_float(text) == parsed_float.py_func(text)


@njit
def concatenation_chains(s, i):
    # A chain of `+` is one concatenation of every operand: constants, run-time
    # strings, the same string twice, calls, and a chain inside parentheses.
    labels = []
    for k in range(i):
        labels.append("p" + str(k) + ":" + str(k * 3 % 7) + s)
    grouped = s + ("<" + s + ">") + s
    grown = ""
    for c in s:
        grown = grown + c + "|"
    grown += s + s
    return labels, grouped, grown, "a" + "b" + s + "c" + "d", f"{s}{i}{s}-{i * 0.5}"


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("i", [0, 3])
def test_chains_of_plus_as_python(text, i):
    before = runtime.allocation_stats()
    assert concatenation_chains(text, i) == concatenation_chains.py_func(text, i)
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free
