// Dicts and sets built in compiled code (runtime/dict.h): a refcounted
// MemInfo whose data is an insertion-ordered hash table; a set is a table
// whose values take no bytes. Keys are passed to the runtime by address, in
// their memory layout with padding zeroed and -0.0 made 0.0 (keys hash as
// bytes, and Python's 0.0 == -0.0); values are read and written inline at the
// address of their entry. The dict owns one reference to each array value.
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/codegen/table_hash.h"
#include "numjit/types/unify.h"

namespace numjit::lower {

using types::TypeKind;

namespace {
int64_t alloc_size(llvm::Module& m, llvm::Type* t) {
  return static_cast<int64_t>(m.getDataLayout().getTypeAllocSize(t));
}
}  // namespace

// A set's table has no values: its type has only the item type.
static const Type* value_of(const Type* container) {
  return container->kind == TypeKind::Set ? nullptr : container->elements[1];
}

// The runtime's flags for a table: bit 1 its keys are strings, from bit 8 the
// mask of its values' MemInfo words.
static int64_t table_flags(FunctionLowering& f, const Type* key, const Type* value) {
  uint64_t values = value ? owned_word_mask(value, f.context(), f.module().getDataLayout()) : 0;
  return static_cast<int64_t>(values << 8) | (key->kind == TypeKind::String ? 2 : 0);
}

llvm::Value* FunctionLowering::dict_new(const Type* dict_type) {
  auto& b = builder_;
  const Type* key = dict_type->elements[0];
  const Type* value = value_of(dict_type);
  bool known = key->kind != TypeKind::Unknown;
  llvm::FunctionCallee create = runtime_function(module(), RuntimeFunction::dict_new);
  llvm::Value* dict = b.CreateCall(
      create, {b.getInt64(known ? alloc_size(module(), memory_type(context(), key)) : 0),
               b.getInt64(known && value ? alloc_size(module(), memory_type(context(), value)) : 0),
               b.getInt64(known ? table_flags(*this, key, value) : 0)});
  exit_if_failed(b.CreateZExt(b.CreateIsNull(dict), b.getInt32Ty()));
  return dict;
}

llvm::Value* FunctionLowering::retype_empty_dict(llvm::Value* dict, const Type* to) {
  auto& b = builder_;
  const Type* value = value_of(to);
  llvm::FunctionCallee retype = runtime_function(module(), RuntimeFunction::dict_retype);
  exit_if_failed(b.CreateCall(retype, {dict, b.getInt64(alloc_size(module(), memory_type(context(), to->elements[0]))),
                                       b.getInt64(value ? alloc_size(module(), memory_type(context(), value)) : 0),
                                       b.getInt64(table_flags(*this, to->elements[0], value))}));
  return dict;
}

// A list or dict whose items were empty containers of no type yet (`[{} for
// _ in r]`) meets the type later stores gave them: each item is retyped.
llvm::Value* FunctionLowering::retype_held_items(llvm::Value* container, const Type* to) {
  auto& b = builder_;
  bool is_dict = to->kind == TypeKind::Dict;
  const Type* item = is_dict ? to->elements[1] : to->elements[0];
  bool item_is_dict = item->kind == TypeKind::Dict;
  auto size_of = [&](const Type* t) { return t ? alloc_size(module(), memory_type(context(), t)) : 0; };
  int64_t size = size_of(item->elements[0]);
  int64_t value_size = item_is_dict ? size_of(item->elements[1]) : 0;
  int64_t owns = item_is_dict ? table_flags(*this, item->elements[0], item->elements[1])
                              : static_cast<int64_t>(owned_word_mask(item->elements[0], context(), module().getDataLayout()));
  if (item->kind == TypeKind::Set) owns = table_flags(*this, item->elements[0], nullptr);
  llvm::FunctionCallee retype = runtime_function(module(), RuntimeFunction::retype_held_items);
  exit_if_failed(b.CreateCall(retype, {container, b.getInt64(is_dict), b.getInt64(item_is_dict || item->kind == TypeKind::Set),
                                       b.getInt64(size), b.getInt64(value_size), b.getInt64(owns)}));
  return container;
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

// -0.0 as 0.0 (adding +0.0 does it), in every float part of a key, so that
// keys equal in Python have equal bytes.
static llvm::Value* canonical_key(llvm::IRBuilder<>& b, llvm::Value* key, const Type* t) {
  if (t->kind == TypeKind::Tuple) {
    for (unsigned i = 0; i < t->elements.size(); ++i)
      key = b.CreateInsertValue(key, canonical_key(b, b.CreateExtractValue(key, i), t->elements[i]), i);
    return key;
  }
  if (t->is_float()) return b.CreateFAdd(key, llvm::ConstantFP::get(key->getType(), 0.0));
  if (t->is_complex())
    for (unsigned i = 0; i < 2; ++i) {
      llvm::Value* part = b.CreateExtractValue(key, i);
      key = b.CreateInsertValue(key, b.CreateFAdd(part, llvm::ConstantFP::get(part->getType(), 0.0)), i);
    }
  return key;
}

// The key in a zeroed stack slot, converted to the dict's key type.
static llvm::Value* key_slot(FunctionLowering& f, const Type* dict_type, llvm::Value* key, const Type* key_type) {
  auto& b = f.builder();
  const Type* k = dict_type->elements[0];
  llvm::Type* memory = memory_type(f.context(), k);
  llvm::Value* slot = f.entry_alloca(memory, "dict.key");
  b.CreateMemSet(slot, b.getInt8(0), b.getInt64(alloc_size(f.module(), memory)), llvm::MaybeAlign(8));
  f.store_element(slot, canonical_key(b, f.cast(key, key_type, k), k), k);
  return slot;
}

// An 8-byte key that is not a string hashes as the runtime's hash_word does
// (codegen/table_hash.h; a bijection), so an equal hash in its first index
// slot is its entry. Another slot, a removed entry or an empty table leave it
// to the runtime call. Most lookups of a set or dict of numbers end inline.
llvm::Value* FunctionLowering::probe_first_slot_or(llvm::Value* table, const Type* table_type, llvm::Value* key_slot,
                                                   const std::function<llvm::Value*()>& runtime_call) {
  auto& b = builder_;
  const Type* key = table_type->elements[0];
  if (key->kind == TypeKind::String || key->kind == TypeKind::Unknown ||
      alloc_size(module(), memory_type(context(), key)) != 8)
    return runtime_call();
  llvm::Value* data = b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(b.getInt8Ty(), table, 8));  // MemInfo.data
  llvm::Value* h = b.CreateLoad(b.getInt64Ty(), key_slot);
  h = codegen::emit_table_hash(b, h);
  llvm::Value* slots = b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP1_64(b.getInt8Ty(), data, abi::kDictSlotsOffset));
  llvm::Value* index = b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(b.getInt8Ty(), data, abi::kDictIndexOffset));
  llvm::Value* i = b.CreateAnd(h, b.CreateSub(slots, b.getInt64(1)));
  llvm::Value* slot = b.CreateGEP(b.getInt8Ty(), index, b.CreateShl(i, 4));
  llvm::Value* slot_hash = b.CreateLoad(b.getInt64Ty(), slot);
  llvm::Value* entry = b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP1_64(b.getInt8Ty(), slot, 8));
  llvm::Value* hit = b.CreateAnd(b.CreateICmpEQ(slot_hash, h), b.CreateICmpSGE(entry, b.getInt64(0)));
  llvm::BasicBlock* inline_block = b.GetInsertBlock();
  llvm::BasicBlock* call = new_block("table.probe");
  llvm::BasicBlock* done = new_block("table.found");
  b.CreateCondBr(hit, done, call);
  b.SetInsertPoint(call);
  llvm::Value* called = runtime_call();
  llvm::BasicBlock* call_end = b.GetInsertBlock();
  b.CreateBr(done);
  b.SetInsertPoint(done);
  llvm::PHINode* found = b.CreatePHI(b.getInt64Ty(), 2, "table.entry");
  found->addIncoming(entry, inline_block);
  found->addIncoming(called, call_end);
  return found;
}

