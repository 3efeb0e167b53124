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
  std::atomic<int> max_chunk{-1};
  int64_t fail_at = -1;
  explicit Visits(size_t n) : count(n) {}
};

int g_error_tag;

int32_t visit(void* ctx, int64_t begin, int64_t end, int32_t chunk) {
  auto* v = static_cast<Visits*>(ctx);
  int seen = v->max_chunk.load();
  while (chunk > seen && !v->max_chunk.compare_exchange_weak(seen, chunk)) {
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
    int64_t slots = numjit_rt_parallel_slots(n, threads);
    ASSERT_EQ(numjit_rt_parallel_for(visit, &v, n, threads, slots), numjit::abi::kStatusOk);
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(v.count[i].load(), 1) << "n=" << n << " i=" << i;
    EXPECT_LT(v.max_chunk.load(), slots);  // chunk numbers index the caller's partials
  }
}

TEST(ParallelRuntime, FixedChunkSizesCoverTheRange) {
  for (int64_t chunk : {1, 3, 64}) {
    numjit::runtime::set_chunk_size(chunk);
    Visits v(1000);
    int64_t slots = numjit_rt_parallel_slots(1000, numjit_rt_num_threads());
    ASSERT_EQ(numjit_rt_parallel_for(visit, &v, 1000, numjit_rt_num_threads(), slots), numjit::abi::kStatusOk);
    for (auto& c : v.count) ASSERT_EQ(c.load(), 1);
    EXPECT_LT(v.max_chunk.load(), slots);
  }
  numjit::runtime::set_chunk_size(0);
  EXPECT_EQ(numjit::runtime::chunk_size(), 0);
}

namespace {

struct Chunks {
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  std::vector<int32_t> numbers;
};

int32_t record_chunk(void* ctx, int64_t begin, int64_t end, int32_t number) {
  auto* c = static_cast<Chunks*>(ctx);
  std::lock_guard lock(c->mutex);
  c->ranges.emplace_back(begin, end);
  c->numbers.push_back(number);
  return numjit::abi::kStatusOk;
}

// The chunks of one run, ordered by their numbers.
std::vector<std::pair<int64_t, int64_t>> chunks_by_number(int64_t n, int threads, int64_t slots) {
  Chunks c;
  EXPECT_EQ(numjit_rt_parallel_for(record_chunk, &c, n, threads, slots), numjit::abi::kStatusOk);
  std::vector<std::pair<int64_t, int64_t>> ordered(c.ranges.size());
  for (size_t i = 0; i < c.ranges.size(); ++i) {
    EXPECT_LT(static_cast<size_t>(c.numbers[i]), ordered.size());
    if (static_cast<size_t>(c.numbers[i]) < ordered.size()) ordered[c.numbers[i]] = c.ranges[i];
  }
  return ordered;
}

}  // namespace

TEST(ParallelRuntime, GuidedClaimsTileTheRangeInFewChunks) {
  for (int threads : {1, 2, 4}) {
    for (int64_t n : {1, 2, 300, 100003}) {
      Chunks c;
      int64_t slots = numjit_rt_parallel_slots(n, threads);
      ASSERT_EQ(numjit_rt_parallel_for(record_chunk, &c, n, threads, slots), numjit::abi::kStatusOk);
      EXPECT_EQ(static_cast<int64_t>(c.ranges.size()), slots);
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
  EXPECT_EQ(numjit_rt_parallel_for(visit, &v, 50000, numjit_rt_num_threads(), 0), numjit::abi::kStatusError);
  numjit::runtime::PendingError e = numjit::runtime::take_pending_error();
  EXPECT_EQ(e.exc_class, &g_error_tag);
  EXPECT_EQ(e.message, "chunk failed");
  // The pool keeps working afterwards.
  Visits ok(1000);
  EXPECT_EQ(numjit_rt_parallel_for(visit, &ok, 1000, numjit_rt_num_threads(), 0), numjit::abi::kStatusOk);
}

TEST(ParallelRuntime, OneThreadRunsOnTheCaller) {
  numjit::runtime::set_num_threads(1);
  EXPECT_EQ(numjit_rt_num_threads(), 1);
  Visits v(10000);
  ASSERT_EQ(numjit_rt_parallel_for(visit, &v, 10000, 1, 1), numjit::abi::kStatusOk);
  EXPECT_EQ(v.max_chunk.load(), 0);
  numjit::runtime::set_num_threads(0);  // back to the maximum
  EXPECT_EQ(numjit_rt_num_threads(), numjit::runtime::max_threads());
}

TEST(ParallelRuntime, ChunkNumbersFollowTheRangeAndRepeatRunToRun) {
  // Chunk k covers the k-th stretch of the range, on every run: a reduction's
  // per-chunk partials, combined in number order, then give the same bits.
  for (int threads : {2, 3, 4}) {
    for (int64_t n : {5, 300, 100003}) {
      int64_t slots = numjit_rt_parallel_slots(n, threads);
      auto first = chunks_by_number(n, threads, slots);
      int64_t at = 0;
      for (auto [begin, end] : first) {
        ASSERT_EQ(begin, at) << "threads=" << threads << " n=" << n;
        at = end;
      }
      EXPECT_EQ(at, n);
      for (int run = 0; run < 5; ++run) EXPECT_EQ(chunks_by_number(n, threads, slots), first);
    }
  }
}

TEST(ParallelRuntime, FewerSlotsThanChunksPutTheRestInTheLast) {
  // A caller that sized its partials before the chunk size changed.
  auto chunks = chunks_by_number(1000, 2, 3);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks.front().first, 0);
  EXPECT_EQ(chunks.back().second, 1000);
  for (size_t i = 1; i < chunks.size(); ++i) EXPECT_EQ(chunks[i].first, chunks[i - 1].second);
}

TEST(ParallelRuntime, ChunksStayWithinTheSlotLimit) {
  numjit::runtime::set_chunk_size(1);
  int64_t slots = numjit_rt_parallel_slots(int64_t{1} << 24, 2);
  numjit::runtime::set_chunk_size(0);
  EXPECT_LE(slots, 4096);
  EXPECT_GE(slots, 4000);
  EXPECT_LE(numjit_rt_parallel_slots(int64_t{1} << 40, 1024), 4096);
  EXPECT_EQ(numjit_rt_parallel_slots(0, 2), 1);
  EXPECT_EQ(numjit_rt_parallel_slots(1000, 1), 1);
}
