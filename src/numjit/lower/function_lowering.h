// Typed HIR -> LLVM IR for one function specialization. Locals are allocas in
// the entry block (mem2reg promotes them). Internal functions have the
// signature `i32 f(ptr result, params...)`: the status (0 ok, 1 exception
// pending in the runtime) is returned, the value written through `result`.
// The topics are split across files: statements (lower_stmt.cpp),
// expressions (lower_expr.cpp), arithmetic (lower_arith.cpp), arrays
// (lower_array.cpp).
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "numjit/codegen/llvm_types.h"
#include "numjit/codegen/runtime_calls.h"
#include "numjit/hir/hir.h"
#include "numjit/library/row_context.h"
#include "numjit/passes/plans.h"
#include "numjit/runtime/abi.h"

namespace numjit::lower {

using types::Type;

// The exceptions compiled code raises itself are named by kind (runtime/abi.h).
using abi::ExceptionKind;
// The LLVM building blocks lowering shares with the library rows (codegen/).
using codegen::array_struct;
using codegen::itemsize;
using codegen::kArrayData;
using codegen::kArrayMeminfo;
using codegen::kArrayParent;
using codegen::kArrayShape;
using codegen::kArrayStrides;
using codegen::memory_type;
using codegen::runtime_function;
using codegen::RuntimeFunction;
using codegen::value_type;
using types::list_item;

class ModuleLowering;

// Whether values of `t` hold references to array memory (arrays, and tuples
// or optionals of them).
bool holds_memory(const Type* t);
// Which 8-byte words of a value of `t`, stored inline at byte `offset` of a
// container's item, hold a MemInfo the container owns (bit k: byte 8k); the
// runtime releases them when the container goes (runtime/memory.h).
uint64_t owned_word_mask(const Type* t, llvm::LLVMContext& ctx, const llvm::DataLayout& layout, uint64_t offset = 0);
// Whether `e` is an interior node of a fused array expression (an operator or
// ufunc call whose result is an array).
bool is_elementwise_node(const hir::Expr& e);
// Whether a subscript indexes with an array (a[mask], a[idx]).
bool is_fancy_index(const hir::Expr& subscript);
bool is_pointwise(const hir::Expr& subscript);  // a[rows, cols] with index arrays

// Lowers one function's typed HIR into its LLVM function. It also serves the
// library rows, through the RowContext interface they see.
class FunctionLowering final : public library::RowContext {
 public:
  // `deferred`: the variant for loops whose division checks are deferred
  // (ModuleLowering::function_for): a zero divisor anywhere in it is noted,
  // and its returns give abi::kStatusZeroDivisor once one was.
  FunctionLowering(ModuleLowering& module, hir::Function& fn, llvm::Function* llvm_fn, bool deferred = false);
  void lower();

  // ---- services for library rows --------------------------------------
  llvm::IRBuilder<>& builder() override { return builder_; }
  llvm::LLVMContext& context() override { return builder_.getContext(); }
  llvm::Module& module() override;
  const hir::Function& function() const { return fn_; }
  llvm::Value* cast(llvm::Value* v, const Type* from, const Type* to) override;
  llvm::Value* float_to_integer(llvm::Value* v, const Type* to);
  // datetime64 / timedelta64 (lower_datetime.cpp): conversions to and from
  // them (cast's), their arithmetic on two values (the result's type is
  // types::time_binary_result's) and their comparisons.
  llvm::Value* convert_time(llvm::Value* v, const Type* from, const Type* to);
  llvm::Value* time_binary(hir::BinaryOp op, llvm::Value* l, const Type* lt, llvm::Value* r, const Type* rt);
  llvm::Value* time_compare(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b, const Type* tb);
  llvm::Value* is_nat(llvm::Value* count);
  llvm::Value* float_to_time(llvm::Value* x);
  llvm::Value* floor_divide_by(llvm::Value* v, int64_t divisor);
  llvm::Value* days_of_calendar(llvm::Value* count, int unit);
  llvm::Value* calendar_of_days(llvm::Value* days, int unit);
  llvm::Value* truth(llvm::Value* v, const Type* t) override;
  // Calls a libm function (by its double-precision name, e.g. "atan") on
  // scalars of `t`, marked so the loop vectorizer can use libmvec.
  llvm::Value* call_math(const std::string& name, const Type* t, std::vector<llvm::Value*> args) override;
  llvm::Value* call_complex_libm(const std::string& name, llvm::Value* z) override;  // complex128 in and out
  llvm::Value* numpy_complex_reciprocal(llvm::Value* z) override;
  llvm::Value* call_intrinsic(llvm::Intrinsic::ID id, llvm::Type* overload, std::vector<llvm::Value*> args) override;
  // Emits `if (condition) raise <kind>(message)`.
  void raise_if(llvm::Value* condition, ExceptionKind kind, const std::string& message) override;
  llvm::Value* binary_scalar(hir::BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t,
                             const SourceSpan& span) override;
  llvm::Value* power(llvm::Value* base, const Type* base_type, llvm::Value* exponent,
                     const Type* exponent_type, const Type* result, const hir::Expr* exponent_expr) override;
  llvm::Value* range_count(llvm::Value* start, llvm::Value* stop, llvm::Value* step) override;
  // Evaluates range(...)'s arguments; nullopt after emitting the raise of a constant zero step.
  std::optional<RangeBounds> range_bounds(const hir::Expr& range_call) override;
  llvm::Value* complex_operator_power(llvm::Value* x, llvm::Value* exponent, const Type* exponent_type,
                                     llvm::Value* general, const Type* t);
  llvm::Value* complex_power(llvm::Value* base, llvm::Value* exponent, const Type* t);
  llvm::Value* i64(int64_t v) override { return builder_.getInt64(v); }
  // A stack slot in the entry block (so mem2reg can promote it).
  llvm::AllocaInst* entry_alloca(llvm::Type* type, const std::string& name) override;
  llvm::Constant* string_constant(const std::string& s) override;
  void print_through_python(llvm::Value* v, const Type* t, bool last) override;  // (lower_objmode.cpp)
  // Runs `args.size()` elements of a lane kernel (lower_lanes.cpp); args[lane]
  // are that element's inputs; store_result receives each lane's result.
  void emit_lanes(const passes::LaneKernel& shape, const std::vector<std::vector<llvm::Value*>>& args,
                  const std::function<void(size_t lane, llvm::Value* value)>& store_result);

