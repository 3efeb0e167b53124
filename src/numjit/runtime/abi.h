// The binary contract between compiled code, the dispatcher and the compiler.
// Defined once here; the compiler builds its LLVM types from these definitions
// (see lower/llvm_types.cpp), so the two can never drift apart silently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace numjit::abi {

// Scalar kinds, shared by the dispatcher's argument fingerprints, the return
// descriptors and the compiler's type system, with their names (NumPy's
// dtype names; the compiler's type names and numjit.types use them too).
enum class ScalarKind : uint8_t {
  Invalid = 0,
  Bool,
  Int8, Int16, Int32, Int64,
  UInt8, UInt16, UInt32, UInt64,
  Float32, Float64,
  Complex64, Complex128,
  None,
  // NumPy's datetime64 and timedelta64, one kind per time unit (kTimeUnitNames'
  // order, coarsest first): an int64 count of units, NaT being INT64_MIN.
  DateTime64Y, DateTime64M, DateTime64W, DateTime64D, DateTime64h, DateTime64m, DateTime64s,
  DateTime64ms, DateTime64us, DateTime64ns, DateTime64ps, DateTime64fs, DateTime64as,
  TimeDelta64Y, TimeDelta64M, TimeDelta64W, TimeDelta64D, TimeDelta64h, TimeDelta64m, TimeDelta64s,
  TimeDelta64ms, TimeDelta64us, TimeDelta64ns, TimeDelta64ps, TimeDelta64fs, TimeDelta64as,
  Count
};
inline constexpr int kTimeUnits = 13;
inline constexpr const char* kTimeUnitNames[kTimeUnits] = {"Y", "M", "W", "D", "h", "m", "s",
                                                           "ms", "us", "ns", "ps", "fs", "as"};
inline constexpr const char* kScalarKindNames[] = {
    "invalid", "bool",   "int8",    "int16",   "int32",     "int64",      "uint8", "uint16",
    "uint32",  "uint64", "float32", "float64", "complex64", "complex128", "none",
    "datetime64[Y]", "datetime64[M]", "datetime64[W]", "datetime64[D]", "datetime64[h]", "datetime64[m]",
    "datetime64[s]", "datetime64[ms]", "datetime64[us]", "datetime64[ns]", "datetime64[ps]", "datetime64[fs]",
    "datetime64[as]",
    "timedelta64[Y]", "timedelta64[M]", "timedelta64[W]", "timedelta64[D]", "timedelta64[h]", "timedelta64[m]",
    "timedelta64[s]", "timedelta64[ms]", "timedelta64[us]", "timedelta64[ns]", "timedelta64[ps]",
    "timedelta64[fs]", "timedelta64[as]"};
static_assert(sizeof(kScalarKindNames) / sizeof(kScalarKindNames[0]) == static_cast<size_t>(ScalarKind::Count));
inline constexpr bool is_datetime_kind(ScalarKind k) {
  return k >= ScalarKind::DateTime64Y && k <= ScalarKind::DateTime64as;
}
inline constexpr bool is_timedelta_kind(ScalarKind k) {
  return k >= ScalarKind::TimeDelta64Y && k <= ScalarKind::TimeDelta64as;
}
inline constexpr bool is_time_kind(ScalarKind k) { return is_datetime_kind(k) || is_timedelta_kind(k); }
// A time kind's unit: an index into kTimeUnitNames.
inline constexpr int time_unit(ScalarKind k) {
  return static_cast<int>(k) - static_cast<int>(is_datetime_kind(k) ? ScalarKind::DateTime64Y : ScalarKind::TimeDelta64Y);
}
inline constexpr ScalarKind time_kind(bool datetime, int unit) {
  return static_cast<ScalarKind>(static_cast<int>(datetime ? ScalarKind::DateTime64Y : ScalarKind::TimeDelta64Y) + unit);
}
inline constexpr int64_t kNaT = INT64_MIN;  // datetime64('NaT') and timedelta64('NaT')

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
// Between a jitted function's deferred variant and its caller only (never
// an entry's status): a divisor was zero, nothing was raised, and the
// caller's loop raises ZeroDivisionError once it ends (passes/deferred_checks.h).
constexpr int32_t kStatusZeroDivisor = 2;
constexpr size_t kReturnSlotBytes = 16;

