# Shared build rules for project code.

# Warnings as errors on project code only (third-party headers come in as SYSTEM).
function(exposure_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
endfunction()

set(EXPOSURE_TEST_DATA_DIR ${PROJECT_SOURCE_DIR}/tests/data)
# The crypto backends this build makes (see EXPOSURE_OPENSSL_BACKEND).
set(EXPOSURE_CRYPTO_BACKENDS boringssl)
if(EXPOSURE_OPENSSL_BACKEND)
  list(APPEND EXPOSURE_CRYPTO_BACKENDS openssl)
endif()

# exposure_test_paths: the paths of tests/support/test_paths.h, in one generated C file. The
# absolute paths live only there (not in -D flags of every test object), so ccache, whose
# CCACHE_BASEDIR makes the other paths relative, serves any checkout's build.
set(EXPOSURE_TEST_PATHS_SOURCE ${PROJECT_BINARY_DIR}/generated/test_paths.c)
# In a cross build the getter names a script beside the build that runs the program under
# CMAKE_CROSSCOMPILING_EMULATOR, so tests that start it as a command work unchanged.
function(exposure_path_getter name target)
  set(path "$<$<TARGET_EXISTS:${target}>:$<TARGET_FILE:${target}>>")
  if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR)
    list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " emulator)
    set(wrapper ${PROJECT_BINARY_DIR}/emulated/${target})
    file(GENERATE OUTPUT ${wrapper} CONTENT "#!/bin/sh\nexec ${emulator} ${path} \"$@\"\n"
      FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
    set(path "$<$<TARGET_EXISTS:${target}>:${wrapper}>")
  endif()
  set(EXPOSURE_TEST_PATH_GETTERS
      "${EXPOSURE_TEST_PATH_GETTERS}const char* ${name}(void) { return \"${path}\"; }\n" PARENT_SCOPE)
endfunction()
set(EXPOSURE_TEST_PATH_GETTERS
    "#include \"support/test_paths.h\"\nconst char* exposure_test_data_dir(void) { return \"${EXPOSURE_TEST_DATA_DIR}\"; }\n")
exposure_path_getter(exposure_cli_binary exposure_cli)
exposure_path_getter(exposure_server_binary exposure_server)
exposure_path_getter(exposure_doctor_binary exposure_doctor)
exposure_path_getter(exposure_baseline_match_binary exposure_baseline_match)
file(GENERATE OUTPUT ${EXPOSURE_TEST_PATHS_SOURCE} CONTENT "${EXPOSURE_TEST_PATH_GETTERS}")
add_library(exposure_test_paths STATIC ${EXPOSURE_TEST_PATHS_SOURCE})
target_include_directories(exposure_test_paths PUBLIC ${PROJECT_SOURCE_DIR}/tests)

# exposure_add_test(NAME SOURCES src... [LIBS lib...] [BOTH_BACKENDS])
# Builds a GoogleTest binary linked against libexposure and its internal headers (unit tests
# sit beside the code they test). With BOTH_BACKENDS it is built once per backend of
# EXPOSURE_CRYPTO_BACKENDS, as NAME_boringssl and NAME_openssl, so the same assertions run on
# each backend.
function(exposure_add_test name)
  if(NOT EXPOSURE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "BOTH_BACKENDS" "" "SOURCES;LIBS" ${ARGN})
  if(T_BOTH_BACKENDS)
    set(variants ${EXPOSURE_CRYPTO_BACKENDS})
  else()
    set(variants boringssl)
  endif()
  foreach(backend IN LISTS variants)
    if(T_BOTH_BACKENDS)
      set(target ${name}_${backend})
    else()
      set(target ${name})
    endif()
    if(backend STREQUAL "boringssl")
      set(lib exposure)
    else()
      set(lib exposure_openssl)
    endif()
    add_executable(${target} ${T_SOURCES})
    exposure_set_warnings(${target})
    target_link_libraries(${target} PRIVATE ${lib} exposure_internal_headers ${T_LIBS} exposure_test_paths GTest::gtest GTest::gmock
                          GTest::gtest_main)
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    target_compile_definitions(${target} PRIVATE EXPOSURE_EXPECTED_BACKEND="${backend}")
    gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST TEST_PREFIX "${target}."
      PROPERTIES ENVIRONMENT "EXPOSURE_BINARY_DIR=${PROJECT_BINARY_DIR}")
  endforeach()
endfunction()
