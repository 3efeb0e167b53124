// What a library row's lowering may ask of the function being lowered. Rows
// see this narrow interface, not the lowering class that implements it
// (RowContext), so the library depends on lowering only through
// the services listed here.
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "numjit/codegen/llvm_types.h"
#include "numjit/codegen/runtime_calls.h"
#include "numjit/hir/hir.h"
#include "numjit/runtime/abi.h"

namespace numjit::library {

using abi::ExceptionKind;
using types::Type;

class RowContext {
 public:
  virtual ~RowContext() = default;

  // ---- the IR being built ------------------------------------------------
  virtual llvm::IRBuilder<>& builder() = 0;
  virtual llvm::LLVMContext& context() = 0;
  virtual llvm::Module& module() = 0;
  virtual llvm::Value* i64(int64_t v) = 0;
  virtual llvm::BasicBlock* new_block(const std::string& name) = 0;
  // A stack slot in the entry block (so mem2reg can promote it).
  virtual llvm::AllocaInst* entry_alloca(llvm::Type* type, const std::string& name) = 0;
  // Stores a value in a fresh stack slot and returns the slot.
  virtual llvm::Value* spill(llvm::Value* v) = 0;
  virtual llvm::Constant* string_constant(const std::string& s) = 0;
  // print()'s writing of a value Python formats (an array, a tuple, a list,
  // a dict): str() of it boxed, then a space, or a newline when `last`.
  virtual void print_through_python(llvm::Value* v, const Type* t, bool last) = 0;
  // Emits `for i in range(count): body(i)` over i64, count possibly <= 0.
  virtual void counted_loop(llvm::Value* count, const std::string& name,
                            const std::function<void(llvm::Value*)>& body) = 0;

  // ---- values and arithmetic ----------------------------------------------
  // Lowers an argument the row evaluates itself (rows with lazy_arguments).
  virtual llvm::Value* expr(const hir::Expr& e) = 0;
  virtual llvm::Value* cast(llvm::Value* v, const Type* from, const Type* to) = 0;
  virtual llvm::Value* truth(llvm::Value* v, const Type* t) = 0;
  virtual llvm::Value* binary_scalar(hir::BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t,
                                     const SourceSpan& span) = 0;
  // binary_scalar with NumPy's rules (x / 0 is inf or nan, no exception).
  virtual llvm::Value* binary_numpy(hir::BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t) = 0;
  // One element of a NumPy binary ufunc: computed in the type NumPy computes
  // lt op rt in (integers divide in float64), by NumPy's rules, cast to `result`.
  virtual llvm::Value* numpy_binary_element(hir::BinaryOp op, llvm::Value* l, const Type* lt, llvm::Value* r,
                                            const Type* rt, const Type* result) = 0;
  // a op b of two numbers (integers of mixed signs compared by value).
  virtual llvm::Value* compare_scalars(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b,
                                       const Type* tb) = 0;
  virtual llvm::Value* power(llvm::Value* base, const Type* base_type, llvm::Value* exponent,
                             const Type* exponent_type, const Type* result, const hir::Expr* exponent_expr) = 0;
  // Calls a libm function (by its double-precision name, e.g. "atan") on
  // scalars of `t`, marked so the loop vectorizer can use libmvec.
  virtual llvm::Value* call_math(const std::string& name, const Type* t, std::vector<llvm::Value*> args) = 0;
  virtual llvm::Value* call_complex_libm(const std::string& name, llvm::Value* z) = 0;  // complex128 in and out
  // np.reciprocal of a complex value, by NumPy's own formula (not 1 / z).
  virtual llvm::Value* numpy_complex_reciprocal(llvm::Value* z) = 0;
  virtual llvm::Value* call_intrinsic(llvm::Intrinsic::ID id, llvm::Type* overload,
                                      std::vector<llvm::Value*> args) = 0;

