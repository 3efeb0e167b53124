#include "numjit/codegen/runtime_calls.h"

#include <llvm/IR/DerivedTypes.h>

#include <type_traits>

#include "numjit/codegen/refcount_pruning.h"
#include "numjit/runtime/functions.h"

namespace numjit::codegen {
namespace {

template <typename T>
llvm::Type* llvm_type(llvm::LLVMContext& c) {
  if constexpr (std::is_void_v<T>) return llvm::Type::getVoidTy(c);
  else if constexpr (std::is_pointer_v<T>) return llvm::PointerType::get(c, 0);
  else if constexpr (std::is_same_v<T, double>) return llvm::Type::getDoubleTy(c);
  else if constexpr (std::is_same_v<T, float>) return llvm::Type::getFloatTy(c);
  else {
    static_assert(std::is_integral_v<T>, "a runtime function takes pointers, integers and floats only");
    return llvm::IntegerType::get(c, 8 * sizeof(T));
  }
}

// The function type of a C prototype; the pointer is only a type carrier.
template <typename R, typename... A>
llvm::FunctionType* function_type(R (*)(A...), llvm::LLVMContext& c) {
  return llvm::FunctionType::get(llvm_type<R>(c), {llvm_type<A>(c)...}, false);
}

struct Row {
  const char* symbol;
  llvm::FunctionType* (*type)(llvm::LLVMContext&);
  bool releases;  // may drop a reference (functions.def's RELEASING rows)
};

const Row kRows[] = {
#define NUMJIT_RUNTIME_ROW(name, releasing)                                                   \
  {"numjit_rt_" #name,                                                                        \
   [](llvm::LLVMContext& c) { return function_type(static_cast<decltype(&numjit_rt_##name)>(nullptr), c); }, \
   releasing},
#define NUMJIT_RUNTIME_FUNCTION(result, name, params) NUMJIT_RUNTIME_ROW(name, false)
#define NUMJIT_RELEASING_RUNTIME_FUNCTION(result, name, params) NUMJIT_RUNTIME_ROW(name, true)
#include "numjit/runtime/functions.def"
#undef NUMJIT_RELEASING_RUNTIME_FUNCTION
#undef NUMJIT_RUNTIME_FUNCTION
#undef NUMJIT_RUNTIME_ROW
};

}  // namespace

llvm::FunctionCallee runtime_function(llvm::Module& module, RuntimeFunction f) {
  const Row& row = kRows[static_cast<size_t>(f)];
  llvm::FunctionCallee callee = module.getOrInsertFunction(row.symbol, row.type(module.getContext()));
  if (!row.releases)
    if (auto* declared = llvm::dyn_cast<llvm::Function>(callee.getCallee()))
      declared->addFnAttr(kKeepsReferences);
  return callee;
}

}  // namespace numjit::codegen
