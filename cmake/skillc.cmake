# skillc_add_standard(): a skill standard's outputs as a CMake target
# (docs/integration.md).
#
#   skillc_add_standard(<target> <yaml>
#     [FORMATS c json md docx]   the outputs to write (default: all)
#     [OUTPUT_DIR <dir>]         where (default: ${CMAKE_CURRENT_BINARY_DIR}/<target>)
#     [NAME <base>]              their base name (default: <yaml>'s, without .yaml)
#     [PREFIX <prefix>]          the C header's prefix (--prefix)
#     [RULES <file>...]          committee rules files (--rules)
#     [PROFILES <file>...]       profile files (--profile)
#     [OPTIONS <arg>...])        any other arguments of skillc build (-Werror, --with=...)
#
# <target> is an INTERFACE library: linking to it puts OUTPUT_DIR on the
# include path, so '#include "<base>.h"' works, and builds the outputs
# first. <target>_OUTPUTS (in the caller's scope) lists their paths.
#
# skillc build runs with a depfile, so it runs again when the YAML, a
# rules or profile file, or skillc itself changes, and only then; an
# output whose content did not change keeps its time, and what includes
# it is not rebuilt (Ninja restats it, and so does make).
#
# skillc is the imported executable skillc::skillc: find_package(skillc)
# defines it; without the package, skillc is looked for on the PATH (or
# set SKILLC_EXECUTABLE).
include_guard(GLOBAL)

if(CMAKE_VERSION VERSION_LESS 3.20)
  message(FATAL_ERROR "skillc_add_standard needs CMake 3.20 or later (DEPFILE with every generator)")
endif()

function(skillc_add_standard target yaml)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "OUTPUT_DIR;NAME;PREFIX"
    "FORMATS;RULES;PROFILES;OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "skillc_add_standard(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET skillc::skillc)
    find_program(SKILLC_EXECUTABLE skillc REQUIRED)
    add_executable(skillc::skillc IMPORTED GLOBAL)
    set_target_properties(skillc::skillc PROPERTIES IMPORTED_LOCATION "${SKILLC_EXECUTABLE}")
  endif()

  get_filename_component(yaml "${yaml}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT arg_NAME)
    get_filename_component(arg_NAME "${yaml}" NAME)
    string(REGEX REPLACE "\\.(yaml|yml)$" "" arg_NAME "${arg_NAME}")
  endif()
  if(NOT arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  endif()
  get_filename_component(out "${arg_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  if(NOT arg_FORMATS)
    set(arg_FORMATS c json md docx)
  endif()

  set(ext_c .h)
  set(ext_json .json)
  set(ext_md .md)
  set(ext_docx .docx)
  set(outputs "")
  foreach(f IN LISTS arg_FORMATS)
    if(NOT DEFINED ext_${f})
      message(FATAL_ERROR "skillc_add_standard(${target}): unknown format '${f}' (c, json, md, docx)")
    endif()
    list(APPEND outputs "${out}/${arg_NAME}${ext_${f}}")
  endforeach()
  list(JOIN arg_FORMATS "," formats)

  set(args "")
  set(inputs "${yaml}")
  set(option_RULES --rules)
  set(option_PROFILES --profile)
  foreach(kind RULES PROFILES)
    set(option ${option_${kind}})
    foreach(f IN LISTS arg_${kind})
      get_filename_component(f "${f}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      list(APPEND args "${option}" "${f}")
      list(APPEND inputs "${f}")
    endforeach()
  endforeach()
  if(arg_PREFIX)
    list(APPEND args "--prefix=${arg_PREFIX}")
  endif()
  set(depfile "${out}/${arg_NAME}.d")
  set(stamp "${out}/${arg_NAME}.stamp")

  # The outputs are byproducts of a stamp, which is what make and Ninja
  # compare with the inputs: skillc leaves an output whose content did not
  # change alone, so that what includes it is not rebuilt, and without
  # the stamp make would run skillc again on every build (Ninja restats
  # byproducts; make compares the headers' times once skillc has run).
  add_custom_command(
    OUTPUT ${stamp}
    BYPRODUCTS ${outputs}
    COMMAND skillc::skillc build --format=${formats} --name=${arg_NAME}
      ${args} ${arg_OPTIONS} -MF ${depfile} -MT ${stamp} -o ${out} ${yaml}
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${inputs} $<TARGET_FILE:skillc::skillc>
    DEPFILE ${depfile}
    COMMENT "Generating ${arg_NAME} with skillc"
    VERBATIM)
  add_library(${target} INTERFACE ${stamp})
  target_include_directories(${target} INTERFACE "${out}")
  set(${target}_OUTPUTS ${outputs} PARENT_SCOPE)
endfunction()
