// A library call as type inference resolved it. Inference stores it on the
// call node (hir::Expr::signature); lowering reads it and never types the
// call again.
#pragma once

#include <vector>

#include "numjit/types/type.h"

namespace numjit::types {

struct Signature {
  const Type* result = nullptr;
  // What lowering converts each argument to before the row sees it (null: as is).
  std::vector<const Type*> params;
  // The argument types the call was typed with (a method's object first).
  std::vector<const Type*> args;
  // For rows that name their parameters (library/arguments.h's bind): which
  // argument fills each parameter, -1 when it is not given.
  std::vector<int> bound;
};

}  // namespace numjit::types
