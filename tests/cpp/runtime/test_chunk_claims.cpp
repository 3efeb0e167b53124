// Chunk plans and claims (src/numjit/runtime/chunk_claims.cpp), driven directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "numjit/runtime/chunk_claims.h"

namespace {

using numjit::runtime::ChunkClaims;
using numjit::runtime::ChunkPlan;
using numjit::runtime::count_chunks;
using numjit::runtime::plan_chunks;

struct Ran {
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> ranges;  // in the order they ran
  std::vector<int32_t> numbers;
  std::vector<int> thread_ids;
};

int32_t record(void* ctx, int64_t begin, int64_t end, int32_t number) {
  auto* r = static_cast<Ran*>(ctx);
  std::lock_guard lock(r->mutex);
  r->ranges.emplace_back(begin, end);
  r->numbers.push_back(number);
  r->thread_ids.push_back(numjit::runtime::current_thread_id());
  return 0;
}

}  // namespace

TEST(ChunkPlan, HomesSplitTheRangeEvenlyAndHalveWithinAnEighthOfAHome) {
  for (int threads : {2, 3, 4, 16}) {
    for (int64_t n : {1, 5, 64, 300, 100003}) {
      ChunkPlan plan;
      plan_chunks(plan, n, threads, 0);
      int64_t homes = std::min<int64_t>(threads, n);
      ASSERT_EQ(static_cast<int64_t>(plan.home_first.size()), homes + 1) << threads << " " << n;
      EXPECT_EQ(plan.home_first[0], 0);
      EXPECT_EQ(plan.home_first[homes], plan.chunks());
      EXPECT_EQ(count_chunks(n, threads, 0), plan.chunks());
      for (int64_t h = 0; h < homes; ++h) {
        // Home h starts at h * n / homes; its first chunk is half of it, but
        // no more than an eighth of a home, nor less than 1/(32P) of the range.
        int64_t first = plan.home_first[h];
        int64_t begin = plan.bounds[first], end = plan.bounds[plan.home_first[h + 1]];
        EXPECT_EQ(begin, n * h / homes);
        EXPECT_EQ(end, n * (h + 1) / homes);
        int64_t smallest = std::max<int64_t>(1, n / (32 * threads));
        int64_t largest = std::max<int64_t>(smallest, n / (8 * threads));
        EXPECT_EQ(plan.bounds[first + 1] - begin, std::min(end - begin, std::clamp((end - begin) / 2, smallest, largest)));
        // Each later chunk is no larger than the one before it.
        for (int64_t k = first + 1; k + 1 < plan.home_first[h + 1]; ++k)
          EXPECT_LE(plan.bounds[k + 1] - plan.bounds[k], plan.bounds[k] - plan.bounds[k - 1]);
      }
      for (int64_t k = 0; k < plan.chunks(); ++k) ASSERT_LT(plan.bounds[k], plan.bounds[k + 1]);
    }
  }
}

TEST(ChunkPlan, ManyChunksLeaveTheInlineStorageIntact) {
  // 16 threads and fixed chunks of 3: far more chunks than fit in place.
  ChunkPlan plan;
  plan_chunks(plan, 1000, 16, 3);
  ASSERT_GT(plan.chunks(), 64);
  EXPECT_EQ(plan.chunks(), count_chunks(1000, 16, 3));
  for (int64_t k = 0; k < plan.chunks(); ++k) {
    ASSERT_LT(plan.bounds[k], plan.bounds[k + 1]);
    ASSERT_LE(plan.bounds[k + 1] - plan.bounds[k], 3);
  }
  EXPECT_EQ(plan.bounds.back(), 1000);
  // Planned again into the same object, a smaller region starts afresh.
  plan_chunks(plan, 10, 2, 0);
  EXPECT_EQ(plan.bounds.back(), 10);
  EXPECT_EQ(plan.home_first.size(), 3u);
}

TEST(ChunkPlan, LimitedToFewerSlotsTheLastChunkRunsToTheEnd) {
  ChunkPlan plan;
  plan_chunks(plan, 1000, 2, 0);
  numjit::runtime::limit_chunks(plan, 3);
  ASSERT_EQ(plan.chunks(), 3);
  EXPECT_EQ(plan.bounds.back(), 1000);
  ASSERT_EQ(plan.home_first.size(), 2u);  // one home: the chunks no longer follow the thread split
  EXPECT_EQ(plan.home_first[1], 3);
}

TEST(ChunkClaims, OneClaimantTakesItsHomeFromTheFrontThenTheOthersFromTheBack) {
  ChunkPlan plan;
  plan_chunks(plan, 300, 2, 0);
  Ran ran;
  ChunkClaims claims(record, &ran, plan);
  EXPECT_EQ(claims.run(1), 300);  // thread 1 alone: home 1 forwards, then home 0 backwards
  std::vector<int32_t> expected;
  for (int64_t k = plan.home_first[1]; k < plan.home_first[2]; ++k) expected.push_back(static_cast<int32_t>(k));
  for (int64_t k = plan.home_first[1] - 1; k >= 0; --k) expected.push_back(static_cast<int32_t>(k));
  EXPECT_EQ(ran.numbers, expected);
  for (int id : ran.thread_ids) EXPECT_EQ(id, 1);
  EXPECT_EQ(numjit::runtime::current_thread_id(), 0);  // restored
  EXPECT_GT(claims.caller_ns_per_iteration(), -1.0);
  EXPECT_EQ(claims.caller_ns_per_iteration(), 0.0);  // only thread 0 is timed
}

TEST(ChunkClaims, ConcurrentClaimantsRunEveryChunkOnce) {
  for (int threads : {2, 4, 8}) {
    ChunkPlan plan;
    plan_chunks(plan, 100003, threads, 0);
    Ran ran;
    ChunkClaims claims(record, &ran, plan);
    std::atomic<int64_t> total{0};
    std::vector<std::thread> claimants;
    for (int t = 0; t < threads; ++t) claimants.emplace_back([&, t] { total += claims.run(t); });
    for (auto& c : claimants) c.join();
    EXPECT_EQ(total.load(), 100003);
    std::vector<int32_t> numbers = ran.numbers;
    std::sort(numbers.begin(), numbers.end());
    ASSERT_EQ(static_cast<int64_t>(numbers.size()), plan.chunks());
    for (int64_t k = 0; k < plan.chunks(); ++k) EXPECT_EQ(numbers[k], k);
    for (size_t i = 0; i < ran.ranges.size(); ++i) {
      EXPECT_EQ(ran.ranges[i].first, plan.bounds[ran.numbers[i]]);
      EXPECT_EQ(ran.ranges[i].second, plan.bounds[ran.numbers[i] + 1]);
    }
  }
}

TEST(ChunkClaims, AFailedChunkStopsTheClaimsAndKeepsTheFirstError) {
  ChunkPlan plan;
  plan_chunks(plan, 1000, 2, 1);  // chunks of one iteration
  static int tag;
  auto fail_at_10 = [](void*, int64_t begin, int64_t, int32_t) -> int32_t {
    if (begin != 10) return 0;
    numjit_rt_set_error(&tag, "ten");
    return 1;
  };
  ChunkClaims claims(fail_at_10, nullptr, plan);
  int64_t ran = claims.run(0);
  EXPECT_TRUE(claims.failed());
  EXPECT_EQ(ran, 11);  // chunks 0..10 of home 0, then it stopped
  EXPECT_EQ(claims.first_error().exc_class, &tag);
  EXPECT_EQ(claims.first_error().message, "ten");
}
