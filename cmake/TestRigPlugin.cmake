# test_rig_add_plugin(NAME SOURCES src...)
#
# Builds a test-rig plugin: a MODULE library named NAME.so that sees only the
# plugin API headers (target test_rig::plugin_api), with hidden symbol
# visibility so that its single exported entry function is all the host sees.
# Works in the test-rig source tree and, after find_package(TestRig), out of
# tree against the installed SDK.
function(test_rig_add_plugin name)
  cmake_parse_arguments(PLUGIN "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT PLUGIN_SOURCES)
    message(FATAL_ERROR "test_rig_add_plugin(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${PLUGIN_SOURCES})
  target_link_libraries(${name} PRIVATE test_rig::plugin_api)
  target_compile_features(${name} PRIVATE cxx_std_20)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(PLUGIN_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${PLUGIN_OUTPUT_DIRECTORY}")
  elseif(DEFINED TEST_RIG_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${TEST_RIG_PLUGIN_OUTPUT_DIR}")
  endif()
endfunction()
