// Chunks of a parallel region and their claiming (see chunk_claims.h for why).
#include "numjit/runtime/chunk_claims.h"

#include <algorithm>
#include <chrono>

namespace numjit::runtime {
namespace {

thread_local int tls_thread_id = 0;

constexpr uint64_t pack(int64_t front, int64_t back) {
  return static_cast<uint64_t>(front) | (static_cast<uint64_t>(back) << 32);
}
constexpr int64_t front_of(uint64_t v) { return static_cast<int64_t>(v & 0xffffffffu); }
constexpr int64_t back_of(uint64_t v) { return static_cast<int64_t>(v >> 32); }

}  // namespace

int current_thread_id() { return tls_thread_id; }

namespace {

// Calls cut(home, begin, end) for each chunk in order.
template <typename Cut>
void walk_chunks(int64_t count, int threads, int64_t fixed, Cut cut) {
  if (count <= 0) return;
  threads = std::max(1, threads);
  int64_t homes = std::min<int64_t>({threads, kMaxChunks / 2, count});
  // Each home may end in one short chunk: sizes of at least `fewest` keep the
  // total within kMaxChunks.
  int64_t fewest = (count + (kMaxChunks - homes) - 1) / (kMaxChunks - homes);
  int64_t smallest = std::max({int64_t{1}, count / (32 * static_cast<int64_t>(threads)), fewest});
  // No chunk holds more than an eighth of a home: where iterations differ in
  // cost (a triangular `for j in range(i + 1, n)`), the first half of the
  // first home was a third of all the work, and the other thread, done with
  // its own, had only small pieces left to take (1.74x on two threads; 2.0x
  // with this cap).
  int64_t largest = std::max(smallest, count / (8 * static_cast<int64_t>(threads)));
  int64_t at = 0;
  for (int64_t h = 0; h < homes; ++h) {
    int64_t home_end = count * (h + 1) / homes;
    while (at < home_end) {
      int64_t size = fixed > 0 ? std::max(fixed, fewest)
                     : threads == 1 ? home_end - at
                                    : std::clamp((home_end - at) / 2, smallest, largest);
      int64_t stop = std::min(home_end, at + size);
      cut(h, at, stop);
      at = stop;
    }
  }
}

}  // namespace

void plan_chunks(ChunkPlan& plan, int64_t count, int threads, int64_t fixed) {
  plan.bounds.assign({0});
  plan.home_first.assign({0});
  int64_t last_home = 0;
  walk_chunks(count, threads, fixed, [&](int64_t home, int64_t, int64_t stop) {
    for (; last_home < home; ++last_home) plan.home_first.push_back(plan.chunks());
    plan.bounds.push_back(stop);
  });
  if (count > 0) plan.home_first.push_back(plan.chunks());
}

int64_t count_chunks(int64_t count, int threads, int64_t fixed) {
  int64_t chunks = 0;
  walk_chunks(count, threads, fixed, [&](int64_t, int64_t, int64_t) { ++chunks; });
  return chunks;
}

void limit_chunks(ChunkPlan& plan, int64_t slots) {
  if (slots <= 0 || plan.chunks() <= slots) return;
  int64_t count = plan.bounds.back();
  plan.bounds.resize_down(static_cast<size_t>(slots) + 1);
  plan.bounds.back() = count;
  plan.home_first.assign({0, slots});
}

ChunkClaims::ChunkClaims(numjit_chunk_fn fn, void* ctx, const ChunkPlan& plan)
    : fn_(fn), ctx_(ctx), plan_(plan), home_count_(static_cast<int>(plan.home_first.size()) - 1) {
  homes_ = inline_homes_;
  if (home_count_ > kInlineHomes) {
    heap_homes_.reset(new Home[static_cast<size_t>(home_count_)]);
    homes_ = heap_homes_.get();
  }
  for (int h = 0; h < home_count_; ++h)
    homes_[h].front_back.store(pack(plan.home_first[h], plan.home_first[h + 1]), std::memory_order_relaxed);
}

int64_t ChunkClaims::take_front(Home& home) {
  uint64_t v = home.front_back.load(std::memory_order_relaxed);
  do {
    if (front_of(v) >= back_of(v)) return -1;
  } while (!home.front_back.compare_exchange_weak(v, pack(front_of(v) + 1, back_of(v))));
  return front_of(v);
}

int64_t ChunkClaims::take_back(Home& home) {
  uint64_t v = home.front_back.load(std::memory_order_relaxed);
  do {
    if (front_of(v) >= back_of(v)) return -1;
  } while (!home.front_back.compare_exchange_weak(v, pack(front_of(v), back_of(v) - 1)));
  return back_of(v) - 1;
}

int64_t ChunkClaims::run_chunk(int64_t k) {
  int64_t begin = plan_.bounds[k], end = plan_.bounds[k + 1];
  if (fn_(ctx_, begin, end, static_cast<int32_t>(k)) != numjit::abi::kStatusOk) {
    PendingError e = take_pending_error();
    std::lock_guard lock(error_mutex_);
    if (!failed_.exchange(true)) first_error_ = std::move(e);
  }
  return end - begin;
}

int64_t ChunkClaims::run(int thread_id) {
  if (home_count_ <= 0) return 0;
  int saved_id = tls_thread_id;
  tls_thread_id = thread_id;
  auto start = std::chrono::steady_clock::now();
  int64_t iterations = 0;
  int own = thread_id % home_count_;
  for (int64_t k; !failed_.load(std::memory_order_relaxed) && (k = take_front(homes_[own])) >= 0;)
    iterations += run_chunk(k);
  // Then the others' homes, from their backs (their smallest chunks), so an
  // owner that comes late still finds the front of its home.
  for (int step = 1; step < home_count_; ++step) {
    Home& other = homes_[(own + step) % home_count_];
    for (int64_t k; !failed_.load(std::memory_order_relaxed) && (k = take_back(other)) >= 0;)
      iterations += run_chunk(k);
  }
  tls_thread_id = saved_id;
  if (thread_id == 0 && iterations > 0)
    caller_ns_per_iteration_ =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / iterations;
  return iterations;
}

}  // namespace numjit::runtime
