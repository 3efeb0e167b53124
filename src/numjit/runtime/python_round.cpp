// round(x, ndigits) for floats, as CPython computes it: the exact binary value
// rounded to ndigits decimals, ties to even (a product x * 10**n rounds first,
// so 4.45 would become 44.5 and then 44; Python gives 4.5, since 4.45 is
// 4.4500000000000001776...).
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "numjit/runtime/functions.h"

namespace {
constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
}  // namespace

extern "C" double numjit_rt_round_digits(double x, int64_t ndigits) {
  if (!std::isfinite(x) || x == 0.0 || ndigits > 330) return x;  // already exact at that precision
  if (ndigits >= 0 && ndigits <= 22) {
    // Fast path: 10**ndigits is exact and the scaled value is an integer plus a
    // fraction clearly away from one half, so no rounding error can flip the
    // direction; dividing the exact integer by the exact scale rounds once.
    const double scale = kPowersOfTen[ndigits];
    const double scaled = x * scale;
    if (std::fabs(scaled) < 0x1p52) {
      const double whole = std::floor(scaled);
      const double distance_to_half = std::fabs(scaled - whole - 0.5);
      if (distance_to_half > 4.0 * std::ldexp(1.0, std::ilogb(scaled) - 52) + 0x1p-60)
        return std::copysign(std::nearbyint(scaled) / scale, x);
    }
  }
  if (ndigits >= 0) {
    // printf rounds the exact binary value, ties to even: CPython's dtoa mode 3.
    char text[720];
    std::snprintf(text, sizeof text, "%.*f", static_cast<int>(ndigits), x);
    return std::strtod(text, nullptr);
  }
  if (ndigits < -308) return std::copysign(0.0, x);
  // To tens, hundreds...: scale down (exact for the values that can tie), round, scale back.
  const double scale = std::pow(10.0, static_cast<double>(-ndigits));
  const double rounded = std::nearbyint(x / scale) * scale;
  return std::isfinite(rounded) ? rounded : x;
}
