#include "numjit/runtime/random.h"

#include <cmath>
#include <random>

namespace {

constexpr int kStateLength = 624;

struct State {
  uint32_t key[kStateLength];
  int pos = kStateLength + 1;  // > length: not seeded yet
  bool has_gauss = false;
  double gauss = 0.0;
};

thread_local State tls_state;

void seed_state(State& s, uint32_t seed) {
  for (int i = 0; i < kStateLength; ++i) {
    s.key[i] = seed;
    seed = 1812433253u * (seed ^ (seed >> 30)) + static_cast<uint32_t>(i) + 1;
  }
  s.pos = kStateLength;
  s.has_gauss = false;
  s.gauss = 0.0;
}

// The standard MT19937 twist of the whole state.
void twist(State& s) {
  constexpr uint32_t kUpper = 0x80000000u, kLower = 0x7fffffffu, kMatrix = 0x9908b0dfu;
  for (int i = 0; i < kStateLength; ++i) {
    uint32_t y = (s.key[i] & kUpper) | (s.key[(i + 1) % kStateLength] & kLower);
    s.key[i] = s.key[(i + 397) % kStateLength] ^ (y >> 1) ^ ((y & 1u) ? kMatrix : 0u);
  }
  s.pos = 0;
}

State& state() {
  State& s = tls_state;
  if (s.pos > kStateLength) seed_state(s, std::random_device{}());
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

extern "C" void numjit_rt_random_seed(uint32_t seed) { seed_state(tls_state, seed); }

extern "C" double numjit_rt_random_double(void) { return next_double(state()); }

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
