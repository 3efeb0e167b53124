// Dict methods: `k in d` (d.__contains__), get, pop (also `del d[k]`), keys,
// values, items (lists, in insertion order). Lowering in lower/lower_dict.cpp.
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;

// A dict whose types are known, and a key that converts to its key type.
bool typed_dict(const CallSite& c, size_t min_args, size_t max_args) {
  if (c.args.size() < min_args || c.args.size() > max_args || c.args[0]->kind != t::TypeKind::Dict) return false;
  if (c.args[0]->elements[0]->kind == t::TypeKind::Unknown) return false;
  return c.args.size() < 2 || t::unify(c.args[0]->elements[0], c.args[1]) != nullptr;
}

std::optional<Signature> contains_typing(const CallSite& c) {
  if (!typed_dict(c, 2, 2)) return std::nullopt;
  return Signature{t::boolean(), {c.args[0], c.args[1]}};
}

llvm::Value* contains_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  llvm::Value* entry = f.dict_find(args[0], s.params[0], args[1], s.params[1]);
  return f.builder().CreateICmpSGE(entry, f.i64(0));
}

// d.get(k) is an optional value; d.get(k, default) the value or the default.
std::optional<Signature> get_typing(const CallSite& c) {
  if (!typed_dict(c, 2, 3)) return std::nullopt;
  const Type* value = c.args[0]->elements[1];
  if (c.args.size() == 2) return Signature{t::optional(value), {c.args[0], c.args[1]}};
  const Type* result = t::unify(value, c.args[2]);
  if (!result) return std::nullopt;
  return Signature{result, {c.args[0], c.args[1], c.args[2]}};
}

// Picks the value of `entry` (when found) or `absent()` (when not), as `result`.
llvm::Value* value_or(RowContext& f, llvm::Value* dict, const Type* dict_type, llvm::Value* entry,
                      const Type* result, const std::function<llvm::Value*(bool found, llvm::Value* value)>& make) {
  auto& b = f.builder();
  llvm::Value* out = f.entry_alloca(codegen::value_type(f.context(), result), "dict.get");
  llvm::BasicBlock* found = f.new_block("dict.found");
  llvm::BasicBlock* missing = f.new_block("dict.missing");
  llvm::BasicBlock* done = f.new_block("dict.got");
  b.CreateCondBr(b.CreateICmpSGE(entry, f.i64(0)), found, missing);
  b.SetInsertPoint(found);
  const Type* value_type = dict_type->elements[1];
  b.CreateStore(make(true, f.load_element(f.dict_value_pointer(dict, dict_type, entry), value_type)), out);
  b.CreateBr(done);
  b.SetInsertPoint(missing);
  b.CreateStore(make(false, nullptr), out);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  return b.CreateLoad(codegen::value_type(f.context(), result), out);
}

llvm::Value* get_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* dict_type = s.params[0];
  const Type* value_type = dict_type->elements[1];
  llvm::Value* entry = f.dict_find(args[0], dict_type, args[1], s.params[1]);
  // The result is a new reference (a call's), whether the dict's value or the default.
  llvm::Value* got = value_or(f, args[0], dict_type, entry, s.result, [&](bool found, llvm::Value* value) -> llvm::Value* {
    if (args.size() == 3) return found ? f.cast(value, value_type, s.result) : f.cast(args[2], s.params[2], s.result);
    llvm::Value* optional = llvm::PoisonValue::get(codegen::value_type(f.context(), s.result));
    optional = b.CreateInsertValue(optional, b.getInt1(found), 0);
    return b.CreateInsertValue(optional, found ? value : llvm::Constant::getNullValue(
                                                            codegen::value_type(f.context(), value_type)), 1);
  });
  f.incref(got, s.result);
  return got;
}

// d.pop(k) (KeyError when absent) / d.pop(k, default).
std::optional<Signature> pop_typing(const CallSite& c) {
  if (!typed_dict(c, 2, 3)) return std::nullopt;
  const Type* value = c.args[0]->elements[1];
  if (c.args.size() == 2) return Signature{value, {c.args[0], c.args[1]}};
  const Type* result = t::unify(value, c.args[2]);
  if (!result) return std::nullopt;
  return Signature{result, {c.args[0], c.args[1], c.args[2]}};
}

llvm::Value* pop_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* dict_type = s.params[0];
  const Type* value_type = dict_type->elements[1];
  llvm::Value* entry = f.dict_find(args[0], dict_type, args[1], s.params[1]);
  if (args.size() == 2) f.raise_key_error_if(b.CreateICmpSLT(entry, f.i64(0)), dict_type, args[1], s.params[1]);
  llvm::Value* out = f.entry_alloca(codegen::value_type(f.context(), s.result), "dict.popped");
  llvm::BasicBlock* found = f.new_block("dict.pop");
  llvm::BasicBlock* missing = f.new_block("dict.pop.default");
  llvm::BasicBlock* done = f.new_block("dict.popped");
  b.CreateCondBr(b.CreateICmpSGE(entry, f.i64(0)), found, missing);
  b.SetInsertPoint(found);
  // The removed value carries the reference the dict held; the statement releases it unless it is stored.
  llvm::Value* removed = f.dict_remove(args[0], dict_type, entry);
  b.CreateStore(f.cast(removed, value_type, s.result), out);
  b.CreateBr(done);
  b.SetInsertPoint(missing);
  if (args.size() == 3) {
    llvm::Value* fallback = f.cast(args[2], s.params[2], s.result);
    f.incref(fallback, s.result);  // both paths hand over one reference
    b.CreateStore(fallback, out);
  } else {
    b.CreateStore(llvm::Constant::getNullValue(codegen::value_type(f.context(), s.result)), out);
  }
  b.CreateBr(done);
  b.SetInsertPoint(done);
  return b.CreateLoad(codegen::value_type(f.context(), s.result), out);  // the call's result is owned by the statement
}

// d.keys(), d.values(), d.items(): new lists.
Builtin contents(const char* name, int what) {
  TypingRule typing = [what](const CallSite& c) -> std::optional<Signature> {
    if (!typed_dict(c, 1, 1)) return std::nullopt;
    const Type* k = c.args[0]->elements[0];
    const Type* v = c.args[0]->elements[1];
    return Signature{t::list(what == 0 ? k : what == 1 ? v : t::tuple({k, v})), {c.args[0]}};
  };
  LoweringRule lowering = [what](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return f.dict_contents(args[0], s.params[0], s.result, what);
  };
  return Builtin{name, typing, lowering};
}

}  // namespace

void register_dicts(std::vector<Builtin>& table) {
  table.push_back({"dict.__contains__", contains_typing, contains_lowering});
  table.push_back({"dict.get", get_typing, get_lowering});
  table.push_back({"dict.pop", pop_typing, pop_lowering});
  table.push_back(contents("dict.keys", 0));
  table.push_back(contents("dict.values", 1));
  table.push_back(contents("dict.items", 2));
}

}  // namespace numjit::library
