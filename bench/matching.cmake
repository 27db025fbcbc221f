# Matching benchmarks (included from bench/CMakeLists.txt): the stage micro-benchmarks, the
# deployed-algorithm baseline as a process, and the whole-workload driver that runs it and
# `exposure match` on the same generated files.
exposure_add_benchmark(matching_bench SOURCES matching_bench.cc baseline_matcher.cc LIBS exposure_internal_headers)

add_executable(exposure_baseline_match baseline_match_main.cc baseline_matcher.cc)
exposure_set_warnings(exposure_baseline_match)
target_link_libraries(exposure_baseline_match PRIVATE exposure)
set_target_properties(exposure_baseline_match PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)

add_executable(matching_workload_bench matching_workload_main.cc matching_library_floor.cc)
exposure_set_warnings(matching_workload_bench)
target_link_libraries(matching_workload_bench PRIVATE exposure exposure_test_paths)
target_include_directories(matching_workload_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests)
add_dependencies(matching_workload_bench exposure_cli exposure_baseline_match)
set_target_properties(matching_workload_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)

# The app's incremental exposure check against `exposure match` on the same day of archives.
add_executable(check_bench check_bench.cc)
exposure_set_warnings(check_bench)
target_link_libraries(check_bench PRIVATE exposure exposure_test_paths CLI11::CLI11)
target_include_directories(check_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests)
add_dependencies(check_bench exposure_cli)
set_target_properties(check_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
