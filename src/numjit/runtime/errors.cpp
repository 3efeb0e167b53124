// Exceptions raised by compiled code travel as a thread-local record: the
// compiled function stores it and returns kStatusError up its call chain; the
// dispatcher then turns it into a Python exception. Thread-local because
// several Python threads and pool threads may fail at once. The message is
// copied, so formatted messages (shapes) need no storage of their own.
#include "numjit/runtime/abi.h"
#include "numjit/runtime/functions.h"

#include <memory>
#include <utility>
#include <vector>

namespace {
thread_local numjit::runtime::PendingError tls_pending;

// The one table from exception kind to Python class. Filled once at import,
// before any compiled code runs, and only read afterwards.
void* exception_classes[static_cast<int>(numjit::abi::ExceptionKind::Count)];

}  // namespace

extern "C" void numjit_rt_set_error(void* exc_class, const char* message) {
  tls_pending.exc_class = exc_class;
  tls_pending.message = message ? message : "";
  tls_pending.set = true;
}

extern "C" void numjit_rt_raise(int32_t kind, const char* message) {
  numjit_rt_set_error(exception_classes[kind], message);
}

extern "C" void numjit_rt_raise_int_out_of_bounds(int64_t value, int32_t is_unsigned, const char* dtype) {
  std::string text = is_unsigned ? std::to_string(static_cast<uint64_t>(value)) : std::to_string(value);
  std::string message = "Python integer " + text + " out of bounds for " + dtype;
  numjit_rt_raise(static_cast<int32_t>(numjit::abi::ExceptionKind::OverflowError), message.c_str());
}

namespace {
bool (*exception_subclass_hook)(void* cls, void* base) = nullptr;
void (*python_exception_retain_hook)(void* exception) = nullptr;
void (*python_exception_release_hook)(void* exception) = nullptr;
}  // namespace

namespace {
using numjit::runtime::PendingError;

// Caught errors' records, kept for the next catch: a loop that catches an
// error per element allocates nothing once it runs, and the message texts
// swap their buffers with the thread's record rather than reallocating.
thread_local std::vector<std::unique_ptr<PendingError>> tls_spare_records;

// Moves `from` into `to`, leaving `from` empty with `to`'s old text buffer.
void move_error(PendingError& from, PendingError& to) {
  to.message.swap(from.message);
  from.message.clear();
  to.exc_class = std::exchange(from.exc_class, nullptr);
  to.exception = std::exchange(from.exception, nullptr);
  to.set = std::exchange(from.set, false);
}

void keep_spare(PendingError* record) {
  if (tls_spare_records.size() < 16) tls_spare_records.emplace_back(record);
  else delete record;
}
}  // namespace

extern "C" void* numjit_rt_catch_error() {
  PendingError* record;
  if (tls_spare_records.empty()) {
    record = new PendingError;
  } else {
    record = tls_spare_records.back().release();
    tls_spare_records.pop_back();
  }
  move_error(tls_pending, *record);
  return record;
}

extern "C" int32_t numjit_rt_caught_error_matches(void* record, void* exc_class) {
  void* cls = static_cast<numjit::runtime::PendingError*>(record)->exc_class;
  if (cls == exc_class) return 1;
  return cls && exception_subclass_hook && exception_subclass_hook(cls, exc_class);
}

extern "C" void numjit_rt_restore_error(void* record) {
  auto* caught = static_cast<PendingError*>(record);
  if (!caught) return;
  move_error(*caught, tls_pending);
  keep_spare(caught);
}

extern "C" void numjit_rt_raise_caught(void* record) {
  const auto* caught = static_cast<const numjit::runtime::PendingError*>(record);
  if (!caught) return;
  tls_pending = *caught;
  if (caught->exception && python_exception_retain_hook) python_exception_retain_hook(caught->exception);
}

extern "C" void numjit_rt_discard_error(void* record) {
  auto* caught = static_cast<PendingError*>(record);
  if (!caught) return;
  if (caught->exception && python_exception_release_hook) python_exception_release_hook(caught->exception);
  caught->exception = nullptr;
  caught->exc_class = nullptr;
  caught->set = false;
  keep_spare(caught);
}

namespace {
void (*cfunc_failure_hook)(const char* name) = nullptr;
void (*ufunc_failure_hook)() = nullptr;
char ufunc_chunk_marker;  // only its address is used
numjit::runtime::CallPython call_python_hook = nullptr;
}  // namespace

extern "C" int32_t numjit_rt_call_python(void* function, const uint8_t* descriptor, int64_t descriptor_length,
                                         void* slots, void* result) {
  return call_python_hook(function, descriptor, descriptor_length, slots, result);
}

extern "C" void numjit_rt_cfunc_failed(const char* name) {
  if (cfunc_failure_hook) cfunc_failure_hook(name);
  else tls_pending = {};
}

extern "C" void numjit_rt_ufunc_failed(void* loop_data) {
  if (loop_data == &ufunc_chunk_marker) return;  // a parallel chunk: its driver reports the error
  if (ufunc_failure_hook) ufunc_failure_hook();
  else tls_pending = {};
}

namespace numjit::runtime {

void set_cfunc_failure_hook(void (*report)(const char* name)) { cfunc_failure_hook = report; }

void set_ufunc_failure_hook(void (*report)()) { ufunc_failure_hook = report; }

void* ufunc_chunk_data() { return &ufunc_chunk_marker; }

bool has_pending_error() { return tls_pending.set; }

void set_call_python_hook(CallPython hook) { call_python_hook = hook; }

void set_exception_hooks(bool (*is_subclass)(void* cls, void* base), void (*retain)(void* exception),
                         void (*release)(void* exception)) {
  exception_subclass_hook = is_subclass;
  python_exception_retain_hook = retain;
  python_exception_release_hook = release;
}

void set_python_exception(void* exception, void* exc_class) {
  tls_pending = {};
  tls_pending.exception = exception;
  tls_pending.exc_class = exc_class;
  tls_pending.set = true;
}

void register_exception_class(abi::ExceptionKind kind, void* exc_class) {
  exception_classes[static_cast<int>(kind)] = exc_class;
}

void raise(abi::ExceptionKind kind, const char* message) { numjit_rt_raise(static_cast<int32_t>(kind), message); }

PendingError take_pending_error() {
  PendingError e = std::move(tls_pending);
  tls_pending = {};
  return e;
}
}  // namespace numjit::runtime
