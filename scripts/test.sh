#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test twice: a normal build and an
# AddressSanitizer+UBSan build; then runs each libFuzzer target for a bounded time
# (scripts/fuzz.sh). Starts and stops what the tests need (the tests start their own
# nats-server instances on free loopback ports). Usage: ./scripts/test.sh [ctest args…]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

./scripts/deps.sh
# The browser tests' npm packages (playwright-core drives Debian's chromium).
[ -x tests/web/setup.sh ] && tests/web/setup.sh

# Fails fast on a C++ file that differs from .clang-format.
./scripts/check-format.sh

jobs=$(nproc)
run_suite() {
    local dir=$1 type=$2; shift 2
    echo "== configure $dir ($type $*)"
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
    echo "== build $dir"
    cmake --build "$dir" --parallel "$jobs"
    echo "== test $dir"
    # The PostgreSQL suites need a server: a throwaway one lives for the length of the run.
    (cd "$dir" && MYTHOS_REQUIRE_PG=1 "$root/scripts/with-postgres.sh" ctest --output-on-failure --timeout 600 ${CTEST_ARGS:-})
}

run_suite build-test RelWithDebInfo

# Leaks inside Qt's and nats.c's own process-lifetime singletons are not ours to fix.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/tests/sanitizer/ubsan.supp"
run_suite build-asan Debug -DMYTHOS_SANITIZE=ON

# Every parser that sees untrusted bytes, under libFuzzer (clang, ASan+UBSan) for a bounded
# time each (MYTHOS_FUZZ_SECONDS, default 20): any crash fails the run and names the input.
unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
echo "== fuzz (build-fuzz, ${MYTHOS_FUZZ_SECONDS:-20}s per target)"
./scripts/fuzz.sh

echo "All test suites passed (normal and ASan+UBSan builds, fuzz targets)."
