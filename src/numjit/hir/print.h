// Human-readable views of typed HIR, for inspect_types() and NUMJIT_DUMP=types.
#pragma once

#include <string>

#include "numjit/hir/hir.h"

namespace numjit::hir {

// The function's signature, each local's inferred type, and the source lines.
std::string describe_types(const Function& fn);

}  // namespace numjit::hir
