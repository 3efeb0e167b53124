// Typing of array indexing: integers, slices, None (np.newaxis) and an
// Ellipsis give views; a boolean mask or an integer array gives a copy
// (NumPy's advanced indexing).
#include "numjit/hir/build.h"
#include "numjit/types/infer.h"

#include <algorithm>

namespace numjit::types {

std::optional<std::vector<int64_t>> constant_slice_positions(const hir::Expr& slice, int64_t length) {
  auto part = [](const hir::Expr* e) -> std::optional<std::optional<int64_t>> {
    if (!e || (e->kind == hir::ExprKind::Const && e->constant.kind == hir::Constant::Kind::None))
      return std::optional<int64_t>{};  // absent
    if (e->kind == hir::ExprKind::Const && e->constant.kind == hir::Constant::Kind::Int)
      return std::optional<int64_t>{e->constant.int_value};
    if (e->kind == hir::ExprKind::Unary && e->unary_op == hir::UnaryOp::Neg && e->operand().kind == hir::ExprKind::Const &&
        e->operand().constant.kind == hir::Constant::Kind::Int)
      return std::optional<int64_t>{-e->operand().constant.int_value};
    return std::nullopt;  // not a constant
  };
  auto lower = part(slice.lower()), upper = part(slice.upper()), step = part(slice.step());
  if (!lower || !upper || !step) return std::nullopt;
  int64_t s = step->value_or(1);
  if (s == 0) return std::nullopt;
  // Python's slice.indices: negative bounds count from the end, then clip.
  auto bound = [&](std::optional<int64_t> v, int64_t if_absent) {
    if (!v) return if_absent;
    int64_t x = *v < 0 ? *v + length : *v;
    return s > 0 ? std::clamp<int64_t>(x, 0, length) : std::clamp<int64_t>(x, -1, length - 1);
  };
  int64_t start = bound(*lower, s > 0 ? 0 : length - 1), stop = bound(*upper, s > 0 ? length : -1);
  std::vector<int64_t> positions;
  for (int64_t i = start; s > 0 ? i < stop : i > stop; i += s) positions.push_back(i);
  return positions;
}

bool is_tuple_of_numbers(const Type* t) {
  if (t->kind != TypeKind::Tuple) return false;
  for (const Type* e : t->elements)
    if (!e->is_scalar() && !is_tuple_of_numbers(e)) return false;
  return true;
}
namespace {

bool is_none(const hir::Expr* ix) { return ix->type->kind == TypeKind::NoneType; }

// NumPy reads a bool scalar index as a new axis with a mask (`a[True]` is
// `a[None]`), not as 0 or 1; that is refused, as Numba refuses it, rather
// than silently giving an element.
bool is_index_integer(const Type* t, const SourceSpan& span) {
  if (t->is_bool())
    typing_error(span, "a bool used as an array index is not supported (NumPy would add an axis, not pick element "
                       "0 or 1); write a[int(flag)] for an element");
  return t->is_integer();
}

}  // namespace

bool is_ellipsis(const hir::Expr& e) {
  return e.kind == hir::ExprKind::Const && e.constant.kind == hir::Constant::Kind::Ellipsis;
}

void expand_ellipsis(hir::Expr& subscript, int ndim) {
  int consumed = 0, ellipses = 0;
  for (const hir::Expr& ix : subscript.indices()) {
    if (is_ellipsis(ix)) ++ellipses;
    else if (!(ix.kind == hir::ExprKind::Const && ix.constant.kind == hir::Constant::Kind::None)) ++consumed;
  }
  if (ellipses == 0) return;
  if (ellipses > 1) typing_error(subscript.span, "an index can only have a single ellipsis ('...')");
  std::vector<hir::ExprPtr> expanded;
  for (hir::ExprPtr& ix : subscript.take_indices()) {
    if (!is_ellipsis(*ix)) {
      expanded.push_back(std::move(ix));
      continue;
    }
    for (int k = 0; k < ndim - consumed; ++k) {
      hir::ExprPtr full = hir::make_full_slice(ix->span);
      full->type = slice();
      expanded.push_back(std::move(full));
    }
  }
  subscript.set_indices(std::move(expanded));
}

// Integer index arrays (1-D) and integers, at least one array.
bool is_pointwise_index(const std::vector<const hir::Expr*>& indices) {
  bool any_array = false;
  for (const hir::Expr* ix : indices) {
    const Type* t = ix->type;
    if (t->is_array() && t->ndim == 1 && t->dtype()->is_integer()) any_array = true;
    else if (!is_index_integer(t, ix->span)) return false;
  }
  return any_array;
}

const Type* index_result(const Type* base, const std::vector<const hir::Expr*>& indices, const SourceSpan& span) {
  // a[idx] with a tuple of integers: one integer index per element.
  if (indices.size() == 1 && indices[0]->type->kind == TypeKind::Tuple) {
    const Type* t = indices[0]->type;
    for (const Type* e : t->elements)
      if (!is_index_integer(e, indices[0]->span)) typing_error(indices[0]->span, "a tuple index must hold integers, not " + t->name);
    int ints = static_cast<int>(t->elements.size());
    if (ints > base->ndim) typing_error(span, "too many indices for " + base->name + ": " + std::to_string(ints) + " given");
    if (ints == base->ndim) return base->dtype();
    return array(base->scalar, base->ndim - ints, base->layout == Layout::C ? Layout::C : Layout::Any, base->readonly);
  }
  if (indices.size() > 1 && is_pointwise_index(indices)) {
    // a[rows, cols] (integer arrays and integers, one per dimension): the elements at those points.
    if (static_cast<int>(indices.size()) != base->ndim)
      unsupported(span, "indexing with several index arrays needs one index (array or integer) per dimension");
    return array(base->scalar, 1, Layout::C);
  }
  int ints = 0, slices = 0, new_axes = 0;
  for (const hir::Expr* ix : indices) {
    if (ix->type->is_array()) {
      // Advanced indexing, the forms numjit supports: one index array.
      if (indices.size() != 1)
        unsupported(span, "an index array must be the only index (a[mask], a[indices])");
      const Type* it = ix->type;
      if (it->dtype()->is_bool()) {
        // a[mask] with a 1-D mask over the first axis: the rows it selects.
        if (it->ndim == 1 && base->ndim > 1) return array(base->scalar, base->ndim, Layout::C);
        if (it->ndim != base->ndim)
          typing_error(ix->span, "a boolean index must have as many dimensions as the array (" +
                                     std::to_string(base->ndim) + "), not " + std::to_string(it->ndim));
        return array(base->scalar, 1, Layout::C);
      }
      if (!it->dtype()->is_integer())
        typing_error(ix->span, "arrays used as indices must be of integer or boolean type, not " + it->name);
      if (base->ndim != 1) {
        // a[idx] on an N-D array selects whole rows: (len(idx), *a.shape[1:]).
        if (it->ndim != 1)
          unsupported(span, "an integer index array into a multi-dimensional array must be 1-D");
        return array(base->scalar, base->ndim, Layout::C);
      }
      return array(base->scalar, it->ndim, Layout::C);
    }
    if (ix->type == slice()) {
      ++slices;
    } else if (is_none(ix)) {
      ++new_axes;
    } else if (is_index_integer(ix->type, ix->span)) {
      ++ints;
    } else {
      typing_error(ix->span, "array index must be an integer, a slice, None or an array, not " + ix->type->name);
    }
  }
  if (ints + slices > base->ndim)
    typing_error(span, "too many indices for " + base->name + ": " + std::to_string(ints + slices) + " given");
  int ndim = base->ndim - ints + new_axes;
  if (ndim == 0) return base->dtype();
  // The view stays contiguous in the base's order when integer indices come
  // first, then at most one step-less slice, then only full slices (new
  // axes of length 1 do not matter).
  auto contiguous = [&](bool reversed) {
    int n = static_cast<int>(indices.size());
    bool seen_slice = false;
    for (int k = 0; k < n; ++k) {
      const hir::Expr* ix = indices[reversed ? n - 1 - k : k];
      if (is_none(ix)) continue;
      if (ix->type != slice()) {
        if (seen_slice) return false;
        continue;
      }
      bool full = !ix->lower() && !ix->upper() && !ix->step();
      if (seen_slice && !full) return false;
      if (ix->step()) return false;
      seen_slice = true;
    }
    return true;
  };
  Layout layout = Layout::Any;
  if (base->layout == Layout::C && contiguous(false)) layout = Layout::C;
  // Fortran order reads indices from the last dimension; missing trailing
  // indices are full slices, so only a complete index list can stay F.
  if (base->layout == Layout::F && static_cast<int>(indices.size()) == base->ndim + new_axes && contiguous(true))
    layout = Layout::F;
  return array(base->scalar, ndim, layout, base->readonly);
}

}  // namespace numjit::types
