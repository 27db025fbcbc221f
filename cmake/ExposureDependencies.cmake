# Locates every third-party library the project uses; all come from Debian packages
# installed by scripts/install-deps.sh.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# OpenSSL 3 (the server's crypto backend; Debian's cpp-httplib links it).
find_package(OpenSSL 3 REQUIRED)

# BoringSSL from android-libboringssl-dev: headers in /usr/include/android, libraries in the
# android/ subfolder of the multiarch library directory. Imported under its own name so no
# target can pick it up by accident.
find_path(BORINGSSL_INCLUDE_DIR openssl/is_boringssl.h PATHS /usr/include/android NO_DEFAULT_PATH)
find_library(BORINGSSL_CRYPTO_LIBRARY NAMES crypto
  PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/android NO_DEFAULT_PATH)
if(NOT BORINGSSL_INCLUDE_DIR OR NOT BORINGSSL_CRYPTO_LIBRARY)
  message(FATAL_ERROR "BoringSSL not found: install android-libboringssl-dev (scripts/install-deps.sh)")
endif()
add_library(boringssl::crypto SHARED IMPORTED)
set_target_properties(boringssl::crypto PROPERTIES
  IMPORTED_LOCATION ${BORINGSSL_CRYPTO_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR})

pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(MINIZIP REQUIRED IMPORTED_TARGET minizip)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
find_package(Protobuf REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)

if(EXPOSURE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(EXPOSURE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
