// The parallel runtime (src/numjit/runtime/parallel.cpp) driven directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/parallel.h"

namespace {

struct Visits {
  std::vector<std::atomic<int>> count;
  std::atomic<int> max_worker{-1};
  int64_t fail_at = -1;
  explicit Visits(size_t n) : count(n) {}
};

int g_error_tag;

int32_t visit(void* ctx, int64_t begin, int64_t end, int32_t worker) {
  auto* v = static_cast<Visits*>(ctx);
  int seen = v->max_worker.load();
  while (worker > seen && !v->max_worker.compare_exchange_weak(seen, worker)) {
  }
  for (int64_t i = begin; i < end; ++i) {
    if (i == v->fail_at) {
      numjit_rt_set_error(&g_error_tag, "chunk failed");
      return numjit::abi::kStatusError;
    }
    v->count[i].fetch_add(1);
  }
  return numjit::abi::kStatusOk;
}

}  // namespace

TEST(ParallelRuntime, EveryIterationRunsOnce) {
  for (int64_t n : {0, 1, 7, 1000, 100003}) {
    Visits v(static_cast<size_t>(n));
    int threads = numjit_rt_num_threads();
    ASSERT_EQ(numjit_rt_parallel_for(visit, &v, n, threads), numjit::abi::kStatusOk);
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(v.count[i].load(), 1) << "n=" << n << " i=" << i;
    EXPECT_LT(v.max_worker.load(), threads);
  }
}

TEST(ParallelRuntime, FixedChunkSizesCoverTheRange) {
  for (int64_t chunk : {1, 3, 64}) {
    numjit::runtime::set_chunk_size(chunk);
    Visits v(1000);
    ASSERT_EQ(numjit_rt_parallel_for(visit, &v, 1000, numjit_rt_num_threads()), numjit::abi::kStatusOk);
    for (auto& c : v.count) ASSERT_EQ(c.load(), 1);
  }
  numjit::runtime::set_chunk_size(0);
  EXPECT_EQ(numjit::runtime::chunk_size(), 0);
}

namespace {

struct Chunks {
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> ranges;
};

int32_t record_chunk(void* ctx, int64_t begin, int64_t end, int32_t) {
  auto* c = static_cast<Chunks*>(ctx);
  std::lock_guard lock(c->mutex);
  c->ranges.emplace_back(begin, end);
  return numjit::abi::kStatusOk;
}

}  // namespace

TEST(ParallelRuntime, GuidedClaimsTileTheRangeInFewChunks) {
  for (int threads : {1, 2, 4}) {
    for (int64_t n : {1, 2, 300, 100003}) {
      Chunks c;
      ASSERT_EQ(numjit_rt_parallel_for(record_chunk, &c, n, threads), numjit::abi::kStatusOk);
      std::sort(c.ranges.begin(), c.ranges.end());
      int64_t at = 0;
      for (auto [begin, end] : c.ranges) {
        ASSERT_EQ(begin, at) << "threads=" << threads << " n=" << n;
        ASSERT_LT(begin, end);
        at = end;
      }
      EXPECT_EQ(at, n);
      // Each claim takes 1/(2P) of what remains, and at least 1/(32P) of the
      // region: far fewer chunks than iterations (one thread: one chunk).
      if (threads == 1) EXPECT_EQ(c.ranges.size(), 1u);
      EXPECT_LE(static_cast<int64_t>(c.ranges.size()), std::min<int64_t>(n, 32 * threads + 2 * threads * 8));
      // The first claim is the largest share.
      if (n >= 2 * threads) EXPECT_EQ(c.ranges.front().second - c.ranges.front().first,
                                      threads == 1 ? n : n / (2 * threads));
    }
  }
}

TEST(ParallelRuntime, ErrorReachesTheCallingThread) {
  Visits v(50000);
  v.fail_at = 31337;
  EXPECT_EQ(numjit_rt_parallel_for(visit, &v, 50000, numjit_rt_num_threads()), numjit::abi::kStatusError);
  numjit::runtime::PendingError e = numjit::runtime::take_pending_error();
  EXPECT_EQ(e.exc_class, &g_error_tag);
  EXPECT_EQ(e.message, "chunk failed");
  // The pool keeps working afterwards.
  Visits ok(1000);
  EXPECT_EQ(numjit_rt_parallel_for(visit, &ok, 1000, numjit_rt_num_threads()), numjit::abi::kStatusOk);
}

TEST(ParallelRuntime, OneThreadRunsOnTheCaller) {
  numjit::runtime::set_num_threads(1);
  EXPECT_EQ(numjit_rt_num_threads(), 1);
  Visits v(10000);
  ASSERT_EQ(numjit_rt_parallel_for(visit, &v, 10000, 1), numjit::abi::kStatusOk);
  EXPECT_EQ(v.max_worker.load(), 0);
  numjit::runtime::set_num_threads(0);  // back to the maximum
  EXPECT_EQ(numjit_rt_num_threads(), numjit::runtime::max_threads());
}
