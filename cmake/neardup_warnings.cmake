# Project warning flags live on one INTERFACE target that our own targets link;
# third-party code never sees them.
add_library(neardup_warnings INTERFACE)
add_library(neardup::warnings ALIAS neardup_warnings)
target_compile_options(neardup_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(NEARDUP_WERROR)
  target_compile_options(neardup_warnings INTERFACE -Werror)
endif()
