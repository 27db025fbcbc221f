# Sourced by scripts/test-packages.sh and scripts/test-examples.sh: installs the packages of a
# configured default build as a user gets them. Needs $build_dir (the build), $source_dir and
# $launcher (the ccache launcher flags, possibly empty).

# cmake --install of the C/C++ packages into PREFIX (building the three libraries first).
install_cpp_packages() {
  cmake --build "$build_dir" --target exposure exposure_openssl exposure_c >/dev/null
  cmake --install "$build_dir" --prefix "$1" >/dev/null
}

# `pip install ./mobile-bindings/python [EXTRA...]` into a fresh virtual environment VENV of
# Debian's python3. The wheel's CMake tree persists beside the default build (incremental next
# time) and uses the default build's compilers and build type, so ccache serves the library's
# objects.
install_python_package() {
  local venv=$1
  shift
  /usr/bin/python3 -m venv "$venv"
  compiler_of() { sed -n "s/^$1:FILEPATH=//p" "$build_dir/CMakeCache.txt"; }
  local cmake_args=("${launcher[@]}" "-DCMAKE_C_COMPILER=$(compiler_of CMAKE_C_COMPILER)"
    "-DCMAKE_CXX_COMPILER=$(compiler_of CMAKE_CXX_COMPILER)")
  CCACHE_BASEDIR=$source_dir CMAKE_ARGS="${cmake_args[*]}" "$venv/bin/pip" install --quiet \
    --config-settings=build-dir="$(dirname "$build_dir")/python-wheel" \
    --config-settings=cmake.build-type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt")" \
    "$source_dir/mobile-bindings/python" "$@"
}
