// Indexing with one index array among slices and integers (`m[:, idx]`,
// `m[1:, mask]`, `t[0, :, idx] = v`): what Numba calls one advanced index
// combined with basic ones. NumPy's result keeps the other axes in place
// and puts the selection where the index array stood. The lowering already
// selects rows (`a[idx]` along the first axis of an N-D array), so such a
// subscript becomes that, on a view that moves the selected axis first:
//   m[s0, idx, s2]       ->  np.transpose(np.transpose(m[s0, :, s2], A)[idx], K^-1)
//   m[s0, idx, s2] = v   ->  np.transpose(m[s0, :, s2], A)[idx] = np.transpose(v', K)
// where A moves the axis idx indexes (in the view the other indices make)
// first, K moves the axis where NumPy puts the selection first (the same,
// unless integer indices stand apart from the array: then it is axis 0),
// and v' is v with leading axes of 1 up to the result's rank (so it
// broadcasts as against the selection). Identity permutations are left out.
// `a[idx] op= v` on an N-D array is `a[idx] = a[idx] op v`, which is also
// what NumPy does (a repeated index is updated once).
#include "numjit/hir/build.h"
#include "numjit/types/inferrer.h"

namespace numjit::types {

namespace {

struct MixedIndex {
  size_t position;  // of the index array among the indices
  int view_axis;    // the axis it selects in the view the other indices make
  int axis;         // where the selection goes in the result
  int view_ndim;    // that view's rank (and the result's)
};

// `indices` (typed, ellipses expanded) index `base` with exactly one 1-D
// index array (integers or a mask) beside slices and integers, one a slice.
// The integers are advanced indices too, broadcast with the array: where
// they all stand next to it, the selection takes their place (after the
// slices before them), else it comes first (NumPy's rule).
std::optional<MixedIndex> mixed_index(const Type* base, const std::vector<const Expr*>& indices) {
  if (!base->is_array() || indices.size() < 2) return std::nullopt;
  std::optional<size_t> array_at;
  int slices = 0, ints = 0;
  std::vector<size_t> advanced;  // positions of the array and the integers
  for (size_t i = 0; i < indices.size(); ++i) {
    const Type* t = indices[i]->type;
    if (t->is_array()) {
      if (array_at || t->ndim != 1 || !(t->dtype()->is_integer() || t->dtype()->is_bool())) return std::nullopt;
      array_at = i;
      advanced.push_back(i);
    } else if (t == slice()) {
      ++slices;
    } else if (is_index_integer(t)) {
      ++ints;
      advanced.push_back(i);
    } else {
      return std::nullopt;  // None (a new axis) and the rest keep their own errors
    }
  }
  if (!array_at || slices == 0) return std::nullopt;
  auto slices_before = [&](size_t position) {
    int n = 0;
    for (size_t i = 0; i < position; ++i) n += indices[i]->type == slice();
    return n;
  };
  bool adjacent = advanced.back() - advanced.front() + 1 == advanced.size();
  return MixedIndex{*array_at, slices_before(*array_at), adjacent ? slices_before(advanced.front()) : 0,
                    base->ndim - ints};
}

hir::ExprPtr int_tuple(const std::vector<int>& values, const SourceSpan& span) {
  auto tuple = std::make_unique<Expr>(ExprKind::Tuple, span);
  for (int v : values) tuple->children.push_back(hir::make_int(v, span));
  return tuple;
}

hir::ExprPtr transposed(hir::ExprPtr array, const std::vector<int>& axes, const SourceSpan& span) {
  std::vector<hir::ExprPtr> args;
  args.push_back(std::move(array));
  args.push_back(int_tuple(axes, span));
  return hir::make_call(hir::make_builtin("np.transpose", span), std::move(args), span);
}

// The axes of an array of rank `ndim` with `axis` first, the others in order.
std::vector<int> axis_first(int axis, int ndim) {
  std::vector<int> p{axis};
  for (int d = 0; d < ndim; ++d)
    if (d != axis) p.push_back(d);
  return p;
}

std::vector<int> inverse(const std::vector<int>& p) {
  std::vector<int> q(p.size());
  for (size_t i = 0; i < p.size(); ++i) q[static_cast<size_t>(p[i])] = static_cast<int>(i);
  return q;
}

// Takes `subscript` apart into the rows selection on the view with the
// selected axis first (what the lowering's row paths index).
hir::ExprPtr rows_selection(Expr& subscript, const MixedIndex& m) {
  SourceSpan span = subscript.span;
  std::vector<hir::ExprPtr> indices = subscript.take_indices();
  hir::ExprPtr index_array = std::move(indices[m.position]);
  hir::ExprPtr full = hir::make_full_slice(span);
  full->type = slice();
  indices[m.position] = std::move(full);
  auto view = std::make_unique<Expr>(ExprKind::Subscript, span);
  view->children.push_back(std::move(subscript.value_slot()));
  view->set_indices(std::move(indices));
  hir::ExprPtr rows =
      m.view_axis == 0 ? std::move(view) : transposed(std::move(view), axis_first(m.view_axis, m.view_ndim), span);
  auto selection = std::make_unique<Expr>(ExprKind::Subscript, span);
  selection->children.push_back(std::move(rows));
  selection->children.push_back(std::move(index_array));
  return selection;
}

}  // namespace

// Whether evaluating `e` twice gives the same value and does nothing else:
// names, constants, slices, attributes, subscripts and arithmetic of such,
// and the np.array of a list of them (an index written as a list).
bool evaluated_twice_alike(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Call:
      if (!hir::is_builtin_call(e, "np.array")) return false;
      break;
    case ExprKind::AssignExpr: return false;
    default: break;
  }
  for (const hir::ExprPtr& c : e.children)
    if (c && !evaluated_twice_alike(*c)) return false;
  return true;
}

