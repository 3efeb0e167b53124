// The parallel runtime: a C ABI compiled code calls for prange loops, and the
// thread controls the Python API exposes (numjit.set_num_threads, ...).
#pragma once

#include <cstdint>

extern "C" {
// Runs iterations [begin, end) of an outlined prange body; `worker` is the
// calling thread's index in [0, nthreads), used for per-thread reduction
// partials. Returns abi::kStatusOk or kStatusError (record pending).
typedef int32_t (*numjit_chunk_fn)(void* ctx, int64_t begin, int64_t end, int32_t worker);

// Runs iterations 0..count-1 of `fn` on up to `nthreads` threads with dynamic
// load balancing. The first failing chunk's exception is re-recorded on the
// calling thread and the status returned.
int32_t numjit_rt_parallel_for(numjit_chunk_fn fn, void* ctx, int64_t count, int32_t nthreads);
// A NumPy inner loop (PyUFuncGenericFunction) for target='parallel' ufuncs:
// `data` points to a numjit_parallel_ufunc_data; the elements are split
// across the pool, each chunk run by the serial compiled loop.
struct numjit_parallel_ufunc_data {
  void* serial_loop;
  int32_t operands;  // nin + nout
};
void numjit_rt_parallel_ufunc_loop(char** args, const int64_t* dimensions, const int64_t* steps, void* data);
// Threads the next parallel region of this thread will use (its partials are sized by it).
int32_t numjit_rt_num_threads();
// Index of the calling thread in its parallel region (0 outside one).
int32_t numjit_rt_thread_id();
}

namespace numjit::runtime {
int max_threads();             // NUMJIT_NUM_THREADS, else the hardware's
void set_num_threads(int n);   // per calling thread; 1 <= n <= max_threads()
int num_threads();
void set_chunk_size(int64_t n);  // 0: automatic (dynamic splitting)
int64_t chunk_size();
void prepare_fork();
}  // namespace numjit::runtime
