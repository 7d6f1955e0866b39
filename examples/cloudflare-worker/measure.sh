#!/usr/bin/env bash
# Measures the Worker, in one run (not a CI step):
#
# - verify time per 1 KiB Stripe delivery in Node (wasm32, release) beside the same delivery
#   verified natively (release), and the ratio; the same for a whole `receive` (admit, verify,
#   claim in the MemoryStore, the handler's JSON parse, commit);
# - the size of the Worker's wasm module: as cargo builds it, after wasm-bindgen (what
#   `worker-build` bundles, before its `wasm-opt -O`), and after `wasm-opt -Oz`, each also
#   gzipped (Cloudflare's size limits count the compressed upload).
#
# Needs wasm-bindgen-test-runner and wasm-bindgen (`.ci/wasm.sh` installs them) and Node;
# wasm-opt is taken from $WASM_OPT, PATH, or `npx --yes -p binaryen wasm-opt`.
set -euo pipefail
cd "$(dirname "$0")/../.."

native=$(cargo test -q --release -p cloudflare-worker --test native -- --ignored --nocapture timing |
    grep '^timing native')
node=$(CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --release -p cloudflare-worker --target wasm32-unknown-unknown --test node -- \
    --include-ignored --nocapture timing | grep -o 'timing node.*')
echo "$native"
echo "$node"
figures() { grep -o '[0-9]* ns' <<<"$1" | cut -d' ' -f1; }
read -r -d '' native_verify native_receive < <(figures "$native") || true
read -r -d '' node_verify node_receive < <(figures "$node") || true
awk -v nv="$native_verify" -v wv="$node_verify" -v nr="$native_receive" -v wr="$node_receive" \
    'BEGIN { printf "node/native: verify %.1fx, receive %.1fx\n", wv / nv, wr / nr }'

cargo build -q -p cloudflare-worker --target wasm32-unknown-unknown --release
module=target/wasm32-unknown-unknown/release/cloudflare_worker.wasm
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# As worker-build 0.8 runs it.
wasm-bindgen --target module --experimental-reset-state-function --force-enable-abort-handler \
    --out-dir "$out" --out-name index "$module"
if [ -n "${WASM_OPT:-}" ]; then
    wasm_opt=("$WASM_OPT")
elif command -v wasm-opt >/dev/null; then
    wasm_opt=(wasm-opt)
else
    wasm_opt=(npx --yes -p binaryen wasm-opt)
fi
# The features worker-build enables: rustc's wasm32 defaults and exception handling.
features=(--enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int
    --enable-bulk-memory --enable-multivalue --enable-reference-types --enable-exception-handling)
"${wasm_opt[@]}" -Oz "${features[@]}" "$out/index_bg.wasm" -o "$out/index_bg.Oz.wasm"
size() { printf '%-44s %8d bytes, %7d gzipped\n' "$1" "$(wc -c <"$2")" "$(gzip -9c "$2" | wc -c)"; }
size "cargo build --release" "$module"
size "after wasm-bindgen" "$out/index_bg.wasm"
size "after wasm-bindgen and wasm-opt -Oz" "$out/index_bg.Oz.wasm"
