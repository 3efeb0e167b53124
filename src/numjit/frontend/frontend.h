// The front end: CPython's `ast` of one function -> HIR. This folder is the only
// code that knows CPython's ast; it also freezes globals and closure variables
// (read from the function object at compile time, as Numba does).
#pragma once

#include <nanobind/nanobind.h>

#include <memory>

#include "numjit/hir/hir.h"

namespace numjit::frontend {

namespace nb = nanobind;

// Everything the front end needs about one Python function. Built by the
// Python side (numjit/dispatcher.py: _source_bundle) and kept alive while the
// function's compiled code exists.
struct FunctionBundle {
  nb::object function_def;   // ast.FunctionDef, line numbers already absolute
  std::shared_ptr<const SourceFile> source;
  int col_shift = 0;         // indentation removed before parsing
  nb::dict globals;          // the function's __globals__
  nb::dict closure;          // free variable name -> value
  nb::dict known;            // Python object -> canonical name ("np.arctan", "module:numpy")
  nb::object builtins;       // the builtins module's dict
  nb::tuple defaults;        // the values of the parameters' defaults (__defaults__), for those not constants
  hir::Options options;
  void* dispatcher = nullptr;
  // Python objects compiled code will refer to by address (exception classes,
  // frozen arrays, other dispatchers); the compiled function keeps them alive.
  mutable nb::list keepalive;
};

// Reads the function into HIR, resolving every non-local name to a frozen
// global value. Raises CompileError for constructs numjit does not support.
std::unique_ptr<hir::Function> read_function(const FunctionBundle& bundle);

// Classifies a Python value found in globals/closures/module attributes into a
// HIR expression (a constant or a GlobalValue). `what` names it in errors.
hir::ExprPtr freeze_value(nb::handle value, const std::string& what, const SourceSpan& span,
                          const FunctionBundle& bundle);

// The exact value of an integer constant expression (`2**63`, `-(1 << 40)`),
// folded with Python's unbounded ints (a float for `2 ** -1`, as CPython
// folds it); None when the node is not one.
nb::object fold_integer_constant(nb::handle node);

}  // namespace numjit::frontend