bool Inferrer::rewrite_mixed_index_read(Expr& e, const Type* base, const std::vector<const Expr*>& indices) {
  std::optional<MixedIndex> m = mixed_index(base, indices);
  if (!m) return false;
  SourceSpan span = e.span;
  hir::ExprPtr selection = rows_selection(e, *m);
  if (m->axis != 0) selection = transposed(std::move(selection), inverse(axis_first(m->axis, m->view_ndim)), span);
  e = std::move(*selection);
  return true;
}

bool Inferrer::rewrite_fancy_store(Stmt& s) {
  if (!s.target || s.target->kind != ExprKind::Subscript) return false;
  Expr& target = *s.target;
  // The target's parts are typed on copies: typing may rewrite an expression
  // (a.flat reads as a.ravel(), a copy typed read-only where it must be),
  // which the assignment's own typing must still see first.
  hir::ExprPtr base_copy = hir::clone(target.value());
  const Type* base = expr(*base_copy);
  if (is_unknown(base) || !base->is_array()) return false;
  expand_ellipsis(target, base->ndim);
  auto index_exprs = target.indices();
  std::vector<hir::ExprPtr> index_copies;
  for (size_t i = 0; i < index_exprs.size(); ++i) {
    index_copies.push_back(hir::clone(index_exprs[i]));
    const Type* t = expr(*index_copies.back());
    if (is_unknown(t)) return false;
    if (t->kind == TypeKind::List && element_type(t->elements[0])->is_integer()) {  // as subscript() reads it
      hir::ExprPtr& slot = index_exprs.slot(i);
      SourceSpan span = slot->span;
      slot = hir::make_call(hir::make_builtin("np.array", span), hir::one(std::move(slot)), span);
      index_copies.back() = hir::clone(*slot);
      expr(*index_copies.back());
    }
  }
  std::vector<const Expr*> indices;
  for (const hir::ExprPtr& copy : index_copies) indices.push_back(copy.get());
  std::optional<MixedIndex> m = mixed_index(base, indices);
  // (a mask of the array's own shape selects elements: its op= path stays)
  bool rows = indices.size() == 1 && indices[0]->type->is_array() && indices[0]->type->ndim == 1 && base->ndim > 1;
  if (s.kind == StmtKind::AugAssign) {
    if (!m && !rows) return false;
    // What NumPy does is a[i] = a[i] op v: the target is read and written,
    // so its parts are evaluated twice, which only a part with effects
    // (a call, a walrus) could tell; and the result must cast back in place.
    if (!evaluated_twice_alike(target))
      unsupported(target.span, "an augmented assignment through an index array whose array or index has side "
                               "effects: bind them to names first");
    const Type* value = expr(*s.value);
    if (is_unknown(value)) return false;
    const Type* selection = array(base->scalar, base->ndim, Layout::Any);
    const Type* result = binary(s.op, selection, value, s.span, s.value->is_negative_int_constant(),
                                hir::numpy_scalar_operands({nullptr, s.value.get()}));
    check_in_place_kind(s, selection, value, result);
    as_plain_assignment(s, hir::clone(target));
    return true;
  }
  if (!m) return false;
  const Type* value = expr(*s.value);
  if (is_unknown(value)) return false;
  SourceSpan span = s.span;
  s.target = rows_selection(target, *m);
  if (m->axis != 0 && value->is_array()) {  // (the value's axes are the result's)
    if (value->ndim < m->view_ndim) {  // leading axes of 1, as broadcasting against the selection adds them
      std::vector<hir::ExprPtr> new_axes;
      for (int k = value->ndim; k < m->view_ndim; ++k) new_axes.push_back(hir::make_none(span));
      auto padded = std::make_unique<Expr>(ExprKind::Subscript, span);
      padded->children.push_back(std::move(s.value));
      padded->set_indices(std::move(new_axes));
      s.value = std::move(padded);
    }
    if (value->ndim <= m->view_ndim) s.value = transposed(std::move(s.value), axis_first(m->axis, m->view_ndim), span);
  }
  return true;
}

}  // namespace numjit::types