  // ---- exceptions and memory ------------------------------------------------
  // Emits `if (condition) raise <kind>(message)`.
  virtual void raise_if(llvm::Value* condition, ExceptionKind kind, const std::string& message) = 0;
  // Leaves through the cleanup block when a callee's status is not ok.
  virtual void exit_if_failed(llvm::Value* status) = 0;
  virtual void incref(llvm::Value* v, const Type* t) = 0;
  virtual void decref(llvm::Value* v, const Type* t) = 0;
  // Parks a new reference until the statement ends (or an error leaves it); returns `value`.
  virtual llvm::Value* own_temporary(llvm::Value* value, const Type* t) = 0;

  // ---- ranges -------------------------------------------------------------
  // A range loop's iterations k in [first, count) (unsigned), the loop
  // variable being start + k * step.
  struct RangeBounds {
    llvm::Value* start;
    llvm::Value* step;
    llvm::Value* first;
    llvm::Value* count;
  };
  virtual llvm::Value* range_count(llvm::Value* start, llvm::Value* stop, llvm::Value* step) = 0;
  // Evaluates range(...)'s arguments; nullopt after emitting the raise of a constant zero step.
  virtual std::optional<RangeBounds> range_bounds(const hir::Expr& range_call) = 0;

  // ---- arrays ---------------------------------------------------------------
  // A new array of type `t` (Fortran order when its layout is F, else C) and
  // shape; zero-filled when `zero`. Negative extents raise ValueError.
  virtual llvm::Value* allocate_array(const Type* t, const std::vector<llvm::Value*>& shape, bool zero) = 0;
  // allocate_array for an array the row uses and drops: released when the statement ends.
  virtual llvm::Value* scratch_array(const Type* t, const std::vector<llvm::Value*>& shape) = 0;
  virtual llvm::Value* array_dim(llvm::Value* array, unsigned field, unsigned dim) = 0;
  virtual llvm::Value* array_size(llvm::Value* array, const Type* t) = 0;
  virtual llvm::Value* load_element(llvm::Value* ptr, const Type* dtype) = 0;
  virtual void store_element(llvm::Value* ptr, llvm::Value* v, const Type* dtype) = 0;
  // Calls body(element, element_type) for each element of an array-valued
  // expression; array expressions are fused, not materialized.
  using ElementBody = std::function<void(llvm::Value*, const Type*)>;
  virtual void reduce_elements(const hir::Expr& source, const ElementBody& body) = 0;
  // A whole-array reduction that parallel=True may share among threads. Each
  // pass folds every element into a partial (a few scalars: np.mean's sum and
  // count) that starts as identity(). Shared, each chunk of elements folds its
  // own partial and the partials merge in chunk order, so the result depends
  // on the thread count but not on timing. The callbacks get the context to
  // emit in (the caller's, or a chunk function's) and the pass's inputs,
  // rebuilt in that context.
  using Partial = std::vector<llvm::Value*>;
  using FoldInputs = std::vector<llvm::Value*>;
  struct ElementFold {
    std::vector<llvm::Type*> partial_types;
    std::function<Partial(RowContext&)> identity;
    std::function<Partial(RowContext&, const Partial&, llvm::Value* v, const Type* vt, const FoldInputs&)> step;
    std::function<Partial(RowContext&, const Partial& left, const Partial& right)> merge;
  };
  // Whether fold_elements_in_passes may share a reduction here among threads
  // (parallel=True, outside a prange body): a row with a faster serial loop of
  // its own keeps the fold there.
  virtual bool may_share_reductions() const = 0;
  // One loop per pass over the elements of `source`, whose leaves (calls
  // among them) are evaluated once for all: np.var's second pass reads the
  // same numbers as its first. inputs_for(k, partials of the passes before)
  // emits what pass k needs from them (np.var's mean). Returns each pass's
  // final partial.
  virtual std::vector<Partial> fold_elements_in_passes(
      const hir::Expr& source, const std::vector<ElementFold>& passes,
      const std::function<FoldInputs(size_t, const std::vector<Partial>&)>& inputs_for) = 0;
  // A new array holding the value of an array-valued expression, computed
  // straight into it: of type `result` (dtype and C or F order) when given,
  // else C-contiguous of the expression's dtype.
  virtual llvm::Value* materialize(const hir::Expr& e, const Type* result) = 0;
  // Reduces an array-valued expression along `axis` into a new array of
  // `out_type` whose elements start as `identity`; combine(acc, value,
  // value_type) gives the new accumulator. *axis_extent receives the length
  // of the reduced dimension.
  virtual llvm::Value* reduce_axis(
      const hir::Expr& source, int axis, const Type* out_type, llvm::Value* identity, llvm::Value** axis_extent,
      const std::function<llvm::Value*(llvm::Value*, llvm::Value*, const Type*)>& combine) = 0;
  // Whether an array of type `t` is contiguous in C order (else F order) at
  // run time, by NumPy's rule: extents of 1 have any stride, an empty array is
  // both (numpy_views.cpp).
  llvm::Value* contiguous_in_order(llvm::Value* array, const Type* t, bool c_order);
  virtual llvm::Value* copy_as(llvm::Value* array, const Type* t, const Type* dtype) = 0;
  virtual void copy_into(llvm::Value* dst, const Type* dst_type, llvm::Value* src, const Type* src_type) = 0;
  // target[...] = value (or op= value), broadcasting the value.
  virtual void assign_elementwise(llvm::Value* target, const Type* target_type, const hir::Expr& value,
                                  std::optional<hir::BinaryOp> op) = 0;
  // The matrix product of two arrays; `result` is the array type, or the
  // scalar type for two vectors.
  virtual llvm::Value* matmul(llvm::Value* a, const Type* at, llvm::Value* b, const Type* bt, const Type* result,
                              const SourceSpan& span) = 0;
  // np.linalg.solve / inv through LAPACK ?getrf/?getrs/?getri.
  virtual llvm::Value* linalg_solve(llvm::Value* a, const Type* at, llvm::Value* b, const Type* bt,
                                    const Type* result) = 0;
  virtual llvm::Value* linalg_inv(llvm::Value* a, const Type* at, const Type* result) = 0;

