// Complex functions compiled code calls out of line (rare in hot loops).
#include <cmath>
#include <complex>

#include "numjit/runtime/abi.h"

namespace {

// CPython's c_powi: exact for small integral exponents, where std::pow's
// exp(log) route would leave rounding noise ((1+1j)**2 == 2j exactly).
std::complex<double> integral_power(std::complex<double> x, long n) {
  std::complex<double> result = 1.0, square = x;
  long mask = n < 0 ? -n : n;
  while (mask > 0) {
    if (mask & 1) result *= square;
    square *= square;
    mask >>= 1;
  }
  return n < 0 ? 1.0 / result : result;
}

}  // namespace

extern "C" void numjit_rt_complex_pow(double* out, double re, double im, double exp_re, double exp_im) {
  std::complex<double> base(re, im), r;
  if (exp_im == 0.0 && exp_re == std::floor(exp_re) && std::fabs(exp_re) <= 100.0) {
    r = integral_power(base, static_cast<long>(exp_re));
  } else if (re == 0.0 && im == 0.0) {
    r = (exp_re == 0.0 && exp_im == 0.0) ? 1.0 : 0.0;
  } else {
    r = std::pow(base, std::complex<double>(exp_re, exp_im));
  }
  out[0] = r.real();
  out[1] = r.imag();
}
