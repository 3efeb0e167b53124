// numjit.lapack(routine, *args): a direct call of a LAPACK routine, for the
// linear algebra written in Python (python/numjit/library/linalg.py). It is
// not for users; the Python side keeps the shapes and work sizes right.
//
// Every LAPACK argument is passed by address, as Fortran does: an array
// passes its data pointer (it must be contiguous), an integer a 32-bit copy,
// a one-character string the character, a float the routine's real type. The
// routine's prefix (s, d, c, z) follows the dtype of the first array, and
// `info` is appended and returned. "syevd/heevd" names the real and the
// complex routine.
#include "numjit/library/arguments.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;

const Type* first_array(const std::vector<const Type*>& args) {
  for (const Type* a : args)
    if (a->is_array()) return a;
  return nullptr;
}

std::optional<Signature> lapack_typing(const CallSite& c) {
  if (c.args.size() < 2 || c.args[0]->kind != t::TypeKind::StringLiteral) return std::nullopt;
  const Type* array = first_array(c.args);
  if (!array || !(array->dtype()->is_float() || array->dtype()->is_complex())) return std::nullopt;
  std::vector<const Type*> params{nullptr};
  for (size_t i = 1; i < c.args.size(); ++i) {
    const Type* a = c.args[i];
    bool character = a->kind == t::TypeKind::StringLiteral && a->text.size() == 1;
    if (!a->is_array() && !character && !(a->is_scalar() && !a->is_complex())) return std::nullopt;
    params.push_back(character ? nullptr : a);
  }
  return Signature{t::int64(), params};
}

std::string routine_symbol(const std::string& spelled, const Type* dtype) {
  size_t slash = spelled.find('/');
  std::string routine = slash == std::string::npos ? spelled
                        : dtype->is_complex()     ? spelled.substr(slash + 1)
                                                  : spelled.substr(0, slash);
  char prefix = dtype->is_complex() ? (dtype->bits() == 64 ? 'c' : 'z') : (dtype->bits() == 32 ? 's' : 'd');
  return std::string("numjit_lapack_") + prefix + routine;
}

llvm::Value* lapack_lowering(RowContext& f, const hir::Expr& call, const Signature& s,
                             std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  std::vector<const Type*> types;
  for (size_t i = 0; i < args.size(); ++i) types.push_back(argument_expr(call, i).type);
  const Type* dtype = first_array(types)->dtype();
  const Type* real = (dtype->bits() == 32 || (dtype->bits() == 64 && dtype->is_complex())) ? t::scalar(abi::ScalarKind::Float32)
                                                                                       : t::float64();
  std::vector<llvm::Value*> pointers;
  for (size_t i = 1; i < args.size(); ++i) {
    const Type* a = types[i];
    if (a->is_array()) {
      pointers.push_back(b.CreateExtractValue(args[i], codegen::kArrayData));
    } else if (a->kind == t::TypeKind::StringLiteral) {
      pointers.push_back(f.spill(b.getInt8(static_cast<uint8_t>(a->text[0]))));
    } else if (a->is_float()) {
      pointers.push_back(f.spill(f.cast(args[i], s.params[i], real)));
    } else {
      pointers.push_back(f.spill(b.CreateTrunc(f.cast(args[i], s.params[i], t::int64()), b.getInt32Ty())));
    }
  }
  llvm::Value* info = f.entry_alloca(b.getInt32Ty(), "lapack.info");
  b.CreateStore(b.getInt32(0), info);
  pointers.push_back(info);
  std::vector<llvm::Type*> params(pointers.size(), b.getPtrTy());
  llvm::FunctionCallee routine = f.module().getOrInsertFunction(
      routine_symbol(types[0]->text, dtype), llvm::FunctionType::get(b.getVoidTy(), params, false));
  b.CreateCall(routine, pointers);
  return b.CreateSExt(b.CreateLoad(b.getInt32Ty(), info), b.getInt64Ty());
}

}  // namespace

void register_lapack(std::vector<Builtin>& table) {
  table.push_back({"numjit.lapack", lapack_typing, lapack_lowering});
}

}  // namespace numjit::library
