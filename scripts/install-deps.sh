#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, tests and runs with.
# Quiet and idempotent: packages already present are skipped without touching apt's lists.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ccache curl
  android-libboringssl-dev libssl-dev libsodium-dev
  libprotobuf-dev protobuf-compiler libminizip-dev zlib1g-dev
  libsqlite3-dev libpq-dev postgresql
  libcpp-httplib-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  openjdk-17-jdk-headless junit5 pybind11-dev python3-dev python3 python3-venv
  libgoogle-gson-java
  clang libclang-rt-14-dev
  wrk nginx
  python3-matplotlib
)

missing=()
# Installed for this machine's architecture (or architecture-independent): a package such as
# android-libboringssl-dev exists for one architecture at a time, and another architecture's
# copy does not count.
arch=$(dpkg --print-architecture)
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status} ${Architecture}\n' "$p" 2>/dev/null | grep -Eq "install ok installed ($arch|all)$"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages (${missing[*]}); run as root" >&2
    exit 1
  fi
  echo "install-deps: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
