# Installs test-rig, its plugins, the SDK headers and the CMake package that
# lets plugins be built out of tree (see samples/cpp-plugin).
include(CMakePackageConfigHelpers)

install(TARGETS test_rig_plugin_api EXPORT TestRigTargets)
install(DIRECTORY "${CMAKE_SOURCE_DIR}/plugin-api/include/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT TestRigTargets NAMESPACE test_rig:: DESTINATION "${CMAKE_INSTALL_LIBDIR}/cmake/TestRig")

configure_package_config_file(
  "${CMAKE_SOURCE_DIR}/cmake/TestRigConfig.cmake.in"
  "${CMAKE_BINARY_DIR}/TestRigConfig.cmake"
  INSTALL_DESTINATION "${CMAKE_INSTALL_LIBDIR}/cmake/TestRig")
write_basic_package_version_file(
  "${CMAKE_BINARY_DIR}/TestRigConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${CMAKE_BINARY_DIR}/TestRigConfig.cmake"
  "${CMAKE_BINARY_DIR}/TestRigConfigVersion.cmake"
  "${CMAKE_SOURCE_DIR}/cmake/TestRigPlugin.cmake"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/cmake/TestRig")
