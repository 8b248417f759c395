# NEARDUP_SANITIZE=ON builds everything (library, CLI, tests) with ASan + UBSan.
if(NEARDUP_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