// The return value layout, as a pre-order list of codes. Each scalar leaf
// occupies one 16-byte slot; an optional adds one leading slot holding an i8
// "present" flag; a tuple's leaves follow one another.
enum class ReturnCode : uint8_t {
  Scalar = 1,  // followed by a ScalarKind
  Tuple = 2,   // followed by the element count, then each element
  Optional = 3, // followed by the payload
  Array = 4,     // followed by the dtype's ScalarKind and ndim; an ArrayHeader over several slots
  List = 5,      // followed by the item's code (Scalar + kind, Array + kind + ndim, String, or Tuple + n + each
                 // element's kind); one slot
  Dict = 6,      // followed by the key's ScalarKind and the value's code (as a list item's); one slot
                 // holding the list's MemInfo (a reference)
  Set = 7,       // followed by the item's ScalarKind; one slot holding the set's MemInfo (a reference)
  String = 8,    // one slot holding the string's MemInfo (a reference); as a list item, no kind follows
  TypedList = 9,  // as List and Dict, for a numjit.typed.List / Dict: Python gets an object sharing the
  TypedDict = 10,  // container (bindings/typed_containers.h) rather than a copy
  ReadonlyArray = 11,  // as Array, returned (not as an item) from a read-only view: np.broadcast_to's
  Generator = 12,     // an np.random.Generator: one slot holding its block's MemInfo (a reference)
  NamedTuple = 13,    // followed by its class key's length (two bytes, little-endian), the key's text,
                      // then the tuple's own code (Tuple ...); boxes to an instance of that class
  Bytes = 14,         // a bytes value: the ArrayHeader of a 1-D uint8 array (nothing follows); boxes to a
                      // Python bytes holding a copy, or the bytes object it views whole
  DType = 15          // a dtype (a.dtype, np.dtype(...)): followed by its name's length (two bytes,
                      // little-endian) and the name; no slot, as the type alone says which dtype
};
// The suffix of the class key of a @jitclass's fields: an instance is a typed
// list holding one namedtuple of them (types::is_jitclass_instance), which
// boxes as the jitclass (bindings/typed_containers.cpp).
inline constexpr std::string_view kJitclassFieldsSuffix = ".<jitclass fields>";
// The ScalarKind byte that stands for a string where a descriptor names a dict
// key's or a set item's kind.
inline constexpr uint8_t kStringKindCode = 0xff;
// A dict key's kind byte that is followed by the item codes of a tuple key
// (a dict returned to Python: tuples of numbers and strings as keys).
inline constexpr uint8_t kTupleKeyCode = 0xfe;
inline constexpr size_t array_return_slots(int ndim) {
  return (array_header_bytes(ndim) + kReturnSlotBytes - 1) / kReturnSlotBytes;
}

// The fields of a dict or set (runtime/dict.cpp, which checks them) that
// compiled code reads to probe a table inline: the index size (a power of
// two) and the index, whose 16-byte slots are {key hash, entry number}; and,
// to find a value, the entries (each: a live flag, the key padded to 8
// bytes, the value) with their sizes.
constexpr size_t kDictKeySizeOffset = 24;
constexpr size_t kDictEntrySizeOffset = 40;
constexpr size_t kDictSlotsOffset = 64;
constexpr size_t kDictIndexOffset = 72;
constexpr size_t kDictEntriesOffset = 80;

// The Mersenne Twister state behind Python's random module in compiled code
// (runtime/random.cpp): 624 32-bit words, then the index of the next word to
// temper (an int32; 624 when the words must be twisted first). Compiled code
// draws inline from it (library/python_random.cpp) and calls the runtime
// only to twist.
constexpr int kMersenneWords = 624;
constexpr size_t kMersennePositionOffset = kMersenneWords * sizeof(uint32_t);

