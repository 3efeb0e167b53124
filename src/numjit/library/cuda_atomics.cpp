// cuda.atomic.*(ary, idx, val): one atomic instruction on the element
// (blocks run on several threads at once on the CPU too), which returns the
// element's old value, as CUDA's atomics do; and cuda.syncthreads() in a
// kernel compiled for the GPU (python/numjit/cuda/ptx.py), a bar.sync (on
// the CPU a barrier is where barriers.py cuts the kernel, never a call);
// and cuda.raise_on_gpu(code), what `raise` becomes in a GPU kernel.
//
// - add, sub, exch, and_, or_, xor: atomicrmw (floats: fadd/fsub/xchg);
// - max, min: Python's max(old, val) (an old NaN stays, a new NaN is not
//   taken), nanmax, nanmin: NaN as a missing value; integers: atomicrmw
//   max/min (umax/umin when unsigned), floats: a compare-and-swap loop;
// - cas(ary, idx, old, val) and compare_and_swap(ary, old, val) (element 0):
//   cmpxchg on integers.
// The index is an integer or a tuple of one per dimension; negative indices
// count from the end; as for plain indexing, there is no bounds check.
#include <llvm/IR/IntrinsicsNVPTX.h>

#include "numjit/codegen/gpu_raise.h"
#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"

