#include "numjit/lower/module_lowering.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/MDBuilder.h>

#include <atomic>

#include "numjit/lower/function_lowering.h"
#include "numjit/passes/deferred_checks.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/runtime/abi.h"

namespace numjit::lower {

using types::TypeKind;

ModuleLowering::ModuleLowering(llvm::LLVMContext& ctx, const std::string& name, const Target& target)
    : ctx_(ctx), module_(std::make_unique<llvm::Module>(name, ctx)), target_(target) {
  // Without it LLVM's default layout aligns i64 to 4 bytes, and a {i64, float}
  // list item would be 12 bytes to the runtime and 16 to the compiled GEPs.
  if (!target.data_layout.empty()) module_->setDataLayout(target.data_layout);
}

void ModuleLowering::set_function_attributes(llvm::Function* f) const {
  // The host CPU's attributes, which the vectorizer's cost model reads, are
  // given to every definition by jit::Engine::optimize.
  f->addFnAttr(llvm::Attribute::NoUnwind);
}

llvm::Function* ModuleLowering::function_for(hir::Function& fn, bool deferred) {
  auto it = functions_.find({&fn, deferred});
  if (it != functions_.end()) return it->second;
  std::vector<llvm::Type*> params{llvm::PointerType::get(ctx_, 0)};
  for (size_t i = 0; i < fn.param_count; ++i) params.push_back(value_type(ctx_, fn.param_types[i]));
  auto* fty = llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx_), params, false);
  // Symbols share one JIT namespace for the whole process, so number them globally.
  static std::atomic<uint64_t> counter{0};
  std::string symbol = "numjit." + fn.name + (deferred ? ".deferred." : ".") + std::to_string(counter++);
  if (!deferred) fn.symbol = symbol;
  auto* f = llvm::Function::Create(fty, llvm::Function::InternalLinkage, symbol, module_.get());
  set_function_attributes(f);
  if (fn.options.inline_always) f->addFnAttr(llvm::Attribute::AlwaysInline);
  f->getArg(0)->addAttr(llvm::Attribute::NoAlias);
  functions_[{&fn, deferred}] = f;
  pending_.push_back({&fn, deferred});
  return f;
}

bool ModuleLowering::callee_may_defer(const hir::Function& fn) {
  auto known = callee_deferral_.find(&fn);
  if (known != callee_deferral_.end()) return known->second;
  return callee_deferral_[&fn] = passes::callee_may_defer(fn);
}

std::string ModuleLowering::finish(hir::Function& top, std::vector<uint8_t>& return_descriptor) {
  lower_all(top);
  return emit_entry(top, return_descriptor);
}

llvm::Function* ModuleLowering::lower_all(hir::Function& top) {
  llvm::Function* f = function_for(top);
  while (!pending_.empty()) {
    auto [fn, deferred] = pending_.back();
    pending_.pop_back();
    try {
      FunctionLowering(*this, *fn, functions_.at({fn, deferred}), deferred).lower();
    } catch (CompileError& e) {
      e.locate(fn->name, fn->source);
      throw;
    }
  }
  return f;
}

llvm::MDNode* ModuleLowering::access_tag(Region region) {
  auto found = access_tags_.find(region);
  if (found != access_tags_.end()) return found->second;
  llvm::MDBuilder md(ctx_);
  llvm::MDNode* root = md.createTBAARoot("numjit regions");
  llvm::MDNode* type = md.createTBAAScalarTypeNode(region == Region::ListHeader ? "list header" : "list items", root);
  return access_tags_[region] = md.createTBAAStructTagNode(type, type, 0);
}

llvm::Constant* ModuleLowering::string_constant(const std::string& s) {
  auto it = strings_.find(s);
  if (it != strings_.end()) return it->second;
  llvm::IRBuilder<> b(ctx_);
  auto* init = llvm::ConstantDataArray::getString(ctx_, s, true);
  auto* gv = new llvm::GlobalVariable(*module_, init->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                      init, "numjit.str");
  gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  strings_[s] = gv;
  return gv;
}

