// Complex functions compiled code calls out of line (rare in hot loops).
#include <cmath>

#include "numjit/runtime/abi.h"

namespace {

struct Complex {
  double re, im;
};

// CPython's own product and quotient (Objects/complexobject.c): the plain
// product, not C99's Annex G one std::complex uses, so overflow gives the same
// NaNs Python shows; the quotient is Smith's.
Complex product(Complex a, Complex b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }

Complex quotient(Complex a, Complex b) {
  double abs_re = std::fabs(b.re), abs_im = std::fabs(b.im);
  if (abs_re >= abs_im) {
    if (abs_re == 0.0) return {a.re / abs_re, a.im / abs_re};
    double ratio = b.im / b.re, denom = b.re + b.im * ratio;
    return {(a.re + a.im * ratio) / denom, (a.im - a.re * ratio) / denom};
  }
  if (abs_im >= abs_re) {
    double ratio = b.re / b.im, denom = b.re * ratio + b.im;
    return {(a.re * ratio + a.im) / denom, (a.im * ratio - a.re) / denom};
  }
  return {NAN, NAN};
}

// CPython's c_powi: exact for small integral exponents, where the polar route
// would leave rounding noise ((1+1j)**2 == 2j exactly).
Complex integral_power(Complex x, long n) {
  Complex result{1.0, 0.0}, square = x;
  long mask = n < 0 ? -n : n;
  while (mask > 0) {
    if (mask & 1) result = product(result, square);
    square = product(square, square);
    mask >>= 1;
  }
  return n < 0 ? quotient({1.0, 0.0}, result) : result;
}

// CPython's c_pow, for the rest: polar form with libm's hypot, pow, atan2.
Complex polar_power(Complex a, Complex b) {
  double magnitude = std::hypot(a.re, a.im);
  double length = std::pow(magnitude, b.re);
  double angle = std::atan2(a.im, a.re);
  double phase = angle * b.re;
  if (b.im != 0.0) {
    length /= std::exp(angle * b.im);
    phase += b.im * std::log(magnitude);
  }
  return {length * std::cos(phase), length * std::sin(phase)};
}

}  // namespace

extern "C" void numjit_rt_complex_pow(double* out, double re, double im, double exp_re, double exp_im) {
  Complex r;
  if (exp_im == 0.0 && exp_re == std::floor(exp_re) && std::fabs(exp_re) <= 100.0) {
    r = integral_power({re, im}, static_cast<long>(exp_re));
  } else if (re == 0.0 && im == 0.0) {
    r = (exp_re == 0.0 && exp_im == 0.0) ? Complex{1.0, 0.0} : Complex{0.0, 0.0};
  } else {
    r = polar_power({re, im}, {exp_re, exp_im});
  }
  out[0] = r.re;
  out[1] = r.im;
}
