// The thread pool behind parallel=True: oneTBB's threads, behind the small C
// API in runtime/parallel.h.
//
// - Dynamic load balancing with locality: a region is cut into chunks, one
//   home of them per thread, each thread taking its own home first and then
//   others' (runtime/chunk_claims.h), so rows of very different lengths
//   spread evenly, a busy core delays no one, and a loop of regions over the
//   same rows keeps each row on one core. The chunks depend only on the
//   region's size and thread count, and compiled code keeps a reduction's
//   partial per chunk (chunk k is told k), so a reduction's bits do not
//   depend on timing. set_parallel_chunksize fixes the chunks' size.
// - Regions run on the caller and a lingering team of helper tasks that wait
//   for the next region a little while (runtime/lingering_team.h); a region
//   whose call site measured under 2 us of work runs on the caller alone.
// - set_num_threads(n) is per calling thread, as in Numba; each distinct n has
//   its own task_arena (max concurrency n), created on first use.
// - Nested parallel loops (a prange inside a function called from a parallel
//   region), and a second Python thread's region while the team is busy, run
//   inside the same TBB scheduler: no oversubscription, no deadlock.
// - An exception in one chunk stops the remaining chunks; its record moves from
//   the worker thread that raised it to the calling thread.
// - fork(): before a fork, the team is dismissed, the arenas are terminated
//   and TBB's workers are joined (tbb::finalize), so the child starts from a
//   clean scheduler and creates its own workers on first use.
#include "numjit/runtime/parallel.h"

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
#include "numjit/runtime/lingering_team.h"

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
    pthread_atfork(prepare_fork, nullptr, forget_team);
    return created;
  }();
  return *p;
}

thread_local int tls_num_threads = 0;  // 0: the maximum

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
  dismiss_team();
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

extern "C" int32_t numjit_rt_thread_id() { return current_thread_id(); }

namespace {

// What a region of each call site costs per iteration, as its caller last
// measured its own chunks: a region that would take under kSmallRegionNs on
// one thread runs on the caller alone (same chunks, in order), since handing
// half of it to another core costs about as much as it saves (a 128-node
// Floyd-Warshall: 1.4 us a region, 0.66x of serial on two threads). A site
// that runs alone goes back to sharing only above twice that: its first lone
// region also fetches the rows the other core had, and measures slower.
// Keyed by the chunk function, direct-mapped; a collision only costs a guess.
constexpr double kSmallRegionNs = 2000;
constexpr size_t kCostSlots = 64;
struct RegionCost {
  std::atomic<const void*> site{nullptr};
  std::atomic<float> ns_per_iteration{0};
  std::atomic<bool> runs_alone{false};
};
RegionCost& region_cost(const void* site) {
  static RegionCost costs[kCostSlots];
  return costs[(reinterpret_cast<uintptr_t>(site) >> 4) % kCostSlots];
}

bool known_to_be_small(const void* site, int64_t iterations) {
  RegionCost& cost = region_cost(site);
  if (cost.site.load(std::memory_order_relaxed) != site) return false;
  double limit = cost.runs_alone.load(std::memory_order_relaxed) ? 2 * kSmallRegionNs : kSmallRegionNs;
  return cost.ns_per_iteration.load(std::memory_order_relaxed) * static_cast<double>(iterations) < limit;
}

void remember_cost(const void* site, double ns_per_iteration, bool ran_alone) {
  if (ns_per_iteration <= 0) return;
  RegionCost& cost = region_cost(site);
  cost.site.store(site, std::memory_order_relaxed);
  cost.ns_per_iteration.store(static_cast<float>(ns_per_iteration), std::memory_order_relaxed);
  cost.runs_alone.store(ran_alone, std::memory_order_relaxed);
}

// Runs `count` iterations of `fn` cut into units of `unit` (chunks hold whole
// units): on the caller alone where the region is known to be small (as one
// chunk where there are no per-chunk partials, `slots` 0), else on the
// caller and the lingering team, or through TBB where the team is already
// running a region (a nested prange, another Python thread).
int32_t run_region(numjit_chunk_fn fn, void* ctx, const void* site, int64_t count, int64_t unit, int threads,
                   int64_t fixed, int64_t slots) {
  bool alone = threads > 1 && known_to_be_small(site, count);
  ChunkPlan plan;
  plan_chunks(plan, (count + unit - 1) / unit, alone && slots <= 0 ? 1 : threads, fixed);
  limit_chunks(plan, slots);  // a caller told fewer slots gets the rest in its last chunk
  if (unit > 1)
    for (size_t k = 0; k < plan.bounds.size(); ++k) plan.bounds[k] = std::min(count, plan.bounds[k] * unit);
  ChunkClaims claims(fn, ctx, plan);
  Pool& p = pool();
  p.active_regions.fetch_add(1);
  if (alone || claims.chunks() == 1) {
    claims.run(0);
  } else if (!run_on_team(claims, threads - 1, arena_for(max_threads()))) {
    arena_for(threads).execute([&] {
      // One claimant per thread of the arena (the caller among them).
      tbb::parallel_for(
          0, threads, [&](int) { claims.run(std::max(0, tbb::this_task_arena::current_thread_index())); },
          tbb::simple_partitioner());
    });
  }
  p.active_regions.fetch_sub(1);
  if (threads > 1) remember_cost(site, claims.caller_ns_per_iteration(), alone || claims.chunks() == 1);
  if (!claims.failed()) return numjit::abi::kStatusOk;
  numjit_rt_set_error(claims.first_error().exc_class, claims.first_error().message.c_str());
  return numjit::abi::kStatusError;
}

}  // namespace

