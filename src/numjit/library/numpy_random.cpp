// np.random: seed, random/random_sample/rand, randn/standard_normal,
// normal, uniform, randint, choice, shuffle, permutation. The draws come
// from runtime/random.cpp (NumPy's legacy algorithms); arrays are filled in
// C order, as NumPy fills them, so seeded streams match element for element.
#include "numjit/library/arguments.h"
#include "numjit/library/mersenne.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;
using t::Layout;

llvm::Value* draw(RowContext& f, codegen::RuntimeFunction generator, std::vector<llvm::Value*> args = {}) {
  // random_sample inline: MT19937's words without a call per draw.
  if (generator == codegen::RuntimeFunction::random_double)
    return mersenne_double(f, mersenne_state(f, codegen::RuntimeFunction::random_state));
  return f.builder().CreateCall(codegen::runtime_function(f.module(), generator), args);
}

// An optional size= argument: absent or None gives a scalar; an int or a tuple of ints a shape.
int size_ndim(const CallSite& c, const BoundArguments& b, size_t param) {
  if (!b.has(param)) return 0;
  const Type* s = c.args[b.index[param]];
  if (s->kind == t::TypeKind::NoneType) return 0;
  int nd = shape_ndim(s);
  if (nd < 0) typing_error(c.call.span, "size must be an integer or a tuple of integers");
  return nd;
}

std::vector<llvm::Value*> shape_from(RowContext& f, llvm::Value* v, const Type* type) {
  if (type->kind != t::TypeKind::Tuple) return {f.cast(v, type, t::int64())};
  std::vector<llvm::Value*> out;
  for (unsigned i = 0; i < type->elements.size(); ++i)
    out.push_back(f.cast(f.builder().CreateExtractValue(v, i), type->elements[i], t::int64()));
  return out;
}

// One value per element (or one scalar when the result is not an array).
llvm::Value* generate(RowContext& f, const Type* result, std::vector<llvm::Value*> shape,
                      const std::function<llvm::Value*()>& one) {
  if (!result->is_array()) return one();
  auto& b = f.builder();
  llvm::Value* out = f.allocate_array(result, shape, false);
  llvm::Value* data = b.CreateExtractValue(out, codegen::kArrayData);
  const Type* dtype = result->dtype();
  f.counted_loop(f.array_size(out, result), "random", [&](llvm::Value* i) {
    f.store_element(b.CreateInBoundsGEP(codegen::memory_type(f.context(), dtype), data, i), one(), dtype);
  });
  return out;
}

// Distributions with (a, b, size) parameters: normal(loc, scale, size), uniform(low, high, size),
// and the parameterless random(size) / standard_normal(size).
Builtin distribution(const std::string& name, std::vector<const char*> params, std::vector<double> defaults, bool gaussian) {
  TypingRule typing = [params](const CallSite& c) -> std::optional<Signature> {
    std::optional<BoundArguments> b;
    if (params.size() == 3) b = bind(c, {params[0], params[1], params[2]});
    else b = bind(c, {params[0]});
    if (!b) return std::nullopt;
    for (size_t p = 0; p + 1 < params.size(); ++p)
      if (b->has(p) && (!c.args[b->index[p]]->is_scalar() || c.args[b->index[p]]->is_complex())) return std::nullopt;
    int nd = size_ndim(c, *b, params.size() - 1);
    return Signature{nd ? t::array(abi::ScalarKind::Float64, nd, Layout::C) : t::float64(), {}};
  };
  LoweringRule lowering = [params, defaults, gaussian](RowContext& f, const hir::Expr& call, const Signature& s,
                                                       std::vector<llvm::Value*> args) {
    std::optional<BoundArguments> bound = bound_arguments(s);
    auto& b = f.builder();
    auto param = [&](size_t p) -> llvm::Value* {
      if (bound->has(p)) return f.cast(args[bound->index[p]], s.args[bound->index[p]], t::float64());
      return llvm::ConstantFP::get(b.getDoubleTy(), defaults[p]);
    };
    llvm::Value* a = params.size() == 3 ? param(0) : nullptr;
    llvm::Value* c = params.size() == 3 ? param(1) : nullptr;
    size_t size_param = params.size() - 1;
    std::vector<llvm::Value*> shape;
    if (s.result->is_array()) shape = shape_from(f, args[bound->index[size_param]], s.args[bound->index[size_param]]);
    return generate(f, s.result, shape, [&]() -> llvm::Value* {
      llvm::Value* x = draw(f, gaussian ? codegen::RuntimeFunction::random_gauss : codegen::RuntimeFunction::random_double);
      if (!a) return x;
      // normal: loc + scale * gauss; uniform: low + (high - low) * u, as NumPy's legacy code computes them
      return gaussian ? b.CreateFAdd(a, b.CreateFMul(c, x)) : b.CreateFAdd(a, b.CreateFMul(b.CreateFSub(c, a), x));
    });
  };
  return Builtin{name, typing, lowering, true};
}

