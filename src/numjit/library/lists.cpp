// List methods: append, pop, insert, extend (lowering in lower/lower_list.cpp),
// and numjit.typed's typed.container.
// len() and np.array() of lists are rows of their own functions.
#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;

bool is_list(const Type* x) { return x->kind == t::TypeKind::List; }

std::optional<Signature> append_typing(const CallSite& c) {
  if (c.args.size() != 2 || !is_list(c.args[0])) return std::nullopt;
  return Signature{t::none(), {c.args[0], nullptr}};
}

llvm::Value* append_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  f.list_append(args[0], s.params[0], args[1], argument_expr(call, 1).type);
  return f.builder().getInt8(0);
}

// lst.pop() / lst.pop(i)
std::optional<Signature> pop_typing(const CallSite& c) {
  if (c.args.empty() || c.args.size() > 2 || !is_list(c.args[0])) return std::nullopt;
  if (c.args.size() == 2 && !c.args[1]->is_integer()) return std::nullopt;
  return Signature{types::list_item(c.args[0]), {c.args[0], t::int64()}};
}

llvm::Value* pop_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::Value* index = args.size() > 1 ? args[1] : f.i64(-1);
  llvm::Value* out = f.entry_alloca(codegen::memory_type(f.context(), s.result), "popped");
  llvm::FunctionCallee pop = codegen::runtime_function(f.module(), codegen::RuntimeFunction::list_pop);
  f.exit_if_failed(b.CreateCall(pop, {args[0], index, out}));
  return f.load_element(out, s.result);
}

// lst.insert(i, x): the runtime moves the later items up with one memmove.
std::optional<Signature> insert_typing(const CallSite& c) {
  if (c.args.size() != 3 || !is_list(c.args[0]) || !c.args[1]->is_integer()) return std::nullopt;
  return Signature{t::none(), {c.args[0], t::int64(), nullptr}};
}

llvm::Value* insert_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  const Type* item = types::list_item(s.params[0]);
  llvm::Value* value = f.own_stored(f.cast(args[2], argument_expr(call, 2).type, item), item, s.params[0]);
  llvm::Value* slot = f.entry_alloca(codegen::memory_type(f.context(), item), "inserted");
  f.store_element(slot, value, item);
  llvm::FunctionCallee insert = codegen::runtime_function(f.module(), codegen::RuntimeFunction::list_insert);
  f.exit_if_failed(f.builder().CreateCall(insert, {args[0], args[1], slot}));
  return f.builder().getInt8(0);
}

// lst.extend(other): another list or a 1-D array.
std::optional<Signature> extend_typing(const CallSite& c) {
  if (c.args.size() != 2 || !is_list(c.args[0])) return std::nullopt;
  const Type* other = c.args[1];
  if (!is_list(other) && !(other->is_array() && other->ndim == 1)) return std::nullopt;
  return Signature{t::none(), {c.args[0], other}};
}

llvm::Value* extend_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  const Type* other = s.params[1];
  // Read the source's length once: extending a list by itself appends its original items.
  llvm::Value* n = is_list(other) ? f.list_length(args[1]) : f.array_dim(args[1], codegen::kArrayShape, 0);
  f.counted_loop(n, "extend", [&](llvm::Value* i) {
    llvm::Value* item;
    const Type* item_type;
    if (is_list(other)) {
      item_type = types::list_item(other);
      item = f.load_element(f.list_item_pointer(args[1], other, i, t::int64()), item_type);
    } else {
      item_type = other->dtype();
      llvm::Value* p = f.builder().CreateGEP(f.builder().getInt8Ty(), f.builder().CreateExtractValue(args[1], codegen::kArrayData),
                                             f.builder().CreateMul(i, f.array_dim(args[1], codegen::kArrayStrides, 0)));
      item = f.load_element(p, item_type);
    }
    f.list_append(args[0], s.params[0], item, item_type);
  });
  return f.builder().getInt8(0);
}

// numjit.typed's constructors in compiled code wrap a new list or dict in this
// (python/numjit/_builtin_calls.py): the same container, typed as Numba's
// ListType / DictType, which goes back to Python as a typed.List / typed.Dict.
std::optional<Signature> typed_container_typing(const CallSite& c) {
  if (c.args.size() != 1 || (!is_list(c.args[0]) && c.args[0]->kind != t::TypeKind::Dict)) return std::nullopt;
  return Signature{t::as_typed_container(c.args[0]), {c.args[0]}};
}

llvm::Value* typed_container_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  f.incref(args[0], s.params[0]);  // a row's result is a new reference
  return args[0];
}

}  // namespace

void register_lists(std::vector<Builtin>& table) {
  table.push_back(Builtin{"list.append", append_typing, append_lowering});
  table.push_back(Builtin{"list.pop", pop_typing, pop_lowering});
  table.push_back(Builtin{"list.insert", insert_typing, insert_lowering});
  table.push_back(Builtin{"list.extend", extend_typing, extend_lowering});
  table.push_back(Builtin{"typed.container", typed_container_typing, typed_container_lowering});
}

}  // namespace numjit::library
