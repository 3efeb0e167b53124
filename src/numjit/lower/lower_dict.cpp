// Dicts built in compiled code (runtime/dict.h): a refcounted MemInfo whose
// data is an insertion-ordered hash table. Keys are passed to the runtime by
// address, in their memory layout with padding zeroed (keys hash as bytes);
// values are read and written inline at the address of their entry. The dict
// owns one reference to each array value.
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::lower {

using types::TypeKind;

namespace {
int64_t alloc_size(llvm::Module& m, llvm::Type* t) {
  return static_cast<int64_t>(m.getDataLayout().getTypeAllocSize(t));
}
}  // namespace

llvm::Value* FunctionLowering::dict_new(const Type* dict_type) {
  auto& b = builder_;
  const Type* key = dict_type->elements[0];
  const Type* value = dict_type->elements[1];
  bool known = key->kind != TypeKind::Unknown;
  llvm::FunctionCallee create = runtime_function(module(), RuntimeFunction::dict_new);
  llvm::Value* dict = b.CreateCall(
      create, {b.getInt64(known ? alloc_size(module(), memory_type(context(), key)) : 0),
               b.getInt64(known ? alloc_size(module(), memory_type(context(), value)) : 0),
               b.getInt64(known && holds_memory(value) ? 1 : 0)});
  exit_if_failed(b.CreateZExt(b.CreateIsNull(dict), b.getInt32Ty()));
  return dict;
}

llvm::Value* FunctionLowering::retype_empty_dict(llvm::Value* dict, const Type* to) {
  auto& b = builder_;
  llvm::FunctionCallee retype = runtime_function(module(), RuntimeFunction::dict_retype);
  exit_if_failed(b.CreateCall(retype, {dict, b.getInt64(alloc_size(module(), memory_type(context(), to->elements[0]))),
                                       b.getInt64(alloc_size(module(), memory_type(context(), to->elements[1]))),
                                       b.getInt64(holds_memory(to->elements[1]) ? 1 : 0)}));
  return dict;
}

llvm::Value* FunctionLowering::dict_literal(const hir::Expr& e) {
  llvm::Value* dict = dict_new(e.type);
  own_temporary(dict, e.type);  // owned before the items are evaluated, so a failure frees it
  auto entries = e.entries();  // key, value, key, value...
  for (size_t i = 0; i < entries.size(); i += 2) {
    const hir::Expr& k = entries[i];
    const hir::Expr& v = entries[i + 1];
    llvm::Value* key = expr(k);
    dict_store(dict, e.type, key, k.type, expr(v), v.type);
  }
  return dict;
}

llvm::Value* FunctionLowering::dict_length(llvm::Value* dict) {
  auto& b = builder_;
  llvm::FunctionCallee length =
      runtime_function(module(), RuntimeFunction::dict_length);
  return b.CreateCall(length, {dict});
}

// The key in a zeroed stack slot, converted to the dict's key type.
static llvm::Value* key_slot(FunctionLowering& f, const Type* dict_type, llvm::Value* key, const Type* key_type) {
  auto& b = f.builder();
  const Type* k = dict_type->elements[0];
  llvm::Type* memory = memory_type(f.context(), k);
  llvm::Value* slot = f.entry_alloca(memory, "dict.key");
  b.CreateMemSet(slot, b.getInt8(0), b.getInt64(alloc_size(f.module(), memory)), llvm::MaybeAlign(8));
  f.store_element(slot, f.cast(key, key_type, k), k);
  return slot;
}

llvm::Value* FunctionLowering::dict_find(llvm::Value* dict, const Type* dict_type, llvm::Value* key,
                                         const Type* key_type) {
  auto& b = builder_;
  llvm::FunctionCallee find = runtime_function(module(), RuntimeFunction::dict_find);
  return b.CreateCall(find, {dict, key_slot(*this, dict_type, key, key_type)});
}

llvm::Value* FunctionLowering::dict_value_pointer(llvm::Value* dict, const Type*, llvm::Value* entry) {
  auto& b = builder_;
  llvm::FunctionCallee value = runtime_function(module(), RuntimeFunction::dict_value);
  return b.CreateCall(value, {dict, entry});
}

// The address of d[key]'s value; KeyError when the key is absent.
llvm::Value* FunctionLowering::dict_lookup(llvm::Value* dict, const Type* dict_type, llvm::Value* key,
                                           const Type* key_type) {
  llvm::Value* entry = dict_find(dict, dict_type, key, key_type);
  raise_if(builder_.CreateICmpSLT(entry, builder_.getInt64(0)), ExceptionKind::KeyError, "key not found in dict");
  return dict_value_pointer(dict, dict_type, entry);
}

void FunctionLowering::dict_store(llvm::Value* dict, const Type* dict_type, llvm::Value* key, const Type* key_type,
                                  llvm::Value* value, const Type* value_type) {
  auto& b = builder_;
  const Type* v_type = dict_type->elements[1];
  llvm::Value* added = entry_alloca(b.getInt64Ty(), "dict.added");
  llvm::FunctionCallee insert = runtime_function(module(), RuntimeFunction::dict_insert);
  llvm::Value* entry = b.CreateCall(insert, {dict, key_slot(*this, dict_type, key, key_type), added});
  exit_if_failed(b.CreateZExt(b.CreateICmpSLT(entry, b.getInt64(0)), b.getInt32Ty()));
  llvm::Value* slot = dict_value_pointer(dict, dict_type, entry);
  llvm::Value* v = cast(value, value_type, v_type);
  if (holds_memory(v_type)) {
    // The dict keeps its own reference to an array value: the new one in, the
    // old one (a replaced entry; a new entry's value is zeroed) out.
    incref(v, v_type);
    llvm::Value* old = load_element(slot, v_type);
    store_element(slot, v, v_type);
    decref(old, v_type);
    return;
  }
  store_element(slot, v, v_type);
}

// Removes an entry and returns its value, with the reference the dict held.
llvm::Value* FunctionLowering::dict_remove(llvm::Value* dict, const Type* dict_type, llvm::Value* entry) {
  auto& b = builder_;
  const Type* v_type = dict_type->elements[1];
  llvm::Value* value = load_element(dict_value_pointer(dict, dict_type, entry), v_type);
  llvm::FunctionCallee remove = runtime_function(module(), RuntimeFunction::dict_remove);
  b.CreateCall(remove, {dict, entry});
  return value;
}

// d.keys() (what 0), d.values() (1), d.items() (2): a new list, in insertion order.
llvm::Value* FunctionLowering::dict_contents(llvm::Value* dict, const Type* dict_type, const Type* list_type, int what) {
  auto& b = builder_;
  const Type* k_type = dict_type->elements[0];
  const Type* v_type = dict_type->elements[1];
  llvm::Value* list = list_new(list_type, dict_length(dict));  // the library call owns the result
  llvm::FunctionCallee next = runtime_function(module(), RuntimeFunction::dict_next);
  llvm::FunctionCallee key_at = runtime_function(module(), RuntimeFunction::dict_key);
  llvm::Value* position = entry_alloca(b.getInt64Ty(), "dict.position");
  b.CreateStore(b.getInt64(0), position);
  llvm::BasicBlock* head = new_block("dict.iter");
  llvm::BasicBlock* body = new_block("dict.item");
  llvm::BasicBlock* done = new_block("dict.done");
  b.CreateBr(head);
  b.SetInsertPoint(head);
  llvm::Value* entry = b.CreateCall(next, {dict, b.CreateLoad(b.getInt64Ty(), position)});
  b.CreateCondBr(b.CreateICmpSLT(entry, b.getInt64(0)), done, body);
  b.SetInsertPoint(body);
  llvm::Value* key = load_element(b.CreateCall(key_at, {dict, entry}), k_type);
  llvm::Value* value = load_element(dict_value_pointer(dict, dict_type, entry), v_type);
  const Type* item = list_type->elements[0];
  llvm::Value* element = what == 0 ? key : what == 1 ? value : nullptr;
  if (what == 2) {
    element = llvm::PoisonValue::get(value_type(context(), item));
    element = b.CreateInsertValue(b.CreateInsertValue(element, key, 0), value, 1);
  }
  list_append(list, list_type, element, item);
  b.CreateStore(b.CreateAdd(entry, b.getInt64(1)), position);
  b.CreateBr(head);
  b.SetInsertPoint(done);
  return list;
}

llvm::Value* FunctionLowering::dict_subscript_key(const hir::Expr& subscript, const Type*& key_type) {
  auto indices = subscript.indices();
  if (indices.size() == 1) {
    key_type = indices.front().type;
    return expr(indices.front());
  }
  // d[i, j] is d[(i, j)].
  std::vector<const Type*> parts;
  for (const hir::Expr& ix : indices) parts.push_back(ix.type);
  key_type = types::tuple(parts);
  llvm::Value* key = llvm::PoisonValue::get(value_type(context(), key_type));
  for (size_t i = 0; i < indices.size(); ++i)
    key = builder_.CreateInsertValue(key, expr(indices[i]), static_cast<unsigned>(i));
  return key;
}

}  // namespace numjit::lower
