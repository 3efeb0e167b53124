// Deep recursion in compiled code raises RecursionError instead of running off
// the end of the C stack. Functions that recurse call this on entry with their
// frame address; it compares against a per-thread limit found once from the
// thread's stack bounds. Functions that do not recurse never call it.
#include <pthread.h>

#include <algorithm>
#include <cstdint>

#include "numjit/runtime/functions.h"

namespace {

// Room kept below the limit for the frames that raise and unwind, and for the
// non-recursive callees (sorts, BLAS) of the last checked frame.
constexpr uintptr_t kMaxReserve = 512 * 1024;

uintptr_t find_stack_limit(uintptr_t frame) {
  pthread_attr_t attr;
  void* low = nullptr;
  size_t size = 0;
  bool known = pthread_getattr_np(pthread_self(), &attr) == 0;
  if (known) {
    known = pthread_attr_getstack(&attr, &low, &size) == 0 && size > 0;
    pthread_attr_destroy(&attr);
  }
  uintptr_t bottom = reinterpret_cast<uintptr_t>(low);
  // Unknown bounds (an exotic thread library): assume 1 MiB below this frame.
  if (!known || frame < bottom || frame > bottom + size) return frame > (1u << 20) ? frame - (1u << 20) : 1;
  return bottom + std::min<uintptr_t>(kMaxReserve, size / 4);
}

thread_local uintptr_t tls_stack_limit = 0;

}  // namespace

extern "C" int32_t numjit_rt_stack_exhausted(void* frame_address) {
  uintptr_t frame = reinterpret_cast<uintptr_t>(frame_address);
  if (tls_stack_limit == 0) tls_stack_limit = find_stack_limit(frame);
  return frame < tls_stack_limit ? 1 : 0;
}