  // ---- whole arrays (lower_elementwise.cpp, lower_array.cpp) ---------------
  // A new array of type `t` (Fortran order when its layout is F, else C) and
  // shape; zero-filled when `zero`. Negative extents raise ValueError.
  llvm::Value* allocate_array(const Type* t, const std::vector<llvm::Value*>& shape, bool zero) override;
  llvm::Value* scratch_array(const Type* t, const std::vector<llvm::Value*>& shape) override {
    return own_temporary(allocate_array(t, shape, false), t);
  }
  // Calls body(element, element_type) for each element of an array-valued
  // expression; array expressions are fused, not materialized.
  void reduce_elements(const hir::Expr& source, const ElementBody& body) override;
  std::vector<Partial> fold_elements_in_passes(
      const hir::Expr& source, const std::vector<ElementFold>& passes,
      const std::function<FoldInputs(size_t, const std::vector<Partial>&)>& inputs_for) override;
  // A new array holding the value of an array-valued expression, computed
  // straight into it: of type `result` (dtype and C or F order) when given,
  // else C-contiguous of the expression's dtype.
  llvm::Value* materialize(const hir::Expr& e, const Type* result) override;
  // Reduces an array-valued expression along `axis` into a new array of
  // `out_type` whose elements start as `identity`; combine(acc, value,
  // value_type) gives the new accumulator. *axis_extent receives the length
  // of the reduced dimension.
  llvm::Value* reduce_axis(const hir::Expr& source, int axis, const Type* out_type, llvm::Value* identity,
                           llvm::Value** axis_extent,
                           const std::function<llvm::Value*(llvm::Value*, llvm::Value*, const Type*)>& combine) override;
  // The matrix product of two arrays (lower_linalg.cpp); `result` is the
  // array type, or the scalar type for two vectors.
  llvm::Value* blas_dot(llvm::Value* a, llvm::Value* b, llvm::Value* k, const Type* dtype);
  llvm::Value* matmul(llvm::Value* a, const Type* at, llvm::Value* b, const Type* bt, const Type* result,
                      const SourceSpan& span) override;
  llvm::Value* copy_as(llvm::Value* array, const Type* t, const Type* dtype) override;
  // np.linalg.solve / inv through LAPACK ?getrf/?getrs/?getri (lower_linalg.cpp).
  llvm::Value* linalg_solve(llvm::Value* a, const Type* at, llvm::Value* b, const Type* bt, const Type* result) override;
  llvm::Value* linalg_inv(llvm::Value* a, const Type* at, const Type* result) override;
  llvm::Value* lu_factor_transposed(llvm::Value* a, const Type* at, const Type* dtype, llvm::Value*& n,
                                    llvm::Value*& pivots);
  void copy_into(llvm::Value* dst, const Type* dst_type, llvm::Value* src, const Type* src_type) override;
  llvm::Value* reduce_last_axis(const hir::Expr& source, const Type* out_type, llvm::Value* identity,
                                llvm::Value** axis_extent,
                                const std::function<llvm::Value*(llvm::Value*, llvm::Value*, const Type*)>& combine);
  // target[...] = value (or op= value), broadcasting the value.
  void assign_elementwise(llvm::Value* target, const Type* target_type, const hir::Expr& value,
                          std::optional<hir::BinaryOp> op) override;
  // Emits `for i in range(count): body(i)` over i64, count possibly <= 0.
  void counted_loop(llvm::Value* count, const std::string& name, const std::function<void(llvm::Value*)>& body) override;
  // Stores a value in a fresh stack slot and returns the slot.
  llvm::Value* spill(llvm::Value* v) override;
  llvm::Value* tuple_item(llvm::Value* tuple, const types::Type* t, const hir::Expr& index);
  // Whether element-level arithmetic follows NumPy (no ZeroDivisionError).
  bool numpy_arithmetic() const { return elementwise_depth_ > 0; }
  // binary_scalar with NumPy's rules (x / 0 is inf or nan, no exception).
  llvm::Value* binary_numpy(hir::BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t) override {
    ++elementwise_depth_;
    llvm::Value* v = binary_scalar(op, l, r, t, {});
    --elementwise_depth_;
    return v;
  }