extern "C" int32_t numjit_rt_parallel_for_units(numjit_chunk_fn fn, void* ctx, int64_t count, int64_t unit,
                                                int32_t nthreads, int64_t slots) {
  if (count <= 0) return numjit::abi::kStatusOk;
  return run_region(fn, ctx, reinterpret_cast<const void*>(fn), count, std::max<int64_t>(1, unit),
                    std::max(1, nthreads), pool().chunk_size.load(), slots);
}

extern "C" int64_t numjit_rt_parallel_slots(int64_t count, int32_t nthreads) {
  return std::max<int64_t>(1, count_chunks(count, std::max(1, nthreads), pool().chunk_size.load()));
}

extern "C" int32_t numjit_rt_parallel_for(numjit_chunk_fn fn, void* ctx, int64_t count, int32_t nthreads,
                                          int64_t slots) {
  if (count <= 0) return numjit::abi::kStatusOk;
  // set_parallel_chunksize: chunks of that many
  return run_region(fn, ctx, reinterpret_cast<const void*>(fn), count, 1, std::max(1, nthreads),
                    pool().chunk_size.load(), slots);
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
    return serial(args, dimensions, steps, nullptr);  // reports its own exception
  struct Elements {
    SerialLoop serial;
    char** args;
    const int64_t* steps;
    int operands;
  } elements{serial, args, steps, operands};
  auto run_elements = [](void* ctx, int64_t begin, int64_t end, int32_t) -> int32_t {
    auto* e = static_cast<Elements*>(ctx);
    char* chunk_args[kMaxOperands];
    for (int i = 0; i < e->operands; ++i) chunk_args[i] = e->args[i] + begin * e->steps[i];
    int64_t count = end - begin;
    // A chunk leaves its exception pending (on a pool thread, which must not
    // take the GIL while NumPy's thread may hold it and wait for the region).
    e->serial(chunk_args, &count, e->steps, ufunc_chunk_data());
    return has_pending_error() ? numjit::abi::kStatusError : numjit::abi::kStatusOk;
  };
  // Chunks of whole units of 4096 elements (a chunk also pays the loop's set-up).
  constexpr int64_t kElementsPerUnit = 4096;
  if (run_region(run_elements, &elements, loop->serial_loop, n, kElementsPerUnit, nthreads, 0, 0) !=
      numjit::abi::kStatusOk)
    numjit_rt_ufunc_failed(nullptr);  // the first chunk's exception, now this thread's
}
