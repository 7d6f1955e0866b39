# Starts, on loopback, the Redis deployments the hookwarden-redis store is tested against beside
# the plain server of .ci/redis.sh. Source it after .ci/redis.sh, do not run it:
#
#     source .ci/redis.sh
#     source .ci/redis-deployments.sh
#
# - TLS: one redis-server that speaks only TLS and asks for client certificates, with a
#   throwaway CA, server and client certificates made here by openssl; and a second CA that
#   signed nothing the server uses (what an untrusted certificate looks like to the client).
#   Exports HOOKWARDEN_REDIS_TLS_URL (rediss://127.0.0.1:PORT/), HOOKWARDEN_REDIS_TLS_CA,
#   HOOKWARDEN_REDIS_TLS_CERT, HOOKWARDEN_REDIS_TLS_KEY (the client's) and
#   HOOKWARDEN_REDIS_TLS_OTHER_CA (PEM files).
# - Cluster: three primaries with a replica each (`redis-server --cluster-enabled yes`, then
#   `redis-cli --cluster create`). Exports HOOKWARDEN_REDIS_CLUSTER_URLS (the six nodes,
#   comma-separated).
# - Sentinel: a primary, its replica and one Sentinel monitoring them as `hookwarden`.
#   Exports HOOKWARDEN_REDIS_SENTINEL_URLS and HOOKWARDEN_REDIS_SENTINEL_SERVICE.
#
# Persistence is off everywhere. Everything is stopped when the sourcing shell exits. Each
# deployment whose variable is already set is left alone. The fault tests (primaries killed)
# start deployments of their own, so that the ones here stay whole for the other tests.
#
# It returns non-zero when it cannot start one; under `set -e` that stops the caller.

# A loopback port nothing listens on now, below Linux's ephemeral range (32768 and up), where an
# outgoing connection's local port could take it before the server binds it.
hookwarden_free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
}

