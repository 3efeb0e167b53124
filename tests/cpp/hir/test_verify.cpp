// The HIR's declared layout (src/numjit/hir/nodes.def): named accessors and
// the verifier that checks trees between stages.
#include <gtest/gtest.h>

#include "../passes/hir_builder.h"
#include "numjit/hir/build.h"
#include "numjit/hir/verify.h"

using namespace numjit;
using namespace numjit::testing;

namespace {

std::unique_ptr<hir::Function> returning(hir::ExprPtr value) {
  auto fn = function({types::float64(), types::float64()}, 2);
  fn->body = block(ret(std::move(value)));
  return fn;
}

std::string internal_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const CompileError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Internal);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

}  // namespace

TEST(HirAccessors, NameTheChildrenOfEachKind) {
  auto sum = binary(hir::BinaryOp::Add, local(0), local(1));
  EXPECT_EQ(sum->lhs().local, 0);
  EXPECT_EQ(sum->rhs().local, 1);
  auto c = call("np.hypot", types::float64(), local(0), local(1));
  EXPECT_EQ(c->callee().global.name, "np.hypot");
  ASSERT_EQ(c->args().size(), 2u);
  EXPECT_EQ(c->args()[1].local, 1);
  int seen = 0;
  for (const hir::Expr& arg : c->args()) seen += arg.local + 1;
  EXPECT_EQ(seen, 3);
  auto s = subscript(local(0), constant(2));
  EXPECT_EQ(s->value().local, 0);
  EXPECT_EQ(s->indices().front().constant.int_value, 2);
  auto full = hir::make_full_slice({});
  EXPECT_EQ(full->lower(), nullptr);
  EXPECT_EQ(full->step(), nullptr);
}

TEST(HirAccessors, AChildOfAnotherKindIsAnInternalError) {
  auto sum = binary(hir::BinaryOp::Add, local(0), local(1));
  std::string message = internal_error_of([&] { (void)sum->callee(); });
  EXPECT_NE(message.find("callee() asked of a Binary node"), std::string::npos) << message;
  message = internal_error_of([&] { (void)sum->args(); });
  EXPECT_NE(message.find("args() asked of a Binary node"), std::string::npos) << message;
}

TEST(HirAccessors, TakeAndSetRebuildATail) {
  auto c = call("f", types::float64(), local(0), local(1));
  std::vector<hir::ExprPtr> args = c->take_args();
  EXPECT_EQ(args.size(), 2u);
  EXPECT_TRUE(c->args().empty());
  std::swap(args[0], args[1]);
  c->set_args(std::move(args));
  EXPECT_EQ(c->args()[0].local, 1);
  EXPECT_EQ(c->callee().global.name, "f");
}

TEST(HirVerify, AcceptsAWellFormedTypedTree) {
  auto fn = returning(binary(hir::BinaryOp::Add, local(0), local(1)));
  EXPECT_NO_THROW(hir::verify(*fn, hir::Stage::Read));
  EXPECT_NO_THROW(hir::verify(*fn, hir::Stage::Typed));
}

TEST(HirVerify, RejectsAMissingChild) {
  auto broken = binary(hir::BinaryOp::Add, local(0), local(1));
  broken->children.pop_back();
  auto fn = returning(std::move(broken));
  std::string message = internal_error_of([&] { hir::verify(*fn, hir::Stage::Read); });
  EXPECT_NE(message.find("Binary node with 1 children"), std::string::npos) << message;
}

TEST(HirVerify, RejectsANullChildWhereTheLayoutHasNone) {
  auto broken = call("f", types::float64(), local(0));
  broken->children.push_back(nullptr);
  auto fn = returning(std::move(broken));
  std::string message = internal_error_of([&] { hir::verify(*fn, hir::Stage::Read); });
  EXPECT_NE(message.find("null child"), std::string::npos) << message;
}

TEST(HirVerify, RejectsALocalOutsideTheFunction) {
  auto fn = returning(local(7));
  std::string message = internal_error_of([&] { hir::verify(*fn, hir::Stage::Read); });
  EXPECT_NE(message.find("not the function's"), std::string::npos) << message;
}

TEST(HirVerify, AfterInferenceEveryExpressionIsTyped) {
  auto untyped = binary(hir::BinaryOp::Add, local(0), local(1), types::unknown());
  auto fn = returning(std::move(untyped));
  EXPECT_NO_THROW(hir::verify(*fn, hir::Stage::Read));
  std::string message = internal_error_of([&] { hir::verify(*fn, hir::Stage::Typed); });
  EXPECT_NE(message.find("untyped Binary"), std::string::npos) << message;
}

TEST(HirVerify, AfterInferenceEveryCallIsResolved) {
  auto fn = returning(call("np.hypot", types::float64(), local(0), local(1)));
  fn->body[0]->value->children[0]->type = types::opaque("function(np.hypot)");
  std::string message = internal_error_of([&] { hir::verify(*fn, hir::Stage::Typed); });
  EXPECT_NE(message.find("call that inference left unresolved"), std::string::npos) << message;
}

TEST(HirVerify, NoSugarIsLeft) {
  auto fn = returning(call("dict", types::float64()));
  std::string message = internal_error_of([&] { hir::verify(*fn, hir::Stage::Read); });
  EXPECT_NE(message.find("dict() left for inference"), std::string::npos) << message;
}