  llvm::Value* numpy_binary_element(hir::BinaryOp op, llvm::Value* l, const Type* lt, llvm::Value* r, const Type* rt,
                                    const Type* result) override;
  llvm::Value* compare_scalars(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b,
                               const Type* tb) override {
    return compare_pair(op, a, ta, b, tb);
  }

  // ---- lists (lower_list.cpp) -----------------------------------------------
  llvm::Value* list_new(const Type* list_type, llvm::Value* capacity);
  void list_append(llvm::Value* list, const Type* list_type, llvm::Value* value, const Type* value_type) override;
  llvm::Value* list_length(llvm::Value* list) override;
  llvm::Value* list_item_pointer(llvm::Value* list, const Type* list_type, llvm::Value* index, const Type* index_type) override;
  llvm::Value* list_to_array(llvm::Value* list, const Type* list_type, const Type* array_type) override;
  llvm::Value* list_field(llvm::Value* list, uint64_t offset, llvm::Type* type);
  llvm::Value* list_data(llvm::Value* list);
  llvm::LoadInst* load_list_header(llvm::Type* type, llvm::Value* address);
  void store_list_header(llvm::Value* v, llvm::Value* address);
  llvm::Value* load_list_item(llvm::Value* slot, const Type* item);
  void store_list_item(llvm::Value* slot, llvm::Value* v, const Type* item);
  llvm::Value* list_literal(const hir::Expr& e);
  llvm::Value* retype_empty_list(llvm::Value* list, const Type* to);
  // Dicts (lower/lower_dict.cpp); also sets, whose types have no value type.
  llvm::Value* dict_new(const Type* dict_type);
  llvm::Value* dict_literal(const hir::Expr& e);
  llvm::Value* dict_length(llvm::Value* dict) override;
  llvm::Value* dict_find(llvm::Value* dict, const Type* dict_type, llvm::Value* key, const Type* key_type) override;
  llvm::Value* dict_value_pointer(llvm::Value* dict, const Type* dict_type, llvm::Value* entry) override;
  llvm::Value* dict_lookup(llvm::Value* dict, const Type* dict_type, llvm::Value* key, const Type* key_type);
  void dict_store(llvm::Value* dict, const Type* dict_type, llvm::Value* key, const Type* key_type, llvm::Value* value,
                  const Type* value_type);
  llvm::Value* dict_remove(llvm::Value* dict, const Type* dict_type, llvm::Value* entry) override;
  llvm::Value* dict_contents(llvm::Value* dict, const Type* dict_type, const Type* list_type, int what) override;
  llvm::Value* retype_empty_dict(llvm::Value* dict, const Type* to);
  llvm::Value* retype_held_items(llvm::Value* container, const Type* to);
  void raise_key_error_if(llvm::Value* missing, const Type* dict_type, llvm::Value* key, const Type* key_type) override;
  // The entry a table lookup finds: read inline from the key's first index
  // slot for an 8-byte key, else (and when that slot does not settle it)
  // what `runtime_call` returns.
  llvm::Value* probe_first_slot_or(llvm::Value* table, const Type* table_type, llvm::Value* key_slot,
                                   const std::function<llvm::Value*()>& runtime_call);
  // Sets share the dicts' table (lower/lower_dict.cpp).
  llvm::Value* set_literal(const hir::Expr& e);
  void set_add(llvm::Value* set, const Type* set_type, llvm::Value* item, const Type* item_type) override;
  llvm::Value* set_discard(llvm::Value* set, const Type* set_type, llvm::Value* item, const Type* item_type) override;
  llvm::Value* set_pop(llvm::Value* set, const Type* set_type) override;
  // The key of a subscript `d[k]` or `d[i, j]` (a tuple), evaluated.
  llvm::Value* dict_subscript_key(const hir::Expr& subscript, const Type*& key_type);

