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
foreach(dep SODIUM:libsodium MINIZIP:minizip SQLITE3:sqlite3)
  string(REPLACE ":" ";" dep ${dep})
  list(GET dep 0 prefix)
  list(GET dep 1 module)
  list(APPEND EXPOSURE_PKG_CONFIG_REQUIRES ${module})
  if(NOT TARGET PkgConfig::${prefix})
    pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${module})
  endif()
endforeach()
