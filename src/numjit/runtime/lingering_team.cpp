// Lingering helpers for parallel regions (see lingering_team.h for why).
//
// The handshake, with one region published at a time (`busy`):
// - the caller stores the region in `current` and bumps `generation`; helpers
//   spin on `generation` and join a region they have not joined before;
// - a helper counts itself `inside` before it reads `current`, and the caller,
//   after its own claims, clears `current` and waits for `inside` to drop to
//   zero. Both sides use sequentially consistent operations, so either the
//   helper sees the cleared pointer or the caller sees the helper inside:
//   the region (on the caller's stack) is never read after it has returned.
#include "numjit/runtime/lingering_team.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace numjit::runtime {
namespace {

// How long a helper waits for a region before it returns to TBB. Long enough
// to bridge the serial code between the regions of one loop nest (and between
// calls from a Python loop), short enough that an idle process stops using
// the core almost at once. NUMJIT_LINGER_US sets it; 0 turns the team off
// (every region then goes through TBB).
std::chrono::microseconds linger_time() {
  static const std::chrono::microseconds time = [] {
    const char* env = std::getenv("NUMJIT_LINGER_US");
    return std::chrono::microseconds(env ? std::max(0L, std::atol(env)) : 200L);
  }();
  return time;
}
// For this long a waiting thread spins on the CPU (a region usually comes, or
// a helper's chunk ends, within it); after it the helper yields its core at
// each look and the caller sleeps. Both matter when another process keeps a
// core busy: a spinning helper that shares the caller's core would take its
// time, and a caller that slept frees its core for a helper the other
// process had preempted mid-chunk (the kernel moves it over at once), where
// spinning or yielding would leave that helper waiting a whole time slice.
constexpr auto kSpinOnly = std::chrono::microseconds(20);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

struct Region {
  ChunkClaims* claims;
  int helpers;  // at most this many helpers join
  uint64_t generation;
  std::atomic<int> joined{0};
};

// Lines by who writes them: helpers spin reading the first, which the caller
// writes once per region (one transfer, not one per field).
struct Team {
  alignas(64) std::atomic<uint64_t> generation{0};  // bumped as each region opens
  std::atomic<Region*> current{nullptr};
  std::atomic<bool> dismissed{false};
  alignas(64) std::atomic<bool> busy{false};  // callers only
  alignas(64) std::atomic<int> inside{0};     // helpers, read by the caller as a region ends
  std::atomic<bool> caller_sleeps{false};     // the caller waits on `inside` in the kernel
  alignas(64) std::atomic<int> alive{0};      // helpers enqueued and not yet returned to TBB
};

Team& team() {
  static Team* t = new Team();  // never destroyed: helpers may outlive static destructors
  return *t;
}

// Joins the open region if it is one this helper has not joined yet.
// Returns whether there was one to look at.
bool try_join(Team& t, uint64_t& last_joined) {
  t.inside.fetch_add(1, std::memory_order_seq_cst);
  Region* r = t.current.load(std::memory_order_seq_cst);
  bool fresh = r != nullptr && r->generation != last_joined;
  if (fresh) {
    last_joined = r->generation;
    int id = r->joined.fetch_add(1) + 1;  // the caller is thread 0
    if (id <= r->helpers) r->claims->run(id);
  }
  if (t.inside.fetch_sub(1, std::memory_order_seq_cst) == 1 && t.caller_sleeps.load(std::memory_order_seq_cst))
    t.inside.notify_all();
  return fresh;
}

void linger(Team& t) {
  using Clock = std::chrono::steady_clock;
  uint64_t last_joined = 0;  // generations start at 1: a new helper joins the open region
  uint64_t seen = 0;
  auto idle_since = Clock::now();
  for (unsigned looks = 1; !t.dismissed.load(std::memory_order_relaxed); ++looks) {
    uint64_t g = t.generation.load(std::memory_order_acquire);
    if (g != seen) {
      seen = g;
      if (try_join(t, last_joined)) idle_since = Clock::now();
      continue;
    }
    if (looks % 64 != 0) {
      cpu_relax();
      continue;
    }
    auto idle = Clock::now() - idle_since;
    if (idle > linger_time()) break;
    if (idle > kSpinOnly) std::this_thread::yield();
  }
  t.alive.fetch_sub(1, std::memory_order_seq_cst);
}

void wait_until_no_helper_is_inside(Team& t) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  for (unsigned looks = 1; t.inside.load(std::memory_order_seq_cst) != 0; ++looks) {
    if (looks % 64 != 0 || Clock::now() - start < kSpinOnly) {
      cpu_relax();
      continue;
    }
    t.caller_sleeps.store(true, std::memory_order_seq_cst);
    for (int inside; (inside = t.inside.load(std::memory_order_seq_cst)) != 0;) t.inside.wait(inside);
    t.caller_sleeps.store(false, std::memory_order_relaxed);
    return;
  }
}

}  // namespace

bool run_on_team(ChunkClaims& claims, int helpers, tbb::task_arena& arena) {
  Team& t = team();
  if (linger_time().count() == 0 || t.busy.exchange(true, std::memory_order_acquire)) return false;
  if (t.dismissed.load(std::memory_order_relaxed)) t.dismissed.store(false, std::memory_order_relaxed);
  Region region{&claims, helpers, t.generation.load(std::memory_order_relaxed) + 1};
  t.current.store(&region, std::memory_order_seq_cst);
  t.generation.store(region.generation, std::memory_order_release);
  // Helpers that have gone back to TBB are asked for again; TBB wakes a
  // worker for each enqueued task, and it joins the open region on arrival.
  for (int alive = t.alive.load(); alive < helpers; alive = t.alive.load()) {
    if (!t.alive.compare_exchange_weak(alive, alive + 1)) continue;
    arena.enqueue([&t] { linger(t); });
  }
  claims.run(0);
  t.current.store(nullptr, std::memory_order_seq_cst);
  wait_until_no_helper_is_inside(t);
  t.busy.store(false, std::memory_order_release);
  return true;
}

void dismiss_team() {
  Team& t = team();
  t.dismissed.store(true);
  // Enqueued helpers that have not started yet see `dismissed` as they
  // start; a second is ample for TBB to run them.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (t.alive.load() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
}

void forget_team() {
  Team& t = team();
  t.current.store(nullptr);
  t.inside.store(0);
  t.alive.store(0);
  t.caller_sleeps.store(false);
  t.busy.store(false);
}

}  // namespace numjit::runtime
