// The thread pool behind parallel=True: oneTBB, behind the small C API in
// runtime/parallel.h.
//
// - Dynamic load balancing: tbb::parallel_for with the auto partitioner splits
//   ranges on demand and idle threads steal, so rows of very different
//   lengths spread evenly (or fixed chunks with set_parallel_chunksize).
// - set_num_threads(n) is per calling thread, as in Numba; each distinct n has
//   its own task_arena (max concurrency n), created on first use.
// - Nested parallel loops (a prange inside a function called from a parallel
//   region) run inside the same TBB scheduler: no oversubscription, no deadlock.
// - An exception in one chunk stops the remaining chunks; its record moves from
//   the worker thread that raised it to the calling thread.
// - fork(): before a fork, the arenas are terminated and TBB's workers are
//   joined (tbb::finalize), so the child starts from a clean scheduler and
//   creates its own workers on first use.
#include "numjit/runtime/parallel.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include "numjit/runtime/abi.h"

namespace numjit::runtime {
namespace {

struct Pool {
  std::mutex mutex;  // guards arenas and the scheduler handle
  std::map<int, std::unique_ptr<tbb::task_arena>> arenas;
  tbb::task_scheduler_handle handle;
  bool started = false;
  std::atomic<int> active_regions{0};
  std::atomic<int64_t> chunk_size{0};
  int max_threads = 0;
};

Pool& pool() {
  static Pool* p = [] {
    auto* created = new Pool();
    const char* env = std::getenv("NUMJIT_NUM_THREADS");
    if (!env) env = std::getenv("NUMBA_NUM_THREADS");
    int hw = tbb::info::default_concurrency();
    created->max_threads = env ? std::max(1, std::atoi(env)) : std::max(1, hw);
    pthread_atfork(prepare_fork, nullptr, nullptr);
    return created;
  }();
  return *p;
}

thread_local int tls_num_threads = 0;  // 0: the maximum
thread_local int tls_thread_id = 0;

tbb::task_arena& arena_for(int n) {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  if (!p.started) {
    p.handle = tbb::task_scheduler_handle{tbb::attach{}};
    p.started = true;
  }
  auto& slot = p.arenas[n];
  if (!slot) slot = std::make_unique<tbb::task_arena>(n);
  return *slot;
}

}  // namespace

void prepare_fork() {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  if (!p.started || p.active_regions.load() > 0) return;  // a region is running: nothing safe to do
  for (auto& [n, arena] : p.arenas) arena->terminate();
  p.arenas.clear();
  tbb::finalize(p.handle, std::nothrow);
  p.started = false;
}

int max_threads() { return pool().max_threads; }

void set_num_threads(int n) { tls_num_threads = n; }

int num_threads() {
  int n = tls_num_threads;
  return n > 0 ? n : pool().max_threads;
}

void set_chunk_size(int64_t n) { pool().chunk_size.store(n); }
int64_t chunk_size() { return pool().chunk_size.load(); }

}  // namespace numjit::runtime

using namespace numjit::runtime;

extern "C" int32_t numjit_rt_num_threads() { return num_threads(); }

extern "C" int32_t numjit_rt_thread_id() { return tls_thread_id; }

extern "C" int32_t numjit_rt_parallel_for(numjit_chunk_fn fn, void* ctx, int64_t count, int32_t nthreads) {
  if (count <= 0) return numjit::abi::kStatusOk;
  Pool& p = pool();
  std::atomic<bool> failed{false};
  PendingError first_error;
  std::mutex error_mutex;
  int64_t grain = p.chunk_size.load();
  auto run_chunk = [&](const tbb::blocked_range<int64_t>& r) {
    if (failed.load(std::memory_order_relaxed)) return;
    int worker = std::max(0, tbb::this_task_arena::current_thread_index());
    int saved_id = tls_thread_id;
    tls_thread_id = worker;
    int32_t status = fn(ctx, r.begin(), r.end(), worker);
    tls_thread_id = saved_id;
    if (status != numjit::abi::kStatusOk) {
      PendingError e = take_pending_error();
      std::lock_guard lock(error_mutex);
      if (!failed.exchange(true)) first_error = std::move(e);
    }
  };
  p.active_regions.fetch_add(1);
  tbb::task_arena& arena = arena_for(std::max(1, nthreads));
  arena.execute([&] {
    if (grain > 0) {
      tbb::parallel_for(tbb::blocked_range<int64_t>(0, count, grain), run_chunk, tbb::simple_partitioner());
    } else {
      tbb::parallel_for(tbb::blocked_range<int64_t>(0, count), run_chunk, tbb::auto_partitioner());
    }
  });
  p.active_regions.fetch_sub(1);
  if (failed.load()) {
    numjit_rt_set_error(first_error.exc_class, first_error.message.c_str());
    return numjit::abi::kStatusError;
  }
  return numjit::abi::kStatusOk;
}

namespace {

// reduce() passes the output with step 0 and accumulate() reads the element
// it wrote last: chunks of such loops cannot run independently. In-place
// element-wise calls (an input that is exactly the output) are fine.
bool elements_depend_on_each_other(char** args, const int64_t* steps, int64_t n, int operands) {
  int out = operands - 1;
  if (steps[out] == 0) return true;
  auto span = [&](int i) {
    char* first = args[i];
    char* last = args[i] + (n - 1) * steps[i];
    return std::make_pair(std::min(first, last), std::max(first, last));
  };
  auto [out_lo, out_hi] = span(out);
  for (int i = 0; i < out; ++i) {
    if (args[i] == args[out] && steps[i] == steps[out]) continue;
    auto [lo, hi] = span(i);
    if (lo <= out_hi && out_lo <= hi) return true;
  }
  return false;
}

}  // namespace

extern "C" void numjit_rt_parallel_ufunc_loop(char** args, const int64_t* dimensions, const int64_t* steps,
                                              void* data) {
  using SerialLoop = void (*)(char**, const int64_t*, const int64_t*, void*);
  auto* loop = static_cast<const numjit_parallel_ufunc_data*>(data);
  auto serial = reinterpret_cast<SerialLoop>(loop->serial_loop);
  int64_t n = dimensions[0];
  constexpr int kMaxOperands = 64;  // NPY_MAXARGS is 64 in NumPy 2
  int operands = std::min<int>(loop->operands, kMaxOperands);
  // Small loops are not worth waking the pool for.
  constexpr int64_t kMinParallel = 1 << 14;
  int nthreads = num_threads();
  if (n < kMinParallel || nthreads <= 1 || elements_depend_on_each_other(args, steps, n, operands))
    return serial(args, dimensions, steps, nullptr);
  tbb::task_arena& arena = arena_for(nthreads);
  pool().active_regions.fetch_add(1);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, n, 4096), [&](const tbb::blocked_range<int64_t>& r) {
      char* chunk_args[kMaxOperands];
      for (int i = 0; i < operands; ++i) chunk_args[i] = args[i] + r.begin() * steps[i];
      int64_t count = r.end() - r.begin();
      serial(chunk_args, &count, steps, nullptr);
    });
  });
  pool().active_regions.fetch_sub(1);
}
