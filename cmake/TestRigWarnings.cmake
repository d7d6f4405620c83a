# test_rig_warnings(TARGET): the warning set for the project's own code.
function(test_rig_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wpedantic
                                           -Wno-missing-field-initializers)
endfunction()
