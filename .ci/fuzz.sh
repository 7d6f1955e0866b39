#!/usr/bin/env bash
# Smoke-runs every cargo-fuzz target in fuzz/ for a short while (FUZZ_SECONDS, default 20) and
# fails on the first crash. Long runs are done by hand: see fuzz/README.md. About 2 minutes once
# built, 6 to 8 from a clean clone (the build).
#
# The targets are built without a sanitizer (the crates are `forbid(unsafe_code)`; what a fuzzer
# finds here is a panic) but with debug assertions, so integer overflows panic instead of wrapping.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${FUZZ_SECONDS:-20}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# cargo-fuzz wants nightly. Where the machine has only its stable toolchain (none can be
# fetched), stable with RUSTC_BOOTSTRAP=1 accepts the same flags.
if rustup toolchain list | grep -q '^nightly'; then
    toolchain=(+nightly)
else
    echo "fuzz: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1" >&2
    export RUSTC_BOOTSTRAP=1
    toolchain=()
fi

# The request format reads back, and the seeds still verify as their conformance vectors say.
cargo "${toolchain[@]}" test --quiet

flags=(--release --debug-assertions --sanitizer none)
cargo "${toolchain[@]}" fuzz build "${flags[@]}"

for target in $(cargo "${toolchain[@]}" fuzz list); do
    corpus="corpus/$target"
    mkdir -p "$corpus"
    # Seeds and dictionaries, where a target has them; new inputs go to the (ignored) corpus.
    extra=()
    case "$target" in
        preset_headers | verify) extra=(seeds/requests -- -dict=dict/headers.dict) ;;
        custom_config) extra=(-- -dict=dict/custom.dict) ;;
        forwarded) extra=(-- -dict=dict/forwarded.dict) ;;
        *) extra=(--) ;;
    esac
    echo "fuzz: $target for ${seconds}s"
    log="$(mktemp)"
    if ! cargo "${toolchain[@]}" fuzz run "${flags[@]}" "$target" "$corpus" "${extra[@]}" \
        -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "fuzz: $target crashed; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$log" | sed 's/^/  /'
    rm -f "$log"
done
echo "fuzz: every target ran ${seconds}s without a crash"
