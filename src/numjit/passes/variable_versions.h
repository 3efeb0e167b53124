// A name may hold values of different types over a function, as in Python
// and in Numba (whose SSA form gives each assignment its own variable):
// `I = I[0, :, ::-1]` makes a 2-D array of a 3-D one. numjit gives a variable
// one type, so before inference each assignment of a variable at the top
// level of the function body starts a new variable of the same name: reads
// after it, up to the next such assignment, read the new one. That is always
// the same program: a top-level assignment runs before every statement after
// it, so no value assigned before it can reach them. Assignments inside loops
// and branches stay with the version they are in, and their types must agree
// with it as before.
#pragma once

#include "numjit/hir/hir.h"

namespace numjit::passes {

void version_variables(hir::Function& fn);

}  // namespace numjit::passes
