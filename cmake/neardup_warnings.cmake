# Project warning flags live on one INTERFACE target that our own targets link;
# third-party code never sees them.
add_library(neardup_warnings INTERFACE)
add_library(neardup::warnings ALIAS neardup_warnings)
target_compile_options(neardup_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
# GCC 12 at -O2/-O3 reports std::string concatenations ("." + name) as
# overlapping memcpy (-Wrestrict), a false positive (GCC bug 105329) that
# broke the Release -DNEARDUP_WERROR=ON build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(neardup_warnings INTERFACE -Wno-restrict)
endif()
if(NEARDUP_WERROR)
  target_compile_options(neardup_warnings INTERFACE -Werror)
endif()
# GCC 12 at -O2 reports -Wrestrict inside libstdc++ for `"." + std::string`
# (GCC bug 105329, a false positive fixed in GCC 13), which breaks the
# Release WERROR build of lib/io; it is off for GCC 12.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(neardup_warnings INTERFACE -Wno-restrict)
endif()
