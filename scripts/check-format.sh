#!/usr/bin/env bash
# Checks that the project's C and C++ sources keep to .clang-format, and
# names the files that do not with the command that fixes them. Part of
# the test suite (ctest: format.check). The frozen ABI headers under
# tests/abi/v1_* are copies of history, kept byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null ||
  { echo "check-format: needs clang-format (scripts/install-deps.sh installs it)" >&2; exit 2; }
mapfile -t files < <(find cmake core loader plugin-api plugins python-bridge samples tests \
  -path 'tests/abi/v1_*' -prune -o -type f \( -name '*.c' -o -name '*.cc' -o -name '*.h' \) -print |
  sort)
if ! report=$(clang-format --dry-run -Werror "${files[@]}" 2>&1); then
  mapfile -t bad < <(grep -o '^[^:]*\.\(c\|cc\|h\):' <<<"$report" | tr -d ':' | sort -u)
  echo "check-format: ${#bad[@]} file(s) do not keep to .clang-format; fix them with:" >&2
  echo "  clang-format -i ${bad[*]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files keep to .clang-format"
