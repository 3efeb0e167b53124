// Checks a function's HIR against the layout hir/nodes.def declares, between
// stages, so that a pass that leaves a malformed tree fails where it did so
// rather than as a wrong lowering later. The compiler runs it when tests or
// NUMJIT_DEBUG=verify ask; a failure is an internal error naming the node.
#pragma once

#include "numjit/hir/hir.h"

namespace numjit::hir {

enum class Stage {
  Read,   // after the front end and desugaring: the shape of every node, no sugar left
  Typed,  // after inference and pruning: also every expression typed and every call resolved
};

void verify(const Function& fn, Stage stage);

}  // namespace numjit::hir
