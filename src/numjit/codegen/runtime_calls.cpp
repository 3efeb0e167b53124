#include "numjit/codegen/runtime_calls.h"

#include <llvm/IR/DerivedTypes.h>

#include <type_traits>

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
};

const Row kRows[] = {
#define NUMJIT_RUNTIME_FUNCTION(result, name, params)                                          \
  {"numjit_rt_" #name, [](llvm::LLVMContext& c) {                                             \
     return function_type(static_cast<decltype(&numjit_rt_##name)>(nullptr), c);              \
   }},
#include "numjit/runtime/functions.def"
#undef NUMJIT_RUNTIME_FUNCTION
};

}  // namespace

llvm::FunctionCallee runtime_function(llvm::Module& module, RuntimeFunction f) {
  const Row& row = kRows[static_cast<size_t>(f)];
  return module.getOrInsertFunction(row.symbol, row.type(module.getContext()));
}

}  // namespace numjit::codegen