// The entry holding `key`, or -1. A key of a wider type than the dict's
// (1.5 asked of int keys) is found only when it converts exactly.
llvm::Value* FunctionLowering::dict_find(llvm::Value* dict, const Type* dict_type, llvm::Value* key,
                                         const Type* key_type) {
  auto& b = builder_;
  llvm::FunctionCallee find = runtime_function(module(), RuntimeFunction::dict_find);
  const Type* k = dict_type->elements[0];
  bool wider = key_type != k && key_type->is_scalar() && k->is_scalar() && types::unify(k, key_type) != k;
  auto find_entry = [&](llvm::Value* slot) {
    return probe_first_slot_or(dict, dict_type, slot, [&] { return b.CreateCall(find, {dict, slot}); });
  };
  if (!wider) return find_entry(key_slot(*this, dict_type, key, key_type));
  if (key_type->is_complex() || k->is_complex())
    unsupported({}, "looking up a " + key_type->name + " among " + k->name + " keys is not supported");
  // Out of range, the conversion is poison: frozen, it is some value, which the check below rejects.
  llvm::Value* converted = b.CreateFreeze(cast(key, key_type, k));
  llvm::Value* entry = find_entry(key_slot(*this, dict_type, converted, k));
  llvm::Value* back = cast(converted, k, key_type);
  llvm::Value* exact = key_type->is_float() ? b.CreateFCmpOEQ(back, key) : b.CreateICmpEQ(back, key);
  return b.CreateSelect(exact, entry, b.getInt64(-1));
}

