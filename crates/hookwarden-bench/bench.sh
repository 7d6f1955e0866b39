#!/usr/bin/env bash
# Reruns every benchmark quoted in BENCHMARKS.md and rewrites its tables and charts, and the
# README's headline, from the results. From anywhere:
#
#     crates/hookwarden-bench/bench.sh [--passes N] [--compare-only]
#
# 1. builds every bench executable first and then runs those, not `cargo bench`: no compiler
#    runs while something is timed, and sources edited meanwhile cannot change what later
#    passes measure;
# 2. runs the comparison (benches/compare.rs) N times (default 3) as criterion baselines
#    pass1..passN, then the same contenders interleaved (benches/interleaved.rs, steadier
#    ratios on a busy machine), then the allocation counts (docs/bench/allocs.md);
# 3. unless --compare-only: the adapters' HTTP overhead (tower in process and over loopback,
#    actix over loopback) and the replay stores (MemoryStore, and RedisStore
#    against a throwaway redis-server from .ci/redis.sh), each output in docs/bench/NAME.txt;
# 4. writes docs/bench/machine.md: CPU, kernel, toolchain, the commit measured, and the load
#    average, sampled every 10 s while the benches ran;
# 5. runs `report`, which writes the SVG charts into docs/bench/ and rewrites the generated
#    blocks of BENCHMARKS.md and README.md (all its tables also go to $BENCH_TARGET/report.md).
#
# Target directories: BENCH_TARGET (this crate, default crates/hookwarden-bench/target) and
# ROOT_TARGET (the root workspace, default target/). About 35 minutes on two cores with three
# passes; --compare-only leaves the HTTP and store figures as they are (about 25 minutes).
# Run nothing else heavy on the machine meanwhile.
set -euo pipefail

passes=3
compare_only=false
while [ $# -gt 0 ]; do
    case "$1" in
        --passes) passes="$2"; shift 2 ;;
        --compare-only) compare_only=true; shift ;;
        *) echo "usage: $0 [--passes N] [--compare-only]" >&2; exit 2 ;;
    esac
done

bench_dir="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$bench_dir/../.." && pwd)"
docs="$repo/docs/bench"
export BENCH_TARGET="${BENCH_TARGET:-$bench_dir/target}"
export ROOT_TARGET="${ROOT_TARGET:-$repo/target}"
mkdir -p "$docs" "$BENCH_TARGET"

in_bench() { (cd "$bench_dir" && CARGO_TARGET_DIR="$BENCH_TARGET" "$@"); }
in_root() { (cd "$repo" && CARGO_TARGET_DIR="$ROOT_TARGET" "$@"); }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Builds with `in_bench|in_root cargo build|bench ...` and prints the path of the one
# executable of KIND (bench or bin) it built.
build() {
    local kind="$1"
    shift
    "$@" --message-format=json \
        | grep "\"kind\":\\[\"$kind\"\\]" | grep -o '"executable":"[^"]*"' | cut -d'"' -f4
}

# capture NAME PACKAGE BENCH EXECUTABLE: runs a root-workspace bench as `cargo bench` would
# (from the package's folder) and keeps its output in docs/bench/NAME.txt, under the command
# that reproduces it, the date, and the load average before and after. Criterion (the Redis
# bench uses it) gets an empty folder of its own, so it prints no change against an earlier run.
capture() {
    local name="$1" package="$2" bench="$3" exe="$4" before
    before="$(loadavg)"
    echo "== $name" >&2
    rm -rf "$BENCH_TARGET/criterion-$name"
    (cd "$repo/crates/$package" && CRITERION_HOME="$BENCH_TARGET/criterion-$name" "$exe" --bench) \
        > "$BENCH_TARGET/$name.out"
    {
        echo "\$ cargo bench -p $package --bench $bench"
        echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $before, after: $(loadavg)"
        cat "$BENCH_TARGET/$name.out"
    } > "$docs/$name.txt"
}

