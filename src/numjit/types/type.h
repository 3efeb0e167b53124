// numjit's type system: Numba's nopython types. Types are interned, so two
// types are equal exactly when their pointers are; compare with ==.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "numjit/runtime/abi.h"

namespace numjit::types {

using abi::Layout;
using abi::ScalarKind;

enum class TypeKind {
  Unknown,   // not inferred yet: the bottom of unification
  Scalar,    // bool, ints, floats, complex
  NoneType,
  Array,
  Tuple,
  Optional,  // T or None
  StringLiteral,
  String,    // a string made at run time (runtime/strings.h); Numba's unicode_type
  Slice,     // a slice object in an index expression
  Range,     // the value of range(...)/prange(...) before a for loop consumes it
  List,      // a list built in compiled code; elements[0] is the item type
  Dict,      // a dict built in compiled code; elements are the key and value types
  Set,       // a set built in compiled code; elements[0] is the item type (a dict without values at run time)
  Generator, // an np.random.Generator (runtime/generator.h): a refcounted block holding the Python object
  Pointer,   // a C pointer a @cfunc receives (CPointer(float64), voidptr); elements[0] the pointee (none: void)
  Opaque     // compile-time-only values: modules, functions, exception classes
};

struct Type {
  TypeKind kind = TypeKind::Unknown;
  ScalarKind scalar = ScalarKind::Invalid;  // Scalar: itself; Array: its dtype
  int ndim = 0;
  Layout layout = Layout::None;
  bool readonly = false;
  std::vector<const Type*> elements;  // Tuple elements; Optional payload at [0]
  std::string name;                   // canonical spelling, e.g. "array(float64, 1d, C)"
  std::string text;                   // StringLiteral: the string itself
  // List, Dict: made by numjit.typed (Numba's ListType / DictType), so it goes
  // back to Python as a typed.List / typed.Dict that shares the memory.
  bool typed_container = false;
  // A namedtuple (a Tuple made by a Python class): the key naming its class
  // (python/numjit/types.py registers it, so results box back to that class)
  // and its field names, one per element. Empty for a plain tuple.
  std::string class_key;
  std::vector<std::string> fields;

  bool is_scalar() const { return kind == TypeKind::Scalar; }
  bool is_array() const { return kind == TypeKind::Array; }
  bool is_named_tuple() const { return kind == TypeKind::Tuple && !class_key.empty(); }
  bool is_bool() const { return is_scalar() && scalar == ScalarKind::Bool; }
  bool is_integer() const;   // signed or unsigned, not bool
  bool is_signed() const;
  bool is_float() const;
  bool is_complex() const;
  bool is_number() const { return is_scalar() && !is_time(); }  // bool counts as a number, as in NumPy
  // NumPy's datetime64[unit] and timedelta64[unit] scalars (and arrays' dtypes
  // through dtype()): int64 counts of a unit, which only the operations of
  // types/time_typing.h and a few library rows accept.
  bool is_datetime() const { return is_scalar() && abi::is_datetime_kind(scalar); }
  bool is_timedelta() const { return is_scalar() && abi::is_timedelta_kind(scalar); }
  bool is_time() const { return is_scalar() && abi::is_time_kind(scalar); }
  int bits() const;          // scalar width in bits (bool: 1)
  const Type* dtype() const; // an array's element type
};

// Interned constructors.
const Type* unknown();
const Type* none();
const Type* scalar(ScalarKind kind);
const Type* boolean();
const Type* int64();
const Type* uint64();
const Type* float64();
const Type* complex128();
const Type* array(ScalarKind dtype, int ndim, Layout layout, bool readonly = false);
const Type* tuple(const std::vector<const Type*>& elements);
// A namedtuple: "NamedTuple[<class key>](x: float64, n: int64)".
const Type* named_tuple(std::string_view class_key, const std::vector<std::string>& fields,
                        const std::vector<const Type*>& elements);
// A @jitclass instance (python/numjit/experimental/jitclass.py) is a typed
// list holding one namedtuple of its fields, whose class key is the jitclass's
// own followed by this suffix: the list gives it reference semantics, a
// refcount and the memory Python shares with compiled code.
using abi::kJitclassFieldsSuffix;
bool is_jitclass_instance(const Type* t);
// The jitclass's key ("module.Class") of an instance type.
std::string jitclass_key(const Type* instance);
// The same kind of tuple with other elements: a namedtuple stays one of its class.
const Type* tuple_like(const Type* tuple_type, const std::vector<const Type*>& elements);
const Type* optional(const Type* payload);
// A string constant; each text is its own type, so `mode == "full"` is
// decided at compile time and each text passed to a function specializes it.
const Type* string_literal(std::string_view text);
// A string made at run time: what two different constants unify to, and
// what operations on strings give.
const Type* string();
const Type* slice();
const Type* range();
const Type* numpy_random_generator();  // "NumPyRandomGeneratorType", Numba's name
// A Python bytes object (Numba's "bytes"): at run time a read-only, C-ordered
// 1-D uint8 array, so every array row reads it, and it boxes back to bytes.
// Its parent is the bytes object it came from, or null for bytes compiled code made.
const Type* bytes();
// A C pointer: "CPointer(float64)"; "voidptr" for a pointee of none.
const Type* pointer(const Type* pointee);
const Type* opaque(const std::string& what);  // e.g. "module(numpy)"
// A dtype as a value (np.float32 passed to a jitted function, a.dtype): the
// opaque "dtype(float32)", known at compile time, its run-time value a dummy byte.
const Type* dtype_value(const Type* dtype);
bool is_dtype_value(const Type* t);
// The dtype a dtype value names (float32 for dtype(float32)); nullptr for any other type.
const Type* dtype_of_value(const Type* t);
// np.finfo(float32) / np.iinfo(int16): "finfo(float32)", a compile-time value
// whose attributes are constants; it may sit in a local (a dummy byte).
bool is_limits_value(const Type* t);
// "dict(int64, float64)", typed: "DictType[int64,float64]"; unknown() for {}
const Type* dict(const Type* key, const Type* value, bool typed = false);
// "list(int64)", typed: "ListType[int64]"; item may be unknown() for []
const Type* list(const Type* item, bool typed = false);
// The same list or dict as a numjit.typed one (other types unchanged).
const Type* as_typed_container(const Type* container);
const Type* set_of(const Type* item);          // "set(int64)"; item may be unknown() for set()
// A list type's item type (int64 for a list whose items were never typed).
const Type* list_item(const Type* list);

const Type* integer_of(int bits, bool is_signed);
const Type* float_of(int bits);
const Type* complex_of(int float_bits);

// Parses the canonical spelling produced by Type::name (and the Python side's
// numjit.types str()); returns nullptr on a malformed string.
const Type* parse(std::string_view text);

std::string_view scalar_name(ScalarKind k);

}  // namespace numjit::types
