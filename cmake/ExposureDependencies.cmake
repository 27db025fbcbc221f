# Locates every third-party library the project uses; all come from Debian packages
# installed by scripts/install-deps.sh.
# The library's own dependencies (BoringSSL, libsodium, protobuf lite, minizip, SQLite,
# nlohmann_json, threads): one list, shared with the installed CMake package.
include(ExposureLibraryDependencies)

# OpenSSL 3 (the server's crypto backend; Debian's cpp-httplib links it).
find_package(OpenSSL 3 REQUIRED)
find_package(CLI11 REQUIRED)

if(EXPOSURE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(EXPOSURE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
