// HIR: the structured, typed-to-be tree every stage after the front end works
// on. It mirrors the Python subset numjit compiles; every node carries the
// source span it came from, and expressions carry the type inference gave them.
// Python objects captured at compile time appear only as opaque handles
// (`py_object`), so nothing past the front end depends on CPython.
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "numjit/support/diagnostics.h"
#include "numjit/types/type.h"
#include "numjit/types/unify.h"

namespace numjit::library {
struct Builtin;
}

namespace numjit::hir {

using types::BinaryOp;
using types::Type;

struct Function;

// A value captured from Python when the function was read (globals and closure
// variables are frozen at compile time, as in Numba).
struct GlobalValue {
  enum class Kind {
    Module,          // name: "numpy", "math", "numjit"
    Builtin,         // name: canonical function name, e.g. "np.arctan", "range"
    JitFunction,     // py_object: another numjit dispatcher
    ExceptionClass,  // py_object: a BaseException subclass; name: its __name__
    Array            // py_object: a NumPy array frozen as a constant
  };
  Kind kind = Kind::Module;
  std::string name;
  void* py_object = nullptr;  // borrowed; the compile request keeps it alive
  bool elementwise_kernel = false;  // JitFunction: the kernel of a @vectorize ufunc
  // For Array: the buffer and geometry read at compile time.
  char* data = nullptr;
  std::vector<int64_t> shape, strides;
};

struct Constant {
  enum class Kind { Int, Float, Bool, Complex, None, Str, Ellipsis } kind = Kind::None;
  int64_t int_value = 0;
  double float_value = 0;
  std::complex<double> complex_value;
  std::string str_value;
};

enum class ExprKind {
  Const, Local, Global, Attribute, Subscript, Slice, Binary, Unary, Compare, BoolOp, IfExp, Call, Tuple, List, Dict
};
enum class UnaryOp { Neg, Pos, Not, Invert };
enum class CompareOp { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  SourceSpan span;
  const Type* type = types::unknown();

  Constant constant;                 // Const
  int local = -1;                    // Local: index into Function::locals
  GlobalValue global;                // Global
  std::string attribute;             // Attribute
  BinaryOp binary_op{};              // Binary
  UnaryOp unary_op{};                // Unary
  bool is_and = false;               // BoolOp: `and` or `or`
  std::vector<CompareOp> compare_ops;  // Compare: one per adjacent pair of children
  // Operands in source order: Binary (lhs, rhs), Unary (x), Compare (a, b, c...),
  // BoolOp (values), IfExp (test, body, orelse), Call (callee, args...),
  // Subscript (value, indices...), Slice (lower, upper, step; nullptr when absent),
  // Attribute (value), Tuple and List (elements), Dict (key, value, key, value...).
  std::vector<ExprPtr> children;
  std::vector<std::string> keyword_names;  // Call: names of the trailing keyword arguments

  // Filled in by type inference for calls.
  const library::Builtin* builtin = nullptr;  // a library function
  Function* callee = nullptr;                 // a jitted function's typed specialization
  bool elementwise_call = false;              // a @vectorize kernel applied to arrays
  bool varargs_packed = false;                // the last argument is the callee's *args tuple

  Expr(ExprKind k, SourceSpan s) : kind(k), span(s) {}

  bool is_negative_int_constant() const {
    return kind == ExprKind::Const && constant.kind == Constant::Kind::Int && constant.int_value < 0;
  }
  bool is_negative_constant() const {
    return is_negative_int_constant() ||
           (kind == ExprKind::Const && constant.kind == Constant::Kind::Float && constant.float_value < 0);
  }
};

enum class StmtKind { Assign, AugAssign, ExprStmt, If, While, For, Break, Continue, Return, Raise, Assert, Pass };

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

struct Stmt {
  StmtKind kind;
  SourceSpan span;
  ExprPtr target;  // Assign/AugAssign/For: a Local, Subscript or Tuple of targets
  ExprPtr value;   // Assign/AugAssign value, If/While/Assert test, For iterable,
                   // Return value (may be null), Raise exception, ExprStmt
  ExprPtr message; // Assert message (may be null)
  BinaryOp op{};   // AugAssign
  Block body, orelse;
  Stmt(StmtKind k, SourceSpan s) : kind(k), span(s) {}
};

struct Variable {
  std::string name;
  const Type* type = types::unknown();
  bool is_param = false;
  SourceSpan span;  // parameters: where they are declared
};

// Compile options that change what a function means or how it is lowered.
struct Options {
  bool boundscheck = false;
  bool python_error_model = true;  // error_model='python': raise on division by zero
  bool fastmath = false;
  std::vector<std::string> fastmath_flags;  // empty with fastmath: all flags
  bool parallel = false;
  bool vector_math = true;
  bool inline_always = false;  // inline='always': callers get the body inlined
  bool library_code = false;   // numjit's own Python library (python/numjit/library)
};

// One function, and after type inference one specialization of it.
struct Function {
  std::string name;
  std::shared_ptr<const SourceFile> source;
  SourceSpan span;
  std::vector<Variable> locals;  // parameters first, in order
  size_t param_count = 0;
  // `def f(a, *args)`: the last parameter holds the extra positional
  // arguments as a tuple (the caller packs them).
  bool varargs = false;
  // Default values of the trailing parameters (constants), in order.
  std::vector<std::unique_ptr<Expr>> defaults;
  // The types this specialization is called with. A parameter's local may
  // widen beyond them (`s += 0.5` on an int argument), as in Numba.
  std::vector<const Type*> param_types;
  Block body;
  Options options;
  void* py_dispatcher = nullptr;  // the dispatcher it came from, for recursion checks
  // Re-entered while being typed: it calls itself, directly or through other
  // functions, so its entry checks the stack depth.
  bool recursive = false;

  // Filled in by type inference.
  const Type* return_type = types::unknown();
  std::string symbol;  // the LLVM symbol of the lowered specialization
};

}  // namespace numjit::hir
