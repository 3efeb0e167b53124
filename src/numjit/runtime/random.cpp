#include "numjit/runtime/random.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <random>

namespace {

constexpr int kStateLength = numjit::abi::kMersenneWords;

struct State {
  uint32_t key[kStateLength];
  int32_t pos = kStateLength + 1;  // > length: not seeded yet
  bool has_gauss = false;
  double gauss = 0.0;
};
static_assert(offsetof(State, pos) == numjit::abi::kMersennePositionOffset, "compiled code reads pos there");

// Each thread's states are on the heap, reached through one pointer per
// thread in the initial-exec TLS model: a draw then reads a register-relative
// slot instead of calling __tls_get_addr (the states themselves, 2.5 KiB each,
// are too large for the static TLS space a dlopen()ed library may take).
struct ThreadStates {
  State numpy;
  State python;  // Python's random module; `gauss` is its gauss_next
};

__attribute__((tls_model("initial-exec"))) thread_local ThreadStates* tls_states = nullptr;

ThreadStates& thread_states() {
  ThreadStates* s = tls_states;
  if (__builtin_expect(s == nullptr, 0)) {
    // Freed with the thread: the destructor of a thread_local owner.
    thread_local std::unique_ptr<ThreadStates> owner = std::make_unique<ThreadStates>();
    s = tls_states = owner.get();
  }
  return *s;
}

void seed_state(State& s, uint32_t seed) {
  for (int i = 0; i < kStateLength; ++i) {
    s.key[i] = seed;
    seed = 1812433253u * (seed ^ (seed >> 30)) + static_cast<uint32_t>(i) + 1;
  }
  s.pos = kStateLength;
  s.has_gauss = false;
  s.gauss = 0.0;
}

// The standard MT19937 twist of the whole state, word i from words i, i + 1
// and i + 397 (mod 624, the later ones already twisted). Split where the
// indices wrap, each loop has fixed offsets and no branch, so it vectorizes.
void twist(State& s) {
  constexpr int kShift = 397;
  uint32_t* mt = s.key;
  auto mix = [](uint32_t word, uint32_t next, uint32_t far) {
    uint32_t y = (word & 0x80000000u) | (next & 0x7fffffffu);
    return far ^ (y >> 1) ^ ((0u - (y & 1u)) & 0x9908b0dfu);
  };
  int i = 0;
  for (; i < kStateLength - kShift; ++i) mt[i] = mix(mt[i], mt[i + 1], mt[i + kShift]);
  for (; i < kStateLength - 1; ++i) mt[i] = mix(mt[i], mt[i + 1], mt[i + kShift - kStateLength]);
  mt[kStateLength - 1] = mix(mt[kStateLength - 1], mt[0], mt[kShift - 1]);
  s.pos = 0;
}

State& state() {
  State& s = thread_states().numpy;
  if (s.pos > kStateLength) seed_state(s, std::random_device{}());
  return s;
}

// MT19937's init_by_array, as CPython's random.seed uses it.
void seed_by_array(State& s, const uint32_t* key, int length) {
  seed_state(s, 19650218u);
  uint32_t* mt = s.key;
  int i = 1, j = 0;
  for (int k = std::max(kStateLength, length); k > 0; --k) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + static_cast<uint32_t>(j);
    if (++i >= kStateLength) {
      mt[0] = mt[kStateLength - 1];
      i = 1;
    }
    if (++j >= length) j = 0;
  }
  for (int k = kStateLength - 1; k > 0; --k) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - static_cast<uint32_t>(i);
    if (++i >= kStateLength) {
      mt[0] = mt[kStateLength - 1];
      i = 1;
    }
  }
  mt[0] = 0x80000000u;
  s.pos = kStateLength;
  s.has_gauss = false;
}

void seed_python_from_os(State& s) {
  std::random_device device;
  uint32_t key[kStateLength];
  for (uint32_t& word : key) word = device();
  seed_by_array(s, key, kStateLength);
}

