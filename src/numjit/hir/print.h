// Human-readable views of HIR, for inspect_types() and NUMJIT_DUMP=hir,types.
#pragma once

#include <string>

#include "numjit/hir/hir.h"

namespace numjit::hir {

// The function's signature, each local's inferred type, and the source lines.
std::string describe_types(const Function& fn);
// The tree itself, one node per line, with each expression's type once
// inference has given it one (NUMJIT_DUMP=hir after reading, =types after typing).
std::string describe_tree(const Function& fn);

}  // namespace numjit::hir
