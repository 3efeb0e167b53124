// How a parallel region's iterations are cut into chunks, and how threads
// claim them.
//
// - The range is split into one contiguous home per thread, and each home
//   into guided chunks (each half of what is left of the home, at most an
//   eighth of a home, down to 1/(32P) of the region). A thread claims its own home's chunks from the
//   front, then takes other homes' chunks from their backs. A loop that runs
//   many regions over the same rows (Floyd-Warshall's rows for each k) so
//   gives each thread the same rows every time, and they stay in its core's
//   cache: with chunks claimed first come from one queue, rows moved between
//   the cores and two threads ran slower than one. A busy core still delays
//   no one: its home is taken by the others, smallest chunks first.
// - The chunks depend only on (count, threads, fixed chunk size): compiled
//   code keeps a reduction's partial per chunk (chunk k is told k) and
//   combines them in chunk order, so its bits do not depend on timing.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <vector>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/functions.h"

namespace numjit::runtime {

// The partials live on the caller's stack: at most this many chunks.
constexpr int64_t kMaxChunks = 4096;

// A vector whose first N elements live in place: a region's plan is made on
// every prange, and two heap blocks per region were a third of the cost of
// a small one.
template <typename T, size_t N>
class InlineVector {
 public:
  InlineVector() = default;
  InlineVector(const InlineVector&) = delete;
  InlineVector& operator=(const InlineVector&) = delete;
  void push_back(T value) {
    if (size_ == N && heap_.empty()) heap_.assign(inline_, inline_ + N);
    if (!heap_.empty()) heap_.push_back(value); else inline_[size_] = value;
    ++size_;
  }
  void resize_down(size_t n) {  // n <= size()
    size_ = n;
    if (!heap_.empty()) heap_.resize(n);
  }
  void assign(std::initializer_list<T> values) {
    resize_down(0);
    for (T v : values) push_back(v);
  }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return heap_.empty() ? inline_[i] : heap_[i]; }
  const T& operator[](size_t i) const { return heap_.empty() ? inline_[i] : heap_[i]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

 private:
  T inline_[N];
  std::vector<T> heap_;  // all elements, once there are more than N
  size_t size_ = 0;
};

struct ChunkPlan {
  InlineVector<int64_t, 64> bounds;     // chunk k is bounds[k]..bounds[k+1]
  InlineVector<int64_t, 16> home_first;  // home h holds chunks home_first[h]..home_first[h+1]
  int64_t chunks() const { return static_cast<int64_t>(bounds.size()) - 1; }
};

// `fixed` > 0: chunks of that many iterations (set_parallel_chunksize).
void plan_chunks(ChunkPlan& plan, int64_t count, int threads, int64_t fixed);
// How many chunks plan_chunks makes, without making them.
int64_t count_chunks(int64_t count, int threads, int64_t fixed);

// Keeps the first `slots` chunks, the last of them running to the end, in one
// home: for a caller that sized its partials before the chunk size changed.
void limit_chunks(ChunkPlan& plan, int64_t slots);

class ChunkClaims {
 public:
  ChunkClaims(numjit_chunk_fn fn, void* ctx, const ChunkPlan& plan);
  // Runs chunks as `thread_id` (what get_thread_id() says inside them), its
  // home first, until none are left or one has failed. Returns the number of
  // iterations it ran.
  int64_t run(int thread_id);
  bool failed() const { return failed_.load(); }
  PendingError& first_error() { return first_error_; }
  int64_t chunks() const { return plan_.chunks(); }
  int64_t iterations() const { return plan_.bounds.back(); }
  // How long thread 0 (the caller) took per iteration it ran, in ns; 0
  // where it ran none.
  double caller_ns_per_iteration() const { return caller_ns_per_iteration_; }

 private:
  static constexpr int kInlineHomes = 8;
  struct alignas(64) Home {  // a line each: owners claim without false sharing
    std::atomic<uint64_t> front_back;  // next chunk from the front (low half), end of the unclaimed (high half)
  };
  int64_t take_front(Home& home);
  int64_t take_back(Home& home);
  int64_t run_chunk(int64_t k);  // its iterations

  numjit_chunk_fn fn_;
  void* ctx_;
  const ChunkPlan& plan_;
  int home_count_;
  Home inline_homes_[kInlineHomes];
  std::unique_ptr<Home[]> heap_homes_;  // where there are more homes
  Home* homes_;
  std::atomic<bool> failed_{false};
  std::mutex error_mutex_;
  PendingError first_error_;
  double caller_ns_per_iteration_ = 0;
};

// The calling thread's id inside a region (0 outside one), as run() sets it.
int current_thread_id();

}  // namespace numjit::runtime
