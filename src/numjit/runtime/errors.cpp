// Exceptions raised by compiled code travel as a thread-local record: the
// compiled function stores it and returns kStatusError up its call chain; the
// dispatcher then turns it into a Python exception. Thread-local because
// several Python threads (and, later, pool threads) may fail at once.
#include "numjit/runtime/abi.h"

namespace {
thread_local numjit::runtime::PendingError tls_pending;
}

extern "C" void numjit_rt_set_error(void* exc_class, const char* message) {
  tls_pending.exc_class = exc_class;
  tls_pending.message = message;
}

namespace numjit::runtime {
PendingError take_pending_error() {
  PendingError e = tls_pending;
  tls_pending = {};
  return e;
}
}  // namespace numjit::runtime