// Argument fingerprint: one 32-bit code per argument, computed by the
// dispatcher from the Python object. Scalars and arrays of a dtype share the
// ScalarKind byte (bits 0-7); arrays add ndim (bits 8-15), layout (16-17) and
// the array and read-only bits. Strings, tuples and lists carry their bit and
// the index of their registered layout in the low 20 bits (bindings/tuples.h,
// bindings/lists.h).
enum class Layout : uint8_t { None = 0, C = 1, F = 2, Any = 3 };
constexpr uint32_t kFingerprintArrayBit = 1u << 20;
constexpr uint32_t kFingerprintReadonlyBit = 1u << 21;
constexpr uint32_t kFingerprintStringBit = 1u << 22;
constexpr uint32_t kFingerprintTupleBit = 1u << 23;
constexpr uint32_t kFingerprintListBit = 1u << 24;
constexpr uint32_t kFingerprintIndexMask = (1u << 20) - 1;
// With the list bit or the dict bit: a numjit.typed container, passed by reference (not reflected).
constexpr uint32_t kFingerprintTypedBit = 1u << 25;
constexpr uint32_t kFingerprintDictBit = 1u << 26;
// A Python set argument (reflected as a list is), its item code registered as a list's.
constexpr uint32_t kFingerprintSetBit = 1u << 27;
// An np.random.Generator argument (the whole code: it has no parts).
constexpr uint32_t kFingerprintGenerator = 1u << 28;
// A Python bytes argument (the whole code), unboxed as the ArrayHeader of a
// read-only 1-D uint8 array whose parent is the bytes object (types::bytes()).
constexpr uint32_t kFingerprintBytes = 1u << 29;
// A string made at run time (a list item; a str argument is a constant, its own code).
constexpr uint32_t kFingerprintAnyString = kFingerprintStringBit | kFingerprintIndexMask;
inline constexpr ScalarKind fingerprint_kind(uint32_t code) { return static_cast<ScalarKind>(code & 0xff); }
inline constexpr int fingerprint_ndim(uint32_t code) { return static_cast<int>((code >> 8) & 0xff); }
inline constexpr Layout fingerprint_layout(uint32_t code) { return static_cast<Layout>((code >> 16) & 0x3); }
inline constexpr uint32_t scalar_fingerprint(ScalarKind k) { return static_cast<uint32_t>(k); }
inline constexpr uint32_t array_fingerprint(ScalarKind k, int ndim, Layout layout, bool readonly) {
  return static_cast<uint32_t>(k) | (static_cast<uint32_t>(ndim) << 8) |
         (static_cast<uint32_t>(layout) << 16) | kFingerprintArrayBit |
         (readonly ? kFingerprintReadonlyBit : 0u);
}

// np.random.Generator's distributions, drawn by NumPy's own C functions
// (libnpyrandom, runtime/generator.cpp) through numjit_rt_generator_fill,
// which takes the distribution's number: X(name, result) with the result
// D (float64), F (float32) or I (int64). Parameters are passed as three
// doubles; each row's order is its NumPy method's.
#define NUMJIT_GENERATOR_DISTRIBUTIONS(X)                                                                   \
  X(random, D) X(random_float32, F) X(standard_normal, D) X(standard_normal_float32, F)                    \
  X(standard_exponential, D) X(standard_exponential_float32, F) X(standard_exponential_inverse, D)        \
  X(standard_exponential_inverse_float32, F) X(standard_gamma, D) X(standard_gamma_float32, F)            \
  X(normal, D) X(exponential, D) X(gamma, D) X(uniform, D) X(beta, D) X(chisquare, D) X(f, D)             \
  X(gumbel, D) X(laplace, D) X(logistic, D) X(lognormal, D) X(noncentral_chisquare, D)                    \
  X(noncentral_f, D) X(pareto, D) X(power, D) X(rayleigh, D) X(standard_cauchy, D) X(standard_t, D)       \
  X(triangular, D) X(vonmises, D) X(wald, D) X(weibull, D) X(binomial, I) X(geometric, I)                  \
  X(hypergeometric, I) X(logseries, I) X(negative_binomial, I) X(poisson, I) X(zipf, I)
