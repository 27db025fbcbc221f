#!/usr/bin/env bash
# Tests the installable packages as a user gets them, outside the source tree:
#   C/C++  `cmake --install` of the default build into a temporary prefix, then the programs
#          of tests/package/ built against it through find_package(exposure) and through
#          pkg-config, and run on the official test vector.
#   Python `pip install ./mobile-bindings/python` (scikit-build-core) into a fresh virtual
#          environment of Debian's python3, then the binding's tests with pytest against the
#          installed wheel.
#   Java   the AAR of the default build unpacked: the JUnit tests on its classes.jar and
#          jni/<abi>/ libraries (the POMs and the AAR's layout are checked by ctest java.artifacts).
#   Swift  `swift test` of mobile-bindings/swift (Package.swift) against the installed
#          libexposure_c, found through pkg-config.
# The Python and Swift two-phone rounds run against the default build's exposure-server, named
# in EXPOSURE_SERVER_BINARY.
# Expects the default preset to be built (scripts/build.sh default); reuses that build.
# Compiles through ccache like scripts/build.sh. Prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD
build_dir=${EXPOSURE_BUILD_DIR:-$source_dir/build/default}
vectors=$source_dir/tests/data/test-vectors.txt
started=$(date +%s)
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  echo "test-packages: no build in $build_dir; run scripts/build.sh default first" >&2
  exit 1
fi
work=$(mktemp -d /tmp/exposure-packages.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
# ccache keys on paths relative to the work folder, so every run's temporary paths hit.
export CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=true
launcher=()
compile=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  compile=(ccache)
fi
step() { echo "== packages: $*"; }

source scripts/install-packages.sh

step "C/C++: install into a temporary prefix"
install_cpp_packages "$prefix"
# Exactly the public headers, nothing from src/.
diff <(cd libexposure/include && find . -type f | sort) <(cd "$prefix/include" && find . -type f | sort)
bash libexposure/src/capi/check_exported_symbols.sh "$prefix/lib/libexposure_c.so.1" libexposure/include/exposure.h

step "C/C++: find_package(exposure) consumer"
cp -r tests/package "$work/consumer"
cmake -S "$work/consumer" -B "$work/consumer-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" "${launcher[@]}" >/dev/null
cmake --build "$work/consumer-build" >/dev/null
for program in rpi_check_cpp rpi_check_cpp_openssl rpi_check_c; do
  "$work/consumer-build/$program" "$vectors"
done

step "C/C++: pkg-config consumer"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
mkdir "$work/pkg-config-build"
cd "$work/pkg-config-build"  # relative paths, separate compile and link: ccache hits across runs
for flavour in exposure exposure_openssl; do
  # shellcheck disable=SC2046
  "${compile[@]}" c++ -std=c++20 -Wall -Wextra -Werror -c -o "rpi_check_$flavour.o" ../consumer/rpi_check.cc \
    $(pkg-config --cflags "$flavour")
  # shellcheck disable=SC2046
  c++ -o "rpi_check_$flavour" "rpi_check_$flavour.o" $(pkg-config --libs "$flavour")
  "./rpi_check_$flavour" "$vectors"
done
"${compile[@]}" cc -std=c11 -Wall -Wextra -Werror -pedantic -c -o rpi_check_c.o ../consumer/rpi_check.c \
  $(pkg-config --cflags exposure_c)
# shellcheck disable=SC2046
cc -o rpi_check_c rpi_check_c.o $(pkg-config --libs exposure_c) -Wl,-rpath,"$prefix/lib"
./rpi_check_c "$vectors"
cd "$source_dir"
# One libcrypto per process holds for the installed flavours too.
bash tests/check_one_libcrypto.sh "$work"

# The server the app rounds upload to and check against (not a package under test).
cmake --build "$build_dir" --target exposure_server >/dev/null
export EXPOSURE_SERVER_BINARY=$build_dir/bin/exposure-server
[ -x "$EXPOSURE_SERVER_BINARY" ] || { echo "test-packages: no $EXPOSURE_SERVER_BINARY" >&2; exit 1; }

step "Python: wheel into a fresh virtual environment"
install_python_package "$work/venv" pytest
installed=$(cd "$work" && "$work/venv/bin/python" -c 'import exposure; print(exposure.__file__)')
case $installed in
  "$work/venv/"*) ;;
  *) echo "exposure imported from $installed, not from the virtual environment" >&2; exit 1 ;;
esac
(cd "$work" && EXPOSURE_TEST_DATA_DIR=$source_dir/tests/data PYTHONDONTWRITEBYTECODE=1 \
  "$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$source_dir/mobile-bindings/python/tests")

step "Java: JUnit on the unpacked AAR"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
cmake --build "$build_dir" --target exposure_java_artifacts exposure_java_test >/dev/null
mkdir "$work/aar"
(cd "$work/aar" && cmake -E tar xf "$build_dir/java/exposure-android-$version.aar")
abi_dir=$(find "$work/aar/jni" -mindepth 1 -maxdepth 1 -type d | head -n 1)
java -Xcheck:jni -Djava.library.path="$abi_dir" -Dexposure.test.data="$source_dir/tests/data" \
  -jar "$(sed -n 's/^EXPOSURE_JUNIT_CONSOLE:FILEPATH=//p' "$build_dir/CMakeCache.txt")" --disable-banner --details=summary \
  --fail-if-no-tests --class-path "$work/aar/classes.jar:$build_dir/java/exposure-test.jar" \
  --select-class org.exposure.ExposureRoundTest

step "Swift: swift test against the installed libexposure_c"
swift=$(command -v swift || echo /opt/swift/usr/bin/swift)
if [ ! -x "$swift" ]; then
  echo "test-packages: no Swift toolchain (swift on PATH or /opt/swift/usr/bin/swift)" >&2
  exit 1
fi
# The scratch folder persists beside the default build, so unchanged files are not rebuilt.
(cd mobile-bindings/swift && PKG_CONFIG_PATH=$prefix/lib/pkgconfig LD_LIBRARY_PATH=$prefix/lib \
  EXPOSURE_TEST_DATA_DIR=$source_dir/tests/data \
  "$swift" test --scratch-path "$(dirname "$build_dir")/swift" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\] ')

echo "== packages: all passed in $(($(date +%s) - started)) s"