  // ---- lists, dicts and sets -------------------------------------------------
  virtual void list_append(llvm::Value* list, const Type* list_type, llvm::Value* value, const Type* value_type) = 0;
  // `v` with a reference of its own, for storing into a `container` of `item`s.
  virtual llvm::Value* own_stored(llvm::Value* v, const Type* item, const Type* container) = 0;
  virtual llvm::Value* list_length(llvm::Value* list) = 0;
  virtual llvm::Value* list_item_pointer(llvm::Value* list, const Type* list_type, llvm::Value* index,
                                         const Type* index_type) = 0;
  virtual llvm::Value* list_to_array(llvm::Value* list, const Type* list_type, const Type* array_type) = 0;
  virtual llvm::Value* dict_length(llvm::Value* dict) = 0;
  virtual llvm::Value* dict_find(llvm::Value* dict, const Type* dict_type, llvm::Value* key, const Type* key_type) = 0;
  // KeyError(key) where `missing` holds (the key as the exception's argument).
  virtual void raise_key_error_if(llvm::Value* missing, const Type* dict_type, llvm::Value* key,
                                  const Type* key_type) = 0;
  virtual llvm::Value* dict_value_pointer(llvm::Value* dict, const Type* dict_type, llvm::Value* entry) = 0;
  virtual llvm::Value* dict_remove(llvm::Value* dict, const Type* dict_type, llvm::Value* entry) = 0;
  virtual llvm::Value* dict_contents(llvm::Value* dict, const Type* dict_type, const Type* list_type, int what) = 0;
  // Sets: a table as a dict's, without values. set_discard returns whether the item was there.
  virtual void set_add(llvm::Value* set, const Type* set_type, llvm::Value* item, const Type* item_type) = 0;
  virtual llvm::Value* set_discard(llvm::Value* set, const Type* set_type, llvm::Value* item, const Type* item_type) = 0;
  virtual llvm::Value* set_pop(llvm::Value* set, const Type* set_type) = 0;
};

}  // namespace numjit::library
