# The compiler's stages as CMake libraries, each over its own files, with the
# stages it may use. After the table, numjit_check_stages() reads every
# #include "numjit/..." in every stage's files and stops the configuration
# when one names a file of a stage that is not a dependency (directly or
# through others): the stages depend one way, and an include that points
# upward fails the build.
#
#   numjit_stage(<name> FILES <globs...> [DEPENDS <stages...>] [LIBRARIES <targets...>]
#                [HEADER_ONLY | CHECK_ONLY])
#
# HEADER_ONLY makes an INTERFACE library; CHECK_ONLY makes no library (the
# front end, whose sources the Python extension compiles) but still checks.
#
# DEPENDS are linked PRIVATE: a stage's users get its code, not the right to
# use its dependencies (the include check enforces that). LIBRARIES are
# outside libraries (LLVM) whose headers the stage's own headers include.

# Runs in a configure and in script mode (cmake/check_stages.cmake, used by
# the tests), where it only checks and makes no targets.
if(NOT NUMJIT_SOURCE_ROOT)
  set(NUMJIT_SOURCE_ROOT "${PROJECT_SOURCE_DIR}/src")
endif()
set_property(GLOBAL PROPERTY NUMJIT_STAGES "")

function(numjit_stage name)
  cmake_parse_arguments(STAGE "HEADER_ONLY;CHECK_ONLY" "" "FILES;DEPENDS;LIBRARIES" ${ARGN})
  set(files "")
  foreach(pattern IN LISTS STAGE_FILES)
    if(CMAKE_SCRIPT_MODE_FILE)
      file(GLOB matched RELATIVE "${NUMJIT_SOURCE_ROOT}" "${NUMJIT_SOURCE_ROOT}/${pattern}")
    else()
      file(GLOB matched CONFIGURE_DEPENDS RELATIVE "${NUMJIT_SOURCE_ROOT}" "${NUMJIT_SOURCE_ROOT}/${pattern}")
    endif()
    list(APPEND files ${matched})
  endforeach()
  if(NOT files)
    message(FATAL_ERROR "numjit stage ${name}: no files match ${STAGE_FILES}")
  endif()
  # Which stage owns each file; a file in two stages is a mistake in this table.
  foreach(f IN LISTS files)
    get_property(owner GLOBAL PROPERTY "NUMJIT_OWNER_${f}")
    if(owner AND NOT owner STREQUAL name)
      message(FATAL_ERROR "numjit stage ${name}: ${f} already belongs to stage ${owner}")
    endif()
    set_property(GLOBAL PROPERTY "NUMJIT_OWNER_${f}" ${name})
  endforeach()
  # The stages this one may include: itself and its dependencies' closures.
  set(allowed ${name})
  foreach(dep IN LISTS STAGE_DEPENDS)
    get_property(dep_allowed GLOBAL PROPERTY "NUMJIT_ALLOWED_${dep}")
    if(NOT dep_allowed)
      message(FATAL_ERROR "numjit stage ${name}: depends on ${dep}, which is not declared before it")
    endif()
    list(APPEND allowed ${dep_allowed})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY "NUMJIT_ALLOWED_${name}" ${allowed})
  set_property(GLOBAL PROPERTY "NUMJIT_FILES_${name}" ${files})
  set_property(GLOBAL APPEND PROPERTY NUMJIT_STAGES ${name})
  if(STAGE_CHECK_ONLY OR CMAKE_SCRIPT_MODE_FILE)
    return()
  endif()
  if(STAGE_HEADER_ONLY)
    add_library(numjit_${name} INTERFACE)
    target_include_directories(numjit_${name} INTERFACE "${NUMJIT_SOURCE_ROOT}")
    target_link_libraries(numjit_${name} INTERFACE ${STAGE_LIBRARIES})
    return()
  endif()
  set(sources "")
  foreach(f IN LISTS files)
    if(f MATCHES "\\.cpp$")
      list(APPEND sources "${NUMJIT_SOURCE_ROOT}/${f}")
    endif()
  endforeach()
  add_library(numjit_${name} STATIC ${sources})
  target_include_directories(numjit_${name} PUBLIC "${NUMJIT_SOURCE_ROOT}")
  target_link_libraries(numjit_${name} PUBLIC ${STAGE_LIBRARIES})
  foreach(dep IN LISTS STAGE_DEPENDS)
    target_link_libraries(numjit_${name} PRIVATE numjit_${dep})
  endforeach()
endfunction()

# After the table: every include of every stage's files must name a file of
# that stage or of one it depends on, and every file of the compiler core and
# runtime must belong to a stage, so a new file (or folder) cannot escape.
function(numjit_check_stages)
  get_property(stages GLOBAL PROPERTY NUMJIT_STAGES)
  foreach(name IN LISTS stages)
    get_property(allowed GLOBAL PROPERTY "NUMJIT_ALLOWED_${name}")
    get_property(files GLOBAL PROPERTY "NUMJIT_FILES_${name}")
    foreach(f IN LISTS files)
      file(STRINGS "${NUMJIT_SOURCE_ROOT}/${f}" includes REGEX "^#include \"numjit/")
      foreach(line IN LISTS includes)
        string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${line}")
        get_property(owner GLOBAL PROPERTY "NUMJIT_OWNER_${header}")
        if(NOT owner)
          message(FATAL_ERROR "${f} includes ${header}, which belongs to no stage (cmake/stage_table.cmake)")
        endif()
        list(FIND allowed ${owner} found)
        if(found EQUAL -1)
          message(FATAL_ERROR "${f} (stage ${name}) includes ${header} of stage ${owner}, "
                              "which ${name} does not depend on: stages depend one way "
                              "(see cmake/stage_table.cmake and docs/architecture.md)")
        endif()
      endforeach()
    endforeach()
  endforeach()
  file(GLOB_RECURSE all RELATIVE "${NUMJIT_SOURCE_ROOT}" "${NUMJIT_SOURCE_ROOT}/numjit/*")
  foreach(f IN LISTS all)
    get_property(owner GLOBAL PROPERTY "NUMJIT_OWNER_${f}")
    if(NOT owner)
      message(FATAL_ERROR "${f} belongs to no stage: add it to cmake/stage_table.cmake")
    endif()
  endforeach()
endfunction()
