// Exceptions raised by compiled code travel as a thread-local record: the
// compiled function stores it and returns kStatusError up its call chain; the
// dispatcher then turns it into a Python exception. Thread-local because
// several Python threads and pool threads may fail at once. The message is
// copied, so formatted messages (shapes) need no storage of their own.
#include "numjit/runtime/abi.h"
#include "numjit/runtime/arrays.h"

namespace {
thread_local numjit::runtime::PendingError tls_pending;

}  // namespace

extern "C" void numjit_rt_set_error(void* exc_class, const char* message) {
  tls_pending.exc_class = exc_class;
  tls_pending.message = message ? message : "";
  tls_pending.set = true;
}

extern "C" void numjit_rt_set_shape_error(void* exc_class, const char* prefix, int32_t ndim, const int64_t* shape) {
  std::string m = std::string(prefix) + numjit::runtime::shape_text(ndim, shape);
  numjit_rt_set_error(exc_class, m.c_str());
}

namespace numjit::runtime {
BuiltinExceptions g_builtin_exceptions;

PendingError take_pending_error() {
  PendingError e = std::move(tls_pending);
  tls_pending = {};
  return e;
}
}  // namespace numjit::runtime
