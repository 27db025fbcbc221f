#!/usr/bin/env bash
# Lists the dynamic symbols a shared library defines (nm -D --defined-only) and fails when
# one is not a function declared in the C header, or when a declared function is missing.
# The only other entry allowed is the version node of the linker script (EXPOSURE_<n>).
# Also fails when the SONAME is not lib<name>.so.<EXPOSURE_ABI_VERSION of the header>.
set -euo pipefail
library=${1:?usage: check_exported_symbols.sh LIBRARY HEADER}
header=${2:?usage: check_exported_symbols.sh LIBRARY HEADER}

exported=$(nm -D --defined-only "$library" | awk '{print $NF}' | sed 's/@.*//' | grep -v '^EXPOSURE_[0-9]*$' | sort -u)
declared=$(grep -oE '\bexposure_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u)

if [ -z "$declared" ]; then
  echo "no function found in $header"
  exit 1
fi
abi=$(sed -nE 's/^#define EXPOSURE_ABI_VERSION ([0-9]+)$/\1/p' "$header")
soname=$(readelf -d "$library" | sed -nE 's/.*\(SONAME\).*\[(.*)\]$/\1/p')
expected_soname="$(basename "$library" | sed -E 's/\.so(\..*)?$//').so.${abi}"
status=0
if [ -z "$abi" ] || [ "$soname" != "$expected_soname" ]; then
  echo "SONAME is '${soname}', expected '${expected_soname}' (EXPOSURE_ABI_VERSION of $(basename "$header"))"
  status=1
fi
unexpected=$(comm -23 <(echo "$exported") <(echo "$declared"))
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
if [ -n "$unexpected" ]; then
  echo "exported but not part of the ABI:"
  echo "$unexpected" | sed 's/^/  /' | head -n 50
  status=1
fi
if [ -n "$missing" ]; then
  echo "declared in $(basename "$header") but not exported:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi
echo "$(echo "$exported" | wc -l) symbols exported, $(echo "$declared" | wc -l) functions declared"
exit $status
