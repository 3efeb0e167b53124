// The binary contract between compiled code, the dispatcher and the compiler.
// Defined once here; the compiler builds its LLVM types from these definitions
// (see lower/llvm_types.cpp), so the two can never drift apart silently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace numjit::abi {

// Scalar kinds, shared by the dispatcher's argument fingerprints, the return
// descriptors and the compiler's type system.
enum class ScalarKind : uint8_t {
  Invalid = 0,
  Bool,
  Int8, Int16, Int32, Int64,
  UInt8, UInt16, UInt32, UInt64,
  Float32, Float64,
  Complex64, Complex128,
  None,
  Count
};

// An array as compiled code sees it. `dims` holds ndim shape entries followed
// by ndim strides (in bytes); the LLVM struct is
// {ptr meminfo, ptr parent, ptr data, [nd x i64], [nd x i64]}.
struct ArrayHeader {
  void* meminfo;  // owner of the memory when compiled code allocated it; null for borrowed buffers
  void* parent;   // the Python ndarray whose buffer this views (borrowed), or null
  char* data;
  int64_t dims[];  // shape[ndim] then strides[ndim]
};
static_assert(offsetof(ArrayHeader, meminfo) == 0);
static_assert(offsetof(ArrayHeader, parent) == 8);
static_assert(offsetof(ArrayHeader, data) == 16);
static_assert(offsetof(ArrayHeader, dims) == 24);
inline constexpr size_t array_header_bytes(int ndim) { return sizeof(ArrayHeader) + 16 * static_cast<size_t>(ndim); }

constexpr int kMaxArgs = 64;
constexpr int kMaxNdim = 32;

// Every compiled specialization exports one entry with this C signature.
// args[i] points to argument i's unboxed value (a scalar, or an ArrayHeader).
// The result is written into `ret` as a sequence of 16-byte slots (see
// ReturnDescriptor). Returns kStatusOk or kStatusError.
using EntryFn = int32_t (*)(void** args, void* ret);
constexpr int32_t kStatusOk = 0;
constexpr int32_t kStatusError = 1;
constexpr size_t kReturnSlotBytes = 16;

// The return value layout, as a pre-order list of codes. Each scalar leaf
// occupies one 16-byte slot; an optional adds one leading slot holding an i8
// "present" flag; a tuple's leaves follow one another.
enum class ReturnCode : uint8_t {
  Scalar = 1,  // followed by a ScalarKind
  Tuple = 2,   // followed by the element count, then each element
  Optional = 3, // followed by the payload
  Array = 4,     // followed by the dtype's ScalarKind and ndim; an ArrayHeader over several slots
  List = 5,      // followed by the item's code (Scalar + kind, or Array + kind + ndim); one slot
  Dict = 6       // followed by the key's ScalarKind and the value's code (as a list item's); one slot
                 // holding the list's MemInfo (a reference)
};
inline constexpr size_t array_return_slots(int ndim) {
  return (array_header_bytes(ndim) + kReturnSlotBytes - 1) / kReturnSlotBytes;
}

// Argument fingerprint: one 32-bit code per argument, computed by the
// dispatcher from the Python object. Scalars and arrays of a dtype share the
// ScalarKind byte; arrays add ndim, layout and read-only bits.
enum class Layout : uint8_t { None = 0, C = 1, F = 2, Any = 3 };
constexpr uint32_t kFingerprintArrayBit = 1u << 20;
constexpr uint32_t kFingerprintReadonlyBit = 1u << 21;
inline constexpr uint32_t scalar_fingerprint(ScalarKind k) { return static_cast<uint32_t>(k); }
inline constexpr uint32_t array_fingerprint(ScalarKind k, int ndim, Layout layout, bool readonly) {
  return static_cast<uint32_t>(k) | (static_cast<uint32_t>(ndim) << 8) |
         (static_cast<uint32_t>(layout) << 16) | kFingerprintArrayBit |
         (readonly ? kFingerprintReadonlyBit : 0u);
}

}  // namespace numjit::abi

// Runtime functions called from compiled code (C ABI; addresses are handed to
// the JIT as absolute symbols, so the runtime needs no exported symbols).
extern "C" {
// Records the exception compiled code wants to raise: a Python exception class
// (borrowed; the compiled module keeps it alive) and a UTF-8 message.
void numjit_rt_set_error(void* exc_class, const char* message);
// base ** exponent for complex128, as CPython computes it (repeated
// multiplication for small integral exponents); writes {re, im} to out.
void numjit_rt_complex_pow(double* out, double re, double im, double exp_re, double exp_im);
// round(x, ndigits) of a float, rounded as CPython does (python_round.cpp).
double numjit_rt_round_digits(double x, int64_t ndigits);
// NumPy's npy_cpow, for array code (complex128 and complex64).
void numjit_rt_complex_pow_numpy(double* out, double re, double im, double exp_re, double exp_im);
void numjit_rt_complex64_pow_numpy(float* out, float re, float im, float exp_re, float exp_im);
// print(): writes one value (a scalar of `kind`, widened to 64 bits, or the
// string `text` when not null) to Python's sys.stdout, then a space, or a
// newline when `last`.
void numjit_rt_print(int32_t kind, const void* value, const char* text, int32_t last);
// Records an exception whose message is `prefix` followed by a shape.
void numjit_rt_set_shape_error(void* exc_class, const char* prefix, int32_t ndim, const int64_t* shape);
// Nonzero when `frame_address` is within the reserve at the end of this
// thread's stack: recursive functions then raise RecursionError.
int32_t numjit_rt_stack_exhausted(void* frame_address);
}

namespace numjit::runtime {
struct PendingError {
  void* exc_class = nullptr;
  std::string message;
  bool set = false;
};
// Python exception classes the runtime raises itself (borrowed; set by the
// dispatcher module at import, so the runtime needs no Python headers).
struct BuiltinExceptions {
  void* value_error = nullptr;
  void* memory_error = nullptr;
  void* index_error = nullptr;
};
extern BuiltinExceptions g_builtin_exceptions;
// Takes (and clears) this thread's pending error from the last failed call.
PendingError take_pending_error();
}  // namespace numjit::runtime
