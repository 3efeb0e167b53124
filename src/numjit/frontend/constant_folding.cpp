// Exact folding of integer constant expressions (`2**63`, `-2**63`, `1 << 40`),
// as CPython's compiler folds them before Numba ever sees the bytecode. The
// arithmetic is Python's own, on unbounded ints, so a value that does not fit
// 64 bits is refused where it is written instead of wrapping at run time.
#include <Python.h>

#include "numjit/frontend/frontend.h"

namespace numjit::frontend {
namespace {

// Intermediate values may exceed 64 bits (`2**64 // 2` is fine), but not
// without bound: CPython's compiler stops folding at about this size too.
constexpr long kMaxFoldedBits = 4096;

std::string kind_of(nb::handle node) { return nb::cast<std::string>(node.type().attr("__name__")); }

bool is_plain_int(nb::handle value) { return PyLong_Check(value.ptr()) && !PyBool_Check(value.ptr()); }

long bit_length(nb::handle value) { return nb::cast<long>(value.attr("bit_length")()); }

nb::object steal_or_none(PyObject* result) {
  if (!result) {
    PyErr_Clear();
    return nb::none();
  }
  return nb::steal(result);
}

nb::object fold_binary(const std::string& op, nb::handle l, nb::handle r) {
  PyObject* a = l.ptr();
  PyObject* b = r.ptr();
  long rb = bit_length(r);
  bool r_negative = PyObject_RichCompareBool(r.ptr(), nb::int_(0).ptr(), Py_LT) == 1;
  bool r_zero = rb == 0;
  if (op == "Add") return steal_or_none(PyNumber_Add(a, b));
  if (op == "Sub") return steal_or_none(PyNumber_Subtract(a, b));
  if (op == "Mult") return steal_or_none(PyNumber_Multiply(a, b));
  if (op == "BitAnd") return steal_or_none(PyNumber_And(a, b));
  if (op == "BitOr") return steal_or_none(PyNumber_Or(a, b));
  if (op == "BitXor") return steal_or_none(PyNumber_Xor(a, b));
  // Division by zero and negative exponents or shifts keep their run-time
  // behaviour (ZeroDivisionError, Numba's integer power rules).
  if (op == "FloorDiv" && !r_zero) return steal_or_none(PyNumber_FloorDivide(a, b));
  if (op == "Mod" && !r_zero) return steal_or_none(PyNumber_Remainder(a, b));
  if (op == "RShift" && !r_negative) return steal_or_none(PyNumber_Rshift(a, b));
  if (op == "LShift" && !r_negative && rb <= 13 && nb::cast<long>(r) <= kMaxFoldedBits)
    return steal_or_none(PyNumber_Lshift(a, b));
  // 2 ** -1 is 0.5, as CPython folds it before Numba sees it (a variable
  // exponent keeps Numba's integer rule at run time).
  if (op == "Pow" && r_negative && rb <= 13) return steal_or_none(PyNumber_Power(a, b, Py_None));
  if (op == "Pow" && !r_negative && rb <= 13) {
    long exponent = nb::cast<long>(r);
    long base_bits = bit_length(l);
    if (base_bits <= 1 || base_bits * exponent <= kMaxFoldedBits)
      return steal_or_none(PyNumber_Power(a, b, Py_None));
  }
  return nb::none();
}

}  // namespace

nb::object fold_integer_constant(nb::handle node) {
  std::string kind = kind_of(node);
  if (kind == "Constant") {
    nb::object v = node.attr("value");
    return is_plain_int(v) ? v : nb::none();
  }
  if (kind == "UnaryOp") {
    std::string op = kind_of(node.attr("op"));
    if (op != "USub" && op != "UAdd" && op != "Invert") return nb::none();
    nb::object v = fold_integer_constant(node.attr("operand"));
    if (!is_plain_int(v)) return nb::none();
    if (op == "USub") return steal_or_none(PyNumber_Negative(v.ptr()));
    if (op == "Invert") return steal_or_none(PyNumber_Invert(v.ptr()));
    return v;
  }
  if (kind == "BinOp") {
    nb::object l = fold_integer_constant(node.attr("left"));
    if (!is_plain_int(l)) return nb::none();
    nb::object r = fold_integer_constant(node.attr("right"));
    if (!is_plain_int(r)) return nb::none();
    nb::object v = fold_binary(kind_of(node.attr("op")), l, r);
    if (PyFloat_Check(v.ptr())) return v;  // only a negative power gives one
    if (!v.is_none() && (!is_plain_int(v) || bit_length(v) > kMaxFoldedBits)) return nb::none();
    return v;
  }
  return nb::none();
}

}  // namespace numjit::frontend