  // ---- memory ownership (ownership.cpp) -----------------------------------
  void incref(llvm::Value* v, const Type* t) override;
  void decref(llvm::Value* v, const Type* t) override;
  // `v` with a reference of its own, for storing into a `container` of `item`s.
  llvm::Value* own_stored(llvm::Value* v, const Type* item, const Type* container) override;
  // Parks a new reference until the current statement ends; returns `value`.
  llvm::Value* own_temporary(llvm::Value* value, const Type* t) override;
  // Gives up ownership of the newest temporary without releasing it (its new owner takes it).
  void hand_over_last_temporary();
  llvm::BasicBlock* new_block(const std::string& name) override;
  // Leaves with an error `status` (or ok, from a chunk function): to the
  // handlers of a try around, else out of the function through the cleanup block.
  void exit_function(llvm::Value* status);
  // Leaves the function with `status` through the cleanup block.
  void leave_function(llvm::Value* status);
  // Leaves through the cleanup block when a callee's status is not ok.
  void exit_if_failed(llvm::Value* status) override;
  // The same, giving back the stack saved as `stack` first (the error exit
  // may be a handler in this frame, which may run again: a loop).
  void exit_if_failed_restoring(llvm::Value* status, llvm::Value* stack);

 private:
  friend class StatementLowering;
  ModuleLowering& module_;
  hir::Function& fn_;
  const passes::FunctionPlan& plan_;  // what the analyses decided (passes/plans.h)
  llvm::Function* llvm_fn_;
  llvm::IRBuilder<> builder_;
  std::vector<llvm::AllocaInst*> locals_;
  llvm::Value* result_ptr_ = nullptr;
  struct LoopTargets {
    llvm::BasicBlock* continue_block;
    llvm::BasicBlock* break_block;
    size_t live_temporaries;  // live_temporaries_.size() as its body starts: a jump releases those above
  };
  std::vector<LoopTargets> loops_;
  // Set while lowering a loop whose division checks are deferred to its exit
  // (passes/deferred_checks.h): an i1 alloca ORed with "a divisor was zero".
  llvm::AllocaInst* deferred_zero_division_ = nullptr;
  bool deferred_variant_ = false;  // a function's variant whose whole body defers (the flag above is its own)
  // Lower bounds of locals where they are read: the variables of range loops
  // with a positive step, from a constant start or versioned on start >= 0
  // (a stack per local, for nested loops over the same name). An index whose
  // bound is >= 0 (i, i - 1 with i >= 1, i + j with j >= -2 and i >= 2) skips
  // wraparound, which keeps the vectorizer's accesses consecutive.
  std::map<int, std::vector<int64_t>> local_lower_bounds_;
  // The bound `local` keeps whatever is assigned to it (plan_.never_negative; INT64_MIN: none).
  int64_t invariant_lower_bound(int local) const;
  // Per local, an i1 "has been assigned" slot where some read may find it
  // unassigned (FunctionPlan::unassigned_reads); nullptr elsewhere.
  std::vector<llvm::AllocaInst*> assigned_flags_;
  llvm::Value* read_local(int local);
  void store_tuple_row(llvm::Value* view, const Type* view_type, const hir::Expr& value);
  llvm::Value* compare_tuples(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b, const Type* tb);
  std::optional<int64_t> lower_bound(const hir::Expr& e) const;
  std::optional<int64_t> local_lower_bound(int local) const;  // where lowering now stands
  // True while lowering an outlined prange body: nested pranges run serially.
  bool in_parallel_body_ = false;
  // Ownership (ownership.cpp): temporary slots still holding a reference in
  // the statement being lowered, every slot ever made (the cleanup block
  // releases them all), and the shared exit.
  struct Temporary {
    llvm::AllocaInst* slot;
    const Type* type;
  };
  std::vector<Temporary> live_temporaries_, all_temporaries_;
  llvm::BasicBlock* cleanup_block_ = nullptr;
  llvm::AllocaInst* status_slot_ = nullptr;
  void for_each_meminfo(llvm::Value* v, const Type* t, const std::function<void(llvm::Value*)>& fn);
  void store_local(int local, llvm::Value* value);
  void release_temporaries(size_t mark);
  void finish_cleanup();

