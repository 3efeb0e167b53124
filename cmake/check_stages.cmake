# Checks the stage table without configuring a build (the tests run it):
#   cmake -DNUMJIT_SOURCE_ROOT=<src folder> -P cmake/check_stages.cmake
# Fails with the offending include when a stage includes one it may not use.
if(NOT NUMJIT_SOURCE_ROOT)
  message(FATAL_ERROR "set NUMJIT_SOURCE_ROOT to the src folder to check")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/stages.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/stage_table.cmake")
get_property(stages GLOBAL PROPERTY NUMJIT_STAGES)
message(STATUS "numjit stages depend one way: ${stages}")
