# Toolchain file: cross-compiles for 64-bit ARM Linux (aarch64-linux-gnu) on a Debian host
# with crossbuild-essential-arm64 and the arm64 multiarch -dev packages of the library's
# dependencies (scripts/install-cross-deps.sh). Used by the "arm64" preset. Tests run under
# qemu-aarch64 (Debian's qemu-user) as the cross-compiling emulator: CTest and
# gtest_discover_tests prefix every test binary with it. docs/install.md has the details.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(EXPOSURE_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${EXPOSURE_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${EXPOSURE_CROSS_TRIPLE}-g++)
# Debian multiarch: the target's libraries are in /usr/lib/aarch64-linux-gnu on the host
# itself, so there is no separate sysroot; CMAKE_LIBRARY_ARCHITECTURE (detected from the
# compiler) makes find_library and find_package search that folder, not the host's.
set(CMAKE_LIBRARY_ARCHITECTURE ${EXPOSURE_CROSS_TRIPLE})

# pkg-config reads the target's .pc files only (and the arch-independent ones).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${EXPOSURE_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Programs that run during the build (protoc) are the host's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# -cpu max: every optional ARMv8 feature, including the AES, PMULL and SHA-1/SHA-2
# instructions BoringSSL selects at run time. No -L /usr/aarch64-linux-gnu: the binaries
# load the multiarch dynamic loader (/lib/ld-linux-aarch64.so.1, libc6:arm64) and every
# library from the multiarch folders. With -L, qemu would take the cross toolchain's loader
# but the multiarch libc.so.6 (named by /etc/ld.so.cache), two glibc builds that must not be
# mixed: pthread_create then hangs.
find_program(EXPOSURE_QEMU_AARCH64 qemu-aarch64)
if(EXPOSURE_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${EXPOSURE_QEMU_AARCH64} -cpu max)
endif()
