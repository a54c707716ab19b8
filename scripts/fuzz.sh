#!/usr/bin/env bash
# libFuzzer runs of Sluice's parsers: the runbook parser, TimeSpan.parse (with rates and guard
# conditions) and the drill parser.
#
#   scripts/fuzz.sh [runbook|timespan|drill ...]      # default: all three
#   FUZZ_RUNS=200000 scripts/fuzz.sh runbook           # executions per target (default 100000)
#
# The package's modules are compiled with -sanitize=fuzzer,address (coverage + ASan) into a
# scratch folder of their own (.build/fuzz, so the normal build is untouched); each entry point
# in Fuzz/ is compiled against them and linked with libFuzzer. Seeds: the shipped runbooks and
# drills. A crash leaves crash-* files in .build/fuzz/out/<target>/ and makes this script exit 1.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${FUZZ_RUNS:-100000}
SCRATCH=${FUZZ_SCRATCH:-$ROOT/.build/fuzz}
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(runbook timespan drill)
SAN=(-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)

module_for() { case $1 in runbook) echo SluiceRunbooks;; timespan) echo SluiceCore;; drill) echo SluiceDrills;; esac; }
source_for() { case $1 in runbook) echo Fuzz/FuzzRunbook.swift;; timespan) echo Fuzz/FuzzTimeSpan.swift;; drill) echo Fuzz/FuzzDrill.swift;; esac; }

seed_corpus() {
    local target=$1 dir=$2
    mkdir -p "$dir"
    case $target in
        runbook) cp runbooks/*.md "$dir"/ ;;
        drill) cp runbooks/drills/*.yaml "$dir"/ ;;
        timespan) for s in 500ms 30s 5m 2h 3d 1w 1h30m 0 20/s 600/m "depth(orders) > 1000" "returned_ratio > 0.2" "alarm(x) == ALARM"; do
                      printf '%s' "$s" > "$dir/$(printf '%s' "$s" | md5sum | cut -c1-12)"; done ;;
    esac
}

status=0
for target in "${TARGETS[@]}"; do
    module=$(module_for "$target"); src=$(source_for "$target")
    [ -z "$module" ] && { echo "fuzz.sh: unknown target '$target' (runbook, timespan, drill)" >&2; exit 2; }
    echo "== $target: building $module with -sanitize=fuzzer,address into $SCRATCH"
    swift build --scratch-path "$SCRATCH" --target "$module" "${SAN[@]}" 2>&1 | grep -E "error|Compiling|Build complete" | tail -3
    BIN=$SCRATCH/debug
    # Every C module's map, so that importing a Swift module finds the C modules it depends on.
    MAPS=(); for m in "$BIN"/*.build/module.modulemap; do [ -f "$m" ] && MAPS+=(-Xcc "-fmodule-map-file=$m"); done
    while IFS= read -r m; do MAPS+=(-I "$(dirname "$m")"); done < <(find "$SCRATCH/checkouts" "$ROOT/Sources" -name module.modulemap -not -path "*/Tests/*" 2>/dev/null)
    # Objects of the libraries built for this target (no executables, no tests).
    OBJS=(); for d in "$BIN"/*.build; do
        case $(basename "$d") in sluice.build|sluice_bench.build|sluice_harness.build|*Tests.build|*PackageTests*) continue;; esac
        while IFS= read -r o; do OBJS+=("$o"); done < <(find "$d" -name "*.o")
    done
    OUT=$SCRATCH/out/$target; mkdir -p "$OUT"
    echo "== $target: linking $(basename "$src") with ${#OBJS[@]} objects"
    if ! swiftc -sanitize=fuzzer,address -parse-as-library -g "$src" -module-name "Fuzz_$target" -I "$BIN/Modules" "${MAPS[@]}" \
            "${OBJS[@]}" -lsqlite3 -lz -o "$OUT/fuzz-$target" 2> "$OUT/link.log"; then
        echo "fuzz.sh: $target: could not build the fuzzer; see $OUT/link.log:" >&2
        grep -E "error" "$OUT/link.log" | sort -u | head -10 >&2
        status=1; continue
    fi
    seed_corpus "$target" "$OUT/seeds"
    mkdir -p "$OUT/corpus"
    echo "== $target: $RUNS executions"
    ( cd "$OUT" && ASAN_OPTIONS=detect_leaks=0 ./fuzz-$target -runs="$RUNS" -max_len=16384 -timeout=10 -print_final_stats=1 corpus seeds ) > "$OUT/run.log" 2>&1
    rc=$?
    grep -E "^#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss|Done [0-9]+ runs" "$OUT/run.log" | tail -3
    crashes=$(ls "$OUT"/crash-* "$OUT"/timeout-* "$OUT"/oom-* 2>/dev/null | wc -l)
    if [ $rc -ne 0 ] || [ "$crashes" -gt 0 ]; then
        echo "fuzz.sh: $target: libFuzzer exited $rc with $crashes crash/timeout files in $OUT (log: $OUT/run.log)"
        grep -E "ERROR|Fatal error|SUMMARY" "$OUT/run.log" | head -5
        status=1
    else
        echo "fuzz.sh: $target: $RUNS executions, 0 crashes"
    fi
done
exit $status
