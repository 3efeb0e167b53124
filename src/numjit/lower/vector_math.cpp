#include "numjit/lower/vector_math.h"

#include <llvm/IR/DerivedTypes.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>

#include <set>

namespace numjit::lower {
namespace {

// libm functions that glibc 2.35+ ships in libmvec (double names; the float
// variants add 'f'), from `nm -D libmvec.so.1`.
const std::set<std::string>& libmvec_functions() {
  static const std::set<std::string> names = {
      "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "cos", "cosh", "erf", "erfc",
      "exp", "exp10", "exp2", "expm1", "hypot", "log", "log10", "log1p", "log2", "pow", "sin", "sinh",
      "tan", "tanh"};
  return names;
}

}  // namespace

void attach_vector_variants(llvm::Module& module, const Target& target, llvm::CallInst* call,
                            const std::string& symbol, int nargs) {
  bool single = symbol.back() == 'f' && libmvec_functions().count(symbol.substr(0, symbol.size() - 1));
  std::string base = single ? symbol.substr(0, symbol.size() - 1) : symbol;
  if (!libmvec_functions().count(base) || !target.avx2) return;
  struct Variant {
    char isa;
    int lanes;
  };
  std::vector<Variant> variants;
  int avx2_lanes = single ? 8 : 4;
  variants.push_back({'d', avx2_lanes});
  if (target.avx512) variants.push_back({'e', avx2_lanes * 2});
  std::string params(nargs, 'v');
  std::string attr;
  llvm::Type* scalar = call->getType();
  for (const Variant& v : variants) {
    std::string lanes = std::to_string(v.lanes);
    std::string vector_name = "_ZGV" + std::string(1, v.isa) + "N" + lanes + params + "_" + symbol;
    if (!attr.empty()) attr += ",";
    attr += "_ZGV_LLVM_N" + lanes + params + "_" + symbol + "(" + vector_name + ")";
    if (!module.getFunction(vector_name)) {
      auto* vt = llvm::FixedVectorType::get(scalar, v.lanes);
      std::vector<llvm::Type*> ps(nargs, vt);
      auto* decl = llvm::Function::Create(llvm::FunctionType::get(vt, ps, false),
                                          llvm::Function::ExternalLinkage, vector_name, module);
      decl->setDoesNotAccessMemory();
      decl->setDoesNotThrow();
      // Without a use, O3 would drop the declaration before the vectorizer runs.
      llvm::appendToCompilerUsed(module, {decl});
    }
  }
  call->addFnAttr(llvm::Attribute::get(call->getContext(), "vector-function-abi-variant", attr));
}

}  // namespace numjit::lower
