// Python's random module: the rows that reach the runtime's per-thread
// CPython-compatible state (runtime/random.cpp). random.seed and
// random.random are Python's own names; the others are internal, for the
// distributions python/numjit/library/pyrandom.py writes on top of them with
// CPython's algorithms, so that seeded streams equal CPython's.
#include "numjit/library/builtins.h"
#include "numjit/library/mersenne.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;
using codegen::RuntimeFunction;

llvm::Value* call_runtime(RowContext& f, RuntimeFunction fn, std::vector<llvm::Value*> args = {}) {
  return f.builder().CreateCall(codegen::runtime_function(f.module(), fn), args);
}

// random.seed(), random.seed(None), random.seed(n) for an integer n (all its
// bits, as CPython; other seed types are refused).
std::optional<Signature> seed_typing(const CallSite& c) {
  if (c.args.empty()) return Signature{t::none(), {}};
  if (c.args.size() != 1) return std::nullopt;
  const Type* a = c.args[0];
  if (a->kind == t::TypeKind::NoneType) return Signature{t::none(), {a}};
  if (!a->is_integer() && !a->is_bool()) return std::nullopt;
  return Signature{t::none(), {a->is_integer() && !a->is_signed() ? t::uint64() : t::int64()}};
}

llvm::Value* seed_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  if (args.empty() || s.params[0]->kind == t::TypeKind::NoneType) {
    call_runtime(f, RuntimeFunction::py_random_seed_os);
  } else {
    llvm::Value* n = args[0];
    llvm::Value* magnitude = s.params[0]->is_signed()
                                 ? b.CreateSelect(b.CreateICmpSLT(n, f.i64(0)), b.CreateNeg(n), n)  // abs; INT64_MIN stays 2**63
                                 : n;
    call_runtime(f, RuntimeFunction::py_random_seed, {magnitude});
  }
  return b.getInt8(0);
}

// random.random(): 53 bits from two words, as CPython's genrand_res53.
llvm::Value* draw_double(RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*>) {
  return mersenne_double(f, mersenne_state(f, RuntimeFunction::py_random_state));
}

// getrandbits(k) for 0 <= k <= 63, as CPython fills it: one word, or a low
// word and then a high one shifted down to the bits wanted.
llvm::Value* draw_bits(RowContext& f, llvm::Value* state, llvm::Value* k) {
  auto& b = f.builder();
  llvm::BasicBlock* one = f.new_block("bits.one_word");
  llvm::BasicBlock* two = f.new_block("bits.two_words");
  llvm::BasicBlock* done = f.new_block("bits.done");
  b.CreateCondBr(b.CreateICmpSLE(k, f.i64(32)), one, two);
  b.SetInsertPoint(one);
  llvm::Value* word = b.CreateZExt(mersenne_word(f, state), b.getInt64Ty());
  // k == 0 draws a word and keeps none of it; a shift by 32 of an i64 is defined.
  llvm::Value* narrow = b.CreateLShr(word, b.CreateSub(f.i64(32), k));
  llvm::BasicBlock* one_end = b.GetInsertBlock();
  b.CreateBr(done);
  b.SetInsertPoint(two);
  llvm::Value* low = b.CreateZExt(mersenne_word(f, state), b.getInt64Ty());
  llvm::Value* high = b.CreateLShr(b.CreateZExt(mersenne_word(f, state), b.getInt64Ty()), b.CreateSub(f.i64(64), k));
  llvm::Value* wide = b.CreateOr(b.CreateShl(high, 32), low);
  llvm::BasicBlock* two_end = b.GetInsertBlock();
  b.CreateBr(done);
  b.SetInsertPoint(done);
  llvm::PHINode* bits = b.CreatePHI(b.getInt64Ty(), 2);
  bits->addIncoming(narrow, one_end);
  bits->addIncoming(wide, two_end);
  return bits;
}

// random._randbelow(n), n > 0: CPython's _randbelow_with_getrandbits, drawing
// n.bit_length() bits until the value is below n.
llvm::Value* draw_below(RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::Value* n = args[0];
  llvm::Value* state = mersenne_state(f, RuntimeFunction::py_random_state);
  llvm::Value* k = b.CreateSub(f.i64(64), b.CreateIntrinsic(llvm::Intrinsic::ctlz, {b.getInt64Ty()}, {n, b.getFalse()}));
  llvm::BasicBlock* retry = f.new_block("below.draw");
  llvm::BasicBlock* done = f.new_block("below.done");
  b.CreateBr(retry);
  b.SetInsertPoint(retry);
  llvm::Value* r = draw_bits(f, state, k);
  b.CreateCondBr(b.CreateICmpUGE(r, n), retry, done);
  b.SetInsertPoint(done);
  return r;
}

// A draw of a float64 without arguments.
Builtin float_draw(const char* name, LoweringRule lowering) {
  return Builtin{name,
                 [](const CallSite& c) -> std::optional<Signature> {
                   if (!c.args.empty()) return std::nullopt;
                   return Signature{t::float64(), {}};
                 },
                 std::move(lowering)};
}

// An internal draw of one int64 argument the library has checked.
Builtin integer_draw(const char* name, LoweringRule lowering) {
  return Builtin{name,
                 [](const CallSite& c) -> std::optional<Signature> {
                   if (c.args.size() != 1 || !(c.args[0]->is_integer() || c.args[0]->is_bool())) return std::nullopt;
                   return Signature{t::int64(), {t::int64()}};
                 },
                 std::move(lowering)};
}

}  // namespace

void register_python_random(std::vector<Builtin>& table) {
  table.push_back(Builtin{"random.seed", seed_typing, seed_lowering});
  table.push_back(float_draw("random.random", draw_double));
  table.push_back(float_draw("random._gauss",
                             [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*>) {
                               return call_runtime(f, RuntimeFunction::py_random_gauss);
                             }));
  table.push_back(integer_draw("random._getrandbits",
                               [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
                                 return draw_bits(f, mersenne_state(f, RuntimeFunction::py_random_state), args[0]);
                               }));
  table.push_back(integer_draw("random._randbelow", draw_below));
}

}  // namespace numjit::library
