#!/usr/bin/env bash
# Fails when a tracked C++ file differs from the root .clang-format (names each file).
# Usage: scripts/check-format.sh [--fix]   (--fix rewrites the files in place instead)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/check-format.$$; then
    grep -o '^[^:]*\.\(cpp\|h\):' /tmp/check-format.$$ | sort -u | sed 's/:$//; s/^/  not formatted: /' >&2
    rm -f /tmp/check-format.$$
    echo "check-format: run scripts/check-format.sh --fix (clang-format $(clang-format --version | grep -o '[0-9][0-9.]*' | head -1))" >&2
    exit 1
fi
rm -f /tmp/check-format.$$
echo "check-format: ${#files[@]} files match .clang-format"
