#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang with ASan+UBSan, in build-fuzz/) and runs each
# for a bounded time on a scratch copy of its seed corpus, so the repository stays clean.
# Fails on the first target that crashes, leaks, hits UB or times out, and prints the input
# that did it. Usage: ./scripts/fuzz.sh [target…]   (targets: wsframe requesthead … ; default all)
# MYTHOS_FUZZ_SECONDS (default 20) is the time per target; MYTHOS_FUZZ_NO_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${MYTHOS_FUZZ_SECONDS:-20}
build=$root/build-fuzz

if [ -z "${MYTHOS_FUZZ_NO_BUILD:-}" ]; then
    echo "== configure build-fuzz (clang, libFuzzer, ASan+UBSan)"
    CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DMYTHOS_FUZZ=ON -DBUILD_TESTING=OFF ${MYTHOS_FUZZ_CMAKE_ARGS:-} >/dev/null
    echo "== build build-fuzz"
    cmake --build "$build" --target mythos_fuzz_targets --parallel "$(nproc)"
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for dir in tests/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

# Process-lifetime allocations of Qt's singletons are not leaks of ours (tests/sanitizer/lsan.supp).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/tests/sanitizer/ubsan.supp"

summary=()
for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/fuzz_$t
    [ -x "$bin" ] || { echo "no fuzz target '$t' (expected $bin)" >&2; exit 2; }
    scratch=$build/fuzz-run/$t
    rm -rf "$scratch" && mkdir -p "$scratch/corpus" "$scratch/artifacts"
    cp -r "tests/fuzz/corpus/$t/." "$scratch/corpus/"
    echo "== fuzz $t for ${seconds}s"
    status=0
    # -timeout: one input taking over 10 s is a finding (a hang) too; -rss_limit_mb bounds memory.
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$scratch/artifacts/" "$scratch/corpus" \
        >"$scratch/log" 2>&1 || status=$?
    # The last status line carries the coverage: "#N DONE cov: C ft: F corp: K/..."
    last=$(grep -E '^#[0-9]+' "$scratch/log" | tail -1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/log")
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
    line=$(printf '%-12s execs=%-9s exec/s=%-6s cov=%-5s ft=%-6s corpus=%s' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}")
    summary+=("$line")
    if [ "$status" -ne 0 ]; then
        tail -60 "$scratch/log"
        echo "FUZZ FAILURE in $t (exit $status); full log: $scratch/log" >&2
        for f in "$scratch"/artifacts/*; do [ -e "$f" ] && echo "crashing input: $f" >&2; done
        exit 1
    fi
    echo "$line"
done
echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