// A pointer-sized global, null until the runtime stores there the string made
// of `s` on its first use (numjit_rt_str_constant); one per text per module.
llvm::Constant* ModuleLowering::string_cache_slot(const std::string& s) {
  auto it = string_caches_.find(s);
  if (it != string_caches_.end()) return it->second;
  auto* ptr = llvm::PointerType::get(ctx_, 0);
  auto* gv = new llvm::GlobalVariable(*module_, ptr, false, llvm::GlobalValue::InternalLinkage,
                                      llvm::ConstantPointerNull::get(ptr), "numjit.strcache");
  string_caches_[s] = gv;
  return gv;
}

const passes::FunctionPlan& ModuleLowering::plan(const hir::Function& fn) const {
  if (plans_) {
    auto it = plans_->find(&fn);
    if (it != plans_->end()) return it->second;
  }
  internal_error("lowering '" + fn.name + "', which has no plans", fn.span);
}

llvm::Value* ModuleLowering::object_address(llvm::IRBuilder<>& b, const void* object, ImportKind kind,
                                            const std::string& what) {
  llvm::GlobalVariable*& gv = import_symbols_[object];
  if (!gv) {
    // Symbols share one JIT namespace for the whole process, so number them globally.
    static std::atomic<uint64_t> counter{0};
    std::string symbol = "numjit.object." + std::to_string(counter++);
    auto* ptr = llvm::PointerType::get(ctx_, 0);
    if (relocatable_)  // a slot the loader fills: not constant, or O3 would fold its null away
      gv = new llvm::GlobalVariable(*module_, ptr, false, llvm::GlobalValue::ExternalLinkage,
                                    llvm::ConstantPointerNull::get(ptr), symbol);
    else  // only the symbol's address is used; its "contents" are never read
      gv = new llvm::GlobalVariable(*module_, llvm::Type::getInt8Ty(ctx_), true, llvm::GlobalValue::ExternalLinkage,
                                    nullptr, symbol);
    imports_.push_back({symbol, object, kind, what});
  }
  if (!relocatable_) return gv;
  llvm::LoadInst* load = b.CreateLoad(llvm::PointerType::get(ctx_, 0), gv, "object");
  // Filled before the first call and never changed: as good as a constant.
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
  return load;
}

namespace {

abi::ReturnCode list_code(const types::Type* list) {
  return list->typed_container ? abi::ReturnCode::TypedList : abi::ReturnCode::List;
}

// A namedtuple's class, before its tuple's codes: NamedTuple, the key's
// length (two bytes) and text (runtime/abi.h). Nothing for a plain tuple.
void describe_named_tuple_class(const types::Type* t, std::vector<uint8_t>& desc) {
  if (!t->is_named_tuple()) return;
  desc.push_back(static_cast<uint8_t>(abi::ReturnCode::NamedTuple));
  desc.push_back(static_cast<uint8_t>(t->class_key.size() & 0xff));
  desc.push_back(static_cast<uint8_t>(t->class_key.size() >> 8));
  desc.insert(desc.end(), t->class_key.begin(), t->class_key.end());
}

// The item codes of a container's item (a list's, a dict value): Scalar +
// kind, Array + kind + ndim, String, Tuple + n + each number's kind, or List
// + the inner items' codes (bindings/containers.h). False for other items.
bool describe_dict(const types::Type* t, std::vector<uint8_t>& desc);
bool describe_set(const types::Type* t, std::vector<uint8_t>& desc);

bool describe_item(const types::Type* item, std::vector<uint8_t>& desc) {
  switch (item->kind) {
    case TypeKind::Scalar:
      desc.insert(desc.end(), {static_cast<uint8_t>(abi::ReturnCode::Scalar), static_cast<uint8_t>(item->scalar)});
      return true;
    case TypeKind::Array:
      if (item == types::bytes()) return false;  // boxed only as a result of its own (ReturnCode::Bytes)
      desc.insert(desc.end(), {static_cast<uint8_t>(abi::ReturnCode::Array), static_cast<uint8_t>(item->scalar),
                               static_cast<uint8_t>(item->ndim)});
      return true;
    case TypeKind::String: desc.push_back(static_cast<uint8_t>(abi::ReturnCode::String)); return true;
    case TypeKind::Tuple:
      if (item->elements.empty()) return false;
      describe_named_tuple_class(item, desc);
      desc.push_back(static_cast<uint8_t>(abi::ReturnCode::Tuple));
      desc.push_back(static_cast<uint8_t>(item->elements.size()));
      for (const types::Type* e : item->elements)
        if (!describe_item(e, desc)) return false;
      return true;
    case TypeKind::List:
      desc.push_back(static_cast<uint8_t>(list_code(item)));
      return describe_item(list_item(item), desc);
    case TypeKind::Dict: return describe_dict(item, desc);
    case TypeKind::Set: return describe_set(item, desc);
    default: return false;
  }
}

// Dict + the key's kind (or kTupleKeyCode + a tuple key's item codes) + the value's item codes.
bool describe_dict(const types::Type* t, std::vector<uint8_t>& desc) {
  const types::Type* key = t->elements[0];
  bool text_key = key->kind == TypeKind::String;
  desc.push_back(static_cast<uint8_t>(t->typed_container ? abi::ReturnCode::TypedDict : abi::ReturnCode::Dict));
  // A tuple key (of numbers and strings) is described as an item is; a numjit.typed.Dict keeps
  // number and string keys only.
  bool tuple_key = key->kind == TypeKind::Tuple && !t->typed_container;
  desc.push_back(text_key ? abi::kStringKindCode : tuple_key ? abi::kTupleKeyCode : static_cast<uint8_t>(key->scalar));
  bool key_described = key->is_scalar() || text_key || (tuple_key && describe_item(key, desc));
  return key_described && describe_item(t->elements[1], desc);
}

// Set + the item's kind: numbers and strings.
bool describe_set(const types::Type* t, std::vector<uint8_t>& desc) {
  const types::Type* item = t->elements[0];
  if (item->kind == TypeKind::Unknown) item = types::int64();  // set() nothing was added to
  if (!item->is_scalar() && item->kind != TypeKind::String) return false;
  desc.push_back(static_cast<uint8_t>(abi::ReturnCode::Set));
  desc.push_back(item->kind == TypeKind::String ? abi::kStringKindCode : static_cast<uint8_t>(item->scalar));
  return true;
}

}  // namespace

