# Starts a throwaway PostgreSQL for the hookwarden-postgres tests. Source it, do not run it:
#
#     source .ci/postgres.sh
#
# - When HOOKWARDEN_POSTGRES_URL is already set, it uses that database and starts nothing.
# - Otherwise it installs Debian's `postgresql` package when the server is missing (as root:
#   `apt-get update && apt-get install -y postgresql`), creates a cluster in a temporary folder
#   (`initdb`, trust authentication on loopback only), starts it on a free loopback port, exports
#   HOOKWARDEN_POSTGRES_URL (and HOOKWARDEN_POSTGRES_BIN, the folder of `initdb` and `pg_ctl`
#   the fault tests start their own servers with), and stops the server when the sourcing shell
#   exits (an existing EXIT trap still runs).
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user the
# package creates (`runuser -u postgres`).
#
# It returns non-zero when it cannot give a PostgreSQL; under `set -e` that stops the caller,
# which is what CI wants (CI=true makes the tests fail without one anyway).

hookwarden_postgres_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
            echo "$dir"
        fi
    done | sort -V | tail -n 1
}

# Runs a server command as the user that may run the server.
hookwarden_postgres_as() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

hookwarden_postgres_start() {
    local bin dir port attempt

    if [ -z "${HOOKWARDEN_POSTGRES_BIN:-}" ]; then
        bin="$(hookwarden_postgres_bin)"
        if [ -z "$bin" ]; then
            if [ "$(id -u)" != 0 ]; then
                echo "postgres.sh: PostgreSQL is missing; install it (apt-get install postgresql) or set HOOKWARDEN_POSTGRES_URL" >&2
                return 1
            fi
            echo "postgres.sh: installing postgresql (apt-get)" >&2
            if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; } \
                >/tmp/hookwarden-postgres-apt.log 2>&1; then
                cat /tmp/hookwarden-postgres-apt.log >&2
                echo "postgres.sh: apt-get install postgresql failed" >&2
                return 1
            fi
            bin="$(hookwarden_postgres_bin)"
        fi
        export HOOKWARDEN_POSTGRES_BIN="$bin"
    fi

    if [ -n "${HOOKWARDEN_POSTGRES_URL:-}" ]; then
        echo "postgres.sh: using HOOKWARDEN_POSTGRES_URL=$HOOKWARDEN_POSTGRES_URL" >&2
        return 0
    fi

    dir="$(mktemp -d /tmp/hookwarden-postgres.XXXXXX)"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
    fi
    if ! hookwarden_postgres_as "$HOOKWARDEN_POSTGRES_BIN/initdb" -D "$dir/data" -U postgres \
        --auth=trust --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        echo "postgres.sh: initdb failed" >&2
        return 1
    fi
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 30000))
        # Something already listens there: try another port.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        # No Unix socket (its folder may not be writable), loopback TCP only; fsync off: a
        # throwaway cluster need not survive a power cut.
        if hookwarden_postgres_as "$HOOKWARDEN_POSTGRES_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= -c fsync=off -c max_connections=300" \
            start >/dev/null 2>&1; then
            export HOOKWARDEN_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
            HOOKWARDEN_POSTGRES_DIR="$dir"
            hookwarden_postgres_trap
            echo "postgres.sh: PostgreSQL on $HOOKWARDEN_POSTGRES_URL" >&2
            return 0
        fi
    done
    cat "$dir/server.log" >&2 2>/dev/null || true
    echo "postgres.sh: could not start PostgreSQL (attempt $attempt)" >&2
    return 1
}

# Stops the server this script started, if any.
hookwarden_postgres_stop() {
    if [ -n "${HOOKWARDEN_POSTGRES_DIR:-}" ]; then
        hookwarden_postgres_as "$HOOKWARDEN_POSTGRES_BIN/pg_ctl" -D "$HOOKWARDEN_POSTGRES_DIR/data" \
            -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "${HOOKWARDEN_POSTGRES_DIR:?}" 2>/dev/null || true
        unset HOOKWARDEN_POSTGRES_DIR HOOKWARDEN_POSTGRES_URL
    fi
}

# Runs hookwarden_postgres_stop on exit, after whatever EXIT trap the caller already had.
hookwarden_postgres_trap() {
    local previous=""
    # `trap -p EXIT` prints `trap -- 'command' EXIT`, quoted for the shell: let it unquote. In a
    # subshell it prints the parent's trap, which does not run there: keep only our own then.
    if [ "${BASHPID:-$$}" = "$$" ]; then
        eval "set -- $(trap -p EXIT)"
        if [ $# -ge 3 ]; then
            previous="$3"
        fi
    fi
    # shellcheck disable=SC2064 # expand now: the caller's trap as it is today
    trap "${previous:+$previous; }hookwarden_postgres_stop" EXIT
}

hookwarden_postgres_start
