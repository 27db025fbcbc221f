# The libraries libexposure links, under the target names its targets use. Included by the
# build (ExposureDependencies.cmake) and, installed beside it, by exposureConfig.cmake, so a
# program linking exposure::exposure finds the same dependencies the library was built with.
# Every one is a Debian package (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Protobuf REQUIRED)      # protobuf::libprotobuf-lite (export.proto)
find_package(nlohmann_json 3 REQUIRED)
find_package(BoringSSL REQUIRED)     # boringssl::crypto (FindBoringSSL.cmake)
# The same libraries as pkg-config modules (Requires: of exposure.pc), BoringSSL apart.
set(EXPOSURE_PKG_CONFIG_REQUIRES protobuf-lite nlohmann_json)
# (Loop variables prefixed: this file also runs in the scope of a program's find_package.)
foreach(_exposure_dep SODIUM:libsodium MINIZIP:minizip SQLITE3:sqlite3)
  string(REPLACE ":" ";" _exposure_dep ${_exposure_dep})
  list(GET _exposure_dep 0 _exposure_prefix)
  list(GET _exposure_dep 1 _exposure_module)
  list(APPEND EXPOSURE_PKG_CONFIG_REQUIRES ${_exposure_module})
  if(NOT TARGET PkgConfig::${_exposure_prefix})
    pkg_check_modules(${_exposure_prefix} REQUIRED IMPORTED_TARGET ${_exposure_module})
  endif()
endforeach()
unset(_exposure_dep)
unset(_exposure_prefix)
unset(_exposure_module)
