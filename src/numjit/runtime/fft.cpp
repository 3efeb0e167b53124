// np.fft's one-dimensional transforms, by pocketfft (third_party/pocketfft,
// BSD-3), the library NumPy's own np.fft runs. Each call transforms one row
// the way NumPy's loops do (numpy/fft/_pocketfft_umath.cpp): the input is
// copied into the output buffer (truncated or zero-padded to n) and the
// cached plan for n runs in place there, scaled by `factor`; real transforms
// use pocketfft's packed order (R0, R1, I1, ..., [Rn/2]), unpacked into or
// packed from NumPy's complex layout. So results equal NumPy's.
#define POCKETFFT_NO_MULTITHREADING
#include "pocketfft_hdronly.h"

#include <complex>
#include <cstdint>
#include <new>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/functions.h"

namespace {

using pocketfft::detail::cmplx;
using pocketfft::detail::get_plan;
using pocketfft::detail::pocketfft_c;
using pocketfft::detail::pocketfft_r;

// Copies min(available, n) values `stride` bytes apart into buffer and zeroes the rest.
template <typename T>
void copy_padded(const char* in, int64_t stride, int64_t available, T* buffer, int64_t n) {
  int64_t i = 0;
  for (int64_t count = available < n ? available : n; i < count; ++i) buffer[i] = *reinterpret_cast<const T*>(in + i * stride);
  for (; i < n; ++i) buffer[i] = T(0);
}

template <typename T>
void complex_transform(const char* in, int64_t stride, int64_t available, void* out, int64_t n, bool forward,
                       double factor) {
  auto* buffer = static_cast<std::complex<T>*>(out);
  copy_padded(in, stride, available, buffer, n);
  get_plan<pocketfft_c<T>>(static_cast<size_t>(n))
      ->exec(reinterpret_cast<cmplx<T>*>(buffer), static_cast<T>(factor), forward);
}

// n real points -> n/2 + 1 complex ones. The real data go in one place to the
// right, so that unpacking pocketfft's order only moves R0 and sets I0 = 0.
template <typename T>
void real_forward(const char* in, int64_t stride, int64_t available, void* out, int64_t n, double factor) {
  auto* buffer = static_cast<std::complex<T>*>(out);
  int64_t outputs = n / 2 + 1;
  T* packed = reinterpret_cast<T*>(buffer) + 1;
  copy_padded(in, stride, available, packed, 2 * outputs - 1);
  get_plan<pocketfft_r<T>>(static_cast<size_t>(n))->exec(packed, static_cast<T>(factor), pocketfft::FORWARD);
  buffer[0] = buffer[0].imag();
  if (n % 2 == 0) buffer[outputs - 1].imag(0);
}

// n/2 + 1 complex points (fewer are zero-padded, more ignored) -> n real ones.
template <typename T>
void real_backward(const char* in, int64_t stride, int64_t available, void* out, int64_t n, double factor) {
  T* buffer = static_cast<T*>(out);
  buffer[0] = available > 0 ? reinterpret_cast<const std::complex<T>*>(in)->real() : T(0);
  if (n > 1) {
    copy_padded(in + stride, stride, available - 1, reinterpret_cast<std::complex<T>*>(buffer + 1), (n - 1) / 2);
    if (n % 2 == 0)
      buffer[n - 1] = n / 2 >= available ? T(0) : reinterpret_cast<const std::complex<T>*>(in + (n / 2) * stride)->real();
  }
  get_plan<pocketfft_r<T>>(static_cast<size_t>(n))->exec(buffer, static_cast<T>(factor), pocketfft::BACKWARD);
}

}  // namespace

extern "C" int32_t numjit_rt_fft(int32_t kind, const char* in, int64_t stride, int64_t available, void* out,
                                 int64_t n, int32_t single, double factor) {
  try {
    switch (kind) {
      case 0: single ? complex_transform<float>(in, stride, available, out, n, true, factor)
                     : complex_transform<double>(in, stride, available, out, n, true, factor); break;
      case 1: single ? complex_transform<float>(in, stride, available, out, n, false, factor)
                     : complex_transform<double>(in, stride, available, out, n, false, factor); break;
      case 2: single ? real_forward<float>(in, stride, available, out, n, factor)
                     : real_forward<double>(in, stride, available, out, n, factor); break;
      default: single ? real_backward<float>(in, stride, available, out, n, factor)
                      : real_backward<double>(in, stride, available, out, n, factor);
    }
  } catch (const std::bad_alloc&) {
    numjit::runtime::raise(numjit::abi::ExceptionKind::MemoryError, "out of memory in an FFT");
    return numjit::abi::kStatusError;
  }
  return numjit::abi::kStatusOk;
}
