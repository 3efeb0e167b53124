// Lists built in compiled code (runtime/memory.h): a refcounted MemInfo whose
// data is a numjit_list {size, capacity, itemsize, items}. Items (numbers,
// tuples of numbers; arrays, strings and lists by their headers or
// MemInfos) are stored inline in their memory layout; reading, writing,
// len() and appends within the capacity are inline loads and stores,
// growing is the runtime's.
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/module_lowering.h"

namespace numjit::lower {

using types::TypeKind;

namespace {
// Field offsets in numjit_list and MemInfo (runtime/memory.h).
constexpr uint64_t kMemInfoData = 8, kListSize = 0, kListCapacity = 8, kListItemsize = 16, kListItems = 24,
                   kListOwnsItems = 32;
}  // namespace


// Header loads and stores (the MemInfo's data pointer and the numjit_list
// fields) and item loads and stores carry TBAA tags of two regions, which
// tells LLVM that storing an item leaves the length and the items pointer
// unchanged: a loop over a list loads them once instead of at every access.
llvm::LoadInst* FunctionLowering::load_list_header(llvm::Type* type, llvm::Value* address) {
  llvm::LoadInst* load = builder_.CreateLoad(type, address);
  load->setMetadata(llvm::LLVMContext::MD_tbaa, module_.access_tag(ModuleLowering::Region::ListHeader));
  return load;
}

void FunctionLowering::store_list_header(llvm::Value* v, llvm::Value* address) {
  builder_.CreateStore(v, address)->setMetadata(llvm::LLVMContext::MD_tbaa,
                                                module_.access_tag(ModuleLowering::Region::ListHeader));
}

llvm::Value* FunctionLowering::load_list_item(llvm::Value* slot, const Type* item) {
  llvm::Value* v = load_element(slot, item);
  auto* load = llvm::cast<llvm::LoadInst>(item->is_bool() ? llvm::cast<llvm::Instruction>(v)->getOperand(0) : v);
  load->setMetadata(llvm::LLVMContext::MD_tbaa, module_.access_tag(ModuleLowering::Region::ListItems));
  return v;
}

void FunctionLowering::store_list_item(llvm::Value* slot, llvm::Value* v, const Type* item) {
  store_element(slot, v, item);
  llvm::cast<llvm::StoreInst>(&builder_.GetInsertBlock()->back())
      ->setMetadata(llvm::LLVMContext::MD_tbaa, module_.access_tag(ModuleLowering::Region::ListItems));
}

llvm::Value* FunctionLowering::list_data(llvm::Value* list) {
  return load_list_header(builder_.getPtrTy(), builder_.CreateConstGEP1_64(builder_.getInt8Ty(), list, kMemInfoData));
}

// Loads a field of the list's numjit_list.
llvm::Value* FunctionLowering::list_field(llvm::Value* list, uint64_t offset, llvm::Type* type) {
  return load_list_header(type, builder_.CreateConstGEP1_64(builder_.getInt8Ty(), list_data(list), offset));
}

llvm::Value* FunctionLowering::list_length(llvm::Value* list) {
  return list_field(list, kListSize, builder_.getInt64Ty());
}

llvm::Value* FunctionLowering::list_new(const Type* list_type, llvm::Value* capacity) {
  auto& b = builder_;
  llvm::Type* item = memory_type(context(), list_item(list_type));
  int64_t size = static_cast<int64_t>(module().getDataLayout().getTypeAllocSize(item));
  llvm::FunctionCallee create = runtime_function(module(), RuntimeFunction::list_new);
  llvm::Value* owns = b.getInt64(
      static_cast<int64_t>(owned_word_mask(list_item(list_type), context(), module().getDataLayout())));
  llvm::Value* list = b.CreateCall(create, {b.getInt64(size), capacity, owns});
  exit_if_failed(b.CreateZExt(b.CreateIsNull(list), b.getInt32Ty()));
  return list;
}

// Appends inline while the capacity lasts; the runtime grows the buffer
// (by half again, so appends stay amortized O(1)) when it is full.
void FunctionLowering::list_append(llvm::Value* list, const Type* list_type, llvm::Value* value, const Type* value_type) {
  auto& b = builder_;
  const Type* item = list_item(list_type);
  llvm::Type* item_memory = memory_type(context(), item);
  llvm::Value* v = cast(value, value_type, item);
  v = own_stored(v, item, list_type);  // the list keeps its own reference to an array item
  if (item->is_bool()) v = b.CreateZExt(v, b.getInt8Ty());
  llvm::Value* data = list_data(list);
  llvm::Value* size_field = b.CreateConstGEP1_64(b.getInt8Ty(), data, kListSize);
  llvm::Value* size = load_list_header(b.getInt64Ty(), size_field);
  llvm::Value* capacity = load_list_header(b.getInt64Ty(), b.CreateConstGEP1_64(b.getInt8Ty(), data, kListCapacity));
  llvm::BasicBlock* fits = new_block("list.append.inline");
  llvm::BasicBlock* grow = new_block("list.append.grow");
  llvm::BasicBlock* done = new_block("list.appended");
  b.CreateCondBr(b.CreateICmpSLT(size, capacity), fits, grow);
  b.SetInsertPoint(fits);
  llvm::Value* items = load_list_header(b.getPtrTy(), b.CreateConstGEP1_64(b.getInt8Ty(), data, kListItems));
  b.CreateStore(v, b.CreateInBoundsGEP(item_memory, items, size))
      ->setMetadata(llvm::LLVMContext::MD_tbaa, module_.access_tag(ModuleLowering::Region::ListItems));
  store_list_header(b.CreateAdd(size, b.getInt64(1)), size_field);
  b.CreateBr(done);
  b.SetInsertPoint(grow);
  llvm::Value* slot = entry_alloca(item_memory, "list.item");
  b.CreateStore(v, slot);
  llvm::FunctionCallee append = runtime_function(module(), RuntimeFunction::list_append);
  exit_if_failed(b.CreateCall(append, {list, slot}));
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

// The address of element `index` of a C pointer (no bounds: C's own meaning).
llvm::Value* FunctionLowering::pointer_element(llvm::Value* pointer, const Type* pointer_type, llvm::Value* index,
                                               const Type* index_type) {
  return builder_.CreateGEP(memory_type(context(), pointer_type->elements[0]), pointer,
                            cast(index, index_type, types::int64()));
}

// The address of item `index` (negative counts from the end); IndexError outside.
llvm::Value* FunctionLowering::list_item_pointer(llvm::Value* list, const Type* list_type, llvm::Value* index,
                                                 const Type* index_type) {
  auto& b = builder_;
  llvm::Value* n = list_length(list);
  llvm::Value* i = cast(index, index_type, types::int64());
  i = b.CreateSelect(b.CreateICmpSLT(i, b.getInt64(0)), b.CreateAdd(i, n), i);
  raise_if(b.CreateICmpUGE(i, n), ExceptionKind::IndexError, "list index out of range");
  llvm::Value* items = list_field(list, kListItems, b.getPtrTy());
  return b.CreateInBoundsGEP(memory_type(context(), list_item(list_type)), items, i);
}

llvm::Value* FunctionLowering::list_literal(const hir::Expr& e) {
  llvm::Value* list = list_new(e.type, builder_.getInt64(static_cast<int64_t>(e.elements().size())));
  own_temporary(list, e.type);  // owned before the items are evaluated, so a failure frees it
  for (const hir::Expr& c : e.elements()) list_append(list, e.type, expr(c), c.type);
  return list;
}

// An empty literal's items get their type from the variable it is stored in.
// Only a list still empty is retyped: one holding items was typed when they were stored.
llvm::Value* FunctionLowering::retype_empty_list(llvm::Value* list, const Type* to) {
  auto& b = builder_;
  llvm::Type* item = memory_type(context(), list_item(to));
  int64_t size = static_cast<int64_t>(module().getDataLayout().getTypeAllocSize(item));
  llvm::Value* data = b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(b.getInt8Ty(), list, kMemInfoData));
  auto field = [&](size_t offset) { return b.CreateConstGEP1_64(b.getInt8Ty(), data, offset); };
  llvm::Value* empty = b.CreateICmpEQ(b.CreateLoad(b.getInt64Ty(), data), b.getInt64(0));  // its size, the first field
  auto store_if_empty = [&](llvm::Value* value, size_t offset) {
    b.CreateStore(b.CreateSelect(empty, value, b.CreateLoad(b.getInt64Ty(), field(offset))), field(offset));
  };
  store_if_empty(b.getInt64(size), kListItemsize);
  store_if_empty(b.getInt64(static_cast<int64_t>(owned_word_mask(list_item(to), context(), module().getDataLayout()))),
                 kListOwnsItems);
  // The buffer was sized for the old item size: claim no capacity, so the first append reallocates.
  store_if_empty(b.getInt64(0), kListCapacity);
  return list;
}

// np.array(lst): a new 1-D array of the items.
llvm::Value* FunctionLowering::list_to_array(llvm::Value* list, const Type* list_type, const Type* array_type) {
  auto& b = builder_;
  llvm::Value* n = list_length(list);
  llvm::Value* out = allocate_array(array_type, {n}, false);
  const Type* item = list_item(list_type);
  const Type* dtype = array_type->dtype();
  llvm::Value* items = list_field(list, kListItems, b.getPtrTy());
  llvm::Value* data = b.CreateExtractValue(out, kArrayData);
  counted_loop(n, "list.to.array", [&](llvm::Value* i) {
    llvm::Value* v = load_list_item(b.CreateInBoundsGEP(memory_type(context(), item), items, i), item);
    store_element(b.CreateInBoundsGEP(memory_type(context(), dtype), data, i), cast(v, item, dtype), dtype);
  });
  return out;
}

}  // namespace numjit::lower
