// The C++ baseline for appending to a list: the same loop as
// benchmarks/containers.py's append_ints, pushing onto a std::vector.
// containers.py compiles this with -O2 into a shared library and times it
// through ctypes (one call per run, so the call itself costs nothing).
#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int64_t append_ints(int64_t n) {
  std::vector<int64_t> items;
  for (int64_t i = 0; i < n; ++i) items.push_back(i ^ (i >> 3));
  return static_cast<int64_t>(items.size()) + items[static_cast<size_t>(n / 2)];
}
