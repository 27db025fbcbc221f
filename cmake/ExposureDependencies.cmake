# Locates every third-party library the project uses. On Debian all come from packages
# installed by scripts/install-deps.sh (scripts/install-cross-deps.sh for the arm64 cross
# build) and are found without settings. Elsewhere (an Android NDK or iOS build) each can be
# pointed at its own copy with cache variables; docs/install.md lists them:
#   BoringSSL         EXPOSURE_BORINGSSL_ROOT (include/ + lib/), or BORINGSSL_INCLUDE_DIR
#                     and BORINGSSL_CRYPTO_LIBRARY
#   libsodium, minizip, SQLite
#                     EXPOSURE_<NAME>_ROOT (include/ + lib/), or <NAME>_INCLUDE_DIR and
#                     <NAME>_LIBRARY, for NAME = SODIUM, MINIZIP, SQLITE3; pkg-config otherwise
#   zlib, protobuf, GoogleTest, nlohmann_json, CLI11
#                     CMake's own find modules and package configs: ZLIB_ROOT, Protobuf_ROOT
#                     (Protobuf_PROTOC_EXECUTABLE for the host's protoc), GTest_ROOT,
#                     nlohmann_json_DIR, CLI11_DIR
#
# The library's own dependencies (BoringSSL, libsodium, protobuf lite, minizip, SQLite,
# nlohmann_json, threads): one list, shared with the installed CMake package.
include(ExposureLibraryDependencies)

# OpenSSL 3: the server's crypto backend (Debian's cpp-httplib links it). Phones need only
# the BoringSSL flavour; without this backend the server and its tools are not built and
# tests marked BOTH_BACKENDS run on BoringSSL only.
option(EXPOSURE_OPENSSL_BACKEND "Build the OpenSSL 3 flavour of the library (exposure_openssl)" ON)
if(EXPOSURE_OPENSSL_BACKEND)
  find_package(OpenSSL 3 REQUIRED)
endif()
find_package(CLI11 REQUIRED)

if(EXPOSURE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(EXPOSURE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
