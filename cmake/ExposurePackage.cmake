# Install rules: `cmake --install <build> --prefix <prefix>` puts
#   include/                       every header under libexposure/include/ (the public API)
#   lib/libexposure.a              C++ library, BoringSSL flavour
#   lib/libexposure_openssl.a      C++ library, OpenSSL 3 flavour (for programs that already
#                                  load OpenSSL 3, as the server does: one libcrypto per process)
#   lib/libexposure_c.so.<abi>     the C ABI (SONAME follows EXPOSURE_ABI_VERSION)
#   lib/cmake/exposure/            the CMake package (exposureConfig.cmake, version, targets)
#   lib/pkgconfig/                 exposure.pc, exposure_openssl.pc, exposure_c.pc
# Nothing from src/ is installed. docs/install.md shows each in use.
include(CMakePackageConfigHelpers)
set(EXPOSURE_CMAKE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/exposure)
set(EXPOSURE_PKG_CONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/libexposure/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(TARGETS exposure exposure_c EXPORT exposureTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
set(export_sets exposureTargets)
if(TARGET exposure_openssl)  # not in phone builds (EXPOSURE_OPENSSL_BACKEND off)
  install(TARGETS exposure_openssl EXPORT exposureOpenSSLTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  list(APPEND export_sets exposureOpenSSLTargets)
endif()
foreach(export_set IN LISTS export_sets)
  install(EXPORT ${export_set} NAMESPACE exposure:: DESTINATION ${EXPOSURE_CMAKE_PACKAGE_DIR})
endforeach()

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/exposureConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/exposureConfig.cmake
  INSTALL_DESTINATION ${EXPOSURE_CMAKE_PACKAGE_DIR})
# 0.x releases: a minor version may change the C++ API (the C ABI has its own SONAME).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/exposureConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/package/exposureConfig.cmake
  ${PROJECT_BINARY_DIR}/package/exposureConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/ExposureLibraryDependencies.cmake
  ${CMAKE_CURRENT_LIST_DIR}/FindBoringSSL.cmake
  DESTINATION ${EXPOSURE_CMAKE_PACKAGE_DIR})

# pkg-config files, relocatable (paths relative to the .pc file's own folder).
if(IS_ABSOLUTE ${CMAKE_INSTALL_LIBDIR})
  message(FATAL_ERROR "CMAKE_INSTALL_LIBDIR must be relative to the prefix for the pkg-config files")
endif()
file(RELATIVE_PATH EXPOSURE_PC_PREFIX_FROM_PCFILEDIR /prefix/${EXPOSURE_PKG_CONFIG_DIR} /prefix)
string(REGEX REPLACE "/$" "" EXPOSURE_PC_PREFIX_FROM_PCFILEDIR ${EXPOSURE_PC_PREFIX_FROM_PCFILEDIR})
get_filename_component(EXPOSURE_BORINGSSL_LIBRARY_DIR ${BORINGSSL_CRYPTO_LIBRARY} DIRECTORY)
list(JOIN EXPOSURE_PKG_CONFIG_REQUIRES " " EXPOSURE_PC_LIBRARY_REQUIRES)
# exposure_pkg_config(NAME LIBRARY DESCRIPTION REQUIRES EXTRA_LIBS)
function(exposure_pkg_config name library description requires extra_libs)
  set(EXPOSURE_PC_NAME ${name})
  set(EXPOSURE_PC_LIBRARY ${library})
  set(EXPOSURE_PC_DESCRIPTION ${description})
  set(EXPOSURE_PC_REQUIRES ${requires})
  set(EXPOSURE_PC_EXTRA_LIBS ${extra_libs})
  configure_file(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/exposure.pc.in ${PROJECT_BINARY_DIR}/package/${name}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/package/${name}.pc DESTINATION ${EXPOSURE_PKG_CONFIG_DIR})
endfunction()
set(static_note "static C++20 library: compile with -std=c++20")
exposure_pkg_config(exposure exposure "Exposure notification library, BoringSSL flavour (${static_note})"
  "${EXPOSURE_PC_LIBRARY_REQUIRES}"
  "${BORINGSSL_CRYPTO_LIBRARY} -Wl,-rpath,${EXPOSURE_BORINGSSL_LIBRARY_DIR} -pthread")
if(TARGET exposure_openssl)
  exposure_pkg_config(exposure_openssl exposure_openssl
    "Exposure notification library, OpenSSL 3 flavour (${static_note})"
    "${EXPOSURE_PC_LIBRARY_REQUIRES} libcrypto >= 3" "-pthread")
endif()
exposure_pkg_config(exposure_c exposure_c "Exposure notification library, stable C ABI (exposure.h)" "" "")
