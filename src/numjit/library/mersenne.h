// MT19937 drawn inline by compiled code, over the runtime's per-thread states
// (runtime/random.cpp: Python's random module's and np.random's legacy one,
// both laid out as abi.h says): the runtime is called only to find the state
// and to twist it every 624 words.
#pragma once

#include "numjit/library/row_context.h"

namespace numjit::library {

// This thread's state, from `getter` (py_random_state or random_state).
llvm::Value* mersenne_state(RowContext& f, codegen::RuntimeFunction getter);
// The next tempered 32-bit word.
llvm::Value* mersenne_word(RowContext& f, llvm::Value* state);
// A double in [0, 1) from 53 bits of two words, as CPython's genrand_res53 and
// NumPy's legacy random_sample compute it.
llvm::Value* mersenne_double(RowContext& f, llvm::Value* state);

}  // namespace numjit::library
