// `solve = numba_xgesv` or `int_type = np.int32`: a variable assigned once, a
// function, a class or a module (or a tuple of them, or an item of such a
// tuple at a constant index), names that value. Compiled code has no
// run-time value for those, so the variable's reads become the value itself
// and the assignment goes (before inference).
#pragma once

#include "numjit/hir/hir.h"

namespace numjit::passes {

void inline_constant_aliases(hir::Function& fn);

}  // namespace numjit::passes