// rand(d0, d1, ...) / randn(d0, d1, ...): dimensions as separate arguments.
Builtin by_dimensions(const std::string& name, bool gaussian) {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    for (const Type* a : c.args)
      if (!a->is_integer()) return std::nullopt;
    int nd = static_cast<int>(c.args.size());
    return Signature{nd ? t::array(abi::ScalarKind::Float64, nd, Layout::C) : t::float64(), {}};
  };
  LoweringRule lowering = [gaussian](RowContext& f, const hir::Expr& call, const Signature& s,
                                     std::vector<llvm::Value*> args) {
    std::vector<llvm::Value*> shape;
    for (size_t i = 0; i < args.size(); ++i) shape.push_back(f.cast(args[i], argument_expr(call, i).type, t::int64()));
    return generate(f, s.result, shape, [&] {
      return draw(f, gaussian ? codegen::RuntimeFunction::random_gauss : codegen::RuntimeFunction::random_double);
    });
  };
  return Builtin{name, typing, lowering};
}

// randint(low, high=None, size=None): int64 in [low, high) (or [0, low)).
std::optional<Signature> randint_typing(const CallSite& c) {
  auto b = bind(c, {"low", "high", "size"});
  if (!b || !b->has(0)) return std::nullopt;
  for (size_t p = 0; p < 2; ++p)
    if (b->has(p) && !c.args[b->index[p]]->is_integer() && c.args[b->index[p]]->kind != t::TypeKind::NoneType)
      return std::nullopt;
  int nd = size_ndim(c, *b, 2);
  return Signature{nd ? t::array(abi::ScalarKind::Int64, nd, Layout::C) : t::int64(), {}};
}

llvm::Value* randint_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  BoundArguments bound = bound_arguments(s);
  llvm::Value* low = f.cast(args[bound.index[0]], s.args[bound.index[0]], t::int64());
  llvm::Value* high;
  if (bound.has(1) && s.args[bound.index[1]]->kind != t::TypeKind::NoneType) {
    high = f.cast(args[bound.index[1]], s.args[bound.index[1]], t::int64());
  } else {
    high = low;
    low = f.i64(0);
  }
  f.raise_if(b.CreateICmpSLE(high, low), abi::ExceptionKind::ValueError, "high <= low");
  std::vector<llvm::Value*> shape;
  if (s.result->is_array()) shape = shape_from(f, args[bound.index[2]], s.args[bound.index[2]]);
  return generate(f, s.result, shape, [&] { return draw(f, codegen::RuntimeFunction::random_randint, {low, high}); });
}

// seed(s)
std::optional<Signature> seed_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_integer()) return std::nullopt;
  return Signature{t::none(), {t::int64()}};
}

llvm::Value* seed_lowering(RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  f.raise_if(b.CreateICmpUGT(args[0], f.i64(0xffffffffLL)), abi::ExceptionKind::ValueError,
             "Seed must be between 0 and 2**32 - 1");
  draw(f, codegen::RuntimeFunction::random_seed, {b.CreateTrunc(args[0], b.getInt32Ty())});
  return b.getInt8(0);
}

// shuffle(x): Fisher-Yates from the end, swapping along the first axis, as NumPy's legacy shuffle.
void shuffle_array(RowContext& f, llvm::Value* x, const Type* xt) {
  auto& b = f.builder();
  llvm::Value* n = f.array_dim(x, codegen::kArrayShape, 0);
  llvm::Value* stride = f.array_dim(x, codegen::kArrayStrides, 0);
  llvm::Value* data = b.CreateExtractValue(x, codegen::kArrayData);
  const Type* dtype = xt->dtype();
  f.raise_if(b.CreateICmpSGT(f.i64(xt->ndim), f.i64(1)), abi::ExceptionKind::ValueError, "");
  f.counted_loop(b.CreateSub(n, f.i64(1)), "shuffle", [&](llvm::Value* k) {
    llvm::Value* i = b.CreateSub(b.CreateSub(n, f.i64(1)), k);  // n-1 down to 1
    llvm::Value* j = draw(f, codegen::RuntimeFunction::random_interval, {i});
    llvm::Value* pi = b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(i, stride));
    llvm::Value* pj = b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(j, stride));
    llvm::Value* vi = f.load_element(pi, dtype);
    llvm::Value* vj = f.load_element(pj, dtype);
    f.store_element(pi, vj, dtype);
    f.store_element(pj, vi, dtype);
  });
}

