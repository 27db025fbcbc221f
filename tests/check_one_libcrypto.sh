#!/usr/bin/env bash
# Checks with ldd that no ELF binary or shared library under the build tree loads both the
# BoringSSL libcrypto (android/libcrypto.so.0) and OpenSSL 3's libcrypto.so.3. Also fails if
# it found no binary of either flavour, so a broken search cannot pass silently.
set -euo pipefail
build_dir=${1:?usage: check_one_libcrypto.sh BUILD_DIR}
boring=0 openssl=0 both=0 checked=0
while IFS= read -r -d '' file; do
  head -c 4 "$file" 2>/dev/null | grep -q $'\x7fELF' || continue
  deps=$(ldd "$file" 2>/dev/null || true)
  has_boring=0 has_openssl=0
  grep -q 'android/libcrypto.so' <<<"$deps" && has_boring=1
  grep -q 'libcrypto.so.3' <<<"$deps" && has_openssl=1
  checked=$((checked + 1))
  boring=$((boring + has_boring))
  openssl=$((openssl + has_openssl))
  if ((has_boring && has_openssl)); then
    echo "BOTH libcrypto flavours loaded by: ${file#"$build_dir"/}"
    both=$((both + 1))
  fi
done < <(find "$build_dir" -path '*/CMakeFiles' -prune -o -type f \( -perm -u+x -o -name '*.so' \) -print0)
echo "checked $checked binaries: $boring load BoringSSL, $openssl load OpenSSL 3, $both load both"
((both == 0)) || exit 1
((boring > 0 && openssl > 0)) || { echo "expected binaries of both flavours"; exit 1; }