  // ---- statements (lower_stmt.cpp) --------------------------------------
  void declare_locals();
  void apply_fastmath();
  void check_stack_depth();
  void finish_body();
  void block(const hir::Block& b);
  // `b` with the lower bounds a condition gives (passes::condition_lower_bounds)
  // in force until the first statement that may assign the bounded local.
  void block_under(const hir::Block& b, const std::vector<std::pair<int, int64_t>>& bounds);
  void statement(const hir::Stmt& s);
  void statement_kinds(const hir::Stmt& s);
  void assign(const hir::Expr& target, llvm::Value* value, const Type* value_type, const SourceSpan& span);
  void aug_assign(const hir::Stmt& s);
  void slice_assign(const hir::Expr& target, const hir::Expr& value, std::optional<hir::BinaryOp> op);
  void if_stmt(const hir::Stmt& s);
  void while_stmt(const hir::Stmt& s);
  void for_stmt(const hir::Stmt& s);
  void for_range(const hir::Stmt& s);
  void lower_range_loop(const hir::Stmt& s, const RangeBounds& r);
  // prange under parallel=True (lower_parallel.cpp)
  void parallel_loop(const hir::Stmt& s);
  llvm::Function* outline_chunk(const hir::Stmt& s, const struct ParallelContext& ctx);
  // A chunk function `i32 (ptr ctx, i64 begin, i64 end, i32 number)` for the
  // runtime's parallel_for, and the start of its body (returns ctx).
  llvm::Function* new_chunk_function(const std::string& suffix);
  llvm::Value* begin_chunk_body();
  void lower_chunk_body(const hir::Stmt& s, const struct ParallelContext& ctx);
  // Array reductions of a prange loop (lower_array_reductions.cpp): each
  // chunk folds into a private array that starts as the identity, and the
  // function folds the chunks' arrays into the variable in chunk order.
  void add_array_reduction_fields(struct ParallelContext& ctx, std::vector<llvm::Type*>& fields);
  // Stores the arrays bound before the loop; returns the iterations per
  // chunk unit (null without array reductions).
  llvm::Value* store_array_reduction_fields(const struct ParallelContext& ctx, llvm::Value* env, llvm::Value* count,
                                            llvm::Value* nthreads);
  void start_array_reduction(const struct ParallelContext& ctx, llvm::Value* env, size_t k);
  void hand_over_array_partial(const struct ParallelContext& ctx, llvm::Value* env, size_t k, llvm::Value* slot);
  // After the region (whatever its status): folds the chunks' arrays into
  // the variables where it succeeded, and releases them.
  void finish_array_reductions(const struct ParallelContext& ctx, const std::vector<llvm::Value*>& partials,
                               llvm::Value* slots32, llvm::Value* status, llvm::Value* count);
  void emit_range_loop(const hir::Stmt& s, const RangeBounds& r, std::optional<int64_t> variable_lower_bound,
                       bool rare_copy = false);
  struct LoopBlocks {
    llvm::BasicBlock *cond, *body, *latch, *end;
  };
  LoopBlocks open_loop(const std::string& prefix);
  // Emits `for w in range(count): body(w)` (count > 0, an i32).
  void for_each_index(llvm::Value* count, const std::string& name, const std::function<void(llvm::Value*)>& body);
  void for_sequence(const hir::Stmt& s);
  void for_enumerate_zip(const hir::Stmt& s);
  struct Iterable;
  Iterable evaluate_iterable(const hir::Expr& e);
  void broadcast_walk(Iterable& it, llvm::Value* operands, const Type* tuple_type);
  llvm::Value* iterable_length(const Iterable& it);
  llvm::Value* iterable_item(const Iterable& it, llvm::Value* i, const Type*& type);
  // np.ndindex / np.ndenumerate / a.flat: the item at one multi-index.
  llvm::Value* index_walk_item(const Iterable& it, const std::vector<llvm::Value*>& digits, const Type*& type);
  void for_index_nest(const hir::Stmt& s, const Iterable& it);
  llvm::Value* sequence_item(llvm::Value* seq, const Type* st, llvm::Value* i, const Type*& item_type);
  llvm::Value* sequence_length(llvm::Value* seq, const Type* st);
  llvm::Value* held_for_the_loop(llvm::Value* seq, const Type* st);
  void counted_loop_with_exits(const std::function<llvm::Value*()>& count, const std::string& name,
                               const std::function<void(llvm::Value*)>& body);
  void return_stmt(const hir::Stmt& s);
  void raise_stmt(const hir::Stmt& s);

