// np.einsum(subscripts, a[, b]) with a constant subscripts string: one or two
// operands, explicit ("ij,jk->ik") or implicit ("ij,jk": the subscripts that
// appear once, in alphabetical order) output. The string is read while
// typing, so the result's rank is known; the lowering is one loop nest over
// every subscript (the output's first, the summed ones inside, the first
// operand's last subscript innermost, where C-ordered data is contiguous)
// multiplying the operands' elements into a zeroed result. Numba has no einsum.
#include <algorithm>
#include <functional>
#include <map>

#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;

struct Subscripts {
  std::vector<std::string> inputs;
  std::string output;
  std::string loops;  // every subscript once, in loop order (outermost first)
};

// Parses and checks the subscripts for these operand ranks; the error is a
// located TypingError, since the string is a constant in the source.
Subscripts parse_subscripts(const std::string& text, const std::vector<int>& ranks, const SourceSpan& span) {
  if (text.find("...") != std::string::npos) unsupported(span, "np.einsum with an ellipsis ('...') is not supported yet");
  Subscripts s;
  std::string spec;
  for (char c : text)
    if (c != ' ') spec += c;
  size_t arrow = spec.find("->");
  std::string left = arrow == std::string::npos ? spec : spec.substr(0, arrow);
  size_t start = 0;
  for (size_t comma; (comma = left.find(',', start)) != std::string::npos; start = comma + 1)
    s.inputs.push_back(left.substr(start, comma - start));
  s.inputs.push_back(left.substr(start));
  if (s.inputs.size() != ranks.size())
    typing_error(span, "np.einsum: the subscripts name " + std::to_string(s.inputs.size()) + " operand(s) but " +
                           std::to_string(ranks.size()) + " were given");
  std::map<char, int> count;
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    if (static_cast<int>(s.inputs[i].size()) != ranks[i])
      typing_error(span, "np.einsum: operand " + std::to_string(i) + " has " + std::to_string(ranks[i]) +
                             " dimension(s) but its subscripts '" + s.inputs[i] + "' name " +
                             std::to_string(s.inputs[i].size()));
    for (char c : s.inputs[i]) {
      if (!std::isalpha(static_cast<unsigned char>(c))) typing_error(span, std::string("np.einsum: invalid subscript '") + c + "'");
      ++count[c];
    }
  }
  if (arrow == std::string::npos) {
    for (auto [c, n] : count)
      if (n == 1) s.output += c;
    std::sort(s.output.begin(), s.output.end());
  } else {
    s.output = spec.substr(arrow + 2);
    for (size_t i = 0; i < s.output.size(); ++i) {
      char c = s.output[i];
      if (!count.count(c))
        typing_error(span, std::string("np.einsum: output subscript '") + c + "' appears in no operand");
      if (s.output.find(c) != i) typing_error(span, std::string("np.einsum: output subscript '") + c + "' repeats");
    }
  }
  char innermost = s.inputs[0].empty() ? 0 : s.inputs[0].back();
  auto add = [&](char c) {
    if (c != innermost && s.loops.find(c) == std::string::npos) s.loops += c;
  };
  for (char c : s.output) add(c);
  for (const std::string& in : s.inputs)
    for (char c : in) add(c);
  if (innermost) s.loops += innermost;
  return s;
}

std::optional<Signature> einsum_typing(const CallSite& c) {
  if (c.args.size() < 2 || c.args.size() > 3 || c.args[0]->kind != t::TypeKind::StringLiteral) return std::nullopt;
  std::vector<int> ranks;
  const Type* dtype = nullptr;
  for (size_t i = 1; i < c.args.size(); ++i) {
    const Type* a = c.args[i];
    if (!a->is_array() || a->dtype()->is_bool()) return std::nullopt;
    ranks.push_back(a->ndim);
    dtype = dtype ? t::numpy_promote(dtype, a->dtype()) : a->dtype();
  }
  Subscripts s = parse_subscripts(c.args[0]->text, ranks, c.call.span);
  const Type* result = s.output.empty() ? dtype : t::array(dtype->scalar, static_cast<int>(s.output.size()), t::Layout::C);
  std::vector<const Type*> params{nullptr};
  for (size_t i = 1; i < c.args.size(); ++i) params.push_back(c.args[i]);
  return Signature{result, params};
}

