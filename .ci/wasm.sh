#!/usr/bin/env bash
# The core on wasm32-unknown-unknown (Cloudflare Workers, browsers): builds it, and runs its
# verify tests (crates/hookwarden/tests/wasm.rs) in Node with wasm-bindgen's test runner.
# Installs the target and the runner (the version Cargo.lock pins) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-unknown-unknown

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
if ! wasm-bindgen-test-runner --version 2>/dev/null | grep -qF "$version"; then
    # Not --locked: the runner's own lock file names a yanked crate.
    cargo install wasm-bindgen-cli --version "$version"
fi

cargo build -p hookwarden --target wasm32-unknown-unknown --release
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p hookwarden --all-features --target wasm32-unknown-unknown --test wasm
