// The set rows the library's Python set methods (python/numjit/library/sets.py)
// are written over: add, `x in s` (set.__contains__), _discard (returns
// whether the item was there), pop, and _items (a list of the items in
// insertion order, which `for x in s` iterates). Lowering in lower/lower_dict.cpp.
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/types/unify.h"

namespace numjit::library {
namespace {

namespace t = types;

bool is_set(const Type* x) { return x->kind == t::TypeKind::Set; }

// s.add(x): x converts to the item type (a local set's item type has already
// widened where x changed its kind, int to float).
std::optional<Signature> add_typing(const CallSite& c) {
  if (c.args.size() != 2 || !is_set(c.args[0])) return std::nullopt;
  const Type* item = c.args[0]->elements[0];
  const Type* x = c.args[1];
  if (!t::converts_to_item(x, item) && t::unify(item, x) != item) return std::nullopt;
  return Signature{t::none(), {c.args[0], item}};
}

llvm::Value* add_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  f.set_add(args[0], s.params[0], args[1], s.params[1]);
  return f.builder().getInt8(0);
}

bool empty_for_sure(const Type* set) { return set->elements[0]->kind == t::TypeKind::Unknown; }

// x in s and s._discard(x) take any value comparable with the items: a float
// asked of a set of ints is found only when it is a whole number.
// A set nothing was ever added to (its item type unknown) holds nothing: x is never in it.
std::optional<Signature> lookup_typing(const CallSite& c) {
  if (c.args.size() != 2 || !is_set(c.args[0])) return std::nullopt;
  const Type* item = c.args[0]->elements[0];
  if (!empty_for_sure(c.args[0]) && !t::unify(item, c.args[1])) return std::nullopt;
  return Signature{t::boolean(), {c.args[0], c.args[1]}};
}

llvm::Value* contains_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  if (empty_for_sure(s.params[0])) return f.builder().getFalse();
  return f.builder().CreateICmpSGE(f.dict_find(args[0], s.params[0], args[1], s.params[1]), f.i64(0));
}

llvm::Value* discard_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  if (empty_for_sure(s.params[0])) return f.builder().getFalse();
  return f.set_discard(args[0], s.params[0], args[1], s.params[1]);
}

// pop() of a set nothing was added to raises KeyError; its result is typed int64, as an untyped list's items.
std::optional<Signature> pop_typing(const CallSite& c) {
  if (c.args.size() != 1 || !is_set(c.args[0])) return std::nullopt;
  return Signature{empty_for_sure(c.args[0]) ? t::int64() : c.args[0]->elements[0], {c.args[0]}};
}

llvm::Value* pop_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  return f.set_pop(args[0], s.params[0]);
}

std::optional<Signature> items_typing(const CallSite& c) {
  if (c.args.size() != 1 || !is_set(c.args[0])) return std::nullopt;
  return Signature{t::list(empty_for_sure(c.args[0]) ? t::int64() : c.args[0]->elements[0]), {c.args[0]}};
}

llvm::Value* items_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  return f.dict_contents(args[0], s.params[0], s.result, 0);
}

}  // namespace

void register_sets(std::vector<Builtin>& table) {
  table.push_back({"set.add", add_typing, add_lowering});
  table.push_back({"set.__contains__", lookup_typing, contains_lowering});
  table.push_back({"set._discard", lookup_typing, discard_lowering});
  table.push_back({"set.pop", pop_typing, pop_lowering});
  table.push_back({"set._items", items_typing, items_lowering});
}

}  // namespace numjit::library
