// The thread pool behind parallel=True: oneTBB, behind the small C API in
// runtime/parallel.h.
//
// - Dynamic load balancing: prange regions are cut into guided chunks
//   (walk_chunks: each a share of what remains) claimed in order by one
//   claimant per thread, so rows of very different lengths spread evenly, a
//   busy core delays no one, and small regions stay cheap (fixed chunks with
//   set_parallel_chunksize). The chunks depend only on the region's size and
//   thread count, and compiled code keeps a reduction's partial per chunk
//   (chunk k is told k), so a reduction's bits do not depend on timing.
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
#include <vector>

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

namespace {

// A region's chunks, in order: guided self-scheduling, each chunk 1/(2P) of
// what remains, down to `smallest`. A region of n iterations then costs about
// 2P ln(n/P) claims where TBB's auto partitioner, whose idle threads steal and
// split down to single iterations, made up to n chunks: 1000 regions of a
// 300-iteration loop took 3.5 ms on two threads and take 1.1 ms.
// The chunks do not depend on timing, only on (count, threads, fixed): a
// reduction's partial per chunk, combined in chunk order, gives the same bits
// on every run, whichever thread ran which chunk. There are at most
// kMaxChunks (the partials live on the caller's stack).
constexpr int64_t kMaxChunks = 4096;

template <typename Visit>
int64_t walk_chunks(int64_t count, int threads, int64_t fixed, Visit visit) {
  if (count <= 0) return 0;
  if (threads == 1 && fixed <= 0) {
    visit(0, count);
    return 1;
  }
  int64_t fewest = (count + kMaxChunks - 1) / kMaxChunks;  // a size that keeps to kMaxChunks
  int64_t smallest = std::max({int64_t{1}, count / (32 * static_cast<int64_t>(threads)), fewest});
  int64_t chunks = 0;
  for (int64_t at = 0; at < count; ++chunks) {
    int64_t size = fixed > 0 ? std::max(fixed, fewest)
                             : std::max(smallest, (count - at) / (2 * static_cast<int64_t>(threads)));
    int64_t stop = std::min(count, at + size);
    visit(at, stop);
    at = stop;
  }
  return chunks;
}

// One thread: the whole region in one call, as chunk 0.
void fn_once_in_caller(numjit_chunk_fn fn, void* ctx, int64_t count, std::atomic<bool>& failed,
                       PendingError& first_error) {
  int saved_id = tls_thread_id;
  tls_thread_id = 0;
  if (fn(ctx, 0, count, 0) != numjit::abi::kStatusOk) {
    first_error = take_pending_error();
    failed = true;
  }
  tls_thread_id = saved_id;
}

}  // namespace

extern "C" int64_t numjit_rt_parallel_slots(int64_t count, int32_t nthreads) {
  int64_t chunks = walk_chunks(count, std::max(1, nthreads), pool().chunk_size.load(), [](int64_t, int64_t) {});
  return std::max<int64_t>(1, chunks);
}

extern "C" int32_t numjit_rt_parallel_for(numjit_chunk_fn fn, void* ctx, int64_t count, int32_t nthreads,
                                          int64_t slots) {
  if (count <= 0) return numjit::abi::kStatusOk;
  Pool& p = pool();
  std::atomic<bool> failed{false};
  PendingError first_error;
  std::mutex error_mutex;
  int threads = std::max(1, nthreads);
  int64_t fixed = p.chunk_size.load();  // set_parallel_chunksize: chunks of that many
  p.active_regions.fetch_add(1);
  if (threads == 1 && fixed <= 0) {
    fn_once_in_caller(fn, ctx, count, failed, first_error);
  } else {
    // The chunks' bounds, computed once; a caller told fewer slots (the
    // chunk size changed since it asked) gets the rest in its last chunk.
    std::vector<int64_t> bounds{0};
    walk_chunks(count, threads, fixed, [&](int64_t, int64_t stop) { bounds.push_back(stop); });
    if (slots > 0 && static_cast<int64_t>(bounds.size()) - 1 > slots) {
      bounds.resize(static_cast<size_t>(slots) + 1);
      bounds.back() = count;
    }
    int64_t chunks = static_cast<int64_t>(bounds.size()) - 1;
    std::atomic<int64_t> next{0};
    // A thread claims only when it is free, so a core busy with other work
    // delays no one (static chunking would wait for it).
    auto run_claims = [&] {
      int saved_id = tls_thread_id;
      tls_thread_id = std::max(0, tbb::this_task_arena::current_thread_index());
      for (int64_t k; !failed.load(std::memory_order_relaxed) && (k = next.fetch_add(1)) < chunks;) {
        if (fn(ctx, bounds[k], bounds[k + 1], static_cast<int32_t>(k)) == numjit::abi::kStatusOk) continue;
        PendingError e = take_pending_error();
        std::lock_guard lock(error_mutex);
        if (!failed.exchange(true)) first_error = std::move(e);
      }
      tls_thread_id = saved_id;
    };
    tbb::task_arena& arena = arena_for(threads);
    arena.execute([&] {
      // One claimant per thread of the arena (the caller among them); each
      // claims chunks until none are left.
      tbb::parallel_for(0, threads, [&](int) { run_claims(); }, tbb::simple_partitioner());
    });
  }
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
