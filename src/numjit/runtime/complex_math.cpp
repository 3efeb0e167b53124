// Complex functions compiled code calls out of line (rare in hot loops).
#include <cmath>

// C99's complex power from libm; <complex.h> in C++ is std::complex instead.
extern "C" double _Complex cpow(double _Complex, double _Complex);
extern "C" float _Complex cpowf(float _Complex, float _Complex);

#include "numjit/runtime/functions.h"

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

namespace {

// NumPy's npy_cpow (npymath), for array code: its own product, its division
// (Smith's, scaled by a reciprocal), small integral exponents by squaring,
// and libm's cpow for the rest. Computed in T, as NumPy's complex64 loop
// computes in float, so overflow matches too.
template <typename T>
struct NumpyComplex {
  T re, im;
};

template <typename T>
NumpyComplex<T> numpy_product(NumpyComplex<T> a, NumpyComplex<T> b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

template <typename T>
NumpyComplex<T> numpy_reciprocal(NumpyComplex<T> b) {
  const T abs_re = std::fabs(b.re), abs_im = std::fabs(b.im);
  if (abs_re >= abs_im) {
    if (abs_re == 0 && abs_im == 0) return {T(1) / abs_re, T(0) / abs_im};
    const T ratio = b.im / b.re, scale = T(1) / (b.re + b.im * ratio);
    return {scale, -ratio * scale};
  }
  const T ratio = b.re / b.im, scale = T(1) / (b.im + b.re * ratio);
  return {ratio * scale, -scale};
}

template <typename T>
NumpyComplex<T> libm_power(NumpyComplex<T> a, NumpyComplex<T> b);

// Parts are set with GCC's __real__/__imag__: building re + im * I would turn
// an infinite imaginary part into NaN + inf*i (inf * 0 in the product).
template <typename C, typename T>
C pack(T re, T im) {
  C z;
  __real__ z = re;
  __imag__ z = im;
  return z;
}

template <>
NumpyComplex<double> libm_power(NumpyComplex<double> a, NumpyComplex<double> b) {
  double _Complex r = cpow(pack<double _Complex>(a.re, a.im), pack<double _Complex>(b.re, b.im));
  return {__real__ r, __imag__ r};
}

template <>
NumpyComplex<float> libm_power(NumpyComplex<float> a, NumpyComplex<float> b) {
  float _Complex r = cpowf(pack<float _Complex>(a.re, a.im), pack<float _Complex>(b.re, b.im));
  return {__real__ r, __imag__ r};
}

template <typename T>
NumpyComplex<T> numpy_power(NumpyComplex<T> a, NumpyComplex<T> b) {
  if (b.re == 0 && b.im == 0) return {1, 0};
  if (a.re == 0 && a.im == 0) {
    if (b.re > 0) return {0, 0};
    return {NAN, NAN};
  }
  if (b.im == 0 && b.re == std::trunc(b.re) && std::fabs(b.re) < 100) {
    const long n = static_cast<long>(b.re);
    if (n == 1) return a;
    if (n == 2) return numpy_product(a, a);
    if (n == 3) return numpy_product(a, numpy_product(a, a));
    long magnitude = n < 0 ? -n : n;
    NumpyComplex<T> result{1, 0}, square = a;
    for (long mask = 1;; mask <<= 1) {
      if (magnitude & mask) result = numpy_product(result, square);
      if (magnitude < (mask << 1)) break;
      square = numpy_product(square, square);
    }
    return n < 0 ? numpy_reciprocal(result) : result;
  }
  return libm_power(a, b);
}

}  // namespace

extern "C" void numjit_rt_complex_pow_numpy(double* out, double re, double im, double exp_re, double exp_im) {
  NumpyComplex<double> r = numpy_power<double>({re, im}, {exp_re, exp_im});
  out[0] = r.re;
  out[1] = r.im;
}

extern "C" void numjit_rt_complex64_pow_numpy(float* out, float re, float im, float exp_re, float exp_im) {
  NumpyComplex<float> r = numpy_power<float>({re, im}, {exp_re, exp_im});
  out[0] = r.re;
  out[1] = r.im;
}
