// The machine compiled code is for: chosen once by the JIT (the host CPU) and
// passed down to lowering, which tunes functions and vector math for it.
#pragma once

#include <string>

namespace numjit {

struct Target {
  std::string cpu;       // LLVM's CPU name, e.g. "skylake-avx512"
  std::string features;  // LLVM's feature string, "+avx2,+fma,..."
  bool avx2 = false;     // libmvec's 'd' variants can run
  bool avx512 = false;   // libmvec's 'e' variants can run; prefer 512-bit vectors
  // The target's data layout: modules take it when they are created, so the
  // sizes lowering computes (list items, dict entries) are the machine's.
  std::string data_layout;
};

}  // namespace numjit
