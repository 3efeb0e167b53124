// Facts about loop bodies the lowering uses to emit faster loops.
#pragma once

#include "numjit/hir/hir.h"

namespace numjit::passes {

// Whether any statement in `body` (nested blocks included) assigns `local`.
bool assigns_local(const hir::Block& body, int local);

// Whether `body` indexes an array directly with `local` (a[local], a[x, local]).
bool indexes_with_local(const hir::Block& body, int local);

}  // namespace numjit::passes
