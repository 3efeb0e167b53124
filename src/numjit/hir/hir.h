// HIR: the structured, typed-to-be tree every stage after the front end works
// on. It mirrors the Python subset numjit compiles; every node carries the
// source span it came from, and expressions carry the type inference gave them.
// Python objects captured at compile time appear only as opaque handles
// (`py_object`), so nothing past the front end depends on CPython.
#pragma once

#include <array>
#include <complex>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "numjit/support/diagnostics.h"
#include "numjit/types/signature.h"
#include "numjit/types/type.h"
#include "numjit/types/unify.h"

namespace numjit::library {
struct Builtin;
}

namespace numjit::hir {

using types::BinaryOp;
using types::Type;

struct Function;
struct Expr;

// A value captured from Python when the function was read (globals and closure
// variables are frozen at compile time, as in Numba).
struct GlobalValue {
  enum class Kind {
    Module,          // name: "numpy", "math", "numjit"
    Builtin,         // name: canonical function name, e.g. "np.arctan", "range"
    JitFunction,     // py_object: another numjit dispatcher
    ExceptionClass,  // py_object: a BaseException subclass; name: its __name__
    Array,           // py_object: a NumPy array frozen as a constant
    // py_object: a namedtuple class; name: its key (types::Type::class_key);
    // fields and field_defaults describe its constructor. A Tuple expression
    // carrying this global builds an instance of the class.
    NamedTupleClass,
    // py_object: the Python function an objmode block became
    // (numjit/_objmode.py); name: the canonical type of the tuple of its
    // declared variables it returns, or "none".
    PythonFunction
  };
  Kind kind = Kind::Module;
  std::string name;
  void* py_object = nullptr;  // borrowed; the compile request keeps it alive
  bool elementwise_kernel = false;  // JitFunction: the kernel of a @vectorize ufunc
  // JitFunction: the library's implementation of a NumPy function (np.nanmedian):
  // its scalar results are NumPy scalars, whose dtype does not yield to arrays'.
  bool numpy_scalar_result = false;
  // For Array: the buffer and geometry read at compile time.
  char* data = nullptr;
  std::vector<int64_t> shape, strides;
  // For NamedTupleClass: the field names, and the frozen defaults of the last
  // fields (`__new__.__defaults__`), shared by every copy of this value.
  std::vector<std::string> fields;
  std::shared_ptr<const std::vector<std::unique_ptr<Expr>>> field_defaults;
};

struct Constant {
  enum class Kind { Int, Float, Bool, Complex, None, Str, Ellipsis } kind = Kind::None;
  int64_t int_value = 0;
  double float_value = 0;
  std::complex<double> complex_value;
  std::string str_value;
};

enum class ExprKind {
#define HIR_EXPR(kind, fixed, variadic, what) kind,
#include "numjit/hir/nodes.def"
#undef HIR_EXPR
};
const char* kind_name(ExprKind kind);
enum class UnaryOp { Neg, Pos, Not, Invert };
enum class CompareOp { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// A node's variadic children (a call's args, a tuple's elements), viewed in
// place: iterating gives the child expressions; slot(i) the owning pointer,
// for passes that replace a child.
template <typename E>
class ChildRange {
  using Vector = std::conditional_t<std::is_const_v<E>, const std::vector<ExprPtr>, std::vector<ExprPtr>>;

 public:
  ChildRange(Vector& children, size_t first) : children_(&children), first_(first) {}
  size_t size() const { return children_->size() - first_; }
  bool empty() const { return size() == 0; }
  E& operator[](size_t i) const { return *(*children_)[first_ + i]; }
  E& front() const { return (*this)[0]; }
  E& back() const { return (*this)[size() - 1]; }
  auto& slot(size_t i) const { return (*children_)[first_ + i]; }

