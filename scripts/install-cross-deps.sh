#!/usr/bin/env bash
# Installs what the arm64 cross build (the "arm64" preset, cmake/aarch64-linux-gnu.cmake) and
# its tests under emulation need on Debian 12: the aarch64-linux-gnu cross toolchain, the
# arm64 multiarch -dev packages of the library's dependencies, the native protoc and
# qemu-user. Adds the arm64 dpkg architecture first. Quiet and idempotent like
# install-deps.sh. Only the library's dependencies: the server, bindings and benchmarks are
# not cross-built (their HTTP/OpenSSL/JVM/Python dependencies are host-only here).
set -euo pipefail

# android-libboringssl-dev is Multi-Arch: foreign (one architecture at a time), and the host
# build needs it: the cross build takes its headers (the same for every architecture) and
# links the arm64 runtime package's libcrypto.so.0 (cmake/ExposureDependencies.cmake).
PACKAGES=(
  crossbuild-essential-arm64 qemu-user cmake ninja-build pkg-config ccache
  protobuf-compiler nlohmann-json3-dev libcli11-dev android-libboringssl-dev
  android-libboringssl:arm64 libsodium-dev:arm64
  libprotobuf-dev:arm64 libminizip-dev:arm64 zlib1g-dev:arm64 libsqlite3-dev:arm64
  libgtest-dev:arm64 libgmock-dev:arm64 libc6:arm64 libstdc++6:arm64
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-cross-deps: missing packages (${missing[*]}); run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
  fi
  echo "install-cross-deps: installing ${#missing[@]} Debian packages: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