echo "== building" >&2
commit="$(git -C "$repo" rev-parse --short HEAD)"
if [ -n "$(git -C "$repo" status --porcelain -- crates/hookwarden crates/hookwarden-tower \
    crates/hookwarden-actix crates/hookwarden-redis)" ]; then
    commit="$commit, with uncommitted changes to the crates measured"
fi
compare="$(build bench in_bench cargo bench --no-run --bench compare)"
interleaved="$(build bench in_bench cargo bench --no-run --bench interleaved)"
allocs="$(build bench in_bench cargo bench --no-run --bench allocs)"
report="$(build bin in_bench cargo build --profile bench --bin report)"
if ! $compare_only; then
    tower_interleaved="$(build bench in_root cargo bench --no-run -p hookwarden-tower --bench interleaved)"
    tower_loopback="$(build bench in_root cargo bench --no-run -p hookwarden-tower --bench loopback)"
    actix_loopback="$(build bench in_root cargo bench --no-run -p hookwarden-actix --bench loopback)"
    claim_commit="$(build bench in_root cargo bench --no-run -p hookwarden-redis --bench claim_commit)"
fi

load_log="$BENCH_TARGET/load.log"
: > "$load_log"
(while true; do loadavg >> "$load_log"; sleep 10; done) &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

started="$(date -u '+%Y-%m-%d %H:%M UTC')"
baselines=""
for pass in $(seq 1 "$passes"); do
    echo "== compare, pass $pass of $passes" >&2
    in_bench "$compare" --bench --save-baseline "pass$pass"
    baselines="${baselines:+$baselines,}pass$pass"
done
echo "== interleaved" >&2
in_bench "$interleaved" --bench > "$BENCH_TARGET/interleaved.jsonl"
echo "== allocations" >&2
in_bench "$allocs" --bench > "$docs/allocs.md"

if ! $compare_only; then
    capture tower-interleaved hookwarden-tower interleaved "$tower_interleaved"
    capture tower-loopback hookwarden-tower loopback "$tower_loopback"
    capture actix-loopback hookwarden-actix loopback "$actix_loopback"
    # A subshell, so that the redis-server it starts stops when the bench is done.
    (
        unset HOOKWARDEN_REDIS_URL
        # shellcheck source=../../.ci/redis.sh
        source "$repo/.ci/redis.sh"
        capture replay-store hookwarden-redis claim_commit "$claim_commit"
    )
fi
kill "$sampler" 2>/dev/null || true

{
    echo "| | |"
    echo "|---|---|"
    echo "| run | $started, $passes criterion pass(es) of \`compare\`, then \`interleaved\`$($compare_only && echo '; HTTP and store figures not rerun') |"
    echo "| commit measured | \`$commit\` |"
    echo "| CPU | $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, SHA-NI: $(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no) |"
    echo "| caches | $(lscpu | sed -n 's/^\(L[123][di]*\) cache: *\(.*\)/\1 \2/p' | paste -sd, | sed 's/,/, /g') |"
    echo "| hypervisor | $(lscpu | sed -n 's/^Hypervisor vendor: *//p' | grep . || echo none) |"
    echo "| memory | $(free -g | awk '/^Mem:/ {print $2}') GiB |"
    echo "| kernel | $(uname -sr) |"
    echo "| toolchain | $(rustc -V), $(cargo -V) |"
    echo "| profile | bench: \`codegen-units = 1\`, \`lto = \"thin\"\` |"
    # The 1-minute load average over the samples: lowest, median, highest.
    echo "| load average (1 min) while the benches ran | $(cut -d' ' -f1 "$load_log" | sort -n | awk '
        { v[NR] = $1 } END { if (NR) printf "min %s, median %s, max %s (%d samples)", v[1], v[int((NR + 1) / 2)], v[NR], NR }') |"
} > "$docs/machine.md"

echo "== report" >&2
in_bench "$report" --criterion "$BENCH_TARGET/criterion" --baselines "$baselines" \
    --interleaved "$BENCH_TARGET/interleaved.jsonl" --docs "$docs" \
    --update "$repo/BENCHMARKS.md" --update "$repo/README.md" > "$BENCH_TARGET/report.md"
echo "done: BENCHMARKS.md, README.md and docs/bench/ rewritten" >&2