  // ---- try statements (lower_try.cpp) -------------------------------------
  // One part of a try statement being lowered: where an error raised in it
  // goes, and what leaving it by return, break or continue must do first.
  struct TryScope {
    llvm::BasicBlock* on_error;          // null: the error passes on to the enclosing scope
    size_t loop_depth;                   // loops_.size() at the try statement
    const hir::Block* finally_body;      // run on the way out (null: none, or it is what runs)
    llvm::AllocaInst* record = nullptr;  // a caught error this part holds, freed on the way out
    bool handler = false;                // the record is the exception a bare raise raises again
    // A try body: its statement, the entry block of each except clause, and
    // all_temporaries_.size() as it began (a direct entry releases those made since).
    const hir::Stmt* try_stmt = nullptr;
    std::vector<llvm::BasicBlock*> clause_entries = {};
    size_t temporaries_mark = 0;
  };
  std::vector<TryScope> try_scopes_;  // innermost last
  void try_stmt(const hir::Stmt& s);
  // Branches an error exit to the innermost try that catches it, freeing
  // the caught errors of the parts it leaves; false when none does.
  bool routes_error(llvm::Value* status);
  void discard_record(llvm::AllocaInst* record);
  llvm::AllocaInst* record_slot(const std::string& name);
  void release_temporaries_since(size_t mark);
  // Does what leaving try_scopes_[first..] takes: frees their caught errors
  // and runs their finally blocks, innermost first.
  void leave_try_scopes(size_t first);
  size_t scopes_inside_loop() const;  // the first scope a break or continue leaves
  // break (setting its loop-else `flag`, if any) or continue.
  void jump_out_of_loop(bool to_break, const hir::Expr* flag);
  void raise_again();  // a bare raise
  // A raise of numjit's own `kind` inside a try body whose clauses (known
  // when read) catch it: a branch straight into the first that does, with no
  // record made or matched, so a loop around it stays plain code (which may
  // vectorize). False where the general path must go.
  bool enter_clause_directly(ExceptionKind kind);
  void raise_where(llvm::Value* condition, ExceptionKind kind, const std::function<void()>& record_error);
  llvm::Value* caught_by(const hir::Expr& classes, llvm::Value* record);
  void assert_stmt(const hir::Stmt& s);
  void emit_return(llvm::Value* value, const Type* type);
  void emit_raise(ExceptionKind kind, const std::string& message);
  // `raise C(message)` of a class the function names (a Python object, imported by symbol).
  void emit_raise_class(const hir::GlobalValue& exc_class, const std::string& message);
  void ensure_open_block();
  bool block_terminated() { return builder_.GetInsertBlock()->getTerminator() != nullptr; }

