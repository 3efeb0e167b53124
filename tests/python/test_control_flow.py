"""Branches and loops: if/elif/else, while, for over range and arrays,
break/continue, nesting, and the loop variable after the loop."""
import numpy as np
import pytest

from numjit import njit

from conftest import FLOAT_DTYPES, INT_DTYPES, LAYOUTS, SIZES, check, dtype_id, make_array, random_floats


@njit
def sign_class(x):
    if x < 0:
        return -1
    elif x == 0:
        return 0
    elif x < 10:
        return 1
    else:
        return 2


@njit
def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


@njit
def range_one(n):
    s = 0
    count = 0
    for i in range(n):
        s += i * i
        count += 1
    return s, count


@njit
def range_two(a, b):
    s = 0
    for i in range(a, b):
        s = s * 3 + i
    return s


@njit
def range_three(a, b, step):
    s = 0
    count = 0
    for i in range(a, b, step):
        s = s * 3 + i
        count += 1
    return s, count


@njit
def last_index(n):
    i = -100
    for i in range(n):
        pass
    return i


@njit
def last_index_stepped(a, b, step):
    k = 0
    for k in range(a, b, step):
        k += 1000  # rebinding the loop variable does not change the iteration
    return k


@pytest.mark.parametrize("x", [-3, -0.5, 0, 0.0, 4, 9.5, 10, 123])
def test_if_elif_else(x):
    check(sign_class, x)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 27, 97])
def test_while(n):
    check(collatz_steps, n)


@pytest.mark.parametrize("n", [-3, 0, 1, 2, 10, 1000])
def test_range_one_argument(n):
    check(range_one, n)


@pytest.mark.parametrize("a, b", [(0, 5), (3, 9), (-4, 2), (5, 5), (9, 3), (-7, -2)])
def test_range_two_arguments(a, b):
    check(range_two, a, b)


@pytest.mark.parametrize("a, b, step", [
    (0, 10, 3), (0, 10, 1), (1, 2, 5), (10, 0, -1), (10, 0, -3), (10, -10, -7), (-3, -20, -4),
    (0, 10, -1), (10, 0, 2), (5, 5, 1), (5, 5, -1), (0, 2**40, 2**39),
])
def test_range_three_arguments(a, b, step):
    check(range_three, a, b, step)


@pytest.mark.parametrize("n", [0, 1, 5])
def test_loop_variable_after_loop(n):
    check(last_index, n)


@pytest.mark.parametrize("a, b, step", [(0, 10, 3), (10, 0, -4), (3, 3, 1)])
def test_loop_variable_after_stepped_loop(a, b, step):
    check(last_index_stepped, a, b, step)


@pytest.mark.parametrize("dtype", INT_DTYPES, ids=dtype_id)
def test_range_over_typed_bounds(dtype):
    check(range_one, dtype(9))
    check(range_two, dtype(2), dtype(7))


@njit
def first_multiple(x, m, limit):
    found = -1
    for i in range(x.shape[0]):
        if i >= limit:
            break
        if x[i] % m != 0:
            continue
        found = i
        break
    return found


@njit
def skip_sum(n):
    s = 0
    i = 0
    while True:
        i += 1
        if i > n:
            break
        if i % 3 == 0:
            continue
        s += i
    return s


@njit
def triangle(n):
    s = 0
    for i in range(n):
        for j in range(i):
            if j == 5:
                break
            for k in range(j, i):
                if (i + j + k) % 4 == 0:
                    continue
                s += i * j - k
    return s


@pytest.mark.parametrize("m, limit", [(3, 100), (4, 100), (5, 2), (100, 100)])
def test_break_continue_for(m, limit):
    x = np.array([1, 7, 8, 9, 12, 15, 20], dtype=np.int64)
    check(first_multiple, x, m, limit)


@pytest.mark.parametrize("n", [0, 1, 10, 100])
def test_break_continue_while(n):
    check(skip_sum, n)


@pytest.mark.parametrize("n", [0, 1, 4, 9, 30])
def test_nested_loops(n):
    check(triangle, n)


@njit
def iterate_1d(x):
    s = 0.0
    count = 0
    for v in x:
        s += v * (count % 5)  # small weights keep 8-bit products in range
        count += 1
    return s, count


@njit
def iterate_rows(a):
    s = 0.0
    rows = 0
    for row in a:
        t = 0.0
        for v in row:
            t = t * 0.5 + v
        s += t * (rows + 1)
        rows += 1
    return s, rows


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [np.int32, np.uint8, np.int64], ids=dtype_id)
@pytest.mark.parametrize("n", SIZES)
def test_for_over_1d_array(dtype, n):
    check(iterate_1d, make_array((n,), dtype))
    check(iterate_1d, make_array((n,), dtype, "strided"))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (1, 1), (4, 5), (50, 20)])
def test_for_over_2d_rows(layout, shape):
    check(iterate_rows, make_array(shape, np.float64, layout))


def test_for_over_array_sees_writes_before_the_loop():
    @njit
    def double_then_sum(x):
        for i in range(x.shape[0]):
            x[i] *= 2
        s = 0.0
        for v in x:
            s += v
        return s

    original = random_floats(17)
    x = original.copy()
    check(double_then_sum, x)
    np.testing.assert_array_equal(x, 2 * original)


def test_while_with_complex_condition():
    @njit
    def search(x, target):
        lo = 0
        hi = x.shape[0]
        while lo < hi and hi - lo > 0:
            mid = (lo + hi) // 2
            if x[mid] < target:
                lo = mid + 1
            else:
                hi = mid
        return lo

    x = np.sort(random_floats(101))
    for target in (-2.0, 0.0, x[10], x[100], 2.0):
        check(search, x, target)
        assert search(x, target) == np.searchsorted(x, target)


def test_early_return_inside_nested_loop():
    @njit
    def find(a, value):
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                if a[i, j] == value:
                    return i, j
        return -1, -1

    a = np.arange(12).reshape(3, 4)
    for value in (0, 5, 11, 12):
        check(find, a, value)
