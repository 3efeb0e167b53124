// The parallel runtime (src/numjit/runtime/parallel.cpp) driven directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
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
      // Each claim takes half of what remains of its home, at most an eighth
      // of a home and at least 1/(32P) of the region: far fewer chunks than
      // iterations (one thread: one chunk).
      if (threads == 1) EXPECT_EQ(c.ranges.size(), 1u);
      EXPECT_LE(static_cast<int64_t>(c.ranges.size()), std::min<int64_t>(n, 32 * threads + 2 * threads * 8));
      // The first claim is the largest share.
      int64_t largest = std::max<int64_t>({1, n / (32 * threads), n / (8 * threads)});
      if (n >= 2 * threads) EXPECT_EQ(c.ranges.front().second - c.ranges.front().first,
                                      threads == 1 ? n : std::min(n / (2 * threads), largest));
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

namespace {

struct Tally {
  std::vector<std::atomic<int>> count;
  std::atomic<int> chunks{0};
  std::atomic<int> highest_thread{0};
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  explicit Tally(size_t n) : count(n) {}
};

int32_t tally(void* ctx, int64_t begin, int64_t end, int32_t) {
  auto* t = static_cast<Tally*>(ctx);
  t->chunks.fetch_add(1);
  int id = numjit_rt_thread_id();
  for (int seen = t->highest_thread.load(); id > seen && !t->highest_thread.compare_exchange_weak(seen, id);) {
  }
  {
    std::lock_guard lock(t->mutex);
    t->ranges.emplace_back(begin, end);
  }
  for (int64_t i = begin; i < end; ++i) t->count[i].fetch_add(1);
  return numjit::abi::kStatusOk;
}

// The same, with about 100 ns of work an iteration: regions of a few
// microseconds, which run on the team rather than on the caller alone.
int32_t tally_slowly(void* ctx, int64_t begin, int64_t end, int32_t number) {
  for (int64_t i = begin; i < end; ++i) {
    volatile int64_t sink = 0;
    for (int k = 0; k < 200; ++k) sink = sink + k;
  }
  return tally(ctx, begin, end, number);
}

// A region whose chunks each start a region of their own.
int32_t nest(void* ctx, int64_t begin, int64_t end, int32_t) {
  auto* inner = static_cast<std::vector<std::unique_ptr<Tally>>*>(ctx);
  for (int64_t i = begin; i < end; ++i) {
    Tally& t = *(*inner)[i];
    if (numjit_rt_parallel_for(tally, &t, static_cast<int64_t>(t.count.size()), 2, 0) != numjit::abi::kStatusOk)
      return numjit::abi::kStatusError;
  }
  return numjit::abi::kStatusOk;
}

}  // namespace

TEST(ParallelRuntime, ManyBackToBackRegionsRunEveryIterationOnce) {
  // The lingering team's case: short regions one after another.
  int threads = numjit_rt_num_threads();
  for (int64_t n : {2, 64, 300}) {
    for (int region = 0; region < 500; ++region) {
      Tally t(static_cast<size_t>(n));
      ASSERT_EQ(numjit_rt_parallel_for(tally_slowly, &t, n, threads, 0), numjit::abi::kStatusOk);
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(t.count[i].load(), 1) << "n=" << n << " region=" << region;
      ASSERT_LT(t.highest_thread.load(), std::max(threads, 1));
    }
  }
}

TEST(ParallelRuntime, RegionsFromTwoThreadsAtOnce) {
  // One of them has the team; the other goes through TBB meanwhile.
  auto regions = [] {
    for (int region = 0; region < 300; ++region) {
      Tally t(100);
      if (numjit_rt_parallel_for(tally_slowly, &t, 100, 2, 0) != numjit::abi::kStatusOk) return false;
      for (auto& c : t.count)
        if (c.load() != 1) return false;
    }
    return true;
  };
  bool first = false, second = false;
  std::thread a([&] { first = regions(); });
  std::thread b([&] { second = regions(); });
  a.join();
  b.join();
  EXPECT_TRUE(first);
  EXPECT_TRUE(second);
}

TEST(ParallelRuntime, ARegionInsideAChunk) {
  std::vector<std::unique_ptr<Tally>> inner;
  for (int i = 0; i < 40; ++i) inner.push_back(std::make_unique<Tally>(static_cast<size_t>(100 + i)));
  ASSERT_EQ(numjit_rt_parallel_for(nest, &inner, 40, 2, 0), numjit::abi::kStatusOk);
  for (auto& t : inner)
    for (auto& c : t->count) ASSERT_EQ(c.load(), 1);
}

TEST(ParallelRuntime, AKnownSmallRegionRunsOnTheCallerAsOneChunk) {
  // Four cheap iterations: after a first measured run, the site's regions
  // are under 2 us of work and run alone, whole, as chunk 0 (no partials).
  bool whole_on_the_caller = false;
  for (int run = 0; run < 50 && !whole_on_the_caller; ++run) {
    Tally t(4);
    ASSERT_EQ(numjit_rt_parallel_for(tally, &t, 4, 2, 0), numjit::abi::kStatusOk);
    whole_on_the_caller = t.chunks.load() == 1 && t.ranges[0] == std::make_pair(int64_t{0}, int64_t{4}) &&
                          t.highest_thread.load() == 0;
  }
  EXPECT_TRUE(whole_on_the_caller);
}

TEST(ParallelRuntime, AKnownSmallRegionWithPartialsKeepsItsChunks) {
  // With per-chunk partials (slots > 0) the chunks stay those of the plan,
  // so a reduction's bits are the same whether the region ran alone or not.
  int64_t slots = numjit_rt_parallel_slots(300, 2);
  ASSERT_GT(slots, 1);
  auto numbered_tally = [](void* ctx, int64_t begin, int64_t end, int32_t number) -> int32_t {
    return tally(ctx, begin, end, number);
  };
  for (int run = 0; run < 20; ++run) {
    Tally t(300);
    ASSERT_EQ(numjit_rt_parallel_for(numbered_tally, &t, 300, 2, slots), numjit::abi::kStatusOk);
    ASSERT_EQ(t.chunks.load(), slots) << "run " << run;
  }
}
