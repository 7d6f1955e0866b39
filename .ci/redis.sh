# Starts a throwaway redis-server for the hookwarden-redis tests. Source it, do not run it:
#
#     source .ci/redis.sh
#
# - When HOOKWARDEN_REDIS_URL is already set, it uses that Redis and starts nothing.
# - Otherwise it installs the Debian package redis-server when the binary is missing (as root:
#   `apt-get update && apt-get install -y redis-server`), starts one daemonized redis-server on a
#   free loopback port with persistence off, exports HOOKWARDEN_REDIS_URL (and
#   HOOKWARDEN_REDIS_SERVER, the binary the fault tests start their own servers with), and stops
#   the server when the sourcing shell exits (an existing EXIT trap still runs).
#
# It returns non-zero when it cannot give a Redis; under `set -e` that stops the caller, which
# is what CI wants (CI=true makes the tests fail without one anyway).

hookwarden_redis_start() {
    local dir port attempt pid

    if ! command -v redis-server >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then
            echo "redis.sh: redis-server is missing; install it (apt-get install redis-server) or set HOOKWARDEN_REDIS_URL" >&2
            return 1
        fi
        echo "redis.sh: installing redis-server (apt-get)" >&2
        if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server; } \
            >/tmp/hookwarden-redis-apt.log 2>&1; then
            cat /tmp/hookwarden-redis-apt.log >&2
            echo "redis.sh: apt-get install redis-server failed" >&2
            return 1
        fi
    fi
    export HOOKWARDEN_REDIS_SERVER="${HOOKWARDEN_REDIS_SERVER:-$(command -v redis-server)}"

    if [ -n "${HOOKWARDEN_REDIS_URL:-}" ]; then
        echo "redis.sh: using HOOKWARDEN_REDIS_URL=$HOOKWARDEN_REDIS_URL" >&2
        return 0
    fi

    dir="$(mktemp -d /tmp/hookwarden-redis.XXXXXX)"
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 30000))
        # Something already listens there: try another port.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        rm -f "$dir/redis.pid"
        "$HOOKWARDEN_REDIS_SERVER" --bind 127.0.0.1 --port "$port" --daemonize yes \
            --save '' --appendonly no --dir "$dir" \
            --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null 2>&1 || continue
        for _ in $(seq 1 50); do
            if [ -s "$dir/redis.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                pid="$(cat "$dir/redis.pid")"
                if kill -0 "$pid" 2>/dev/null; then
                    export HOOKWARDEN_REDIS_URL="redis://127.0.0.1:$port/"
                    HOOKWARDEN_REDIS_PID="$pid"
                    HOOKWARDEN_REDIS_DIR="$dir"
                    hookwarden_redis_trap
                    echo "redis.sh: redis-server (pid $pid) on $HOOKWARDEN_REDIS_URL" >&2
                    return 0
                fi
            fi
            sleep 0.1
        done
        # It did not come up on this port (taken in the meantime?): stop it if it is there.
        if [ -s "$dir/redis.pid" ]; then
            kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
        fi
    done
    cat "$dir/redis.log" >&2 2>/dev/null || true
    echo "redis.sh: could not start redis-server (attempt $attempt)" >&2
    return 1
}

# Stops the server this script started, if any.
hookwarden_redis_stop() {
    if [ -n "${HOOKWARDEN_REDIS_PID:-}" ]; then
        kill "$HOOKWARDEN_REDIS_PID" 2>/dev/null || true
        # Let it exit before removing its folder: it still writes its log while shutting down.
        for _ in $(seq 1 50); do
            kill -0 "$HOOKWARDEN_REDIS_PID" 2>/dev/null || break
            sleep 0.1
        done
        rm -rf "${HOOKWARDEN_REDIS_DIR:?}" 2>/dev/null || true
        unset HOOKWARDEN_REDIS_PID HOOKWARDEN_REDIS_DIR HOOKWARDEN_REDIS_URL
    fi
}

# Runs $1 (default hookwarden_redis_stop) on exit, after whatever EXIT trap the caller already
# had. .ci/redis-deployments.sh uses it too.
hookwarden_redis_trap() {
    local command="${1:-hookwarden_redis_stop}" previous=""
    # `trap -p EXIT` prints `trap -- 'command' EXIT`, quoted for the shell: let it unquote. In a
    # subshell it prints the parent's trap, which does not run there: keep only our own then.
    if [ "${BASHPID:-$$}" = "$$" ]; then
        eval "set -- $(trap -p EXIT)"
        if [ $# -ge 3 ]; then
            previous="$3"
        fi
    fi
    # shellcheck disable=SC2064 # expand now: the caller's trap as it is today
    trap "${previous:+$previous; }$command" EXIT
}

hookwarden_redis_start
