"""String methods with optional and keyword arguments, written in Python over
the C++ string rows (src/numjit/library/strings.cpp): find, rfind, index,
rindex, count, startswith, endswith, replace, split, rsplit, strip, lstrip,
rstrip, center, ljust, rjust, zfill, partition, rpartition, splitlines,
join of any iterable of strings, and str()/repr() of complex numbers. Their
defaults and messages are Python's."""
from .registration import extends

_END = 2**62  # past the end of any string: the runtime clamps it


@extends("str.find")
def find(s, sub, start=0, end=_END):
    return s._find(sub, start, end)


@extends("str.rfind")
def rfind(s, sub, start=0, end=_END):
    return s._rfind(sub, start, end)


@extends("str.index")
def index(s, sub, start=0, end=_END):
    at = s._find(sub, start, end)
    if at < 0:
        raise ValueError("substring not found")
    return at


@extends("str.rindex")
def rindex(s, sub, start=0, end=_END):
    at = s._rfind(sub, start, end)
    if at < 0:
        raise ValueError("substring not found")
    return at


@extends("str.count")
def count(s, sub, start=0, end=_END):
    return s._count(sub, start, end)


@extends("str.startswith")
def startswith(s, prefix, start=0, end=_END):
    return s._startswith(prefix, start, end)


@extends("str.endswith")
def endswith(s, suffix, start=0, end=_END):
    return s._endswith(suffix, start, end)


@extends("str.replace")
def replace(s, old, new, count=-1):
    return s._replace(old, new, count)


@extends("str.split")
def split(s, sep=None, maxsplit=-1):
    return s._split(sep, maxsplit)


@extends("str.rsplit")
def rsplit(s, sep=None, maxsplit=-1):
    return s._rsplit(sep, maxsplit)


@extends("str.strip")
def strip(s, chars=None):
    return s._strip(chars)


@extends("str.lstrip")
def lstrip(s, chars=None):
    return s._lstrip(chars)


@extends("str.rstrip")
def rstrip(s, chars=None):
    return s._rstrip(chars)


@extends("str.center")
def center(s, width, fillchar=None):
    return s._center(width, fillchar)


@extends("str.ljust")
def ljust(s, width, fillchar=None):
    return s._ljust(width, fillchar)


@extends("str.rjust")
def rjust(s, width, fillchar=None):
    return s._rjust(width, fillchar)


@extends("str.zfill")
def zfill(s, width):
    n = len(s)
    if n >= width:
        return s[:]
    if n and (s[0] == "+" or s[0] == "-"):
        return s[0] + "0" * (width - n) + s[1:]
    return "0" * (width - n) + s


@extends("str.partition")
def partition(s, sep):
    at = s._find(sep, 0, _END)
    if at < 0:
        return s[:], s[:0], s[:0]
    return s[:at], sep + s[:0], s[at + len(sep):]


@extends("str.rpartition")
def rpartition(s, sep):
    at = s._rfind(sep, 0, _END)
    if at < 0:
        return s[:0], s[:0], s[:]
    return s[:at], sep + s[:0], s[at + len(sep):]


@extends("str.expandtabs")
def expandtabs(s, tabsize=8):
    out = s[:0]
    column = 0
    for k in range(len(s)):
        ch = s[k]
        if ch == "\t":
            if tabsize > 0:
                spaces = tabsize - column % tabsize
                out += " " * spaces
                column += spaces
        elif ch == "\n" or ch == "\r":
            out += ch
            column = 0
        else:
            out += ch
            column += 1
    return out


@extends("str.splitlines")
def splitlines(s, keepends=False):
    lines = s._split("\n", -1)
    out = [line for line in lines]
    out.clear()
    for k in range(len(lines)):
        line = lines[k]
        last = k == len(lines) - 1
        if last and len(line) == 0:
            break
        if len(line) and line[len(line) - 1] == "\r":
            line = line + "\n" if keepends else line[: len(line) - 1]
        elif keepends and not last:
            line = line + "\n"
        out.append(line)
    return out


@extends("str.join")
def join(sep, items):
    return sep.join([item + sep[:0] for item in items])
