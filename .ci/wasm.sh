#!/usr/bin/env bash
# The core on wasm32-unknown-unknown (Cloudflare Workers, browsers): builds it, and runs its
# verify tests (crates/hookwarden/tests/wasm.rs) in Node with wasm-bindgen's test runner; then
# the same for the Cloudflare Worker example (examples/cloudflare-worker/tests/node.rs).
# Installs the target and the runner (the version Cargo.lock pins) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown

# The runner must be the wasm-bindgen every test module links: one version in Cargo.lock (the
# Worker example's `worker` crate brings its own requirement).
if [ "$(grep -c '^name = "wasm-bindgen"$' Cargo.lock)" != 1 ]; then
    echo "Cargo.lock holds several wasm-bindgen versions; the test runner matches only one" >&2
    exit 1
fi
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
if ! wasm-bindgen-test-runner --version 2>/dev/null | grep -qF "$version"; then
    # Not --locked: the runner's own lock file names a yanked crate.
    cargo install wasm-bindgen-cli --version "$version"
fi

cargo build -p hookwarden --target wasm32-unknown-unknown --release
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p hookwarden --all-features --target wasm32-unknown-unknown --test wasm

# The Cloudflare Worker example (examples/cloudflare-worker): the module `worker-build` would
# bundle, and its deliveries in Node, through `receive` and through the Worker's own `serve`.
cargo build -p cloudflare-worker --target wasm32-unknown-unknown --release
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p cloudflare-worker --target wasm32-unknown-unknown --test node
