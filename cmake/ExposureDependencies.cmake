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
find_package(PkgConfig)
find_package(Threads REQUIRED)

# OpenSSL 3: the server's crypto backend (Debian's cpp-httplib links it). Phones need only
# the BoringSSL flavour; without this backend the server and its tools are not built and
# tests marked BOTH_BACKENDS run on BoringSSL only.
option(EXPOSURE_OPENSSL_BACKEND "Build the OpenSSL 3 flavour of the library (exposure_openssl)" ON)
if(EXPOSURE_OPENSSL_BACKEND)
  find_package(OpenSSL 3 REQUIRED)
endif()

# BoringSSL. Debian's android-libboringssl-dev puts the headers in /usr/include/android and
# the libraries in the android/ subfolder of the multiarch library directory. Only the given
# places are searched (never the default paths, where OpenSSL 3's libcrypto also lives), and
# it is imported under its own name so no target can pick it up by accident. The -dev
# package exists for one architecture at a time, so a cross build links the runtime
# package's libcrypto.so.0 (android-libboringssl:arm64) with the host's headers.
set(EXPOSURE_BORINGSSL_ROOT "" CACHE PATH "Prefix of a BoringSSL build (include/openssl, lib/libcrypto)")
set(boringssl_include_dirs /usr/include/android)
set(boringssl_lib_dirs /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/android)
if(EXPOSURE_BORINGSSL_ROOT)
  set(boringssl_include_dirs ${EXPOSURE_BORINGSSL_ROOT}/include)
  set(boringssl_lib_dirs ${EXPOSURE_BORINGSSL_ROOT}/lib)
endif()
find_path(BORINGSSL_INCLUDE_DIR openssl/is_boringssl.h
  PATHS ${boringssl_include_dirs} NO_DEFAULT_PATH CMAKE_FIND_ROOT_PATH_BOTH)
find_library(BORINGSSL_CRYPTO_LIBRARY NAMES crypto libcrypto.so.0
  PATHS ${boringssl_lib_dirs} NO_DEFAULT_PATH CMAKE_FIND_ROOT_PATH_BOTH)
if(NOT BORINGSSL_INCLUDE_DIR OR NOT BORINGSSL_CRYPTO_LIBRARY)
  message(FATAL_ERROR "BoringSSL not found: install android-libboringssl-dev (scripts/install-deps.sh) "
                      "or set EXPOSURE_BORINGSSL_ROOT")
endif()
if(BORINGSSL_CRYPTO_LIBRARY MATCHES "\\.a$")
  add_library(boringssl::crypto STATIC IMPORTED)
else()
  add_library(boringssl::crypto SHARED IMPORTED)
endif()
set_target_properties(boringssl::crypto PROPERTIES
  IMPORTED_LOCATION ${BORINGSSL_CRYPTO_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR})

# exposure_find_library(NAME PKG HEADER LIBRARY [DEPENDS target...]): the imported target
# PkgConfig::NAME (the name the build links), from EXPOSURE_<NAME>_ROOT or <NAME>_INCLUDE_DIR
# + <NAME>_LIBRARY when either is set (then linking the DEPENDS targets too, which
# pkg-config would have named), otherwise from pkg-config module PKG.
function(exposure_find_library name pkg header library)
  cmake_parse_arguments(F "" "" "DEPENDS" ${ARGN})
  set(EXPOSURE_${name}_ROOT "" CACHE PATH "Prefix of ${pkg} (include/, lib/); pkg-config when empty")
  if(NOT EXPOSURE_${name}_ROOT AND NOT ${name}_LIBRARY)
    if(NOT PKG_CONFIG_FOUND)
      message(FATAL_ERROR "${pkg} not found: no pkg-config; set EXPOSURE_${name}_ROOT or ${name}_LIBRARY")
    endif()
    pkg_check_modules(${name} REQUIRED IMPORTED_TARGET ${pkg})
    return()
  endif()
  find_path(${name}_INCLUDE_DIR ${header} HINTS ${EXPOSURE_${name}_ROOT}/include CMAKE_FIND_ROOT_PATH_BOTH)
  find_library(${name}_LIBRARY ${library} HINTS ${EXPOSURE_${name}_ROOT}/lib CMAKE_FIND_ROOT_PATH_BOTH)
  if(NOT ${name}_INCLUDE_DIR OR NOT ${name}_LIBRARY)
    message(FATAL_ERROR "${pkg} not found under EXPOSURE_${name}_ROOT='${EXPOSURE_${name}_ROOT}': "
                        "needs include/${header} and lib/ with ${library}")
  endif()
  add_library(PkgConfig::${name} UNKNOWN IMPORTED)
  set_target_properties(PkgConfig::${name} PROPERTIES
    IMPORTED_LOCATION ${${name}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${${name}_INCLUDE_DIR}
    INTERFACE_LINK_LIBRARIES "${F_DEPENDS}")
endfunction()

find_package(ZLIB REQUIRED)
exposure_find_library(SODIUM libsodium sodium.h sodium)
exposure_find_library(MINIZIP minizip minizip/unzip.h minizip DEPENDS ZLIB::ZLIB)
exposure_find_library(SQLITE3 sqlite3 sqlite3.h sqlite3)
find_package(Protobuf REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)

if(EXPOSURE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(EXPOSURE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
