// Calls of the Python functions objmode blocks became (numjit/_objmode.py),
// and print() of values only Python formats.
// The arguments travel as a result to Python does: written into 16-byte slots
// with their return descriptor (store_result), each holding a reference the
// boxing takes over. numjit_rt_call_python runs the function with the GIL and
// unboxes its tuple of declared variables into a struct of their types, each
// a reference compiled code now owns (bindings/call_python.cpp).
#include "numjit/lower/function_lowering.h"
#include "numjit/lower/module_lowering.h"

namespace numjit::lower {

llvm::Value* FunctionLowering::call_python(const hir::Expr& e) {
  auto& b = builder_;
  // A constant string travels as the run-time string it stands for.
  auto boxed_type = [](const Type* t) { return t->kind == types::TypeKind::StringLiteral ? types::string() : t; };
  std::vector<const Type*> arg_types;
  for (const hir::Expr& arg : e.args()) arg_types.push_back(boxed_type(arg.type));
  const Type* packed_type = types::tuple(arg_types);
  llvm::Value* packed = llvm::PoisonValue::get(value_type(context(), packed_type));
  unsigned i = 0;
  for (const hir::Expr& arg : e.args()) {
    llvm::Value* v = cast(expr(arg), arg.type, arg_types[i]);
    incref(v, arg_types[i]);  // the boxing takes this reference
    packed = b.CreateInsertValue(packed, v, i++);
  }
  llvm::Type* slot_type = llvm::ArrayType::get(b.getInt8Ty(), abi::kReturnSlotBytes);
  llvm::AllocaInst* slots =
      entry_alloca(llvm::ArrayType::get(slot_type, std::max(1u, result_slots(packed_type))), "objmode.arguments");
  slots->setAlignment(llvm::Align(16));
  unsigned slot = 0;
  std::vector<uint8_t> descriptor;
  store_result(b, packed, packed_type, slots, slot, descriptor);
  llvm::Value* text = b.CreateGlobalString(llvm::StringRef(reinterpret_cast<const char*>(descriptor.data()),
                                                           descriptor.size()), "objmode.descriptor");
  const Type* result_type = e.type;
  bool returns = result_type->kind == types::TypeKind::Tuple;
  llvm::AllocaInst* result =
      entry_alloca(returns ? value_type(context(), result_type) : b.getInt64Ty(), "objmode.result");
  result->setAlignment(llvm::Align(16));
  llvm::Value* function = module_.object_address(b, e.callee().global.py_object,
                                                 ModuleLowering::ImportKind::ExceptionClass, "an objmode block");
  exit_if_failed(b.CreateCall(runtime_function(module(), RuntimeFunction::call_python),
                              {function, text, b.getInt64(static_cast<int64_t>(descriptor.size())), slots, result}));
  if (!returns) return constant_of({.kind = hir::Constant::Kind::None}, result_type);
  return own_temporary(b.CreateLoad(value_type(context(), result_type), result), result_type);
}

void FunctionLowering::print_through_python(llvm::Value* v, const Type* t, bool last) {
  auto& b = builder_;
  incref(v, t);  // the boxing takes this reference
  llvm::Type* slot_type = llvm::ArrayType::get(b.getInt8Ty(), abi::kReturnSlotBytes);
  llvm::AllocaInst* slots = entry_alloca(llvm::ArrayType::get(slot_type, std::max(1u, result_slots(t))), "print.slots");
  slots->setAlignment(llvm::Align(16));
  unsigned slot = 0;
  std::vector<uint8_t> descriptor;
  store_result(b, v, t, slots, slot, descriptor);
  llvm::Value* text = b.CreateGlobalString(llvm::StringRef(reinterpret_cast<const char*>(descriptor.data()),
                                                           descriptor.size()), "print.descriptor");
  b.CreateCall(runtime_function(module(), RuntimeFunction::print_boxed), {text, slots, b.getInt32(last)});
}

}  // namespace numjit::lower
