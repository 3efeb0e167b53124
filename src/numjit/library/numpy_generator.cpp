// np.random.Generator: np.random.default_rng, and the internal draws the
// methods written in Python (python/numjit/library/generator.py) are built
// on. Each draw calls the runtime (runtime/generator.cpp), which runs NumPy's
// own distribution functions on the Generator's bit generator, so streams
// equal NumPy's and the Python object's state advances with them.
#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;
using codegen::RuntimeFunction;
using Distribution = abi::GeneratorDistribution;

struct DistributionRow {
  const char* name;
  char result;  // D float64, F float32, I int64
};
constexpr DistributionRow kDistributions[] = {
#define NUMJIT_GENERATOR_DISTRIBUTION(name, result) {#name, #result[0]},
    NUMJIT_GENERATOR_DISTRIBUTIONS(NUMJIT_GENERATOR_DISTRIBUTION)
#undef NUMJIT_GENERATOR_DISTRIBUTION
};

// The distribution a string literal names, or -1.
int distribution_number(const Type* name) {
  if (name->kind != t::TypeKind::StringLiteral) return -1;
  for (int i = 0; i < static_cast<int>(Distribution::Count); ++i)
    if (name->text == kDistributions[i].name) return i;
  return -1;
}

const Type* distribution_result(int number) {
  switch (kDistributions[number].result) {
    case 'F': return t::scalar(abi::ScalarKind::Float32);
    case 'I': return t::int64();
    default: return t::float64();
  }
}

bool is_generator(const Type* a) { return a->kind == t::TypeKind::Generator; }
bool is_real(const Type* a) { return a->is_scalar() && !a->is_complex(); }

llvm::Value* call_runtime(RowContext& f, RuntimeFunction fn, std::vector<llvm::Value*> args) {
  return f.builder().CreateCall(codegen::runtime_function(f.module(), fn), args);
}

// The (generator, distribution, a, b, c) prefix of a fill's arguments.
std::vector<llvm::Value*> draw_arguments(RowContext& f, const Signature& s, const std::vector<llvm::Value*>& args,
                                         int number) {
  std::vector<llvm::Value*> out{args[0], f.builder().getInt32(number)};
  for (int i = 2; i < 5; ++i) out.push_back(f.cast(args[i], s.params[i], t::float64()));
  return out;
}

// numjit.generator_draw(g, "normal", a, b, c): one draw.
std::optional<Signature> draw_typing(const CallSite& c) {
  if (c.args.size() != 5 || !is_generator(c.args[0])) return std::nullopt;
  int number = distribution_number(c.args[1]);
  if (number < 0 || !is_real(c.args[2]) || !is_real(c.args[3]) || !is_real(c.args[4])) return std::nullopt;
  return Signature{distribution_result(number), {c.args[0], nullptr, t::float64(), t::float64(), t::float64()}};
}

llvm::Value* draw_lowering(RowContext& f, const hir::Expr& e, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  int number = distribution_number(argument_expr(e, 1).type);
  llvm::Type* result = codegen::value_type(f.context(), s.result);
  llvm::Value* slot = f.entry_alloca(result, "generator.draw");
  std::vector<llvm::Value*> call = draw_arguments(f, s, args, number);
  call.push_back(f.i64(1));
  call.push_back(slot);
  call_runtime(f, RuntimeFunction::generator_fill, call);
  return b.CreateLoad(result, slot);
}

// numjit.generator_fill(g, "normal", a, b, c, out): fills a C-contiguous array.
std::optional<Signature> fill_typing(const CallSite& c) {
  if (c.args.size() != 6 || !is_generator(c.args[0]) || !c.args[5]->is_array()) return std::nullopt;
  int number = distribution_number(c.args[1]);
  if (number < 0 || !is_real(c.args[2]) || !is_real(c.args[3]) || !is_real(c.args[4])) return std::nullopt;
  if (c.args[5]->dtype() != distribution_result(number) || c.args[5]->layout != t::Layout::C) return std::nullopt;
  return Signature{t::none(), {c.args[0], nullptr, t::float64(), t::float64(), t::float64(), c.args[5]}};
}

llvm::Value* fill_lowering(RowContext& f, const hir::Expr& e, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  std::vector<llvm::Value*> call = draw_arguments(f, s, args, distribution_number(argument_expr(e, 1).type));
  call.push_back(f.array_size(args[5], s.params[5]));
  call.push_back(b.CreateExtractValue(args[5], codegen::kArrayData));
  call_runtime(f, RuntimeFunction::generator_fill, call);
  return b.getInt8(0);
}

