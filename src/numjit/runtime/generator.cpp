// np.random.Generator's blocks and draws (generator.h). The numbers come from
// NumPy's libnpyrandom, the C library behind Generator's methods, so that
// each draw here is the one NumPy's method would make.
#include "numjit/runtime/generator.h"

#include <Python.h>
#include <numpy/random/distributions.h>
#include <ziggurat_constants.h>  // NumPy's tables (third_party/numpy_random, BSD-3)

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/memory.h"

namespace numjit::runtime {
namespace {

// PCG64, Generator's default bit generator, stepped inline: NumPy's
// pcg64_state points to {state, increment} as two unsigned 128-bit integers
// (pcg64.h, where the compiler has them). The layout is NumPy's own, so it is
// used only after pcg64_layout_checked() has stepped a copy of a fresh PCG64
// here and through NumPy's function and found the same numbers.
using pcg128 = unsigned __int128;
struct Pcg64Words {
  pcg128 state;
  pcg128 increment;
};
struct Pcg64State {  // NumPy's pcg64_state
  Pcg64Words* words;
  int has_uint32;
  uint32_t uinteger;
};

constexpr pcg128 kPcgMultiplier = (pcg128(2549297995355413924ULL) << 64) | 4865540595714422341ULL;

inline uint64_t pcg64_step(Pcg64Words* w) {
  w->state = w->state * kPcgMultiplier + w->increment;
  auto high = static_cast<uint64_t>(w->state >> 64);
  auto low = static_cast<uint64_t>(w->state);
  return std::rotr(high ^ low, static_cast<int>(high >> 58));
}

// Draws 64 bits through the bit generator's function pointer: any bit generator.
struct BitsThroughNumPy {
  bitgen_t* g;
  uint64_t next() { return g->next_uint64(g->state); }
  double uniform() { return g->next_double(g->state); }
  void save() {}
  void load() {}
};

// PCG64's next_double: the top 53 bits of a draw.
inline double pcg64_uniform(Pcg64Words* w) {
  return static_cast<double>(pcg64_step(w) >> 11) * (1.0 / 9007199254740992.0);
}

// The same numbers from PCG64 inline, with no call per draw.
// For one draw: stepped where they are (a copy there and back costs more).
struct BitsFromPcg64InPlace {
  Pcg64Words* words;
  uint64_t next() { return pcg64_step(words); }
  double uniform() { return pcg64_uniform(words); }
  void save() {}
  void load() {}
};

// For many: the words live in registers between save() and load(), around
// calls that draw through NumPy's functions, and at the end.
struct BitsFromPcg64 {
  Pcg64Words* home;
  Pcg64Words words = *home;
  uint64_t next() { return pcg64_step(&words); }
  double uniform() { return pcg64_uniform(&words); }
  void save() { *home = words; }
  void load() { words = *home; }
};

// next_uint64 of NumPy's PCG64 when this file's PCG64 step agrees with it, else null.
using NextUint64 = uint64_t (*)(void*);
NextUint64 pcg64_layout_checked() {
  static NextUint64 checked = []() -> NextUint64 {
    PyObject* module = PyImport_ImportModule("numpy.random");
    PyObject* reference = module ? PyObject_CallMethod(module, "PCG64", "i", 20261205) : nullptr;
    Py_XDECREF(module);
    PyObject* capsule = reference ? PyObject_GetAttrString(reference, "capsule") : nullptr;
    auto* g = capsule ? static_cast<bitgen_t*>(PyCapsule_GetPointer(capsule, "BitGenerator")) : nullptr;
    NextUint64 found = nullptr;
    if (g) {
      Pcg64Words copy = *static_cast<Pcg64State*>(g->state)->words;
      found = g->next_uint64;
      for (int i = 0; i < 8 && found; ++i)
        if (pcg64_step(&copy) != g->next_uint64(g->state) || pcg64_uniform(&copy) != g->next_double(g->state))
          found = nullptr;
    }
    Py_XDECREF(capsule);
    Py_XDECREF(reference);
    PyErr_Clear();
    return found;
  }();
  return checked;
}

struct GeneratorState {
  PyObject* object;   // the Python Generator (a reference), which keeps the bit generator alive
  bitgen_t* bitgen;   // its BitGenerator's functions and state
  Pcg64Words* pcg64;  // its PCG64 words when it is NumPy's PCG64 (checked), else null
  binomial_t binomial;  // the set-up random_binomial caches between draws of the same (n, p)
};

GeneratorState* state_of(MemInfo* block) { return static_cast<GeneratorState*>(block->data); }

void destroy_state(void* data) {
  auto* state = static_cast<GeneratorState*>(data);
  PyGILState_STATE gil = PyGILState_Ensure();
  Py_DECREF(state->object);
  PyGILState_Release(gil);
  std::free(state);
}

// The bitgen_t behind a Generator: its BitGenerator's "BitGenerator" capsule,
// the interface NumPy documents for C code drawing from it.
bitgen_t* bitgen_of(PyObject* generator) {
  PyObject* bit_generator = PyObject_GetAttrString(generator, "bit_generator");
  if (!bit_generator) return nullptr;
  PyObject* capsule = PyObject_GetAttrString(bit_generator, "capsule");
  Py_DECREF(bit_generator);
  if (!capsule) return nullptr;
  auto* bitgen = static_cast<bitgen_t*>(PyCapsule_GetPointer(capsule, "BitGenerator"));
  Py_DECREF(capsule);
  return bitgen;
}

// The rare end of a ziggurat round (about 1 in 100): the tail beyond the
// last layer, or the wedge test. True when `x` is the draw; false to draw again.
[[gnu::noinline]] bool normal_tail_or_wedge(bitgen_t* g, int layer, uint64_t magnitude, double& x) {
  if (layer == 0) {
    for (;;) {
      double xx = -ziggurat_nor_inv_r * std::log1p(-g->next_double(g->state));
      double yy = -std::log1p(-g->next_double(g->state));
      if (yy + yy > xx * xx) {
        x = ((magnitude >> 8) & 0x1) ? -(ziggurat_nor_r + xx) : ziggurat_nor_r + xx;
        return true;
      }
    }
  }
  return (fi_double[layer - 1] - fi_double[layer]) * g->next_double(g->state) + fi_double[layer] <
         std::exp(-0.5 * x * x);
}

// NumPy's ziggurat standard normal (random_standard_normal), draw for draw,
// with its sign applied by flipping the sign bit rather than by a branch: the
// sign is a random bit, so NumPy's branch mispredicts half the time, which
// made its normals three times slower than its exponentials. Inlined into
// each loop, with the rare path out of line.
template <typename Bits>
[[gnu::always_inline]] inline double standard_normal(Bits& bits, bitgen_t* g) {
  for (;;) {
    uint64_t r = bits.next();
    int layer = static_cast<int>(r & 0xff);
    r >>= 8;
    uint64_t sign = r & 0x1;
    uint64_t magnitude = (r >> 1) & 0x000fffffffffffff;
    double x = std::bit_cast<double>(std::bit_cast<uint64_t>(static_cast<double>(magnitude) * wi_double[layer]) ^
                                     (sign << 63));
    if (magnitude < ki_double[layer]) [[likely]]
      return x;
    bits.save();
    bool drawn = normal_tail_or_wedge(g, layer, magnitude, x);
    bits.load();
    if (drawn) return x;
  }
}

template <typename Bits>
bool draw_inline(numjit::abi::GeneratorDistribution distribution, Bits& bits, bitgen_t* g, double a, double b,
                 int64_t count, double* values) {
  using D = numjit::abi::GeneratorDistribution;
  switch (distribution) {
    case D::random:
      for (int64_t i = 0; i < count; ++i) values[i] = bits.uniform();
      return true;
    case D::uniform:  // NumPy's random_uniform: (low, high - low)
      for (int64_t i = 0; i < count; ++i) values[i] = a + b * bits.uniform();
      return true;
    case D::standard_normal:
      for (int64_t i = 0; i < count; ++i) values[i] = standard_normal(bits, g);
      return true;
    case D::normal:  // NumPy's random_normal
      for (int64_t i = 0; i < count; ++i) values[i] = a + b * standard_normal(bits, g);
      return true;
    default: return false;
  }
}

// The draws this file makes itself, with PCG64 inline when the generator has it.
template <typename Bits>
bool fill_inline(numjit::abi::GeneratorDistribution distribution, Bits bits, bitgen_t* g, double a, double b,
                 int64_t count, void* out) {
  bool drawn = draw_inline(distribution, bits, g, a, b, count, static_cast<double*>(out));
  bits.save();
  return drawn;
}

template <typename T, typename Draw>
void fill_with(void* out, int64_t count, Draw draw) {
  auto* values = static_cast<T*>(out);
  for (int64_t i = 0; i < count; ++i) values[i] = draw();
}

}  // namespace

MemInfo* generator_from_python(void* generator) {
  auto* object = static_cast<PyObject*>(generator);
  bitgen_t* bitgen = bitgen_of(object);
  if (!bitgen) return nullptr;
  auto* state = static_cast<GeneratorState*>(std::calloc(1, sizeof(GeneratorState)));
  auto* block = static_cast<MemInfo*>(std::malloc(sizeof(MemInfo)));
  if (!state || !block) {
    std::free(state);
    std::free(block);
    PyErr_NoMemory();
    return nullptr;
  }
  Py_INCREF(object);
  state->object = object;
  state->bitgen = bitgen;
  NextUint64 pcg64 = pcg64_layout_checked();
  if (pcg64 && bitgen->next_uint64 == pcg64) state->pcg64 = static_cast<Pcg64State*>(bitgen->state)->words;
  return container_meminfo(block, state, destroy_state);
}

void* generator_object(MemInfo* block) { return state_of(block)->object; }

}  // namespace numjit::runtime

