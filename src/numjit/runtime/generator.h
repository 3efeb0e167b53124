// np.random.Generator in compiled code. A Generator is a refcounted block
// (memory.h's MemInfo) holding a reference to the Python Generator and its
// BitGenerator's bitgen_t, so compiled code draws from the very state Python
// sees: a Generator passed in advances as if Python had drawn, and one made
// by np.random.default_rng in compiled code goes back to Python as itself.
// The distributions are NumPy's own C functions (libnpyrandom, shipped with
// NumPy for this use), so every stream equals NumPy's.
#pragma once

#include "numjit/runtime/functions.h"

namespace numjit::runtime {

// A block for the Generator `generator` (a borrowed reference, taken by the
// block), or null with a Python error set when it is not a Generator whose
// BitGenerator exposes a bitgen_t capsule. Needs the GIL.
MemInfo* generator_from_python(void* generator);
// The Python Generator a block holds (borrowed).
void* generator_object(MemInfo* block);

}  // namespace numjit::runtime
