// How a failed ufunc inner loop reports its exception (runtime/errors.cpp,
// runtime/parallel.cpp): on the thread NumPy called, through the hook the
// dispatcher installs; a chunk of a target='parallel' loop leaves it
// pending for the driver instead (pytest: test_vectorize_exceptions.py).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/functions.h"
#include "numjit/runtime/parallel.h"

namespace {

int g_error_class;
std::atomic<int> g_reports{0};
std::thread::id g_reporting_thread;
std::string g_reported_message;
thread_local bool tls_inside_serial_loop = false;
std::atomic<bool> g_reported_inside_a_loop{false};  // a chunk on a pool thread must not report

// Stands in for the dispatcher's hook: takes the pending error, as raising it into Python would.
void record_report() {
  g_reports.fetch_add(1);
  g_reporting_thread = std::this_thread::get_id();
  if (tls_inside_serial_loop) g_reported_inside_a_loop = true;
  g_reported_message = numjit::runtime::take_pending_error().message;
}

// A serial inner loop over doubles (in, out) that fails at a negative element, as compiled loops do.
void serial_loop(char** args, const int64_t* dimensions, const int64_t* steps, void* data) {
  for (int64_t i = 0; i < dimensions[0]; ++i) {
    double v = *reinterpret_cast<double*>(args[0] + i * steps[0]);
    if (v < 0) {
      numjit_rt_set_error(&g_error_class, "negative element");
      tls_inside_serial_loop = true;  // what the loop's failure block calls runs inside the loop
      numjit_rt_ufunc_failed(data);
      tls_inside_serial_loop = false;
      return;
    }
    *reinterpret_cast<double*>(args[1] + i * steps[1]) = 2 * v;
  }
}

struct Hooked : ::testing::Test {
  void SetUp() override {
    numjit::runtime::set_ufunc_failure_hook(record_report);
    g_reports = 0;
    g_reported_message.clear();
    g_reported_inside_a_loop = false;
  }
  void TearDown() override { numjit::runtime::set_ufunc_failure_hook(nullptr); }
};

void run_parallel_loop(std::vector<double>& in, std::vector<double>& out) {
  numjit_parallel_ufunc_data data{reinterpret_cast<void*>(&serial_loop), 2};
  char* args[] = {reinterpret_cast<char*>(in.data()), reinterpret_cast<char*>(out.data())};
  int64_t n = static_cast<int64_t>(in.size());
  int64_t steps[] = {sizeof(double), sizeof(double)};
  numjit_rt_parallel_ufunc_loop(args, &n, steps, &data);
}

}  // namespace

TEST_F(Hooked, AChunkLeavesItsErrorPending) {
  numjit_rt_set_error(&g_error_class, "in a chunk");
  numjit_rt_ufunc_failed(numjit::runtime::ufunc_chunk_data());
  EXPECT_EQ(g_reports.load(), 0);
  EXPECT_TRUE(numjit::runtime::has_pending_error());
  EXPECT_EQ(numjit::runtime::take_pending_error().message, "in a chunk");
  EXPECT_FALSE(numjit::runtime::has_pending_error());
}

TEST_F(Hooked, ASerialLoopReportsOnItsThread) {
  numjit_rt_set_error(&g_error_class, "serial");
  numjit_rt_ufunc_failed(nullptr);
  EXPECT_EQ(g_reports.load(), 1);
  EXPECT_EQ(g_reported_message, "serial");
  EXPECT_FALSE(numjit::runtime::has_pending_error());
}

TEST_F(Hooked, AParallelLoopReportsOnceOnTheCallingThread) {
  // Large enough to be split over the pool; the bad element in the second half's chunks.
  for (int64_t n : {int64_t{1} << 15, int64_t{1} << 18}) {
    for (int64_t bad : {n - 1, n / 2 + 7, int64_t{3}}) {
      std::vector<double> in(static_cast<size_t>(n), 1.0), out(static_cast<size_t>(n), 0.0);
      in[static_cast<size_t>(bad)] = -1.0;
      g_reports = 0;
      run_parallel_loop(in, out);
      EXPECT_EQ(g_reports.load(), 1) << "n " << n << " bad at " << bad;
      // Reported by the driver after the region, not by the chunk that failed (which may run on a
      // pool thread, where waiting for the GIL could deadlock).
      EXPECT_FALSE(g_reported_inside_a_loop.load());
      EXPECT_EQ(g_reporting_thread, std::this_thread::get_id());
      EXPECT_EQ(g_reported_message, "negative element");
      EXPECT_FALSE(numjit::runtime::has_pending_error());
    }
  }
}

TEST_F(Hooked, AParallelLoopWithoutErrorsReportsNothing) {
  std::vector<double> in(1 << 16, 1.5), out(1 << 16, 0.0);
  run_parallel_loop(in, out);
  EXPECT_EQ(g_reports.load(), 0);
  for (double v : out) ASSERT_EQ(v, 3.0);
}

TEST(UfuncFailures, WithoutAHookThePendingErrorIsDropped) {
  numjit::runtime::set_ufunc_failure_hook(nullptr);
  numjit_rt_set_error(&g_error_class, "nobody listens");
  numjit_rt_ufunc_failed(nullptr);
  EXPECT_FALSE(numjit::runtime::has_pending_error());
}
