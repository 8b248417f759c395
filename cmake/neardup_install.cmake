# `cmake --install` for C++ users: one static library libneardup.a (every
# stage's objects), the public headers, a CMake package (find_package(neardup
# CONFIG) -> neardup::neardup) and a pkg-config file (neardup.pc).
#
# Static, not shared: the API is C++ with std types in its signatures, no
# export macros and no ABI promise before 1.0, so a shared library would
# need a new SONAME for almost every release; a static library binds each
# program to the version it was built with. The stages stay separate static
# libraries in the build (lib/README.md); users get them as one archive so
# that `-lneardup` is the whole library.
#
# Included at the end of lib/CMakeLists.txt, once every stage is defined.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Every stage: the static libraries neardup_stage() defined in lib/.
get_property(neardup_lib_targets DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTY BUILDSYSTEM_TARGETS)
set(neardup_stage_targets "")
foreach(target IN LISTS neardup_lib_targets)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "STATIC_LIBRARY" AND target MATCHES "^neardup_")
    list(APPEND neardup_stage_targets ${target})
  endif()
endforeach()

# The third-party libraries the stages link, as the package recreates them
# (neardupConfig.cmake.in) and neardup.pc names them. Eigen is header-only
# and used by no public header, so users need it neither to compile nor to link.
set(neardup_link_deps Threads::Threads TBB::tbb simdjson::simdjson ZLIB::ZLIB PkgConfig::XXHASH
    PkgConfig::UTF8PROC PkgConfig::ZSTD PkgConfig::ISAL PkgConfig::LIBDEFLATE)
set(neardup_pc_requires "tbb libxxhash libutf8proc simdjson zlib libzstd libisal libdeflate")
foreach(target IN LISTS neardup_stage_targets)
  get_target_property(deps ${target} LINK_LIBRARIES)
  foreach(dep IN LISTS deps)
    if(dep MATCHES "^neardup" OR dep STREQUAL "Eigen3::Eigen" OR dep IN_LIST neardup_link_deps)
      continue()
    endif()
    message(FATAL_ERROR "${target} links ${dep}, which the installed package does not know: "
                        "add it to neardup_link_deps and neardup_pc_requires in "
                        "cmake/neardup_install.cmake and to cmake/neardupConfig.cmake.in")
  endforeach()
endforeach()

set(neardup_stage_objects "")
foreach(target IN LISTS neardup_stage_targets)
  list(APPEND neardup_stage_objects $<TARGET_OBJECTS:${target}>)
endforeach()
add_library(neardup_lib STATIC ${neardup_stage_objects})
add_library(neardup::neardup ALIAS neardup_lib)
set_target_properties(neardup_lib PROPERTIES OUTPUT_NAME neardup EXPORT_NAME neardup
                                             LINKER_LANGUAGE CXX)
target_include_directories(neardup_lib INTERFACE
  $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(neardup_lib INTERFACE cxx_std_20)
target_link_libraries(neardup_lib PRIVATE ${neardup_link_deps})

install(TARGETS neardup_lib EXPORT neardupTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/neardup DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")

set(neardup_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/neardup)
install(EXPORT neardupTargets NAMESPACE neardup:: DESTINATION ${neardup_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/neardupConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/neardupConfig.cmake INSTALL_DESTINATION ${neardup_cmake_dir})
# Before 1.0 a minor release may change the API.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/neardupConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/neardupConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/neardupConfigVersion.cmake
        DESTINATION ${neardup_cmake_dir})

# neardup.pc, relocatable: the prefix is found from the file's own place.
set(neardup_pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH neardup_pc_to_prefix /prefix/${neardup_pc_dir} /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/neardup.pc.in ${CMAKE_CURRENT_BINARY_DIR}/neardup.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/neardup.pc DESTINATION ${neardup_pc_dir})