// Generator.integers' draws in [offset, offset + range] for an integer or
// bool dtype: numjit.generator_integers(g, offset, range, out) fills `out`;
// numjit.generator_integer(g, offset, range, dtype) returns one of that dtype.
int integer_bits(const Type* dtype) { return dtype->is_bool() ? 1 : dtype->bits(); }

// The dtype an integers draw makes: `out`'s, or the dtype value (np.int32) given.
const Type* integers_dtype(const CallSite& c, bool fill) {
  const Type* last = c.args[3];
  if (fill) return last->is_array() && last->layout == t::Layout::C ? last->dtype() : nullptr;
  return last->kind == t::TypeKind::Opaque ? dtype_argument(argument_expr(c.call, 3)) : nullptr;
}

std::optional<Signature> integers_typing(const CallSite& c, bool fill) {
  if (c.args.size() != 4 || !is_generator(c.args[0])) return std::nullopt;
  const Type* dtype = integers_dtype(c, fill);
  if (!dtype || !(dtype->is_integer() || dtype->is_bool())) return std::nullopt;
  if (!c.args[1]->is_integer() || !c.args[2]->is_integer()) return std::nullopt;
  return Signature{fill ? t::none() : dtype, {c.args[0], t::uint64(), t::uint64(), fill ? c.args[3] : nullptr}};
}

llvm::Value* integers_lowering(RowContext& f, const Signature& s, std::vector<llvm::Value*> args, bool fill) {
  auto& b = f.builder();
  const Type* dtype = fill ? s.params[3]->dtype() : s.result;
  llvm::Value* count = fill ? f.array_size(args[3], s.params[3]) : f.i64(1);
  llvm::Value* out = fill ? b.CreateExtractValue(args[3], codegen::kArrayData)
                          : f.entry_alloca(codegen::memory_type(f.context(), dtype), "generator.integer");
  call_runtime(f, RuntimeFunction::generator_integers,
               {args[0], args[1], args[2], count, out, b.getInt32(integer_bits(dtype))});
  if (fill) return b.getInt8(0);
  llvm::Value* value = b.CreateLoad(codegen::memory_type(f.context(), dtype), out);
  return dtype->is_bool() ? b.CreateICmpNE(value, b.getInt8(0)) : value;
}

// np.random.default_rng() / default_rng(None) / default_rng(seed).
std::optional<Signature> default_rng_typing(const CallSite& c) {
  if (c.args.empty()) return Signature{t::numpy_random_generator(), {}};
  if (c.args.size() != 1) return std::nullopt;
  const Type* seed = c.args[0];
  if (seed->kind == t::TypeKind::NoneType) return Signature{t::numpy_random_generator(), {seed}};
  if (!seed->is_integer() && !seed->is_bool()) return std::nullopt;
  return Signature{t::numpy_random_generator(), {t::int64()}};
}

llvm::Value* default_rng_lowering(RowContext& f, const hir::Expr&, const Signature& s,
                                  std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  bool seeded = !args.empty() && s.params[0]->kind != t::TypeKind::NoneType;
  if (seeded) f.raise_if(b.CreateICmpSLT(args[0], f.i64(0)), ExceptionKind::ValueError, "expected non-negative integer");
  llvm::Value* block = call_runtime(f, RuntimeFunction::generator_new, {seeded ? args[0] : f.i64(0), b.getInt32(seeded)});
  f.raise_if(b.CreateIsNull(block), ExceptionKind::MemoryError, "np.random.default_rng() failed");
  return block;
}

}  // namespace

void register_numpy_generator(std::vector<Builtin>& table) {
  table.push_back({"np.random.default_rng", default_rng_typing, default_rng_lowering});
  table.push_back({"numjit.generator_draw", draw_typing, draw_lowering});
  table.push_back({"numjit.generator_fill", fill_typing, fill_lowering});
  table.push_back({"numjit.generator_integers", [](const CallSite& c) { return integers_typing(c, true); },
                   [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
                     return integers_lowering(f, s, std::move(args), true);
                   }});
  table.push_back({"numjit.generator_integer", [](const CallSite& c) { return integers_typing(c, false); },
                   [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
                     return integers_lowering(f, s, std::move(args), false);
                   }});
  table.push_back({"numjit.generator_interval",
                   [](const CallSite& c) -> std::optional<Signature> {
                     if (c.args.size() != 2 || !is_generator(c.args[0]) || !c.args[1]->is_integer()) return std::nullopt;
                     return Signature{t::int64(), {c.args[0], t::uint64()}};
                   },
                   [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
                     return call_runtime(f, RuntimeFunction::generator_interval, {args[0], args[1]});
                   }});
}

}  // namespace numjit::library
