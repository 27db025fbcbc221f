# FindBoringSSL: Debian's android-libboringssl-dev (headers in /usr/include/android, the
# library in the android/ subfolder of the multiarch library directory), imported as
# boringssl::crypto under its own name so no target picks it up by accident.
#
# Overridable cache paths: BORINGSSL_INCLUDE_DIR (the folder holding openssl/is_boringssl.h)
# and BORINGSSL_CRYPTO_LIBRARY (the libcrypto to link). The runtime name libcrypto.so.0 is
# accepted too: the -dev package is Multi-Arch: foreign, so when another architecture's copy
# is installed (a cross build) only this architecture's runtime library is left.
# Used by the build and installed with the CMake package (exposureConfig.cmake).
find_path(BORINGSSL_INCLUDE_DIR openssl/is_boringssl.h PATHS /usr/include/android NO_DEFAULT_PATH)
find_library(BORINGSSL_CRYPTO_LIBRARY NAMES crypto libcrypto.so.0
  PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/android NO_DEFAULT_PATH)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(BoringSSL
  REQUIRED_VARS BORINGSSL_CRYPTO_LIBRARY BORINGSSL_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "install android-libboringssl-dev or set BORINGSSL_INCLUDE_DIR and BORINGSSL_CRYPTO_LIBRARY")

if(BoringSSL_FOUND AND NOT TARGET boringssl::crypto)
  add_library(boringssl::crypto SHARED IMPORTED)
  set_target_properties(boringssl::crypto PROPERTIES
    IMPORTED_LOCATION ${BORINGSSL_CRYPTO_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR})
endif()
