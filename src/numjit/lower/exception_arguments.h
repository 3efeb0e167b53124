// What `raise E(args)` hands the runtime for its arguments: one text.
//
// The runtime records an exception as its class and a message (no Python
// objects: compiled code holds no address of this process). A single string
// argument is that message, as before. Any other arguments (numbers, several
// of them: `raise ValueError("bad row", i0)` with constant i0) are written as
// a Python literal of their tuple behind abi::kExceptionArgumentsMarker,
// which the dispatcher (bindings/dispatch_module.cpp) evaluates with
// ast.literal_eval and passes to the class: the exception's args are
// Python's, as in Numba.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "numjit/hir/hir.h"
#include "numjit/runtime/abi.h"

namespace numjit::lower {

// A constant as a Python literal ast.literal_eval reads back to an equal value
// (nullopt for what it cannot: NaN, Ellipsis).
std::optional<std::string> python_literal(const hir::Constant& c);

// The message for an exception raised with constant arguments `args`.
std::string exception_message(const std::vector<const hir::Constant*>& args);

}  // namespace numjit::lower