namespace numjit::library {
namespace {

namespace t = types;

enum class Operation { Add, Sub, Max, Min, NanMax, NanMin, Exchange, And, Or, Xor, CompareAndSwap };

bool integer_only(Operation op) {
  return op == Operation::And || op == Operation::Or || op == Operation::Xor || op == Operation::CompareAndSwap;
}

const Type* index_type_for(const Type* array, const Type* index) {
  if (index->is_integer() && array->ndim == 1) return t::int64();
  if (index->kind == types::TypeKind::Tuple && index->elements.size() == static_cast<size_t>(array->ndim)) {
    for (const Type* e : index->elements)
      if (!e->is_integer()) return nullptr;
    return index;
  }
  return nullptr;
}

// The address of ary[idx] (idx already converted to index_type_for's type).
llvm::Value* element_address(RowContext& f, llvm::Value* array, const Type* array_type, llvm::Value* index,
                             const Type* index_type) {
  auto& b = f.builder();
  llvm::Value* offset = f.i64(0);
  for (int d = 0; d < array_type->ndim; ++d) {
    llvm::Value* i = index_type->is_integer() ? index : b.CreateExtractValue(index, static_cast<unsigned>(d));
    i = f.cast(i, index_type->is_integer() ? index_type : index_type->elements[static_cast<size_t>(d)], t::int64());
    llvm::Value* extent = f.array_dim(array, codegen::kArrayShape, static_cast<unsigned>(d));
    i = b.CreateSelect(b.CreateICmpSLT(i, f.i64(0)), b.CreateAdd(i, extent), i);
    offset = b.CreateAdd(offset, b.CreateMul(i, f.array_dim(array, codegen::kArrayStrides, static_cast<unsigned>(d))));
  }
  return b.CreateGEP(b.getInt8Ty(), b.CreateExtractValue(array, codegen::kArrayData), offset);
}

// The element's new value for max/min and their NaN-ignoring forms.
llvm::Value* float_extreme(llvm::IRBuilder<>& b, Operation op, llvm::Value* old, llvm::Value* val) {
  bool max = op == Operation::Max || op == Operation::NanMax;
  if (op == Operation::NanMax || op == Operation::NanMin)
    return b.CreateBinaryIntrinsic(max ? llvm::Intrinsic::maxnum : llvm::Intrinsic::minnum, old, val);
  llvm::Value* better = max ? b.CreateFCmpOGT(val, old) : b.CreateFCmpOLT(val, old);  // false when either is NaN
  return b.CreateSelect(better, val, old);
}

// A float max/min: compare-and-swap on the bits until no other thread got in between.
llvm::Value* float_extreme_loop(RowContext& f, Operation op, llvm::Value* address, llvm::Value* val) {
  auto& b = f.builder();
  llvm::Type* bits = b.getIntNTy(val->getType()->getPrimitiveSizeInBits());
  llvm::BasicBlock* entry = b.GetInsertBlock();
  llvm::Value* first = b.CreateLoad(bits, address);
  llvm::cast<llvm::LoadInst>(first)->setAtomic(llvm::AtomicOrdering::Monotonic);
  llvm::BasicBlock* retry = f.new_block("atomic.extreme.retry");
  llvm::BasicBlock* done = f.new_block("atomic.extreme.done");
  b.CreateBr(retry);
  b.SetInsertPoint(retry);
  llvm::PHINode* seen = b.CreatePHI(bits, 2);
  seen->addIncoming(first, entry);
  llvm::Value* wanted = b.CreateBitCast(float_extreme(b, op, b.CreateBitCast(seen, val->getType()), val), bits);
  llvm::Value* swap = b.CreateAtomicCmpXchg(address, seen, wanted, llvm::MaybeAlign(), llvm::AtomicOrdering::SequentiallyConsistent,
                                            llvm::AtomicOrdering::SequentiallyConsistent);
  llvm::Value* now = b.CreateExtractValue(swap, 0);
  seen->addIncoming(now, b.GetInsertBlock());
  b.CreateCondBr(b.CreateExtractValue(swap, 1), done, retry);
  b.SetInsertPoint(done);
  return b.CreateBitCast(seen, val->getType());
}

llvm::AtomicRMWInst::BinOp rmw_operation(Operation op, const Type* dtype) {
  using R = llvm::AtomicRMWInst;
  bool floating = dtype->is_float();
  bool is_signed = dtype->is_signed();
  switch (op) {
    case Operation::Add: return floating ? R::FAdd : R::Add;
    case Operation::Sub: return floating ? R::FSub : R::Sub;
    case Operation::Max:
    case Operation::NanMax: return is_signed ? R::Max : R::UMax;
    case Operation::Min:
    case Operation::NanMin: return is_signed ? R::Min : R::UMin;
    case Operation::Exchange: return R::Xchg;
    case Operation::And: return R::And;
    case Operation::Or: return R::Or;
    case Operation::Xor: return R::Xor;
    default: return R::BAD_BINOP;
  }
}

Builtin atomic_row(const char* name, Operation op) {
  std::string what = std::string("cuda.atomic.") + name;
  TypingRule typing = [op, what](const CallSite& c) -> std::optional<Signature> {
    bool compare = op == Operation::CompareAndSwap;
    bool first_element = compare && what.ends_with("compare_and_swap");
    size_t arity = first_element ? 3 : compare ? 4 : 3;
    if (c.args.size() != arity) return std::nullopt;
    const Type* array = c.args[0];
    if (!array->is_array() || array->readonly)
      typing_error(c.call.span, what + "() takes a writable array first, not " + array->name);
    const Type* dtype = array->dtype();
    bool integer = dtype->is_integer() && dtype->bits() >= 32;
    if (!(integer || (dtype->is_float() && !integer_only(op))))
      typing_error(c.call.span, what + "() works on " +
                                    (integer_only(op) ? "int32, int64, uint32 and uint64" : "32- and 64-bit integers and floats") +
                                    " arrays, not " + dtype->name);
    std::vector<const Type*> params{array};
    if (!first_element) {
      const Type* index = index_type_for(array, c.args[1]);
      if (!index)
        typing_error(c.call.span, what + "() indexes its " + std::to_string(array->ndim) +
                                      "-d array with " + (array->ndim == 1 ? "an integer" : "a tuple of integers") +
                                      ", not " + c.args[1]->name);
      params.push_back(index);
    }
    for (size_t k = params.size(); k < arity; ++k) {
      if (!c.args[k]->is_number() || c.args[k]->is_complex())
        typing_error(c.call.span, what + "() takes a number to combine with the element, not " + c.args[k]->name);
      params.push_back(dtype);
    }
    return Signature{dtype, params};
  };
  LoweringRule lowering = [op, what](RowContext& f, const hir::Expr&, const Signature& s,
                                     std::vector<llvm::Value*> args) -> llvm::Value* {
    auto& b = f.builder();
    const Type* array = s.params[0];
    const Type* dtype = array->dtype();
    bool first_element = what.ends_with("compare_and_swap");
    llvm::Value* address = first_element ? b.CreateExtractValue(args[0], codegen::kArrayData)
                                         : element_address(f, args[0], array, args[1], s.params[1]);
    llvm::Value* val = args.back();
    if (op == Operation::CompareAndSwap) {
      llvm::Value* expected = args[args.size() - 2];
      llvm::Value* swap = b.CreateAtomicCmpXchg(address, expected, val, llvm::MaybeAlign(),
                                                llvm::AtomicOrdering::SequentiallyConsistent,
                                                llvm::AtomicOrdering::SequentiallyConsistent);
      return b.CreateExtractValue(swap, 0);
    }
    bool extreme = op == Operation::Max || op == Operation::Min || op == Operation::NanMax || op == Operation::NanMin;
    if (extreme && dtype->is_float()) return float_extreme_loop(f, op, address, val);
    return b.CreateAtomicRMW(rmw_operation(op, dtype), address, val, llvm::MaybeAlign(),
                             llvm::AtomicOrdering::SequentiallyConsistent);
  };
  return Builtin{what, typing, lowering};
}

std::optional<Signature> local_array_typing(const CallSite& c) {
  if (c.args.size() != 2) return std::nullopt;
  std::optional<int64_t> count = constant_int(argument_expr(c.call, 0));
  const Type* dtype = dtype_argument(argument_expr(c.call, 1));
  if (!count || *count < 0 || !dtype || !c.args[0]->is_integer()) return std::nullopt;
  return Signature{t::array(dtype->scalar, 1, t::Layout::C), {}};
}

llvm::Value* local_array_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*>) {
  auto& b = f.builder();
  int64_t count = *constant_int(argument_expr(call, 0));
  const Type* dtype = s.result->dtype();
  llvm::Type* element = codegen::memory_type(f.context(), dtype);
  llvm::AllocaInst* storage = f.entry_alloca(llvm::ArrayType::get(element, static_cast<uint64_t>(count)), "local.array");
  storage->setAlignment(llvm::Align(16));
  llvm::Value* array = llvm::Constant::getNullValue(codegen::value_type(f.context(), s.result));
  array = b.CreateInsertValue(array, storage, codegen::kArrayData);
  array = b.CreateInsertValue(array, f.i64(count), {codegen::kArrayShape, 0u});
  return b.CreateInsertValue(array, f.i64(codegen::itemsize(dtype)), {codegen::kArrayStrides, 0u});
}

// The thread keeps the first code in the flag and exits (PTX `exit`): it takes no further part,
// as a thread that returned. What follows the call is left unreachable.
llvm::Value* raise_on_gpu_lowering(RowContext& f, const hir::Expr& call, const Signature&, std::vector<llvm::Value*>) {
  auto& b = f.builder();
  codegen::emit_gpu_raise(b, f.module(), static_cast<int32_t>(*constant_int(argument_expr(call, 0))));
  b.CreateUnreachable();
  llvm::Function* function = b.GetInsertBlock()->getParent();
  b.SetInsertPoint(llvm::BasicBlock::Create(f.context(), "after.raise", function));
  return llvm::UndefValue::get(b.getInt8Ty());
}

}  // namespace

