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

// The first read, in program order, that a path through `body` reaches
// without passing an assignment of its local, where `assigned_on_entry[i]`
// says local i holds a value before `body` runs; local -1 if there is none.
// (A prange body's locals carried from another iteration: parallel_loops.cpp.)
struct UnassignedRead {
  int local = -1;
  SourceSpan span;
};
UnassignedRead first_possibly_unassigned_read(const hir::Block& body, std::vector<bool> assigned_on_entry);

}  // namespace numjit::passes
