// Lowering units: HIR built by hand, typed, lowered, JIT-compiled and run
// through the C ABI entry, without Python.
#include <gtest/gtest.h>

#include <llvm/IR/LLVMContext.h>

#include "numjit/jit/engine.h"
#include "numjit/lower/function_lowering.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/runtime/functions.h"
#include "numjit/types/infer.h"

using namespace numjit;

namespace {

struct NoCallees : types::CalleeResolver {
  hir::Function* specialize(void*, const std::vector<const types::Type*>&, const SourceSpan&) override {
    ADD_FAILURE() << "unexpected call";
    return nullptr;
  }
  const hir::Function& declaration(void*) override {
    ADD_FAILURE() << "unexpected call";
    static hir::Function none;
    return none;
  }
};

int g_zero_division_tag;  // stands in for the Python exception class

hir::ExprPtr local(int index) {
  auto e = std::make_unique<hir::Expr>(hir::ExprKind::Local, SourceSpan{});
  e->local = index;
  return e;
}

// def f(a, b): return a <op> b
std::unique_ptr<hir::Function> binary_function(hir::BinaryOp op, const types::Type* t) {
  auto fn = std::make_unique<hir::Function>();
  fn->name = "f";
  fn->locals = {{.name = "a", .type = t, .is_param = true}, {.name = "b", .type = t, .is_param = true}};
  fn->param_count = 2;
  fn->param_types = {t, t};
  auto expr = std::make_unique<hir::Expr>(hir::ExprKind::Binary, SourceSpan{});
  expr->binary_op = op;
  expr->children.push_back(local(0));
  expr->children.push_back(local(1));
  auto ret = std::make_unique<hir::Stmt>(hir::StmtKind::Return, SourceSpan{});
  ret->value = std::move(expr);
  fn->body.push_back(std::move(ret));
  return fn;
}

numjit::abi::EntryFn compile(hir::Function& fn) {
  numjit::runtime::register_exception_class(numjit::abi::ExceptionKind::ZeroDivisionError, &g_zero_division_tag);
  NoCallees resolver;
  types::infer(fn, resolver);
  auto& engine = jit::Engine::instance();
  engine.define_symbol("numjit_rt_raise", reinterpret_cast<uint64_t>(&numjit_rt_raise));
  auto ctx = std::make_unique<llvm::LLVMContext>();
  lower::ModuleLowering lowering(*ctx, "test", engine.host());
  std::map<const hir::Function*, passes::FunctionPlan> plans{{&fn, passes::plan_function(fn)}};
  lowering.set_plans(&plans);
  std::vector<uint8_t> descriptor;
  std::string entry = lowering.finish(fn, descriptor);
  auto module = lowering.take();
  engine.optimize(*module);
  return reinterpret_cast<numjit::abi::EntryFn>(engine.add_and_lookup(std::move(module), std::move(ctx), {entry})[0]);
}

template <typename T, typename R>
int32_t call(numjit::abi::EntryFn f, T a, T b, R& out) {
  alignas(16) unsigned char slots[2][16];
  std::memcpy(slots[0], &a, sizeof(T));
  std::memcpy(slots[1], &b, sizeof(T));
  void* args[] = {slots[0], slots[1]};
  alignas(16) unsigned char ret[16];
  int32_t status = f(args, ret);
  std::memcpy(&out, ret, sizeof(R));
  return status;
}

}  // namespace

TEST(Lowering, IntegerFloorDivisionFollowsPython) {
  auto fn = binary_function(hir::BinaryOp::FloorDiv, types::int64());
  numjit::abi::EntryFn f = compile(*fn);
  struct Case { int64_t a, b, q; };
  for (Case c : {Case{7, 2, 3}, Case{-7, 2, -4}, Case{7, -2, -4}, Case{-7, -2, 3}, Case{0, 5, 0},
                 Case{INT64_MIN, -1, INT64_MIN}}) {
    int64_t q = 0;
    ASSERT_EQ(call(f, c.a, c.b, q), numjit::abi::kStatusOk);
    EXPECT_EQ(q, c.q) << c.a << " // " << c.b;
  }
}

TEST(Lowering, ModuloTakesTheDivisorsSign) {
  auto fn = binary_function(hir::BinaryOp::Mod, types::int64());
  numjit::abi::EntryFn f = compile(*fn);
  struct Case { int64_t a, b, r; };
  for (Case c : {Case{7, 3, 1}, Case{-7, 3, 2}, Case{7, -3, -2}, Case{-7, -3, -1}, Case{INT64_MIN, -1, 0}}) {
    int64_t r = 0;
    ASSERT_EQ(call(f, c.a, c.b, r), numjit::abi::kStatusOk);
    EXPECT_EQ(r, c.r) << c.a << " % " << c.b;
  }
}

TEST(Lowering, DivisionByZeroRecordsTheError) {
  auto fn = binary_function(hir::BinaryOp::FloorDiv, types::int64());
  numjit::abi::EntryFn f = compile(*fn);
  int64_t q = 0;
  EXPECT_EQ(call(f, int64_t{1}, int64_t{0}, q), numjit::abi::kStatusError);
  runtime::PendingError e = runtime::take_pending_error();
  EXPECT_EQ(e.exc_class, &g_zero_division_tag);
  EXPECT_EQ(e.message, "integer division or modulo by zero");  // Python's words
}

TEST(Lowering, TrueDivisionOfIntegersIsFloat) {
  auto fn = binary_function(hir::BinaryOp::TrueDiv, types::int64());
  numjit::abi::EntryFn f = compile(*fn);
  EXPECT_EQ(fn->return_type, types::float64());
  double r = 0;
  ASSERT_EQ(call(f, int64_t{7}, int64_t{2}, r), numjit::abi::kStatusOk);
  EXPECT_DOUBLE_EQ(r, 3.5);
}

TEST(Lowering, FloatFloorDivisionAndModulo) {
  auto div = binary_function(hir::BinaryOp::FloorDiv, types::float64());
  auto mod = binary_function(hir::BinaryOp::Mod, types::float64());
  numjit::abi::EntryFn fd = compile(*div);
  numjit::abi::EntryFn fm = compile(*mod);
  double q = 0, r = 0;
  ASSERT_EQ(call(fd, -7.5, 2.0, q), numjit::abi::kStatusOk);
  ASSERT_EQ(call(fm, -7.5, 2.0, r), numjit::abi::kStatusOk);
  EXPECT_DOUBLE_EQ(q, -4.0);
  EXPECT_DOUBLE_EQ(r, 0.5);
  ASSERT_EQ(call(fm, 7.5, -2.0, r), numjit::abi::kStatusOk);
  EXPECT_DOUBLE_EQ(r, -0.5);
}