// entries + entry * entry_size + 8 + the key's size rounded up to 8 (runtime/dict.cpp's value_at).
llvm::Value* FunctionLowering::dict_value_pointer(llvm::Value* dict, const Type*, llvm::Value* entry) {
  auto& b = builder_;
  llvm::Value* data = b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(b.getInt8Ty(), dict, 8));  // MemInfo.data
  auto field = [&](size_t offset) { return b.CreateConstGEP1_64(b.getInt8Ty(), data, offset); };
  llvm::Value* entries = b.CreateLoad(b.getPtrTy(), field(abi::kDictEntriesOffset));
  llvm::Value* entry_size = b.CreateLoad(b.getInt64Ty(), field(abi::kDictEntrySizeOffset));
  llvm::Value* key_size = b.CreateLoad(b.getInt64Ty(), field(abi::kDictKeySizeOffset));
  llvm::Value* key_room = b.CreateAnd(b.CreateAdd(key_size, b.getInt64(7)), b.getInt64(~int64_t(7)));
  llvm::Value* offset = b.CreateAdd(b.CreateMul(entry, entry_size), b.CreateAdd(key_room, b.getInt64(8)));
  return b.CreateGEP(b.getInt8Ty(), entries, offset);
}

// The address of d[key]'s value; KeyError when the key is absent.
llvm::Value* FunctionLowering::dict_lookup(llvm::Value* dict, const Type* dict_type, llvm::Value* key,
                                           const Type* key_type) {
  llvm::Value* entry = dict_find(dict, dict_type, key, key_type);
  raise_key_error_if(builder_.CreateICmpSLT(entry, builder_.getInt64(0)), dict_type, key, key_type);
  return dict_value_pointer(dict, dict_type, entry);
}

// KeyError(key) where `missing`, as Python raises it: the key (a number or a
// string, as the dict holds it) is the argument; any other key, a message.
void FunctionLowering::raise_key_error_if(llvm::Value* missing, const Type* dict_type, llvm::Value* key,
                                          const Type* key_type) {
  const Type* held = dict_type->elements[0];
  bool text = held->kind == TypeKind::String;
  if (!text && (!held->is_scalar() || held->is_complex() || held->is_time()))
    return raise_if(missing, ExceptionKind::KeyError, "key not found in dict");
  raise_where(missing, ExceptionKind::KeyError, [&] {
    llvm::Value* slot = entry_alloca(memory_type(context(), held), "missing.key");
    store_element(slot, cast(key, key_type, held), held);
    int32_t kind = text ? abi::kStringKindCode : static_cast<int32_t>(held->scalar);
    builder_.CreateCall(runtime_function(module(), RuntimeFunction::raise_key_error), {builder_.getInt32(kind), slot});
  });
}