# Waits until something accepts connections on port $1 (about 10 s at most).
hookwarden_wait_port() {
    local _
    for _ in $(seq 1 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    echo "redis-deployments.sh: nothing listens on port $1" >&2
    return 1
}

# Starts a daemonized redis-server named $1 (its pid and log files in the deployments' folder)
# with the remaining arguments. A replica's first sync starts at once (Redis otherwise waits
# 5 s for more replicas to share it).
hookwarden_deploy_server() {
    local name="$1"
    shift
    "$HOOKWARDEN_REDIS_SERVER" "$@" --daemonize yes --save '' --appendonly no \
        --repl-diskless-sync-delay 0 \
        --dir "$HOOKWARDEN_DEPLOY_DIR" --pidfile "$HOOKWARDEN_DEPLOY_DIR/$name.pid" \
        --logfile "$HOOKWARDEN_DEPLOY_DIR/$name.log" >/dev/null
}

hookwarden_deploy_tls() {
    local dir="$HOOKWARDEN_DEPLOY_DIR/tls" port
    mkdir -p "$dir"
    (
        cd "$dir" || exit 1
        set -e
        # The CA, a server certificate for 127.0.0.1 / localhost, a client certificate, and
        # another CA that signed neither.
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=hookwarden test CA" \
            -keyout ca.key -out ca.crt
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=hookwarden other CA" \
            -keyout other-ca.key -out other-ca.crt
        openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
            -extfile server.ext -out server.crt
        openssl req -newkey rsa:2048 -nodes -subj "/CN=hookwarden client" -keyout client.key -out client.csr
        printf 'extendedKeyUsage=clientAuth\n' >client.ext
        openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
            -extfile client.ext -out client.crt
    ) >"$dir/openssl.log" 2>&1 || {
        cat "$dir/openssl.log" >&2
        echo "redis-deployments.sh: openssl could not make the test certificates" >&2
        return 1
    }
    port="$(hookwarden_free_port)"
    hookwarden_deploy_server tls --bind 127.0.0.1 --port 0 --tls-port "$port" \
        --tls-cert-file "$dir/server.crt" --tls-key-file "$dir/server.key" \
        --tls-ca-cert-file "$dir/ca.crt" --tls-auth-clients yes || return 1
    hookwarden_wait_port "$port" || return 1
    export HOOKWARDEN_REDIS_TLS_URL="rediss://127.0.0.1:$port/"
    export HOOKWARDEN_REDIS_TLS_CA="$dir/ca.crt"
    export HOOKWARDEN_REDIS_TLS_CERT="$dir/client.crt"
    export HOOKWARDEN_REDIS_TLS_KEY="$dir/client.key"
    export HOOKWARDEN_REDIS_TLS_OTHER_CA="$dir/other-ca.crt"
    echo "redis-deployments.sh: TLS redis-server on $HOOKWARDEN_REDIS_TLS_URL" >&2
}

# Starts one cluster node on a free port, its cluster bus on another (by default Redis takes
# port + 10000, which nobody checked), and prints the port; a node that does not come up is
# started again on other ports, twice at most.
hookwarden_deploy_cluster_node() {
    local port bus attempt
    for attempt in 1 2 3; do
        port="$(hookwarden_free_port)"
        bus="$(hookwarden_free_port)"
        [ "$bus" = "$port" ] && continue
        hookwarden_deploy_server "cluster-$port" --bind 127.0.0.1 --port "$port" \
            --cluster-port "$bus" --cluster-enabled yes --cluster-config-file "cluster-$port.conf" \
            --cluster-node-timeout 1000 || continue
        if hookwarden_wait_port "$port" 2>/dev/null; then
            echo "$port"
            return 0
        fi
        echo "redis-deployments.sh: a cluster node did not start on port $port (attempt $attempt):" >&2
        tail -n 5 "$HOOKWARDEN_DEPLOY_DIR/cluster-$port.log" >&2 2>/dev/null
        [ -f "$HOOKWARDEN_DEPLOY_DIR/cluster-$port.pid" ] && kill "$(cat "$HOOKWARDEN_DEPLOY_DIR/cluster-$port.pid")" 2>/dev/null
    done
    return 1
}

hookwarden_deploy_cluster() {
    local ports=() nodes=() urls=() port i
    for i in 1 2 3 4 5 6; do
        port="$(hookwarden_deploy_cluster_node)" || return 1
        ports+=("$port")
        nodes+=("127.0.0.1:$port")
        urls+=("redis://127.0.0.1:$port/")
    done
    # The first three become primaries, the last three their replicas.
    if ! redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes \
        >"$HOOKWARDEN_DEPLOY_DIR/cluster-create.log" 2>&1; then
        cat "$HOOKWARDEN_DEPLOY_DIR/cluster-create.log" >&2
        echo "redis-deployments.sh: redis-cli --cluster create failed" >&2
        return 1
    fi
    # Every node agrees the cluster is up before a test connects.
    for port in "${ports[@]}"; do
        for i in $(seq 1 100); do
            redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
            [ "$i" = 100 ] && { echo "redis-deployments.sh: the cluster did not come up" >&2; return 1; }
            sleep 0.05
        done
    done
    HOOKWARDEN_REDIS_CLUSTER_URLS="$(IFS=,; echo "${urls[*]}")"
    export HOOKWARDEN_REDIS_CLUSTER_URLS
    echo "redis-deployments.sh: Redis Cluster on ${nodes[*]}" >&2
}

hookwarden_deploy_sentinel() {
    local primary replica sentinel conf="$HOOKWARDEN_DEPLOY_DIR/sentinel.conf" i
    primary="$(hookwarden_free_port)"
    hookwarden_deploy_server "sentinel-primary" --bind 127.0.0.1 --port "$primary" || return 1
    hookwarden_wait_port "$primary" || return 1
    replica="$(hookwarden_free_port)"
    hookwarden_deploy_server "sentinel-replica" --bind 127.0.0.1 --port "$replica" \
        --replicaof 127.0.0.1 "$primary" || return 1
    hookwarden_wait_port "$replica" || return 1
    sentinel="$(hookwarden_free_port)"
    # The Sentinel rewrites its configuration file: it gets one of its own.
    printf '%s\n' "bind 127.0.0.1" "port $sentinel" \
        "sentinel monitor hookwarden 127.0.0.1 $primary 1" \
        "sentinel down-after-milliseconds hookwarden 1000" \
        "sentinel failover-timeout hookwarden 5000" >"$conf"
    "$HOOKWARDEN_REDIS_SERVER" "$conf" --sentinel --daemonize yes \
        --pidfile "$HOOKWARDEN_DEPLOY_DIR/sentinel.pid" \
        --logfile "$HOOKWARDEN_DEPLOY_DIR/sentinel.log" >/dev/null || return 1
    hookwarden_wait_port "$sentinel" || return 1
    # The replica has caught up with the primary before a test writes.
    for i in $(seq 1 100); do
        redis-cli -p "$replica" info replication 2>/dev/null | grep -q '^master_link_status:up' && break
        [ "$i" = 100 ] && { echo "redis-deployments.sh: the replica did not sync" >&2; return 1; }
        sleep 0.05
    done
    export HOOKWARDEN_REDIS_SENTINEL_URLS="redis://127.0.0.1:$sentinel/"
    export HOOKWARDEN_REDIS_SENTINEL_SERVICE=hookwarden
    echo "redis-deployments.sh: Sentinel on 127.0.0.1:$sentinel (primary $primary, replica $replica)" >&2
}

# Stops every server started here.
hookwarden_deployments_stop() {
    local pidfile pids=() pid _
    [ -n "${HOOKWARDEN_DEPLOY_DIR:-}" ] || return 0
    for pidfile in "$HOOKWARDEN_DEPLOY_DIR"/*.pid; do
        [ -s "$pidfile" ] && pids+=("$(cat "$pidfile")")
    done
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    done
    rm -rf "${HOOKWARDEN_DEPLOY_DIR:?}"
    unset HOOKWARDEN_DEPLOY_DIR
}

hookwarden_deployments_start() {
    if [ -z "${HOOKWARDEN_REDIS_SERVER:-}" ]; then
        echo "redis-deployments.sh: source .ci/redis.sh first (it sets HOOKWARDEN_REDIS_SERVER)" >&2
        return 1
    fi
    if ! command -v redis-cli >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
        echo "redis-deployments.sh: redis-cli and openssl are needed (apt-get install redis-tools openssl)" >&2
        return 1
    fi
    HOOKWARDEN_DEPLOY_DIR="$(mktemp -d /tmp/hookwarden-redis-deployments.XXXXXX)"
    hookwarden_redis_trap hookwarden_deployments_stop
    if [ -z "${HOOKWARDEN_REDIS_TLS_URL:-}" ]; then
        hookwarden_deploy_tls || return 1
    fi
    if [ -z "${HOOKWARDEN_REDIS_CLUSTER_URLS:-}" ]; then
        hookwarden_deploy_cluster || return 1
    fi
    if [ -z "${HOOKWARDEN_REDIS_SENTINEL_URLS:-}" ]; then
        hookwarden_deploy_sentinel || return 1
    fi
}

hookwarden_deployments_start