  struct iterator {
    typename Vector::const_iterator at;
    E& operator*() const { return **at; }
    iterator& operator++() { ++at; return *this; }
    bool operator!=(const iterator& o) const { return at != o.at; }
    bool operator==(const iterator& o) const { return at == o.at; }
  };
  iterator begin() const { return {children_->cbegin() + static_cast<std::ptrdiff_t>(first_)}; }
  iterator end() const { return {children_->cend()}; }

 private:
  Vector* children_;
  size_t first_;
};

// The `attribute` of a Subscript that reads a @jitclass instance's one item,
// the namedtuple of its fields (types/infer_expressions.cpp): a user's
// `obj[i]` (its __getitem__) is not taken for it, and a store into one of its
// elements writes that field alone (lower/lower_stmt.cpp).
inline constexpr const char* kJitclassItem = "<jitclass item>";
// The `attribute` of a Subscript that reads a namedtuple's field by position
// (`point.x` is point[0]): a class's own __getitem__ is not taken for it.
inline constexpr const char* kNamedTupleField = "<namedtuple field>";
// The `attribute` of a Tuple the front end reads as the one index of
// `x[(i,)]` (or `x[i,]`): a dict's key (i,), where an array takes it as `x[i]`.
inline constexpr const char* kOneTupleIndex = "<one-tuple index>";

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
  // Every child in source order, laid out as hir/nodes.def declares; read
  // them through the named accessors below.
  std::vector<ExprPtr> children;
  std::vector<std::string> keyword_names;  // Call: names of the trailing keyword arguments

  // Filled in by type inference for calls.
  const library::Builtin* builtin = nullptr;  // a library function
  std::optional<types::Signature> signature;  // with builtin: how the row typed this call
  Function* jitted = nullptr;                 // a jitted function's typed specialization
  bool elementwise_call = false;              // a @vectorize kernel applied to arrays
  bool varargs_packed = false;                // the last argument is the callee's *args tuple
  // A NumPy scalar (a[i], x.sum(), np.float64(v), and what is computed from
  // one), not a Python number: NumPy 2 promotes it with an array by its own
  // dtype (float64 with a float32 array gives float64), where a Python
  // number takes the array's (types::elementwise_element_types).
  bool numpy_scalar = false;

  Expr(ExprKind k, SourceSpan s) : kind(k), span(s) {}