void FunctionLowering::dict_store(llvm::Value* dict, const Type* dict_type, llvm::Value* key, const Type* key_type,
                                  llvm::Value* value, const Type* value_type) {
  auto& b = builder_;
  const Type* v_type = dict_type->elements[1];
  llvm::Value* added = entry_alloca(b.getInt64Ty(), "dict.added");
  llvm::FunctionCallee insert = runtime_function(module(), RuntimeFunction::dict_insert);
  llvm::Value* key_at = key_slot(*this, dict_type, key, key_type);
  llvm::Value* entry =
      probe_first_slot_or(dict, dict_type, key_at, [&] { return b.CreateCall(insert, {dict, key_at, added}); });
  exit_if_failed(b.CreateZExt(b.CreateICmpSLT(entry, b.getInt64(0)), b.getInt32Ty()));
  llvm::Value* slot = dict_value_pointer(dict, dict_type, entry);
  llvm::Value* v = cast(value, value_type, v_type);
  if (holds_memory(v_type)) {
    // The dict keeps its own reference to an array value: the new one in, the
    // old one (a replaced entry; a new entry's value is zeroed) out.
    v = own_stored(v, v_type, dict_type);
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

// d.keys() (what 0), d.values() (1), d.items() (2): a new list, in insertion
// order; a set's items are its keys.
llvm::Value* FunctionLowering::dict_contents(llvm::Value* dict, const Type* dict_type, const Type* list_type, int what) {
  auto& b = builder_;
  const Type* k_type = dict_type->elements[0];
  if (k_type->kind == TypeKind::Unknown) k_type = types::int64();  // empty for sure: as an untyped list's items
  const Type* v_type = value_of(dict_type);
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
  llvm::Value* value = what == 0 ? nullptr : load_element(dict_value_pointer(dict, dict_type, entry), v_type);
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

llvm::Value* FunctionLowering::set_literal(const hir::Expr& e) {
  llvm::Value* set = dict_new(e.type);
  own_temporary(set, e.type);
  for (const hir::Expr& item : e.elements()) set_add(set, e.type, expr(item), item.type);
  return set;
}

void FunctionLowering::set_add(llvm::Value* set, const Type* set_type, llvm::Value* item, const Type* item_type) {
  auto& b = builder_;
  llvm::Value* added = entry_alloca(b.getInt64Ty(), "set.added");
  llvm::FunctionCallee insert = runtime_function(module(), RuntimeFunction::dict_insert);
  llvm::Value* key_at = key_slot(*this, set_type, item, item_type);
  llvm::Value* entry =
      probe_first_slot_or(set, set_type, key_at, [&] { return b.CreateCall(insert, {set, key_at, added}); });
  exit_if_failed(b.CreateZExt(b.CreateICmpSLT(entry, b.getInt64(0)), b.getInt32Ty()));
}

llvm::Value* FunctionLowering::set_discard(llvm::Value* set, const Type* set_type, llvm::Value* item,
                                           const Type* item_type) {
  auto& b = builder_;
  llvm::Value* entry = dict_find(set, set_type, item, item_type);
  llvm::Value* found = b.CreateICmpSGE(entry, b.getInt64(0));
  llvm::BasicBlock* remove = new_block("set.remove");
  llvm::BasicBlock* done = new_block("set.discarded");
  b.CreateCondBr(found, remove, done);
  b.SetInsertPoint(remove);
  b.CreateCall(runtime_function(module(), RuntimeFunction::dict_remove), {set, entry});
  b.CreateBr(done);
  b.SetInsertPoint(done);
  return found;
}

// Removes and returns the first item in insertion order; KeyError when empty.
llvm::Value* FunctionLowering::set_pop(llvm::Value* set, const Type* set_type) {
  auto& b = builder_;
  llvm::Value* entry = b.CreateCall(runtime_function(module(), RuntimeFunction::dict_next), {set, b.getInt64(0)});
  raise_if(b.CreateICmpSLT(entry, b.getInt64(0)), ExceptionKind::KeyError, "pop from an empty set");
  llvm::Value* key = b.CreateCall(runtime_function(module(), RuntimeFunction::dict_key), {set, entry});
  const Type* item_type = set_type->elements[0]->kind == TypeKind::Unknown ? types::int64() : set_type->elements[0];
  llvm::Value* item = load_element(key, item_type);
  incref(item, item_type);  // the result's own reference: removing drops the set's
  b.CreateCall(runtime_function(module(), RuntimeFunction::dict_remove), {set, entry});
  return item;
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
