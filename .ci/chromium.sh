# Makes headless Chromium and its WebDriver available for the inspector's browser test
# (crates/hookwarden-cli/tests/inspector.rs). Source it, do not run it:
#
#     source .ci/chromium.sh
#
# - Installs Debian's `chromium` and `chromium-driver` when `chromedriver` is missing (as root:
#   `apt-get update && apt-get install -y chromium chromium-driver`). Nothing is downloaded
#   from anywhere but Debian's archive.
# - Exports HOOKWARDEN_CHROMEDRIVER and HOOKWARDEN_CHROMIUM, the binaries the test starts (on
#   loopback, with a fresh profile, and stops when it ends). No daemon is left running.
#
# It returns non-zero when it cannot give a browser; under `set -e` that stops the caller, which
# is what CI wants (CI=true makes the test fail without one anyway).

hookwarden_chromium_start() {
    if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then
            echo "chromium.sh: chromium or chromedriver is missing; install them (apt-get install chromium chromium-driver)" >&2
            return 1
        fi
        echo "chromium.sh: installing chromium and chromium-driver (apt-get)" >&2
        if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; } \
            >/tmp/hookwarden-chromium-apt.log 2>&1; then
            cat /tmp/hookwarden-chromium-apt.log >&2
            echo "chromium.sh: apt-get install chromium chromium-driver failed" >&2
            return 1
        fi
    fi
    export HOOKWARDEN_CHROMEDRIVER="${HOOKWARDEN_CHROMEDRIVER:-$(command -v chromedriver)}"
    export HOOKWARDEN_CHROMIUM="${HOOKWARDEN_CHROMIUM:-$(command -v chromium)}"
    echo "chromium.sh: $("$HOOKWARDEN_CHROMIUM" --version 2>/dev/null | head -n 1), driver $HOOKWARDEN_CHROMEDRIVER" >&2
}

hookwarden_chromium_start
