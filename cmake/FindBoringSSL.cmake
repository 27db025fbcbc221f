# FindBoringSSL: imports BoringSSL's libcrypto as boringssl::crypto, under its own name so no
# target picks it up by accident. Debian's android-libboringssl-dev puts the headers in
# /usr/include/android and the library in the android/ subfolder of the multiarch library
# directory. Only the given places are searched (never the default paths, where OpenSSL 3's
# libcrypto also lives).
#
# Overridable: EXPOSURE_BORINGSSL_ROOT (a prefix with include/ and lib/), or the cache paths
# BORINGSSL_INCLUDE_DIR (the folder holding openssl/is_boringssl.h) and
# BORINGSSL_CRYPTO_LIBRARY (the libcrypto to link; a static .a works too). The runtime name
# libcrypto.so.0 is accepted: the -dev package exists for one architecture at a time, so a
# cross build links the runtime package's libcrypto.so.0 with the host's headers.
# Used by the build and installed with the CMake package (exposureConfig.cmake).
set(EXPOSURE_BORINGSSL_ROOT "" CACHE PATH "Prefix of a BoringSSL build (include/openssl, lib/libcrypto)")
set(_exposure_boringssl_include_dirs /usr/include/android)
set(_exposure_boringssl_lib_dirs /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/android)
if(EXPOSURE_BORINGSSL_ROOT)
  set(_exposure_boringssl_include_dirs ${EXPOSURE_BORINGSSL_ROOT}/include)
  set(_exposure_boringssl_lib_dirs ${EXPOSURE_BORINGSSL_ROOT}/lib)
endif()
find_path(BORINGSSL_INCLUDE_DIR openssl/is_boringssl.h
  PATHS ${_exposure_boringssl_include_dirs} NO_DEFAULT_PATH CMAKE_FIND_ROOT_PATH_BOTH)
find_library(BORINGSSL_CRYPTO_LIBRARY NAMES crypto libcrypto.so.0
  PATHS ${_exposure_boringssl_lib_dirs} NO_DEFAULT_PATH CMAKE_FIND_ROOT_PATH_BOTH)
unset(_exposure_boringssl_include_dirs)
unset(_exposure_boringssl_lib_dirs)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(BoringSSL
  REQUIRED_VARS BORINGSSL_CRYPTO_LIBRARY BORINGSSL_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "install android-libboringssl-dev (scripts/install-deps.sh) or set EXPOSURE_BORINGSSL_ROOT")

if(BoringSSL_FOUND AND NOT TARGET boringssl::crypto)
  if(BORINGSSL_CRYPTO_LIBRARY MATCHES "\\.a$")
    add_library(boringssl::crypto STATIC IMPORTED)
  else()
    add_library(boringssl::crypto SHARED IMPORTED)
  endif()
  set_target_properties(boringssl::crypto PROPERTIES
    IMPORTED_LOCATION ${BORINGSSL_CRYPTO_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR})
endif()