// Writes a value into the 16-byte return slots and describes the layout.
unsigned result_slots(const types::Type* t) {
  if (types::is_dtype_value(t)) return 0;
  switch (t->kind) {
    case TypeKind::Array: return static_cast<unsigned>(abi::array_return_slots(t->ndim));
    case TypeKind::Optional: return 1 + result_slots(t->elements[0]);
    case TypeKind::Tuple: {
      unsigned n = 0;
      for (const types::Type* e : t->elements) n += result_slots(e);
      return n;
    }
    default: return 1;
  }
}

void store_result(llvm::IRBuilder<>& b, llvm::Value* v, const types::Type* t, llvm::Value* ret, unsigned& slot,
                  std::vector<uint8_t>& desc) {
  auto slot_ptr = [&](unsigned s) { return b.CreateConstGEP1_64(b.getInt8Ty(), ret, s * abi::kReturnSlotBytes); };
  switch (t->kind) {
    case TypeKind::Scalar:
    case TypeKind::NoneType:
      desc.push_back(static_cast<uint8_t>(abi::ReturnCode::Scalar));
      desc.push_back(static_cast<uint8_t>(t->scalar));
      if (t->is_bool()) v = b.CreateZExt(v, b.getInt8Ty());
      if (t->kind == TypeKind::Scalar) b.CreateStore(v, slot_ptr(slot));
      ++slot;
      return;
    case TypeKind::Array:
      if (t == types::bytes()) {
        desc.push_back(static_cast<uint8_t>(abi::ReturnCode::Bytes));
        b.CreateStore(v, slot_ptr(slot));
        slot += abi::array_return_slots(1);
        return;
      }
      desc.push_back(static_cast<uint8_t>(t->readonly ? abi::ReturnCode::ReadonlyArray : abi::ReturnCode::Array));
      desc.push_back(static_cast<uint8_t>(t->scalar));
      desc.push_back(static_cast<uint8_t>(t->ndim));
      b.CreateStore(v, slot_ptr(slot));  // the struct's layout is abi::ArrayHeader's
      slot += abi::array_return_slots(t->ndim);
      return;
    case TypeKind::List:
      desc.push_back(static_cast<uint8_t>(list_code(t)));
      if (!describe_item(list_item(t), desc)) unsupported({}, "returning a " + t->name + " to Python is not supported yet");
      b.CreateStore(v, slot_ptr(slot++));
      return;
    case TypeKind::Dict:
      if (!describe_dict(t, desc))
        unsupported({}, "returning a " + t->name + " to Python is not supported yet (keys must be numbers, "
                        "strings or tuples of those, values numbers, strings, arrays, tuples of numbers, lists, "
                        "dicts or sets of those)");
      b.CreateStore(v, slot_ptr(slot++));
      return;
    case TypeKind::String:
      desc.push_back(static_cast<uint8_t>(abi::ReturnCode::String));
      b.CreateStore(v, slot_ptr(slot++));
      return;
    case TypeKind::Generator:
      desc.push_back(static_cast<uint8_t>(abi::ReturnCode::Generator));
      b.CreateStore(v, slot_ptr(slot++));
      return;
    case TypeKind::Set:
      if (!describe_set(t, desc))
        unsupported({}, "returning a " + t->name + " to Python is not supported yet (items must be numbers or strings)");
      b.CreateStore(v, slot_ptr(slot++));
      return;
    case TypeKind::Optional:
      desc.push_back(static_cast<uint8_t>(abi::ReturnCode::Optional));
      b.CreateStore(b.CreateZExt(b.CreateExtractValue(v, 0), b.getInt8Ty()), slot_ptr(slot++));
      store_result(b, b.CreateExtractValue(v, 1), t->elements[0], ret, slot, desc);
      return;
    case TypeKind::Tuple:
      describe_named_tuple_class(t, desc);
      desc.push_back(static_cast<uint8_t>(abi::ReturnCode::Tuple));
      desc.push_back(static_cast<uint8_t>(t->elements.size()));
      for (unsigned i = 0; i < t->elements.size(); ++i)
        store_result(b, b.CreateExtractValue(v, i), t->elements[i], ret, slot, desc);
      return;
    case TypeKind::Opaque:
      if (types::is_dtype_value(t)) {
        std::string name = types::dtype_of_value(t)->name;
        desc.push_back(static_cast<uint8_t>(abi::ReturnCode::DType));
        desc.push_back(static_cast<uint8_t>(name.size() & 0xff));
        desc.push_back(static_cast<uint8_t>(name.size() >> 8));
        desc.insert(desc.end(), name.begin(), name.end());
        return;
      }
      internal_error("cannot return " + t->name + " to Python");
    default: internal_error("cannot return " + t->name + " to Python");
  }
}


