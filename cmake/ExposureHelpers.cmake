# Shared build rules for project code.

# Warnings as errors on project code only (third-party headers come in as SYSTEM).
function(exposure_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
endfunction()

set(EXPOSURE_TEST_DATA_DIR ${PROJECT_SOURCE_DIR}/tests/data)
set(EXPOSURE_CRYPTO_BACKENDS boringssl openssl)

# exposure_add_test(NAME SOURCES src... [LIBS lib...] [BOTH_BACKENDS])
# Builds a GoogleTest binary linked against libexposure. With BOTH_BACKENDS it is built
# twice, as NAME_boringssl and NAME_openssl, so the same assertions run on each backend.
function(exposure_add_test name)
  if(NOT EXPOSURE_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "BOTH_BACKENDS" "" "SOURCES;LIBS" ${ARGN})
  if(T_BOTH_BACKENDS)
    set(variants boringssl openssl)
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
    target_link_libraries(${target} PRIVATE ${lib} ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    target_compile_definitions(${target} PRIVATE
      EXPOSURE_TEST_DATA_DIR="${EXPOSURE_TEST_DATA_DIR}"
      EXPOSURE_EXPECTED_BACKEND="${backend}")
    gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST TEST_PREFIX "${target}."
      PROPERTIES ENVIRONMENT "EXPOSURE_BINARY_DIR=${PROJECT_BINARY_DIR}")
  endforeach()
endfunction()