  // ---- elementwise machinery (lower_elementwise.cpp) ----------------------
  struct Operand {
    const hir::Expr* expr;  // the leaf it came from (null for a result or target)
    const Type* type;       // an array or a scalar type
    llvm::Value* value;     // the array header or the scalar
    llvm::Value* element;   // inside the loop: the current element's address
  };
  int elementwise_depth_ = 0;
  void collect_operands(const hir::Expr& e, std::vector<Operand>& ops);
  void raise_if_int_out_of_bounds(const hir::Expr& operand, const Type* dtype, llvm::Value* value = nullptr);
  Operand mask_positions(const Operand& mask);
  llvm::Value* element_value(const hir::Expr& e, const std::vector<Operand>& ops, const Type*& type);
  // (elementwise_checks.cpp) The operands' broadcast shape, into `fixed_shape`
  // (checked against it) or a new slot; raises NumPy's ValueError.
  llvm::Value* broadcast_shape(const std::vector<Operand>& ops, int ndim, llvm::Value* fixed_shape);
  // Whether writing array `a` element by element may change what reading `o`
  // sees (their bytes meet, and they are not the very same view).
  llvm::Value* arrays_overlap(llvm::Value* a, const Type* a_type, llvm::Value* o, const Type* o_type);
  // broadcast_shape for the tree at `root`, whose parts that may raise are
  // computed on their own where the whole is empty (as NumPy computes them).
  llvm::Value* expression_shape(const hir::Expr& root, const std::vector<Operand>& ops, int ndim,
                                llvm::Value* fixed_shape);
  void elementwise_loop(std::vector<Operand>& ops, int ndim, llvm::Value* shape, const std::function<void()>& body);
  llvm::Value* materialize_elementwise(const hir::Expr& root, std::vector<Operand> ops, const Type* result);
  // parallel=True array expressions on the thread pool (lower_parallel_arrays.cpp).
  // How a shared expression's elements are cut among chunks: flat positions in
  // blocks, when every array is C-contiguous with the full shape; otherwise
  // (strided or broadcast operands, rank 2 and up) rows of the first axis.
  struct Sharing {
    bool rows;
    int ndim;
    llvm::Value* shape;  // the broadcast shape's slot
    llvm::Value* total;  // the element count
    llvm::Value* rows_count;
  };
  bool may_share_here() const;
  bool may_share_reductions() const override { return may_share_here(); }
  bool may_share_flat(const std::vector<Operand>& ops, int ndim) const;
  bool may_share_rows(const std::vector<Operand>& ops, int ndim) const;
  // Emits the choice between sharing the elements of `shape` among threads
  // (shared, called once for each way the types allow) and this thread's loop
  // (serial); returns the blocks each call ended in, serial's last, the
  // insertion point where they join.
  std::vector<llvm::BasicBlock*> shared_or_serial(
      const hir::Expr* root, const std::vector<Operand>& ops, int ndim, llvm::Value* shape,
      const std::function<void(const Sharing&)>& shared, const std::function<void()>& serial);
  // Stores one element of an expression whose operands' element addresses are
  // set (the output or target last), in the lowering it is given: this
  // function's, or a chunk function's.
  using ElementStore = std::function<void(FunctionLowering&, std::vector<Operand>&)>;
  // Runs `store` over the shape: shared among threads when parallel=True
  // allows it (lower_parallel_arrays.cpp), else in this thread's loop.
  void each_element_stored(const hir::Expr* root, std::vector<Operand>& ops, int ndim, llvm::Value* shape,
                           const ElementStore& store);
  // One element of target[...] = value (or op= value); root null: operand 0 is a materialized copy of the value.
  void assign_element(std::vector<Operand>& operands, const hir::Expr* root, const Type* target_type,
                      const hir::Expr& value, std::optional<hir::BinaryOp> op);
  void share_elementwise(const hir::Expr& root, const std::vector<Operand>& ops, const Sharing& sharing,
                         const ElementStore& store);
  void lower_elementwise_chunk(const hir::Expr& root, const std::vector<Operand>& parent_ops,
                               const Sharing& sharing, llvm::StructType* ctx_type, const ElementStore& store);
  Partial share_fold(const hir::Expr& root, const std::vector<Operand>& ops, const Sharing& sharing,
                     const ElementFold& fold, const FoldInputs& inputs);
  void lower_fold_chunk(const hir::Expr& root, const std::vector<Operand>& parent_ops, const Sharing& sharing,
                        llvm::StructType* ctx_type, const ElementFold& fold, size_t input_count);
  // A fold's partial, kept in stack slots while a loop folds into it.
  std::vector<llvm::AllocaInst*> partial_slots(const ElementFold& fold, const Partial& start);
  Partial load_partial(const ElementFold& fold, const std::vector<llvm::AllocaInst*>& slots);
  void store_partial(const Partial& p, const std::vector<llvm::AllocaInst*>& slots);
  // A shared expression's context: per operand, an array's data pointer (flat)
  // or whole header (rows), or a scalar's value; the element count (flat) or
  // the shape (rows); then `extra` fields for the caller.
  llvm::Value* elementwise_context(const std::vector<Operand>& ops, const Sharing& sharing,
                                   const std::vector<llvm::Type*>& extra, llvm::StructType*& type);
  // Inside a chunk function: rebuilds the parent's operands from the context
  // and runs body(ops) for each element of the chunk's blocks or rows, the
  // operands' element addresses set. Returns each operand's data pointer
  // (null for scalars; all null for rows, whose pointers are per row).
  std::vector<llvm::Value*> each_chunk_element(const hir::Expr& root, const std::vector<Operand>& parent_ops,
                                               const Sharing& sharing, llvm::StructType* ctx_type, llvm::Value* env,
                                               const std::function<void(std::vector<Operand>&)>& body);
  // The number of chunks' units the pool divides: blocks of flat positions, or rows.
  llvm::Value* shared_units(const Sharing& sharing);
  llvm::Value* array_expression(const hir::Expr& e);
  // advanced indexing (lower_fancy_index.cpp)
  llvm::Value* shape_slot(llvm::Value* array, const Type* t);
  void fancy_operands(const hir::Expr& subscript, Operand& base, Operand& index);
  llvm::Value* fancy_get(const hir::Expr& e);
  void fancy_set(const hir::Expr& target, const hir::Expr& value, std::optional<hir::BinaryOp> op);
  llvm::Value* checked_index(llvm::Value* index, const Type* index_type, llvm::Value* extent);

  // ---- expressions (lower_expr.cpp) -------------------------------------
 public:
  llvm::Value* expr(const hir::Expr& e) override;
  llvm::Value* expr_of_kind(const hir::Expr& e);  // expr() by the node's kind
  // Evaluates `e` and converts it to `to`.
  llvm::Value* expr_as(const hir::Expr& e, const Type* to);

