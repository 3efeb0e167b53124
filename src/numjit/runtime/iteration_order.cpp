// The order in which np.nditer visits the elements of several operands
// broadcast together: NumPy's default order='K', "as close to memory order
// as possible" (numpy/_core/src/multiarray/nditer_constr.c:
// npyiter_flip_negative_strides and npyiter_find_best_axis_ordering).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "numjit/runtime/functions.h"

extern "C" void numjit_rt_nditer_order(int64_t rank, int64_t operands, const int64_t* shape, int64_t* strides,
                                       int64_t* offsets, int64_t* walk_axes) {
  auto stride = [&](int64_t op, int64_t axis) -> int64_t& { return strides[op * rank + axis]; };
  for (int64_t op = 0; op < operands; ++op) offsets[op] = 0;
  // An axis along which every operand steps backwards (or stays) is walked
  // the other way, from the element with the lowest address.
  for (int64_t axis = 0; axis < rank; ++axis) {
    bool any_negative = false, all_non_positive = true;
    for (int64_t op = 0; op < operands; ++op) {
      any_negative |= stride(op, axis) < 0;
      all_non_positive &= stride(op, axis) <= 0;
    }
    if (!any_negative || !all_non_positive) continue;
    for (int64_t op = 0; op < operands; ++op) {
      offsets[op] += (shape[axis] - 1) * stride(op, axis);
      stride(op, axis) = -stride(op, axis);
    }
  }
  // A stable insertion sort of the axes, fastest first, starting from C
  // order reversed. An axis moves before another when some operand that
  // steps along both has a smaller stride on it; an operand with stride 0 on
  // either (broadcast) has no say, and when operands disagree, C order wins.
  std::vector<int64_t> fastest_first(static_cast<size_t>(rank));
  for (int64_t i = 0; i < rank; ++i) fastest_first[static_cast<size_t>(i)] = rank - 1 - i;
  for (int64_t i = 1; i < rank; ++i) {
    int64_t axis = fastest_first[static_cast<size_t>(i)];
    int64_t insert_at = i;
    for (int64_t j = i - 1; j >= 0; --j) {
      int64_t other = fastest_first[static_cast<size_t>(j)];
      bool ambiguous = true, move_before = false;
      for (int64_t op = 0; op < operands; ++op) {
        if (stride(op, axis) == 0 || stride(op, other) == 0) continue;
        if (std::llabs(stride(op, other)) <= std::llabs(stride(op, axis))) move_before = false;
        else if (ambiguous) move_before = true;
        ambiguous = false;
      }
      if (ambiguous) continue;
      if (!move_before) break;
      insert_at = j;
    }
    for (int64_t k = i; k > insert_at; --k) fastest_first[static_cast<size_t>(k)] = fastest_first[static_cast<size_t>(k - 1)];
    fastest_first[static_cast<size_t>(insert_at)] = axis;
  }
  for (int64_t p = 0; p < rank; ++p) walk_axes[p] = fastest_first[static_cast<size_t>(rank - 1 - p)];
}