  // Named children (hir/nodes.def). Asking a node for a child its kind does
  // not have is an internal error, caught where it happens.
  using enum ExprKind;
#define HIR_CHILD(name, index, nullable, ...)                                                             \
  std::conditional_t<nullable, Expr*, Expr&> name() { return child<nullable>(index, #name, {__VA_ARGS__}); } \
  std::conditional_t<nullable, const Expr*, const Expr&> name() const {                                   \
    return const_cast<Expr*>(this)->child<nullable>(index, #name, {__VA_ARGS__});                         \
  }                                                                                                         \
  ExprPtr& name##_slot() {                                                                                  \
    expect_kind(#name, {__VA_ARGS__});                                                                      \
    return children[index];                                                                                 \
  }
#define HIR_CHILDREN(name, first, ...)                                                   \
  ChildRange<Expr> name() {                                                              \
    expect_kind(#name, {__VA_ARGS__});                                                   \
    return {children, first};                                                            \
  }                                                                                      \
  ChildRange<const Expr> name() const {                                                  \
    expect_kind(#name, {__VA_ARGS__});                                                   \
    return {children, first};                                                            \
  }                                                                                      \
  /* For passes that rebuild the tail: take it out, then set the new one. */             \
  std::vector<ExprPtr> take_##name() {                                                   \
    expect_kind(#name, {__VA_ARGS__});                                                   \
    std::vector<ExprPtr> tail(std::make_move_iterator(children.begin() + first),         \
                              std::make_move_iterator(children.end()));                  \
    children.resize(first);                                                              \
    return tail;                                                                         \
  }                                                                                      \
  void set_##name(std::vector<ExprPtr> tail) {                                           \
    expect_kind(#name, {__VA_ARGS__});                                                   \
    children.resize(first);                                                              \
    for (ExprPtr& c : tail) children.push_back(std::move(c));                            \
  }
#include "numjit/hir/nodes.def"
#undef HIR_CHILD
#undef HIR_CHILDREN

  // A constant integer >= 0: an exponent with which an integer power cannot raise.
  bool is_nonnegative_int_constant() const {
    return kind == ExprKind::Const && constant.kind == Constant::Kind::Int && constant.int_value >= 0;
  }
  bool is_negative_int_constant() const {
    return kind == ExprKind::Const && constant.kind == Constant::Kind::Int && constant.int_value < 0;
  }
  bool is_negative_constant() const {
    return is_negative_int_constant() ||
           (kind == ExprKind::Const && constant.kind == Constant::Kind::Float && constant.float_value < 0);
  }

 private:
  void expect_kind(const char* accessor, std::initializer_list<ExprKind> kinds) const {
    for (ExprKind k : kinds)
      if (k == kind) return;
    wrong_kind(accessor);
  }
  [[noreturn]] void wrong_kind(const char* accessor) const;
  template <bool nullable>
  std::conditional_t<nullable, Expr*, Expr&> child(size_t index, const char* accessor,
                                                   std::initializer_list<ExprKind> kinds) {
    expect_kind(accessor, kinds);
    if constexpr (nullable) return children[index].get();
    else return *children[index];
  }
};

enum class StmtKind {
#define HIR_STMT(kind, what) kind,
#include "numjit/hir/nodes.def"
#undef HIR_STMT
};
const char* kind_name(StmtKind kind);

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
  Block handlers, finalbody;  // Try: its except clauses (Handler statements, in order) and its finally block
  // Handler: which of the exceptions numjit raises itself it catches (bit k:
  // abi::ExceptionKind k), found by issubclass when read; a raise of one of
  // them in the try body may go straight to the first clause that catches it.
  // kClassesUnknownWhenRead: a name the reader could not resolve yet.
  uint32_t caught_kinds = 0;
  static constexpr uint32_t kClassesUnknownWhenRead = 1u << 31;
  Stmt(StmtKind k, SourceSpan s) : kind(k), span(s) {}
  // Every block nested directly in the statement, in the order Python lists
  // them: walks that need not know what each block means visit these.
  std::array<Block*, 4> blocks() { return {&body, &handlers, &orelse, &finalbody}; }
  std::array<const Block*, 4> blocks() const { return {&body, &handlers, &orelse, &finalbody}; }
};

// The own_types bits (types::elementwise_element_types) of the operands that
// are NumPy scalars (Expr::numpy_scalar): in NumPy 2 they promote with arrays
// by their own dtype.
inline uint32_t numpy_scalar_operands(const std::vector<const Expr*>& operands) {
  uint32_t bits = 0;
  for (size_t i = 0; i < operands.size() && i < 32; ++i)
    if (operands[i] && operands[i]->numpy_scalar && !operands[i]->type->is_array()) bits |= 1u << i;
  return bits;
}

struct Variable {
  std::string name;
  const Type* type = types::unknown();
  bool is_param = false;
  bool numpy_scalar = false;  // assigned a NumPy scalar somewhere (Expr::numpy_scalar)
  SourceSpan span;  // parameters: where they are declared
};

// Compile options that change what a function means or how it is lowered.
struct Options {
  bool boundscheck = false;
  bool python_error_model = true;  // error_model='python': raise on division by zero
  bool fastmath = false;
  std::vector<std::string> fastmath_flags;  // empty with fastmath: all flags
  bool parallel = false;
  // parallel=True: the least element count for which a whole-array
  // expression runs on the thread pool (NUMJIT_PARALLEL_ARRAY_MIN).
  int64_t parallel_array_min = 1 << 14;
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