std::string ModuleLowering::emit_entry(hir::Function& top, std::vector<uint8_t>& return_descriptor) {
  llvm::Function* inner = functions_.at({&top, false});
  auto* ptr = llvm::PointerType::get(ctx_, 0);
  auto* fty = llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx_), {ptr, ptr}, false);
  std::string name = top.symbol + ".entry";
  auto* f = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, module_.get());
  set_function_attributes(f);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", f));
  llvm::Value* args = f->getArg(0);
  llvm::Value* ret = f->getArg(1);
  std::vector<llvm::Value*> call_args;
  llvm::Type* result_type = value_type(ctx_, top.return_type);
  llvm::Value* result = b.CreateAlloca(result_type);
  call_args.push_back(result);
  for (size_t i = 0; i < top.param_count; ++i) {
    const types::Type* t = top.param_types[i];
    llvm::Value* slot = b.CreateLoad(ptr, b.CreateConstGEP1_64(ptr, args, i));
    // Tuples are unboxed with bools as 0/1 bytes, which read as i1 fields directly.
    llvm::Value* v = b.CreateLoad(t->kind == TypeKind::Tuple ? value_type(ctx_, t) : memory_type(ctx_, t), slot);
    if (t->is_bool()) v = b.CreateICmpNE(v, b.getInt8(0));
    call_args.push_back(v);
  }
  llvm::Value* status = b.CreateCall(inner, call_args);
  auto* ok = llvm::BasicBlock::Create(ctx_, "ok", f);
  auto* failed = llvm::BasicBlock::Create(ctx_, "failed", f);
  b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(abi::kStatusOk)), ok, failed);
  b.SetInsertPoint(failed);
  b.CreateRet(status);
  b.SetInsertPoint(ok);
  unsigned slot = 0;
  return_descriptor.clear();
  store_result(b, b.CreateLoad(result_type, result), top.return_type, ret, slot, return_descriptor);
  b.CreateRet(b.getInt32(abi::kStatusOk));
  return name;
}

}  // namespace numjit::lower