using numjit::runtime::MemInfo;
using numjit::runtime::fill_with;
using numjit::runtime::BitsFromPcg64;
using numjit::runtime::BitsFromPcg64InPlace;
using numjit::runtime::BitsThroughNumPy;
using numjit::runtime::fill_inline;
using numjit::runtime::state_of;

extern "C" void numjit_rt_generator_fill(MemInfo* block, int32_t distribution, double a, double b, double c,
                                         int64_t count, void* out) {
  using D = numjit::abi::GeneratorDistribution;
  auto* state = state_of(block);
  bitgen_t* g = state->bitgen;
  auto inline_kind = static_cast<D>(distribution);
  bool drawn = !state->pcg64 ? fill_inline(inline_kind, BitsThroughNumPy{g}, g, a, b, count, out)
               : count == 1   ? fill_inline(inline_kind, BitsFromPcg64InPlace{state->pcg64}, g, a, b, count, out)
                              : fill_inline(inline_kind, BitsFromPcg64{state->pcg64}, g, a, b, count, out);
  if (drawn) return;
  auto doubles = [&](auto draw) { fill_with<double>(out, count, draw); };
  auto integers = [&](auto draw) { fill_with<int64_t>(out, count, draw); };
  auto floats = [&](auto draw) { fill_with<float>(out, count, draw); };
  switch (static_cast<D>(distribution)) {
    case D::random:
    case D::uniform:
    case D::standard_normal:
    case D::normal: return;  // fill_inline drew them
    case D::random_float32: random_standard_uniform_fill_f(g, count, static_cast<float*>(out)); return;
    case D::standard_normal_float32: random_standard_normal_fill_f(g, count, static_cast<float*>(out)); return;
    case D::standard_exponential: random_standard_exponential_fill(g, count, static_cast<double*>(out)); return;
    case D::standard_exponential_float32:
      random_standard_exponential_fill_f(g, count, static_cast<float*>(out));
      return;
    case D::standard_exponential_inverse:
      random_standard_exponential_inv_fill(g, count, static_cast<double*>(out));
      return;
    case D::standard_exponential_inverse_float32:
      random_standard_exponential_inv_fill_f(g, count, static_cast<float*>(out));
      return;
    case D::standard_gamma: return doubles([&] { return random_standard_gamma(g, a); });
    case D::standard_gamma_float32:
      return floats([&] { return random_standard_gamma_f(g, static_cast<float>(a)); });
    case D::exponential: return doubles([&] { return random_exponential(g, a); });
    case D::gamma: return doubles([&] { return random_gamma(g, a, b); });
    case D::beta: return doubles([&] { return random_beta(g, a, b); });
    case D::chisquare: return doubles([&] { return random_chisquare(g, a); });
    case D::f: return doubles([&] { return random_f(g, a, b); });
    case D::gumbel: return doubles([&] { return random_gumbel(g, a, b); });
    case D::laplace: return doubles([&] { return random_laplace(g, a, b); });
    case D::logistic: return doubles([&] { return random_logistic(g, a, b); });
    case D::lognormal: return doubles([&] { return random_lognormal(g, a, b); });
    case D::noncentral_chisquare: return doubles([&] { return random_noncentral_chisquare(g, a, b); });
    case D::noncentral_f: return doubles([&] { return random_noncentral_f(g, a, b, c); });
    case D::pareto: return doubles([&] { return random_pareto(g, a); });
    case D::power: return doubles([&] { return random_power(g, a); });
    case D::rayleigh: return doubles([&] { return random_rayleigh(g, a); });
    case D::standard_cauchy: return doubles([&] { return random_standard_cauchy(g); });
    case D::standard_t: return doubles([&] { return random_standard_t(g, a); });
    case D::triangular: return doubles([&] { return random_triangular(g, a, b, c); });
    case D::vonmises: return doubles([&] { return random_vonmises(g, a, b); });
    case D::wald: return doubles([&] { return random_wald(g, a, b); });
    case D::weibull: return doubles([&] { return random_weibull(g, a); });
    // NumPy passes (p, n) here, n as an integer.
    case D::binomial:
      return integers([&] { return random_binomial(g, b, static_cast<int64_t>(a), &state->binomial); });
    case D::geometric: return integers([&] { return random_geometric(g, a); });
    case D::hypergeometric:
      return integers([&] {
        return random_hypergeometric(g, static_cast<int64_t>(a), static_cast<int64_t>(b), static_cast<int64_t>(c));
      });
    case D::logseries: return integers([&] { return random_logseries(g, a); });
    case D::negative_binomial: return integers([&] { return random_negative_binomial(g, a, b); });
    case D::poisson: return integers([&] { return random_poisson(g, a); });
    case D::zipf: return integers([&] { return random_zipf(g, a); });
    case D::Count: break;
  }
}