 private:
  llvm::Value* constant(const hir::Expr& e);
  llvm::Value* constant_of(const hir::Constant& c, const Type* t);
  llvm::Value* binary(const hir::Expr& e);
  llvm::Value* unary(const hir::Expr& e);
  llvm::Value* compare(const hir::Expr& e);
  llvm::Value* compare_pair(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b, const Type* tb);
  llvm::Value* compare_text(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b, const Type* tb);
  llvm::Value* compare_mixed_sign(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b, const Type* tb);
  llvm::Value* bool_op(const hir::Expr& e);
  llvm::Value* if_exp(const hir::Expr& e);
  llvm::Value* call(const hir::Expr& e);
  llvm::Value* call_jitted(const hir::Expr& e);
  llvm::Value* call_python(const hir::Expr& e);  // lower_objmode.cpp
  llvm::Value* pointer_element(llvm::Value* pointer, const Type* pointer_type, llvm::Value* index,
                               const Type* index_type);
  llvm::Value* call_function(hir::Function& callee, const std::vector<llvm::Value*>& converted);
  llvm::Value* tuple(const hir::Expr& e);
  llvm::Value* global(const hir::Expr& e);
  llvm::Value* attribute(const hir::Expr& e);
  llvm::Value* subscript(const hir::Expr& e);
  llvm::Value* shift(hir::BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t);
  llvm::Value* floor_div_mod(hir::BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t, const SourceSpan& span);
  llvm::Value* floor_div_mod_checked(hir::BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t);
  llvm::Value* check_zero_divisor(llvm::Value* divisor, const Type* t, const char* message);
  void zero_division_if(llvm::Value* condition, const char* message);

  // ---- arrays (lower_array.cpp) -----------------------------------------
 public:
  llvm::Value* array_dim(llvm::Value* array, unsigned field, unsigned dim) override;
  llvm::Value* array_size(llvm::Value* array, const Type* t) override;
  llvm::Value* load_element(llvm::Value* ptr, const Type* dtype) override;
  void store_element(llvm::Value* ptr, llvm::Value* v, const Type* dtype) override;

 private:
  struct IndexValue {
    const hir::Expr* expr;
    llvm::Value* value;  // for integers; slices read their parts from expr
    const Type* type = nullptr;  // an element of a tuple index (a[idx]): its type, expr being the tuple
    const Type* index_type() const { return type ? type : expr->type; }
  };
  llvm::Value* element_pointer(llvm::Value* array, const Type* t, const std::vector<IndexValue>& indices,
                               const SourceSpan& span);
  llvm::Value* normalize_index(llvm::Value* index, const Type* index_type, llvm::Value* extent,
                               const SourceSpan& span, const hir::Expr* index_expr);
  llvm::Value* array_view(llvm::Value* array, const Type* t, const std::vector<IndexValue>& indices,
                          const Type* result, const SourceSpan& span);

  std::vector<IndexValue> lower_indices(const hir::Expr& subscript);
  void unpack_array(const hir::Expr& target, llvm::Value* array, const Type* t, const SourceSpan& span);
  llvm::Value* empty_view(llvm::Value* base, int ndim);
  llvm::Value* array_row(llvm::Value* array, const Type* t, llvm::Value* index, const Type* row_type);
  void for_each_point(const hir::Expr& subscript, const std::function<void(llvm::Value*)>& before,
                      const std::function<void(llvm::Value*, llvm::Value*)>& body);
  llvm::Value* result_slot(llvm::Value* results, const Type* dtype, llvm::Value* k);
  // The elements a fancy assignment selects and their new values, recorded
  // before any is stored (lower_fancy_index.cpp).
  struct Selections {
    llvm::Value* results = nullptr;    // 1-D array of the target's dtype
    llvm::Value* addresses = nullptr;  // 1-D int64 array
    llvm::Value* count = nullptr;      // how many to store
  };
  Selections selections(const Type* dtype, llvm::Value* most);
  // Records element k: its address, and `value` where given (else the
  // caller wrote the result already).
  void choose(const Selections& s, const Type* dtype, llvm::Value* k, llvm::Value* element, llvm::Value* value);
  void store_selections(const Selections& s, const Type* dtype);
  void for_each_selected_row(const Operand& base, const Operand& index,
                             const std::function<void(llvm::Value*, llvm::Value*, const Type*)>& body);
  llvm::Value* copied_if_overlapping(llvm::Value* target, const Type* target_type, llvm::Value* value,
                                     const Type* value_type);
  void fancy_set_rows(const Operand& base, const Operand& index, llvm::Value* v, const hir::Expr& value,
                      std::optional<hir::BinaryOp> op);
};

}  // namespace numjit::lower