void register_cuda_atomics(std::vector<Builtin>& table) {
  table.push_back(Builtin{"cuda.local.array", local_array_typing, local_array_lowering});
  table.push_back(Builtin{"cuda.raise_on_gpu",
                          [](const CallSite& c) -> std::optional<Signature> {
                            std::optional<int64_t> code = constant_int(argument_expr(c.call, 0));
                            if (c.args.size() != 1 || !code || *code <= 0) return std::nullopt;
                            return Signature{t::none(), {}};
                          },
                          raise_on_gpu_lowering});
  const std::pair<const char*, Operation> rows[] = {
      {"add", Operation::Add},       {"sub", Operation::Sub},         {"max", Operation::Max},
      {"min", Operation::Min},       {"nanmax", Operation::NanMax},   {"nanmin", Operation::NanMin},
      {"exch", Operation::Exchange}, {"and_", Operation::And},        {"or_", Operation::Or},
      {"xor", Operation::Xor},       {"cas", Operation::CompareAndSwap}, {"compare_and_swap", Operation::CompareAndSwap}};
  for (const auto& [name, op] : rows) table.push_back(atomic_row(name, op));
  table.push_back(Builtin{"cuda.syncthreads",
                          [](const CallSite& c) -> std::optional<Signature> {
                            if (!c.args.empty()) return std::nullopt;
                            return Signature{t::none(), {}};
                          },
                          [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*>) {
                            f.builder().CreateIntrinsic(llvm::Intrinsic::nvvm_barrier0, {}, {});
                            return llvm::UndefValue::get(f.builder().getInt8Ty());
                          }});
}

}  // namespace numjit::library
