# The compiler's stages, bottom to top (docs/architecture.md has the figure),
# and the runtime. See cmake/stages.cmake for what numjit_stage() checks.
numjit_stage(support FILES numjit/support/*)
# The binary contract (array header, exception kinds, runtime functions):
# headers only, shared by the compiler and the runtime.
numjit_stage(abi HEADER_ONLY FILES numjit/runtime/abi.h numjit/runtime/functions.h numjit/runtime/functions.def
                                    numjit/runtime/python_literal.h)
numjit_stage(typesystem DEPENDS support abi
             FILES numjit/types/type.* numjit/types/unify.* numjit/types/array_typing.* numjit/types/time_typing.*
                   numjit/types/signature.h)
numjit_stage(hir DEPENDS support typesystem FILES numjit/hir/*)
numjit_stage(frontend CHECK_ONLY DEPENDS support abi hir FILES numjit/frontend/*)
numjit_stage(codegen DEPENDS typesystem abi LIBRARIES numjit_llvm FILES numjit/codegen/*)
numjit_stage(library DEPENDS hir codegen LIBRARIES numjit_llvm FILES numjit/library/*)
numjit_stage(infer DEPENDS hir library
             FILES numjit/types/infer* numjit/types/indexing.cpp numjit/types/mixed_indexing.cpp numjit/types/static_conditions.cpp
                   numjit/types/jitclass_operators.cpp numjit/types/indexed_classes.cpp
                   numjit/types/axis_tuples.cpp
                   numjit/types/call_binding.cpp)
numjit_stage(passes DEPENDS hir library FILES numjit/passes/*)
numjit_stage(lower DEPENDS hir codegen library infer passes LIBRARIES numjit_llvm FILES numjit/lower/*)
numjit_stage(jit DEPENDS support codegen LIBRARIES numjit_llvm FILES numjit/jit/*)
numjit_stage(pipeline DEPENDS hir infer passes lower jit LIBRARIES numjit_llvm FILES numjit/compiler.*)

# Runtime: plain C ABI called by compiled code and by the dispatcher; no LLVM.
numjit_stage(runtime DEPENDS abi LIBRARIES TBB::tbb Python::Module numjit_npyrandom numjit_pocketfft
             FILES numjit/runtime/*.cpp numjit/runtime/arrays.h numjit/runtime/dict.h numjit/runtime/generator.h numjit/runtime/partition_avx512.h
                   numjit/runtime/memory.h
                   numjit/runtime/parallel.h numjit/runtime/lingering_team.h numjit/runtime/chunk_claims.h numjit/runtime/random.h numjit/runtime/strings.h
                   numjit/runtime/unicode_case.h numjit/runtime/unicode_case_tables.inc)
numjit_check_stages()
