# The libraries libexposure links, under the target names its targets use. Included by the
# build (ExposureDependencies.cmake) and, installed beside it, by exposureConfig.cmake, so a
# program linking exposure::exposure finds the same dependencies the library was built with.
# On Debian every one is a package (scripts/install-deps.sh); elsewhere see the variables in
# ExposureDependencies.cmake.
find_package(Threads REQUIRED)
find_package(PkgConfig)
find_package(ZLIB REQUIRED)
find_package(Protobuf REQUIRED)      # protobuf::libprotobuf-lite (export.proto)
find_package(nlohmann_json 3 REQUIRED)
find_package(BoringSSL REQUIRED)     # boringssl::crypto (FindBoringSSL.cmake)

# exposure_find_library(NAME PKG HEADER LIBRARY [DEPENDS target...]): the imported target
# PkgConfig::NAME (the name the build links), from EXPOSURE_<NAME>_ROOT or <NAME>_INCLUDE_DIR
# + <NAME>_LIBRARY when either is set (then linking the DEPENDS targets too, which
# pkg-config would have named), otherwise from pkg-config module PKG.
function(exposure_find_library name pkg header library)
  cmake_parse_arguments(F "" "" "DEPENDS" ${ARGN})
  if(TARGET PkgConfig::${name})
    return()
  endif()
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

exposure_find_library(SODIUM libsodium sodium.h sodium)
exposure_find_library(MINIZIP minizip minizip/unzip.h minizip DEPENDS ZLIB::ZLIB)
exposure_find_library(SQLITE3 sqlite3 sqlite3.h sqlite3)

# The same libraries as pkg-config modules (Requires: of exposure.pc), BoringSSL apart.
set(EXPOSURE_PKG_CONFIG_REQUIRES protobuf-lite nlohmann_json libsodium minizip sqlite3)
