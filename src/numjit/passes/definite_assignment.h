// Which locals some read may find unassigned. Python raises
// UnboundLocalError there; compiled code keeps a "defined" flag for just
// those locals and raises the same. Every other read needs no check.
#pragma once

#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::passes {

// One entry per local of `fn`: true when a path from the entry reaches a
// read of it without passing an assignment (parameters are assigned on entry).
std::vector<bool> possibly_unassigned_reads(const hir::Function& fn);

}  // namespace numjit::passes
