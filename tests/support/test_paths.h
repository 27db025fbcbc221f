/* Where the test data and the built programs are, for tests, benchmarks and fuzz targets.
 * The absolute paths are compiled into one generated file (<build>/generated/test_paths.c,
 * written by cmake/ExposureHelpers.cmake) instead of into every object that uses them, so
 * the compiler cache serves any checkout of the project, wherever it is. Usable from C. */
#ifndef EXPOSURE_TESTS_SUPPORT_TEST_PATHS_H_
#define EXPOSURE_TESTS_SUPPORT_TEST_PATHS_H_

#ifdef __cplusplus
extern "C" {
#endif

/* <checkout>/tests/data, without a trailing slash. */
const char* exposure_test_data_dir(void);

/* The built programs; "" when the build does not make that program. In a cross build, a
 * script that runs the program under the cross-compiling emulator. */
const char* exposure_cli_binary(void);             /* exposure */
const char* exposure_server_binary(void);          /* exposure-server */
const char* exposure_doctor_binary(void);          /* exposure-doctor */
const char* exposure_baseline_match_binary(void);  /* bench's exposure_baseline_match */

#ifdef __cplusplus
}
#endif

#endif