State& python_state() {
  State& s = thread_states().python;
  if (s.pos > kStateLength) seed_python_from_os(s);
  return s;
}

uint32_t next32(State& s) {
  if (s.pos >= kStateLength) twist(s);
  uint32_t y = s.key[s.pos++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}

uint64_t next64(State& s) {
  uint64_t high = next32(s);
  return (high << 32) | next32(s);
}

double next_double(State& s) {
  int32_t a = static_cast<int32_t>(next32(s) >> 5), b = static_cast<int32_t>(next32(s) >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

uint64_t mask_for(uint64_t max) {
  uint64_t mask = max;
  for (int shift = 1; shift <= 32; shift *= 2) mask |= mask >> shift;
  return mask;
}

// A value in [0, rng] by masked rejection: 32-bit draws when rng fits in them.
uint64_t bounded(State& s, uint64_t rng) {
  if (rng == 0) return 0;
  uint64_t mask = mask_for(rng);
  uint64_t value;
  if (rng <= 0xffffffffu) {
    if (rng == 0xffffffffu) return next32(s);
    do value = next32(s) & mask; while (value > rng);
  } else {
    if (rng == ~uint64_t{0}) return next64(s);
    do value = next64(s) & mask; while (value > rng);
  }
  return value;
}

}  // namespace

extern "C" void numjit_rt_random_seed(uint32_t seed) { seed_state(thread_states().numpy, seed); }

extern "C" void numjit_rt_py_random_seed(uint64_t magnitude) {
  // The 32-bit words of the seed, least significant first; 0 is one word.
  uint32_t key[2] = {static_cast<uint32_t>(magnitude), static_cast<uint32_t>(magnitude >> 32)};
  seed_by_array(thread_states().python, key, key[1] ? 2 : 1);
}

extern "C" void* numjit_rt_py_random_state(void) { return &python_state(); }

extern "C" void numjit_rt_py_random_twist(void* state) { twist(*static_cast<State*>(state)); }

extern "C" void numjit_rt_py_random_seed_os(void) { seed_python_from_os(thread_states().python); }

// CPython's gauss(): two normals from one angle and radius, the second kept
// for the next call (per thread; reseeding drops it).
extern "C" double numjit_rt_py_random_gauss(void) {
  State& s = python_state();
  if (s.has_gauss) {
    s.has_gauss = false;
    return s.gauss;
  }
  constexpr double kTwoPi = 6.283185307179586;
  double x2pi = next_double(s) * kTwoPi;
  double g2rad = std::sqrt(-2.0 * std::log(1.0 - next_double(s)));
  s.gauss = std::sin(x2pi) * g2rad;
  s.has_gauss = true;
  return std::cos(x2pi) * g2rad;
}

extern "C" double numjit_rt_random_double(void) { return next_double(state()); }

extern "C" void* numjit_rt_random_state(void) { return &state(); }

extern "C" double numjit_rt_random_gauss(void) {
  State& s = state();
  if (s.has_gauss) {
    s.has_gauss = false;
    return s.gauss;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * next_double(s) - 1.0;
    x2 = 2.0 * next_double(s) - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = std::sqrt(-2.0 * std::log(r2) / r2);
  s.gauss = f * x1;
  s.has_gauss = true;
  return f * x2;
}

extern "C" int64_t numjit_rt_random_randint(int64_t low, int64_t high) {
  uint64_t rng = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) - 1;  // inclusive range
  return static_cast<int64_t>(static_cast<uint64_t>(low) + bounded(state(), rng));
}

extern "C" uint64_t numjit_rt_random_interval(uint64_t max) {
  State& s = state();
  if (max == 0) return 0;
  uint64_t mask = mask_for(max);
  uint64_t value;
  if (max <= 0xffffffffu) {
    do value = next32(s) & mask; while (value > max);
  } else {
    do value = next64(s) & mask; while (value > max);
  }
  return value;
}