llvm::Value* einsum_lowering(RowContext& f, const hir::Expr& e, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  std::vector<int> ranks;
  for (size_t i = 1; i < args.size(); ++i) ranks.push_back(s.params[i]->ndim);
  Subscripts sub = parse_subscripts(argument_expr(e, 0).type->text, ranks, e.span);
  const Type* dtype = s.result->is_array() ? s.result->dtype() : s.result;
  // Each subscript's extent, from its first operand axis; every other axis it names must agree.
  std::map<char, llvm::Value*> extent;
  for (size_t i = 0; i < sub.inputs.size(); ++i)
    for (size_t axis = 0; axis < sub.inputs[i].size(); ++axis) {
      char c = sub.inputs[i][axis];
      llvm::Value* n = f.array_dim(args[i + 1], codegen::kArrayShape, static_cast<unsigned>(axis));
      if (!extent.count(c)) extent[c] = n;
      else f.raise_if(b.CreateICmpNE(extent[c], n), ExceptionKind::ValueError,
                      std::string("np.einsum: operands disagree on the extent of subscript '") + c + "'");
    }
  llvm::Value* out = nullptr;
  llvm::Value* total = nullptr;
  llvm::Type* element = codegen::value_type(f.context(), dtype);
  if (s.result->is_array()) {
    std::vector<llvm::Value*> shape;
    for (char c : sub.output) shape.push_back(extent[c]);
    out = f.allocate_array(s.result, shape, true);
  } else {
    total = f.entry_alloca(element, "einsum.total");
    b.CreateStore(llvm::Constant::getNullValue(element), total);
  }
  // The element of `array` whose axes carry `subscripts`, at the current indices.
  // With `typed`, the innermost loop's subscript steps by elements rather than
  // bytes: unit-stride addressing the vectorizer can load without gathers.
  std::map<char, llvm::Value*> index;
  char innermost = sub.loops.empty() ? 0 : sub.loops.back();
  bool typed = false;
  auto element_pointer = [&](llvm::Value* array, const std::string& subscripts, const Type* element_type) {
    llvm::Value* offset = f.i64(0);
    for (size_t axis = 0; axis < subscripts.size(); ++axis)
      if (!typed || subscripts[axis] != innermost)
        offset = b.CreateAdd(offset, b.CreateMul(index[subscripts[axis]],
                                                 f.array_dim(array, codegen::kArrayStrides, static_cast<unsigned>(axis))));
    llvm::Value* p = b.CreateInBoundsGEP(b.getInt8Ty(), b.CreateExtractValue(array, codegen::kArrayData), offset);
    if (typed && subscripts.find(innermost) != std::string::npos)
      p = b.CreateInBoundsGEP(codegen::memory_type(f.context(), element_type), p, index[innermost]);
    return p;
  };
  // Whether every operand (and the output) steps by one element along the
  // innermost subscript; one naming it twice (a diagonal) never does.
  auto unit_strides = [&]() -> llvm::Value* {
    llvm::Value* all = b.getTrue();
    auto check = [&](llvm::Value* array, const std::string& subscripts, const Type* element_type) {
      size_t first = subscripts.find(innermost);
      if (first == std::string::npos) return;
      if (subscripts.find(innermost, first + 1) != std::string::npos) {
        all = b.getFalse();
        return;
      }
      llvm::Value* stride = f.array_dim(array, codegen::kArrayStrides, static_cast<unsigned>(first));
      all = b.CreateAnd(all, b.CreateICmpEQ(stride, f.i64(codegen::itemsize(element_type))));
    };
    for (size_t i = 0; i < sub.inputs.size(); ++i) check(args[i + 1], sub.inputs[i], s.params[i + 1]->dtype());
    if (out) check(out, sub.output, dtype);
    return all;
  };
  std::function<void(size_t)> nest = [&](size_t depth) {
    if (depth + 1 == sub.loops.size()) {
      llvm::Function* fn = b.GetInsertBlock()->getParent();
      llvm::BasicBlock* contiguous = llvm::BasicBlock::Create(f.context(), "einsum.contiguous", fn);
      llvm::BasicBlock* strided = llvm::BasicBlock::Create(f.context(), "einsum.strided", fn);
      llvm::BasicBlock* done = llvm::BasicBlock::Create(f.context(), "einsum.done", fn);
      b.CreateCondBr(unit_strides(), contiguous, strided);
      for (bool unit : {true, false}) {
        b.SetInsertPoint(unit ? contiguous : strided);
        typed = unit;
        f.counted_loop(extent[innermost], std::string("einsum.") + innermost, [&](llvm::Value* i) {
          index[innermost] = i;
          nest(depth + 1);
        });
        b.CreateBr(done);
      }
      typed = false;
      b.SetInsertPoint(done);
      return;
    }
    if (depth < sub.loops.size()) {
      char c = sub.loops[depth];
      f.counted_loop(extent[c], std::string("einsum.") + c, [&, c, depth](llvm::Value* i) {
        index[c] = i;
        nest(depth + 1);
      });
      return;
    }
    llvm::Value* product = nullptr;
    for (size_t i = 0; i < sub.inputs.size(); ++i) {
      const Type* at = s.params[i + 1];
      llvm::Value* v = f.cast(f.load_element(element_pointer(args[i + 1], sub.inputs[i], at->dtype()), at->dtype()), at->dtype(), dtype);
      product = product ? f.binary_numpy(hir::BinaryOp::Mul, product, v, dtype) : v;
    }
    llvm::Value* slot = out ? element_pointer(out, sub.output, dtype) : total;
    llvm::Value* sum = out ? f.load_element(slot, dtype) : b.CreateLoad(element, slot);
    sum = f.binary_numpy(hir::BinaryOp::Add, sum, product, dtype);
    // A full contraction to a scalar may sum in any order, as NumPy's SIMD
    // sum_of_products does: the loop vectorizes with several accumulators.
    if (!out)
      if (auto* add = llvm::dyn_cast<llvm::Instruction>(sum); add && llvm::isa<llvm::FPMathOperator>(add))
        add->setHasAllowReassoc(true);
    if (out) f.store_element(slot, sum, dtype);
    else b.CreateStore(sum, slot);
  };
  nest(0);
  return out ? out : b.CreateLoad(element, total);
}

}  // namespace

void register_numpy_einsum(std::vector<Builtin>& table) {
  table.push_back({"np.einsum", einsum_typing, einsum_lowering});
}

}  // namespace numjit::library
