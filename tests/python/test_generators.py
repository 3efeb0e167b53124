"""Generators in compiled code (python/numjit/_generators.py): a jitted
generator consumed by a for loop, a comprehension, list()/sum()/sorted()...,
`yield from`, generators consuming generators, break/continue/else in the
consuming loop and return in the generator; generator expressions; and a
jitted generator called from Python. Each result is compared with the same
function run as plain Python."""
import numpy as np
import pytest

from numjit import njit
from numjit.errors import UnsupportedError


@njit
def squares_of_evens(n, start=0, step=1):
    for i in range(start, n, step):
        if i % 2 == 0:
            yield i * i


@njit
def pairs_until_opposites(a):
    for i in range(len(a)):
        for j in range(i + 1, len(a)):
            if a[i] + a[j] == 0:
                return
            yield a[i], a[j]
    yield -1.0, -1.0


@njit
def counted(a):
    k = 0
    while k < len(a):
        yield k, a[k]
        k += 1


@njit
def chained(n):
    yield from squares_of_evens(n)
    for v in squares_of_evens(n, 1):
        yield v + 1
    yield -7


@njit
def consume_with_jumps(n, stop_at, skip):
    total = 0
    seen = []
    for v in squares_of_evens(n):
        if v == skip:
            continue
        if v > stop_at:
            break
        total += v
        seen.append(v)
    else:
        total = -total
    return total, seen


@njit
def consume_tuples(a):
    s = 0.0
    count = 0
    for x, y in pairs_until_opposites(a):
        s += x * y
        count += 1
    firsts = [x for x, _ in pairs_until_opposites(a)]
    for k, value in counted(a):
        s += k * value
    return s, count, firsts


@njit
def consume_builtins(n):
    return (list(squares_of_evens(n)), sum(squares_of_evens(n, 1)), sorted(chained(n)), max(chained(n)),
            [v for v in chained(n) if v % 3 == 1], {v % 5 for v in squares_of_evens(n)},
            {v: v // 2 for v in squares_of_evens(n)}, sum(x * 2 for x in range(n)), list(squares_of_evens(n, step=3)),
            any(v > 30 for v in squares_of_evens(n)), all(v % 2 == 0 for v in squares_of_evens(n)))


@njit
def returns_from_inside(n):
    for v in squares_of_evens(n):
        if v >= 16:
            return v  # returns from the consuming function itself
    return -1


@njit
def nested_consumers(n):
    out = []
    for a in squares_of_evens(n):
        for b in squares_of_evens(a, 0, 3):
            if b > a:
                break
            out.append(a + b)
    return out


@pytest.mark.parametrize("n", [0, 1, 5, 12])
def test_jumps_in_the_consuming_loop(n):
    for stop_at, skip in [(1000, -1), (20, 4), (0, 0), (50, 16)]:
        assert consume_with_jumps(n, stop_at, skip) == consume_with_jumps.py_func(n, stop_at, skip)


@pytest.mark.parametrize("a", [np.array([]), np.array([1.5]), np.array([1.0, 2.0, 3.0, -2.0, 5.0]),
                               np.arange(6, dtype=np.float32), np.array([2, -2, 3])])
def test_tuples_return_and_while_loops_in_the_generator(a):
    assert consume_tuples(a) == consume_tuples.py_func(a)


@pytest.mark.parametrize("n", [0, 3, 9, 16])
def test_generators_feeding_builtins_and_comprehensions(n):
    assert consume_builtins(n) == consume_builtins.py_func(n)
    assert returns_from_inside(n) == returns_from_inside.py_func(n)
    assert nested_consumers(n) == nested_consumers.py_func(n)


def test_a_generator_called_from_python_iterates_its_values():
    assert list(squares_of_evens(9)) == list(squares_of_evens.py_func(9))
    assert list(chained(7)) == list(chained.py_func(7))
    assert list(squares_of_evens(10, step=2, start=1)) == list(squares_of_evens.py_func(10, step=2, start=1))
    a = np.array([1.0, 4.0, -1.0])
    assert list(pairs_until_opposites(a)) == list(pairs_until_opposites.py_func(a))
    assert list(squares_of_evens(0)) == []


def scale_factory(factor):
    @njit
    def scaled(values):
        for v in values:
            yield v * factor  # a closure value of the generator, not of its consumer

    return scaled


scaled_by_three = scale_factory(3)


@njit
def uses_closure_generator(a):
    return [v for v in scaled_by_three(a)]


def test_a_generator_reads_its_own_closure_and_globals():
    a = np.arange(5)
    assert uses_closure_generator(a) == uses_closure_generator.py_func(a)


def test_yield_as_an_expression_is_refused():
    @njit
    def echo(n):
        for i in range(n):
            received = yield i
            n += received

    @njit
    def consume(n):
        return [v for v in echo(n)]

    with pytest.raises(UnsupportedError, match="a yield can only be a statement"):
        consume(3)


def test_a_recursive_generator_is_refused():
    @njit
    def countdown(n):
        if n > 0:
            yield n
            yield from countdown(n - 1)

    @njit
    def consume(n):
        return [v for v in countdown(n)]

    with pytest.raises(UnsupportedError, match="recursive generator"):
        consume(3)


def test_a_plain_python_generator_function_is_inlined_too():
    def plain(n):
        for i in range(n):
            yield i + 0.5

    @njit
    def consume(n):
        total = 0.0
        for v in plain(n):
            total += v
        return total

    assert consume(4) == consume.py_func(4)


@njit
def squares_skipping_three(n):
    for i in range(n):
        if i == 3:
            continue
        yield i * i


def enumerated_squares(n, start):
    out = []
    for k, v in enumerate(squares_skipping_three(n), start):
        if v == 16:
            continue  # the count still advances
        if v > 40:
            break
        out.append(k * 1000 + v)
    else:
        out.append(-1)
    for j, w in enumerate(squares_skipping_three(2)):
        for a, b in enumerate(squares_skipping_three(j + 2)):
            out.append(j * 100 + a * 10 + b + w)
    return out


@pytest.mark.parametrize("n", [0, 3, 6, 10])
@pytest.mark.parametrize("start", [0, 10, -2])
def test_enumerate_over_a_generator(n, start):
    assert njit(enumerated_squares)(n, start) == enumerated_squares(n, start)
