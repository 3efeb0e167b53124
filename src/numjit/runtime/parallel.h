// The parallel runtime: a C ABI compiled code calls for prange loops, and the
// thread controls the Python API exposes (numjit.set_num_threads, ...).
#pragma once

#include <cstdint>

#include "numjit/runtime/functions.h"

// numjit_rt_parallel_for, _num_threads and _thread_id are in functions.def.
extern "C" {
// A NumPy inner loop (PyUFuncGenericFunction) for target='parallel' ufuncs:
// `data` points to a numjit_parallel_ufunc_data; the elements are split
// across the pool, each chunk run by the serial compiled loop.
struct numjit_parallel_ufunc_data {
  void* serial_loop;
  int32_t operands;  // nin + nout
};
void numjit_rt_parallel_ufunc_loop(char** args, const int64_t* dimensions, const int64_t* steps, void* data);
}

namespace numjit::runtime {
int max_threads();             // NUMJIT_NUM_THREADS, else the hardware's
void set_num_threads(int n);   // per calling thread; 1 <= n <= max_threads()
int num_threads();
void set_chunk_size(int64_t n);  // 0: automatic (dynamic splitting)
int64_t chunk_size();
void prepare_fork();
}  // namespace numjit::runtime