extern "C" void numjit_rt_generator_integers(MemInfo* block, uint64_t offset, uint64_t range, int64_t count,
                                             void* out, int32_t bits) {
  bitgen_t* g = state_of(block)->bitgen;
  switch (bits) {
    case 64: random_bounded_uint64_fill(g, offset, range, count, false, static_cast<uint64_t*>(out)); return;
    case 32:
      random_bounded_uint32_fill(g, static_cast<uint32_t>(offset), static_cast<uint32_t>(range), count, false,
                                 static_cast<uint32_t*>(out));
      return;
    case 16:
      random_bounded_uint16_fill(g, static_cast<uint16_t>(offset), static_cast<uint16_t>(range), count, false,
                                 static_cast<uint16_t*>(out));
      return;
    case 8:
      random_bounded_uint8_fill(g, static_cast<uint8_t>(offset), static_cast<uint8_t>(range), count, false,
                                static_cast<uint8_t*>(out));
      return;
    default:
      random_bounded_bool_fill(g, static_cast<npy_bool>(offset), static_cast<npy_bool>(range), count, false,
                               static_cast<npy_bool*>(out));
  }
}

extern "C" uint64_t numjit_rt_generator_interval(MemInfo* block, uint64_t max) {
  return random_interval(state_of(block)->bitgen, max);
}

extern "C" MemInfo* numjit_rt_generator_new(int64_t seed, int32_t seeded) {
  PyGILState_STATE gil = PyGILState_Ensure();
  MemInfo* block = nullptr;
  PyObject* module = PyImport_ImportModule("numpy.random");
  PyObject* made = nullptr;
  if (module) {
    made = seeded ? PyObject_CallMethod(module, "default_rng", "L", static_cast<long long>(seed))
                  : PyObject_CallMethod(module, "default_rng", nullptr);
    Py_DECREF(module);
  }
  if (made) {
    block = numjit::runtime::generator_from_python(made);
    Py_DECREF(made);
  }
  if (!block) {
    PyErr_Clear();
    numjit::runtime::raise(numjit::abi::ExceptionKind::MemoryError, "np.random.default_rng() failed");
  }
  PyGILState_Release(gil);
  return block;
}