std::optional<Signature> shuffle_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_array() || c.args[0]->ndim != 1 || c.args[0]->readonly) return std::nullopt;
  return Signature{t::none(), {c.args[0]}};
}

llvm::Value* shuffle_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  shuffle_array(f, args[0], s.params[0]);
  return f.builder().getInt8(0);
}

// permutation(n) = shuffle(arange(n)); permutation(a) = a shuffled copy.
std::optional<Signature> permutation_typing(const CallSite& c) {
  if (c.args.size() != 1) return std::nullopt;
  const Type* a = c.args[0];
  if (a->is_integer()) return Signature{t::array(abi::ScalarKind::Int64, 1, Layout::C), {t::int64()}};
  if (a->is_array() && a->ndim == 1) return Signature{t::array(a->scalar, 1, Layout::C), {a}};
  return std::nullopt;
}

llvm::Value* permutation_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::Value* out;
  if (s.params[0]->is_integer()) {
    out = f.allocate_array(s.result, {args[0]}, false);
    llvm::Value* data = b.CreateExtractValue(out, codegen::kArrayData);
    f.counted_loop(args[0], "arange", [&](llvm::Value* i) { b.CreateStore(i, b.CreateInBoundsGEP(b.getInt64Ty(), data, i)); });
  } else {
    out = f.copy_as(args[0], s.params[0], s.result->dtype());
    f.incref(out, s.result);
  }
  shuffle_array(f, out, s.result);
  return out;
}

// choice(a, size=None): uniform draws from range(a) or a 1-D array, with replacement.
std::optional<Signature> choice_typing(const CallSite& c) {
  auto b = bind(c, {"a", "size"});
  if (!b || !b->has(0)) return std::nullopt;
  const Type* a = c.args[b->index[0]];
  const Type* item = a->is_integer() ? t::int64() : a->is_array() && a->ndim == 1 ? a->dtype() : nullptr;
  if (!item) return std::nullopt;
  int nd = size_ndim(c, *b, 1);
  return Signature{nd ? t::array(item->scalar, nd, Layout::C) : item, {}};
}

llvm::Value* choice_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  BoundArguments bound = bound_arguments(s);
  const Type* at = s.args[bound.index[0]];
  llvm::Value* a = args[bound.index[0]];
  llvm::Value* n = at->is_integer() ? f.cast(a, at, t::int64()) : f.array_dim(a, codegen::kArrayShape, 0);
  f.raise_if(b.CreateICmpSLE(n, f.i64(0)), abi::ExceptionKind::ValueError, "a must be greater than 0 unless no samples are taken");
  std::vector<llvm::Value*> shape;
  if (s.result->is_array()) shape = shape_from(f, args[bound.index[1]], s.args[bound.index[1]]);
  return generate(f, s.result, shape, [&]() -> llvm::Value* {
    llvm::Value* k = draw(f, codegen::RuntimeFunction::random_randint, {f.i64(0), n});
    if (at->is_integer()) return k;
    llvm::Value* p = b.CreateGEP(b.getInt8Ty(), b.CreateExtractValue(a, codegen::kArrayData),
                                 b.CreateMul(k, f.array_dim(a, codegen::kArrayStrides, 0)));
    return f.load_element(p, at->dtype());
  });
}

}  // namespace

void register_numpy_random(std::vector<Builtin>& table) {
  table.push_back(Builtin{"np.random.seed", seed_typing, seed_lowering});
  for (const char* name : {"np.random.random", "np.random.random_sample", "np.random.sample", "np.random.ranf"})
    table.push_back(distribution(name, {"size"}, {}, false));
  table.push_back(distribution("np.random.standard_normal", {"size"}, {}, true));
  table.push_back(distribution("np.random.normal", {"loc", "scale", "size"}, {0.0, 1.0}, true));
  table.push_back(distribution("np.random.uniform", {"low", "high", "size"}, {0.0, 1.0}, false));
  table.push_back(by_dimensions("np.random.rand", false));
  table.push_back(by_dimensions("np.random.randn", true));
  table.push_back(Builtin{"np.random.randint", randint_typing, randint_lowering, true});
  table.push_back(Builtin{"np.random.choice", choice_typing, choice_lowering, true});
  table.push_back(Builtin{"np.random.shuffle", shuffle_typing, shuffle_lowering});
  table.push_back(Builtin{"np.random.permutation", permutation_typing, permutation_lowering});
}

}  // namespace numjit::library