enum class GeneratorDistribution : int32_t {
#define NUMJIT_GENERATOR_DISTRIBUTION(name, result) name,
  NUMJIT_GENERATOR_DISTRIBUTIONS(NUMJIT_GENERATOR_DISTRIBUTION)
#undef NUMJIT_GENERATOR_DISTRIBUTION
  Count
};

// The first byte of an exception message that is instead a Python literal of
// the exception's argument tuple (lower/exception_arguments.h writes it, the
// dispatcher evaluates it).
inline constexpr char kExceptionArgumentsMarker = '\x01';

// The exceptions numjit raises itself, by kind, so that compiled code names
// them by number and holds no address of this process. One table in the
// runtime (errors.cpp) maps each kind to its class.
#define NUMJIT_EXCEPTION_KINDS(X) \
  X(ZeroDivisionError) X(IndexError) X(ValueError) X(AssertionError) X(TypeError) X(KeyError) \
  X(RecursionError) X(MemoryError) X(UnboundLocalError) X(LinAlgError) /* numpy.linalg.LinAlgError */ \
  X(AxisError) /* numpy.exceptions.AxisError, a ValueError and an IndexError */ X(OverflowError)
enum class ExceptionKind : int32_t {
#define NUMJIT_EXCEPTION_KIND(name) name,
  NUMJIT_EXCEPTION_KINDS(NUMJIT_EXCEPTION_KIND)
#undef NUMJIT_EXCEPTION_KIND
  Count
};

}  // namespace numjit::abi

namespace numjit::runtime {
struct PendingError {
  void* exc_class = nullptr;
  std::string message;
  bool set = false;
  // A Python exception object (a reference) raised as it is, traceback and
  // all: one an objmode block raised. Null for compiled code's own.
  void* exception = nullptr;
};
// Points the exception kind `kind` at its Python class (borrowed; the
// dispatcher module does this at import, so the runtime needs no Python headers).
void register_exception_class(abi::ExceptionKind kind, void* exc_class);
// Records an exception of a kind, as compiled code does through numjit_rt_raise.
void raise(abi::ExceptionKind kind, const char* message);
// Takes (and clears) this thread's pending error from the last failed call.
PendingError take_pending_error();
// How a failed @cfunc reports its pending error (set by the dispatcher module,
// which holds the Python side of it).
void set_cfunc_failure_hook(void (*report)(const char* name));
// How a failed ufunc inner loop reports its pending error (set by the
// dispatcher module: it raises the error into Python, the GIL taken).
void set_ufunc_failure_hook(void (*report)());
// The data argument a target='parallel' ufunc passes its serial loop for a
// chunk (see numjit_rt_ufunc_failed), and whether this thread has an error pending.
void* ufunc_chunk_data();
bool has_pending_error();
// Records a Python exception object (a reference the record takes) as this thread's pending error.
void set_python_exception(void* exception, void* exc_class);
// How compiled code calls an objmode block's Python function (numjit_rt_call_python; set by the dispatcher module).
using CallPython = int32_t (*)(void* function, const uint8_t* descriptor, int64_t descriptor_length, void* slots,
                               void* result);
void set_call_python_hook(CallPython hook);
// How print() boxes a value compiled code stored with its return descriptor
// (a new reference; the dispatcher module sets it: the boxing is its own).
void set_print_boxing_hook(void* (*box)(const uint8_t* descriptor, void* slots));
// How a caught error is matched against an except clause's class (Python's
// issubclass), and how an objmode exception's reference is taken when a
// caught error is raised again and dropped when it is handled; the
// dispatcher module sets them.
void set_exception_hooks(bool (*is_subclass)(void* cls, void* base), void (*retain)(void* exception),
                         void (*release)(void* exception));
}  // namespace numjit::runtime
