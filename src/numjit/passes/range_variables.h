// Python lets a range be a value: `r = range(0, n)` in one branch and
// `r = range(k, n)` in another, then `for i in r`. Compiled code keeps a
// range as its bounds: a variable assigned only range(...) calls and read
// only as a for loop's iterable or by len() becomes two or three integer
// variables (start, stop and, when some assignment gives one, step), and
// each read becomes range(start, stop[, step]) again. Other uses of such a
// variable stay refused by inference, with its located error.
#pragma once

#include "numjit/hir/hir.h"

namespace numjit::passes {

void split_range_variables(hir::Function& fn);

}  // namespace numjit::passes
